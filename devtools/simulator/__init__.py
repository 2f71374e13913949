"""A simulated football-data.org v4 server for development, tests and benchmarks.

Never loaded by production: `catalogue.py` (the matches), `chaos.py` (quota and faults), `server.py` (HTTP).

It serves the real matches shipped in app/football/data (Süper Lig and internationals, with the
international goalscorers) under deterministic integer ids, and misbehaves on purpose the way
a real API does: a global per-minute quota answered with 429 + `Retry-After`, random 5xx, random
429s, slow answers and hangs longer than any sane client timeout, ids that do not exist (404),
and a few fixed "lying" ids whose payloads cannot be true. Chaos is deterministic for a given
seed: the fate of the n-th request for a URL depends only on (seed, URL, n), not on timing.

`speed_factor` scales time: a "minute" of quota lasts 60 / speed_factor seconds and
`Retry-After` is scaled (and then may be fractional) the same way, so a benchmark can show an
hour of quota-bound fetching in minutes.

Beyond the shipped matches it serves a synthetic catalogue (ids 3,000,001…, competition "SYN"):
every id's match is computed from the id alone (teams, date, score), so a run of any size is
real work and the same id always gets the same answer. `/_ids?count=N` lists the shipped ids
first and then synthetic ones, up to N (never silently fewer).

Counters are served at `/_stats` (JSON), reset with `POST /_reset`; `/_ids?competition=TSL&count=N`
lists valid ids.
"""

from devtools.simulator.catalogue import (
    INTERNATIONAL_BASE,
    LYING_IDS,
    POISONED_IDS,
    SUPER_LIG_BASE,
    SYNTHETIC_BASE,
    SYNTHETIC_COUNT,
    load_catalogue,
)
from devtools.simulator.chaos import ChaosConfig
from devtools.simulator.server import SimulatedProvider, make_server

__all__ = [
    "INTERNATIONAL_BASE",
    "LYING_IDS",
    "POISONED_IDS",
    "SUPER_LIG_BASE",
    "SYNTHETIC_BASE",
    "SYNTHETIC_COUNT",
    "ChaosConfig",
    "SimulatedProvider",
    "load_catalogue",
    "make_server",
]
