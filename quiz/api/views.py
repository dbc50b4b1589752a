"""JSON API v1 (DESIGN.md §5). This part: session and CSRF."""

import json
from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf.csrf import generate_csrf

from .. import figure_cache
from ..attempts import services as attempt_services
from ..auth import services as auth_services
from ..contest import queries as contest_queries
from ..disclosure import scores_public, sees_scores
from ..errors import DomainError, NotFound
from ..extensions import db, limiter, reads_first
from ..judging import queries as judging_queries
from ..judging import setup as judging_setup
from ..judging import standings, teams_api
from ..models import Attempt, ContestKind, Group, Round, utcnow
from ..query_args import strict_int
from ..rate_limits import login_limit
from ..results import prizes, ranking
from ..results import queries as results_queries
from . import queries

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body() -> dict:
    """The request's JSON object, or a 400 with a readable message."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(
            "invalid_json", _("Nội dung yêu cầu phải là một đối tượng JSON hợp lệ."), status=400
        )
    return data


@bp.get("/auth/csrf")
def csrf_token():
    return jsonify(csrf_token=generate_csrf())


@bp.post("/auth/login")
@login_limit
@limiter.limit("300/minute")
def login():
    reads_first()  # the password check runs outside SQLite's write lock
    data = json_body()
    login_value, password = data.get("login"), data.get("password")
    if not isinstance(login_value, str) or not isinstance(password, str):
        raise DomainError(
            "invalid_request",
            _("Cần gửi login và password dạng chuỗi ký tự."),
            status=400,
        )
    user = auth_services.authenticate(login_value, password)
    login_user(user)
    return jsonify(
        user={
            "id": user.id,
            "full_name": user.full_name,
            "unit_code": user.unit.code,
            "role": user.role,
            "must_change_password": user.must_change_password,
        },
        # Logging in starts a new session: hand back the token that goes with it.
        csrf_token=generate_csrf(),
    )


@bp.post("/auth/password")
def change_password():
    user = _user()
    data = json_body()
    current, new = data.get("current_password"), data.get("new_password")
    if not isinstance(current, str) or not isinstance(new, str):
        raise DomainError(
            "invalid_request",
            _("Cần gửi current_password và new_password dạng chuỗi ký tự."),
            status=400,
        )
    try:
        auth_services.change_password(user, current=current, new=new, confirm=new, now=utcnow())
    except DomainError as err:
        # Wrong current password, too short or unchanged: one code, the reason in words.
        raise DomainError("invalid_password", err.text(), status=422) from err
    # Every session of the account ended; this client goes on in a new one.
    login_user(user)
    return jsonify(csrf_token=generate_csrf())


# ---- rounds and attempts ----


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _user():
    if not current_user.is_authenticated:
        raise DomainError("unauthorized", _("Bạn cần đăng nhập để tiếp tục."), status=401)
    return current_user._get_current_object()


def _attempt_user():
    """The caller of an attempt endpoint: one who has set their own password."""
    user = _user()
    if user.must_change_password:
        # A generated password was handed out on paper: until its owner replaces it,
        # whoever read the sheet must not be able to sit the contest in their name.
        raise DomainError(
            "password_change_required",
            _("Bạn cần đổi mật khẩu được cấp trước khi làm bài thi."),
            status=403,
        )
    return user


def _result(attempt: Attempt) -> dict:
    return {
        "id": attempt.id,
        "status": attempt.status,
        "correct_count": attempt.correct_count,
        "question_count": attempt.question_count,
        "duration_seconds": None
        if attempt.duration_ms is None
        else round(attempt.duration_ms / 1000, 3),
        "submitted_at": _iso(attempt.submitted_at),
    }


@bp.get("/contests")
def contests():
    """The public contests, newest first, with their rounds (DESIGN.md §5); no login."""
    return jsonify(
        contests=[
            {
                "slug": c.slug,
                "title": c.title,
                "kind": c.kind,
                "rounds": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "opens_at": _iso(r.opens_at),
                        "closes_at": _iso(r.closes_at),
                    }
                    for r in c.rounds
                ],
            }
            for c in contest_queries.contests_with_rounds()
        ]
    )


@bp.get("/rounds/<int:round_id>")
def round_detail(round_id: int):
    user = _user()
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound()
    mine = queries.own_attempt_states(user.id, round_id)
    return jsonify(
        id=round_.id,
        title=round_.title,
        opens_at=_iso(round_.opens_at),
        closes_at=_iso(round_.closes_at),
        question_count=round_.question_count,
        time_limit_seconds=round_.time_limit_seconds,
        attempts_allowed=round_.attempts_allowed,
        prediction=round_.prediction,
        my_attempts=[{"id": i, "status": s} for i, s in mine],
    )


@bp.post("/rounds/<int:round_id>/attempts")
def start_attempt(round_id: int):
    user = _attempt_user()
    attempt, created = attempt_services.start(user, round_id, utcnow())
    return jsonify(attempt_payload(attempt, utcnow())), 201 if created else 200


def attempt_payload(attempt: Attempt, now: datetime) -> dict:
    """What the quiz page gets: questions in frozen order, opaque choice ids, no key."""
    token = attempt_services.choice_token
    questions = [
        {
            "position": q.position,
            "text": q.text,
            "choices": [{"id": token(attempt.id, cid), "text": text} for cid, text in q.choices],
            "selected_choice_id": None
            if q.selected_choice_id is None
            else token(attempt.id, q.selected_choice_id),
        }
        for q in attempt_services.shown_questions(attempt.id)
    ]
    return {
        "id": attempt.id,
        "round_id": attempt.round_id,
        "status": attempt.status,
        "started_at": _iso(attempt.started_at),
        "deadline_at": _iso(attempt.deadline_at),
        "server_now": _iso(now),
        "questions": questions,
        "prediction": attempt.prediction,
    }


@bp.get("/attempts/<int:attempt_id>")
def attempt_detail(attempt_id: int):
    user = _attempt_user()
    attempt = attempt_services.own_attempt(attempt_id, user)
    attempt_services.finalize_if_due(attempt, utcnow())
    return jsonify(attempt_payload(attempt, utcnow()))


@bp.put("/attempts/<int:attempt_id>/answers/<int:position>")
def save_answer(attempt_id: int, position: int):
    user = _attempt_user()
    data = json_body()
    if "choice_id" not in data:
        raise DomainError("invalid_request", _("Cần gửi choice_id."), status=400)
    now = utcnow()
    aq = attempt_services.save_answer(user, attempt_id, position, data["choice_id"], now)
    return jsonify(position=aq.position, choice_id=data["choice_id"], saved_at=_iso(aq.answered_at))


@bp.put("/attempts/<int:attempt_id>/prediction")
def save_prediction(attempt_id: int):
    user = _attempt_user()
    data = json_body()
    value = attempt_services.save_prediction(user, attempt_id, data.get("value"), utcnow())
    return jsonify(value=value)


@bp.post("/attempts/<int:attempt_id>/submit")
def submit(attempt_id: int):
    user = _attempt_user()
    attempt = attempt_services.submit(user, attempt_id, utcnow())
    return jsonify(_result(attempt))


# ---- participation and leaderboard ----


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@bp.get("/rounds/<int:round_id>/units")
def round_units(round_id: int):
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound()
    kind = request.args.get("kind") or None
    parent_code = request.args.get("parent") or None
    parent = None
    if parent_code:
        parent = queries.unit_by_code(parent_code)
        if parent is None:
            raise NotFound()
    # Scores tell how many perfect answers there are (the prediction's figure): null
    # for everyone but admins until publication; the field stays (§5).
    scores = sees_scores(round_, current_user)

    def build() -> bytes:
        rows = results_queries.unit_rows(
            round_id=round_.id, kind=kind, parent=parent, scores=scores
        )
        units = [
            {
                "code": r.unit.code,
                "name": r.unit.name,
                "kind": r.unit.kind,
                "participants": r.participants,
                "registered": r.registered,
                "headcount": r.headcount,
                "rate": _ratio(r.rate),
                "mean_score": _ratio(r.mean_score),
            }
            for r in rows
        ]
        return json.dumps({"units": units}, ensure_ascii=False).encode()

    # The same for everyone and the same until a figure behind it changes (figure_cache).
    key = ("api.units", round_.id, kind, parent.id if parent else None, scores)
    versions = (f"round:{round_.id}", "registered", "units")
    response = current_app.response_class(
        figure_cache.cached(key, versions, build), mimetype="application/json"
    )
    # Public figures, the same for everyone: a proxy may serve them for 30 s. An answer
    # carrying figures not yet public (an admin's) is never stored by any cache.
    if scores and not scores_public(round_):
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers["Cache-Control"] = "public, max-age=30"
    return response


@bp.get("/rounds/<int:round_id>/leaderboard")
def round_leaderboard(round_id: int):
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound()
    group = request.args.get("group") or Group.STAFF.value
    if group not in set(Group):
        raise DomainError("invalid_group", _("Nhóm đối tượng không hợp lệ."), status=422)
    raw_limit = request.args.get("limit", "100")
    limit = strict_int(raw_limit) or 0
    if not 1 <= limit <= 1000:
        raise DomainError("invalid_limit", _("limit phải từ 1 đến 1000."), status=422)
    is_admin = current_user.is_authenticated and current_user.is_admin
    if round_.results_published_at is not None:
        entries = [
            {
                "rank": r.rank,
                # Names of prize winners only, unless the round publishes all (null: hidden).
                "full_name": ranking.public_name(round_, r.full_name, r.prize, is_admin),
                "unit_code": r.unit.code,
                "correct_count": r.correct_count,
                "duration_seconds": round(r.duration_ms / 1000, 3),
                "prediction": r.prediction,
                "prize": r.prize,
            }
            for r in ranking.published(round_, group, limit)
        ]
    elif is_admin:
        entries = [
            {
                "rank": e.rank,
                "full_name": e.full_name,
                "unit_code": e.unit_code,
                "correct_count": e.correct_count,
                "duration_seconds": round(e.duration_ms / 1000, 3),
                "prediction": e.prediction,
                "prize": e.prize,
            }
            for e in prizes.with_prizes(round_, group, ranking.ranking(round_, group, limit))
        ]
    else:
        raise DomainError("not_published", _("Kết quả đợt thi này chưa được công bố."), status=403)
    return jsonify(entries=entries)


@bp.get("/contests/<slug>/standings")
def contest_standings(slug: str):
    """Standings of a judged contest's stage (DESIGN.md §9): frozen once published; a live
    preview for admins before that."""
    contest = judging_queries.contest_by_slug(slug)
    if contest is None or contest.kind == ContestKind.QUIZ:
        raise NotFound()
    if contest.kind == ContestKind.TEAMS:
        return jsonify(
            teams_api.standings(contest, request.args.get("stage"), request.args.get("cluster"))
        )
    key = request.args.get("stage") or judging_setup.FINAL
    if request.args.get("cluster"):
        raise NotFound()  # entries contests have no clusters
    stage = judging_queries.stage_of(contest, key)
    settings = judging_queries.settings_of(contest)
    if stage is None or settings is None:
        raise NotFound()
    is_admin = current_user.is_authenticated and current_user.is_admin
    if stage.published_at is not None:
        entries = [
            {
                "rank": s.rank,
                "entry_id": e.id,
                "title": e.title,
                "unit_code": u.code,
                "jury_score": s.jury_score,
                "audience_score": s.audience_score,
                "total": s.total,
                "prize": s.prize,
            }
            for s, e, u in judging_queries.published_standings(stage.id)
        ]
    elif is_admin:
        entries = [
            {
                "rank": r.rank,
                "entry_id": r.entry.id,
                "title": r.entry.title,
                "unit_code": r.entry.unit.code,
                "jury_score": r.jury_score,
                "audience_score": r.audience_score,
                "total": r.total,
                "prize": r.prize,
            }
            for r in standings.compute(stage, settings)
        ]
    else:
        raise DomainError("not_published", _("Kết quả vòng thi này chưa được công bố."), status=403)
    return jsonify(kind=contest.kind, stage=stage.key, entries=entries)


# ---- the API's own description ----

OPENAPI_FILE = Path(__file__).with_name("openapi.json")


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (DESIGN §5), a static file."""
    headers = {"Content-Type": "application/json", "Cache-Control": "public, max-age=300"}
    return OPENAPI_FILE.read_bytes(), 200, headers
