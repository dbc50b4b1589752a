"""Publication: a round's ranking and prizes frozen once, for every group and the units."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError
from ..extensions import db, lock_row
from ..models import Group, Round, RoundResult, UnitPrize, User
from . import flags
from .prizes import with_prizes
from .ranking import ranking, true_figure, unit_ranking


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
