"""gunicorn's options exactly as the appliance runs it, for scripts/bench_site.py and the tests:
deploy/systemd/gunicorn.service rendered with roles/app's defaults, minus binds and log files."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from devtools.nginx_site import TEMPLATE_PLAYBOOK

ROOT = Path(__file__).resolve().parent.parent
ANSIBLE_DIR = ROOT / "deploy" / "ansible"
UNIT = ROOT / "deploy" / "systemd" / "gunicorn.service"
# Given by the caller (its own ports, sockets and logs), not taken from the unit.
CALLER_OPTIONS = {"--bind", "--access-logfile", "--error-logfile"}


def ansible_playbook(playbook: Path, extra: dict) -> None:
    """Run a local render playbook with extra vars; its output is the error when it fails."""
    ansible = Path(sys.executable).parent / "ansible-playbook"
    rendered = subprocess.run(
        [str(ansible), "-i", "localhost,", str(playbook), "-e", json.dumps(extra)],
        capture_output=True, text=True, cwd=ANSIBLE_DIR,
    )  # fmt: skip
    if rendered.returncode:
        raise RuntimeError(rendered.stdout + rendered.stderr)


def appliance_gunicorn_options(tmp: Path) -> list[str]:
    """The unit's gunicorn options for this machine (its CPU count as the fact roles/app reads)."""
    playbook, unit = tmp / "render-unit.yml", tmp / "gunicorn.service"
    playbook.write_text(TEMPLATE_PLAYBOOK.format(ansible=ANSIBLE_DIR, src=UNIT, dest=unit))
    ansible_playbook(
        playbook, {"ansible_python_interpreter": sys.executable, "ansible_facts": {"processor_vcpus": os.cpu_count()}}
    )
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
