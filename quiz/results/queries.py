"""Unit participation read from the kept aggregates: nothing here reads attempts."""

import time
from dataclasses import dataclass

from sqlalchemy import and_, literal, select

from ..extensions import db
from ..figure_cache import cached
from ..models import Contest, Round, Unit, UnitContestStat, UnitRoundStat
from ..unit_tree import known_headcounts, registered_counts


@dataclass(frozen=True)
class Participation:
    unit: Unit
    participants: int
    registered: int
    score_sum: int | None  # None: score figures hidden (before publication, non-admins)
    # The subtree's known headcount (0: none): the unit's own, else its sub-units' summed,
    # the rule the collective prizes use (unit_tree.known_headcounts).
    known_headcount: int

    @property
    def headcount(self) -> int | None:
        return self.known_headcount or None

    @property
    def rate(self) -> float | None:
        """participants / headcount, or / registered where no headcount is known."""
        base = self.known_headcount or self.registered
        return self.participants / base if base else None

    @property
    def mean_score(self) -> float | None:
        if self.score_sum is None or not self.participants:
            return None
        return self.score_sum / self.participants

    @property
    def target(self) -> float | None:
        return self.unit.target_rate / 100 if self.unit.target_rate is not None else None


@dataclass(frozen=True)
class UnitFigures:
    """Per-unit figures of the unit list itself, for a whole subtree each."""

    registered: dict[int, int]  # registered people
    headcounts: dict[int, int]  # known headcount (unit_tree.known_headcounts; 0: none)
    computed_at: float


def unit_figures(approved_only: bool = False) -> UnitFigures:
    """Registered people and known headcounts per unit subtree, and when they were computed,
    kept per worker until accounts or units change (figure_cache): one version read, so a
    warm page reads neither people nor the unit tree.

    approved_only: count only accounts imported, created or approved by the units, for a
    contest that does not count self-registered accounts still waiting for approval.
    """
    return cached(
        ("registered", approved_only),
        ("registered", "units"),
        lambda: UnitFigures(registered_counts(approved_only), known_headcounts()[0], time.time()),
    )


# The unit columns the pages and the API show; rows of these behave like a read-only Unit.
UNIT_COLUMNS = (
    Unit.id,
    Unit.code,
    Unit.name,
    Unit.name_search,
    Unit.kind,
    Unit.parent_id,
    Unit.path,
    Unit.depth,
    Unit.headcount,
    Unit.target_rate,
)


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
    """Units with the participation of their subtree, best rate first (plain rows, no ORM).

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
    stmt = select(*UNIT_COLUMNS, *cols).outerjoin(stat, on)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if parent is not None:
        stmt = stmt.where(Unit.parent_id == parent.id)
    if within is not None:
        stmt = stmt.where(Unit.path.startswith(within.path, autoescape=True))
    figures = unit_figures(approved_only(round_id=round_id, contest_id=contest_id))
    counts, known = figures.registered, figures.headcounts
    width = len(UNIT_COLUMNS)
    rows = [
        Participation(
            row,
            row[width] or 0,
            counts.get(row.id, 0),
            (row[width + 1] or 0) if scores else None,
            known.get(row.id, 0),
        )
        for row in db.session.execute(stmt)
    ]
    rows.sort(key=lambda r: (-(r.rate or 0), -(r.mean_score or 0), r.unit.name_search))
    return rows


def breadcrumb(parent: Unit | None) -> list[Unit]:
    """The chosen parent's ancestors, root first, ending with the parent itself."""
    if parent is None:
        return []
    ids = [int(part) for part in parent.path.rstrip("/").split("/") if part]
    units = {u.id: u for u in db.session.execute(select(Unit).where(Unit.id.in_(ids))).scalars()}
    return [units[i] for i in ids if i in units]


def parent_ids() -> set[int]:
    """Units that have children: their rows link to the drill-down."""
    return set(
        db.session.execute(
            select(Unit.parent_id).where(Unit.parent_id.isnot(None)).distinct()
        ).scalars()
    )


def unit_names(ids: set[int]) -> dict[int, str]:
    return dict(
        db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).tuples().all()
    )


def unit_kinds() -> set[str]:
    """The kinds of unit the tree holds (cached until the units change): a tab per kind."""
    return cached(
        ("unit_kinds",),
        ("units",),
        lambda: set(db.session.execute(select(Unit.kind).distinct()).scalars()),
    )
