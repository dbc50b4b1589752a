"""The unit manager's writes. Each public function is one transaction.

Corrections of a person's unit and group are shared with the admin pages (quiz/accounts.py,
quiz/placement.py); approvals of self-registered people are the manager pages' own.
"""

from datetime import datetime

from .. import audit
from ..accounts import can_correct, can_reset_password
from ..attempts.aggregates import record_approved
from ..auth.services import issue_one_time_password
from ..errors import NotFound
from ..extensions import db, lock_row
from ..models import User


def approve(user_ids: list[int], *, actor: User, now: datetime) -> int:
    """Approve self-registered people within the actor's reach; how many were approved.

    A person approved after taking part is added to the unit figures of the contests
    that count approved accounts only, in the same transaction.
    """
    approved = 0
    for user_id in sorted(set(user_ids)):  # one lock order: concurrent approvals never deadlock
        user = lock_row(User, User.id == user_id)
        if user is None or user.approved_at is not None or not can_correct(actor, user):
            continue
        user.approved_at = now
        record_approved(user.id)
        audit.record(actor, "user.approve", "user", user.id, now=now)
        approved += 1
    db.session.commit()
    return approved


def reset_password(user_id: int, *, actor: User, now: datetime) -> tuple[User, str]:
    """A new one-time password for someone in the actor's reach (NotFound otherwise):
    shown once to the manager, changed at next login; the person's sessions end."""
    user = lock_row(User, User.id == user_id)
    if user is None or not can_reset_password(actor, user):
        raise NotFound()
    password = issue_one_time_password(user, actor=actor, now=now)
    db.session.commit()
    return user, password
