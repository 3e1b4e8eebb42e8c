"""Who a rejected row is, and who has really gone: the rules that keep a row HR must fix from becoming a leaver, and
the guard that stops a short file from emptying a month. Pure: records in, decisions out."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ecf.domain.worker import WorkerRecord


@dataclass(frozen=True)
class RowClues:
    """What a rejected row still tells about whose it is, read leniently from its cells."""

    row: int
    employee_id: str | None  # None: blank or unreadable
    duplicated: bool  # the ID is on more than one row of the file
    swe_number: str | None = None
    surname: str | None = None
    forename: str | None = None
    date_qualified: date | None = None


@dataclass
class Carried:
    """Workers of the previous snapshot a rejected row stands for, by employee ID -> the row, and how each was found."""

    by_id: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)  # by SWE number, or surname + forename + date qualified
    unmatched_rows: list[int] = field(default_factory=list)  # blank or duplicated IDs that matched no one

    @property
    def workers(self) -> dict[str, int]:
        return {**self.by_id, **self.matched}


def carry_rejected(
    clues: Iterable[RowClues], previous: Mapping[str, WorkerRecord], accepted: Collection[str]
) -> Carried:
    """A rejected row with a readable ID of its own keeps that worker. One whose ID is blank or shared with another
    row is matched by SWE number, or else by surname + forename + date qualified, to a worker of the previous
    snapshot not otherwise present; a shared ID that matches no one falls back to that ID's worker if still free."""
    carried = Carried()
    taken = set(accepted)
    unclear: list[RowClues] = []
    for clue in clues:
        if clue.employee_id is None or clue.duplicated:
            unclear.append(clue)
        elif clue.employee_id in previous and clue.employee_id not in taken:
            carried.by_id[clue.employee_id] = clue.row
            taken.add(clue.employee_id)
    by_swe = {_key(r.swe_number): e for e, r in previous.items() if r.swe_number}
    by_name = {_name_key(r.surname, r.forename, r.date_qualified): e for e, r in previous.items()}
    fallback: list[RowClues] = []
    for clue in unclear:
        candidates = [by_swe.get(_key(clue.swe_number)) if clue.swe_number else None]
        if clue.surname and clue.date_qualified:
            candidates.append(by_name.get(_name_key(clue.surname, clue.forename, clue.date_qualified)))
        found = next((c for c in candidates if c is not None and c not in taken), None)
        if found is None:
            fallback.append(clue)
            continue
        carried.matched[found] = clue.row
        taken.add(found)
    for clue in fallback:
        if clue.employee_id is not None and clue.employee_id in previous and clue.employee_id not in taken:
            carried.by_id[clue.employee_id] = clue.row
            taken.add(clue.employee_id)
        carried.unmatched_rows.append(clue.row)
    return carried


def _key(text: str | None) -> str:
    return "".join((text or "").split()).upper()


def _name_key(surname: str | None, forename: str | None, qualified: date | None) -> tuple[str, str, date | None]:
    return (" ".join((surname or "").split()).casefold(), " ".join((forename or "").split()).casefold(), qualified)


@dataclass(frozen=True)
class Shrinkage:
    """How many of the previous snapshot's workers in post vanish from a file without a leaving date."""

    as_of: date  # the snapshot compared with
    in_post: int
    vanished: tuple[str, ...]

    def exceeds(self, share: Decimal) -> bool:
        return bool(self.vanished) and Decimal(len(self.vanished)) > share * self.in_post

    @property
    def share(self) -> Decimal:
        return Decimal(len(self.vanished)) / self.in_post if self.in_post else Decimal(0)


def shrinkage(previous: Mapping[str, WorkerRecord], as_of: date, present: Collection[str]) -> Shrinkage:
    """Workers in post on `as_of` in `previous` (no leaving date, or one after it) missing from `present`, with no
    leaving date given."""
    in_post = [e for e, r in previous.items() if r.leaving_date is None or r.leaving_date > as_of]
    vanished = tuple(sorted(e for e in in_post if e not in present and previous[e].leaving_date is None))
    return Shrinkage(as_of, len(in_post), vanished)
