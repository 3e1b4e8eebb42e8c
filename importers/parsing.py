"""Cell parsers: one raw spreadsheet cell in, one typed value out, or a CellError saying what is wrong.

Dates follow the UK reading: ISO first (so 2024-04-03 is 3 April, never 4 March), then day/month/year, then
written-out dates such as '12 Sep 2023'. Excel serial numbers count from 30/12/1899.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ecf.domain.worker import AbsenceType, AsyeStatus, ContractType
from importers.fields import Kind, normalise_header

EXCEL_EPOCH = date(1899, 12, 30)
NULL_TOKENS = frozenset({"", "n/a", "na", "null", "none", "-", "--", "#n/a", "nil", "nan"})
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
DMY_PATTERN = _DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_HOURS = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)(?:\s*(?:/|per)\s*(?:w|wk|week))?$")
_FOUR_DIGITS = re.compile(r"\d{4}")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_TWO_DIGIT_YEAR_PIVOT = 70  # d/m/yy: 00-69 are 2000s, 70-99 are 1900s (the POSIX convention)
FTE_PLACES = Decimal("0.0001")
LARGEST_NUMBER = Decimal(10) ** 12  # no FTE, hours, count or amount comes near; 1e999999 must not reach int()


class CellError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        text = raw.strip()
        return not text or (len(text) <= 4 and text.lower() in NULL_TOKENS)
    return isinstance(raw, float) and raw != raw  # NaN


def cell_text(raw: Any) -> str:
    """A cell as a person would read it in the sheet, for the error report."""
    if raw is None:
        return ""
    if isinstance(raw, datetime):
        return raw.strftime("%d/%m/%Y %H:%M") if raw.time() != datetime.min.time() else raw.strftime("%d/%m/%Y")
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def parse_text(raw: Any) -> str:
    if isinstance(raw, str):
        text = raw.strip()
        return " ".join(text.split()) if "  " in text or "\t" in text or "\n" in text else text
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # an ID typed as a number: 4512.0 -> "4512"
    return " ".join(cell_text(raw).split())


def parse_date(raw: Any, month_first: bool = False) -> date:
    """`month_first`: d/m/y-shaped text is m/d/y (a column proven month-first, see importers.dates)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise CellError("invalid-date", f"'{raw}' is not a date")
    if isinstance(raw, int | float):
        return _from_serial(float(raw))
    text = str(raw).strip()
    if _SERIAL.match(text):
        return _from_serial(float(text))
    for pattern, order in ((_ISO, "ymd"), (_YMD_SLASH, "ymd"), (_DMY, "dmy")):
        match = pattern.match(text)
        if match:
            first, second, third = (int(part) for part in match.groups()[:3])
            if order == "ymd":
                return _real_date(text, first, second, third)
            year = third if len(match.group(3)) == 4 else _expand_year(third)
            return _real_date(text, year, first, second) if month_first else _real_date(text, year, second, first)
    return _written_date(text)


def _expand_year(two_digits: int) -> int:
    return (2000 if two_digits < _TWO_DIGIT_YEAR_PIVOT else 1900) + two_digits


def _real_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CellError("invalid-date", f"'{text}' is not a real date ({exc})") from exc


def _from_serial(serial: float) -> date:
    if not 1 <= serial < 2958466:
        raise CellError("invalid-date", f"{cell_text(serial)} is not an Excel date serial number")
    return EXCEL_EPOCH + timedelta(days=int(serial))


_DEFAULT_A = datetime(2001, 1, 1)
_DEFAULT_B = datetime(2002, 2, 2)


def _written_date(text: str) -> date:
    """'12 Sep 2023', '12-Sep-23', 'September 12, 2023'. A date missing its day or year is refused, not guessed."""
    # dateutil's parser loads here: a date typed as dd/mm/yyyy or ISO (every --as-of) never needs it
    from dateutil import parser as dateutil_parser

    try:
        first = dateutil_parser.parse(text, dayfirst=True, default=_DEFAULT_A)
        second = dateutil_parser.parse(text, dayfirst=True, default=_DEFAULT_B)
    except (ValueError, OverflowError) as exc:
        raise CellError("invalid-date", f"'{text}' is not a date (use dd/mm/yyyy)") from exc
    if first != second:
        raise CellError("invalid-date", f"'{text}' is not a full date (day, month and year are needed)")
    if not _FOUR_DIGITS.search(text):  # '12-Sep-70': the same fixed pivot as d/m/yy, never a window around today
        return first.date().replace(year=_expand_year(first.year % 100))
    return first.date()


def parse_money(raw: Any) -> Decimal:
    """An annual amount in pounds: 2000, '£2,000', '2000.50'; kept to the penny."""
    text = raw if isinstance(raw, int | float) and not isinstance(raw, bool) else str(raw).strip().lstrip("£")
    amount = _decimal(text, "invalid-number", "an amount in pounds")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError("invalid-number", f"'{raw}' has fractions of a penny")
    return amount.quantize(Decimal("0.01"))


def parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError("invalid-number", f"'{raw}' is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError("invalid-number", f"{raw} is not a whole number")
    text = str(raw).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError("invalid-number", f"'{text}' is not a whole number") from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError("invalid-number", f"'{text}' is not a whole number")
    if abs(number) >= LARGEST_NUMBER:
        raise CellError("invalid-number", f"'{text[:30]}' is far too large a number")
    return int(number)


def _decimal(raw: Any, code: str, what: str) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(code, f"'{raw}' is not {what}")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise CellError(code, f"'{raw}' is not {what}")
    if isinstance(raw, int | float):
        if abs(raw) >= LARGEST_NUMBER:
            raise CellError(code, f"'{cell_text(raw)[:30]}' is far too large for {what}")
        # repr of a float is the shortest text that round-trips: 0.6 stays 0.6, not 0.59999...
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    try:
        number = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise CellError(code, f"'{raw}' is not {what}") from exc
    if not number.is_finite():  # 'inf' and 'NaN' are valid Decimal text but no FTE or number of hours
        raise CellError(code, f"'{raw}' is not {what}")
    if abs(number) >= LARGEST_NUMBER:  # 1e30 would overflow rounding to the penny; 1e999999 spends minutes
        raise CellError(code, f"'{str(raw)[:30]}' is far too large for {what}")
    return number


def parse_fte(raw: Any, hours_per_week: Decimal) -> Decimal:
    """0.6, '60%' or '22.2 hours' (against the standard week) all mean 0.6 FTE."""
    if isinstance(raw, str):
        text = raw.strip().lower()
        if text.endswith("%"):
            return (_decimal(text[:-1], "invalid-fte", "an FTE") / 100).quantize(FTE_PLACES)
        match = _HOURS.match(text)
        if match:
            return (Decimal(match.group(1)) / hours_per_week).quantize(FTE_PLACES)
    return _decimal(raw, "invalid-fte", "an FTE (0.6, 60% or '22.2 hours')").quantize(FTE_PLACES)


def parse_hours(raw: Any, hours_per_week: Decimal) -> Decimal:
    """Weekly contracted hours, turned into FTE against the standard week."""
    text = raw.strip().lower() if isinstance(raw, str) else raw
    if isinstance(text, str):
        match = _HOURS.match(text)
        text = match.group(1) if match else text
    hours = _decimal(text, "invalid-number", "a number of hours")
    if not 0 < hours <= hours_per_week:
        raise CellError("hours-out-of-range", f"{cell_text(raw)} hours is outside (0, {hours_per_week}]")
    return (hours / hours_per_week).quantize(FTE_PLACES)


def parse_swe(raw: Any) -> str:
    return "".join(parse_text(raw).split()).upper()


def all_already_parsed(kind: Kind, raws: Collection[Any]) -> bool:
    """Whether the parser for `kind` would return every one of these cells unchanged: the usual case for ID, name and
    registration number columns. The cells are tested joined into one string, at C speed; False says nothing about
    any one cell."""
    if kind not in (Kind.TEXT, Kind.SWE) or not raws or set(map(type, raws)) != {str} or _any_null_token(raws):
        return False
    joined = "\x00".join(raws)
    if kind is Kind.SWE:
        return _NOT_SWE_CHARACTER.search(joined) is None
    # parse_text's own tests: nothing to strip, no doubled spaces, tabs or line breaks to fold.
    return "\x00".join(map(str.strip, raws)) == joined and not ("  " in joined or "\t" in joined or "\n" in joined)


def already_parsed(kind: Kind, raws: Iterable[Any]) -> list[Any]:
    """The cells the parser for `kind` would return unchanged, found with a regex or type test per cell instead of a
    parser call: most cells of a big sheet are already clean, and columns of unique values (IDs, registration
    numbers) give the parser no repeats to save work on."""
    if kind is Kind.TEXT:
        return [raw for raw in raws if type(raw) is str and _CLEAN_TEXT.fullmatch(raw) and not _is_null_token(raw)]
    if kind is Kind.SWE:
        return [raw for raw in raws if type(raw) is str and _CLEAN_SWE.fullmatch(raw) and not _is_null_token(raw)]
    if kind is Kind.DATE:
        return [raw for raw in raws if type(raw) is date]  # not a datetime: parse_date would drop its time
    return []


# Text a parser returns as it is: no space at either end, no doubled spaces, tabs or line breaks. SWE numbers: capital
# letters and digits only.
_CLEAN_TEXT = re.compile(r"\S+(?: \S+)*")
_CLEAN_SWE = re.compile(r"[A-Z0-9]+")
_NOT_SWE_CHARACTER = re.compile(r"[^A-Z0-9\x00]")


def _is_null_token(text: str) -> bool:
    """'N/A', 'nil', '-': blank, for a text with nothing to strip (is_blank's test)."""
    return len(text) <= 4 and text.lower() in NULL_TOKENS


def _any_null_token(texts: Iterable[str]) -> bool:
    """is_blank's token test over many texts with nothing to strip: only those of up to four characters can match."""
    return not NULL_TOKENS.isdisjoint(map(str.lower, [text for text in texts if len(text) <= 4]))


def _synonyms(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(word): value for value, words in table.items() for word in (value, *words)}


CONTRACT_WORDS = _synonyms(
    {
        ContractType.PERMANENT.value: ("perm", "p", "permanent contract", "established", "substantive", "employee"),
        ContractType.FIXED_TERM.value: (
            "fixed term",
            "fixed-term",
            "ftc",
            "fixed term contract",
            "temporary",
            "temp",
            "fixed",
            "ft contract",
        ),
        ContractType.AGENCY.value: (
            "agency",
            "locum",
            "agency worker",
            "agency locum",
            "interim",
            "agy",
            "agency/locum",
        ),
    }
)
ASYE_WORDS = _synonyms(
    {
        AsyeStatus.NOT_STARTED.value: ("not started", "not yet started", "pending", "due to start"),
        AsyeStatus.IN_PROGRESS.value: ("in progress", "ongoing", "current", "on asye", "started", "in asye"),
        AsyeStatus.PASSED.value: ("passed", "pass", "complete", "completed", "successful"),
        AsyeStatus.FAILED.value: ("failed", "fail", "unsuccessful"),
        AsyeStatus.EXTENDED.value: ("extended", "extension", "extended asye"),
        AsyeStatus.EXEMPT.value: ("exempt", "not required", "exemption", "not applicable"),
    }
)
ABSENCE_WORDS = _synonyms(
    {
        AbsenceType.MATERNITY.value: ("maternity", "maternity leave", "mat leave", "ml"),
        AbsenceType.PATERNITY.value: ("paternity", "paternity leave"),
        AbsenceType.ADOPTION.value: ("adoption", "adoption leave"),
        AbsenceType.SHARED_PARENTAL.value: ("shared parental", "shared parental leave", "spl", "parental leave"),
        AbsenceType.SICKNESS.value: (
            "sickness",
            "sick",
            "long term sickness",
            "long-term sickness",
            "lts",
            "sick leave",
            "illness",
        ),
        AbsenceType.BEREAVEMENT.value: ("bereavement", "bereavement leave", "compassionate leave"),
        AbsenceType.UNPAID.value: ("unpaid", "unpaid leave", "career break", "sabbatical"),
        AbsenceType.OTHER.value: ("other", "special leave", "secondment out"),
    }
)


YES_WORDS = frozenset(normalise_header(w) for w in ("yes", "y", "true", "1", "apprentice", "h", "x"))
NO_WORDS = frozenset(normalise_header(w) for w in ("no", "n", "false", "0", "a", "not apprentice"))


def parse_yes_no(raw: Any) -> bool:
    """Yes/no cells: Yes, Y, True, 1, X (a tick), or the NI category letter H; No, N, False, 0, A."""
    if isinstance(raw, bool):
        return raw
    word = normalise_header(parse_text(raw))
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise CellError("invalid-yes-no", f"'{parse_text(raw)}' is not yes or no")


def enum_parser(words: dict[str, str], code: str, what: str) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        value = words.get(normalise_header(parse_text(raw)))
        if value is None:
            allowed = ", ".join(sorted(set(words.values())))
            raise CellError(code, f"'{parse_text(raw)}' is not a known {what} ({allowed})")
        return value

    return parse


def parser_for(
    kind: Kind, hours_per_week: Decimal, value_map: dict[str, str] | None = None, month_first: bool = False
) -> Callable[[Any], Any]:
    """The parser for one column. A profile's own value words (e.g. 'AGY' -> agency) extend the built-in ones."""
    extra = value_map or {}
    if kind is Kind.DATE and month_first:
        return lambda raw: parse_date(raw, month_first=True)
    from importers.census_codes import census_parser  # census_codes imports this module

    census = census_parser(kind)
    if census is not None:
        return census
    simple: dict[Kind, Callable[[Any], Any]] = {
        Kind.TEXT: parse_text,
        Kind.DATE: parse_date,
        Kind.INT: parse_int,
        Kind.SWE: parse_swe,
        Kind.MONEY: parse_money,
        Kind.YES_NO: parse_yes_no,
    }
    if kind in simple:
        return simple[kind]
    if kind is Kind.FTE:
        return lambda raw: parse_fte(raw, hours_per_week)
    if kind is Kind.HOURS:
        return lambda raw: parse_hours(raw, hours_per_week)
    if kind is Kind.CONTRACT:
        return enum_parser({**CONTRACT_WORDS, **extra}, "unknown-contract-type", "contract type")
    if kind is Kind.ASYE_STATUS:
        return enum_parser({**ASYE_WORDS, **extra}, "unknown-asye-status", "ASYE status")
    return enum_parser({**ABSENCE_WORDS, **extra}, "unknown-absence-type", "absence type")
