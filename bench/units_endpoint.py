"""Time GET /api/v1/rounds/<id>/units on national-size data, through the Flask test client.

Build the data first (bench/data.py: 10,000 units, 1,000,000 people and attempts), then:
    make bench-data
    .venv/bin/python -m bench.units_endpoint [postgresql://quiz:quiz@127.0.0.1/quiz_bench_data]
The endpoint reads the kept aggregates (unit_round_stat), never the attempts; the attempts are
there so the tables have their size. Query, ORM and JSON only: no network, no gunicorn (for
those, bench/load.py).
"""

import statistics
import sys
import time

from bench.data import DEFAULT_URL
from quiz import create_app
from quiz.extensions import db


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(
        {"ENVIRON": {"APP_ENV": "test"}, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}
    )
    client = app.test_client()
    for label, path in [
        ("all units", "/api/v1/rounds/1/units"),
        ("communes (kind=commune)", "/api/v1/rounds/1/units?kind=commune"),
        ("children of one district", "/api/v1/rounds/1/units?parent=D2"),
    ]:
        timings = []
        for i in range(6):
            t = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - t
            if response.status_code != 200:
                raise SystemExit(response.text[:200])
            if i:  # the first request also builds the registered roll-up cache
                timings.append(elapsed)
            else:
                first = elapsed
        rows = len(response.json["units"])
        print(
            f"{label}: {rows:,} rows; first request {first * 1000:.0f} ms "
            f"(includes the 60 s registered-people cache), then median "
            f"{statistics.median(timings) * 1000:.0f} ms"
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
