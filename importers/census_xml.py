"""A council's CSWW census return (the XML it submitted to the DfE) read as a sheet: one row per CSWWWorker, one
column per census item, for the `csww` mapping profile to map like any other export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from importers.readers import RawTable, UnreadableFile

# The worker items in schema order (liiatools social_work_workforce_2022.xsd, `workertype`).
WORKER_ITEMS = (
    "AgencyWorker", "SWENo", "FTE", "PersonBirthDate", "GenderCurrent", "Ethnicity", "QualInst", "QualLevel",
    "StepUpGrad", "OrgRole", "RoleStartDate", "StartOrigin", "RoleEndDate", "LeaverDestination", "ReasonLeave",
    "FTE30", "Cases30", "WorkingDaysLost", "ContractWeeks", "FrontlineGrad", "Absat30Sept", "ReasonAbsence",
    "CFKSSstatus",
)  # fmt: skip
SHEET = "CSWWWorker"
CENSUS_DAY = (9, 30)  # the census's point-in-time items are "at 30 September"


def _parse(path: Path) -> Any:
    from xml.etree import ElementTree

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: cannot be read ({exc})") from exc
    # A return is plain data: a DOCTYPE (entities that expand or reach out) has no place in one, so none is read.
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise UnreadableFile(f"{path.name}: the XML declares a DOCTYPE or entities, which a census return never has")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise UnreadableFile(f"{path.name}: not well-formed XML ({exc})") from exc


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
    return date(int(year), *CENSUS_DAY) if year and year.isdigit() else None


def read_census(path: Path) -> RawTable:
    """Each CSWWWorker as a row of its items (the first, for items that may repeat). Row N is the Nth worker."""
    root = _parse(path)
    if _local(root.tag) != "Message":
        raise UnreadableFile(f"{path.name}: not a CSWW census return (the root element is '{_local(root.tag)}')")
    workers = [e for e in root if _local(e.tag) == SHEET]
    if not workers:
        raise UnreadableFile(f"{path.name}: the census return has no CSWWWorker records")
    rows: list[list[Any]] = [[_child_text(worker, item) for item in WORKER_ITEMS] for worker in workers]
    return RawTable(path, SHEET, 0, list(WORKER_ITEMS), rows, 1)
