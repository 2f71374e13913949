"""Every URL of the project × hostile input in each path part and query parameter: never a 5xx.

The patterns come from the resolver, so a page added later is fuzzed without editing this file.
"""

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from app.health import checks
from tests.factories import make_match

# Already percent-encoded, as a client sends them: `%FF` is a byte that is not UTF-8.
HOSTILE = [
    "%00", "a%00b", "%FF", "%C0%AF", "%01%1B%7F", "%0D%0ASet-Cookie:x=1", "%E2%80%AE%E2%80%8Fabc",
    "..%2F..%2Fetc%2Fpasswd", "../..", "x" * 3000, "%27%20OR%201%3D1--", "%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "99999999999999999999999999999", "-1", "-99999999999999999999", "2147483648", "1e309", "NaN", "0", "%20", "",
]  # fmt: skip
# The admin's pages are many and slow to render: a value of each kind there.
ADMIN_HOSTILE = ["%00", "%FF", "%E2%80%AE%E2%80%8Fabc", "..%2F..", "x" * 3000, "%27%20OR%201%3D1--", "-1", "1e309", ""]
# What the project's views and the admin read from the query string.
PARAMETERS = [
    "sezon", "takim", "baslangic", "bitis", "turnuva", "rakip", "once", "sonra", "kaynak",
    "competition", "season", "team", "date_from", "date_to", "download", "next",
    "q", "o", "p", "e", "all", "_changelist_filters", "_popup", "_to_field",
    "id__exact", "status__exact", "competition__id__exact", "season__id__exact", "date__gte", "date__day",
]  # fmt: skip
SKIPPED = {"i18n/setlang/"}  # a redirect by design; fuzzed separately is Django's own view


def _patterns(resolvers: list, prefix: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """(route template with {name} slots, {name: converter kind}) for every URL pattern."""
    for entry in resolvers:
        route, kinds = _template(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from (
                (prefix + route + sub, kinds | sub_kinds)
                for sub, sub_kinds in _patterns(entry.url_patterns)
                if route is not None
            )
        elif isinstance(entry, URLPattern) and route is not None:
            yield prefix + route, kinds


def _template(pattern) -> tuple[str | None, dict[str, str]]:
    if isinstance(pattern, RoutePattern):
        kinds: dict[str, str] = {}

        def slot(match: re.Match) -> str:
            kinds[match["name"]] = match["kind"] or "str"
            return "{" + match["name"] + "}"

        return re.sub(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>", slot, str(pattern._route)), kinds
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
        kinds = {}

        def group(match: re.Match) -> str:
            body = match["body"]
            kinds[match["name"]] = body.split("|")[0] if re.fullmatch(r"[\w|-]+", body) else "str"
            return "{" + match["name"] + "}"

        route = re.sub(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)", group, regex).replace("\\.", ".")
        return (None, {}) if re.search(r"[\\()\[\]*+?|^$]", route) else (route, kinds)
    return None, {}


def _sample(kind: str, name: str, samples: dict[str, str]) -> str:
    if name in samples:
        return samples[name]
    return {"int": "1", "slug": "x", "str": "1", "path": "1", "uuid": "00000000-0000-0000-0000-000000000000"}.get(
        kind, kind
    )


def _urls() -> list[tuple[str, dict[str, str]]]:
    return [(route, kinds) for route, kinds in _patterns(get_resolver().url_patterns) if route not in SKIPPED]


def _requests(samples: dict[str, str]) -> Iterator[str]:
    for route, kinds in _urls():
        values = {name: _sample(kind, name, samples) for name, kind in kinds.items()}
        plain = "/" + route.format(**values)
        for hostile in ADMIN_HOSTILE if route.startswith("admin/") else HOSTILE:
            for name in kinds:
                yield "/" + route.format(**(values | {name: hostile}))
            yield plain + "?" + "&".join(f"{parameter}={hostile}" for parameter in PARAMETERS)
            yield plain + f"?{hostile}=1"
        if not route.startswith("admin/"):  # one at a time too: a form refusing one hides the next
            for parameter in PARAMETERS[:16]:
                yield from (f"{plain}?{parameter}={hostile}" for hostile in HOSTILE)


@pytest.fixture
def samples(db) -> dict[str, str]:
    match = make_match()
    season = match.season
    return {
        "competition": season.competition.slug,
        "season": season.name,
        "slug": match.home_team.slug,
        "external_id": match.external_id,
        "object_id": str(match.pk),
    }


@pytest.fixture(autouse=True)
def _quick_health(monkeypatch):
    monkeypatch.setattr(checks, "run_checks", lambda **kwargs: checks.Health(checks={}))


def _server_errors(client, samples: dict[str, str]) -> list[tuple[str, int]]:
    client.raise_request_exception = False
    errors = []
    for url in _requests(samples):
        status = client.get(url).status_code
        if status >= 500:
            errors.append((url[:200], status))
    return errors


def test_the_url_patterns_are_all_found(db):
    routes = [route for route, _ in _urls()]
    assert "lig/{competition}/{season}/" in routes
    assert any(route.startswith("admin/football/match/") for route in routes)


@pytest.mark.django_db
def test_hostile_input_is_never_a_server_error_for_anonymous_visitors(client, samples):
    assert _server_errors(client, samples) == []


@pytest.mark.django_db
def test_hostile_input_is_never_a_server_error_for_staff(admin_client, samples):
    assert _server_errors(admin_client, samples) == []
