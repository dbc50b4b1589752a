"""Accounts: registration, authentication, profile and password changes."""

import functools
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from question_bank.people import normalize_email, normalize_phone
from question_bank.tabular import fold

from .. import passwords
from ..db_errors import is_violation
from ..errors import DomainError
from ..extensions import db, write_lock
from ..models import Group, Role, Unit, User

MIN_PASSWORD_LENGTH = 8


def _hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", passwords.ARGON2ID)


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked against when the login is unknown, so a wrong login and a wrong password
    take the same time and reveal nothing about which accounts exist."""
    return passwords.hash_password(secrets.token_hex(8), method)


def parse_login(raw: str) -> tuple[str | None, str | None]:
    """(email, phone) for what a person typed in the login box."""
    raw = (raw or "").strip()
    if "@" in raw:
        return normalize_email(raw), None
    return None, normalize_phone(raw)


def find_by_login(raw: str) -> User | None:
    email, phone = parse_login(raw)
    if email:
        return db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if phone:
        return db.session.execute(db.select(User).filter_by(phone=phone)).scalar_one_or_none()
    return None


def authenticate(login: str, password: str) -> User:
    """The active user with this login and password, or invalid_credentials."""
    user = find_by_login(login)
    if user is None:
        passwords.verify(_dummy_hash(_hash_method()), password or "")
    if user is None or not user.active or not user.check_password(password or ""):
        raise DomainError(
            "invalid_credentials",
            _l("Email/số điện thoại hoặc mật khẩu không đúng."),
            status=401,
        )
    if user.password_needs_upgrade():
        # Rehash with the current method while the password is at hand (same password, so
        # the session epoch stays: only the hash changes).
        write_lock()
        user.password_hash = passwords.hash_password(password, _hash_method())
        db.session.commit()
    return user


def load_user(session_id: str) -> User | None:
    """The user of a session id "id:password-epoch"; None once the password changed."""
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.get_id() != f"{user_id}:{epoch}":
        return None
    return user


def check_new_password(password: str, confirm: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            "weak_password",
            _l("Mật khẩu phải có ít nhất %(n)d ký tự."),
            n=MIN_PASSWORD_LENGTH,
        )
    if password != confirm:
        raise DomainError("password_mismatch", _l("Hai lần nhập mật khẩu không khớp nhau."))


def _login_fields(email_raw: str, phone_raw: str) -> tuple[str | None, str | None]:
    email = normalize_email(email_raw) if email_raw and email_raw.strip() else None
    phone = normalize_phone(phone_raw) if phone_raw and phone_raw.strip() else None
    if email_raw and email_raw.strip() and email is None:
        raise DomainError("invalid_email", _l("Địa chỉ email không hợp lệ."))
    if phone_raw and phone_raw.strip() and phone is None:
        raise DomainError(
            "invalid_phone", _l("Số điện thoại không hợp lệ (ví dụ đúng: 0912 345 678).")
        )
    if not email and not phone:
        raise DomainError("login_required", _l("Cần nhập email hoặc số điện thoại."))
    return email, phone


def _unit(unit_id: int | None) -> Unit:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise DomainError("unknown_unit", _l("Vui lòng chọn đơn vị công tác trong danh sách."))
    return unit


def flush_unique() -> None:
    """Flush, turning a duplicate email or phone into a readable domain error."""
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        if is_violation(err, "uq_user_account_email", "user_account.email"):
            raise DomainError(
                "email_taken", _l("Email này đã được dùng cho một tài khoản khác."), status=409
            ) from err
        if is_violation(err, "uq_user_account_phone", "user_account.phone"):
            raise DomainError(
                "phone_taken",
                _l("Số điện thoại này đã được dùng cho một tài khoản khác."),
                status=409,
            ) from err
        raise


def new_user(
    *,
    full_name: str,
    email: str | None,
    phone: str | None,
    unit: Unit,
    password: str,
    now: datetime,
    role: str = Role.CONTESTANT,
    group: str = Group.STAFF,
    position: str | None = None,
    birth_year: int | None = None,
    must_change_password: bool = False,
) -> User:
    """Add a user to the session (no flush, no commit)."""
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError("name_required", _l("Vui lòng nhập họ và tên."))
    user = User(
        full_name=full_name,
        name_search=fold(full_name),
        email=email,
        phone=phone,
        unit_id=unit.id,
        role=str(role),
        participant_group=str(group),
        position=position or None,
        birth_year=birth_year,
        must_change_password=must_change_password,
        created_at=now,
    )
    # A person who must change their password was given a generated one (import, reset).
    user.set_password(password, now=now, one_time=must_change_password)
    db.session.add(user)
    return user


def register(
    *,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    confirm: str,
    unit_id: int | None,
    group: str,
    now: datetime,
) -> User:
    """Create a contestant account; a duplicate email or phone is refused, also in a race."""
    email_n, phone_n = _login_fields(email, phone)
    check_new_password(password, confirm)
    if group not in set(Group):
        raise DomainError("invalid_group", _l("Vui lòng chọn đối tượng dự thi."))
    user = new_user(
        full_name=full_name,
        email=email_n,
        phone=phone_n,
        unit=_unit(unit_id),
        password=password,
        group=group,
        now=now,
    )
    flush_unique()
    db.session.commit()
    return user


def update_profile(
    user: User,
    *,
    full_name: str,
    email: str,
    phone: str,
    unit_id: int | None,
    group: str,
    position: str | None,
    birth_year: int | None,
) -> None:
    """Save the person's own details."""
    email_n, phone_n = _login_fields(email, phone)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError("name_required", _l("Vui lòng nhập họ và tên."))
    if group not in set(Group):
        raise DomainError("invalid_group", _l("Vui lòng chọn đối tượng dự thi."))
    user.full_name = full_name
    user.name_search = fold(full_name)
    user.email, user.phone = email_n, phone_n
    user.unit_id = _unit(unit_id).id
    user.participant_group = group
    user.position = (position or "").strip() or None
    user.birth_year = birth_year
    flush_unique()
    db.session.commit()


def change_password(user: User, *, current: str, new: str, confirm: str, now: datetime) -> None:
    """Replace the password after checking the current one."""
    if not user.check_password(current or ""):
        raise DomainError("wrong_password", _l("Mật khẩu hiện tại không đúng."))
    check_new_password(new, confirm)
    if new == current:
        raise DomainError("same_password", _l("Mật khẩu mới phải khác mật khẩu hiện tại."))
    user.set_password(new, now=now)
    user.must_change_password = False
    db.session.commit()


def generate_password() -> str:
    """An initial password that is easy to read aloud and type on a phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def unit_choices(query: str = "") -> list[Unit]:
    """Units in tree order, optionally only those whose folded name or code matches."""
    stmt = db.select(Unit).order_by(Unit.path)
    q = fold(query)
    if q:
        stmt = stmt.where(db.or_(Unit.name_search.contains(q), Unit.code.ilike(f"%{q}%")))
    return list(db.session.execute(stmt).scalars())
