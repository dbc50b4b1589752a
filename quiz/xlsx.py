"""Writing XLSX exports: one sheet per view, a bold header row, text kept as text."""

import io
from collections.abc import Iterable, Sequence

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, filename: str, mimetype: str = XLSX_MIMETYPE) -> Response:
    """A download: the file's bytes with its name, saved rather than shown."""
    # A mimetype naming its charset is the whole header: as `mimetype`, Werkzeug would
    # add "; charset=utf-8" to a text type a second time.
    typed = {"content_type": mimetype} if "charset=" in mimetype else {"mimetype": mimetype}
    return Response(
        data,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        **typed,
    )


def _cell(ws, value):
    cell = WriteOnlyCell(ws, value=value)
    # A string such as "=HYPERLINK(...)" from a user must never become a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
    return cell


def workbook_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """An XLSX file with a sheet per (title → (headers, rows))."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, (headers, rows) in sheets.items():
        ws = wb.create_sheet(title[:31])
        header = []
        for h in headers:
            c = _cell(ws, h)
            c.font = bold
            header.append(c)
        ws.append(header)
        for row in rows:
            ws.append([_cell(ws, v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
