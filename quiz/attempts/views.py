"""Pages of an attempt: start, the quiz page, the no-JavaScript submit, result, review."""

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..certificates import queries as certificate_queries
from ..errors import DomainError
from ..extensions import db
from ..labels import GROUP_LABELS
from ..models import AttemptStatus, ReviewPolicy, Round, utcnow
from ..query_args import strict_int
from ..results import ranking
from ..results.exports import PRIZE_LABELS
from . import services

bp = Blueprint("attempts", __name__)


def _contest_url(round_: Round) -> str:
    return url_for("contest.detail", slug=round_.contest.slug)


@bp.get("/rounds/<int:round_id>/start")
@login_required
def start_confirm(round_id: int):
    """Before the clock starts: the attempts and the time it gives, and a button to start."""
    round_ = db.get_or_404(Round, round_id)
    try:
        preview = services.start_preview(current_user, round_, utcnow())
    except DomainError as err:
        flash(err.text(), "error")
        return redirect(_contest_url(round_))
    if preview.open_attempt_id is not None:
        return redirect(url_for("attempts.take", attempt_id=preview.open_attempt_id))
    return render_template("attempts/start.html", round=round_, preview=preview)


@bp.post("/rounds/<int:round_id>/start")
@login_required
def start(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    try:
        attempt, _created = services.start(current_user, round_id, utcnow())
    except DomainError as err:
        db.session.rollback()
        flash(err.text(), "error")
        return redirect(_contest_url(round_))
    return redirect(url_for("attempts.take", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    attempt = services.own_attempt(attempt_id, current_user)
    now = utcnow()
    services.finalize_if_due(attempt, now)
    if not attempt.is_open:
        return redirect(url_for("attempts.result", attempt_id=attempt.id))
    g.no_store = True
    return render_template(
        "attempts/take.html",
        attempt=attempt,
        round=attempt.round,
        rows=services.frozen_rows(attempt),
        token=services.choice_token,
        now=now,
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_form(attempt_id: int):
    """Without JavaScript the quiz is one form: save what it carries, then submit."""
    attempt = services.own_attempt(attempt_id, current_user)
    now = utcnow()
    try:
        for aq in attempt.questions:
            token = request.form.get(f"q{aq.position}")
            if token:
                services.save_answer(current_user, attempt_id, aq.position, token, now)
        prediction = (request.form.get("prediction") or "").strip()
        if prediction and attempt.round.prediction != "none":
            value = strict_int(prediction)
            if value is None:
                raise DomainError(
                    "invalid_prediction", _("Dự đoán phải là một số nguyên không âm."), status=422
                )
            services.save_prediction(current_user, attempt_id, value, now)
    except DomainError as err:
        db.session.rollback()
        flash(err.text(), "error")
        if err.code in ("invalid_choice", "invalid_prediction"):
            return redirect(url_for("attempts.take", attempt_id=attempt_id))
    services.submit(current_user, attempt_id, utcnow())
    # The quiz script posts this form itself when the clock runs out and its API call failed.
    time_up = {"reason": "time_up"} if request.form.get("reason") == "time_up" else {}
    return redirect(url_for("attempts.result", attempt_id=attempt_id, **time_up))


def review_allowed(attempt, now: datetime) -> bool:
    policy = attempt.round.review_policy
    if attempt.is_open or policy == ReviewPolicy.NEVER:
        return False
    return policy == ReviewPolicy.AFTER_SUBMIT or now >= attempt.round.closes_at


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = services.own_attempt(attempt_id, current_user)
    now = utcnow()
    services.finalize_if_due(attempt, now)
    if attempt.is_open:
        return redirect(url_for("attempts.take", attempt_id=attempt.id))
    best = ranking.best_attempt(current_user.id, attempt.round)
    # Once published: the person's frozen row (rank, group, prize) and their certificate.
    published = attempt.round.results_published_at is not None
    mine = ranking.published_result(attempt.round, current_user.id) if published else None
    return render_template(
        "attempts/result.html",
        attempt=attempt,
        round=attempt.round,
        best=best,
        published=published,
        mine=mine,
        group_labels=GROUP_LABELS,
        prize_labels=PRIZE_LABELS,
        certificate=mine is not None and certificate_queries.issues(attempt.round),
        can_review=review_allowed(attempt, now),
        time_up=submitted_by_the_clock(attempt, request.args.get("reason")),
    )


# The page's clock follows the server's to within a request's latency: an attempt handed
# in this close to its deadline, by a page that says its clock ran out, was the clock's.
CLOCK_SLACK = timedelta(seconds=5)


def submitted_by_the_clock(attempt, reason: str | None) -> bool:
    if attempt.status == AttemptStatus.EXPIRED:
        return True
    return reason == "time_up" and attempt.submitted_at >= attempt.deadline_at - CLOCK_SLACK


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = services.own_attempt(attempt_id, current_user)
    if not review_allowed(attempt, utcnow()):
        abort(403)
    return render_template(
        "attempts/review.html",
        attempt=attempt,
        round=attempt.round,
        rows=services.frozen_rows(attempt),
    )
