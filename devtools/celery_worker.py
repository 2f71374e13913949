"""Start and stop real Celery worker processes against the current (test or bench) database and Redis."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """URL of the database the tests are using right now (the test database, not the dev one)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{connection.settings_dict['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{connection.settings_dict['NAME']}"


def worker_environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="app.settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


class CeleryWorker:
    """One `celery worker` process; `kill()` is SIGKILL, for crash tests."""

    def __init__(
        self, *, env: dict[str, str], concurrency: int = 2, queues: str | None = None, include: tuple[str, ...] = ()
    ) -> None:
        self.env = env
        self.include = include
        self.concurrency = concurrency
        self.queues = queues
        self.name = f"{uuid.uuid4().hex[:8]}@test"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = ROOT / "var" / "test-logs" / f"worker-{self.name.split('@')[0]}.log"

    def start(self, timeout: float = 60) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "celery", "-A", "app", "worker",
            "--loglevel=INFO", f"--concurrency={self.concurrency}", "--pool=prefork",
            f"--hostname={self.name}", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        if self.queues:
            command.append(f"--queues={self.queues}")
        if self.include:
            # Extra task modules outside app/ (the tests' own tasks, a bench's baseline).
            command.append(f"--include={','.join(self.include)}")
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # fmt: skip
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.kill()  # a worker that never answered must not outlive the test session
            raise

    def wait_ready(self, timeout: float) -> None:
        from app.celery import app

        process = self._started()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"worker exited early, see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            replies = app.control.ping(destination=[self.name], timeout=0.5) or []
            if any(self.name in reply for reply in replies):
                return
        raise TimeoutError(f"worker {self.name} did not answer ping in {timeout}s, see {self.log_path}")

    @property
    def pid(self) -> int:
        return self._started().pid

    def _started(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            raise RuntimeError(f"worker {self.name} has not been started")
        return self.process

    def kill(self) -> None:
        """SIGKILL the whole worker process group: main process and pool children, no cleanup."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 30) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
