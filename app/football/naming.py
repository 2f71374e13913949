"""Spelling-insensitive team keys and stable match ids; no database access here."""

import functools
import hashlib
import re
import unicodedata
from datetime import date

from django.utils.text import slugify

_TURKISH_ASCII = str.maketrans({"ı": "i", "İ": "i", "ş": "s", "Ş": "s", "ğ": "g", "Ğ": "g", "ç": "c",
                                "Ç": "c", "ö": "o", "Ö": "o", "ü": "u", "Ü": "u"})  # fmt: skip
_NON_WORD = re.compile(r"[\W_]+")


# Cached: bulk imports ask for the same few hundred team names tens of thousands of times.
@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Spelling-insensitive key of a team name: `Beşiktaş`, `BESIKTAS` and `besiktas` agree."""
    text = unicodedata.normalize("NFKD", name.translate(_TURKISH_ASCII))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", text).strip()


def stable_external_id(match_date: date, home: str, away: str, occurrence: int = 1) -> str:
    """A deterministic match id from date and teams, for sources that have no id of their own.

    Built from the team *keys*, so re-importing under another spelling gives the same id.
    `occurrence` tells apart the rare real double-header (same teams, same day) in one source.
    """
    raw = f"{match_date.isoformat()}|{name_key(home)}|{name_key(away)}"
    digest = "m-" + hashlib.sha1(raw.encode()).hexdigest()[:20]
    return digest if occurrence == 1 else f"{digest}-{occurrence}"


def team_slug(name: str) -> str:
    return slugify(name.translate(_TURKISH_ASCII))[:120] or "takim"
