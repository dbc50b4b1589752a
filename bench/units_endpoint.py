"""Time GET /api/v1/rounds/<id>/units with 10,000 units, 1,000,000 people and attempts.

PostgreSQL only (the scale target). Run from the project root:
    .venv/bin/python -m bench.units_endpoint postgresql+psycopg://quiz:quiz@127.0.0.1/quiz_test
It drops and recreates the schema of that database. The endpoint reads the kept aggregates
(unit_round_stat), never the attempts; the attempts are there so the tables have their size.
"""

import statistics
import sys
import time

from quiz import create_app
from quiz.extensions import db

UNITS = 10_000
PEOPLE = 1_000_000

SETUP = f"""
INSERT INTO unit (id, code, name, name_search, kind, parent_id, path, depth, headcount,
                  created_at, updated_at)
SELECT 1, 'P', 'Tỉnh Thử', 'tinh thu', 'province', NULL, '1/', 0, NULL, now(), now();
INSERT INTO unit (id, code, name, name_search, kind, parent_id, path, depth, headcount,
                  created_at, updated_at)
SELECT i, 'D' || i, 'Huyện ' || i, 'huyen ' || i, 'district', 1, '1/' || i || '/', 1, 2000,
       now(), now()
FROM generate_series(2, 101) AS i;
INSERT INTO unit (id, code, name, name_search, kind, parent_id, path, depth, headcount,
                  created_at, updated_at)
SELECT i, 'X' || i, 'Xã ' || i, 'xa ' || i, 'commune', 2 + (i % 100),
       '1/' || (2 + (i % 100)) || '/' || i || '/', 2, 100 + i % 50, now(), now()
FROM generate_series(102, {UNITS}) AS i;
SELECT setval(pg_get_serial_sequence('unit', 'id'), {UNITS});
INSERT INTO bank (id, name, is_public, revision, created_at) VALUES (1, 'B', false, 0, now());
INSERT INTO contest (id, slug, title, rules, created_at) VALUES (1, 'c', 'C', '', now());
INSERT INTO round (id, contest_id, title, opens_at, closes_at, allow_staff, allow_citizen,
    bank_id, question_count, time_limit_seconds, attempts_allowed, shuffle_questions,
    shuffle_choices, prediction, grace_seconds, review_policy, prize_counts, unit_prize_count,
    unit_min_rate, created_at)
VALUES (1, 1, 'R', now() - interval '1 day', now() + interval '1 day', true, true, 1, 20, 900,
    1, true, true, 'none', 10, 'after_close', '{{}}', 0, 0, now());
INSERT INTO user_account (id, full_name, name_search, email, password_hash, unit_id, role,
    participant_group, is_organizer_staff, must_change_password, active, created_at,
    password_changed_at)
SELECT i, 'Người ' || i, 'nguoi ' || i, 'u' || i || '@example.vn', 'x', 102 + i % ({UNITS} - 101),
       'contestant', 'staff', false, false, true, now(), now()
FROM generate_series(1, {PEOPLE}) AS i;
INSERT INTO attempt (user_id, round_id, number, unit_id, participant_group, status, started_at,
    deadline_at, submitted_at, question_count, correct_count, duration_ms)
SELECT i, 1, 1, 102 + i % ({UNITS} - 101), 'staff', 'submitted', now(), now(), now(), 20,
       i % 21, 60000 + i % 500000
FROM generate_series(1, {PEOPLE}) AS i;
INSERT INTO unit_round_stat (unit_id, round_id, participants, score_sum, perfect)
SELECT u.id, 1, count(a.id), coalesce(sum(a.correct_count), 0), 0
FROM unit u JOIN unit leaf ON leaf.path LIKE u.path || '%'
JOIN attempt a ON a.unit_id = leaf.id
GROUP BY u.id;
ANALYZE;
"""  # noqa: S608 - built from the constants above, no outside input


def main() -> None:
    url = sys.argv[1]
    app = create_app(
        {"ENVIRON": {"APP_ENV": "test"}, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}
    )
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.create_all()
        started = time.perf_counter()
        with db.engine.begin() as conn:
            for statement in SETUP.split(";\n"):
                if statement.strip():
                    conn.exec_driver_sql(statement.replace("%", "%%"))  # psycopg placeholders
        print(
            f"generated {UNITS:,} units, {PEOPLE:,} people and attempts in "
            f"{time.perf_counter() - started:.0f} s"
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
