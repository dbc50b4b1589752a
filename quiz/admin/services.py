"""Admin writes: the unit tree and accounts. Each public function is one transaction."""

import io
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from question_bank.people import PersonRecord, display_phone, read_people
from question_bank.tabular import ReadResult, fold
from question_bank.units import UnitRecord

from .. import audit
from ..auth import services as auth_services
from ..db_errors import is_violation
from ..errors import DomainError, ImportRejected
from ..extensions import db, write_lock
from ..labels import ROLE_LABELS
from ..models import Role, Unit, Upload, User
from ..unit_tree import recompute_paths
from ..xlsx import workbook_bytes


def existing_unit_parents() -> dict[str, str | None]:
    """Code → parent code of every unit, for validating an upload against the tree."""
    parent = db.aliased(Unit)
    rows = db.session.execute(
        db.select(Unit.code, parent.code).outerjoin(parent, Unit.parent_id == parent.id)
    ).all()
    return dict(rows)


def import_units(records: Iterable[UnitRecord], *, actor: User | None, now: datetime) -> dict:
    """Create or update units by code (records already validated); returns counts."""
    counts = apply_units(records, now=now)
    audit.record(actor, "units.import", "unit", None, now=now, **counts)
    db.session.commit()
    return counts


def apply_units(records: Iterable[UnitRecord], *, now: datetime) -> dict:
    """Upsert units by code and rebuild paths (flush only)."""
    records = list(records)
    by_code = {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}
    created = updated = 0
    for r in records:
        unit = by_code.get(r.code)
        if unit is None:
            unit = Unit(code=r.code, created_at=now, path="")
            db.session.add(unit)
            by_code[r.code] = unit
            created += 1
        else:
            updated += 1
        unit.name = r.name
        unit.name_search = fold(r.name)
        unit.kind = r.kind
        unit.headcount = r.headcount
        unit.target_rate = r.target_rate
        unit.updated_at = now
    db.session.flush()
    for r in records:
        parent = by_code.get(r.parent_code) if r.parent_code else None
        by_code[r.code].parent_id = parent.id if parent else None
    db.session.flush()
    recompute_paths()
    return {"created": created, "updated": updated}


def update_unit(
    unit: Unit,
    *,
    name: str,
    kind: str,
    parent_id: int | None,
    headcount: int | None,
    target_rate: float | None,
    actor: User,
    now: datetime,
) -> None:
    """Edit one unit; moving it under its own subtree is refused."""
    if parent_id:
        parent = db.session.get(Unit, parent_id)
        if parent is None:
            raise DomainError("unknown_unit", _l("Đơn vị cấp trên không tồn tại."))
        if parent.path.startswith(unit.path):
            raise DomainError(
                "unit_cycle",
                _l("Không thể đặt một đơn vị làm cấp dưới của chính nó hoặc của đơn vị con."),
            )
    before = _unit_snapshot(unit)
    unit.name, unit.name_search, unit.kind = name.strip(), fold(name), kind
    unit.parent_id = parent_id or None
    unit.headcount, unit.target_rate = headcount, target_rate
    unit.updated_at = now
    db.session.flush()
    after = _unit_snapshot(unit)
    if before["parent"] != after["parent"]:
        recompute_paths()
    changes = audit.diff(before, after)
    audit.record(actor, "unit.update", "unit", unit.code, now=now, changes=changes)
    db.session.commit()


def _unit_snapshot(unit: Unit) -> dict[str, object]:
    """A unit's columns, with its parent also by code (an id alone says little in the log)."""
    values = audit.snapshot(unit, exclude=("parent_id",))
    parent = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    values["parent"] = parent.code if parent else None
    return values


@dataclass(frozen=True)
class NewAccount:
    """A created account as the credentials file lists it."""

    row: int
    full_name: str
    unit_code: str
    login: str
    password: str
    role: str


# (stage, done, total): how a long import reports where it is (the job page shows it).
Progress = Callable[[str, int, int], None]
INSERT_CHUNK = 1000


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    pass


def import_people(
    records: Sequence[PersonRecord], *, actor: User | None, now: datetime
) -> list[NewAccount]:
    """Create accounts with generated passwords (to change at first login), all or nothing."""
    created = create_people(records, now=now)
    audit.record(actor, "users.import", "user", None, now=now, created=len(created))
    db.session.commit()
    return created


def create_people(
    records: Sequence[PersonRecord], *, now: datetime, progress: Progress = _no_progress
) -> list[NewAccount]:
    """Insert validated people in bulk (flush only): the caller commits, so it is all or none.

    A province's 50,000 rows take one cheap hash each and a few executemany statements
    instead of 50,000 ORM objects; the unique constraints on email and phone still guard
    duplicates, and a login taken since the file was checked names its row.
    """
    unit_ids = dict(db.session.execute(db.select(Unit.code, Unit.id)).all())
    rows, created = [], []
    total = len(records)
    for done, r in enumerate(records, start=1):
        password = auth_services.generate_password()
        row = auth_services.account_row(
            full_name=r.full_name,
            email=r.email,
            phone=r.phone,
            unit_id=unit_ids[r.unit_code],
            password=password,
            role=r.role,
            group=r.group,
            organizer_staff=r.organizer_staff,
            position=r.position,
            must_change_password=True,
            now=now,
        )
        rows.append(row)
        created.append(
            NewAccount(
                r.row,
                row["full_name"],
                r.unit_code,
                r.email or display_phone(r.phone),
                password,
                r.role,
            )
        )
        if done % INSERT_CHUNK == 0:
            progress("passwords", done, total)
    # Checked against the tree as it is now, in the writing transaction (SQLite: write lock).
    write_lock()
    progress("saving", 0, total)
    table = User.__table__
    try:
        for start in range(0, total, INSERT_CHUNK):
            db.session.execute(table.insert(), rows[start : start + INSERT_CHUNK])
            progress("saving", min(start + INSERT_CHUNK, total), total)
    except IntegrityError as err:
        db.session.rollback()
        raise _taken_login(err, records) from err
    return created


def _taken_login(err: IntegrityError, records: Sequence[PersonRecord]) -> Exception:
    """The refusal naming the first row whose email or phone another account now has."""
    if not (
        is_violation(err, "uq_user_account_email", "user_account.email")
        or is_violation(err, "uq_user_account_phone", "user_account.phone")
    ):
        return err
    emails = {r.email for r in records if r.email}
    phones = {r.phone for r in records if r.phone}
    taken: set[str] = set()
    for column, values in ((User.email, emails), (User.phone, phones)):
        values = sorted(values)
        for start in range(0, len(values), INSERT_CHUNK):
            chunk = values[start : start + INSERT_CHUNK]
            taken.update(db.session.execute(db.select(column).where(column.in_(chunk))).scalars())
    db.session.rollback()
    row = next((r for r in records if r.email in taken or r.phone in taken), None)
    if row is None:  # the other account is gone again: say so without a row
        return DomainError(
            "login_taken",
            _l("Một email hoặc số điện thoại trong tệp vừa được dùng cho tài khoản khác."),
            status=409,
        )
    return DomainError(
        "login_taken",
        _l(
            "Dòng %(row)d: %(login)s đã được dùng cho một tài khoản khác (tạo sau khi tệp "
            "được kiểm tra). Không tài khoản nào được tạo."
        ),
        status=409,
        row=row.row,
        login=row.email if row.email in taken else display_phone(row.phone),
    )


# Roles that reach other people's data: from a file only with the admin's on-screen
# consent, row by row (a file passes through many hands before it is uploaded). A judge
# reads and scores other people's entries, so the role is granted the same way.
ELEVATED_ROLES = frozenset({Role.UNIT_MANAGER.value, Role.ADMIN.value, Role.JUDGE.value})
PEOPLE_UPLOAD = "people"
PEOPLE_UPLOAD_KEEP = timedelta(days=1)


def read_people_file(data: bytes, filename: str) -> ReadResult[PersonRecord]:
    """Validate an account file against the units and the logins as they are now."""
    unit_codes = set(db.session.execute(db.select(Unit.code)).scalars())
    taken = {
        login
        for pair in db.session.execute(db.select(User.email, User.phone)).all()
        for login in pair
        if login
    }
    return read_people(io.BytesIO(data), filename, unit_codes, taken)


def stash_people(user: User, filename: str, data: bytes, *, now: datetime) -> Upload:
    """Keep an account file until the admin has seen the preview and confirmed it."""
    db.session.execute(db.delete(Upload).where(Upload.created_at < now - PEOPLE_UPLOAD_KEEP))
    upload = Upload(user_id=user.id, kind=PEOPLE_UPLOAD, filename=filename, data=data)
    upload.created_at = now
    db.session.add(upload)
    db.session.commit()
    return upload


def people_import_job(
    upload: Upload | None,
    *,
    elevate: Collection[int],
    actor: User,
    now: datetime,
    progress: Progress,
) -> tuple[dict, bytes]:
    """The account import of a confirmed upload, as a background job (flush only).

    Re-validates the stashed file against the units and logins as they are now, creates
    its accounts and returns (summary, credentials XLSX); the job worker commits both with
    the job's own outcome. A row asking for unit_manager, admin or judge gets that role only when
    its number is in `elevate` (ticked by the admin on the preview); otherwise it becomes
    a contestant.
    """
    if upload is None:
        raise DomainError(
            "upload_gone",
            _l("Tệp tải lên không còn trên hệ thống (đã quá hạn hoặc đã nhập). Hãy tải lên lại."),
        )
    progress("checking", 0, 0)
    result = read_people_file(upload.data, upload.filename)
    if not result.ok:
        raise ImportRejected(result.problems)
    records, granted = [], []
    for r in result.records:
        if r.role in ELEVATED_ROLES and r.row not in elevate:
            r = replace(r, role=Role.CONTESTANT.value)
        elif r.role in ELEVATED_ROLES:
            granted.append({"row": r.row, "role": r.role, "login": r.email or r.phone})
        records.append(r)
    created = create_people(records, now=now, progress=progress)
    audit.record(
        actor,
        "users.import",
        "user",
        None,
        now=now,
        created=len(created),
        filename=upload.filename,
        elevated=granted,
        demoted=sum(1 for r in result.records if r.role in ELEVATED_ROLES) - len(granted),
        organizer_staff=[r.email or r.phone for r in records if r.organizer_staff],
    )
    db.session.delete(upload)
    progress("file", len(created), len(created))
    return {"created": len(created)}, credentials_xlsx(created, now)


def create_user(*, actor: User | None, now: datetime, unit_code: str, **fields) -> User:
    """One account (CLI `users create`)."""
    unit = db.session.execute(db.select(Unit).filter_by(code=unit_code)).scalar_one_or_none()
    if unit is None:
        raise DomainError(
            "unknown_unit", _l("Không có đơn vị mã %(unit_code)s."), unit_code=unit_code
        )
    user = auth_services.new_user(unit=unit, now=now, **fields)
    auth_services.flush_unique()
    audit.record(
        actor,
        "user.create",
        "user",
        user.id,
        now=now,
        role=user.role,
        organizer_staff=user.is_organizer_staff,
    )
    db.session.commit()
    return user


def set_role(user: User, role: str, *, actor: User, now: datetime) -> None:
    if role not in set(Role):
        raise DomainError("invalid_role", _l("Vai trò không hợp lệ."))
    if user.id == actor.id and role != Role.ADMIN:
        raise DomainError(
            "own_role", _l("Bạn không thể tự bỏ quyền quản trị của chính mình."), status=409
        )
    before = user.role
    user.role = role
    changes = audit.diff({"role": before}, {"role": role})
    audit.record(actor, "user.role", "user", user.id, now=now, changes=changes)
    db.session.commit()


def set_organizer_staff(user: User, flag: bool, *, actor: User, now: datetime) -> None:
    """Mark or unmark one of the organizers' own staff, who take part but win no prize."""
    before = user.is_organizer_staff
    user.is_organizer_staff = flag
    changes = audit.diff({"is_organizer_staff": before}, {"is_organizer_staff": flag})
    audit.record(actor, "user.organizer_staff", "user", user.id, now=now, changes=changes)
    db.session.commit()


def reset_password(user: User, *, actor: User, now: datetime) -> str:
    """A new generated password, to be changed at next login; other sessions end."""
    password = auth_services.issue_one_time_password(user, actor=actor, now=now)
    db.session.commit()
    return password


def credentials_xlsx(created: Sequence[NewAccount], now: datetime | None = None) -> bytes:
    """The credentials file handed to units: who logs in with what (phones as 0912 000 002)."""
    headers = [
        _("Họ và tên"),
        _("Mã đơn vị"),
        _("Tên đăng nhập"),
        _("Mật khẩu ban đầu"),
        _("Vai trò"),
    ]
    roles = {role.value: str(label) for role, label in ROLE_LABELS.items()}
    rows = ((a.full_name, a.unit_code, a.login, a.password, roles[a.role]) for a in created)
    return workbook_bytes({_("Tài khoản"): (headers, rows)}, now=now)
