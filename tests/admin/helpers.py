"""Building upload files in memory."""

import io

from openpyxl import Workbook

UNIT_HEADER = ["code", "name", "kind", "parent_code", "headcount", "target_rate"]
USER_HEADER = ["full_name", "email", "phone", "unit_code", "role", "position", "group"]


def xlsx(header, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def csv_bytes(header, rows, encoding="utf-8-sig") -> io.BytesIO:
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode(encoding))
