"""A background job's page: its progress, then its result or its readable error."""

from flask import Blueprint, g, render_template
from flask_login import current_user, login_required

from ..models import JobStatus
from ..xlsx import XLSX_MIMETYPE, attachment
from . import services

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")
REFRESH_SECONDS = 2


@bp.before_request
@login_required
def _logged_in():
    pass


@bp.get("/<int:job_id>")
def detail(job_id: int):
    job = services.visible_job(job_id, current_user)
    g.no_store = True  # a person's own work: never cached
    return render_template(
        "jobs/detail.html",
        job=job,
        statuses=JobStatus,
        kinds=services.KIND_LABELS,
        stages=services.STAGE_LABELS,
        refresh=None if job.finished else REFRESH_SECONDS,
        can_download=job.status == JobStatus.DONE
        and job.result_data is not None
        and (job.kind not in services.OWNER_ONLY_FILES or job.created_by_id == current_user.id),
    )


@bp.get("/<int:job_id>/download")
def download(job_id: int):
    job = services.result_file(job_id, current_user)
    g.no_store = True  # the credentials file holds initial passwords
    name = job.result_name or f"tac-vu-{job.id}.xlsx"
    mimetype = "application/zip" if name.endswith(".zip") else XLSX_MIMETYPE
    return attachment(job.result_data, name, mimetype)
