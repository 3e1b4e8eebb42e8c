"""Cell parsers for the census items: each reads the census code, its label or a common spelling, and returns the
census code. A value that cannot be read is a warning (the census check lists it as missing), never an error: the
monthly import is not held up by a census item. Messages about date of birth, gender and ethnicity never repeat the
value (special-category data)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from importers.fields import Kind, normalise_header
from importers.parsing import CellError, parse_date, parse_text

SENSITIVE_KINDS = frozenset({Kind.BIRTH_DATE, Kind.GENDER, Kind.ETHNICITY})
CENSUS_KINDS = frozenset(
    {
        *SENSITIVE_KINDS,
        Kind.QUAL_LEVEL,
        Kind.CENSUS_FLAG,
        Kind.START_ORIGIN,
        Kind.LEAVER_DESTINATION,
        Kind.CENSUS_ABSENCE,
    }
)
_ITEM = {
    Kind.GENDER: "GenderCurrent",
    Kind.ETHNICITY: "Ethnicity",
    Kind.QUAL_LEVEL: "QualLevel",
    Kind.START_ORIGIN: "StartOrigin",
    Kind.LEAVER_DESTINATION: "LeaverDestination",
    Kind.CENSUS_ABSENCE: "ReasonAbsence",
}
_WHAT = {
    Kind.GENDER: "gender",
    Kind.ETHNICITY: "ethnicity",
    Kind.QUAL_LEVEL: "qualification level",
    Kind.CENSUS_FLAG: "yes/no flag",
    Kind.START_ORIGIN: "start origin",
    Kind.LEAVER_DESTINATION: "leaver destination",
    Kind.CENSUS_ABSENCE: "reason for absence",
}
# Common spellings beyond each code and its label.
SYNONYMS: dict[Kind, dict[str, tuple[str, ...]]] = {
    Kind.GENDER: {
        "0": ("unknown", "not recorded", "u"),
        "1": ("m", "man", "male"),
        "2": ("f", "woman", "female"),
        "9": ("prefer not to say", "not stated", "non-binary", "nonbinary", "other", "x", "indeterminate"),
    },
    Kind.ETHNICITY: {
        "WBRI": ("british", "english", "english welsh scottish northern irish british", "white english"),
        "WIRI": ("irish",),
        "WOTH": ("other white", "gypsy or irish traveller", "roma", "white other", "any other white"),
        "MWBC": ("white black caribbean",),
        "MWBA": ("white black african",),
        "MWAS": ("white asian",),
        "MOTH": ("other mixed", "mixed other", "any other mixed or multiple ethnic background", "mixed"),
        "AIND": ("indian",),
        "APKN": ("pakistani",),
        "ABAN": ("bangladeshi",),
        "AOTH": ("other asian", "asian other", "any other asian"),
        "BCRB": ("caribbean",),
        "BAFR": ("african",),
        "BOTH": ("other black", "black other", "any other black african or caribbean background"),
        "CHNE": ("chinese",),
        "OOTH": ("other", "arab", "any other ethnic group", "other ethnic group"),
        "REFU": ("prefer not to say", "refused", "not stated", "declined", "information refused"),
        "NOBT": ("not known", "unknown", "not obtained", "not yet obtained", "not recorded"),
    },
    Kind.QUAL_LEVEL: {
        "1": ("undergraduate", "ug", "ba", "bsc", "bachelor", "bachelors", "degree", "first degree"),
        "2": ("postgraduate", "pg", "ma", "msc", "masters", "pgdip", "postgraduate diploma"),
        "3": ("other", "dipsw", "cqsw", "diploma"),
    },
    Kind.START_ORIGIN: {
        "1": ("nqsw", "newly qualified social worker", "newly qualified", "asye"),
        "2": ("another local authority", "other local authority", "other la", "la in england"),
        "4": ("agency", "agency social work", "consultancy"),
        "9": ("not known", "unknown"),
    },
    Kind.LEAVER_DESTINATION: {
        "1": ("another local authority", "other local authority", "other la"),
        "3": ("agency", "agency social work", "consultancy"),
        "8": ("not known", "unknown"),
    },
    Kind.CENSUS_ABSENCE: {
        "MAT": ("maternity", "paternity", "maternity leave", "paternity leave", "adoption", "shared parental"),
        "SIC": ("sick", "sickness", "sick leave", "illness"),
        "TRN": ("training", "study leave"),
        "UNP": ("unpaid", "unpaid leave", "career break"),
        "UNA": ("unauthorised", "awol"),
        "PUB": ("public duties", "jury service", "jury duty"),
        "OTH": ("other", "compassionate", "bereavement", "special leave"),
    },
}
_ETHNIC_GROUP_PREFIXES = (
    "asian or asian british", "black african caribbean or black british", "black or black british",
    "mixed or multiple ethnic groups", "mixed", "white", "asian", "black", "other ethnic group",
)  # fmt: skip
_YES_NO = {"1": ("yes", "y", "true", "1"), "0": ("no", "n", "false", "0")}


def census_parser(kind: Kind) -> Callable[[Any], Any] | None:
    """The parser of a census item's column, or None if `kind` is not a census item."""
    if kind is Kind.BIRTH_DATE:
        return _parse_birth_date
    if kind is Kind.CENSUS_FLAG:
        return _code_parser(kind, _words(_YES_NO))
    if kind in _ITEM:
        return _code_parser(kind, _code_words(kind))
    return None


def _parse_birth_date(raw: Any) -> Any:
    try:
        return parse_date(raw)
    except CellError:
        raise CellError("invalid-census-value", "date of birth not readable; left blank (value not shown)") from None


def _code_parser(kind: Kind, words: dict[str, str]) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = normalise_header(parse_text(raw))
        code = words.get(text)
        if code is None and kind is Kind.ETHNICITY:
            code = next((words[rest] for rest in _without_group(text) if rest in words), None)
        if code is None:
            shown = "(value not shown)" if kind in SENSITIVE_KINDS else f"'{parse_text(raw)}'"
            raise CellError("invalid-census-value", f"{_WHAT[kind]} {shown} not recognised; left blank")
        return code

    return parse


def _without_group(text: str) -> list[str]:
    """'Asian or Asian British: Indian' -> 'indian': the ethnic group written before the ethnicity."""
    return [text[len(p) :] for p in map(normalise_header, _ETHNIC_GROUP_PREFIXES) if text.startswith(p) and text != p]


@cache
def _code_words(kind: Kind) -> dict[str, str]:
    from ecf.census.spec import latest_spec  # the code sets are the census specification's: loaded when first needed

    codes = latest_spec().codes[_ITEM[kind]]
    table: dict[str, tuple[str, ...]] = {code: (label,) for code, label in codes.items()}
    for code, words in SYNONYMS.get(kind, {}).items():
        table[code] = (*table.get(code, ()), *words)
    return _words(table)


def _words(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    found = {normalise_header(word): code for code, words in table.items() for word in words}
    found.update({normalise_header(code): code for code in table})  # the code itself always wins
    return found
