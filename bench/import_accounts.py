"""Time the account import of a 50,000-row XLSX into a fresh database, phase by phase.

Run from the project root:
    .venv/bin/python -m bench.import_accounts [ROWS] [DATABASE_URL]
Without DATABASE_URL a temporary SQLite file is used. It times the path the background job
(and `users import`) takes: read and validate the file, create the accounts (generated
passwords, one-time hash, bulk insert, one transaction), write the credentials XLSX.
The figures go into docs/benchmarks.md.
"""

import io
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook

from question_bank.tabular import fold
from quiz import create_app
from quiz.admin import services
from quiz.extensions import db
from quiz.models import Unit
from quiz.unit_tree import recompute_paths

UNITS = 300


def people_xlsx(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tài khoản")
    ws.append(["full_name", "email", "phone", "unit_code", "role", "position", "group"])
    for i in range(rows):
        email = f"canbo{i}@tinh.gov.vn" if i % 2 else ""
        phone = "" if i % 2 else f"09{i:08d}"
        ws.append(
            [f"Nguyễn Văn Thử {i}", email, phone, f"B{i % UNITS}", "", "Chuyên viên", "staff"]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def units(now: datetime) -> None:
    root = Unit(code="BENCH", name="Tỉnh Thử", name_search="tinh thu", kind="province")
    db.session.add(root)
    db.session.flush()
    for i in range(UNITS):
        name = f"Xã Thử {i}"
        db.session.add(
            Unit(code=f"B{i}", name=name, name_search=fold(name), kind="commune", parent=root)
        )
    db.session.flush()
    recompute_paths()
    db.session.commit()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app(
            {"ENVIRON": {"APP_ENV": "test"}, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}
        )
        started = time.perf_counter()
        data = people_xlsx(rows)
        print(
            f"file: {rows} rows, {len(data) / 1e6:.1f} MB ({time.perf_counter() - started:.1f} s)"
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            now = datetime.now(UTC)
            units(now)
            t0 = time.perf_counter()
            result = services.read_people_file(data, "bench.xlsx")
            t1 = time.perf_counter()
            if not result.ok:
                raise SystemExit(f"unexpected problems: {result.problems[:3]}")
            created = services.import_people(result.records, actor=None, now=now)
            t2 = time.perf_counter()
            out = services.credentials_xlsx(created)
            t3 = time.perf_counter()
            db.session.remove()
            db.engine.dispose()
        print(f"database: {url.split(':')[0]}")
        print(f"read and validate: {t1 - t0:.1f} s")
        print(f"create accounts:   {t2 - t1:.1f} s")
        print(f"credentials XLSX:  {t3 - t2:.1f} s ({len(out) / 1e6:.1f} MB)")
        print(f"total:             {t3 - t0:.1f} s for {len(created)} accounts")


if __name__ == "__main__":
    main()
