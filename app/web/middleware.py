"""Requests whose address no page can mean are refused before any view reads them."""

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

# C0 and C1 control characters (NUL, ESC, DEL, …) and the replacement character that stands for
# bytes that were not UTF-8. No slug, season, id or search text contains one; PostgreSQL refuses a
# NUL in any text ("A string literal cannot contain NUL"), which made `?sezon=%00` a 500.
INVALID_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ufffd]")
INVALID_IN_VALUES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")  # a pasted line break is fine
# The admin's change and delete views look `?_to_field=` up as a field named "" and fail with a
# 500 (Django's own, for every ModelAdmin); the admin never sends it empty.
ADMIN_TO_FIELD = "_to_field"


class RejectInvalidInputMiddleware:
    """A 400 (the site's own page, in the reader's language) for control characters or broken
    UTF-8 in the path or in a query parameter's name or value, and for an empty `_to_field`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_invalid_input(request):
            raise BadRequest("control character, invalid UTF-8 or an empty _to_field in the address")
        return self.get_response(request)


def has_invalid_input(request: HttpRequest) -> bool:
    if INVALID_CHARACTERS.search(request.path) or request.GET.get(ADMIN_TO_FIELD) == "":
        return True
    return any(
        INVALID_CHARACTERS.search(name) or any(INVALID_IN_VALUES.search(value) for value in values)
        for name, values in request.GET.lists()
    )
