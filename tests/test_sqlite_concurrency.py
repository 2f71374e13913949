"""The embedded SQLite default under concurrency: web (gunicorn, several processes and threads) and a
real Celery worker write to one database file at once, as under `scripts/dev`, and nobody answers
"database is locked".

Everything runs in its own processes on a file database in a temporary directory; the PostgreSQL
test database is not used.
"""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from devtools.celery_worker import ROOT, CeleryWorker
from tests.imports.conftest import workbook_bytes

PASSWORD = "Eşzamanlı-Parola-42"
FILES, ROWS_PER_FILE = 3, 3000
LOCKED = "database is locked"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlite_environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="app.settings",
        PYTHONPATH=str(ROOT),
        APP_ENV="development",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def workbook(n: int) -> tuple[bytes, int]:
    start = date(2023, 8, 11)
    rows = [
        [f"sqlite-{n}-{i}", f"Takım {i % 18}", f"Takım {(i + 1 + i // 18) % 18}", i % 5, i % 3,
         start + timedelta(days=i % 280)]
        for i in range(ROWS_PER_FILE)
    ]  # fmt: skip
    rows = [row for row in rows if row[1] != row[2]]
    return workbook_bytes(rows), len(rows)


class Client:
    """A browser: one session, logs in through the login form (CSRF and all)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.statuses: list[int] = []

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.session.request(method, self.base + path, timeout=120, allow_redirects=False, **kwargs)
        self.statuses.append(response.status_code)
        return response

    def csrf(self, path: str) -> str:
        self.request("GET", path)
        return self.session.cookies["csrftoken"]

    def login(self, username: str, password: str) -> requests.Response:
        token = self.csrf("/hesap/giris/")
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.request("POST", "/hesap/giris/", data=data, headers={"Referer": self.base + "/hesap/giris/"})

    def post(self, path: str, **kwargs) -> requests.Response:
        headers = {"X-CSRFToken": self.session.cookies["csrftoken"], "Referer": self.base + path}
        return self.request("POST", path, headers=headers, **kwargs)


def wait_for_web(base: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"web exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(base + "/hesap/giris/", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading Django
            pass
        time.sleep(0.3)
    raise TimeoutError(f"web did not answer in {timeout}s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.worker
def test_web_and_worker_write_one_sqlite_file_at_once_without_database_is_locked(tmp_path):
    env = sqlite_environment(tmp_path)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "ensure_admin", "--username", "yonetici", "--email", "y@example.org", "--password", PASSWORD)
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # WAL is kept in the file

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web_log = tmp_path / "web.log"
    with web_log.open("ab") as log:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "app.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2",
             "--threads", "4", "--timeout", "120", "--error-logfile", "-"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    worker = CeleryWorker(env=env, concurrency=2)
    try:
        wait_for_web(base, web, web_log)
        worker.start()
        importer = Client(base)
        assert importer.login("yonetici", PASSWORD).status_code == 302
        done = threading.Event()
        visitors = [Client(base) for _ in range(4)]

        def visit(client: Client, n: int) -> None:
            # Logins write the session and last_login; wrong passwords are counted in the cache
            # (app.accounts.services.login_guard).
            while not done.is_set():
                client.session.cookies.clear()
                client.login("yonetici", PASSWORD if n % 2 else "yanlış")
                client.request("GET", "/ice-aktar/")
                n += 1

        threads = [threading.Thread(target=visit, args=(client, i)) for i, client in enumerate(visitors)]
        for thread in threads:
            thread.start()
        try:
            ids, expected = [], 0
            for n in range(FILES):
                content, rows = workbook(n)
                expected += rows
                importer.csrf("/ice-aktar/")
                response = importer.post("/ice-aktar/", files={"files": (f"dosya-{n}.xlsx", content)})
                assert response.status_code == 302, response.text[:2000]
                ids.append(int(re.search(r"/ice-aktar/(\d+)/", response.headers["Location"]).group(1)))
                # The preview warns about the new teams: the confirmation box is ticked, as a person would.
                assert importer.post(f"/ice-aktar/{ids[-1]}/baslat/", data={"confirm": "1"}).status_code == 302
                started = importer.request("GET", f"/ice-aktar/{ids[-1]}/durum/").json()["status"]
                assert started in ("running", "done"), started
            deadline = time.monotonic() + 300
            pending = set(ids)
            while pending and time.monotonic() < deadline:
                for pk in list(pending):
                    status = importer.request("GET", f"/ice-aktar/{pk}/durum/").json()
                    if status["finished"]:
                        assert status["status"] == "done", status
                        pending.discard(pk)
                time.sleep(0.3)
            assert not pending, f"imports {pending} did not finish"
        finally:
            done.set()
            for thread in threads:
                thread.join(timeout=180)
    finally:
        worker.stop()
        stop(web)

    statuses = [status for client in [importer, *visitors] for status in client.statuses]
    assert len(statuses) > 50
    assert not [status for status in statuses if status >= 500], web_log.read_text()[-5000:]
    logs = web_log.read_text() + worker.log_path.read_text()
    assert LOCKED not in logs
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as db:
        assert db.execute("SELECT count(*) FROM football_match").fetchone()[0] == expected
