"""Every human listing as people read it: at 80 columns and piped, no number, date or ID is split across lines or
shortened; and text from files, the database or a rules file is shown as text (no markup obeyed, no escape
sequence passed to the terminal)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import HEADERS, SAMPLE, worker, write_csv, write_xlsx
from rich.cells import cell_len
from typer.testing import CliRunner

from ecf.cli.main import app, hoisted

MONTHS = sorted((SAMPLE / "monthly").glob("northmoor_hr_????-??-??.xlsx"))
AS_OF = ["--as-of", "30/11/2026"]
# Every listing a person reads, with the options that make it show rows on the sample council.
LISTINGS = [
    ["workers"], ["workers", "--all"], ["imports"], ["findings"], ["changes", "--since", "01/09/2026"],
    ["milestones", *AS_OF], ["milestones", "--status", "due,overdue", *AS_OF], ["stages", *AS_OF],
    ["stages", "--stage", "pre-ASYE", *AS_OF], ["cohorts", *AS_OF], ["cohorts", "--by", "team", *AS_OF],
    ["indicators", "--by-team", *AS_OF], ["indicators", "--trend"], ["grants", *AS_OF], ["frameworks"],
    ["worker", "006516", *AS_OF], ["project", "--years", "5", "--compare", "retention", *AS_OF],
    ["project", "--years", "2", "--by", "team", *AS_OF], ["project", "--years", "2", "--sensitivity", *AS_OF],
    ["payscale", "list"], ["payscale", "show", "njc"],
    ["scenario", "list"], ["profile", "list"], ["info"], ["rules", "show"],
]  # fmt: skip
BROKEN = [
    re.compile(r"(?<![\d/])\d{1,2}/\d{2}/\d{0,3}$"),  # a date cut at the line's end
    re.compile(r"£[\d,]*,$"),  # money cut after a thousands comma
]


def run(db: str, *args: str) -> str:
    done = CliRunner().invoke(app, hoisted(["--db", db, *args]))  # as `ecf` does: --wide after the command too
    assert done.exit_code == 0, (args, done.output, done.exception)
    return done.output


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('tables') / 'ecf.sqlite3'}"
    run(db, "import", *map(str, MONTHS))
    run(db, "rules", "set", str(SAMPLE / "northmoor_rules.toml"))
    return db


def test_no_value_is_split_or_shortened_at_80_columns_piped(sample_db):
    for args in LISTINGS:
        for width in ([], ["--width", "80"]):
            out = run(sample_db, *width, *args)
            for line in out.splitlines():
                assert cell_len(line) <= 80, (args, line)
                for pattern in BROKEN:
                    assert not pattern.search(line.strip()), (args, line)
    # The values themselves, whole: every employee ID and due date of the milestones listing; every total.
    listing = run(sample_db, "milestones", "--status", "due,overdue", *AS_OF)
    for row in json.loads(run(sample_db, "milestones", "--status", "due,overdue", *AS_OF, "--format", "json")):
        assert row["employee_id"] in listing
        assert date.fromisoformat(row["due_date"]).strftime("%d/%m/%Y") in listing
    projection = run(sample_db, "project", "--years", "5", *AS_OF)
    totals = json.loads(run(sample_db, "project", "--years", "5", *AS_OF, "--format", "json", "--by", "financial_year"))
    for row in totals:
        assert f"£{round(row['total']):,}" in projection


def test_a_narrow_table_names_what_it_left_out_and_wide_shows_it(sample_db):
    narrow = run(sample_db, "workers", "--width", "60")
    assert "Not shown at 60 columns" in narrow and "--wide" in narrow
    wide = run(sample_db, "--wide", "workers")
    assert "Not shown" not in wide and "Contract" in wide and "Grade" in wide


def test_headers_and_values_in_words_and_options_take_them(sample_db):
    out = run(sample_db, "--wide", "imports")
    assert "Rows rejected" in out and "rows_rejected" not in out
    stages = run(sample_db, "stages", "--stage", "pre-ASYE", *AS_OF)
    assert "pre-ASYE" in stages and "pre_asye" not in stages
    assert run(sample_db, "stages", "--stage", "pre_asye", *AS_OF) == stages
    words = run(sample_db, "milestones", "--status", "Not applicable", *AS_OF, "--format", "json")
    assert json.loads(words) and {m["status"] for m in json.loads(words)} == {"not_applicable"}
    assert run(sample_db, "project", "--by", "financial year", "--years", "1", *AS_OF).count("baseline") == 2
    ratios = json.loads(run(sample_db, "indicators", *AS_OF, "--format", "json"))
    assert isinstance(ratios[0]["turnover"], float) and 0 < ratios[0]["turnover"] < 1  # 0.123, not "12.3%"


HOSTILE = [
    "[/]", "[link=http://evil]click[/link]", "[bold]loud", "\x1b[2J\x1b[H", "\x1b]0;pwned\x07",
    "\x1b]52;c;ZXZpbA==\x07", "\x9b31m", "\ufffe", "\uffff", "\u202eevil",
]  # fmt: skip
TEXT_FIELDS = ["Surname", "Forename", "Team", "Role", "Grade", "Leaving Reason"]


def importable(n: int) -> str:
    """The import refuses control characters and non-characters in cells (issue 13): those are planted in the
    database afterwards (`plant`), as data that came some other way (an older version, a direct edit)."""
    return HOSTILE[n] if HOSTILE[n].isprintable() else f"PLANT{n}:"


def plant(db: str) -> None:
    import sqlite3

    with sqlite3.connect(db.removeprefix("sqlite:///")) as connection:
        for n, text in enumerate(HOSTILE):
            for column in ("surname", "forename", "team", "role", "grade", "line_manager"):
                connection.execute(f"UPDATE worker_snapshots SET {column} = REPLACE({column}, ?, ?)",
                                   (f"PLANT{n}:", text))  # fmt: skip


def hostile_rows() -> list[dict[str, object]]:
    rows = []
    for n in range(len(HOSTILE)):
        fields = {name: f"{importable(n)}{name[:3]}{n}" for name in TEXT_FIELDS}
        fields["Leaving Reason"] = None
        rows.append(worker(f"{n + 101:06d}", **fields))
    return rows


def test_every_listing_shows_markup_and_escape_sequences_as_text(tmp_path):
    db = f"sqlite:///{tmp_path / 'ecf.sqlite3'}"
    headers = [*HEADERS, "Line Manager"]
    rows = hostile_rows()
    for n, row in enumerate(rows):
        row["Line Manager"] = importable(n) + "Boss"
    name = "hr_[b]x[red]_\x1b[2J_2026-09-30.csv"  # csv: an xlsx writer would itself escape the controls
    done = run(db, "import", str(write_csv(tmp_path / name, rows, headers=headers)))
    assert "\x1b" not in done and "[b]x[red]" in done
    later = [*rows, worker("000999", Surname="[/][link=http://evil]New")]
    run(db, "import", str(write_xlsx(tmp_path / "hr_[red]_2026-10-31.xlsx", later, headers=headers)))
    plant(db)
    rules = (
        (SAMPLE / "northmoor_rules.toml")
        .read_text()
        .replace('name = "Northmoor (sample council)"', 'name = "[/]\\u001b[2J[link=http://evil]Council[/link]"')
    )
    (tmp_path / "rules.toml").write_text(rules)
    run(db, "rules", "set", str(tmp_path / "rules.toml"))
    seen = ""
    listings = [args for args in LISTINGS if "006516" not in args]
    for args in [*listings, ["worker", "000101", *AS_OF], ["worker", "000102", *AS_OF], ["--wide", "workers"],
                 ["changes"], ["findings", "1"]]:  # fmt: skip
        out = run(db, *args)
        for bad in ("\x1b", "\x07", "\x9b", "\ufffe", "\uffff", "\u202e"):
            assert bad not in out, (args, bad, out[:400])
        seen += out
    assert "[/]Sur0" in seen and "[link=http://evil]click[/link]" in seen and "[bold]loud" in seen
    assert "[/]Council" in run(db, "--wide", "frameworks") or "[/]" in run(db, "rules", "show")
    assert "hr_[red]_2026-10-31.xlsx" in run(db, "--wide", "imports")


def test_a_national_sensitivity_keeps_each_assumption_readable_at_80_columns(sample_db, monkeypatch):
    """A national workforce's effects are hundreds of millions: the assumptions' names wrap at their spaces beside
    them, never cut to a few letters ("Agen…" was all that showed of "Agency charge rates")."""
    from decimal import Decimal

    from ecf.services import comparison
    from payscales.sensitivity import STEPS, Effect, Sensitivity

    effects = [
        Effect(step, "19.8%", "18.8%", "20.8%", Decimal(0), Decimal(0), Decimal(-1_353_858_707 + n),
               Decimal(1_445_123_348 - n))
        for n, step in enumerate(STEPS)
    ]  # fmt: skip
    found = Sensitivity("baseline", 10, date(2026, 11, 30), Decimal("25815286095"), effects)
    monkeypatch.setattr(comparison, "sensitivity", lambda *args, **kwargs: found)
    out = run(sample_db, "--width", "80", "project", "--years", "10", "--sensitivity", *AS_OF)
    lines = out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines) and "…" not in out
    for step in STEPS:  # every word of every name whole, in the assumption column
        assert all(re.search(rf"(^| ){re.escape(word)}( |$)", out, re.M) for word in step.label.split()), step.label
    assert out.count("-£1,353,858,707") == 1 and out.count("£1,445,123,348") == 1
