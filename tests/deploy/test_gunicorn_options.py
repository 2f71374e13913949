"""The appliance's gunicorn for real, started with the options of its unit (deploy/systemd/
gunicorn.service rendered with roles/app's defaults, as scripts/bench_site.py runs it): threaded
workers that keep a client's connection open, while idle open connections hold no worker, and
share a burst of new connections between them."""

import collections
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from devtools.gunicorn_unit import appliance_gunicorn_options, wait_for_workers
from tests.deploy.test_nginx_cache import free_port

ROOT = Path(__file__).resolve().parents[2]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def get(connection: http.client.HTTPConnection) -> http.client.HTTPResponse:
    connection.request("GET", "/i18n/setlang/")
    response = connection.getresponse()
    response.read()
    assert response.status == 302
    return response


def start_gunicorn(options: list[str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = os.environ | {"DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app.wsgi:application", "-b", f"127.0.0.1:{port}", *options],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not listening(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    return process, port


def test_appliance_gunicorn_keeps_connections_alive_and_idle_ones_block_nobody(tmp_path):
    options = appliance_gunicorn_options(tmp_path)
    assert options[options.index("--worker-class") + 1] == "app.gunicorn_worker.BalancedThreadWorker"
    slots = int(options[options.index("--workers") + 1]) * int(options[options.index("--threads") + 1])
    process, port = start_gunicorn(options)
    try:
        reused = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        get(reused)
        first_socket = reused.sock
        for _ in range(3):
            assert get(reused).getheader("Connection", "").lower() != "close"
        assert reused.sock is first_socket  # three more requests, one connection

        # More idle kept-alive clients than there are worker threads: a new one is still answered.
        idle = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(slots + 2)]
        for connection in idle:
            get(connection)
        started = time.monotonic()
        get(http.client.HTTPConnection("127.0.0.1", port, timeout=10))
        assert time.monotonic() - started < 3  # keep-alive is 5 s: waiting for a thread would show
        for connection in [reused, *idle]:
            connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def connections_per_worker(port: int) -> collections.Counter[str]:
    listed = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True, check=True
    ).stdout
    return collections.Counter(re.findall(r"pid=(\d+)", listed))


def test_a_burst_of_new_connections_is_shared_between_the_workers(tmp_path):
    options = appliance_gunicorn_options(tmp_path)
    at = options.index("--workers")
    options[at + 1] = "2"  # two workers whatever this machine's CPU count
    process, port = start_gunicorn(options)
    try:
        wait_for_workers(process, 2)
        # 40 clients connect at once and keep their connections open, as a load balancer does.
        burst = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(40)]
        for connection in burst:
            connection.connect()
        for connection in burst:
            get(connection)
        held = connections_per_worker(port)
        # Plain gthread: whoever was awake took them, 46 of 50 measured (app/gunicorn_worker.py).
        assert sum(held.values()) == 40 and len(held) == 2, held
        assert max(held.values()) <= 30, held
        for connection in burst:
            connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_worker_waits_for_each_connection_it_holds_and_never_long():
    from app.gunicorn_worker import MAX_ACCEPT_WAIT, accept_wait

    assert accept_wait(0) == 0
    assert 0 < accept_wait(1) < accept_wait(10) < accept_wait(20) <= MAX_ACCEPT_WAIT
    assert accept_wait(10_000) == MAX_ACCEPT_WAIT <= 0.003
