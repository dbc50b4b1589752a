"""The job worker behind `flask jobs work`: claim, run, record the outcome."""

import logging
import time
from collections.abc import Callable

from flask import current_app, g
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db, write_lock
from ..models import Job, JobStatus, utcnow
from . import services
from .handlers import HANDLERS

log = logging.getLogger(__name__)
SERVER_ERROR = _l(
    "Hệ thống gặp sự cố khi xử lý tác vụ; không có gì bị thay đổi. "
    "Hãy thử lại hoặc báo cho quản trị hệ thống."
)
SWEEP_SECONDS = 60  # how often stale jobs and old result files are looked for
UNKNOWN_KIND = _l("Loại tác vụ không được hỗ trợ.")


def run_job(job_id: int) -> str:
    """Run one claimed job to its end; its status afterwards (done or failed).

    The work and the job's "done" are one transaction: a failure rolls both back, then
    the job is marked failed with a readable reason (in Vietnamese, whoever reads it).
    """
    g.sqlite_write = False  # read first; handlers take the write lock before they write
    job = db.session.get(Job, job_id)
    handler = HANDLERS.get(job.kind)
    try:
        with force_locale("vi"):
            if handler is None:
                raise DomainError("unknown_kind", UNKNOWN_KIND)
            summary, name, data = handler(
                job, actor=job.created_by, now=utcnow(), progress=services.ProgressWriter(job.id)
            )
            write_lock()
            now = utcnow()
            job.status, job.finished_at, job.updated_at = JobStatus.DONE.value, now, now
            job.stage, job.done = None, job.total
            job.result, job.result_name, job.result_data = summary, name, data
            job.upload_id = None  # the upload was used up by the work
            db.session.commit()
        return JobStatus.DONE.value
    except DomainError as err:
        db.session.rollback()
        with force_locale("vi"):
            problems = [
                [p.row, p.where(gettext), p.text(gettext)] for p in getattr(err, "problems", [])
            ]
            _fail(job_id, err.code, err.text(), {"problems": problems} if problems else None)
    except Exception:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        with force_locale("vi"):
            _fail(job_id, "server_error", str(SERVER_ERROR), None)
    return JobStatus.FAILED.value


def _fail(job_id: int, code: str, message: str, result: dict | None) -> None:
    g.sqlite_write = True
    job = db.session.get(Job, job_id)
    now = utcnow()
    job.status, job.finished_at, job.updated_at = JobStatus.FAILED.value, now, now
    job.error_code, job.error, job.result = code, message, result
    # The upload stays for another try from its preview, free of this job.
    job.upload_id = None
    db.session.commit()


def work(
    *,
    once: bool = False,
    max_seconds: float | None = None,
    poll_seconds: float = 1.0,
    stop: Callable[[], bool] = lambda: False,
) -> tuple[int, int]:
    """Claim and run jobs: until the queue is empty (once), the time is up, or stop();
    returns (jobs done, jobs failed)."""
    started = time.monotonic()
    worker = services.worker_name()
    done = failed = 0
    swept = float("-inf")
    while not stop():
        if max_seconds is not None and time.monotonic() - started >= max_seconds:
            break
        with current_app.app_context():
            if time.monotonic() - swept >= SWEEP_SECONDS:
                services.fail_stale(utcnow())
                swept = time.monotonic()
            job_id = services.claim_next(utcnow(), worker)
            if job_id is not None:
                status = run_job(job_id)
            db.session.remove()
        if job_id is None:
            if once:
                break
            time.sleep(poll_seconds)
            continue
        if status == JobStatus.DONE:
            done += 1
        else:
            failed += 1
    return done, failed
