"""Renders deploy/ templates the way the roles do (their defaults, the template task), for the nginx
tests and scripts/bench_site.py (both with their own ports and paths as extra vars); bench_site
renders the gunicorn unit with it too, to run gunicorn exactly as the appliance does."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSIBLE_DIR = ROOT / "deploy" / "ansible"
NGINX_SITE = ROOT / "deploy" / "nginx" / "macmerkezi.conf"

TEMPLATE_PLAYBOOK = """
- name: Render a deploy/ template as the roles do
  hosts: localhost
  connection: local
  gather_facts: false
  vars_files:
    - {ansible}/roles/app/defaults/main.yml
    - {ansible}/roles/nginx/defaults/main.yml
    - {ansible}/roles/redis/defaults/main.yml
  tasks:
    - name: Render
      ansible.builtin.template:
        src: {src}
        dest: {dest}
        mode: "0644"
"""


def render(src: Path, dest: Path, extra: dict) -> None:
    """Render one template to `dest` with the roles' defaults and `extra` vars; ansible's output is
    the error when it fails."""
    playbook = dest.with_name(f"{dest.name}.render.yml")
    playbook.write_text(TEMPLATE_PLAYBOOK.format(ansible=ANSIBLE_DIR, src=src, dest=dest))
    variables = {"ansible_python_interpreter": sys.executable, "playbook_dir": str(ANSIBLE_DIR)} | extra
    rendered = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(playbook),
         "-e", json.dumps(variables)],
        capture_output=True, text=True, cwd=ANSIBLE_DIR,
    )  # fmt: skip
    if rendered.returncode:
        raise RuntimeError(rendered.stdout + rendered.stderr)
