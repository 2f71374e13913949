"""The appliance's gunicorn for real, started with the options of its unit (deploy/systemd/
gunicorn.service rendered with roles/app's defaults, as scripts/bench_site.py runs it): threaded
workers that keep a client's connection open, while idle open connections hold no worker."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from devtools.gunicorn_unit import appliance_gunicorn_options
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


def test_appliance_gunicorn_keeps_connections_alive_and_idle_ones_block_nobody(tmp_path):
    options = appliance_gunicorn_options(tmp_path)
    assert options[options.index("--worker-class") + 1] == "gthread"
    slots = int(options[options.index("--workers") + 1]) * int(options[options.index("--threads") + 1])
    port = free_port()
    env = os.environ | {"DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app.wsgi:application", "-b", f"127.0.0.1:{port}", *options],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not listening(port) and time.monotonic() < deadline:
            time.sleep(0.2)
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
