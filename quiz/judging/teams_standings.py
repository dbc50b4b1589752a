"""Standings of a teams contest's stage (a cluster or the final), from stored rows.

A judged part's score is the mean of its submitted sheet totals (with 5 or more sheets the
highest and the lowest are dropped, as in entries contests); a live part's score is its
recounted points. Total = Σ part score × part weight.
Order: total (desc) → score in the first part (desc) → place in the drawn order of play
(asc; undrawn last) → team id. Ranked prizes follow the order, for scored teams only.
Special prizes (clusters only): the best score in the named part; a tie goes to the team
ranked higher.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from ..extensions import db
from ..models import Contest, Prize, Stage, Team, TeamPart, TeamSettings
from . import live_scoring
from . import teams_queries as queries
from .standings import counted

PRIZE_ORDER = (Prize.FIRST, Prize.SECOND, Prize.THIRD, Prize.CONSOLATION)


@dataclass
class Row:
    team: Team
    part_scores: dict[int, float | None]
    total: float
    scored: bool
    draw_position: int | None
    rank: int = 0
    prize: str | None = None
    prize_amount: int | None = None
    specials: list[dict] = field(default_factory=list)


def pool(stage: Stage, settings: TeamSettings) -> list[Team]:
    """Who plays a stage: a cluster's confirmed teams; in the final, the best
    finalists_per_cluster teams of each published cluster."""
    cluster = queries.cluster_of_stage(stage.id)
    if cluster is not None:
        return queries.teams(stage.contest_id, cluster_id=cluster.id, confirmed=True)
    teams = []
    for c in queries.clusters(stage.contest_id):
        frozen = queries.published(c.stage_id) if c.stage.published_at else []
        teams += [team for _, team, _ in frozen[: settings.finalists_per_cluster]]
    return teams


def part_scores(stage: Stage, parts: list[TeamPart]) -> dict[tuple[int, int], float]:
    """{(team id, part id): score} of the stage's scored parts."""
    by_key: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for team_id, part_id, sheet_id, total in queries.submitted_totals(stage.id):
        by_key[(team_id, part_id)].append((sheet_id, total))
    scores = {}
    for key, totals in by_key.items():
        kept = counted(totals)
        scores[key] = round(sum(t for _, t in kept) / len(kept) / 2, 2)
    for part in parts:
        if part.live:
            run = queries.live_run(stage.id, part.id)
            if run is not None:
                for team_id, value in live_scoring.points(run, part).items():
                    scores[(team_id, part.id)] = float(value)
    return scores


def compute(stage: Stage) -> list[Row]:
    """The stage's standings, ranked, with ranked and special prizes."""
    contest = db.session.get(Contest, stage.contest_id)
    settings = queries.settings_of(contest)
    parts = queries.parts(contest.id)
    scores = part_scores(stage, parts)
    order = queries.draw_positions(stage.id)
    rows = []
    for team in pool(stage, settings):
        mine = {p.id: scores.get((team.id, p.id)) for p in parts}
        total = round(sum((mine[p.id] or 0) * p.weight for p in parts), 2)
        rows.append(
            Row(
                team=team,
                part_scores=mine,
                total=total,
                scored=any(v is not None for v in mine.values()),
                draw_position=order.get(team.id),
            )
        )
    first = parts[0].id if parts else None
    rows.sort(
        key=lambda r: (
            -r.total,
            -(r.part_scores.get(first) if r.part_scores.get(first) is not None else -1e9),
            r.draw_position if r.draw_position is not None else 10**6,
            r.team.id,
        )
    )
    is_cluster = queries.cluster_of_stage(stage.id) is not None
    prizes = settings.cluster_prizes if is_cluster else settings.final_prizes
    plan = []
    for prize in PRIZE_ORDER:
        spec = (prizes or {}).get(prize.value) or {}
        plan += [(prize.value, spec.get("amount"))] * int(spec.get("count") or 0)
    for i, row in enumerate(rows):
        row.rank = i + 1
        if i < len(plan) and row.scored:
            row.prize, row.prize_amount = plan[i]
    if is_cluster:
        for part in parts:
            if not part.special_prize:
                continue
            scored = [r for r in rows if r.part_scores.get(part.id) is not None]
            if scored:
                # max() keeps the first of equal scores: the team ranked higher.
                best = max(scored, key=lambda r: r.part_scores[part.id])
                best.specials.append(
                    {"part_id": part.id, "name": part.special_prize, "amount": part.special_amount}
                )
    return rows
