"""Time GET /api/v1/rounds/<id>/units on national-size data, through the Flask test client.

Build the data first (bench/data.py: 10,000 units, 1,000,000 people and attempts), then:
    make bench-data
    .venv/bin/python -m bench.units_endpoint [postgresql://quiz:quiz@127.0.0.1/quiz_bench_data]
The endpoint reads the kept aggregates (unit_round_stat, unit_registered), never the attempts or
the accounts, and serves a per-worker copy while the figures' versions stay the same; the
attempts are there so the tables have their size. Prints the first request, warm requests, and
the first request after a change. Query and JSON only: no network, no gunicorn (for those,
bench/load.py).
"""

import statistics
import sys
import time

from sqlalchemy import text

from bench.data import DEFAULT_URL
from quiz import create_app
from quiz.extensions import db


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(
        {
            "ENVIRON": {"APP_ENV": "test"},
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            # Rebuild as soon as a figure changes: what the first request after a change costs.
            "FIGURE_REBUILD_SECONDS": 0,
        }
    )
    client = app.test_client()
    for label, path in [
        ("all units", "/api/v1/rounds/1/units"),
        ("communes (kind=commune)", "/api/v1/rounds/1/units?kind=commune"),
        ("children of one district", "/api/v1/rounds/1/units?parent=D2"),
    ]:
        first = timed(client, path)[0]
        warm = [timed(client, path)[0] for _ in range(200)]
        with app.app_context():
            # A submission elsewhere in the country: one aggregate row changes (its trigger
            # moves the round's version), so the next request rebuilds.
            db.session.execute(
                text(
                    "UPDATE unit_round_stat SET participants = participants "
                    "WHERE round_id = 1 AND unit_id = (SELECT min(unit_id) FROM unit_round_stat)"
                )
            )
            db.session.commit()
        after_change, rows = timed(client, path)
        print(
            f"{label}: {rows:,} rows; first request {first * 1000:.0f} ms; warm median "
            f"{statistics.median(warm) * 1000:.2f} ms ({len(warm) / sum(warm):,.0f} req/s in one "
            f"process); first request after a change {after_change * 1000:.0f} ms"
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def timed(client, path: str) -> tuple[float, int]:
    t = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - t
    if response.status_code != 200:
        raise SystemExit(response.text[:200])
    return elapsed, len(response.json["units"])


if __name__ == "__main__":
    main()
