"""Country, national-team and tournament names in the reader's language.

Stored names stay as their source spelled them (the international results use English names);
only their display is translated. Countries come from Babel's territory names (CLDR), which
are kept up to date by the Unicode consortium; football has a few teams that are not
territories (England, Scotland…) and historical states, listed here once. Tournaments are
composed from the words in `tournament_names.py` (see there), countries inside them from CLDR.
"""

from __future__ import annotations

import functools
import re

from babel import Locale
from django.utils.formats import number_format
from django.utils.translation import get_language

from app.football import tournament_names as names

# Spellings of the shipped data (and of football-data.org) that differ from CLDR's English name.
COUNTRY_ALIASES: dict[str, str] = {
    "Burma": "MM", "Myanmar": "MM", "Congo": "CG", "Congo-Kinshasa": "CD", "DR Congo": "CD", "Zaïre": "CD",
    "Czech Republic": "CZ", "Hong Kong": "HK", "Ivory Coast": "CI", "Macau": "MO", "Palestine": "PS",
    "Republic of Ireland": "IE", "Swaziland": "SZ", "Turkey": "TR", "United States Virgin Islands": "VI",
    "Wallis Islands and Futuna": "WF", "Saint Barthélemy": "BL", "Saint Helena": "SH", "Saint Martin": "MF",
    "Saint Pierre and Miquelon": "PM", "Saint Kitts and Nevis": "KN", "Saint Lucia": "LC",
    "Saint Vincent and the Grenadines": "VC", "São Tomé and Príncipe": "ST", "Trinidad and Tobago": "TT",
    "Turks and Caicos Islands": "TC", "Antigua and Barbuda": "AG", "Bosnia and Herzegovina": "BA",
    "USA": "US", "Korea Republic": "KR", "Korea DPR": "KP", "China PR": "CN", "IR Iran": "IR",
}  # fmt: skip

# Where football (and the Turkish sports press) uses a shorter name than CLDR: (Turkish, English) by code.
FOOTBALL_TERRITORY_NAMES: dict[str, tuple[str, str]] = {
    "US": ("ABD", "United States"),
    "CD": ("Demokratik Kongo", "DR Congo"),
    "CG": ("Kongo", "Congo"),
    "CI": ("Fildişi Sahili", "Ivory Coast"),
    "HK": ("Hong Kong", "Hong Kong"),
    "MO": ("Makao", "Macau"),
    "PS": ("Filistin", "Palestine"),
    "MM": ("Myanmar", "Myanmar"),
    "CZ": ("Çekya", "Czech Republic"),
    "BA": ("Bosna-Hersek", "Bosnia and Herzegovina"),
    "AG": ("Antigua ve Barbuda", "Antigua and Barbuda"),
    "KN": ("Saint Kitts ve Nevis", "Saint Kitts and Nevis"),
    "TT": ("Trinidad ve Tobago", "Trinidad and Tobago"),
}

# Football-only teams and historical states: (Turkish, English) by the stored name.
FOOTBALL_NAMES: dict[str, tuple[str, str]] = {
    "England": ("İngiltere", "England"),
    "Scotland": ("İskoçya", "Scotland"),
    "Wales": ("Galler", "Wales"),
    "Northern Ireland": ("Kuzey İrlanda", "Northern Ireland"),
    "Kosovo": ("Kosova", "Kosovo"),
    "Northern Cyprus": ("Kuzey Kıbrıs", "Northern Cyprus"),
    "Soviet Union": ("Sovyetler Birliği", "Soviet Union"),
    "Yugoslavia": ("Yugoslavya", "Yugoslavia"),
    "FR Yugoslavia": ("Yugoslavya Federal Cumhuriyeti", "FR Yugoslavia"),
    "Serbia and Montenegro": ("Sırbistan-Karadağ", "Serbia and Montenegro"),
    "Czechoslovakia": ("Çekoslovakya", "Czechoslovakia"),
    "German DR": ("Doğu Almanya", "East Germany"),
    "Saarland": ("Saarland", "Saarland"),
    "Bohemia": ("Bohemya", "Bohemia"),
    "Bohemia and Moravia": ("Bohemya ve Moravya", "Bohemia and Moravia"),
    "Irish Free State": ("İrlanda Özgür Devleti", "Irish Free State"),
    "Éire": ("İrlanda", "Éire"),
    "United Arab Republic": ("Birleşik Arap Cumhuriyeti", "United Arab Republic"),
    "North Vietnam": ("Kuzey Vietnam", "North Vietnam"),
    "Vietnam Republic": ("Güney Vietnam", "South Vietnam"),
    "Yemen AR": ("Kuzey Yemen", "North Yemen"),
    "Yemen DPR": ("Güney Yemen", "South Yemen"),
    "South Yemen": ("Güney Yemen", "South Yemen"),
    "Ceylon": ("Seylan", "Ceylon"),
    "Dahomey": ("Dahomey", "Dahomey"),
    "Gold Coast": ("Altın Sahili", "Gold Coast"),
    "Upper Volta": ("Yukarı Volta", "Upper Volta"),
    "Belgian Congo": ("Belçika Kongosu", "Belgian Congo"),
    "British Guiana": ("İngiliz Guyanası", "British Guiana"),
    "Dutch Guyana": ("Hollanda Guyanası", "Dutch Guiana"),
    "French Somaliland": ("Fransız Somalisi", "French Somaliland"),
    "Portuguese Guinea": ("Portekiz Ginesi", "Portuguese Guinea"),
    "Northern Rhodesia": ("Kuzey Rodezya", "Northern Rhodesia"),
    "Southern Rhodesia": ("Güney Rodezya", "Southern Rhodesia"),
    "Tanganyika": ("Tanganika", "Tanganyika"),
    "Zanzibar": ("Zanzibar", "Zanzibar"),
    "Malaya": ("Malaya", "Malaya"),
    "Western Samoa": ("Batı Samoa", "Western Samoa"),
    "New Hebrides": ("Yeni Hebridler", "New Hebrides"),
    "Mandatory Palestine": ("Manda Filistini", "Mandatory Palestine"),
    "Manchukuo": ("Mançukuo", "Manchukuo"),
    "Tahiti": ("Tahiti", "Tahiti"),
    "Basque Country": ("Bask Bölgesi", "Basque Country"),
    "Catalonia": ("Katalonya", "Catalonia"),
    "Galicia": ("Galiçya", "Galicia"),
    "Corsica": ("Korsika", "Corsica"),
    "Kurdistan": ("Kürdistan", "Kurdistan"),
    "Iraqi Kurdistan": ("Irak Kürdistanı", "Iraqi Kurdistan"),
    "Crimea": ("Kırım", "Crimea"),
    "Abkhazia": ("Abhazya", "Abkhazia"),
    "South Ossetia": ("Güney Osetya", "South Ossetia"),
    "Tibet": ("Tibet", "Tibet"),
    "Somaliland": ("Somaliland", "Somaliland"),
}

# Competitions whose stored (Turkish) name is a description rather than a proper name.
COMPETITION_NAMES_EN: dict[str, str] = {"Uluslararası Maçlar": "International matches"}


def _normalise(name: str) -> str:
    return name.replace(" & ", " and ").replace("St. ", "Saint ").strip()


@functools.cache
def _territory_codes() -> dict[str, str]:
    """Stored country name → ISO code, from CLDR's English and Turkish names and the aliases."""
    codes: dict[str, str] = {}
    for language in ("en", "tr"):
        for code, name in Locale.parse(language).territories.items():
            if code.isalpha():  # "150" and the like are regions, not countries
                codes.setdefault(_normalise(name), code)
    codes.update(COUNTRY_ALIASES)
    return codes


@functools.cache
def _territory_names(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def _language() -> str:
    return "tr" if (get_language() or "tr").startswith("tr") else "en"


@functools.cache
def _country_in(name: str, language: str) -> str:
    if name in FOOTBALL_NAMES:
        turkish, english = FOOTBALL_NAMES[name]
        return turkish if language == "tr" else english
    code = _territory_codes().get(_normalise(name))
    if code in FOOTBALL_TERRITORY_NAMES:
        turkish, english = FOOTBALL_TERRITORY_NAMES[code]
        return turkish if language == "tr" else english
    return _territory_names(language).get(code, name) if code else name


def displayed_country_names(name: str) -> tuple[str, str]:
    """The Turkish and English names the site shows for a stored country or national team."""
    return _country_in(name, "tr"), _country_in(name, "en")


def country_name(name: str) -> str:
    """A country or national team in the active language: `Turkey` → `Türkiye`, `England` → `İngiltere`."""
    return _country_in(name, _language()) if name else name


_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")


def _is_code(word: str) -> bool:
    """Acronyms and numbers stay as they are: FIFA, CONIFA, ConIFA, SKN, 100."""
    return word.isdigit() or sum(ch.isupper() for ch in word) >= 2


def _tournament_word(phrase: str) -> str | None:
    """One word or phrase before the head in Turkish, or None when no table knows it."""
    if phrase in names.WORDS:
        return names.WORDS[phrase]
    if phrase in FOOTBALL_NAMES or _normalise(phrase) in _territory_codes():
        return _country_in(phrase, "tr")  # before the acronyms: USA → ABD
    if phrase in names.PROPER_WORDS or (" " not in phrase and _is_code(phrase)):
        return phrase
    if ordinal := _ORDINAL.fullmatch(phrase):
        return f"{ordinal.group(1)}."  # 75th → 75.
    return None


def _composed(name: str) -> str | None:
    """`<modifier…> <head>` word by word, longest phrase first; None when a word is unknown."""
    *words, head = name.split()
    if not words or head not in names.HEADS:
        return None
    turkish, start = [], 0
    while start < len(words):
        for end in range(len(words), start, -1):
            word = _tournament_word(" ".join(words[start:end]))
            if word is not None:
                turkish.append(word)
                start = end
                break
        else:
            return None
    return " ".join([*turkish, names.HEADS[head]])


@functools.cache
def _tournament_in(name: str, language: str) -> str:
    if language != "tr" or name in names.PROPER_TOURNAMENTS:
        return name
    if name in names.TOURNAMENTS:
        return names.TOURNAMENTS[name]
    base, _, stage = name.rpartition(" ")
    if base and stage == names.QUALIFICATION:
        turkish = _tournament_in(base, language)
        known = turkish != base or base in names.PROPER_TOURNAMENTS
        return f"{turkish} {names.QUALIFICATION_TR}" if known else name
    return _composed(name) or name


def tournament_name(name: str) -> str:
    """A tournament in the active language: `FIFA World Cup qualification` → `FIFA Dünya Kupası elemeleri`."""
    return _tournament_in(name, _language()) if name else name


def competition_name(name: str) -> str:
    """`Uluslararası Maçlar` → `International matches` in English; proper names (Süper Lig) stay."""
    return name if _language() == "tr" else COMPETITION_NAMES_EN.get(name, name)


_SORT_FOLD = str.maketrans({"ç": "c~", "ğ": "g~", "ı": "h~", "ö": "o~", "ş": "s~", "ü": "u~"})


def sort_key(name: str) -> str:
    """Alphabetical order of the Turkish alphabet (Ç after C, İ with I…), good enough for lists."""
    return re.sub(r"\s+", " ", name.replace("İ", "i").lower().translate(_SORT_FOLD))


def format_percent(value: float | int | None, decimals: int = 1) -> str:
    """`%83,9` in Turkish (the sign goes first), `83.9%` in English; `%100` without decimals."""
    if value is None or value == "":
        return "–"
    number = round(float(value), decimals)
    text = number_format(int(number) if number == int(number) else number, use_l10n=True)
    return f"%{text}" if _language() == "tr" else f"{text}%"
