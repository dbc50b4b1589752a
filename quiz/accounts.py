"""Changes to a person's reach that only someone above them may make: unit and group, and who
may make them (can_correct, which the manager's approvals use too).

Shared by the unit manager's pages and the admin's. Nobody widens their own reach
(DESIGN §3.6): a manager corrects contestants of its own subtree, only to units inside it;
an admin corrects anyone but themselves; every change is audit-logged.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from . import audit
from .errors import DomainError, NotFound
from .extensions import db, lock_row
from .models import Attempt, Group, Role, Unit, User


def has_taken_part(user_id: int) -> bool:
    """Whether the person has any attempt: from then on their unit and group are frozen."""
    return bool(db.session.scalar(select(exists().where(Attempt.user_id == user_id))))


def in_reach(actor: User, unit: Unit) -> bool:
    """Whether the unit lies in what the actor manages (an admin: everything)."""
    if actor.is_admin:
        return True
    return actor.is_manager and unit.path.startswith(actor.unit.path)


def can_correct(actor: User, user: User) -> bool:
    """Whether the actor may correct this person's unit, group or approval."""
    if actor.id == user.id:
        return False
    if actor.is_admin:
        return True
    return actor.is_manager and user.role == Role.CONTESTANT and in_reach(actor, user.unit)


def can_reset_password(actor: User, user: User) -> bool:
    """Whether the actor may give this person a new one-time password.

    An admin: anyone but themselves. A unit manager: contestants of its subtree, and
    managers of units strictly below its own; never an admin, a manager of its own unit or
    above, or anyone outside its subtree.
    """
    if actor.id == user.id:
        return False
    if actor.is_admin:
        return True
    if not actor.is_manager or user.is_admin or not in_reach(actor, user.unit):
        return False
    return user.role == Role.CONTESTANT or user.unit.path != actor.unit.path


def place(user_id: int, *, unit_id: int | None, group: str, actor: User, now: datetime) -> User:
    """Move a person to another unit or participant group, on behalf of someone above them."""
    user = lock_row(User, User.id == user_id)
    if user is None or not can_correct(actor, user):
        raise NotFound()
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not in_reach(actor, unit):
        raise DomainError(
            "unit_out_of_reach",
            _l("Chỉ có thể chuyển đến một đơn vị thuộc phạm vi bạn quản lý."),
        )
    if group not in set(Group):
        raise DomainError("invalid_group", _l("Vui lòng chọn đối tượng dự thi."))
    before = {"unit": user.unit.code, "group": user.participant_group}
    after = {"unit": unit.code, "group": group}
    if before != after:
        user.unit_id, user.participant_group = unit.id, group
        user.unit = unit
        changes = audit.diff(before, after)
        audit.record(actor, "user.placement", "user", user.id, now=now, changes=changes)
    db.session.commit()
    return user
