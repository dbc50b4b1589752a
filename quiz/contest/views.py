"""Public contest pages: the rules and the rounds with their state."""

from datetime import UTC, datetime

from flask import Blueprint, render_template
from flask_login import current_user
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..certificates import queries as certificate_queries
from ..extensions import db
from ..judging import views as judging_views
from ..labels import GROUP_LABELS
from ..models import Attempt, AttemptStatus, Contest, ContestKind, Round
from ..results import contest_ranking
from ..results.exports import PRIZE_LABELS
from . import queries

bp = Blueprint("contest", __name__, url_prefix="/contests")

# CommonMark without raw HTML: organizers' rules can never inject markup or scripts.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_rules(text: str) -> Markup:
    return Markup(_markdown.render(text or ""))  # noqa: S704 - html disabled above


@bp.get("/<slug>")
def detail(slug: str):
    contest = db.first_or_404(db.select(Contest).filter_by(slug=slug))
    if contest.kind == ContestKind.ENTRIES:
        return judging_views.contest_page(contest, render_rules(contest.rules))
    now = datetime.now(UTC)
    rounds = list(contest.rounds)
    mine: dict[int, list[Attempt]] = {}
    certified: set[int] = set()
    if current_user.is_authenticated and rounds:
        round_ids = [r.id for r in rounds]
        for attempt in queries.own_attempts(current_user.id, round_ids):
            mine.setdefault(attempt.round_id, []).append(attempt)
        certified = certificate_queries.certified_rounds(current_user.id, round_ids)
    return render_template(
        "contest/detail.html",
        contest=contest,
        rules=render_rules(contest.rules),
        rounds=rounds,
        now=now,
        mine=mine,
        certified=certified,
        participants=queries.participants([r.id for r in rounds]),
        overall=contest_ranking.public_winners(contest),
        overall_mode=contest_ranking.settings(contest).mode,
        groups=GROUP_LABELS,
        prizes=PRIZE_LABELS,
        open_status=AttemptStatus.IN_PROGRESS.value,
        Round=Round,
    )
