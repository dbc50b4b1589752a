"""Aggregates kept up to date in the transaction that finalizes an attempt.

A person counts once per round (and once per contest); their best attempt's score is the one
that counts. So a first finalized attempt adds the person, and a later better attempt moves
their score up: every counter changes by a delta, never by a recount, and the work per
finalize is constant (a handful of statements whatever the number of attempts).
"""

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import (
    Attempt,
    AttemptStatus,
    Round,
    RoundDayStat,
    RoundScoreStat,
    Unit,
    UnitContestStat,
    UnitRoundStat,
)
from ..timeutil import to_local


def _add(model, rows: list[dict], deltas: list[str]) -> None:
    """Insert rows, or add their delta columns to the existing ones (one statement)."""
    if not rows:
        return
    table = model.__table__
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    stmt = stmt.on_conflict_do_update(
        index_elements=keys,
        set_={name: table.c[name] + stmt.excluded[name] for name in deltas},
    )
    # Same key order in every transaction: concurrent finalizes never deadlock.
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    db.session.execute(stmt, rows)


def record_finalized(attempt: Attempt, round_: Round) -> None:
    """Fold a just-finalized attempt into the round's and contest's aggregates (flush only)."""
    previous = db.session.execute(
        select(func.max(Attempt.correct_count), func.count(Attempt.id)).where(
            Attempt.user_id == attempt.user_id,
            Attempt.round_id == attempt.round_id,
            Attempt.status != AttemptStatus.IN_PROGRESS.value,
            Attempt.id != attempt.id,
        )
    ).one()
    old_best, earlier = previous
    first = earlier == 0
    new = attempt.correct_count
    if not first and new <= old_best:
        return  # not their best: nothing that counts changes
    gain = new if first else new - old_best
    full = attempt.question_count
    perfect_gain = int(new == full) - int(not first and old_best == full)
    path = db.session.scalar(select(Unit.path).where(Unit.id == attempt.unit_id))
    ancestors = [int(part) for part in path.rstrip("/").split("/") if part]
    _add(
        UnitRoundStat,
        [
            {
                "unit_id": unit_id,
                "round_id": attempt.round_id,
                "participants": int(first),
                "score_sum": gain,
                "perfect": perfect_gain,
            }
            for unit_id in ancestors
        ],
        ["participants", "score_sum", "perfect"],
    )
    group = attempt.participant_group
    buckets = [
        {"round_id": round_.id, "participant_group": group, "correct_count": new, "people": 1}
    ]
    if not first:
        buckets.append(
            {
                "round_id": round_.id,
                "participant_group": group,
                "correct_count": old_best,
                "people": -1,
            }
        )
    _add(RoundScoreStat, buckets, ["people"])
    if not first:
        return
    day = to_local(attempt.submitted_at).date()
    _add(
        RoundDayStat,
        [{"round_id": round_.id, "day": day, "participant_group": group, "people": 1}],
        ["people"],
    )
    in_contest = db.session.scalar(
        select(func.count(Attempt.id))
        .join(Round, Round.id == Attempt.round_id)
        .where(
            Attempt.user_id == attempt.user_id,
            Round.contest_id == round_.contest_id,
            Attempt.round_id != round_.id,
            Attempt.status != AttemptStatus.IN_PROGRESS.value,
        )
    )
    if in_contest == 0:
        _add(
            UnitContestStat,
            [
                {"unit_id": unit_id, "contest_id": round_.contest_id, "participants": 1}
                for unit_id in ancestors
            ],
            ["participants"],
        )
