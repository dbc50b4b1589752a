"""A round's statistics: participation per day, group and kind of unit, and the score bands.

They read the kept aggregates (RoundDayStat, RoundScoreStat, UnitRoundStat), so
they cost the same whatever the number of attempts.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, select

from ..extensions import db
from ..labels import GROUP_LABELS, KIND_LABELS
from ..models import (
    Group,
    Round,
    RoundDayStat,
    RoundResult,
    RoundScoreStat,
    Unit,
    UnitKind,
    UnitRoundStat,
)
from .charts import Series, bar_chart

# The score bands, best first, as (key, label): the admin's statistics and the public
# results page both use these.
BANDS = (
    ("full", _l("100 %")),
    ("high", _l("Từ 75 % đến dưới 100 %")),
    ("mid", _l("Từ 25 % đến dưới 75 %")),
    ("low", _l("Dưới 25 %")),
)
BUCKETS = tuple(label for _key, label in BANDS)


def bucket(correct: int, question_count: int) -> int:
    """Which score band (index into BANDS) a count of right answers falls in."""
    # Integer comparisons: 3 of 4 is exactly 75 %, never 74.99… %.
    if correct >= question_count:
        return 0
    if 4 * correct >= 3 * question_count:
        return 1
    if 4 * correct >= question_count:
        return 2
    return 3


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    people: int
    share: float


def score_bands(round_: Round) -> list[Bucket]:
    """People per score band (every group), from the kept per-score counts."""
    counts = db.session.execute(
        select(RoundScoreStat.correct_count, func.sum(RoundScoreStat.people))
        .where(RoundScoreStat.round_id == round_.id)
        .group_by(RoundScoreStat.correct_count)
    ).all()
    people = [0] * len(BANDS)
    for correct, n in counts:
        people[bucket(correct, round_.question_count)] += int(n or 0)
    total = sum(people)
    return [
        Bucket(key, label, n, n / total if total else 0.0)
        for (key, label), n in zip(BANDS, people, strict=True)
    ]


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    units: int
    participants: int
    headcount: int


@dataclass(frozen=True)
class Statistics:
    groups: list[str]
    days: list[tuple[date, dict[str, int]]]
    people: dict[str, int]  # per group, from the score counters
    buckets: dict[str, list[int]]  # per group, people per score band
    kinds: list[KindRow]
    direct: int  # people registered with a top-level unit itself
    day_chart: Markup
    kind_chart: Markup
    group_chart: Markup
    score_chart: Markup


def _days(round_: Round) -> list[tuple[date, dict[str, int]]]:
    rows = db.session.execute(
        select(RoundDayStat.day, RoundDayStat.participant_group, RoundDayStat.people).where(
            RoundDayStat.round_id == round_.id
        )
    ).all()
    per_day: dict[date, dict[str, int]] = {}
    for day, group, people in rows:
        per_day.setdefault(day, {})[group] = people
    if not per_day:
        return []
    # Days nobody joined show as empty bars rather than disappear.
    first, last = min(per_day), max(per_day)
    span = (last - first).days
    return [(d, per_day.get(d, {})) for d in (first + timedelta(days=n) for n in range(span + 1))]


def _kinds(round_: Round) -> tuple[list[KindRow], int]:
    """Participants per kind of the top-level units' children (disjoint subtrees)."""
    rows = db.session.execute(
        select(
            Unit.kind,
            func.count(Unit.id),
            func.coalesce(func.sum(UnitRoundStat.participants), 0),
            func.coalesce(func.sum(Unit.headcount), 0),
        )
        .outerjoin(
            UnitRoundStat,
            (UnitRoundStat.unit_id == Unit.id) & (UnitRoundStat.round_id == round_.id),
        )
        .where(Unit.depth == 1)
        .group_by(Unit.kind)
    ).all()
    by_kind = {kind: (units, people, heads) for kind, units, people, heads in rows}
    kinds = [
        KindRow(k.value, str(KIND_LABELS[k]), *by_kind[k.value]) for k in UnitKind if k in by_kind
    ]
    top = db.session.scalar(
        select(func.coalesce(func.sum(UnitRoundStat.participants), 0))
        .join(Unit, Unit.id == UnitRoundStat.unit_id)
        .where(UnitRoundStat.round_id == round_.id, Unit.depth == 0)
    )
    return kinds, top - sum(k.participants for k in kinds)


def _number(value: float) -> str:
    return format_decimal(value)


def statistics(round_: Round) -> Statistics:
    """Participation per day, group and kind of unit, and the score bands, with charts."""
    groups = [g.value for g in Group if round_.admits(g.value)]
    scores = db.session.execute(
        select(
            RoundScoreStat.participant_group, RoundScoreStat.correct_count, RoundScoreStat.people
        ).where(RoundScoreStat.round_id == round_.id)
    ).all()
    people = {g: 0 for g in groups}
    buckets = {g: [0, 0, 0, 0] for g in groups}
    for group, correct, n in scores:
        people[group] = people.get(group, 0) + n
        buckets.setdefault(group, [0, 0, 0, 0])[bucket(correct, round_.question_count)] += n
    groups = [g for g in Group if g.value in people]
    names = [str(GROUP_LABELS[g]) for g in groups]
    days = _days(round_)
    kinds, direct = _kinds(round_)
    day_chart = bar_chart(
        "chart-days",
        _("Số người tham gia mới theo ngày"),
        [d.strftime("%d/%m/%Y") for d, _n in days],
        [
            Series(name, [n.get(g.value, 0) for _d, n in days])
            for g, name in zip(groups, names, strict=True)
        ],
        description=_("Mỗi ngày, số người nộp bài lần đầu, theo đối tượng. Số liệu ở bảng bên."),
        fmt=_number,
    )
    kind_labels = [k.label for k in kinds]
    if direct:
        kind_labels.append(_("Trực thuộc đơn vị cấp cao nhất"))
    kind_chart = bar_chart(
        "chart-kinds",
        _("Số người tham gia theo loại đơn vị"),
        kind_labels,
        [
            Series(
                _("Người tham gia"), [k.participants for k in kinds] + ([direct] if direct else [])
            )
        ],
        description=_("Đơn vị trực thuộc cấp cao nhất, cộng theo loại. Số liệu ở bảng bên."),
        fmt=_number,
    )
    group_chart = bar_chart(
        "chart-groups",
        _("Số người tham gia theo đối tượng"),
        names,
        [Series(_("Người tham gia"), [people[g.value] for g in groups])],
        description=_("Số liệu ở bảng bên."),
        fmt=_number,
    )
    score_chart = bar_chart(
        "chart-scores",
        _("Phân bố điểm (tỷ lệ câu trả lời đúng)"),
        [str(b) for b in BUCKETS],
        [Series(name, buckets[g.value]) for g, name in zip(groups, names, strict=True)],
        description=_("Số người theo mức điểm, theo đối tượng. Số liệu ở bảng bên."),
        fmt=_number,
    )
    return Statistics(
        [g.value for g in groups],
        days,
        people,
        buckets,
        kinds,
        direct,
        day_chart,
        kind_chart,
        group_chart,
        score_chart,
    )


def ranked_counts(round_: Round, stats: Statistics) -> dict[str, int]:
    """How many people each group's ranking holds: frozen rows once published."""
    if round_.results_published_at is None:
        return dict(stats.people)
    rows = db.session.execute(
        select(RoundResult.participant_group, func.count(RoundResult.id))
        .where(RoundResult.round_id == round_.id)
        .group_by(RoundResult.participant_group)
    ).all()
    return dict(rows)
