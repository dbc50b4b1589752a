"""Judged contests: one public function per change, one commit each (DESIGN.md §9)."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError, NotFound
from ..extensions import db, lock_row, write_lock
from ..models import (
    Contest,
    ContestKind,
    Criterion,
    Entry,
    EntryReach,
    EntryStatus,
    EntryVote,
    JudgeAssignment,
    JudgedSettings,
    Role,
    ScoreSheet,
    SheetScore,
    SheetStatus,
    SpecialPrize,
    Stage,
    Standing,
    User,
)
from . import queries, standings

# Uploaded entries: what may be stored and how it is served back (never as HTML or script).
FILE_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
MAX_CRITERIA = 20


def _err(code: str, message, status: int = 422, **params) -> DomainError:
    return DomainError(code, message, status=status, **params)


def _judged_settings(contest: Contest, *, lock: bool = False) -> JudgedSettings:
    if contest.kind != ContestKind.ENTRIES:
        raise _err("not_entries_contest", _l("Hội thi này không nhận tác phẩm dự thi."), 409)
    if lock:
        settings = lock_row(JudgedSettings, JudgedSettings.contest_id == contest.id)
    else:
        settings = queries.settings_of(contest)
    if settings is None:
        raise NotFound()
    return settings


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise NotFound()


# ---- settings and the score sheet ----


def update_settings(contest: Contest, *, actor: User, now: datetime, **fields) -> JudgedSettings:
    """Change a judged contest's settings (deadlines, quota, voting, weights, prizes)."""
    _require_admin(actor)
    settings = _judged_settings(contest, lock=True)
    allowed = {c.key for c in JudgedSettings.__table__.columns} - {"contest_id"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    opens = fields.get("voting_opens_at", settings.voting_opens_at)
    closes = fields.get("voting_closes_at", settings.voting_closes_at)
    if opens and closes and closes <= opens:
        raise _err("invalid_window", _l("Thời điểm kết thúc bình chọn phải sau thời điểm mở."))
    quota = fields.get("preliminary_quota", settings.preliminary_quota)
    if quota is not None and quota < 1:
        raise _err("invalid_quota", _l("Số tác phẩm mỗi đơn vị được chọn phải từ 1 trở lên."))
    for key in ("jury_weight", "audience_weight", "vote_factor", "like_factor", "share_factor"):
        if fields.get(key, 0) < 0:
            raise _err("invalid_weight", _l("Trọng số và hệ số không được âm."))
    if (
        fields.get("jury_weight", settings.jury_weight)
        + fields.get("audience_weight", settings.audience_weight)
        <= 0
    ):
        raise _err("invalid_weight", _l("Tổng điểm ban giám khảo và khán giả phải lớn hơn 0."))
    if fields.get("finalist_count", 0) < 0:
        raise _err("invalid_finalists", _l("Số tác phẩm vào chung kết không được âm."))
    if "prizes" in fields:
        fields["prizes"] = _check_prizes(fields["prizes"])
    changed = {}
    for key, value in fields.items():
        if getattr(settings, key) != value:
            changed[key] = value.isoformat() if isinstance(value, datetime) else value
            setattr(settings, key, value)
    audit.record(actor, "judged.settings", "contest", contest.id, now=now, **changed)
    db.session.commit()
    return settings


def _check_prizes(prizes: dict) -> dict:
    clean = {}
    for key in standings.PRIZE_ORDER:
        spec = prizes.get(key.value) or {}
        count, amount = int(spec.get("count") or 0), int(spec.get("amount") or 0)
        if count < 0 or amount < 0:
            raise _err("invalid_prizes", _l("Số giải và tiền thưởng không được âm."))
        if count:
            clean[key.value] = {"count": count, "amount": amount}
    return clean


def parse_points(text: str) -> int:
    """Points typed by a person ("7,5", "7.5", "8") → half points; ValueError otherwise."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation as err:
        raise ValueError(text) from err
    doubled = value * 2
    if not value.is_finite() or doubled != doubled.to_integral_value():
        raise ValueError(text)
    return int(doubled)


def set_criteria(
    contest: Contest, rows: list[tuple[str, int]], *, actor: User, now: datetime
) -> list[Criterion]:
    """Replace the score sheet: (title, maximum in half points) per line, in order.

    Editable until the first sheet of the contest is submitted.
    """
    _require_admin(actor)
    _judged_settings(contest, lock=True)  # serialises with the first submission
    if queries.has_submitted_sheet(contest.id):
        raise _err(
            "criteria_locked",
            _l("Phiếu chấm đã có giám khảo nộp: không sửa được tiêu chí nữa."),
            409,
        )
    rows = [(" ".join((t or "").split()), m) for t, m in rows]
    if not rows or len(rows) > MAX_CRITERIA:
        raise _err("invalid_criteria", _l("Phiếu chấm cần từ 1 đến 20 tiêu chí."))
    for title, max_half in rows:
        if not title or len(title) > 200:
            raise _err("invalid_criteria", _l("Mỗi tiêu chí cần một tên (tối đa 200 ký tự)."))
        if not 1 <= max_half <= 2000:
            raise _err(
                "invalid_criteria", _l("Điểm tối đa của mỗi tiêu chí phải từ 0,5 đến 1.000.")
            )
    existing = queries.criteria(contest.id)
    # Positions move out of the way first, so the unique (contest, position) never clashes.
    for c in existing:
        c.position += 1000
    db.session.flush()
    kept = []
    for i, (title, max_half) in enumerate(rows):
        if i < len(existing):
            c = existing[i]
            c.position, c.title, c.max_half_points = i + 1, title, max_half
        else:
            c = Criterion(
                contest_id=contest.id, position=i + 1, title=title, max_half_points=max_half
            )
            db.session.add(c)
        kept.append(c)
    for c in existing[len(rows) :]:
        db.session.delete(c)
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise _err(
            "criteria_below_drafts",
            _l("Có phiếu nháp đã cho điểm cao hơn mức tối đa mới. Hãy kiểm tra lại."),
            409,
        ) from err
    audit.record(
        actor,
        "judged.criteria",
        "contest",
        contest.id,
        now=now,
        criteria=[[t, m / 2] for t, m in rows],
    )
    db.session.commit()
    return kept


def set_special_prize(
    contest: Contest,
    name: str,
    amount: int,
    entry: Entry | None,
    *,
    actor: User,
    now: datetime,
):
    """Add or change a named special prize and its winner."""
    _require_admin(actor)
    _judged_settings(contest, lock=True)
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise _err("invalid_prize", _l("Vui lòng nhập tên giải (tối đa 200 ký tự)."))
    if amount < 0:
        raise _err("invalid_prize", _l("Số tiền thưởng không được âm."))
    if entry is not None and entry.contest_id != contest.id:
        raise NotFound()
    prize = db.session.execute(
        select(SpecialPrize).where(SpecialPrize.contest_id == contest.id, SpecialPrize.name == name)
    ).scalar_one_or_none()
    if prize is None:
        prize = SpecialPrize(contest_id=contest.id, name=name)
        db.session.add(prize)
    prize.amount, prize.entry_id = amount, entry.id if entry else None
    db.session.flush()
    audit.record(
        actor,
        "judged.special_prize",
        "contest",
        contest.id,
        now=now,
        name=name,
        amount=amount,
        entry_id=prize.entry_id,
    )
    db.session.commit()
    return prize


# ---- entries ----


def _check_url(url: str | None) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise _err(
            "invalid_url",
            _l("Đường dẫn video phải là địa chỉ http(s) đầy đủ (tối đa 500 ký tự)."),
        )
    return url


def _may_register(actor: User, unit_id: int) -> bool:
    return actor.is_admin or (actor.is_manager and actor.unit_id == unit_id)


def _check_open(settings: JudgedSettings, actor: User, now: datetime) -> None:
    closes = settings.registration_closes_at
    if closes is not None and now >= closes and not actor.is_admin:
        raise _err("registration_closed", _l("Đã hết hạn đăng ký và sửa tác phẩm dự thi."), 409)


def files_dir() -> Path:
    return Path(
        current_app.config.get("JUDGED_FILES_DIR")
        or Path(current_app.instance_path) / "entry_files"
    )


def _store_file(filename: str, data: bytes) -> tuple[str, str, str, int]:
    """Keep an uploaded file under a random name (never the person's); its type comes from
    the allowed extensions, not from the browser."""
    name = Path(filename or "").name[-255:]
    suffix = Path(name).suffix.lower()
    if suffix not in FILE_TYPES:
        raise _err(
            "invalid_file",
            _l("Chỉ nhận tệp video (mp4, webm, mov), PDF hoặc ảnh (jpg, png)."),
        )
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024
    if not data or len(data) > limit:
        raise _err("invalid_file", _l("Tệp rỗng hoặc vượt quá giới hạn tải lên."), 413)
    key = secrets.token_hex(16) + suffix
    folder = files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(data)
    return key, name, FILE_TYPES[suffix], len(data)


@contextmanager
def _dropping_file_on_failure(new_key: str | None) -> Iterator[None]:
    """Roll back a failed save and remove the file it had just written (as quiz/materials
    does), so no file is left on disk that no entry points to."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        if new_key:
            (files_dir() / new_key).unlink(missing_ok=True)
        raise


def _fill(entry: Entry, title, authors, description, video_url, upload) -> None:
    title, authors = " ".join((title or "").split()), " ".join((authors or "").split())
    if not title or len(title) > 255:
        raise _err("invalid_title", _l("Vui lòng nhập tên tác phẩm (tối đa 255 ký tự)."))
    if not authors or len(authors) > 500:
        raise _err("invalid_authors", _l("Vui lòng nhập tác giả (tối đa 500 ký tự)."))
    description = (description or "").strip()
    if len(description) > 5000:
        raise _err("invalid_description", _l("Phần mô tả tối đa 5.000 ký tự."))
    url = _check_url(video_url)
    if upload is None and url is None and entry.file_key is None:
        raise _err("no_media", _l("Vui lòng nhập đường dẫn video hoặc tải tệp lên."))
    entry.title, entry.authors, entry.description, entry.video_url = (
        title,
        authors,
        description,
        url,
    )
    if upload is not None:
        entry.file_key, entry.file_name, entry.file_type, entry.file_size = _store_file(*upload)


def register_entry(
    contest: Contest,
    unit_id: int,
    *,
    title: str,
    authors: str,
    description: str = "",
    video_url: str | None = None,
    upload: tuple[str, bytes] | None = None,
    actor: User,
    now: datetime,
) -> Entry:
    """A unit manager registers an entry for their unit before the deadline."""
    settings = _judged_settings(contest)
    if not _may_register(actor, unit_id):
        raise NotFound()
    _check_open(settings, actor, now)
    entry = Entry(
        contest_id=contest.id,
        unit_id=unit_id,
        registered_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    _fill(entry, title, authors, description, video_url, upload)
    with _dropping_file_on_failure(entry.file_key if upload else None):
        db.session.add(entry)
        db.session.flush()
        audit.record(actor, "entry.register", "entry", entry.id, now=now, title=entry.title)
        db.session.commit()
    return entry


def update_entry(
    entry: Entry,
    *,
    title: str,
    authors: str,
    description: str = "",
    video_url: str | None = None,
    upload: tuple[str, bytes] | None = None,
    actor: User,
    now: datetime,
) -> Entry:
    """Edit an entry until the registration deadline (organizers at any time)."""
    settings = _judged_settings(entry.contest)
    entry = lock_row(Entry, Entry.id == entry.id)
    if entry is None or not _may_register(actor, entry.unit_id):
        raise NotFound()
    _check_open(settings, actor, now)
    replaced = entry.file_key
    _fill(entry, title, authors, description, video_url, upload)
    with _dropping_file_on_failure(entry.file_key if upload else None):
        entry.updated_at = now
        audit.record(actor, "entry.update", "entry", entry.id, now=now, title=entry.title)
        db.session.commit()
    if replaced and replaced != entry.file_key:
        # Only once the new file is the entry's: a failed save keeps the old one.
        (files_dir() / replaced).unlink(missing_ok=True)
    return entry


def reject_entry(entry: Entry, reason: str | None, *, actor: User, now: datetime) -> Entry:
    """The organizers reject an entry with a reason, or (reason None) take it back in."""
    _require_admin(actor)
    entry = lock_row(Entry, Entry.id == entry.id)
    if entry is None:
        raise NotFound()
    if reason is None:
        entry.status, entry.reject_reason = EntryStatus.REGISTERED.value, None
        action = "entry.restore"
    else:
        reason = " ".join(reason.split())
        if not reason or len(reason) > 1000:
            raise _err("invalid_reason", _l("Vui lòng nêu lý do loại (tối đa 1.000 ký tự)."))
        entry.status, entry.reject_reason = EntryStatus.REJECTED.value, reason
        # A rejected entry gives its preliminary slot back.
        entry.selected_by_unit_id = entry.selection_slot = entry.selected_at = None
        action = "entry.reject"
    audit.record(actor, action, "entry", entry.id, now=now, reason=reason)
    db.session.commit()
    return entry


# ---- preliminary selection ----


def pick_entry(entry: Entry, *, actor: User, now: datetime) -> Entry:
    """The parent unit's manager picks a sub-unit's entry for the final, within the quota
    and before the deadline; the organizers may override both, audit-logged."""
    settings = _judged_settings(entry.contest, lock=True)  # serialises the quota count
    entry = lock_row(Entry, Entry.id == entry.id)
    if entry is None:
        raise NotFound()
    parent_id = entry.unit.parent_id or entry.unit_id
    if not (actor.is_admin or (actor.is_manager and actor.unit_id == parent_id)):
        raise NotFound()
    if settings.preliminary_quota is None:
        raise _err("no_preliminary", _l("Hội thi này không có vòng sơ khảo."), 409)
    if entry.is_rejected:
        raise _err("entry_rejected", _l("Tác phẩm đã bị loại, không chọn được."), 409)
    if entry.is_selected:
        return entry
    if not actor.is_admin:
        closes = settings.selection_closes_at or settings.registration_closes_at
        if closes is not None and now >= closes:
            raise _err("selection_closed", _l("Đã hết hạn chọn tác phẩm vào chung kết."), 409)
        if queries.picks_of(entry.contest_id, parent_id) >= settings.preliminary_quota:
            raise _err(
                "quota_full",
                _l("Đơn vị đã chọn đủ %(n)d tác phẩm."),
                409,
                n=settings.preliminary_quota,
            )
    slot = queries.free_slot(entry.contest_id, parent_id)
    entry.selected_by_unit_id, entry.selection_slot, entry.selected_at = parent_id, slot, now
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise _err(
            "quota_full", _l("Vừa có người khác chọn cùng lúc; hãy tải lại trang."), 409
        ) from err
    audit.record(
        actor,
        "entry.pick",
        "entry",
        entry.id,
        now=now,
        by_unit=parent_id,
        slot=entry.selection_slot,
        override=actor.is_admin,
    )
    db.session.commit()
    return entry


def unpick_entry(entry: Entry, *, actor: User, now: datetime) -> Entry:
    settings = _judged_settings(entry.contest, lock=True)
    entry = lock_row(Entry, Entry.id == entry.id)
    if entry is None:
        raise NotFound()
    parent_id = entry.unit.parent_id or entry.unit_id
    if not (actor.is_admin or (actor.is_manager and actor.unit_id == parent_id)):
        raise NotFound()
    if not actor.is_admin:
        closes = settings.selection_closes_at or settings.registration_closes_at
        if closes is not None and now >= closes:
            raise _err("selection_closed", _l("Đã hết hạn chọn tác phẩm vào chung kết."), 409)
    entry.selected_by_unit_id = entry.selection_slot = entry.selected_at = None
    audit.record(actor, "entry.unpick", "entry", entry.id, now=now, override=actor.is_admin)
    db.session.commit()
    return entry


# ---- jury ----


def assign_judge(stage: Stage, judge: User, *, actor: User, now: datetime) -> JudgeAssignment:
    """Put a judge on a stage's jury (idempotent)."""
    _require_admin(actor)
    if judge.role != Role.JUDGE:
        raise _err("not_a_judge", _l("Tài khoản này không có vai trò giám khảo."))
    assignment = JudgeAssignment(stage_id=stage.id, judge_id=judge.id, created_at=now)
    db.session.add(assignment)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return db.session.execute(
            select(JudgeAssignment).where(
                JudgeAssignment.stage_id == stage.id, JudgeAssignment.judge_id == judge.id
            )
        ).scalar_one()
    audit.record(actor, "judge.assign", "stage", stage.id, now=now, judge_id=judge.id)
    db.session.commit()
    return assignment


def unassign_judge(stage: Stage, judge: User, *, actor: User, now: datetime) -> None:
    _require_admin(actor)
    db.session.execute(
        delete(JudgeAssignment).where(
            JudgeAssignment.stage_id == stage.id, JudgeAssignment.judge_id == judge.id
        )
    )
    audit.record(actor, "judge.unassign", "stage", stage.id, now=now, judge_id=judge.id)
    db.session.commit()


def _scorable(stage: Stage, judge: User, entry: Entry) -> JudgedSettings:
    """Refuse what the judge may not score; what is not theirs is not found."""
    contest = db.session.get(Contest, stage.contest_id)
    settings = _judged_settings(contest)
    if (
        entry.contest_id != stage.contest_id
        or not queries.is_assigned(stage.id, judge.id)
        or queries.is_own_unit(judge, entry)
        or entry.is_rejected
        or (settings.preliminary_quota is not None and not entry.is_selected)
    ):
        raise NotFound()
    return settings


def save_sheet(
    stage: Stage,
    judge: User,
    entry: Entry,
    scores: dict[int, int],
    comment: str = "",
    *,
    submit: bool = False,
    now: datetime,
) -> ScoreSheet:
    """Save a judge's draft sheet (scores in half points per criterion id), or submit it:
    a submitted sheet is locked, only the secretariat reopens it."""
    write_lock()
    _judged_settings(db.session.get(Contest, stage.contest_id), lock=submit)
    _scorable(stage, judge, entry)
    if stage.published_at is not None:
        raise _err("stage_published", _l("Kết quả vòng này đã công bố, không chấm thêm."), 409)
    where = (
        ScoreSheet.stage_id == stage.id,
        ScoreSheet.judge_id == judge.id,
        ScoreSheet.entry_id == entry.id,
    )
    sheet = lock_row(ScoreSheet, *where)
    if sheet is None:
        sheet = ScoreSheet(
            stage_id=stage.id,
            judge_id=judge.id,
            entry_id=entry.id,
            created_at=now,
            updated_at=now,
            comment="",
        )
        db.session.add(sheet)
        try:
            db.session.flush()
        except IntegrityError:
            # The same judge saved the same sheet at the same moment: use that one.
            db.session.rollback()
            write_lock()
            sheet = lock_row(ScoreSheet, *where)
    if sheet.is_submitted:
        raise _err(
            "sheet_submitted",
            _l("Phiếu chấm đã nộp, không sửa được. Liên hệ Thư ký hội thi nếu cần mở lại."),
            409,
        )
    criteria = {c.id: c for c in queries.criteria(stage.contest_id)}
    if not criteria:
        raise _err("no_criteria", _l("Hội thi chưa có phiếu chấm điểm."), 409)
    for criterion_id, half in scores.items():
        c = criteria.get(criterion_id)
        if c is None:
            raise _err("invalid_criterion", _l("Tiêu chí không thuộc phiếu chấm này."))
        if half is not None and not 0 <= half <= c.max_half_points:
            raise _err(
                "score_out_of_range",
                _l("Điểm “%(title)s” phải từ 0 đến %(max)s."),
                title=c.title,
                max=format_decimal(c.max_points, "0.##"),
            )
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise _err("invalid_comment", _l("Nhận xét tối đa 5.000 ký tự."))
    current = {s.criterion_id: s for s in sheet.scores}
    for criterion_id, half in scores.items():
        if half is None:
            if criterion_id in current:
                sheet.scores.remove(current[criterion_id])
            continue
        if criterion_id in current:
            current[criterion_id].half_points = half
        else:
            sheet.scores.append(
                SheetScore(
                    criterion_id=criterion_id,
                    max_half_points=criteria[criterion_id].max_half_points,
                    half_points=half,
                )
            )
    sheet.comment, sheet.updated_at = comment, now
    if submit:
        scored = {s.criterion_id for s in sheet.scores}
        if scored != set(criteria):
            raise _err("sheet_incomplete", _l("Vui lòng chấm đủ mọi tiêu chí trước khi nộp phiếu."))
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED.value, now
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise _err("score_out_of_range", _l("Điểm nằm ngoài khoảng cho phép.")) from err
    if submit:
        # A submitted sheet counts towards the standings; drafts are the judge's own notes.
        audit.record(
            judge,
            "sheet.submit",
            "score_sheet",
            sheet.id,
            now=now,
            entry_id=entry.id,
            total=sum(s.half_points for s in sheet.scores) / 2,
        )
    db.session.commit()
    return sheet


def reopen_sheet(sheet: ScoreSheet, reason: str, *, actor: User, now: datetime) -> ScoreSheet:
    """The secretariat reopens a submitted sheet for its judge, audit-logged."""
    _require_admin(actor)
    sheet = lock_row(ScoreSheet, ScoreSheet.id == sheet.id)
    if sheet is None:
        raise NotFound()
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > 1000:
        raise _err("invalid_reason", _l("Vui lòng nêu lý do mở lại phiếu (tối đa 1.000 ký tự)."))
    if not sheet.is_submitted:
        raise _err("sheet_not_submitted", _l("Phiếu này chưa nộp."), 409)
    total = sum(s.half_points for s in sheet.scores) / 2
    sheet.status, sheet.submitted_at, sheet.updated_at = SheetStatus.DRAFT.value, None, now
    audit.record(
        actor,
        "sheet.reopen",
        "score_sheet",
        sheet.id,
        now=now,
        judge_id=sheet.judge_id,
        entry_id=sheet.entry_id,
        total=total,
        reason=reason,
    )
    db.session.commit()
    return sheet


# ---- audience ----


def voting_open(settings: JudgedSettings, now: datetime) -> bool:
    return (
        settings.site_votes
        and settings.voting_opens_at is not None
        and settings.voting_closes_at is not None
        and settings.voting_opens_at <= now < settings.voting_closes_at
    )


def vote(entry: Entry, user: User, *, now: datetime) -> bool:
    """One vote per account and entry (the database's unique key); True when counted,
    False when this account had already voted."""
    settings = _judged_settings(entry.contest)
    if entry.is_rejected or (settings.preliminary_quota is not None and not entry.is_selected):
        raise NotFound()
    if not voting_open(settings, now):
        raise _err("voting_closed", _l("Hiện không trong thời gian bình chọn."), 409)
    db.session.add(EntryVote(entry_id=entry.id, user_id=user.id, created_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def enter_reach(
    entry: Entry, likes: int, shares: int, evidence_url: str, *, actor: User, now: datetime
) -> EntryReach:
    """The secretariat enters an entry's reach on the social network, with the evidence."""
    _require_admin(actor)
    _judged_settings(entry.contest)
    if likes < 0 or shares < 0:
        raise _err("invalid_counts", _l("Số lượt thích và chia sẻ không được âm."))
    url = _check_url(evidence_url)
    if url is None:
        raise _err("invalid_url", _l("Vui lòng nhập đường dẫn minh chứng."))
    reach = lock_row(EntryReach, EntryReach.entry_id == entry.id)
    before = (reach.likes, reach.shares) if reach else None
    if reach is None:
        reach = EntryReach(entry_id=entry.id)
        db.session.add(reach)
    reach.likes, reach.shares, reach.evidence_url = likes, shares, url
    reach.entered_by_id, reach.entered_at = actor.id, now
    db.session.flush()
    audit.record(
        actor,
        "entry.reach",
        "entry",
        entry.id,
        now=now,
        likes=likes,
        shares=shares,
        before=before,
        evidence=url,
    )
    db.session.commit()
    return reach


# ---- publication ----


def publish(stage: Stage, *, actor: User, now: datetime) -> list[Standing]:
    """Freeze a stage's standings as computed now and make them public (a second
    publication replaces the first)."""
    _require_admin(actor)
    contest = db.session.get(Contest, stage.contest_id)
    settings = _judged_settings(contest, lock=True)
    stage = lock_row(Stage, Stage.id == stage.id)
    rows = standings.compute(stage, settings)
    db.session.execute(delete(Standing).where(Standing.stage_id == stage.id))
    frozen = [
        Standing(
            stage_id=stage.id,
            rank=r.rank,
            entry_id=r.entry.id,
            jury_score=r.jury_score,
            audience_score=r.audience_score,
            total=r.total,
            finalist=r.finalist,
            prize=r.prize,
            prize_amount=r.prize_amount,
        )
        for r in rows
    ]
    db.session.add_all(frozen)
    stage.published_at = now
    audit.record(actor, "standings.publish", "stage", stage.id, now=now, entries=len(frozen))
    db.session.commit()
    return frozen


def withdraw(stage: Stage, *, actor: User, now: datetime) -> None:
    """Take published standings back (they stay stored until the next publication)."""
    _require_admin(actor)
    stage = lock_row(Stage, Stage.id == stage.id)
    stage.published_at = None
    audit.record(actor, "standings.withdraw", "stage", stage.id, now=now)
    db.session.commit()
