"""The Sensitivity sheet: each main assumption moved down and up one at a time, ranked by its effect on the total, and
a tornado chart of those effects. The effects are live formulas (total if moved less the scenario's total)."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from payscales.sensitivity import Sensitivity

SHEET = "Sensitivity"
HEADINGS = ("Rank", "Assumption", "Step", "Value", "Low", "High", "Total if low", "Total if high", "Effect if low",
            "Effect if high", "Swing")  # fmt: skip
WIDTHS = (6, 30, 44, 10, 10, 10, 15, 15, 14, 14, 14)
FIRST = 4  # the first effect's row (0-based); the total is in B3


def write_sensitivity(workbook: Workbook, sheet: Worksheet, result: Sensitivity) -> None:
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 16})
    heading = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = workbook.add_format({"num_format": "£#,##0"})
    sheet.write_string(0, 0, f"Sensitivity of {result.scenario}: total cost over {result.years} years from "
                             f"{result.as_of:%d/%m/%Y}, each assumption moved one at a time", title)  # fmt: skip
    sheet.write_string(2, 0, "Total", bold)
    sheet.write_number(2, 1, float(result.total), money)
    for col, (name, width) in enumerate(zip(HEADINGS, WIDTHS, strict=True)):
        sheet.write_string(FIRST - 1, col, name, heading)
        sheet.set_column(col, col, width)
    for offset, effect in enumerate(result.effects):
        row = FIRST + offset
        excel = row + 1
        sheet.write_number(row, 0, offset + 1)
        for col, text in enumerate((effect.step.label, effect.step.note, effect.base, effect.low, effect.high), 1):
            sheet.write_string(row, col, text)
        sheet.write_number(row, 6, float(effect.total_low), money)
        sheet.write_number(row, 7, float(effect.total_high), money)
        sheet.write_formula(row, 8, f"=G{excel}-$B$3", money, float(effect.effect_low))
        sheet.write_formula(row, 9, f"=H{excel}-$B$3", money, float(effect.effect_high))
        sheet.write_formula(row, 10, f"=ABS(J{excel}-I{excel})", money, float(effect.swing))
    last = FIRST + len(result.effects) - 1
    chart = workbook.add_chart({"type": "bar"})
    for col, name in ((8, "Assumption moved down"), (9, "Assumption moved up")):
        chart.add_series({
            "name": name, "categories": [SHEET, FIRST, 1, last, 1], "values": [SHEET, FIRST, col, last, col],
            "overlap": 100, "gap": 40,
        })  # fmt: skip
    chart.set_title({"name": "Tornado: change in the total cost"})
    chart.set_x_axis({"num_format": "£#,##0"})
    chart.set_y_axis({"reverse": True, "label_position": "low"})  # the largest effect at the top, labels left
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(FIRST + len(result.effects) + 2, 1, chart, {"x_scale": 1.8, "y_scale": 1.3})
    sheet.freeze_panes(FIRST, 0)
