"""A council's CSWW census return (the XML it submitted to the DfE) read as a sheet: one row per CSWWWorker, one
column per census item, for the `csww` mapping profile to map like any other export. The items and the reference day
are the census specification's (ecf/census/spec/csww_YYYY.toml), the same the return is written from."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importers.readers import RawTable, UnreadableFile

if TYPE_CHECKING:
    from ecf.census.spec import CensusSpec

SHEET = "CSWWWorker"


def _spec(year: int | None = None) -> CensusSpec:
    """The census specification of `year` if there is one, else the newest (loaded only when a return is read)."""
    from ecf.census.spec import available_years, latest_spec, load_spec

    return load_spec(year) if year in available_years() else latest_spec()


def worker_items() -> tuple[str, ...]:
    """The worker items in schema order (liiatools social_work_workforce_2022.xsd, `workertype`)."""
    return tuple(_spec().item_names)


def _parse(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: cannot be read ({exc})") from exc
    return parse_return(data, path.name)


def parse_return(data: bytes, name: str) -> Any:
    """The return's root element. The one reader of census XML: `ecf import` and `ecf census --previous` both."""
    from xml.etree import ElementTree

    # A return is plain data: a DOCTYPE (entities that expand or reach out) has no place in one, so none is read.
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise UnreadableFile(f"{name}: the XML declares a DOCTYPE or entities, which a census return never has")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise UnreadableFile(f"{name}: not well-formed XML ({exc})") from exc


def collection_year(root: Any) -> int | None:
    """Header/CollectionDetails/Year of a parsed return."""
    details = next((e for e in root.iter() if _local(e.tag) == "CollectionDetails"), None)
    year = _child_text(details, "Year") if details is not None else None
    return int(year) if year and year.isdigit() else None


def worker_rows(root: Any) -> list[dict[str, str | None]]:
    """Each CSWWWorker of a parsed return (the root must be a Message) as its items by name."""
    items = worker_items()
    return [{item: _child_text(e, item) for item in items} for e in root if _local(e.tag) == SHEET]


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child_text(element: Any, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def reference_date(path: Path) -> date | None:
    """The return's reference date (Header/CollectionDetails/ReferenceDate), else 30 September of its Year."""
    root = _parse(path)
    details = next((e for e in root.iter() if _local(e.tag) == "CollectionDetails"), None)
    if details is None:
        return None
    stated = _child_text(details, "ReferenceDate")
    if stated:
        try:
            return date.fromisoformat(stated)
        except ValueError as exc:
            raise UnreadableFile(f"{path.name}: ReferenceDate '{stated}' is not a date (YYYY-MM-DD)") from exc
    year = _child_text(details, "Year")
    if not (year and year.isdigit()):
        return None
    day = _spec(int(year)).reference_date  # the point-in-time items are "at 30 September"
    return date(int(year), day.month, day.day)


def read_census(path: Path) -> RawTable:
    """Each CSWWWorker as a row of its items (the first, for items that may repeat). Row N is the Nth worker."""
    root = _parse(path)
    if _local(root.tag) != "Message":
        raise UnreadableFile(f"{path.name}: not a CSWW census return (the root element is '{_local(root.tag)}')")
    workers = [e for e in root if _local(e.tag) == SHEET]
    if not workers:
        raise UnreadableFile(f"{path.name}: the census return has no CSWWWorker records")
    items = worker_items()
    rows: list[list[Any]] = [[found[item] for item in items] for found in worker_rows(root)]
    return RawTable(path, SHEET, 0, list(items), rows, 1)
