"""Reading the XLSX exports back in tests: the table under each sheet's title block."""

import io

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def header_row(ws) -> int:
    """The row of the header: the last one above the frozen panes."""
    _, first_scrolling = coordinate_from_string(ws.freeze_panes)
    return first_scrolling - 1


def table(ws) -> list[list]:
    """The header row and the data rows under it, as lists of values."""
    return [list(r) for r in ws.iter_rows(min_row=header_row(ws), values_only=True)]


def title_block(ws) -> list[str]:
    """The lines above the header row (the sheet's title block), blanks left out."""
    rows = ws.iter_rows(max_row=header_row(ws) - 1, max_col=1, values_only=True)
    return [value for (value,) in rows if value]
