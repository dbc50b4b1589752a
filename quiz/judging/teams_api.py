"""The standings API (DESIGN.md §5) for teams contests.

Mapping onto the entries-shaped answer: entry_id is the team's id, title its name, unit_code
its unit's code; jury_score and total are the team's weighted total (every part, the live
knowledge part included, is scored on the stage), audience_score is 0 (no audience vote).
`?stage=` takes a stage key (cluster-1, …, final); `?cluster=N` is the same as
`?stage=cluster-N`; without either, the final.
"""

from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError, NotFound
from ..models import Contest
from . import queries as judging_queries
from . import teams_queries, teams_standings
from .setup import FINAL


def standings(contest: Contest, stage_key: str | None, cluster: str | None) -> dict:
    key = stage_key or FINAL
    if cluster:
        if not cluster.isdigit() or (stage_key and stage_key != f"cluster-{cluster}"):
            raise NotFound()
        key = f"cluster-{cluster}"
    stage = judging_queries.stage_of(contest, key)
    if stage is None:
        raise NotFound()
    if stage.published_at is not None:
        entries = [
            _row(s.rank, team.id, team.name, unit.code, s.total, s.prize)
            for s, team, unit in teams_queries.published(stage.id)
        ]
    elif current_user.is_authenticated and current_user.is_admin:
        entries = [
            _row(r.rank, r.team.id, r.team.name, r.team.unit.code, r.total, r.prize)
            for r in teams_standings.compute(stage)
        ]
    else:
        raise DomainError("not_published", _("Kết quả vòng thi này chưa được công bố."), status=403)
    return {"kind": contest.kind, "stage": stage.key, "entries": entries}


def _row(rank, team_id, name, unit_code, total, prize) -> dict:
    return {
        "rank": rank,
        "entry_id": team_id,
        "title": name,
        "unit_code": unit_code,
        "jury_score": total,
        "audience_score": 0,
        "total": total,
        "prize": prize,
    }
