"""Recount a round's aggregates from the attempt rows and compare with the stored counters."""

from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import (
    Attempt,
    Contest,
    Round,
    RoundScoreStat,
    Unit,
    UnitRoundDayStat,
    UnitRoundStat,
    User,
)
from quiz.timeutil import to_local


def best_scores(round_id: int) -> dict[int, tuple[int, int, str, int]]:
    """user id → (best correct count, unit id, group, question count), finalized attempts."""
    best: dict[int, tuple[int, int, str, int]] = {}
    rows = db.session.execute(
        select(
            Attempt.user_id,
            Attempt.correct_count,
            Attempt.unit_id,
            Attempt.participant_group,
            Attempt.question_count,
        )
        .where(Attempt.round_id == round_id, Attempt.status != "in_progress")
        .order_by(Attempt.user_id, Attempt.correct_count.desc(), Attempt.id)
    )
    for user_id, correct, unit_id, group, count in rows:
        best.setdefault(user_id, (correct, unit_id, group, count))
    return best


def first_days(round_id: int) -> dict[int, object]:
    """user id → the day (Vietnam time) of their first finalized attempt in the round."""
    first: dict[int, object] = {}
    rows = db.session.execute(
        select(Attempt.user_id, Attempt.submitted_at)
        .where(Attempt.round_id == round_id, Attempt.status != "in_progress")
        .order_by(Attempt.user_id, Attempt.submitted_at, Attempt.id)
    )
    for user_id, submitted_at in rows:
        first.setdefault(user_id, to_local(submitted_at).date())
    return first


def counted_for_units(round_id: int) -> set[int] | None:
    """The people whose results count for units (None: everyone, the contest counts
    unapproved accounts too)."""
    if db.session.scalar(select(Contest.count_unapproved).join(Round).where(Round.id == round_id)):
        return None
    return set(db.session.scalars(select(User.id).where(User.approved_at.is_not(None))))


def assert_aggregates_equal_recount(round_id: int) -> int:
    """Every unit's, unit-day's and score bucket's counter equals a recount; the number of
    people."""
    db.session.rollback()
    best = best_scores(round_id)
    days = first_days(round_id)
    counted = counted_for_units(round_id)
    paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
    expected: dict[int, list[int]] = {}
    expected_days: dict[tuple[int, object], int] = {}
    buckets: dict[tuple[str, int], int] = {}
    for user_id, (correct, unit_id, group, count) in best.items():
        buckets[(group, correct)] = buckets.get((group, correct), 0) + 1
        if counted is not None and user_id not in counted:
            continue
        # A person counts in every unit above the unit of their best attempt; in the trend,
        # on the day they first took part.
        for part in paths[unit_id].rstrip("/").split("/"):
            if part:
                e = expected.setdefault(int(part), [0, 0, 0])
                e[0] += 1
                e[1] += correct
                e[2] += int(correct == count)
                key = (int(part), days[user_id])
                expected_days[key] = expected_days.get(key, 0) + 1
    stored = {
        s.unit_id: [s.participants, s.score_sum, s.perfect]
        for s in db.session.scalars(select(UnitRoundStat).where(UnitRoundStat.round_id == round_id))
        if (s.participants, s.score_sum, s.perfect) != (0, 0, 0)
    }
    assert stored == expected, f"round {round_id}: unit counters {stored} != recount {expected}"
    stored_days = {
        (s.unit_id, s.day): s.people
        for s in db.session.scalars(
            select(UnitRoundDayStat).where(UnitRoundDayStat.round_id == round_id)
        )
        if s.people
    }
    assert stored_days == expected_days, (
        f"round {round_id}: unit-day counters {stored_days} != recount {expected_days}"
    )
    stored_buckets = {
        (s.participant_group, s.correct_count): s.people
        for s in db.session.scalars(
            select(RoundScoreStat).where(RoundScoreStat.round_id == round_id)
        )
        if s.people
    }
    assert stored_buckets == buckets, f"round {round_id}: {stored_buckets} != {buckets}"
    return len(best)


def attempts_per_person(round_id: int) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Attempt.user_id, func.count(Attempt.id))
            .where(Attempt.round_id == round_id)
            .group_by(Attempt.user_id)
        ).all()
    )
