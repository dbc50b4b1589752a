"""Home page and language switch."""

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template

from ..contest import queries as contest_queries
from ..extensions import db
from ..navigation import back
from . import queries

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    counts = queries.site_counts()
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
