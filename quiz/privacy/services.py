"""Personal data (Law 91/2025/QH15): the notice, a person's own data, deletion requests."""

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from question_bank.tabular import fold

from .. import audit
from ..errors import DomainError, NotFound
from ..extensions import db, lock_row
from ..models import (
    Attempt,
    AuditLog,
    DeletionRequest,
    DeletionStatus,
    Role,
    Round,
    RoundResult,
    Unit,
    User,
)
from ..timeutil import to_local

# Bumped whenever the notice's text changes in substance: each account records the
# version it agreed to.
NOTICE_VERSION = "2026-01"


def _iso(at: datetime | None) -> str | None:
    return to_local(at).isoformat() if at else None


def my_data(user: User) -> dict:
    """Everything the site keeps about this person: profile, attempts, audit entries."""
    attempts = db.session.execute(
        select(Attempt, Round)
        .join(Round, Round.id == Attempt.round_id)
        .where(Attempt.user_id == user.id)
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    entries = (
        db.session.execute(
            select(AuditLog)
            .where(AuditLog.target_type == "user", AuditLog.target_id == str(user.id))
            .order_by(AuditLog.at, AuditLog.id)
        )
        .scalars()
        .all()
    )
    requests = (
        db.session.execute(
            select(DeletionRequest)
            .where(DeletionRequest.user_id == user.id)
            .order_by(DeletionRequest.requested_at)
        )
        .scalars()
        .all()
    )
    return {
        "notice_version": NOTICE_VERSION,
        "profile": {
            "id": user.id,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "unit_code": user.unit.code,
            "unit_name": user.unit.name,
            "role": user.role,
            "participant_group": user.participant_group,
            "position": user.position,
            "birth_year": user.birth_year,
            "organizer_staff": user.is_organizer_staff,
            "created_at": _iso(user.created_at),
            "approved_at": _iso(user.approved_at),
            "consent_at": _iso(user.consent_at),
            "consent_version": user.consent_version,
        },
        "attempts": [
            {
                "id": a.id,
                "contest": r.contest.title,
                "round": r.title,
                "number": a.number,
                "status": a.status,
                "unit_code": db.session.get(Unit, a.unit_id).code,
                "participant_group": a.participant_group,
                "started_at": _iso(a.started_at),
                "submitted_at": _iso(a.submitted_at),
                # Scores of a finalized attempt are the person's own; the answer key is not.
                "correct_count": a.correct_count,
                "question_count": a.question_count,
                "duration_seconds": a.duration_ms / 1000 if a.duration_ms is not None else None,
                "prediction": a.prediction,
            }
            for a, r in attempts
        ],
        "audit": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "by_self": e.actor_id == user.id,
                "details": e.details,
            }
            for e in entries
        ],
        "deletion_requests": [
            {
                "requested_at": _iso(r.requested_at),
                "status": r.status,
                "decided_at": _iso(r.decided_at),
            }
            for r in requests
        ],
    }


def pending_request(user: User) -> DeletionRequest | None:
    return db.session.execute(
        select(DeletionRequest).where(
            DeletionRequest.user_id == user.id,
            DeletionRequest.status == DeletionStatus.PENDING.value,
        )
    ).scalar_one_or_none()


def request_deletion(user: User, reason: str | None, *, now: datetime) -> DeletionRequest:
    """File the person's deletion request; a second one while the first is open is refused."""
    request_row = DeletionRequest(
        user_id=user.id,
        reason=(reason or "").strip()[:1000] or None,
        status=DeletionStatus.PENDING.value,
        requested_at=now,
    )
    db.session.add(request_row)
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise DomainError(
            "already_requested",
            _l("Bạn đã gửi yêu cầu xóa dữ liệu; Ban Tổ chức đang xem xét."),
            status=409,
        ) from err
    audit.record(user, "privacy.deletion_request", "user", user.id, now=now)
    db.session.commit()
    return request_row


def anonymize(user: User, *, now: datetime) -> None:
    """Replace what identifies the person and close the account (flush only).

    The row stays, with its unit and group, so attempts, rankings and unit statistics that
    refer to it keep adding up; what is left tells nobody who it was.
    """
    label = f"Người dùng đã xóa #{user.id}"
    user.full_name = label
    user.name_search = fold(label)
    # The database wants a login on every account: an address that can never exist.
    user.email = f"deleted-{user.id}@anonymized.invalid"
    user.phone = None
    user.position = None
    user.birth_year = None
    user.role = Role.CONTESTANT.value
    user.active = False
    user.must_change_password = False
    user.password_hash = generate_password_hash(secrets.token_hex(32))
    user.anonymized_at = now
    # The published ranking keeps a copy of the name; addresses in the log are personal too.
    db.session.execute(
        update(RoundResult).where(RoundResult.user_id == user.id).values(full_name=label)
    )
    db.session.execute(update(AuditLog).where(AuditLog.actor_id == user.id).values(ip=None))
    db.session.flush()


def decide(request_id: int, *, approve: bool, actor: User, now: datetime) -> DeletionRequest:
    """Carry out (anonymize the account) or refuse an open deletion request."""
    request_row = lock_row(DeletionRequest, DeletionRequest.id == request_id)
    if request_row is None:
        raise NotFound()
    if request_row.status != DeletionStatus.PENDING:
        raise DomainError("already_decided", _l("Yêu cầu này đã được xử lý."), status=409)
    if approve and request_row.user_id == actor.id:
        raise DomainError(
            "own_request",
            _l("Một quản trị viên khác cần xử lý yêu cầu xóa dữ liệu của chính bạn."),
            status=409,
        )
    request_row.status = (DeletionStatus.DONE if approve else DeletionStatus.REJECTED).value
    request_row.decided_at = now
    request_row.decided_by_id = actor.id
    if approve:
        user = lock_row(User, User.id == request_row.user_id)
        anonymize(user, now=now)
    audit.record(
        actor,
        "privacy.anonymize" if approve else "privacy.deletion_rejected",
        "user",
        request_row.user_id,
        now=now,
        request=request_row.id,
    )
    db.session.commit()
    return request_row


def requests_query(status: str | None):
    stmt = select(DeletionRequest).order_by(
        DeletionRequest.requested_at.desc(), DeletionRequest.id.desc()
    )
    if status:
        stmt = stmt.where(DeletionRequest.status == status)
    return stmt
