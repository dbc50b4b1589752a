"""Standings of a judged stage, computed from the stored sheets, votes and reach counts.

Jury score: the mean of the submitted sheet totals (with 5 or more sheets the highest and
the lowest total are dropped), scaled so that a full sheet is worth the jury weight.
Audience score: figure = votes × vote_factor + likes × like_factor + shares × share_factor;
the best figure is worth the audience weight, the others in proportion.
Order (DESIGN.md §9): total (desc) → jury score (desc) → mean score in the first criterion
of the counted sheets (desc) → registration time (asc) → entry id.
"""

from collections import defaultdict
from dataclasses import dataclass

from ..models import Entry, JudgedSettings, Prize, Stage
from . import queries

DROP_FROM = 5  # with this many submitted sheets or more, drop the highest and the lowest
PRIZE_ORDER = (Prize.FIRST, Prize.SECOND, Prize.THIRD, Prize.CONSOLATION)


@dataclass
class Row:
    entry: Entry
    sheets: int
    jury_score: float | None
    first_criterion: float | None
    audience_figure: float
    audience_score: float
    total: float
    rank: int = 0
    finalist: bool = False
    prize: str | None = None
    prize_amount: int | None = None


def counted(totals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (sheet id, total) pairs that count: all, or without the highest and the lowest
    total when there are DROP_FROM or more (one of each, the lower sheet id on a tie)."""
    if len(totals) < DROP_FROM:
        return list(totals)
    ordered = sorted(totals, key=lambda t: (t[1], t[0]))
    return ordered[1:-1]


def audience_figure(settings: JudgedSettings, votes: int, likes: int, shares: int) -> float:
    return (
        votes * settings.vote_factor + likes * settings.like_factor + shares * settings.share_factor
    )


def compute(stage: Stage, settings: JudgedSettings) -> list[Row]:
    """The stage's standings, ranked, with finalists and ranked prizes."""
    criteria = queries.criteria(stage.contest_id)
    sheet_max = sum(c.max_half_points for c in criteria)
    first = queries.criterion_scores(stage.id, criteria[0].id) if criteria else {}
    by_entry: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for entry_id, sheet_id, total in queries.submitted_totals(stage.id):
        by_entry[entry_id].append((sheet_id, total))
    votes = queries.vote_counts(stage.contest_id) if settings.site_votes else {}
    reach = queries.reach(stage.contest_id)

    entries = queries.pool(stage.contest_id, settings)
    figures = {}
    for entry in entries:
        r = reach.get(entry.id)
        figures[entry.id] = audience_figure(
            settings, votes.get(entry.id, 0), r.likes if r else 0, r.shares if r else 0
        )
    best = max(figures.values(), default=0)

    rows = []
    for entry in entries:
        kept = counted(by_entry.get(entry.id, []))
        jury = first_mean = None
        if kept and sheet_max:
            mean = sum(total for _, total in kept) / len(kept)
            jury = round(mean / sheet_max * settings.jury_weight, 2)
            first_mean = sum(first.get(sheet_id, 0) for sheet_id, _ in kept) / len(kept) / 2
        audience = round(figures[entry.id] / best * settings.audience_weight, 2) if best else 0.0
        rows.append(
            Row(
                entry=entry,
                sheets=len(by_entry.get(entry.id, [])),
                jury_score=jury,
                first_criterion=first_mean,
                audience_figure=figures[entry.id],
                audience_score=audience,
                total=round((jury or 0) + audience, 2),
            )
        )
    rows.sort(
        key=lambda r: (
            -r.total,
            -(r.jury_score if r.jury_score is not None else -1),
            -(r.first_criterion if r.first_criterion is not None else -1),
            r.entry.created_at,
            r.entry.id,
        )
    )
    plan = []
    for prize in PRIZE_ORDER:
        spec = (settings.prizes or {}).get(prize.value) or {}
        plan += [(prize.value, spec.get("amount"))] * int(spec.get("count") or 0)
    for i, row in enumerate(rows):
        row.rank = i + 1
        row.finalist = i < settings.finalist_count
        # Only a scored entry wins a prize.
        if i < len(plan) and row.jury_score is not None:
            row.prize, row.prize_amount = plan[i]
    return rows
