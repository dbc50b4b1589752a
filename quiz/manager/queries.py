"""The unit manager's read models: rounds, people and participation of their own subtree."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from ..admin.queries import user_search_query
from ..extensions import db
from ..models import (
    AccountLogin,
    Attempt,
    AttemptStatus,
    Role,
    Round,
    Unit,
    UnitRoundDayStat,
    UnitRoundStat,
    User,
)
from ..results import queries as participation
from ..unit_tree import subtree_filter

# A person's status in a round is the highest rank among their attempts in it:
# none (no attempt) < in progress < finalized (submitted or expired).
NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"
STATUS_RANK = {IN_PROGRESS: 1, SUBMITTED: 2}
FINALIZED = (AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value)


def rounds(now: datetime) -> list[Round]:
    """Open rounds newest first, then closed ones most recent first, then upcoming ones."""
    found = list(
        db.session.execute(
            select(Round).join(Round.contest).options(contains_eager(Round.contest))
        ).scalars()
    )

    def key(r: Round):
        state = r.state(now)
        if state == "open":
            return (0, -r.opens_at.timestamp(), -r.id)
        if state == "closed":
            return (1, -r.closes_at.timestamp(), -r.id)
        return (2, r.opens_at.timestamp(), r.id)

    return sorted(found, key=key)


def subtree_units(scope: Unit) -> list[Unit]:
    return list(db.session.execute(select(Unit).where(subtree_filter(scope))).scalars())


def _attempt_rank():
    """An attempt's status rank: 1 in progress, 2 finalized (submitted or expired)."""
    return case((Attempt.status == AttemptStatus.IN_PROGRESS.value, 1), else_=2)


def status_rank(round_id: int):
    """The person's status rank in the round (NULL: no attempt), correlated to User."""
    return (
        select(func.max(_attempt_rank()))
        .where(Attempt.user_id == User.id, Attempt.round_id == round_id)
        .correlate(User)
        .scalar_subquery()
    )


def people(scope: Unit, round_: Round | None, status: str | None, q: str, unit_id: int | None):
    """The search, sub-unit and status filters over the manager's subtree only."""
    stmt = user_search_query(q, unit_id, None, scope).options(contains_eager(User.unit))
    if round_ is not None and status is not None:
        rank = status_rank(round_.id)
        stmt = stmt.where(rank.is_(None) if status == NOT_STARTED else rank == STATUS_RANK[status])
    return stmt


def attempt_summary(round_id: int, user_ids: list[int]) -> dict[int, tuple]:
    """(status, best correct count, first submission) per user, in one grouped query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(
            Attempt.user_id,
            func.max(_attempt_rank()),
            func.max(Attempt.correct_count),
            func.min(Attempt.submitted_at),
        )
        .where(Attempt.round_id == round_id, Attempt.user_id.in_(user_ids))
        .group_by(Attempt.user_id)
    ).all()
    names = {rank: status for status, rank in STATUS_RANK.items()}
    return {uid: (names[rank], best, first) for uid, rank, best, first in rows}


def scope_row(scope: Unit, round_: Round, scores: bool) -> participation.Participation:
    """The manager's own unit as one participation row (its whole subtree)."""
    stat = db.session.get(UnitRoundStat, (scope.id, round_.id))
    figures = participation.unit_figures(participation.approved_only(round_id=round_.id))
    return participation.Participation(
        scope,
        stat.participants if stat else 0,
        figures.registered.get(scope.id, 0),
        (stat.score_sum if stat else 0) if scores else None,
        figures.headcounts.get(scope.id, 0),
    )


def export_rows(stmt, round_id: int):
    """(user, status rank, best correct count, first submission) for the people of stmt."""

    def per_user(expr):
        return (
            select(expr)
            .where(
                Attempt.user_id == User.id,
                Attempt.round_id == round_id,
                Attempt.status.in_(FINALIZED),
            )
            .correlate(User)
            .scalar_subquery()
        )

    stmt = (
        stmt.add_columns(status_rank(round_id), per_user(func.max(Attempt.correct_count)))
        .add_columns(per_user(func.min(Attempt.submitted_at)))
        .order_by(None)
        .order_by(Unit.name_search, Unit.code, User.name_search, User.id)
    )
    return db.session.execute(stmt)


def pending(actor: User):
    """Self-registered people waiting for approval, within the actor's reach."""
    stmt = (
        select(User)
        .join(User.unit)
        .where(User.approved_at.is_(None), User.anonymized_at.is_(None))
        .order_by(User.created_at, User.id)
    )
    if not actor.is_admin:
        stmt = stmt.where(
            Unit.path.startswith(actor.unit.path, autoescape=True),
            User.role == Role.CONTESTANT,
        )
    return stmt


# ---- who never logged in (issue 10) ----


def _never_logged_in(scope: Unit):
    """Accounts of the scope's subtree that never logged in (no account_login row)."""
    return (
        select(User)
        .join(User.unit)
        .outerjoin(AccountLogin, AccountLogin.user_id == User.id)
        .where(
            subtree_filter(scope),
            AccountLogin.user_id.is_(None),
            User.anonymized_at.is_(None),
            User.role != Role.ADMIN,
        )
    )


def never_logged_in(scope: Unit, unit_id: int | None):
    """The people of the scope (or of one of its sub-units) who never logged in, by unit
    then name: a statement to paginate or to export."""
    chosen = scope
    if unit_id is not None:
        chosen = db.session.get(Unit, unit_id)
        if chosen is None or not chosen.path.startswith(scope.path):
            return None
    return (
        _never_logged_in(chosen)
        .options(contains_eager(User.unit))
        .order_by(Unit.name_search, Unit.code, User.name_search, User.id)
    )


@dataclass(frozen=True)
class LoginRow:
    unit: Unit
    accounts: int
    never: int


def never_logged_in_by_unit(scope: Unit) -> tuple[LoginRow, list[LoginRow]]:
    """Accounts and those never logged in: the scope's whole subtree, then each direct
    sub-unit's subtree (people registered with the scope unit itself count only in the
    first row). One grouped query over the subtree's accounts."""
    never = func.count(User.id) - func.count(AccountLogin.user_id)
    rows = db.session.execute(
        select(Unit.path, func.count(User.id), never)
        .select_from(User)
        .join(User.unit)
        .outerjoin(AccountLogin, AccountLogin.user_id == User.id)
        .where(subtree_filter(scope), User.anonymized_at.is_(None), User.role != Role.ADMIN)
        .group_by(Unit.path)
    ).all()
    children = list(
        db.session.execute(
            select(Unit).where(Unit.parent_id == scope.id).order_by(Unit.name_search, Unit.code)
        ).scalars()
    )
    depth = len(scope.path.rstrip("/").split("/"))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    whole = [0, 0]
    for path, accounts, missing in rows:
        whole[0] += accounts
        whole[1] += missing
        parts = path.rstrip("/").split("/")
        if len(parts) > depth:
            child = totals[int(parts[depth])]
            child[0] += accounts
            child[1] += missing
    return LoginRow(scope, *whole), [LoginRow(c, *totals[c.id]) for c in children]


# ---- the participation trend of the manager's subtree ----


def day_trend(scope: Unit, round_: Round) -> list[tuple[date, int, int]]:
    """(day, new participants, running total) of the scope's subtree, every day from the
    first to the last one with participants (days without any show as 0).

    Read from unit_round_day_stat: one row per day, whatever the number of attempts.
    """
    rows = dict(
        db.session.execute(
            select(UnitRoundDayStat.day, UnitRoundDayStat.people).where(
                UnitRoundDayStat.unit_id == scope.id,
                UnitRoundDayStat.round_id == round_.id,
                UnitRoundDayStat.people != 0,
            )
        ).all()
    )
    if not rows:
        return []
    first, last = min(rows), max(rows)
    out = []
    total = 0
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        total += rows.get(day, 0)
        out.append((day, rows.get(day, 0), total))
    return out
