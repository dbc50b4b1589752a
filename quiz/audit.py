"""The one way admin writes are recorded."""

from datetime import datetime

from flask import has_request_context, request

from .extensions import db
from .models import AuditLog, User


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: object = None,
    *,
    now: datetime,
    **details,
) -> AuditLog:
    """Add an audit row in the caller's transaction (flush only; the service commits)."""
    entry = AuditLog(
        at=now,
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
