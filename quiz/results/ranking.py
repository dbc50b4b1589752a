"""The ranking of a round's results, live from the attempts or frozen at publication.

Ranking order within a participant group (DESIGN.md §3, invariant 5):
  1. correct answers, descending;
  2. distance of the prediction from the true figure, ascending (when the round has a
     prediction question; no prediction ranks after every prediction);
  3. duration, ascending; 4. submission time, ascending; 5. attempt id, ascending.
A person's best attempt by that same order represents them. The order is total (the attempt
id breaks every tie), so the ranking recomputed from stored rows is the same every time.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, case, cast, func, null, or_, select

from ..extensions import db
from ..models import (
    UNIT_LEVEL_KINDS,
    Attempt,
    AttemptStatus,
    FlagState,
    Prediction,
    Round,
    RoundResult,
    RoundScoreStat,
    RoundUnitLevel,
    Unit,
    UnitLevel,
    UnitPrize,
    UnitRoundStat,
    User,
)
from ..unit_tree import known_headcounts

FINAL = (AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value)


@dataclass(frozen=True)
class Entry:
    rank: int
    user_id: int
    attempt_id: int
    full_name: str
    unit_id: int
    unit_code: str
    participant_group: str
    correct_count: int
    prediction: int | None
    distance: int | None
    duration_ms: int
    submitted_at: datetime
    is_organizer_staff: bool
    prize: str | None = None
    flag_state: str | None = None  # a pending flag wins no prize (results/prizes.py)


def true_figure(round_: Round) -> int | None:
    """The figure predictions are measured against: frozen at publication, else live."""
    if round_.results_published_at is not None:
        return round_.results_true_figure
    if round_.prediction == Prediction.PERFECT:
        return db.session.scalar(
            select(func.coalesce(func.sum(RoundScoreStat.people), 0)).where(
                RoundScoreStat.round_id == round_.id,
                RoundScoreStat.correct_count == round_.question_count,
            )
        )
    if round_.prediction == Prediction.PARTICIPANTS:
        return db.session.scalar(
            select(func.coalesce(func.sum(RoundScoreStat.people), 0)).where(
                RoundScoreStat.round_id == round_.id
            )
        )
    return None


def _order(round_: Round) -> tuple[list, object]:
    """The ranking order (see the module docstring) and the distance expression."""
    figure = true_figure(round_)
    order = [Attempt.correct_count.desc()]
    if figure is None:
        distance = cast(null(), BigInteger)
    else:
        distance = func.abs(Attempt.prediction - figure)
        # A missing prediction ranks after every prediction.
        order += [case((Attempt.prediction.is_(None), 1), else_=0), distance]
    order += [Attempt.duration_ms, Attempt.submitted_at, Attempt.id]
    return order, distance


def best_attempt(user_id: int, round_: Round) -> Attempt | None:
    """The attempt that represents a person in the ranking (the same order)."""
    order, _distance = _order(round_)
    return db.session.execute(
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.round_id == round_.id,
            Attempt.status.in_(FINAL),
        )
        .order_by(*order)
        .limit(1)
    ).scalar_one_or_none()


def ranking(round_: Round, group: str, limit: int | None = None) -> list[Entry]:
    """Live ranking of a group from the attempts (admins' preview; publication freezes it)."""
    order, distance = _order(round_)
    best = (
        select(
            Attempt.id.label("attempt_id"),
            func.row_number().over(partition_by=Attempt.user_id, order_by=order).label("n"),
        )
        # Best over all of the person's attempts, whatever group each was taken in: a
        # person is ranked once, in the group of their best attempt (one prize at most).
        # An attempt whose too-fast flag an organizer confirmed does not count.
        .where(
            Attempt.round_id == round_.id,
            Attempt.status.in_(FINAL),
            or_(Attempt.flag_state.is_(None), Attempt.flag_state != FlagState.CONFIRMED.value),
        )
        .subquery()
    )
    stmt = (
        select(Attempt, User.full_name, User.is_organizer_staff, Unit.code, distance)
        .join(best, best.c.attempt_id == Attempt.id)
        .join(User, User.id == Attempt.user_id)
        .join(Unit, Unit.id == Attempt.unit_id)
        .where(best.c.n == 1, Attempt.participant_group == group)
        .order_by(*order)
    )
    if limit:
        stmt = stmt.limit(limit)
    entries = []
    for rank, (a, name, staff, code, dist) in enumerate(db.session.execute(stmt), start=1):
        entries.append(
            Entry(
                rank,
                a.user_id,
                a.id,
                name,
                a.unit_id,
                code,
                a.participant_group,
                a.correct_count,
                a.prediction,
                dist,
                a.duration_ms,
                a.submitted_at,
                staff,
                flag_state=a.flag_state,
            )
        )
    return entries


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    participants: int
    headcount: int
    rate: float
    mean_score: float


def unit_level(round_: Round) -> str:
    """The level competing for the round's collective prizes (no row: units without sub-units)."""
    level = db.session.get(RoundUnitLevel, round_.id)
    return level.level if level is not None else UnitLevel.LEAF.value


def unit_ranking(round_: Round) -> list[UnitRow]:
    """Collective prizes: the units of the round's level (unit_level) ranked on their whole
    subtree, from the kept aggregates (UnitRoundStat counts the subtree; no attempt is read).

    A unit's figures: participants = people of its subtree with a finalized attempt;
    headcount = its own, or else its sub-units' summed (unit_tree.known_headcounts, the
    rule the public unit figures use too);
    rate = participants / headcount. Units with no headcount, no participant, or a rate
    under the round's minimum do not compete. Order: rate (desc), then mean score of the
    participants' best attempts (desc), then unit code (asc): total, so recomputing
    gives the same order. The first unit_prize_count units win.
    """
    level = unit_level(round_)
    headcounts, parents = known_headcounts()
    stmt = (
        select(Unit, UnitRoundStat)
        .join(UnitRoundStat, UnitRoundStat.unit_id == Unit.id)
        .where(UnitRoundStat.round_id == round_.id, UnitRoundStat.participants > 0)
    )
    if level != UnitLevel.LEAF:
        stmt = stmt.where(Unit.kind.in_(UNIT_LEVEL_KINDS[level]))
    ranked = []
    for unit, stat in db.session.execute(stmt).all():
        headcount = headcounts.get(unit.id, 0)
        if headcount <= 0 or (level == UnitLevel.LEAF and unit.id in parents):
            continue
        # One division each: equal fractions give equal floats, so ties stay ties.
        rate = 100 * stat.participants / headcount
        if rate >= round_.unit_min_rate:
            mean = stat.score_sum / stat.participants
            ranked.append(UnitRow(unit, stat.participants, headcount, rate, mean))
    ranked.sort(key=lambda r: (-r.rate, -r.mean_score, r.unit.code))
    return ranked[: round_.unit_prize_count]


def published_units(round_: Round) -> list[UnitPrize]:
    """The collective prizes frozen at publication, by rank (none before publication)."""
    if round_.results_published_at is None:
        return []
    return list(
        db.session.execute(
            select(UnitPrize)
            .where(UnitPrize.round_id == round_.id)
            .options(db.joinedload(UnitPrize.unit))
            .order_by(UnitPrize.rank)
        ).scalars()
    )


def public_name(round_: Round, full_name: str, prize: str | None, is_admin: bool) -> str | None:
    """A ranked person's name as the public sees it: prize winners' names only, unless the
    round publishes every name (Law 91/2025/QH15: no more personal data than needed)."""
    if is_admin or prize is not None or round_.publish_all_names:
        return full_name
    return None


def published(round_: Round, group: str, limit: int | None = None) -> list[RoundResult]:
    stmt = (
        select(RoundResult)
        .where(RoundResult.round_id == round_.id, RoundResult.participant_group == group)
        .options(db.joinedload(RoundResult.unit))
        .order_by(RoundResult.rank)
    )
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt).scalars())


def published_result(round_: Round, user_id: int) -> RoundResult | None:
    """A person's row of the published ranking (None before publication or when unranked)."""
    if round_.results_published_at is None:
        return None
    return db.session.execute(
        select(RoundResult)
        .where(RoundResult.round_id == round_.id, RoundResult.user_id == user_id)
        .options(db.joinedload(RoundResult.unit))
    ).scalar_one_or_none()
