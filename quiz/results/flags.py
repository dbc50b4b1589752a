"""Implausibly fast submissions: flagged at finalize, decided by an organizer.

A submission whose duration is under the round's minimum (seconds per question times the
number of questions) is flagged when it has at least one right answer (an empty fast
submission wins nothing and would only be noise). A pending flag keeps its attempt out of
the prizes and holds up publication; an organizer clears it (ranked as usual) or confirms
it (the attempt does not count in the ranking). Both decisions are audit-logged.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit, figure_cache
from ..errors import DomainError, NotFound
from ..extensions import db, lock_row
from ..models import Attempt, AttemptStatus, FlagReason, FlagState, Round, Unit, User

# Two seconds per question: reading a question and its choices, then tapping one, takes a
# person several seconds even when they know the answer; under two, a script or a copied
# key is far more likely than a quick reader (docs/security.md).
DEFAULT_MIN_SECONDS_PER_QUESTION = 2


def min_seconds(round_: Round) -> int:
    """Seconds per question below which a submission is flagged (0: never)."""
    if round_.min_seconds_per_question is not None:
        return round_.min_seconds_per_question
    return int(current_app.config.get("MIN_SECONDS_PER_QUESTION", DEFAULT_MIN_SECONDS_PER_QUESTION))


def flag_if_too_fast(attempt: Attempt, round_: Round) -> None:
    """At finalize (flush only): flag a submission faster than the round's minimum."""
    if attempt.status != AttemptStatus.SUBMITTED or not attempt.correct_count:
        return
    minimum_ms = min_seconds(round_) * attempt.question_count * 1000
    if attempt.duration_ms is not None and attempt.duration_ms < minimum_ms:
        attempt.flag = FlagReason.TOO_FAST.value
        attempt.flag_state = FlagState.PENDING.value


def pending_count(round_id: int) -> int:
    return db.session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.round_id == round_id, Attempt.flag_state == FlagState.PENDING.value
        )
    )


def pending_error(n: int) -> DomainError:
    return DomainError(
        "flags_pending",
        _l(
            "Còn %(n)d bài nộp quá nhanh chưa được xem xét. Hãy xác nhận hoặc bỏ đánh dấu "
            "từng bài trước khi công bố kết quả."
        ),
        status=409,
        n=n,
    )


@dataclass(frozen=True)
class FlaggedRow:
    attempt_id: int
    full_name: str
    unit_name: str
    correct_count: int
    question_count: int
    duration_ms: int
    submitted_at: datetime
    state: str


def flagged(round_: Round) -> list[FlaggedRow]:
    """Every flagged attempt of the round, pending ones first, then by submission."""
    rows = db.session.execute(
        select(Attempt, User.full_name, Unit.name)
        .join(User, User.id == Attempt.user_id)
        .join(Unit, Unit.id == Attempt.unit_id)
        .where(Attempt.round_id == round_.id, Attempt.flag.is_not(None))
        .order_by(Attempt.flag_state != FlagState.PENDING.value, Attempt.submitted_at, Attempt.id)
    ).all()
    return [
        FlaggedRow(
            a.id,
            name,
            unit,
            a.correct_count or 0,
            a.question_count,
            a.duration_ms or 0,
            a.submitted_at,
            a.flag_state,
        )
        for a, name, unit in rows
    ]


def decide(round_: Round, attempt_id: int, decision: str, *, actor: User, now: datetime) -> None:
    """An organizer clears or confirms a flag; refused once the results are published."""
    if decision not in (FlagState.CLEARED, FlagState.CONFIRMED):
        raise DomainError("invalid_decision", _l("Quyết định không hợp lệ."), status=422)
    locked_round = lock_row(Round, Round.id == round_.id)
    if locked_round.results_published_at is not None:
        raise DomainError(
            "already_published", _l("Kết quả đợt thi này đã được công bố."), status=409
        )
    attempt = lock_row(Attempt, Attempt.id == attempt_id, Attempt.round_id == round_.id)
    if attempt is None or attempt.flag is None:
        raise NotFound()
    before = attempt.flag_state
    attempt.flag_state = decision
    audit.record(
        actor,
        "attempt.flag_cleared" if decision == FlagState.CLEARED else "attempt.flag_confirmed",
        "attempt",
        attempt.id,
        now=now,
        round=round_.id,
        flag=attempt.flag,
        before=before,
        duration_ms=attempt.duration_ms,
    )
    figure_cache.bump(f"round:{round_.id}")  # the ranking and its prizes change
    db.session.commit()
