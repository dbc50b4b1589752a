"""Aggregates kept up to date in the transaction that finalizes an attempt.

A person counts once per round (and once per contest); their best attempt's score is the one
that counts. So a first finalized attempt adds the person, and a later better attempt moves
their score up: every counter changes by a delta, never by a recount, and the work per
finalize is constant (a handful of statements whatever the number of attempts).
"""

from sqlalchemy import func, select

from ..extensions import add_counts, db
from ..models import (
    Attempt,
    AttemptStatus,
    Contest,
    Round,
    RoundDayStat,
    RoundScoreStat,
    Unit,
    UnitContestStat,
    UnitRoundDayStat,
    UnitRoundStat,
    User,
)
from ..timeutil import to_local


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
    counts_for_units = _counts_for_units(attempt.user_id, round_)
    # The person's counted contribution moves from their old best (if any) to this attempt,
    # which may belong to another unit or group if their profile changed in between.
    deltas: dict[int, list[int]] = {}
    ancestors = _ancestors(attempt.unit_id)
    for unit_id in ancestors:
        deltas[unit_id] = [1, attempt.correct_count, int(attempt.correct_count == full)]
    if old is not None:
        for unit_id in _ancestors(old.unit_id):
            d = deltas.setdefault(unit_id, [0, 0, 0])
            d[0] -= 1
            d[1] -= old.correct_count
            d[2] -= int(old.correct_count == full)
    if counts_for_units:
        add_counts(
            UnitRoundStat,
            [
                {
                    "unit_id": u,
                    "round_id": round_.id,
                    "participants": p,
                    "score_sum": s,
                    "perfect": f,
                }
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
    add_counts(RoundScoreStat, buckets, ["people"])
    if old is not None:
        if counts_for_units and old.unit_id != attempt.unit_id:
            _move_day(attempt, round_.id, old.unit_id, ancestors)
        return
    day = to_local(attempt.submitted_at).date()
    add_counts(
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
    if counts_for_units:
        # The manager's trend: the day the person first took part, in every unit above them.
        add_counts(
            UnitRoundDayStat,
            [
                {"unit_id": unit_id, "round_id": round_.id, "day": day, "people": 1}
                for unit_id in ancestors
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
    if in_contest == 0 and counts_for_units:
        add_counts(
            UnitContestStat,
            [
                {"unit_id": unit_id, "contest_id": round_.contest_id, "participants": 1}
                for unit_id in ancestors
            ],
            ["participants"],
        )


def _move_day(attempt: Attempt, round_id: int, old_unit_id: int, ancestors: list[int]) -> None:
    """The person's trend count follows their contribution to another unit (a better attempt
    after their unit was corrected, `accounts.place`): still on the day they first took part,
    now in the units of the attempt that counts, as UnitRoundStat just moved them."""
    first = db.session.scalar(
        select(Attempt.submitted_at)
        .where(
            Attempt.user_id == attempt.user_id,
            Attempt.round_id == round_id,
            Attempt.status != AttemptStatus.IN_PROGRESS.value,
        )
        .order_by(Attempt.submitted_at, Attempt.id)
        .limit(1)
    )
    day = to_local(first).date()
    deltas = dict.fromkeys(ancestors, 1)
    for unit_id in _ancestors(old_unit_id):
        deltas[unit_id] = deltas.get(unit_id, 0) - 1
    add_counts(
        UnitRoundDayStat,
        [
            {"unit_id": u, "round_id": round_id, "day": day, "people": n}
            for u, n in deltas.items()
            if n
        ],
        ["people"],
    )


def _counts_for_units(user_id: int, round_: Round) -> bool:
    """Whether this person counts for unit rates and collective prizes in the round's contest.

    No lock here: the finalizing transaction holds the attempt's row lock, which an approval
    (record_approved) waits for, so either the approval sees this attempt finalized or this
    read sees the approval committed.
    """
    if db.session.scalar(select(Contest.count_unapproved).where(Contest.id == round_.contest_id)):
        return True
    approved_at = db.session.scalar(select(User.approved_at).where(User.id == user_id))
    return approved_at is not None


def record_approved(user_id: int) -> None:
    """Add a just-approved person's finalized results to the unit aggregates of every
    contest that counts approved accounts only (flush only; the caller holds the user lock).

    The same figures record_finalized would have added: per round their best attempt
    (most correct, then the earliest id), and the day of their first one counted in the
    units of that best attempt; per contest the attempt finalized first.
    """
    # Wait for any finalize of this person's attempts in flight (see _counts_for_units).
    db.session.execute(select(Attempt.id).where(Attempt.user_id == user_id).with_for_update())
    finalized = Attempt.status != AttemptStatus.IN_PROGRESS.value
    rows = db.session.execute(
        select(Attempt, Round.contest_id)
        .join(Round, Round.id == Attempt.round_id)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Attempt.user_id == user_id, finalized, ~Contest.count_unapproved)
        .order_by(Attempt.round_id, Attempt.correct_count.desc(), Attempt.id)
        .execution_options(populate_existing=True)
    ).all()
    best: dict[int, Attempt] = {}
    first: dict[int, Attempt] = {}
    first_in_round: dict[int, Attempt] = {}
    for attempt, contest_id in rows:
        best.setdefault(attempt.round_id, attempt)
        for firsts, key in ((first, contest_id), (first_in_round, attempt.round_id)):
            seen = firsts.get(key)
            if seen is None or (attempt.submitted_at, attempt.id) < (seen.submitted_at, seen.id):
                firsts[key] = attempt
    round_rows = [
        {
            "unit_id": unit_id,
            "round_id": a.round_id,
            "participants": 1,
            "score_sum": a.correct_count,
            "perfect": int(a.correct_count == a.question_count),
        }
        for a in best.values()
        for unit_id in _ancestors(a.unit_id)
    ]
    add_counts(UnitRoundStat, round_rows, ["participants", "score_sum", "perfect"])
    contest_rows = [
        {"unit_id": unit_id, "contest_id": contest_id, "participants": 1}
        for contest_id, a in first.items()
        for unit_id in _ancestors(a.unit_id)
    ]
    add_counts(UnitContestStat, contest_rows, ["participants"])
    day_rows = [
        {
            "unit_id": unit_id,
            "round_id": a.round_id,
            "day": to_local(a.submitted_at).date(),
            "people": 1,
        }
        for round_id, a in first_in_round.items()
        for unit_id in _ancestors(best[round_id].unit_id)
    ]
    add_counts(UnitRoundDayStat, day_rows, ["people"])
