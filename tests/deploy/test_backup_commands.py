"""macmerkezi-backup and macmerkezi-restore as roles/backup renders them, run against the real
PostgreSQL of this machine on a scratch database (as root, like CI; the appliance test runs them
under systemd on a fresh server)."""

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.deploy.test_deploy_files import ANSIBLE_DIR, BIN, DEPLOY, ansible_tool

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("pg_dump") or not shutil.which("setpriv"),
    reason="needs root, setpriv and the PostgreSQL client tools (they run pg_dump as postgres)",
)

PLAY = """
- name: Render the backup commands as roles/backup does
  hosts: localhost
  connection: local
  gather_facts: false
  roles: []
  vars_files: [{defaults}]
  tasks:
    - name: Render
      ansible.builtin.template:
        src: "{deploy}/backup/{{{{ item }}}}"
        dest: "{out}/{{{{ item }}}}"
        mode: "0755"
      loop: [macmerkezi-backup, macmerkezi-restore]
"""


def as_postgres(*command: str) -> str:
    result = subprocess.run(
        ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *command],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def psql(database: str, sql: str) -> str:
    return as_postgres("psql", "-Atq", "-d", database, "-c", sql).strip()


@pytest.fixture
def scratch(tmp_path):
    name = f"mm_backup_test_{uuid.uuid4().hex[:8]}"
    as_postgres("psql", "-q", "-d", "postgres", "-c", f'CREATE ROLE "{name}" LOGIN')
    as_postgres("createdb", "-O", name, name)
    media = tmp_path / "media"
    (media / "imports").mkdir(parents=True)
    (media / "imports" / "a.xlsx").write_bytes(b"first upload")
    (media / "imports" / "b.csv").write_bytes("tarih,ev\n2024-01-01,Göztepe\n".encode())
    manage = tmp_path / "macmerkezi-manage"
    manage.write_text('#!/bin/sh\necho cache cleared >> "$(dirname "$0")/manage.log"\n')
    manage.chmod(0o755)
    yield name, media, tmp_path
    for db in (name, f"{name}_restoring", f"{name}_before_restore"):
        as_postgres("dropdb", "--if-exists", "--force", db)
    as_postgres("psql", "-q", "-d", "postgres", "-c", f'DROP ROLE IF EXISTS "{name}"')


def render(tmp_path: Path, name: str, media: Path) -> Path:
    out = tmp_path / "bin"
    out.mkdir()
    defaults = tmp_path / "vars.yml"
    defaults.write_text(
        f"backup_dir: {tmp_path / 'backups'}\nbackup_keep_days: 14\nbackup_db_name: {name}\n"
        f"backup_db_user: {name}\nbackup_media_root: {media}\nbackup_app_user: nobody\n"
        "backup_app_group: nogroup\nbackup_app_units: [mm-backup-test-no-such.service]\n"
    )
    playbook = tmp_path / "render.yml"
    playbook.write_text(PLAY.format(defaults=defaults, deploy=DEPLOY, out=out))
    result = subprocess.run(
        [
            ansible_tool("ansible-playbook"),
            "-i",
            "localhost,",
            str(playbook),
            "-e",
            f"ansible_python_interpreter={sys.executable}",
        ],
        cwd=ANSIBLE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    restore = out / "macmerkezi-restore"
    # The real one runs `macmerkezi-manage shell` to clear the cache; here a stand-in records the call.
    restore.write_text(
        restore.read_text().replace("/usr/local/bin/macmerkezi-manage", str(tmp_path / "macmerkezi-manage"))
    )
    return out


def snapshot(name: str, media: Path) -> tuple[str, dict[str, str]]:
    rows = psql(name, "SELECT md5(string_agg(id || ':' || v, ',' ORDER BY id)) FROM t")
    files = {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest() for p in media.rglob("*") if p.is_file()
    }
    return rows, files


def run(command: list[str]) -> subprocess.CompletedProcess:
    # No systemd here: systemctl answers "not active" for every unit, so nothing is stopped.
    return subprocess.run(command, capture_output=True, text=True)


def test_backup_then_restore_brings_back_the_database_and_the_files(scratch):
    name, media, tmp_path = scratch
    psql(name, "CREATE TABLE t (id int PRIMARY KEY, v text)")
    psql(name, "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g")
    psql(name, f'ALTER TABLE t OWNER TO "{name}"')
    before = snapshot(name, media)
    commands = render(tmp_path, name, media)

    backup = run([str(commands / "macmerkezi-backup")])
    assert backup.returncode == 0, backup.stdout + backup.stderr
    archives = list((tmp_path / "backups").glob("macmerkezi-*.tar"))
    assert len(archives) == 1
    assert oct((tmp_path / "backups").stat().st_mode & 0o777) == "0o700"
    assert oct(archives[0].stat().st_mode & 0o777) == "0o600"
    assert "wrote" in backup.stdout and "uploaded files" in backup.stdout

    psql(name, "DELETE FROM t WHERE id % 3 = 0")
    (media / "imports" / "a.xlsx").unlink()
    (media / "imports" / "new.xlsx").write_bytes(b"after the backup")
    assert snapshot(name, media) != before

    restore = run([str(commands / "macmerkezi-restore"), str(archives[0])])
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert snapshot(name, media) == before
    assert psql("postgres", "SELECT tableowner FROM pg_tables WHERE tablename = 't'") in ("", name)
    assert psql(name, "SELECT tableowner FROM pg_tables WHERE tablename = 't'") == name
    assert (tmp_path / "manage.log").read_text() == "cache cleared\n"
    assert not psql("postgres", f"SELECT datname FROM pg_database WHERE datname LIKE '{name}_%'")


def test_a_damaged_archive_changes_nothing(scratch):
    name, media, tmp_path = scratch
    psql(name, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'bir')")
    commands = render(tmp_path, name, media)
    assert run([str(commands / "macmerkezi-backup")]).returncode == 0
    archive = next((tmp_path / "backups").glob("macmerkezi-*.tar"))
    data = bytearray(archive.read_bytes())
    data[2048] ^= 0xFF  # inside the first member after SHA256SUMS' header
    archive.write_bytes(bytes(data))
    psql(name, "INSERT INTO t VALUES (2, 'iki')")
    before = snapshot(name, media)

    restore = run([str(commands / "macmerkezi-restore"), str(archive)])

    assert restore.returncode != 0
    assert "nothing was changed" in restore.stderr or "not a Maç Merkezi backup" in restore.stderr
    assert snapshot(name, media) == before


def test_old_archives_are_deleted_after_keep_days(scratch):
    name, media, tmp_path = scratch
    commands = render(tmp_path, name, media)
    (tmp_path / "backups").mkdir(mode=0o700)
    old = tmp_path / "backups" / "macmerkezi-20200101T031500Z.tar"
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    backup = run([str(commands / "macmerkezi-backup")])
    assert backup.returncode == 0, backup.stderr
    assert not old.exists() and f"deleted {old}" in backup.stdout
    assert len(list((tmp_path / "backups").glob("macmerkezi-*.tar"))) == 1
