"""Writing XLSX exports, ready to read and print in Excel: one sheet per view.

Every sheet starts with a title block (what it is, for which contest, round or unit, and
when it was exported), then a bold header row that stays frozen on screen, carries an
auto-filter and repeats on every printed page; pages print landscape, fitted to the
width. Times are real Excel dates in Vietnam time; text is kept as text, never a formula.
"""

import io
import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .timeutil import to_local

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own codes for the way Vietnamese organizers write times and dates.
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
# Column widths, in characters, come from the header and the first rows.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60
DATETIME_WIDTH = 17


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


def excel_time(value: datetime) -> datetime:
    """A stored (UTC) time as Excel keeps it: naive, in Vietnam time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return to_local(value).replace(tzinfo=None, microsecond=0)


def _cell(ws, value):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=excel_time(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    # A string such as "=HYPERLINK(...)" from a user must never become a formula.
    elif isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
    return cell


def _width(value) -> int:
    if isinstance(value, datetime):
        return DATETIME_WIDTH
    if value is None:
        return 0
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _title_block(title: str, heading: Sequence[tuple[str, object]], now: datetime) -> list[str]:
    lines = [title]
    for label, value in heading:
        if value not in (None, ""):
            lines.append(f"{label}: {value}")
    exported = excel_time(now).strftime("%d/%m/%Y %H:%M")
    lines.append(_("Thời điểm xuất: %(time)s", time=exported))
    return lines


def workbook_bytes(
    sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]],
    *,
    heading: Sequence[tuple[str, object]] = (),
    now: datetime | None = None,
    locale: str | None = None,
) -> bytes:
    """An XLSX file with a sheet per (title → (headers, rows)).

    `heading` holds the (label, value) lines of each sheet's title block, e.g.
    ("Hội thi", title), ("Đợt thi", round title); empty values are left out. The block
    ends with the export time (`now`, the current time when not given), its label in
    `locale` when given (the results workbook stays Vietnamese), else the reader's language.
    """
    if locale is not None:
        with force_locale(locale):
            return workbook_bytes(sheets, heading=heading, now=now)
    now = now or datetime.now(UTC)
    wb = Workbook(write_only=True)
    bold, big = Font(bold=True), Font(bold=True, size=14)
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, (headers, rows) in sheets.items():
        ws = wb.create_sheet(title[:31])
        block = _title_block(title, heading, now)
        header_row = len(block) + 2  # one blank row between the block and the header
        rows = iter(rows)
        sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
        # Everything before the first row is written once: widths, frozen panes, page.
        for index, header in enumerate(headers, start=1):
            cells = (_width(r[index - 1]) for r in sample if len(r) >= index)
            widest = max(_width(header), *cells, 0)
            width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"A{header_row + 1}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = f"{header_row}:{header_row}"
        for number, line in enumerate(block):
            c = _cell(ws, line)
            c.font = big if number == 0 else bold
            ws.append([c])
        ws.append([])
        header = []
        for h in headers:
            c = _cell(ws, h)
            c.font = bold
            c.alignment = wrap
            header.append(c)
        ws.append(header)
        last_row = header_row
        for row in itertools.chain(sample, rows):
            ws.append([_cell(ws, v) for v in row])
            last_row += 1
        last_column = get_column_letter(max(len(headers), 1))
        ws.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
