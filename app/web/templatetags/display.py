"""Display filters in the reader's language: `{{ name|country }}`, `{{ name|tournament }}`, `{{ x|percent }}`."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from app.football import localized_names

register = template.Library()


@register.filter
def country(name: str) -> str:
    """Countries and national teams (club names pass through unchanged)."""
    return localized_names.country_name(name)


@register.filter
def competition(name: str) -> str:
    return localized_names.competition_name(name)


@register.filter
def tournament(name: str) -> str:
    return localized_names.tournament_name(name)


@register.filter
def percent(value: float | int | None, decimals: int = 1) -> str:
    """`%83,9` in Turkish, `83.9%` in English; whole numbers without decimals (`%100`)."""
    return localized_names.format_percent(value, int(decimals))


# Languages that keep a noun singular after a number ("59.417 maç", not "59.417 maçlar").
SINGULAR_AFTER_NUMBERS = {"tr"}


@register.simple_tag
def count_noun(count: int, singular: str, plural: str) -> str:
    """`59.417 maç` in Turkish, `59,417 matches` in English: the number grouped as the language groups it."""
    language = (get_language() or "tr").split("-")[0]
    noun = singular if count == 1 or language in SINGULAR_AFTER_NUMBERS else plural
    return f"{number_format(count, use_l10n=True, force_grouping=True)} {noun}"
