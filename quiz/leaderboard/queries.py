"""Unit participation read from the kept aggregates: nothing here reads attempts."""

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, literal, select

from ..extensions import db
from ..models import Contest, Round, Unit, UnitContestStat, UnitRoundStat
from ..unit_tree import registered_counts

REGISTERED_TTL = 60  # seconds a worker reuses the registered-people roll-up


@dataclass(frozen=True)
class Participation:
    unit: Unit
    participants: int
    registered: int
    score_sum: int | None  # None: score figures hidden (before publication, non-admins)

    @property
    def headcount(self) -> int | None:
        return self.unit.headcount

    @property
    def rate(self) -> float | None:
        """participants / headcount, or / registered where no headcount is known."""
        base = self.unit.headcount or self.registered
        return self.participants / base if base else None

    @property
    def mean_score(self) -> float | None:
        if self.score_sum is None or not self.participants:
            return None
        return self.score_sum / self.participants

    @property
    def target(self) -> float | None:
        return self.unit.target_rate / 100 if self.unit.target_rate is not None else None


def registered(approved_only: bool = False) -> tuple[dict[int, int], float]:
    """Registered people per unit subtree, and when that was computed (cached per worker).

    approved_only: count only accounts imported, created or approved by the units, for a
    contest that does not count self-registered accounts still waiting for approval.
    """
    caches = current_app.extensions.setdefault("registered_rollup", {})
    cache = caches.setdefault(approved_only, {})
    now = time.time()
    if not cache or now - cache["at"] > REGISTERED_TTL:
        cache.update(counts=registered_counts(approved_only), at=now)
    return cache["counts"], cache["at"]


def approved_only(*, round_id: int | None = None, contest_id: int | None = None) -> bool:
    """Whether the round's (or contest's) unit figures leave out unapproved accounts."""
    if round_id is not None:
        stmt = select(Contest.count_unapproved).join(Round).where(Round.id == round_id)
    else:
        stmt = select(Contest.count_unapproved).where(Contest.id == contest_id)
    return db.session.scalar(stmt) is False


def unit_rows(
    *,
    round_id: int | None = None,
    contest_id: int | None = None,
    kind: str | None = None,
    parent: Unit | None = None,
    within: Unit | None = None,
    scores: bool = True,
) -> list[Participation]:
    """Units with the participation of their subtree, best rate first.

    With scores=False (a round's figures before publication, for anyone but admins) no
    score is read and the order uses no score either, so not even the tie-break leaks.
    """
    if round_id is not None:
        stat = UnitRoundStat
        on = and_(stat.unit_id == Unit.id, stat.round_id == round_id)
        cols = (stat.participants, stat.score_sum)
    else:
        stat = UnitContestStat
        on = and_(stat.unit_id == Unit.id, stat.contest_id == contest_id)
        cols = (stat.participants, literal(0))  # no score across rounds
    stmt = select(Unit, *cols).outerjoin(stat, on)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if parent is not None:
        stmt = stmt.where(Unit.parent_id == parent.id)
    if within is not None:
        stmt = stmt.where(Unit.path.startswith(within.path, autoescape=True))
    counts, _at = registered(approved_only(round_id=round_id, contest_id=contest_id))
    rows = [
        Participation(
            unit, participants or 0, counts.get(unit.id, 0), (score or 0) if scores else None
        )
        for unit, participants, score in db.session.execute(stmt)
    ]
    rows.sort(key=lambda r: (-(r.rate or 0), -(r.mean_score or 0), r.unit.name_search))
    return rows
