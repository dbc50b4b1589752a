"""What each kind of job does: the same services as the synchronous paths, flush only.

A handler reads (deferred on SQLite), takes the write lock before it writes, and returns
(summary for the page, result file name, result file bytes); the worker commits them with
the job's outcome.
"""

from collections.abc import Callable
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..admin import services as admin_services
from ..auth import recovery
from ..bank import services as bank_services
from ..certificates import services as certificate_services
from ..errors import DomainError
from ..extensions import db
from ..models import Bank, Job, Round, Upload, User
from ..results import exports

Outcome = tuple[dict, str | None, bytes | None]


def _upload(job: Job) -> Upload | None:
    return db.session.get(Upload, job.upload_id) if job.upload_id else None


def people_import(job: Job, *, actor: User, now: datetime, progress) -> Outcome:
    summary, data = admin_services.people_import_job(
        _upload(job),
        elevate=set(job.params.get("elevate", [])),
        actor=actor,
        now=now,
        progress=progress,
    )
    return summary, "tai-khoan-moi.xlsx", data


def bank_import(job: Job, *, actor: User, now: datetime, progress) -> Outcome:
    bank = db.session.get(Bank, job.params.get("bank_id", 0))
    if bank is None:
        raise DomainError("unknown_bank", _l("Ngân hàng câu hỏi không còn tồn tại."))
    counts = bank_services.upload_import_job(
        _upload(job),
        bank,
        topic=job.params.get("topic"),
        actor=actor,
        now=now,
        progress=progress,
    )
    return {"bank_id": bank.id, "counts": dict(sorted(counts.items()))}, None, None


def results_export(job: Job, *, actor: User, now: datetime, progress) -> Outcome:
    round_ = db.session.get(Round, job.params.get("round_id", 0))
    if round_ is None:
        raise DomainError("unknown_round", _l("Đợt thi không còn tồn tại."))
    progress("reading", 0, 0)
    data = exports.results_workbook(round_, now=now)
    return {"round_id": round_.id}, f"ket-qua-dot-thi-{round_.id}.xlsx", data


def certificates_bundle(job: Job, *, actor: User, now: datetime, progress) -> Outcome:
    round_ = db.session.get(Round, job.params.get("round_id", 0))
    if round_ is None:
        raise DomainError("unknown_round", _l("Đợt thi không còn tồn tại."))
    data = certificate_services.bundle(
        round_, base_url=job.params.get("base_url", "/"), now=now, progress=progress
    )
    return {"round_id": round_.id}, f"giay-chung-nhan-dot-thi-{round_.id}.zip", data


def password_reset_mail(job: Job, *, actor: User, now: datetime, progress) -> Outcome:
    params = job.params
    sent = recovery.mail_link(
        str(params.get("link", "")),
        locale=params.get("locale", "vi"),
        base_url=params.get("base_url", "/"),
        now=now,
    )
    return {"sent": sent}, None, None


HANDLERS: dict[str, Callable[..., Outcome]] = {
    "users.import": people_import,
    "bank.import": bank_import,
    "results.export": results_export,
    "certificates.bundle": certificates_bundle,
    recovery.MAIL_JOB: password_reset_mail,
}
