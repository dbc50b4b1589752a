"""Self-service password recovery by e-mail, after OWASP's Forgot Password Cheat Sheet.

The same answer whether or not an account has the address (no enumeration), and at the
same speed: the request only writes a link row and queues a `mail.password_reset` job;
the job worker mints the token and sends the mail (docs/security.md). The link's token
is random (256 bits), single use, expires (PASSWORD_RESET_MINUTES), and only its SHA-256
is stored, so a copy of the database opens nothing; the raw token never reaches the
database at all (the job holds the link row's id, not the token). Using it sets a new
password (the usual strength rules), ends every session of the account and is
audit-logged; it does not log the person in. Offered only where e-mail is configured.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMessage
from sqlalchemy import delete, select

from question_bank.people import normalize_email

from .. import audit
from ..errors import DomainError
from ..extensions import db, lock_row, write_lock
from ..models import Job, PasswordResetToken, User, UserSession
from .services import check_new_password


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invalid() -> DomainError:
    return DomainError(
        "invalid_reset_link",
        _l(
            "Liên kết đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn. "
            "Hãy yêu cầu một liên kết mới."
        ),
        status=404,
    )


MAIL_JOB = "mail.password_reset"


def request_link(email_raw: str, *, now: datetime, locale: str, base_url: str) -> bool:
    """Queue a reset mail for the active account with this e-mail; False when there is
    no such account (the caller answers the same either way, and just as fast: nothing
    is sent here).

    An account keeps one live link: asking again ends the earlier ones. The link row is
    written now with the hash of a throwaway token, so it opens nothing until the worker
    mints the real token (mail_link). The job names the row by that placeholder hash, never
    a token: ids are reused (SQLite), and once the worker replaced the hash the job names
    nothing, so a job run twice or a replaced link sends nothing.
    """
    email = normalize_email(email_raw or "")
    if not email:
        return False
    write_lock()
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or not user.active or user.anonymized_at is not None:
        db.session.rollback()
        return False
    db.session.execute(
        delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    )
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    placeholder = _hash(secrets.token_urlsafe(32))  # its token is thrown away
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=placeholder,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    db.session.add(
        Job(
            kind=MAIL_JOB,
            created_by_id=user.id,
            created_at=now,
            updated_at=now,
            params={"link": placeholder, "locale": locale, "base_url": base_url},
        )
    )
    audit.record(None, "user.password_reset_requested", "user", user.id, now=now)
    db.session.commit()
    return True


def mail_link(placeholder: str, *, locale: str, base_url: str, now: datetime) -> bool:
    """For the job worker: mint the link's token, store its hash and mail the link; flush
    only (the worker commits). False, and nothing sent, when the link was used, replaced by
    a newer one or has expired meanwhile, or the account can no longer use it."""
    write_lock()
    row = lock_row(PasswordResetToken, PasswordResetToken.token_hash == placeholder)
    if row is None or row.used_at is not None or row.expires_at <= now:
        return False
    user = db.session.get(User, row.user_id)
    if user is None or not user.active or user.anonymized_at is not None or not user.email:
        return False
    token = secrets.token_urlsafe(32)
    row.token_hash = _hash(token)
    db.session.flush()
    with force_locale(locale):
        send_link(user, token, base_url=base_url)
    return True


def valid_token(token: str, now: datetime) -> PasswordResetToken | None:
    """The unused, unexpired token row for this link (read-only), or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = db.session.execute(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def use_link(token: str, *, password: str, confirm: str, now: datetime) -> User:
    """Set a new password through a reset link: once, before it expires; every session of
    the account ends and every other link of it too."""
    if valid_token(token, now) is None:
        raise _invalid()
    check_new_password(password, confirm)  # a weak password leaves the link usable
    row = lock_row(PasswordResetToken, PasswordResetToken.token_hash == _hash(token))
    # Checked again under the lock: two tabs using one link, only the first one wins.
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise _invalid()
    user = lock_row(User, User.id == row.user_id)
    if user is None or not user.active or user.anonymized_at is not None:
        raise _invalid()
    user.set_password(password, now=now)
    user.must_change_password = False
    row.used_at = now
    db.session.execute(
        delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    )
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    audit.record(user, "user.password_reset_by_link", "user", user.id, now=now)
    db.session.commit()
    return user


def link_for(token: str, base_url: str) -> str:
    """The reset link, on the site's configured address (PUBLIC_URL) rather than the
    request's Host header, which a client chooses; built outside any request (worker)."""
    base = current_app.config.get("PUBLIC_URL") or base_url
    path = current_app.url_map.bind("localhost").build("auth.reset_password", {"token": token})
    return base.rstrip("/") + path


def send_link(user: User, token: str, *, base_url: str) -> None:
    """Mail the link to the account's address (Flask-Mailman; MAIL_* settings)."""
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    name = current_app.config["CONTEST_NAME"]
    body = _(
        "Xin chào %(name)s,\n\n"
        "Có yêu cầu đặt lại mật khẩu cho tài khoản của bạn trên trang %(site)s. "
        "Để đặt mật khẩu mới, hãy mở liên kết sau (dùng được một lần, trong %(minutes)d phút):\n\n"
        "%(link)s\n\n"
        "Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.\n",
        name=user.full_name,
        site=name,
        minutes=minutes,
        link=link_for(token, base_url),
    )
    EmailMessage(
        subject=_("Đặt lại mật khẩu — %(site)s", site=name),
        body=body,
        to=[user.email],
    ).send()
