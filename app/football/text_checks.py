"""What text may be stored as a name, whichever source it came from (an Excel cell, an API payload)."""

import re

# Control characters (C0, DEL, C1 — NUL and the ESC of terminal sequences among them), bidi
# controls and zero-width characters: invisible in a spreadsheet, harmful on a page or in a file.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# A name starting with one of these is a formula in a spreadsheet that opens our export.
FORMULA_START = ("=", "+", "-", "@")


def text_problem(value: str, *, max_length: int, name: bool = False) -> str | None:
    """Why this text cannot be stored (a short reason for a log or a failure record), or None.

    Control characters (tab, CR and LF aside: they are whitespace), bidi and zero-width marks, more
    than `max_length` characters; for a `name` (a team, a scorer) also a formula's first character.
    """
    bad = INVISIBLE.search(value)
    if bad:
        return f"U+{ord(bad.group()):04X}"
    if len(value) > max_length:
        return f"{len(value)} > {max_length}"
    if name and value.startswith(FORMULA_START):
        return f"{value[:1]!r}…"
    return None
