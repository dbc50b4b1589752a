"""Home page and language switch."""

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template
from sqlalchemy import func

from ..contest import queries as contest_queries
from ..extensions import db
from ..models import Unit, User
from ..navigation import back

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    counts = {
        "units": db.session.scalar(db.select(func.count(Unit.id))),
        "users": db.session.scalar(db.select(func.count(User.id))),
    }
    contests = contest_queries.contests_with_rounds()
    return render_template(
        "main/index.html",
        counts=counts,
        contests=contests,
        participants=contest_queries.participants(contest_queries.all_round_ids(contests)),
        now=datetime.now(UTC),
    )


@bp.get("/lang/<code>")
def language(code: str):
    response = redirect(back("main.index"))
    if code in ("vi", "en"):
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/healthz")
def health():
    db.session.execute(db.select(1))
    return {"status": "ok"}
