"""Fixtures of the fetching tests: the simulated provider on a free port of our range (8200-8299)."""

import socket
import uuid

import pytest

from app.fetching.providers.football_data import FootballDataClient
from devtools.simulator import ChaosConfig, SimulatedProvider

PORTS = range(8210, 8300)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8210-8299")


@pytest.fixture
def start_simulator():
    """Factory: start_simulator(quota=..., error_rate=...) → a running SimulatedProvider."""
    started: list[SimulatedProvider] = []

    def start(**config) -> SimulatedProvider:
        config.setdefault("quota", 0)
        sim = SimulatedProvider(ChaosConfig(**config), port=free_port()).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def simulator(start_simulator) -> SimulatedProvider:
    return start_simulator()


@pytest.fixture
def client_for():
    clients: list[FootballDataClient] = []

    def make(sim: SimulatedProvider, **kwargs) -> FootballDataClient:
        kwargs.setdefault("read_timeout", 2)
        client = FootballDataClient(base_url=sim.url, token=kwargs.pop("token", ""), **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def bucket_key() -> str:
    return f"test-bucket:{uuid.uuid4().hex}"


@pytest.fixture
def bucket_redis_url(settings) -> str:
    """Another Redis database than the shared one: other test sessions on this machine flush
    theirs (Django's cache.clear() is FLUSHDB) and would wipe a bucket in the middle of a test."""
    return settings.REDIS_URL.rsplit("/", 1)[0] + "/3"
