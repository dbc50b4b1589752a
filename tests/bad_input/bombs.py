"""Workbooks that are small on disk and huge (or many-membered) once unzipped."""

import io
import zipfile

from openpyxl import Workbook


def workbook(header, rows=()) -> bytes:
    wb = Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_member(data: bytes, name: str, content: bytes, copies: int = 1) -> bytes:
    """The workbook with `content` (deflated) added under `name` (`copies` times)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        for n in range(copies):
            member = name if copies == 1 else f"{name}.{n}"
            dst.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def shared_strings_bomb(header, rows=(), strings: int = 300_000) -> bytes:
    """A shared-strings table of `strings` tiny entries: a few KB on disk that openpyxl
    parses in full before reading a row, as in the 87 KB file that took 27 s of CPU."""
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    sst += b"<si><t>a</t></si>" * strings + b"</sst>"
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST}"/></Types>'
    data = workbook(header, rows)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", override.encode())
            dst.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        dst.writestr("xl/sharedStrings.xml", sst, zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def sheet_bomb(header, rows=(), megabytes: int = 8) -> bytes:
    """A sheet with one cell of `megabytes` MB of one letter: a few KB on disk."""
    big = b'<row r="999"><c r="A999" t="inlineStr"><is><t>'
    big += b"a" * (megabytes * 2**20) + b"</t></is></c></row></sheetData>"
    data = workbook(header, rows)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", big)
            dst.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()
