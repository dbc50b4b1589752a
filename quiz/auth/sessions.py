"""Server-side sessions: every login is a row; ending the row ends the session.

The signed cookie only names the session (a random token); whether it is still open
is the database's answer, so logout, a password change or a newer login on another
device (one session per account) end it for every copy of the cookie.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import Flask, current_app, g, session
from flask_login import user_logged_in, user_logged_out
from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db, write_lock
from ..models import AccountLogin, User, UserSession, utcnow

SESSION_KEY = "_sid"
# last_seen_at is written at most this often: idle expiry stays within a few minutes
# of the setting without a database write on every request.
TOUCH_EVERY = timedelta(minutes=2)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def start(user: User, now: datetime) -> str:
    """Open a session for user and return its token.

    Ends the account's idle sessions, and all its others where the role keeps one
    session per account (SINGLE_SESSION_ROLES).
    """
    write_lock()
    ended = db.delete(UserSession).where(UserSession.user_id == user.id)
    if user.role not in current_app.config["SINGLE_SESSION_ROLES"]:
        ended = ended.where(UserSession.last_seen_at < now - _idle())
    db.session.execute(ended)
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, token_hash=_hash(token), created_at=now, last_seen_at=now)
    )
    note_login(user.id, now)
    db.session.commit()
    return token


# Built once: every request runs it, and a prebuilt statement skips the construction and
# cache-key work SQLAlchemy does for a new one (a tenth of a request's time).
_SESSION_USER = (
    db.select(User, UserSession)
    .join(UserSession, UserSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), UserSession.token_hash == bindparam("token_hash"))
)


def load_user(session_id: str, now: datetime) -> User | None:
    """Flask-Login's user loader: the account, if this request's session is still open.

    One query for the account and its session row (no extra round trip per request).
    The session id is "user id:password epoch"; a remember-me cookie brings no session
    token, so it opens nothing by itself.
    """
    user_id, _, _epoch = session_id.partition(":")
    token = session.get(SESSION_KEY)
    if not user_id.isdigit() or len(user_id) > 18 or not isinstance(token, str) or not token:
        return None
    found = db.session.execute(
        _SESSION_USER, {"user_id": int(user_id), "token_hash": _hash(token)}
    ).one_or_none()
    if found is None:
        return None
    user, row = found
    if user.get_id() != session_id or row.last_seen_at < now - _idle():
        return None
    g.user_session = row
    return user


def touch_current(now: datetime) -> None:
    """Note activity on this request's session, if it has one."""
    row = g.get("user_session")
    if row is not None:
        touch(row, now)


def touch(row: UserSession, now: datetime) -> None:
    """Note activity on a session (at most every TOUCH_EVERY)."""
    if now - row.last_seen_at >= TOUCH_EVERY:
        write_lock()
        row.last_seen_at = now
        db.session.commit()


def note_login(user_id: int, now: datetime) -> None:
    """Record a login (one upsert, in the login's own transaction): the manager's list of
    people who never logged in is the accounts without a row."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(AccountLogin).values(user_id=user_id, first_at=now, last_at=now)
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id"], set_={"last_at": stmt.excluded.last_at}
        )
    )


def end(token: object) -> None:
    """End one session (logout on this device)."""
    if isinstance(token, str) and token:
        write_lock()
        db.session.execute(db.delete(UserSession).where(UserSession.token_hash == _hash(token)))
        db.session.commit()


def end_all(user: User) -> None:
    """End every session of user (no commit: part of the caller's transaction)."""
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))


def _on_login(app: Flask, user: User, **_extra) -> None:
    # Every login_user() (login page, API, registration, password change) opens a row.
    session[SESSION_KEY] = start(user, utcnow())


def _on_logout(app: Flask, user: User | None = None, **_extra) -> None:
    end(session.pop(SESSION_KEY, None))
    g.pop("user_session", None)


def init_app(app: Flask) -> None:
    user_logged_in.connect(_on_login, app)
    user_logged_out.connect(_on_logout, app)
