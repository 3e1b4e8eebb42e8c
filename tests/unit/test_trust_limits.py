"""Rules and pay files trusted only so far: files they name stay in their folder, numbers have ranges, nesting and
size are bounded. Values from HR files are values: within what storage holds, no control or non-characters."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ecf.rules.loader import RulesError, load_rulebook
from importers.issues import Issue
from importers.parsing import CellError, parse_fte, parse_int, parse_money
from payscales.loader import PayDataError, load_paybook

SOURCE = '[add.source]\ntitle = "County pay policy"\nconfidence = "local"\n'


def pay_file(folder: Path, salaries: str) -> Path:
    path = folder / "pay.toml"
    path.write_text(
        f'[[add]]\nkind = "scale"\nid = "county"\nname = "County scale"\nsalaries = "{salaries}"\n{SOURCE}',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.csv", "sub/../../outside.csv", "~/pay.csv"])
def test_a_pay_file_cannot_read_outside_its_folder(tmp_path: Path, name: str) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "outside.csv").write_text("point,2025/26\n1,30000\n", encoding="utf-8")
    with pytest.raises(PayDataError, match=r"same folder|outside"):
        load_paybook(pay_file(inner, name))


def test_a_link_out_of_the_folder_is_refused_too(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "secret.csv").write_text("point,2025/26\n1,30000\n", encoding="utf-8")
    (inner / "county.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(PayDataError, match="outside the pay file's folder"):
        load_paybook(pay_file(inner, "county.csv"))


def test_a_salary_beyond_reason_is_refused(tmp_path: Path) -> None:
    (tmp_path / "county.csv").write_text("point,2025/26\n1,1e308\n", encoding="utf-8")
    with pytest.raises(PayDataError, match=r"line 2, 2025/26: a salary must be above zero and at most £1,000,000"):
        load_paybook(pay_file(tmp_path, "county.csv"))


@pytest.mark.parametrize("value", ["-44", "1e308"])
def test_an_establishment_outside_its_range_is_refused(value: str) -> None:
    with pytest.raises(RulesError, match="establishment_fte"):
        load_rulebook(f'[council.establishment_fte]\n"Child Protection" = "{value}"\n')


def test_a_hazard_multiplier_of_1e30_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pay.toml"
    path.write_text('[overrides.baseline.hazard_multipliers]\nasye = "1e30"\n', encoding="utf-8")
    with pytest.raises(PayDataError, match="hazard_multipliers"):
        load_paybook(path)


def test_a_deeply_nested_rules_file_is_one_line_not_a_recursion_error() -> None:
    with pytest.raises(RulesError, match="nested more than"):
        load_rulebook("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(RulesError, match="nested more than"):
        load_rulebook("[council]\nx = " + "[" * 30 + "1" + "]" * 30 + "\n")


def test_a_huge_rules_file_is_refused_before_parsing() -> None:
    with pytest.raises(RulesError, match="over the limit"):
        load_rulebook("# " + "x" * (2 * 1024 * 1024) + "\n")


@pytest.mark.parametrize("text", ["1e30", "1e999999", "-1e30", "99999999999999"])
def test_numbers_far_too_large_are_cell_errors_quickly(text: str) -> None:
    for parse in (lambda raw: parse_fte(raw, Decimal(37)), parse_money, parse_int):
        with pytest.raises(CellError, match=r"far too large|not a whole number"):
            parse(text)
    with pytest.raises(CellError):
        parse_fte(1e30, Decimal(37))


def test_findings_show_long_values_shortened() -> None:
    issue = Issue("text-too-long", "too long", 2, "Surname", "S" * 5_000_000)
    assert issue.value is not None and len(issue.value) < 120 and issue.value.endswith("(5,000,000 characters)")


def test_an_ods_file_is_read_in_a_worker_process_with_a_memory_limit(tmp_path: Path) -> None:
    from importers.readers import UnreadableFile, read_table
    from tests.hostile.generate import GOOD, HEADERS, ods_row, ods_under_the_readers_own_cap, raw_ods

    table = read_table(raw_ods(tmp_path / "hr.ods", [ods_row(HEADERS), ods_row(GOOD)]))
    assert table.sheet == "Staff" and table.headers == HEADERS and table.rows == [GOOD]
    with pytest.raises(UnreadableFile, match=r"needs more than [\d,]+ MB of memory|cells"):
        read_table(ods_under_the_readers_own_cap(tmp_path))
