"""The one way admin writes are recorded."""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

from flask import has_request_context, request
from sqlalchemy import inspect as sa_inspect

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
        # Belt and braces: a secret passed by mistake is dropped, never stored.
        details={k: v for k, v in details.items() if not is_secret(k)},
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


# Column names never copied into the log: a hash or token there would outlive its rotation.
SECRET_PARTS = ("password", "token", "secret", "hash", "otp")
# Derived or bookkeeping columns: they change with the ones that matter and say nothing new.
NOISE = frozenset({"id", "name_search", "path", "updated_at", "created_at"})


def _plain(value: object) -> object:
    """A JSON-ready copy of a column value (times in UTC ISO 8601, enums by value)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    return value


def is_secret(name: str) -> bool:
    return any(part in name.lower() for part in SECRET_PARTS)


def snapshot(obj: object, *, exclude: Iterable[str] = ()) -> dict[str, object]:
    """The column values of a model row, JSON-ready, secrets and bookkeeping left out."""
    skip = NOISE | set(exclude)
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in sa_inspect(obj).mapper.column_attrs
        if attr.key not in skip and not is_secret(attr.key)
    }


def diff(before: dict[str, object], after: dict[str, object]) -> dict[str, list[object]]:
    """{field: [old, new]} for the fields whose value changed (secrets never)."""
    return {
        key: [before.get(key), after.get(key)]
        for key in [*before, *(k for k in after if k not in before)]
        if before.get(key) != after.get(key) and not is_secret(key)
    }
