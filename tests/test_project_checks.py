"""The project's own gates: deploy checks with production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings():
    env = dict(os.environ) | {
        "APP_ENV": "production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-the-check",
        "DATABASE_URL": "postgres://app@127.0.0.1:5432/app",
        "ALLOWED_HOSTS": "mac.example.org",
    }
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
