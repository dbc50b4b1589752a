"""Ranking, prizes and publication of a round's results.

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

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, case, cast, func, null, or_, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError
from ..extensions import db, lock_row
from ..models import (
    Attempt,
    AttemptStatus,
    FlagState,
    Group,
    Prediction,
    Prize,
    Round,
    RoundResult,
    RoundScoreStat,
    Unit,
    UnitPrize,
    UnitRoundStat,
    User,
)
from . import flags

PRIZE_ORDER = [Prize.FIRST, Prize.SECOND, Prize.THIRD, Prize.CONSOLATION]
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
    flag_state: str | None = None  # a pending flag wins no prize (results/flags.py)


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


def with_prizes(round_: Round, group: str, entries: list[Entry]) -> list[Entry]:
    """Hand out the group's prizes in ranking order; organizers' staff win none."""
    counts = (round_.prize_counts or {}).get(group, {})
    queue = [p.value for p in PRIZE_ORDER for _ in range(int(counts.get(p.value, 0)))]
    out = []
    for e in entries:
        prize = None
        pending = e.flag_state == FlagState.PENDING
        if queue and not e.is_organizer_staff and e.correct_count > 0 and not pending:
            prize = queue.pop(0)
        out.append(Entry(**{**e.__dict__, "prize": prize}))
    return out


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    participants: int
    headcount: int
    rate: float
    mean_score: float


def unit_ranking(round_: Round) -> list[UnitRow]:
    """Collective prizes: the graded units (departments, communes: units without sub-units,
    with a headcount) by participation rate against headcount, then mean score, then code."""
    child = db.aliased(Unit)
    has_children = select(child.id).where(child.parent_id == Unit.id).exists()
    rows = db.session.execute(
        select(Unit, UnitRoundStat)
        .join(UnitRoundStat, UnitRoundStat.unit_id == Unit.id)
        .where(UnitRoundStat.round_id == round_.id, Unit.headcount > 0, ~has_children)
    ).all()
    ranked = []
    for unit, stat in rows:
        rate = 100.0 * stat.participants / unit.headcount
        if stat.participants and rate >= round_.unit_min_rate:
            mean = stat.score_sum / stat.participants
            ranked.append(UnitRow(unit, stat.participants, unit.headcount, rate, mean))
    ranked.sort(key=lambda r: (-r.rate, -r.mean_score, r.unit.code))
    return ranked[: round_.unit_prize_count]


def publish(round_: Round, *, actor: User | None, now: datetime) -> int:
    """Freeze the ranking and prizes of every group; returns how many people are ranked."""
    locked = lock_row(Round, Round.id == round_.id)
    if locked.results_published_at is not None:
        raise DomainError(
            "already_published", _l("Kết quả đợt thi này đã được công bố."), status=409
        )
    # Frozen results cannot take a later decision on a flag: decide each one first.
    pending = flags.pending_count(locked.id)
    if pending:
        raise flags.pending_error(pending)
    locked.results_true_figure = true_figure(locked)
    total = 0
    for group in Group:
        for e in with_prizes(locked, group.value, ranking(locked, group.value)):
            db.session.add(
                RoundResult(
                    round_id=locked.id,
                    participant_group=group.value,
                    rank=e.rank,
                    user_id=e.user_id,
                    attempt_id=e.attempt_id,
                    full_name=e.full_name,
                    unit_id=e.unit_id,
                    correct_count=e.correct_count,
                    prediction=e.prediction,
                    distance=e.distance,
                    duration_ms=e.duration_ms,
                    submitted_at=e.submitted_at,
                    prize=e.prize,
                )
            )
            total += 1
    for rank, row in enumerate(unit_ranking(locked), start=1):
        db.session.add(
            UnitPrize(
                round_id=locked.id,
                unit_id=row.unit.id,
                rank=rank,
                participants=row.participants,
                headcount=row.headcount,
                rate=row.rate,
                mean_score=row.mean_score,
            )
        )
    locked.results_published_at = now
    audit.record(
        actor,
        "results.publish",
        "round",
        locked.id,
        now=now,
        ranked=total,
        true_figure=locked.results_true_figure,
    )
    try:
        db.session.commit()
    except IntegrityError as err:  # published meanwhile by another request
        db.session.rollback()
        raise DomainError(
            "already_published", _l("Kết quả đợt thi này đã được công bố."), status=409
        ) from err
    return total


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
