"""Page set-up for the finance workbook: every sheet prints as finance would print it.

A4 landscape, one page wide (as many long as it takes), the heading rows repeated on every page, the print area the
sheet's data, and a footer with the sheet's name, the page number, the data's as-of date and, on a sheet holding
personal data, OFFICIAL-SENSITIVE (the Government Security Classification marking for personal information). Charts
sit whole on their own pages. Applied per sheet once the sheet is written, so the sheets' own code does not change.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

A4 = 9  # Excel's paper code
MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Print:
    heading_rows: tuple[int, int] | None = None  # repeated at the top of every page (0-based, first and last)
    personal: bool = False  # holds names or IDs: marked OFFICIAL-SENSITIVE
    page_breaks: tuple[int, ...] = ()  # rows that start a new page (charts)
    last_row: int | None = None  # the print area's last row and column, when the written cells do not say
    last_column: int | None = None
    area: bool = True  # False for a sheet whose rows are added after XlsxWriter closes it (Workers)


def footer_text(as_of: str, personal: bool) -> str:
    """Excel's footer codes: &A the sheet's name, &P the page, &N the pages; a literal & is doubled."""
    left = "&A" + (f" · {MARKING}" if personal else "")
    return f"&L{left}&C{('Data as of ' + as_of).replace('&', '&&')}&RPage &P of &N"


def set_up(sheet: Worksheet, as_of: str, layout: Print) -> None:
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide; as many pages long as the rows need
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer(footer_text(as_of, layout.personal))
    if layout.personal:
        sheet.set_header(f"&C{MARKING}")
    if layout.heading_rows is not None:
        sheet.repeat_rows(*layout.heading_rows)
    if layout.page_breaks:
        sheet.set_h_pagebreaks(list(layout.page_breaks))
    last_row, last_column = sheet.dim_rowmax, sheet.dim_colmax
    if layout.last_row is not None:
        last_row = max(last_row or 0, layout.last_row)
    if layout.last_column is not None:
        last_column = max(last_column or 0, layout.last_column)
    if layout.area and last_row is not None and last_column is not None:
        sheet.print_area(0, 0, last_row, last_column)
