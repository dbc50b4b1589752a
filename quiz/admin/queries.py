"""Read-only queries for the admin and manager pages."""

from flask import abort

from question_bank.tabular import fold

from ..extensions import db
from ..models import AuditLog, Contest, Unit, User


def user_search_query(q: str, unit_id: int | None, role: str | None, scope: Unit | None = None):
    """Users matching a name/email/phone search, a unit's subtree and a role."""
    stmt = db.select(User).join(User.unit).order_by(User.name_search, User.id)
    if scope is not None:
        stmt = stmt.where(Unit.path.startswith(scope.path, autoescape=True))
    if unit_id:
        chosen = db.session.get(Unit, unit_id)
        if chosen is None or (scope is not None and not chosen.path.startswith(scope.path)):
            abort(404)
        stmt = stmt.where(Unit.path.startswith(chosen.path, autoescape=True))
    if role:
        stmt = stmt.where(User.role == role)
    q = (q or "").strip()
    if q:
        like = f"%{fold(q)}%"
        digits = "".join(ch for ch in q if ch.isascii() and ch.isdigit())
        conditions = [User.name_search.like(like), User.email.ilike(f"%{q}%")]
        if len(digits) >= 3:
            # Phones are stored as +84…; match the part after the leading 0 or 84.
            conditions.append(User.phone.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(db.or_(*conditions))
    return stmt


def audit_entries():
    """The audit log, newest first (a statement to paginate)."""
    return db.select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())


def contests_newest_first() -> list[Contest]:
    """Every contest with its rounds, the newest first."""
    return list(
        db.session.execute(
            db.select(Contest)
            .options(db.selectinload(Contest.rounds))
            .order_by(Contest.created_at.desc(), Contest.id.desc())
        ).scalars()
    )
