"""Time `bank import` of a 10,000-question XLSX into a fresh database, with peak memory.

Run from the project root:
    .venv/bin/python -m bench.import_bank [COUNT] [DATABASE_URL]
Without DATABASE_URL a temporary SQLite file is used. The figures go into docs/benchmarks.md.
"""

import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from bench.read_questions import write_bank
from quiz import create_app
from quiz.bank import services
from quiz.extensions import db


def run(url: str, data: bytes, name: str, *, trace: bool):
    """One import into a fresh schema: (seconds, traced peak bytes, counts)."""
    app = create_app(
        {"ENVIRON": {"APP_ENV": "test"}, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        _bank, result, counts = services.import_file(
            "Bench", data, name, actor=None, now=datetime.now(UTC)
        )
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        if counts is None:
            raise SystemExit(f"unexpected problems: {result.problems[:3]}")
        db.drop_all()
        db.engine.dispose()
    return elapsed, peak, counts


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.xlsx"
        write_bank(path, count)
        data = path.read_bytes()
        url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tmp}/bench.sqlite3"
        # Timed without tracemalloc (it slows Python down); memory measured in a second run.
        elapsed, _, counts = run(url, data, path.name, trace=False)
        _, peak, _ = run(url, data, path.name, trace=True)
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dialect = url.split(":", 1)[0]
    print(f"database: {dialect}; questions: {sum(counts.values()):,}; file: {len(data):,} bytes")
    rate = count / elapsed
    print(f"import (read, validate, insert, commit): {elapsed:.2f} s, {rate:,.0f} rows/s")
    print(f"peak Python memory (tracemalloc): {peak / 2**20:.1f} MiB; max RSS {maxrss_mb:.0f} MiB")


if __name__ == "__main__":
    main()
