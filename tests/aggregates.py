"""Recount a round's aggregates from the attempt rows and compare with the stored counters."""

from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import Attempt, RoundScoreStat, Unit, UnitRoundStat


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


def assert_aggregates_equal_recount(round_id: int) -> int:
    """Every unit's and score bucket's counter equals a recount; the number of people."""
    db.session.rollback()
    best = best_scores(round_id)
    paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
    expected: dict[int, list[int]] = {}
    buckets: dict[tuple[str, int], int] = {}
    for correct, unit_id, group, count in best.values():
        for part in paths[unit_id].rstrip("/").split("/"):
            if part:
                e = expected.setdefault(int(part), [0, 0, 0])
                e[0] += 1
                e[1] += correct
                e[2] += int(correct == count)
        buckets[(group, correct)] = buckets.get((group, correct), 0) + 1
    stored = {
        s.unit_id: [s.participants, s.score_sum, s.perfect]
        for s in db.session.scalars(select(UnitRoundStat).where(UnitRoundStat.round_id == round_id))
        if (s.participants, s.score_sum, s.perfect) != (0, 0, 0)
    }
    assert stored == expected, f"round {round_id}: unit counters {stored} != recount {expected}"
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
