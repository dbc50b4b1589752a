"""Background jobs: enqueue from a page, claim and report progress from `flask jobs work`.

The queue is the `job` table (docs/jobs.md says why): a page inserts a row and redirects
to the job's page; a worker claims the oldest queued row (PostgreSQL: FOR UPDATE SKIP
LOCKED, so several workers never take the same job; SQLite: the write lock serialises
the claim), runs it and writes the outcome in the same transaction as the work itself.
"""

import os
import socket
import time
from datetime import datetime, timedelta

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..db_errors import is_violation
from ..errors import NotFound
from ..extensions import db
from ..models import Job, JobStatus, User, utcnow

# A running job whose worker has said nothing for this long died with its worker: its
# transaction was never committed, so it changed nothing and is marked failed.
STALE_AFTER = timedelta(minutes=30)
# Result files (the credentials of an import hold initial passwords) are kept this long.
RESULT_KEEP = timedelta(days=2)
# Progress is written at most this often (seconds), besides every change of stage.
PROGRESS_EVERY = 0.5

KIND_LABELS = {
    "users.import": _l("Nhập tài khoản hàng loạt"),
    "bank.import": _l("Nạp câu hỏi vào ngân hàng"),
    "results.export": _l("Xuất kết quả đợt thi"),
    "certificates.bundle": _l("Tạo giấy chứng nhận của đợt thi"),
    "mail.password_reset": _l("Gửi thư đặt lại mật khẩu"),
}
STAGE_LABELS = {
    None: _l("Đang chờ đến lượt xử lý"),
    "started": _l("Đang bắt đầu"),
    "checking": _l("Đang kiểm tra lại tệp"),
    "passwords": _l("Đang tạo mật khẩu ban đầu"),
    "saving": _l("Đang ghi vào cơ sở dữ liệu"),
    "reading": _l("Đang đọc dữ liệu"),
    "file": _l("Đang tạo tệp kết quả"),
}
INTERRUPTED = _l(
    "Tác vụ bị gián đoạn (máy chủ xử lý dừng giữa chừng); không có gì bị thay đổi. "
    "Hãy thực hiện lại."
)
# Kinds whose result file only the person who started the job may download: an
# account import's credentials hold everyone's initial password.
OWNER_ONLY_FILES = frozenset({"users.import"})


def enqueue(
    kind: str, *, actor: User, now: datetime, params: dict | None = None, upload_id=None
) -> Job:
    """Queue a job for `flask jobs work`; the same upload confirmed twice gives the first job."""
    job = Job(
        kind=kind,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
        params=params or {},
        upload_id=upload_id,
    )
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        if upload_id is None or not is_violation(err, "uq_job_upload_id", "job.upload_id"):
            raise
        return db.session.execute(db.select(Job).filter_by(upload_id=upload_id)).scalar_one()
    return job


def visible_job(job_id: int, user: User) -> Job:
    """The job, for the person who started it or an admin; anyone else: not found."""
    job = db.session.get(Job, job_id)
    if job is None or not (job.created_by_id == user.id or user.is_admin):
        raise NotFound()
    return job


def result_file(job_id: int, user: User) -> Job:
    """The job whose result file this person may download (never a credentials file of
    another admin's import); not found otherwise."""
    job = visible_job(job_id, user)
    if job.status != JobStatus.DONE or job.result_data is None:
        raise NotFound()
    if job.kind in OWNER_ONLY_FILES and job.created_by_id != user.id:
        raise NotFound()
    return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def claim_next(now: datetime, worker: str) -> int | None:
    """Take the oldest queued job: mark it running and commit; its id, or None.

    PostgreSQL: SKIP LOCKED lets several workers claim at once, each a different row;
    SQLite: the claim's transaction holds the write lock (BEGIN IMMEDIATE), one at a time.
    The status check in the UPDATE makes a double claim impossible either way.
    """
    # An idle queue is only read: no write lock each time a worker looks.
    g.sqlite_write = False
    waiting = db.session.scalar(db.select(Job.id).where(Job.status == JobStatus.QUEUED).limit(1))
    db.session.rollback()
    if waiting is None:
        return None
    g.sqlite_write = True
    job_id = db.session.execute(
        db.select(Job.id)
        .where(Job.status == JobStatus.QUEUED)
        .order_by(Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).scalar_one_or_none()
    if job_id is None:
        db.session.rollback()
        return None
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING.value,
            started_at=now,
            updated_at=now,
            worker=worker,
            stage="started",
        )
    ).rowcount
    db.session.commit()
    return job_id if claimed == 1 else None


def fail_stale(now: datetime) -> int:
    """Mark failed the running jobs whose worker died; and drop old result files."""
    g.sqlite_write = True
    failed = db.session.execute(
        update(Job)
        .where(Job.status == JobStatus.RUNNING, Job.updated_at < now - STALE_AFTER)
        .values(
            status=JobStatus.FAILED.value,
            finished_at=now,
            updated_at=now,
            upload_id=None,
            error_code="interrupted",
            error=str(INTERRUPTED),
        )
    ).rowcount
    db.session.execute(
        update(Job)
        .where(Job.finished_at < now - RESULT_KEEP, Job.result_data.is_not(None))
        .values(result_data=None)
    )
    db.session.commit()
    return failed


class ProgressWriter:
    """Reports a running job's stage and counts where its page can read them at once.

    Written through a connection of its own and committed there, outside the job's
    transaction (which stays all or nothing). On SQLite that transaction holds the only
    write lock once it writes: from then on the page shows the stage it announced
    ("saving") until the job ends, and counts stay in memory.
    """

    def __init__(self, job_id: int, clock=time.monotonic):
        self.job_id = job_id
        self.clock = clock
        self.last = (None, -1, -1)
        self.written_at = float("-inf")

    def __call__(self, stage: str, done: int, total: int) -> None:
        if (stage, done, total) == self.last:
            return
        now = self.clock()
        if stage == self.last[0] and now - self.written_at < PROGRESS_EVERY:
            return
        self.last = (stage, done, total)
        engine = db.engine
        if engine.dialect.name == "sqlite" and g.get("sqlite_write"):
            return
        self.written_at = now
        with engine.begin() as conn:
            conn.execute(
                update(Job)
                .where(Job.id == self.job_id)
                .values(stage=stage, done=done, total=total, updated_at=utcnow())
            )
