"""English is a complete translation: every catalogue compiles and has no untranslated or fuzzy entry."""

import subprocess
from pathlib import Path

import pytest

CATALOGUES = sorted((Path(__file__).resolve().parent.parent / "app").glob("**/locale/en/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_an_english_catalogue():
    assert any("football" in str(path) for path in CATALOGUES)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.parts[-5]))
def test_english_catalogue_is_complete(catalogue: Path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
