"""The simulated provider's HTTP server and the `SimulatedProvider` handle tests and benches start."""

from __future__ import annotations

import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from devtools.simulator.catalogue import (
    COMPETITIONS,
    LYING_IDS,
    POISONED_IDS,
    SYNTHETIC_BASE,
    SYNTHETIC_COUNT,
    lying_json,
    match_json,
)
from devtools.simulator.chaos import ChaosConfig, SimulatorState


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, the client's delayed ACK holds back every answer.
    disable_nagle_algorithm = True
    server_version = "MacMerkeziSimulatedProvider/1.0"
    state: SimulatorState  # set on the subclass made by make_server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: thousands of requests a minute
        pass

    def _send(self, status: int, body: dict | bytes, headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout); nothing to tell anyone

    def do_POST(self) -> None:
        if urlsplit(self.path).path == "/_reset":
            self.state.reset()
            return self._send(200, {"reset": True})
        return self._send(405, {"message": "Method not allowed"})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        path = parts.path.rstrip("/")
        state = self.state
        if path == "/_stats":
            return self._send(200, state.stats())
        if path == "/_ids":
            code = query.get("competition", [None])[0]
            offset = int(query.get("offset", ["0"])[0])
            count = int(query.get("count", ["100"])[0])
            if code:
                ids = state.catalogue.by_competition.get(code, [])[offset : offset + count]
            else:  # the shipped ids, then as many synthetic ones as asked for
                shipped = sorted(state.catalogue.matches)[offset : offset + count]
                first = max(0, offset - len(state.catalogue.matches))
                more = min(count - len(shipped), SYNTHETIC_COUNT - first)
                ids = shipped + list(range(SYNTHETIC_BASE + 1 + first, SYNTHETIC_BASE + 1 + first + max(0, more)))
            return self._send(200, {"ids": ids})
        if not path.startswith("/v4/"):
            return self._send(404, {"message": "Not found"})
        config = state.config
        state.count("requests")
        if config.token and self.headers.get("X-Auth-Token") != config.token:
            state.count("forbidden")
            return self._send(403, {"message": "The resource you are looking for is restricted.", "errorCode": 403})
        admitted, reset_in, left = state.admit()
        if not admitted:
            state.count("quota_429")
            return self._send(
                429,
                {"message": "You reached your request limit. Wait before you retry.", "errorCode": 429},
                {
                    "Retry-After": state.retry_after_header(reset_in),
                    "X-Requests-Available-Minute": "0",
                    "X-RequestCounter-Reset": str(math.ceil(reset_in)),
                },
            )
        quota_headers = {"X-Requests-Available-Minute": str(left), "X-RequestCounter-Reset": str(math.ceil(reset_in))}
        if config.slow_ms:
            time.sleep(config.slow_ms / 1000 / config.speed_factor)
        fate = state.draw(self.path)
        if fate < config.timeout_rate:
            state.count("timeouts")
            time.sleep(config.hang_seconds)
        elif fate < config.timeout_rate + config.rate_429:
            state.count("random_429")
            retry = state.retry_after_header(1.0 / config.speed_factor)
            return self._send(
                429, {"message": "Too many requests", "errorCode": 429}, {"Retry-After": retry, **quota_headers}
            )
        elif fate < config.timeout_rate + config.rate_429 + config.error_rate:
            status = (500, 502, 503)[int(fate * 1_000_000) % 3]
            state.count("errors_5xx")
            return self._send(status, {"message": "Internal error", "errorCode": status}, quota_headers)
        return self._answer(path, query, quota_headers)

    def _answer(self, path: str, query: dict, headers: dict[str, str]) -> None:
        state = self.state
        catalogue = state.catalogue
        segments = path.split("/")[2:]
        if len(segments) == 2 and segments[0] == "matches":
            try:
                provider_id = int(segments[1])
            except ValueError:
                state.count("bad_request")
                return self._send(400, {"message": "Invalid id", "errorCode": 400}, headers)
            lie = LYING_IDS.get(provider_id) or POISONED_IDS.get(provider_id)
            if lie:
                state.count("lies")
                return self._send(200, lying_json(provider_id, lie, catalogue.team_ids), headers)
            if state.is_unknown(provider_id):
                state.count("not_found")
                return self._send(404, {"message": f"Match {provider_id} not found", "errorCode": 404}, headers)
            state.count("ok")
            return self._send(200, state.match_body(provider_id), headers)
        if segments == ["matches"]:
            ids = [int(x) for x in query.get("ids", [""])[0].split(",") if x.strip().isdigit()]
            found = [state.match_body(i, with_goals=False) for i in ids if not state.is_unknown(i)]
            state.count("ok")
            return self._send(
                200, {"filters": {"ids": ids}, "resultSet": {"count": len(found)}, "matches": found}, headers
            )
        if len(segments) == 3 and segments[0] == "competitions" and segments[2] == "matches":
            code = segments[1].upper()
            if code not in COMPETITIONS:
                state.count("not_found")
                return self._send(404, {"message": f"Competition {code} not found", "errorCode": 404}, headers)
            date_from = query.get("dateFrom", [""])[0]
            date_to = query.get("dateTo", [""])[0]
            season = query.get("season", [""])[0]
            found = []
            for provider_id in catalogue.by_competition[code]:
                match = catalogue.matches[provider_id]
                if (date_from and match.date < date_from) or (date_to and match.date > date_to):
                    continue
                if season and str(match.season_start) != season:
                    continue
                if state.is_unknown(provider_id):
                    continue
                found.append(match_json(match, catalogue.team_ids, with_goals=False))
            state.count("ok")
            return self._send(
                200,
                {
                    "filters": {"dateFrom": date_from, "dateTo": date_to, "season": season},
                    "resultSet": {"count": len(found)},
                    "competition": COMPETITIONS[code],
                    "matches": found,
                },
                headers,
            )
        state.count("not_found")
        return self._send(404, {"message": "Not found", "errorCode": 404}, headers)


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True
    state: SimulatorState  # set by make_server

    @property
    def url(self) -> str:
        """The v4 API's base URL, with the port the system chose when 0 was asked for."""
        host, port = self.server_address[:2]
        # An AF_INET server's host is a str; the stubs allow bytes for other families.
        host_name = host.decode() if isinstance(host, (bytes, bytearray)) else host
        return f"http://{host_name}:{port}/v4/"


def make_server(config: ChaosConfig, *, host: str = "127.0.0.1", port: int = 8200) -> SimulatorServer:
    state = SimulatorState(config)
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = SimulatorServer((host, port), handler)
    server.state = state
    return server


class SimulatedProvider:
    """The simulator in a background thread of this process (tests, scripts)."""

    def __init__(self, config: ChaosConfig | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = make_server(config or ChaosConfig(), host=host, port=port)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def state(self) -> SimulatorState:
        return self.server.state

    def start(self) -> SimulatedProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
