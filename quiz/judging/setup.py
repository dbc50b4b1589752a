"""What a new judged contest starts with; used by contest creation (flush only)."""

from ..extensions import db
from ..models import Contest, ContestKind, JudgedSettings, Stage, TeamSettings

FINAL = "final"


def set_up(contest: Contest) -> None:
    """Default settings and the final stage of a new judged contest."""
    db.session.add(JudgedSettings(contest_id=contest.id, prizes={}))
    db.session.add(Stage(contest_id=contest.id, key=FINAL, title="Chung kết", position=1))
    if contest.kind == ContestKind.TEAMS:
        db.session.add(TeamSettings(contest_id=contest.id, cluster_prizes={}, final_prizes={}))
    db.session.flush()
