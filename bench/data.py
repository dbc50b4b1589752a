"""National-size data for the benchmarks: units, accounts, submitted attempts, aggregates.

    .venv/bin/python -m bench.data                       # 10,000 units, 1,000,000 of each
    .venv/bin/python -m bench.data --people 20000 --answers 10
    .venv/bin/python -m bench.data --url sqlite:///instance/bench.sqlite3 --people 50000

Bulk inserts, never the web flow: PostgreSQL COPY, SQLite executemany. It drops and recreates
the schema of the database it is given, so it refuses a database without "bench" in its name.
One province, a hundredth of the units as districts, the rest communes; every person has a
submitted attempt in one round (closed, results not published), and, with --answers N, its N
attempt_question rows with the chosen choice (the score agrees with them). The aggregates
(unit_round_stat, unit_contest_stat, round_score_stat, round_day_stat) are tallied from the
generated attempts, so they hold exactly what the app would have kept. Every account shares one
real password hash of PASSWORD, so a load run can log them in.
"""

import argparse
import random
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from question_bank.questions import QuestionRecord
from question_bank.tabular import fold
from quiz import create_app
from quiz.bank import services as bank_services
from quiz.extensions import db
from quiz.models import (
    Attempt,
    AttemptQuestion,
    Choice,
    Contest,
    Question,
    Round,
    RoundDayStat,
    RoundScoreStat,
    Unit,
    UnitContestStat,
    UnitRoundStat,
    User,
)
from quiz.timeutil import to_local

PASSWORD = "bench-mat-khau-1"  # noqa: S105 - throwaway accounts in a throwaway database
DEFAULT_URL = "postgresql://quiz:quiz@127.0.0.1:5432/quiz_bench_data"
QUESTIONS = 10  # per attempt
CHUNK = 20_000


def copy_rows(table, columns: list[str], rows) -> int:
    """Write rows into table in bulk: COPY on PostgreSQL, executemany elsewhere."""
    n = 0
    if db.engine.dialect.name == "postgresql":
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cur:
            cols = ", ".join(columns)
            with cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        return n
    batch = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) == CHUNK:
            db.session.execute(sa.insert(table), batch)
            n += len(batch)
            batch = []
    if batch:
        db.session.execute(sa.insert(table), batch)
        n += len(batch)
    return n


def generate(url: str, units: int, people: int, answers: int, seed: int) -> None:
    rng = random.Random(seed)
    app = create_app(
        {
            "ENVIRON": {"APP_ENV": "production", "SECRET_KEY": "bench-data-" + "x" * 32},
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )
    now = datetime.now(UTC).replace(microsecond=0)
    t0 = time.perf_counter()

    def step(what: str) -> None:
        print(f"{time.perf_counter() - t0:6.1f} s  {what}", flush=True)

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.create_all()
        step("schema")

        districts = max(1, units // 100)
        communes = max(1, units - 1 - districts)
        parent: dict[int, int | None] = {1: None}
        unit_rows = [(1, "T", "Tỉnh Thử", "tinh thu", "province", None, "1/", 0, None)]
        for d in range(2, 2 + districts):
            parent[d] = 1
            unit_rows.append((d, f"D{d}", f"Huyện {d}", f"huyen {d}", "district", 1, f"1/{d}/", 1))
        leaves = list(range(2 + districts, 2 + districts + communes))
        for c in leaves:
            d = 2 + c % districts
            parent[c] = d
            unit_rows.append((c, f"X{c}", f"Xã {c}", f"xa {c}", "commune", d, f"1/{d}/{c}/", 2))
        copy_rows(
            Unit.__table__,
            [
                "id",
                "code",
                "name",
                "name_search",
                "kind",
                "parent_id",
                "path",
                "depth",
                "headcount",
                "created_at",
                "updated_at",
            ],
            ((*r[:8], 50 + r[0] % 200 if r[4] == "commune" else None, now, now) for r in unit_rows),
        )
        step(f"{len(unit_rows):,} units")

        bank = bank_services.create_bank("Bench", None, actor=None, now=now)
        bank_services.import_records(
            bank,
            [
                QuestionRecord(
                    row=i,
                    topic="Chuyển đổi số",
                    text=f"Câu hỏi thử số {i}?",
                    choices=tuple(f"Câu {i} phương án {x}" for x in "ABCD"),
                    answer=i % 4,
                    explanation=None,
                    source=None,
                    difficulty=None,
                )
                for i in range(1, 61)
            ],
            actor=None,
            now=now,
        )
        choices = db.session.execute(
            sa.select(Question.id, Question.correct_position, Choice.id, Choice.position)
            .join(Choice, Choice.question_id == Question.id)
            .where(Question.bank_id == bank.id)
        ).all()
        right: dict[int, int] = {}
        wrong: dict[int, int] = {}
        for qid, correct, cid, position in choices:
            (right if position == correct else wrong)[qid] = cid
        question_ids = sorted(right)
        contest = Contest(slug="quoc-gia", title="Hội thi toàn quốc (dữ liệu đo)", rules="")
        opens = now - timedelta(days=10)
        round_ = Round(
            contest=contest,
            title="Đợt 1",
            opens_at=opens,
            closes_at=now - timedelta(days=1),
            bank_id=bank.id,
            question_count=QUESTIONS,
            time_limit_seconds=1800,
            attempts_allowed=1,
        )
        db.session.add_all([contest, round_])
        db.session.flush()
        probe = User()
        probe.set_password(PASSWORD, now=now)
        step("bank, contest, round")

        copy_rows(
            User.__table__,
            [
                "id",
                "full_name",
                "name_search",
                "email",
                "password_hash",
                "unit_id",
                "role",
                "participant_group",
                "is_organizer_staff",
                "must_change_password",
                "active",
                "created_at",
                "password_changed_at",
            ],
            (
                (
                    i,
                    f"Người Thử {i}",
                    fold(f"Người Thử {i}"),
                    f"u{i}@bench.vn",
                    probe.password_hash,
                    leaves[i % len(leaves)],
                    "contestant",
                    "citizen" if i % 5 == 0 else "staff",
                    False,
                    False,
                    True,
                    opens,
                    opens,
                )
                for i in range(1, people + 1)
            ),
        )
        step(f"{people:,} accounts")

        # Scores and days drawn once, so attempts, answers and aggregates agree.
        per_leaf: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        score_stat: Counter = Counter()
        day_stat: Counter = Counter()
        scores = [0] * (people + 1)
        submitted = [opens] * (people + 1)

        def attempts():
            for i in range(1, people + 1):
                score = min(QUESTIONS, max(0, round(rng.gauss(6.5, 2))))
                started = opens + timedelta(seconds=rng.randrange(8 * 86400))
                duration = rng.randrange(60_000, 1_200_000)
                done = started + timedelta(milliseconds=duration)
                scores[i], submitted[i] = score, done
                group = "citizen" if i % 5 == 0 else "staff"
                leaf = leaves[i % len(leaves)]
                stat = per_leaf[leaf]
                stat[0] += 1
                stat[1] += score
                stat[2] += score == QUESTIONS
                score_stat[(group, score)] += 1
                day_stat[(to_local(done).date(), group)] += 1
                yield (
                    i,
                    i,
                    round_.id,
                    1,
                    leaf,
                    group,
                    "submitted",
                    started,
                    started + timedelta(seconds=1800),
                    done,
                    QUESTIONS,
                    score,
                    duration,
                )

        copy_rows(
            Attempt.__table__,
            [
                "id",
                "user_id",
                "round_id",
                "number",
                "unit_id",
                "participant_group",
                "status",
                "started_at",
                "deadline_at",
                "submitted_at",
                "question_count",
                "correct_count",
                "duration_ms",
            ],
            attempts(),
        )
        step(f"{people:,} submitted attempts")

        if answers:

            def attempt_questions():
                nq = len(question_ids)
                for i in range(1, people + 1):
                    first = i % nq
                    for p in range(1, answers + 1):
                        qid = question_ids[(first + p) % nq]
                        chosen = right[qid] if p <= scores[i] else wrong[qid]
                        yield (i, p, qid, "1,2,3,4", chosen, submitted[i])

            n = copy_rows(
                AttemptQuestion.__table__,
                [
                    "attempt_id",
                    "position",
                    "question_id",
                    "choice_order",
                    "selected_choice_id",
                    "answered_at",
                ],
                attempt_questions(),
            )
            step(f"{n:,} attempt_question rows")

        # Roll the leaves up to every ancestor, as record_finalized does one attempt at a time.
        per_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for leaf, (p, s, f) in per_leaf.items():
            node: int | None = leaf
            while node is not None:
                acc = per_unit[node]
                acc[0] += p
                acc[1] += s
                acc[2] += f
                node = parent[node]
        copy_rows(
            UnitRoundStat.__table__,
            ["unit_id", "round_id", "participants", "score_sum", "perfect"],
            ((u, round_.id, p, s, f) for u, (p, s, f) in per_unit.items()),
        )
        copy_rows(
            UnitContestStat.__table__,
            ["unit_id", "contest_id", "participants"],
            ((u, contest.id, p) for u, (p, _s, _f) in per_unit.items()),
        )
        copy_rows(
            RoundScoreStat.__table__,
            ["round_id", "participant_group", "correct_count", "people"],
            ((round_.id, g, c, n) for (g, c), n in score_stat.items()),
        )
        copy_rows(
            RoundDayStat.__table__,
            ["round_id", "day", "participant_group", "people"],
            ((round_.id, d, g, n) for (d, g), n in day_stat.items()),
        )
        db.session.commit()
        step("aggregates")
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                for table in ("unit", "user_account", "attempt"):
                    sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: E501, S608 - our own table names
                    conn.exec_driver_sql(sql)
                conn.exec_driver_sql("ANALYZE")
            step("sequences, ANALYZE")
        print(
            f"done: round {round_.id}, {len(unit_rows):,} units, {people:,} accounts and "
            f"attempts in {time.perf_counter() - t0:.0f} s; password of u<N>@bench.vn: {PASSWORD}"
        )
        db.session.remove()
        db.engine.dispose()


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", default=DEFAULT_URL, help="a database with 'bench' in its name")
    p.add_argument("--units", type=int, default=10_000)
    p.add_argument("--people", type=int, default=1_000_000, help="accounts, one attempt each")
    p.add_argument(
        "--answers",
        type=int,
        default=0,
        choices=[0, QUESTIONS],
        help=f"attempt_question rows per attempt (0 or {QUESTIONS})",
    )
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    url = sa.make_url(args.url.replace("postgresql://", "postgresql+psycopg://", 1))
    if "bench" not in (url.database or ""):
        p.error("the database is wiped first: its name must contain 'bench'")
    if not (3 <= args.units <= 100_000 and 1 <= args.people <= 5_000_000):
        p.error("--units 3..100000, --people 1..5000000")
    if url.get_backend_name() == "postgresql":
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}
            ):
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
        admin.dispose()
    generate(
        url.render_as_string(hide_password=False), args.units, args.people, args.answers, args.seed
    )


if __name__ == "__main__":
    main()
