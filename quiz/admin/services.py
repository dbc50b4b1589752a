"""Admin writes: the unit tree and accounts. Each public function is one transaction."""

import io
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from question_bank.people import PersonRecord, read_people
from question_bank.tabular import ReadResult, fold
from question_bank.units import UnitRecord

from .. import audit
from ..auth import services as auth_services
from ..errors import DomainError
from ..extensions import db
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
    before = {
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "headcount": unit.headcount,
        "target_rate": unit.target_rate,
    }
    unit.name, unit.name_search, unit.kind = name.strip(), fold(name), kind
    unit.parent_id = parent_id or None
    unit.headcount, unit.target_rate = headcount, target_rate
    unit.updated_at = now
    db.session.flush()
    if before["parent_id"] != unit.parent_id:
        recompute_paths()
    audit.record(actor, "unit.update", "unit", unit.code, now=now, before=before)
    db.session.commit()


def import_people(
    records: Iterable[PersonRecord], *, actor: User | None, now: datetime
) -> list[tuple[User, str]]:
    """Create accounts with generated passwords (to change at first login)."""
    unit_ids = dict(db.session.execute(db.select(Unit.code, Unit.id)).all())
    created: list[tuple[User, str]] = []
    for r in records:
        password = auth_services.generate_password()
        user = auth_services.new_user(
            full_name=r.full_name,
            email=r.email,
            phone=r.phone,
            unit=db.session.get(Unit, unit_ids[r.unit_code]),
            password=password,
            role=r.role,
            group=r.group,
            position=r.position,
            must_change_password=True,
            now=now,
        )
        created.append((user, password))
    # One flush for the batch: a login taken meanwhile fails the whole import.
    auth_services.flush_unique()
    audit.record(actor, "users.import", "user", None, now=now, created=len(created))
    db.session.commit()
    return created


# Roles that reach other people's data: from a file only with the admin's on-screen
# consent, row by row (a file passes through many hands before it is uploaded).
ELEVATED_ROLES = frozenset({Role.UNIT_MANAGER.value, Role.ADMIN.value})
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


def confirm_people(
    upload: Upload, *, elevate: Collection[int], actor: User, now: datetime
) -> tuple[ReadResult[PersonRecord], list[tuple[User, str]] | None]:
    """Re-validate the stashed file, then create its accounts in one transaction.

    A row asking for unit_manager or admin gets that role only when its number is in
    `elevate` (ticked by the admin on the preview); otherwise it becomes a contestant.
    """
    result = read_people_file(upload.data, upload.filename)
    if not result.ok:
        return result, None
    records, granted = [], []
    for r in result.records:
        if r.role in ELEVATED_ROLES and r.row not in elevate:
            r = replace(r, role=Role.CONTESTANT.value)
        elif r.role in ELEVATED_ROLES:
            granted.append({"row": r.row, "role": r.role, "login": r.email or r.phone})
        records.append(r)
    created = _create_people(records, now=now)
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
    )
    db.session.delete(upload)
    db.session.commit()
    return result, created


def _create_people(records: Iterable[PersonRecord], *, now: datetime) -> list[tuple[User, str]]:
    unit_ids = dict(db.session.execute(db.select(Unit.code, Unit.id)).all())
    created: list[tuple[User, str]] = []
    for r in records:
        password = auth_services.generate_password()
        user = auth_services.new_user(
            full_name=r.full_name,
            email=r.email,
            phone=r.phone,
            unit=db.session.get(Unit, unit_ids[r.unit_code]),
            password=password,
            role=r.role,
            group=r.group,
            position=r.position,
            must_change_password=True,
            now=now,
        )
        created.append((user, password))
    # One flush for the batch: a login taken meanwhile fails the whole import.
    auth_services.flush_unique()
    return created


def create_user(*, actor: User | None, now: datetime, unit_code: str, **fields) -> User:
    """One account (CLI `users create`)."""
    unit = db.session.execute(db.select(Unit).filter_by(code=unit_code)).scalar_one_or_none()
    if unit is None:
        raise DomainError(
            "unknown_unit", _l("Không có đơn vị mã %(unit_code)s."), unit_code=unit_code
        )
    user = auth_services.new_user(unit=unit, now=now, **fields)
    auth_services.flush_unique()
    audit.record(actor, "user.create", "user", user.id, now=now, role=user.role)
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
    audit.record(actor, "user.role", "user", user.id, now=now, before=before, after=role)
    db.session.commit()


def reset_password(user: User, *, actor: User, now: datetime) -> str:
    """A new generated password, to be changed at next login; other sessions end."""
    password = auth_services.generate_password()
    user.set_password(password, now=now, one_time=True)
    user.must_change_password = True
    audit.record(actor, "user.reset_password", "user", user.id, now=now)
    db.session.commit()
    return password


def credentials_xlsx(created: list[tuple[User, str]]) -> bytes:
    """The credentials file handed to units: who logs in with what."""
    headers = [
        _("Họ và tên"),
        _("Mã đơn vị"),
        _("Tên đăng nhập"),
        _("Mật khẩu ban đầu"),
        _("Vai trò"),
    ]
    rows = [
        (u.full_name, u.unit.code, u.login, password, str(ROLE_LABELS[Role(u.role)]))
        for u, password in created
    ]
    return workbook_bytes({_("Tài khoản"): (headers, rows)})
