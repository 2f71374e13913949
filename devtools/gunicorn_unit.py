"""gunicorn's options exactly as the appliance runs it, for scripts/bench_site.py and the tests:
deploy/systemd/gunicorn.service rendered with roles/app's defaults, minus binds and log files."""

import os
import re
import shlex
import subprocess
import time
from pathlib import Path

from devtools.nginx_site import render

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "systemd" / "gunicorn.service"
# Given by the caller (its own ports, sockets and logs), not taken from the unit.
CALLER_OPTIONS = {"--bind", "--access-logfile", "--error-logfile"}


def appliance_gunicorn_options(tmp: Path) -> list[str]:
    """The unit's gunicorn options for this machine (its CPU count as the fact roles/app reads)."""
    unit = tmp / "gunicorn.service"
    render(UNIT, unit, {"ansible_facts": {"processor_vcpus": os.cpu_count()}})
    found = re.search(r"^ExecStart=(.*)$", unit.read_text().replace("\\\n", " "), re.M)
    if not found:
        raise RuntimeError(f"no ExecStart in {UNIT}")
    words = iter(shlex.split(found.group(1)))
    for word in words:  # the program and the application come first
        if word == "app.wsgi:application":
            break
    options: list[str] = []
    for word in words:
        if word in CALLER_OPTIONS:
            next(words)
        elif word != "--capture-output":
            options.append(word)
    return options


def wait_for_workers(process: subprocess.Popen, workers: int, *, timeout: float = 60, settle: float = 3) -> None:
    """Until gunicorn's master has forked its workers, and `settle` seconds more while they load
    the app. The port opens before that: a client connecting then finds one worker taking every
    connection while the others still boot (a bench's floor, a test of how connections spread)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + timeout
    while len(children.read_text().split()) < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn (pid {process.pid}) did not start {workers} workers")
        time.sleep(0.1)
    time.sleep(settle)
