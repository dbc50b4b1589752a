"""Read-only queries of the API that no other feature's queries module answers."""

from sqlalchemy import Row

from ..extensions import db
from ..models import Attempt, Unit


def own_attempt_states(user_id: int, round_id: int) -> list[Row]:
    """(id, status) of a person's attempts in a round, by attempt number."""
    return list(
        db.session.execute(
            db.select(Attempt.id, Attempt.status)
            .where(Attempt.user_id == user_id, Attempt.round_id == round_id)
            .order_by(Attempt.number)
        ).all()
    )


def unit_by_code(code: str) -> Unit | None:
    return db.session.execute(db.select(Unit).filter_by(code=code)).scalar_one_or_none()
