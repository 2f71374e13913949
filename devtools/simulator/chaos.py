"""The simulated provider's misbehaviour: quota windows, random errors, hangs, deterministic per seed."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass

from devtools.simulator.catalogue import SYNTHETIC_TEAM_IDS, is_synthetic, load_catalogue, match_json, synthetic_match


@dataclass
class ChaosConfig:
    quota: int = 1200  # requests per (scaled) minute, 0 = unlimited
    error_rate: float = 0.0  # 500/502/503
    rate_429: float = 0.0  # random 429s besides the quota
    timeout_rate: float = 0.0  # hang for `hang_seconds`
    unknown_rate: float = 0.0  # share of real ids answered 404 anyway
    slow_ms: int = 0  # added to every answer
    hang_seconds: float = 15.0
    speed_factor: float = 1.0
    seed: int = 1
    token: str = ""  # required X-Auth-Token when set


class SimulatorState:
    def __init__(self, config: ChaosConfig) -> None:
        self.config = config
        self.catalogue = load_catalogue()
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.window_index = 0
        self.window_count = 0
        self.window_max = 0
        self.counters: Counter[str] = Counter()
        self.attempts: Counter[str] = Counter()

    @property
    def window_seconds(self) -> float:
        return 60.0 / self.config.speed_factor

    def reset(self) -> None:
        with self.lock:
            self.counters.clear()
            self.attempts.clear()
            self.window_max = 0

    def admit(self) -> tuple[bool, float, int]:
        """Count a request against the fixed per-minute window: (admitted, seconds to reset, left)."""
        with self.lock:
            elapsed = time.monotonic() - self.started
            index = int(elapsed // self.window_seconds)
            if index != self.window_index:
                self.window_index, self.window_count = index, 0
            reset_in = (index + 1) * self.window_seconds - elapsed
            quota = self.config.quota
            if quota and self.window_count >= quota:
                return False, reset_in, 0
            self.window_count += 1
            self.window_max = max(self.window_max, self.window_count)
            return True, reset_in, (quota - self.window_count) if quota else 9999

    def draw(self, key: str) -> float:
        """A number in [0, 1) fixed by (seed, key, how many times key was asked before)."""
        with self.lock:
            self.attempts[key] += 1
            n = self.attempts[key]
        digest = hashlib.blake2b(f"{self.config.seed}|{key}|{n}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64

    def is_unknown(self, provider_id: int) -> bool:
        if provider_id not in self.catalogue.matches and not is_synthetic(provider_id):
            return True
        digest = hashlib.blake2b(f"{self.config.seed}|unknown|{provider_id}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.config.unknown_rate

    def match_body(self, provider_id: int, *, with_goals: bool = True) -> dict:
        if is_synthetic(provider_id):
            return match_json(synthetic_match(provider_id), SYNTHETIC_TEAM_IDS, with_goals=with_goals)
        return match_json(self.catalogue.matches[provider_id], self.catalogue.team_ids, with_goals=with_goals)

    def count(self, name: str) -> None:
        with self.lock:
            self.counters[name] += 1

    def stats(self) -> dict:
        with self.lock:
            return {
                **self.counters,
                "window_max": self.window_max,
                "quota": self.config.quota,
                "window_seconds": self.window_seconds,
                "speed_factor": self.config.speed_factor,
            }

    def retry_after_header(self, seconds: float) -> str:
        # Real servers send whole seconds; scaled time needs fractions, which our client accepts.
        if self.config.speed_factor == 1:
            return str(max(1, math.ceil(seconds)))
        return f"{max(seconds, 0.001):.3f}"
