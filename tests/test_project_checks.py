"""The project's own gates: deploy checks with production settings, comments without measured figures."""

import os
import re
import subprocess
import sys
import tokenize
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


# A measured figure in a comment goes stale with the next change; it belongs in docs/, and the
# comment keeps the reason. Times and latency percentiles are what benchmarks report.
MEASURED_FIGURE = re.compile(r"\d[\d.,]*\s?(ms|µs|ns)\b|\bp(50|95|99)\b|\bmeasured\b", re.IGNORECASE)


def _comments(path: Path) -> list[tuple[int, str]]:
    if path.suffix == ".py":
        with path.open("rb") as source:
            tokens = list(tokenize.tokenize(source.readline))
        return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]
    lines = path.read_text(errors="replace").splitlines()
    return [(n, line) for n, line in enumerate(lines, start=1) if line.lstrip().startswith("#")]


def test_no_comment_quotes_a_measured_figure():
    files = [*(ROOT / "app").rglob("*.py"), *(ROOT / "devtools").rglob("*.py"),
             *(path for path in (ROOT / "deploy").rglob("*") if path.is_file() and path.suffix != ".md")]  # fmt: skip
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text.strip()}"
        for path in files
        if "migrations" not in path.parts
        for line, text in _comments(path)
        if MEASURED_FIGURE.search(text)
    ]
    assert not found, "\n".join(found)
