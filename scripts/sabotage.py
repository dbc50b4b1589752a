"""Break each invariant's mechanism on purpose and report which test goes red, per database.

Each sabotage edits a temporary copy of the repository (never the work tree), runs the few
tests meant to guard that mechanism on SQLite and on PostgreSQL, and reports the tests that
failed. A sabotage that no test catches is a hole in the suite ("MISSED").

    .venv/bin/python scripts/sabotage.py               # every sabotage, both databases
    .venv/bin/python scripts/sabotage.py --only 1a 2c  # some of them
    .venv/bin/python scripts/sabotage.py --baseline    # first check the tests pass unbroken

Races run with STRESS=1 (many repetitions). An edit that no longer matches the code fails
loudly, so the list stays honest when the code moves.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIGRATION = "migrations/versions/0d4ddd2a24fe_contests_rounds_draw_rules_attempts_and_.py"
SERVICES = "quiz/attempts/services.py"
API = "tests/attempts/test_api.py"
CONSTRAINTS = "tests/attempts/test_constraints.py"
RACES = "tests/attempts/test_races.py"
FAULTS = "tests/faults/test_faults.py"
LOCK_OWN = "lock_row(Attempt, Attempt.id == attempt_id, Attempt.user_id == user.id)"


@dataclass
class Sabotage:
    key: str
    what: str
    edits: list[tuple[str, str, str]]  # (path, text, replacement): each text must occur once
    tests: list[str]
    backends: tuple[str, ...] = ("sqlite", "postgresql")
    env: dict = field(default_factory=dict)


UNIQUE_NUMBER = (
    '        UniqueConstraint("user_id", "round_id", "number", '
    'name="uq_attempt_user_round_number"),\n'
)
ONE_OPEN_MODEL = (
    "        Index(\n"
    '            "uq_attempt_one_open",\n'
    '            "user_id",\n'
    '            "round_id",\n'
    "            unique=True,\n"
    "            sqlite_where=sql_text(\"status = 'in_progress'\"),\n"
    "            postgresql_where=sql_text(\"status = 'in_progress'\"),\n"
    "        ),\n"
)
ONE_OPEN_MIGRATION = (
    "        batch_op.create_index('uq_attempt_one_open', ['user_id', 'round_id'], unique=True,"
    " sqlite_where=sa.text(\"status = 'in_progress'\"),"
    " postgresql_where=sa.text(\"status = 'in_progress'\"))\n"
)
ONE_OPEN_MIGRATION_DOWN = (
    "        batch_op.drop_index('uq_attempt_one_open', sqlite_where=sa.text(\"status = "
    "'in_progress'\"), postgresql_where=sa.text(\"status = 'in_progress'\"))\n"
)
NO_ONE_OPEN = [
    ("quiz/models.py", ONE_OPEN_MODEL, ""),
    (MIGRATION, ONE_OPEN_MIGRATION, "        pass\n"),
    (MIGRATION, ONE_OPEN_MIGRATION_DOWN, "        pass\n"),
]
NO_UNIQUE_NUMBER = [
    ("quiz/models.py", UNIQUE_NUMBER, ""),
    (
        MIGRATION,
        "    sa.UniqueConstraint('user_id', 'round_id', 'number', "
        "name='uq_attempt_user_round_number')\n",
        "",
    ),
]

SABOTAGES = [
    # 1. attempt cap, resume, single grading
    Sabotage(
        "1a",
        "both attempt constraints removed (models and migration)",
        NO_UNIQUE_NUMBER + NO_ONE_OPEN,
        [CONSTRAINTS, RACES + "::test_many_people_starting_in_many_tabs_get_one_attempt_per_round"],
    ),
    Sabotage(
        "1b",
        "uq_attempt_one_open removed (models and migration)",
        NO_ONE_OPEN,
        [CONSTRAINTS],
    ),
    Sabotage(
        "1c",
        "uq_attempt_user_round_number removed from the migration only",
        NO_UNIQUE_NUMBER[1:],
        [CONSTRAINTS, "tests/test_app.py::test_migrations_build_the_same_schema_as_the_models"],
    ),
    Sabotage(
        "1d",
        "no row lock in submit (plain SELECT instead of lock_row)",
        [
            (
                SERVICES,
                LOCK_OWN,
                "own_attempt(attempt_id, user)",
            )
        ],
        [RACES + "::test_many_people_submitting_in_many_tabs_are_graded_once"],
        backends=("postgresql",),
    ),
    Sabotage(
        "1e",
        "SQLite: deferred BEGIN (no write lock up front) in every service",
        [
            (
                "quiz/extensions.py",
                '    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")',
                '    conn.exec_driver_sql("BEGIN")',
            )
        ],
        [RACES + "::test_many_people_submitting_in_many_tabs_are_graded_once"],
        backends=("sqlite",),
    ),
    Sabotage(
        "1f",
        "submit grades again when the attempt is already final",
        [
            (
                SERVICES,
                "    attempt = _lock(attempt_id, user)\n    if attempt.is_open:\n",
                "    attempt = _lock(attempt_id, user)\n    if True:\n",
            )
        ],
        [API + "::test_answers_are_saved_graded_and_submit_is_idempotent"],
    ),
    Sabotage(
        "1g",
        "attempts_allowed not checked (a new attempt after the last one is final)",
        [(SERVICES, "    if len(attempts) >= round_.attempts_allowed:", "    if False:")],
        [
            API + "::test_answers_are_saved_graded_and_submit_is_idempotent",
            API + "::test_several_attempts_allowed_and_the_best_counts",
        ],
    ),
    # 2. the server's clock
    Sabotage(
        "2a",
        "deadline + grace never checked",
        [
            (
                SERVICES,
                "    return now > attempt.deadline_at + timedelta(seconds=round_.grace_seconds)",
                "    return False",
            )
        ],
        [
            API + "::test_answer_within_grace_is_saved_and_after_grace_refused",
            API + "::test_submit_after_grace_gives_the_expired_result",
            API + "::test_sweep_finalizes_past_grace_only_and_survives_a_bad_row",
        ],
    ),
    Sabotage(
        "2b",
        "grace ignored (refused right at the deadline)",
        [
            (
                SERVICES,
                "    return now > attempt.deadline_at + timedelta(seconds=round_.grace_seconds)",
                "    return now > attempt.deadline_at",
            )
        ],
        [
            API + "::test_answer_within_grace_is_saved_and_after_grace_refused",
            API + "::test_sweep_leaves_attempts_inside_their_grace",
        ],
    ),
    Sabotage(
        "2c",
        "deadline not capped by the round's close",
        [
            (
                SERVICES,
                "        deadline_at=min(now + timedelta(seconds=round_.time_limit_seconds), "
                "round_.closes_at),",
                "        deadline_at=now + timedelta(seconds=round_.time_limit_seconds),",
            )
        ],
        [API + "::test_deadline_is_start_plus_limit_but_never_after_close"],
    ),
    Sabotage(
        "2d",
        "an expired attempt is timed at `now`, not at its deadline",
        [
            (
                SERVICES,
                "        _finalize(attempt, AttemptStatus.EXPIRED, attempt.deadline_at)",
                "        _finalize(attempt, AttemptStatus.EXPIRED, now)",
            )
        ],
        [
            API + "::test_answer_within_grace_is_saved_and_after_grace_refused",
            API + "::test_submit_after_grace_gives_the_expired_result",
        ],
    ),
    Sabotage(
        "2e",
        "one bad row stops the sweep",
        [
            (
                SERVICES,
                "        except Exception:  # noqa: BLE001",
                "        except ZeroDivisionError:  # noqa: BLE001",
            )
        ],
        [API + "::test_sweep_finalizes_past_grace_only_and_survives_a_bad_row"],
    ),
    # 3. no answer lost
    Sabotage(
        "3a",
        "save_answer answers OK without committing",
        [
            (
                SERVICES,
                "    aq.answered_at = now\n    db.session.commit()\n",
                "    aq.answered_at = now\n",
            )
        ],
        [API + "::test_answers_are_saved_graded_and_submit_is_idempotent", FAULTS],
    ),
    # 4. no answer leaks
    Sabotage(
        "4a",
        "choice ids are the database ids",
        [
            (
                SERVICES,
                "    return hmac.new(key, msg, hashlib.sha256).hexdigest()[:16]",
                "    return str(choice_id)",
            )
        ],
        [API + "::test_nothing_sent_before_finalizing_tells_the_correct_choice"],
    ),
    Sabotage(
        "4b",
        "choices never shuffled (the right one always first in the test bank)",
        [(SERVICES, "_order(n, round_.shuffle_choices)", "_order(n, False)")],
        [API + "::test_nothing_sent_before_finalizing_tells_the_correct_choice"],
    ),
    Sabotage(
        "4c",
        "any choice token accepted for any question",
        [(SERVICES, "if choice_token(attempt.id, c.id) == token), None)", "if True), None)")],
        [
            API + "::test_bad_answers_are_refused_and_change_nothing",
            API + "::test_a_choice_of_another_question_is_invalid",
        ],
    ),
    # 5. deterministic ranking
    Sabotage(
        "5a",
        "last tie-breaks (submission time, attempt id) dropped",
        [
            (
                "quiz/results/ranking.py",
                "    order += [Attempt.duration_ms, Attempt.submitted_at, Attempt.id]",
                "    order += [Attempt.duration_ms]",
            )
        ],
        ["tests/results/test_ranking.py"],
    ),
    Sabotage(
        "5b",
        "prediction distance ignored",
        [
            (
                "quiz/results/ranking.py",
                "        order += [case((Attempt.prediction.is_(None), 1), else_=0), distance]",
                "        pass",
            )
        ],
        ["tests/results/test_ranking.py"],
    ),
    Sabotage(
        "5c",
        "the attempt id dropped as the last tie-break",
        [
            (
                "quiz/results/ranking.py",
                "    order += [Attempt.duration_ms, Attempt.submitted_at, Attempt.id]",
                "    order += [Attempt.duration_ms, Attempt.submitted_at]",
            )
        ],
        ["tests/results/test_ranking.py", "tests/results/test_ranking_ties.py"],
    ),
    # 6. scope
    Sabotage(
        "6a",
        "an attempt is found by id whoever asks",
        [
            (
                SERVICES,
                LOCK_OWN,
                "lock_row(Attempt, Attempt.id == attempt_id)",
            ),
            (
                SERVICES,
                "select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id)",
                "select(Attempt).where(Attempt.id == attempt_id)",
            ),
        ],
        [API + "::test_unknown_position_and_someone_elses_attempt_are_not_found"],
    ),
    Sabotage(
        "6b",
        "a unit manager's people search is not limited to its subtree",
        [
            (
                "quiz/admin/queries.py",
                "        stmt = stmt.where(Unit.path.startswith(scope.path, autoescape=True))",
                '        stmt = stmt.where(Unit.path.startswith("/"))',
            )
        ],
        [
            "tests/test_authorization.py::test_manager_sees_only_its_own_subtree",
            "tests/test_authorization.py::test_manager_of_another_unit_sees_none_of_mine",
        ],
    ),
    Sabotage(
        "6c",
        "admin pages open to every logged-in person",
        [("quiz/access.py", "    if not current_user.is_admin:", "    if False:")],
        ["tests/test_authorization.py::test_admin_routes_are_for_admins_only"],
    ),
    # 7. bad import changes nothing
    Sabotage(
        "7a",
        "a bank file with bad rows imports its good rows (CLI and upload)",
        [
            (
                "quiz/bank/services.py",
                "    result = read_file(data, filename, bank, topic)\n    if not result.ok:",
                "    result = read_file(data, filename, bank, topic)\n    if not result.records:",
            ),
            (
                "quiz/bank/services.py",
                "    result = read_file(upload.data, upload.filename, bank, "
                "topic)\n    if not result.ok:",
                "    result = read_file(upload.data, upload.filename, "
                "bank, topic)\n    if not result.records:",
            ),
        ],
        [
            "tests/bank/test_bank.py::test_cli_import_refuses_a_bad_file_and_creates_no_bank",
            "tests/bank/test_bank.py::test_a_bad_row_is_reported_by_row_and_column_and_nothing_loads",
            "tests/bank/test_import_all_or_nothing.py",
        ],
    ),
]

SKIP_COPY = {
    ".git",
    ".venv",
    "instance",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    "node_modules",
}


def copy_repo(dest: Path) -> None:
    shutil.copytree(ROOT, dest, ignore=lambda d, names: [n for n in names if n in SKIP_COPY])
    (dest / ".venv").symlink_to((ROOT / ".venv").resolve())


def apply(copy: Path, sabotage: Sabotage) -> None:
    for path, text, replacement in sabotage.edits:
        file = copy / path
        source = file.read_text()
        found = source.count(text)
        if found != 1:
            raise SystemExit(
                f"{sabotage.key}: expected the text once in {path}, found {found}:\n{text}"
            )
        file.write_text(source.replace(text, replacement))


def run_tests(
    copy: Path, tests: list[str], backend: str, stress: bool
) -> tuple[list[str], int, str]:
    """(failed test ids, number run, pytest's tail) for one database."""
    report = copy / f"report-{backend}.xml"
    select = "postgresql" if backend == "postgresql" else "not postgresql"
    env = {**os.environ, "STRESS": "1" if stress else "0", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            select,
            f"--junitxml={report}",
            *tests,
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if not report.exists():
        return ["(pytest did not run)"], 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    failed, ran = [], 0
    for case in ET.parse(report).iter("testcase"):  # noqa: S314 - our own pytest's report
        if case.find("skipped") is not None:
            continue
        ran += 1
        name = f"{case.get('classname').rsplit('.', 1)[-1]}::{case.get('name')}"
        bad = case.find("failure") is not None or case.find("error") is not None
        if bad and name not in failed:  # a failure and a teardown error: one test
            failed.append(name)
    report.unlink()
    return failed, ran, proc.stdout[-1500:]


def summary(failed: list[str]) -> str:
    """`module::test` once per test function, with how many of its cases went red."""
    counts: dict[str, int] = {}
    for name in failed:
        function = name.split("[", 1)[0]
        counts[function] = counts.get(function, 0) + 1
    return ", ".join(f"`{f}`" + (f" ({n} cases)" if n > 1 else "") for f, n in counts.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="sabotage keys (e.g. 1a 2c)")
    parser.add_argument("--baseline", action="store_true", help="run the tests unbroken too")
    parser.add_argument("--no-stress", action="store_true", help="races at the default count")
    parser.add_argument("--verbose", action="store_true", help="print pytest's tail")
    args = parser.parse_args()
    chosen = [s for s in SABOTAGES if not args.only or s.key in args.only]
    missed = 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="sabotage-") as tmp:
        if args.baseline:
            base = Path(tmp) / "baseline"
            copy_repo(base)
            tests = sorted({t for s in chosen for t in s.tests})
            for backend in ("sqlite", "postgresql"):
                failed, ran, tail = run_tests(base, tests, backend, stress=False)
                print(f"baseline {backend}: {ran} run, failed: {failed or 'none'}", flush=True)
                if failed:
                    print(tail)
                    return 2
        for sabotage in chosen:
            copy = Path(tmp) / sabotage.key
            copy_repo(copy)
            apply(copy, sabotage)
            results = {}
            for backend in sabotage.backends:
                began = time.monotonic()
                failed, ran, tail = run_tests(copy, sabotage.tests, backend, not args.no_stress)
                results[backend] = failed
                took = time.monotonic() - began
                verdict = "caught by " + summary(failed) if failed else "MISSED"
                missed += not failed
                print(
                    f"{sabotage.key} {backend:10} {took:5.0f}s {ran:3} run: {verdict}", flush=True
                )
                if args.verbose or not failed:
                    print(tail)
            rows.append((sabotage, results))
            shutil.rmtree(copy)
    print("\n| sabotage | SQLite | PostgreSQL |\n| --- | --- | --- |")
    for sabotage, results in rows:
        cells = []
        for backend in ("sqlite", "postgresql"):
            if backend not in results:
                cells.append("n/a")
            else:
                cells.append(summary(results[backend]) or "**MISSED**")
        print(f"| {sabotage.key}: {sabotage.what} | {cells[0]} | {cells[1]} |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
