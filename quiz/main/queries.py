"""Read-only queries for the home page."""

from sqlalchemy import func

from ..extensions import db
from ..figure_cache import cached
from ..models import Unit, UnitRegistered


def _count_site() -> dict[str, int]:
    return {
        "units": db.session.scalar(db.select(func.count(Unit.id))) or 0,
        # unit_registered holds each unit's people (kept by triggers): summing a row per
        # unit, never a row per account.
        "users": db.session.scalar(db.select(func.sum(UnitRegistered.people))) or 0,
    }


def site_counts() -> dict[str, int]:
    """Units and registered people of the whole site, recounted only after either changed
    (figure_cache: a warm request reads the two versions, nothing else)."""
    return cached(("site_counts",), ("registered", "units"), _count_site)
