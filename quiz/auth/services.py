"""Accounts: registration, authentication, profile and password changes."""

import functools
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from question_bank.people import normalize_email, normalize_phone
from question_bank.tabular import fold

from .. import audit, passwords
from ..accounts import has_taken_part
from ..db_errors import is_violation
from ..errors import DomainError
from ..extensions import db, lock_row, write_lock
from ..models import Group, Role, Unit, User, UserSession
from ..privacy.services import NOTICE_VERSION

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


def account_row(
    *,
    full_name: str,
    email: str | None,
    phone: str | None,
    unit_id: int,
    password: str,
    now: datetime,
    role: str = Role.CONTESTANT,
    group: str = Group.STAFF,
    position: str | None = None,
    birth_year: int | None = None,
    must_change_password: bool = False,
    approved: bool = True,
    organizer_staff: bool = False,
) -> dict:
    """The columns of a new account, for one ORM object or a bulk insert of many."""
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError("name_required", _l("Vui lòng nhập họ và tên."))
    # A person who must change their password was given a generated one (import, reset):
    # it takes the cheap one-time hash (quiz/passwords.py).
    method = passwords.ONE_TIME_METHOD if must_change_password else _hash_method()
    return {
        "full_name": full_name,
        "name_search": fold(full_name),
        "email": email,
        "phone": phone,
        "unit_id": unit_id,
        "password_hash": passwords.hash_password(password, method),
        "password_changed_at": now,
        "role": str(role),
        "participant_group": str(group),
        "position": position or None,
        "birth_year": birth_year,
        "is_organizer_staff": organizer_staff,
        "must_change_password": must_change_password,
        "active": True,
        "created_at": now,
        "approved_at": now if approved else None,
    }


def new_user(*, unit: Unit, **fields) -> User:
    """Add a user to the session (no flush, no commit); approved unless self-registered."""
    user = User(**account_row(unit_id=unit.id, **fields))
    db.session.add(user)
    return user


def registration_problems(
    *,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    confirm: str,
    unit_id: int | None,
    group: str,
    consent: bool,
) -> list[DomainError]:
    """Every reason the registration would be refused, at once (read-only).

    A taken email or phone is not among them: the database finds it when the account is
    saved, and the refusal then names neither (see register).
    """
    problems: list[DomainError] = []

    def check(fn, *args) -> None:
        try:
            fn(*args)
        except DomainError as err:
            problems.append(err)

    if not " ".join((full_name or "").split()):
        problems.append(DomainError("name_required", _l("Vui lòng nhập họ và tên.")))
    email_raw, phone_raw = (email or "").strip(), (phone or "").strip()
    if email_raw:
        check(_login_fields, email_raw, "")
    if phone_raw:
        check(_login_fields, "", phone_raw)
    if not email_raw and not phone_raw:
        check(_login_fields, "", "")
    check(check_new_password, password, password)
    if len(password or "") >= MIN_PASSWORD_LENGTH and password != confirm:
        check(check_new_password, password, confirm)
    if group not in set(Group):
        problems.append(DomainError("invalid_group", _l("Vui lòng chọn đối tượng dự thi.")))
    check(_unit, unit_id)
    if not consent:
        problems.append(
            DomainError(
                "consent_required",
                _l("Vui lòng đọc thông báo xử lý dữ liệu cá nhân và đánh dấu đồng ý để đăng ký."),
            )
        )
    return problems


def register(
    *,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    confirm: str,
    unit_id: int | None,
    group: str,
    consent: bool,
    now: datetime,
) -> User:
    """Create a contestant account, pending its unit's approval, with the person's consent
    to the data notice; a duplicate email or phone is refused (also in a race) without
    saying which one, so the form tells nobody who has an account."""
    problems = registration_problems(
        full_name=full_name,
        email=email,
        phone=phone,
        password=password,
        confirm=confirm,
        unit_id=unit_id,
        group=group,
        consent=consent,
    )
    if problems:
        raise problems[0]
    email_n, phone_n = _login_fields(email, phone)
    user = new_user(
        full_name=full_name,
        email=email_n,
        phone=phone_n,
        unit=_unit(unit_id),
        password=password,
        group=group,
        now=now,
        approved=False,
    )
    user.consent_at, user.consent_version = now, NOTICE_VERSION
    try:
        flush_unique()
    except DomainError as err:
        if err.code in ("email_taken", "phone_taken"):
            raise DomainError(
                "registration_refused",
                _l(
                    "Không thể tạo tài khoản với thông tin này. Nếu bạn đã có tài khoản, "
                    "hãy đăng nhập; nếu không đăng nhập được, hãy liên hệ cán bộ đầu mối "
                    "của đơn vị."
                ),
                status=422,
            ) from None
        raise
    db.session.commit()
    return user


def placement_locked(user: User) -> tuple[bool, bool]:
    """(unit locked, group locked) for the person's own profile.

    A manager's or admin's unit is their reach: never theirs to change. A contestant's
    unit and group are frozen once they have an attempt (eligibility, ranking and bank
    depend on them); from then on their unit manager or an admin corrects them.
    """
    taken_part = has_taken_part(user.id)
    return user.role != Role.CONTESTANT or taken_part, taken_part


def update_profile(
    user: User,
    *,
    full_name: str,
    email: str,
    phone: str,
    unit_id: int | None = None,
    group: str | None = None,
    position: str | None,
    birth_year: int | None,
) -> None:
    """Save the person's own details; unit and group only where still their own to change
    (None keeps them)."""
    email_n, phone_n = _login_fields(email, phone)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError("name_required", _l("Vui lòng nhập họ và tên."))
    if group is not None and group not in set(Group):
        raise DomainError("invalid_group", _l("Vui lòng chọn đối tượng dự thi."))
    # Checked under the person's row lock, which a start of an attempt also takes: a start
    # and an edit of the same person never interleave.
    user = lock_row(User, User.id == user.id)
    unit_locked, group_locked = placement_locked(user)
    if unit_id is not None and unit_id != user.unit_id and unit_locked:
        raise DomainError(
            "unit_locked",
            _l("Đơn vị của bạn chỉ có thể do cán bộ đầu mối đơn vị hoặc Ban Tổ chức thay đổi."),
            status=403,
        )
    if group is not None and group != user.participant_group and group_locked:
        raise DomainError(
            "group_locked",
            _l(
                "Bạn đã tham gia thi nên không thể tự đổi đối tượng dự thi; "
                "hãy liên hệ cán bộ đầu mối đơn vị hoặc Ban Tổ chức."
            ),
            status=403,
        )
    user.full_name = full_name
    user.name_search = fold(full_name)
    user.email, user.phone = email_n, phone_n
    if unit_id is not None:
        user.unit_id = _unit(unit_id).id
    if group is not None:
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
    # Every session of the account ends, this one too: the caller logs it in afresh.
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()


def issue_one_time_password(user: User, *, actor: User, now: datetime) -> str:
    """A new generated password for someone else's account (flush only): to be changed at
    next login; every session of the account ends; audit-logged, never the password."""
    password = generate_password()
    user.set_password(password, now=now, one_time=True)
    user.must_change_password = True
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
    audit.record(actor, "user.reset_password", "user", user.id, now=now)
    return password


def generate_password() -> str:
    """An initial password that is easy to read aloud and type on a phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))
