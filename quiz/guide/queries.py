"""Read-only queries of the guide pages."""

from datetime import datetime

from ..extensions import db
from ..models import Contest, Round


def example_round(now: datetime) -> Round | None:
    """The round the how-to page quotes: the open one closing first, else the next to open,
    else the last one that closed."""
    for stmt in (
        db.select(Round)
        .where(Round.opens_at <= now, Round.closes_at > now)
        .order_by(Round.closes_at, Round.id),
        db.select(Round).where(Round.opens_at > now).order_by(Round.opens_at, Round.id),
        db.select(Round).order_by(Round.closes_at.desc(), Round.id.desc()),
    ):
        found = db.session.execute(stmt.limit(1)).scalar()
        if found is not None:
            return found
    return None


def contests() -> list[Contest]:
    return list(
        db.session.execute(db.select(Contest).order_by(Contest.created_at.desc())).scalars()
    )
