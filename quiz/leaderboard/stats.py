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


def _ancestors(unit_id: int) -> list[int]:
    path = db.session.scalar(select(Unit.path).where(Unit.id == unit_id))
    return [int(part) for part in path.rstrip("/").split("/") if part]


def record_finalized(attempt: Attempt, round_: Round) -> None:
    """Fold a just-finalized attempt into the round's and contest's aggregates (flush only)."""
    old = db.session.execute(
        select(Attempt.correct_count, Attempt.unit_id, Attempt.participant_group)
        .where(
            Attempt.user_id == attempt.user_id,
            Attempt.round_id == attempt.round_id,
            Attempt.status != AttemptStatus.IN_PROGRESS.value,
            Attempt.id != attempt.id,
        )
        .order_by(Attempt.correct_count.desc(), Attempt.id)
        .limit(1)
    ).first()
    if old is not None and attempt.correct_count <= old.correct_count:
        return  # not their best: nothing that counts changes
    full = attempt.question_count
    # The person's counted contribution moves from their old best (if any) to this attempt,
    # which may belong to another unit or group if their profile changed in between.
    deltas: dict[int, list[int]] = {}
    for unit_id in _ancestors(attempt.unit_id):
        deltas[unit_id] = [1, attempt.correct_count, int(attempt.correct_count == full)]
    if old is not None:
        for unit_id in _ancestors(old.unit_id):
            d = deltas.setdefault(unit_id, [0, 0, 0])
            d[0] -= 1
            d[1] -= old.correct_count
            d[2] -= int(old.correct_count == full)
    _add(
        UnitRoundStat,
        [
            {"unit_id": u, "round_id": round_.id, "participants": p, "score_sum": s, "perfect": f}
            for u, (p, s, f) in deltas.items()
            if (p, s, f) != (0, 0, 0)
        ],
        ["participants", "score_sum", "perfect"],
    )
    buckets = [
        {
            "round_id": round_.id,
            "participant_group": attempt.participant_group,
            "correct_count": attempt.correct_count,
            "people": 1,
        }
    ]
    if old is not None:
        buckets.append(
            {
                "round_id": round_.id,
                "participant_group": old.participant_group,
                "correct_count": old.correct_count,
                "people": -1,
            }
        )
    _add(RoundScoreStat, buckets, ["people"])
    if old is not None:
        return
    day = to_local(attempt.submitted_at).date()
    _add(
        RoundDayStat,
        [
            {
                "round_id": round_.id,
                "day": day,
                "participant_group": attempt.participant_group,
                "people": 1,
            }
        ],
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
                for unit_id in _ancestors(attempt.unit_id)
            ],
            ["participants"],
        )
