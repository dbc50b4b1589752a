"""Read-only queries for contest pages."""

from collections import defaultdict

from sqlalchemy import func

from ..extensions import db
from ..models import Attempt, Contest, RoundScoreStat


def own_attempts(user_id: int, round_ids: list[int]) -> list[Attempt]:
    """A person's attempts in these rounds, by attempt number."""
    return list(
        db.session.execute(
            db.select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.round_id.in_(round_ids))
            .order_by(Attempt.number)
        ).scalars()
    )


def participants(round_ids: list[int]) -> dict[int, int]:
    """People who finished each round, from the kept aggregates (never reads attempts)."""
    if not round_ids:
        return {}
    rows = db.session.execute(
        db.select(RoundScoreStat.round_id, func.sum(RoundScoreStat.people))
        .where(RoundScoreStat.round_id.in_(round_ids))
        .group_by(RoundScoreStat.round_id)
    ).all()
    return {round_id: int(n) for round_id, n in rows}


def round_counts(round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Attempts per round and status, in one grouped query (admin pages: reads attempts)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not round_ids:
        return counts
    rows = db.session.execute(
        db.select(Attempt.round_id, Attempt.status, func.count(Attempt.id))
        .where(Attempt.round_id.in_(round_ids))
        .group_by(Attempt.round_id, Attempt.status)
    ).all()
    for round_id, status, n in rows:
        counts[round_id][status] = n
    return counts


def contests_with_rounds() -> list[Contest]:
    return list(
        db.session.execute(
            db.select(Contest)
            .options(db.selectinload(Contest.rounds))
            .order_by(Contest.created_at.desc(), Contest.id.desc())
        ).scalars()
    )


def all_round_ids(contests: list[Contest]) -> list[int]:
    return [r.id for c in contests for r in c.rounds]
