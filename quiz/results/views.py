"""Public results pages: unit participation per round and contest, individual results."""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, abort, render_template, request
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..certificates import queries as certificate_queries
from ..disclosure import sees_scores
from ..extensions import db
from ..labels import GROUP_LABELS, KIND_LABELS, UNIT_LEVEL_LABELS
from ..models import Contest, Group, Prediction, Prize, Round, Unit, UnitKind
from . import queries, ranking, statistics

bp = Blueprint("results", __name__)

# The kinds a visitor filters by; "all" shows one table per kind present.
KIND_TABS = [UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE]
KIND_ORDER = list(UnitKind)
RESULTS_LIMIT = 200  # people shown per group: the prize winners and well beyond

PRIZE_LABELS = {
    Prize.FIRST: _l("Nhất"),
    Prize.SECOND: _l("Nhì"),
    Prize.THIRD: _l("Ba"),
    Prize.CONSOLATION: _l("Khuyến khích"),
}


@dataclass(frozen=True)
class RankedTable:
    kind: str | None
    rows: list[tuple[int, queries.Participation]]  # (rank within the kind, row)


@dataclass(frozen=True)
class ResultRow:
    rank: int
    full_name: str | None  # None: not published (only prize winners' names are, by default)
    unit_name: str
    correct_count: int
    duration_ms: int
    prediction: int | None
    prize: str | None


def _kind_arg() -> str | None:
    kind = request.args.get("kind") or None
    if kind is not None and kind not in set(UnitKind):
        abort(400)
    return kind


def _parent_arg() -> Unit | None:
    code = request.args.get("parent") or None
    if code is None:
        return None
    return db.first_or_404(db.select(Unit).filter_by(code=code))


def _tables(rows: list[queries.Participation], kind: str | None) -> list[RankedTable]:
    """Rows (already best rate first) split by kind, each kind ranked on its own."""
    by_kind: dict[str, list[queries.Participation]] = {}
    for row in rows:
        by_kind.setdefault(row.unit.kind, []).append(row)
    kinds = [kind] if kind else [k.value for k in KIND_ORDER]
    return [RankedTable(k, list(enumerate(by_kind[k], start=1))) for k in kinds if by_kind.get(k)]


def _units_page(template_args: dict, **filters):
    kind = _kind_arg()
    parent = _parent_arg()
    rows = queries.unit_rows(kind=kind, parent=parent, **filters)
    computed_at = queries.unit_figures().computed_at
    return render_template(
        "results/units.html",
        tables=_tables(rows, kind),
        kind=kind,
        kind_tabs=[k for k in KIND_TABS if k.value in queries.unit_kinds()],
        kinds=KIND_LABELS,
        parent=parent,
        breadcrumb=queries.breadcrumb(parent),
        has_children=queries.parent_ids(),
        computed_at=format_datetime(datetime.fromtimestamp(computed_at, UTC), "dd/MM/yyyy HH:mm"),
        **template_args,
    )


@bp.get("/rounds/<int:round_id>/units")
def round_units(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    scores = sees_scores(round_, current_user)
    return _units_page(
        {
            "round": round_,
            "contest": round_.contest,
            "endpoint": "results.round_units",
            "show_scores": scores,
        },
        round_id=round_.id,
        scores=scores,
    )


@bp.get("/contests/<slug>/units")
def contest_units(slug: str):
    contest = db.first_or_404(db.select(Contest).filter_by(slug=slug))
    return _units_page(
        {
            "round": None,
            "contest": contest,
            "endpoint": "results.contest_units",
            "show_scores": False,
        },
        contest_id=contest.id,
    )


def _group_arg(round_: Round) -> str:
    default = Group.STAFF.value if round_.allow_staff else Group.CITIZEN.value
    group = request.args.get("group") or default
    if group not in set(Group):
        abort(400)
    return group


def _published_rows(round_: Round, group: str, is_admin: bool) -> list[ResultRow]:
    return [
        ResultRow(
            r.rank,
            ranking.public_name(round_, r.full_name, r.prize, is_admin),
            r.unit.name,
            r.correct_count,
            r.duration_ms,
            r.prediction,
            r.prize,
        )
        for r in ranking.published(round_, group, RESULTS_LIMIT)
    ]


def _preview_rows(round_: Round, group: str) -> list[ResultRow]:
    entries = ranking.ranking(round_, group, RESULTS_LIMIT)
    names = queries.unit_names({e.unit_id for e in entries})
    return [
        ResultRow(
            e.rank,
            e.full_name,
            names[e.unit_id],
            e.correct_count,
            e.duration_ms,
            e.prediction,
            None,
        )
        for e in entries
    ]


@bp.get("/rounds/<int:round_id>/results")
def results(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    group = _group_arg(round_)
    is_admin = current_user.is_authenticated and current_user.is_admin
    published = round_.results_published_at is not None
    if published:
        rows = _published_rows(round_, group, is_admin)
    elif is_admin:
        rows = _preview_rows(round_, group)
    else:
        rows = None
    # The perfect-score count is the figure people predict: score bands stay hidden
    # until publication (docs/security.md), also between close and publication.
    buckets = statistics.score_bands(round_) if published or is_admin else None
    # The logged-in person's own published row and certificate (the page is then no-store).
    mine = None
    if published and current_user.is_authenticated:
        mine = ranking.published_result(round_, current_user.id)
    return render_template(
        "results/results.html",
        round=round_,
        contest=round_.contest,
        group=group,
        groups=GROUP_LABELS,
        rows=rows,
        published=published,
        has_prediction=round_.prediction != Prediction.NONE,
        prizes=PRIZE_LABELS,
        buckets=buckets,
        limit=RESULTS_LIMIT,
        # Collective prizes: the frozen rows only, so nothing shows before publication.
        unit_prizes=ranking.published_units(round_),
        unit_level=ranking.unit_level(round_),
        unit_levels=UNIT_LEVEL_LABELS,
        kinds=KIND_LABELS,
        mine=mine,
        certificate=mine is not None and certificate_queries.issues(round_),
    )
