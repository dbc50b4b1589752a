"""The contest-wide ranking over all of a contest's rounds: settings, live preview,
publication (frozen ContestResult rows) and the prizes it hands out.

Each round counts a person once, by their best attempt in it, chosen by the round order
(ranking.py): correct answers desc → distance of the prediction from the round's true
figure asc (no prediction, or a round without the question, after every prediction) →
duration asc → submission time asc → attempt id. An attempt whose too-fast flag an
organizer confirmed does not count. Then, within a participant group:

  mode "best": a person is represented by their best round result, compared across rounds
    by the same order; their group and unit are that attempt's.
  mode "sum": correct answers summed over the rounds (desc) → total duration (asc) →
    earliest last submission (asc) → user id (asc); their group and unit are those of
    their last counted submission.

Both orders are total, so recomputing from stored rows gives the same order every time.
Prizes go in ranking order, one per person at most; organizers' staff, people with no
right answer and people with an undecided too-fast flag win none (as in a round).
"""

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, case, cast, func, insert, null, or_, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError
from ..extensions import db, lock_row
from ..labels import GROUP_LABELS, RANKING_MODE_LABELS
from ..models import (
    Attempt,
    Contest,
    ContestRanking,
    ContestResult,
    FlagState,
    Group,
    RankingMode,
    Round,
    Unit,
    User,
)
from ..xlsx import excel_time, workbook_bytes
from . import flags
from .exports import PRIZE_LABELS, local_time
from .prizes import MAX_PRIZES, PRIZE_ORDER
from .ranking import FINAL, true_figure


@dataclass(frozen=True)
class ContestEntry:
    rank: int
    user_id: int
    full_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    participant_group: str
    rounds: int
    correct_count: int  # mode best: the best round's; mode sum: the total
    duration_ms: int  # likewise
    submitted_at: datetime  # mode best: that round's submission; mode sum: the last one
    is_organizer_staff: bool = False
    pending: bool = False
    prize: str | None = None


def settings(contest: Contest) -> ContestRanking:
    """The contest's ranking settings; unsaved ones read as mode best and no prizes."""
    saved = db.session.get(ContestRanking, contest.id)
    return saved or ContestRanking(
        contest_id=contest.id, mode=RankingMode.BEST.value, prize_counts={}
    )


def is_published(contest: Contest) -> bool:
    return settings(contest).published_at is not None


def _published_error() -> DomainError:
    return DomainError(
        "already_published",
        _l("Xếp hạng chung cuộc của hội thi này đã được công bố."),
        status=409,
    )


def set_settings(
    contest: Contest,
    mode: str,
    counts: dict[str, dict[str, int]],
    *,
    actor: User | None,
    now: datetime,
) -> None:
    """Save how the contest-wide ranking is computed and its prizes; refused once published."""
    lock_row(Contest, Contest.id == contest.id)
    row = db.session.get(ContestRanking, contest.id)
    if row is not None and row.published_at is not None:
        raise _published_error()
    if mode not in set(RankingMode):
        raise DomainError(
            "invalid_mode", _l("Hãy chọn cách xếp hạng chung cuộc trong danh sách."), status=422
        )
    clean = {}
    for group in Group:
        clean[group.value] = {}
        for prize in PRIZE_ORDER:
            value = counts.get(group.value, {}).get(prize.value, 0)
            if isinstance(value, bool) or not isinstance(value, int):
                value = -1
            if not 0 <= value <= MAX_PRIZES:
                raise DomainError(
                    "invalid_prize_count", _l("Số giải phải là số nguyên không âm."), status=422
                )
            clean[group.value][prize.value] = value
    if row is None:
        row = ContestRanking(contest_id=contest.id)
        db.session.add(row)
    row.mode = mode
    row.prize_counts = clean
    audit.record(
        actor, "contest.ranking", "contest", contest.id, now=now, mode=mode, prize_counts=clean
    )
    db.session.commit()


def _round_bests(contest: Contest):
    """Each person's best counted attempt in each round of the contest (a subquery)."""
    rounds = list(db.session.execute(select(Round).where(Round.contest_id == contest.id)).scalars())
    figures = {r.id: f for r in rounds if (f := true_figure(r)) is not None}
    if figures:
        distance = func.abs(Attempt.prediction - case(figures, value=Attempt.round_id))
    else:
        distance = cast(null(), BigInteger)
    # A missing distance (no prediction, or no prediction question) after every distance.
    no_distance = case((distance.is_(None), 1), else_=0)
    order = [
        Attempt.correct_count.desc(),
        no_distance,
        distance,
        Attempt.duration_ms,
        Attempt.submitted_at,
        Attempt.id,
    ]
    per_round = (
        select(
            Attempt.id.label("attempt_id"),
            Attempt.user_id,
            Attempt.unit_id,
            Attempt.participant_group,
            Attempt.correct_count,
            Attempt.duration_ms,
            Attempt.submitted_at,
            no_distance.label("no_distance"),
            distance.label("distance"),
            case((Attempt.flag_state == FlagState.PENDING.value, 1), else_=0).label("pending"),
            func.row_number()
            .over(partition_by=(Attempt.user_id, Attempt.round_id), order_by=order)
            .label("n"),
        )
        .where(
            Attempt.round_id.in_([r.id for r in rounds] or [-1]),
            Attempt.status.in_(FINAL),
            or_(Attempt.flag_state.is_(None), Attempt.flag_state != FlagState.CONFIRMED.value),
        )
        .subquery()
    )
    return select(per_round).where(per_round.c.n == 1).subquery()


def _ranked(contest: Contest, mode: str):
    """One row per person: (user_id, unit_id, group, rounds, correct, duration, submitted,
    pending) with the order of the module docstring (a subquery and its order)."""
    b = _round_bests(contest)
    per_person = (b.c.user_id,)
    if mode == RankingMode.BEST:
        pick = [
            b.c.correct_count.desc(),
            b.c.no_distance,
            b.c.distance,
            b.c.duration_ms,
            b.c.submitted_at,
            b.c.attempt_id,
        ]
        inner = select(
            b.c.user_id,
            b.c.unit_id,
            b.c.participant_group,
            func.count().over(partition_by=per_person).label("rounds"),
            b.c.correct_count,
            b.c.duration_ms,
            b.c.submitted_at,
            b.c.pending,
            b.c.no_distance,
            b.c.distance,
            b.c.attempt_id,
            func.row_number().over(partition_by=per_person, order_by=pick).label("m"),
        ).subquery()
        order = [
            inner.c.correct_count.desc(),
            inner.c.no_distance,
            inner.c.distance,
            inner.c.duration_ms,
            inner.c.submitted_at,
            inner.c.attempt_id,
        ]
    else:
        last = [b.c.submitted_at.desc(), b.c.attempt_id.desc()]
        inner = select(
            b.c.user_id,
            b.c.unit_id,
            b.c.participant_group,
            func.count().over(partition_by=per_person).label("rounds"),
            func.sum(b.c.correct_count).over(partition_by=per_person).label("correct_count"),
            func.sum(b.c.duration_ms).over(partition_by=per_person).label("duration_ms"),
            func.max(b.c.submitted_at).over(partition_by=per_person).label("submitted_at"),
            func.max(b.c.pending).over(partition_by=per_person).label("pending"),
            func.row_number().over(partition_by=per_person, order_by=last).label("m"),
        ).subquery()
        order = [
            inner.c.correct_count.desc(),
            inner.c.duration_ms,
            inner.c.submitted_at,
            inner.c.user_id,
        ]
    return inner, order


def _query(contest: Contest, mode: str, group: str):
    inner, order = _ranked(contest, mode)
    return (
        select(
            inner.c.user_id,
            inner.c.unit_id,
            inner.c.participant_group,
            inner.c.rounds,
            inner.c.correct_count,
            inner.c.duration_ms,
            inner.c.submitted_at,
            inner.c.pending,
            User.full_name,
            User.is_organizer_staff,
            Unit.code,
            Unit.name,
        )
        .join(User, User.id == inner.c.user_id)
        .join(Unit, Unit.id == inner.c.unit_id)
        .where(inner.c.m == 1, inner.c.participant_group == group)
        .order_by(*order)
    )


def ranked_count(contest: Contest, group: str, mode: str | None = None) -> int:
    """How many people the live ranking of a group has."""
    query = _query(contest, mode or settings(contest).mode, group).subquery()
    return db.session.scalar(select(func.count()).select_from(query))


def ranking(
    contest: Contest, group: str, *, mode: str | None = None, limit: int | None = None
) -> list[ContestEntry]:
    """The live contest-wide ranking of a group with the prizes it would hand out."""
    ranking_settings = settings(contest)
    stmt = _query(contest, mode or ranking_settings.mode, group)
    if limit:
        stmt = stmt.limit(limit)
    entries = [
        ContestEntry(
            rank=n,
            user_id=row.user_id,
            full_name=row.full_name,
            unit_id=row.unit_id,
            unit_code=row.code,
            unit_name=row.name,
            participant_group=row.participant_group,
            rounds=int(row.rounds),
            correct_count=int(row.correct_count),
            duration_ms=int(row.duration_ms),
            submitted_at=row.submitted_at,
            is_organizer_staff=row.is_organizer_staff,
            pending=bool(row.pending),
        )
        for n, row in enumerate(db.session.execute(stmt), start=1)
    ]
    return with_prizes(ranking_settings.prize_counts or {}, group, entries)


def with_prizes(counts: dict, group: str, entries: list[ContestEntry]) -> list[ContestEntry]:
    """Hand out the group's prizes in ranking order (see the module docstring)."""
    wanted = counts.get(group, {})
    queue = [p.value for p in PRIZE_ORDER for _ in range(int(wanted.get(p.value, 0)))]
    out = []
    for e in entries:
        prize = None
        if queue and not e.is_organizer_staff and e.correct_count > 0 and not e.pending:
            prize = queue.pop(0)
        out.append(replace(e, prize=prize))
    return out


def publish(contest: Contest, *, actor: User | None, now: datetime) -> int:
    """Freeze the contest-wide ranking and its prizes; returns how many people are ranked."""
    lock_row(Contest, Contest.id == contest.id)
    row = db.session.get(ContestRanking, contest.id)
    if row is not None and row.published_at is not None:
        raise _published_error()
    pending = sum(
        flags.pending_count(round_id)
        for round_id in db.session.execute(
            select(Round.id).where(Round.contest_id == contest.id)
        ).scalars()
    )
    if pending:
        raise flags.pending_error(pending)
    if row is None:
        row = ContestRanking(contest_id=contest.id, mode=RankingMode.BEST.value, prize_counts={})
        db.session.add(row)
        db.session.flush()
    rows = []
    for group in Group:
        for e in ranking(contest, group.value):
            rows.append(
                {
                    "contest_id": contest.id,
                    "participant_group": group.value,
                    "rank": e.rank,
                    "user_id": e.user_id,
                    "full_name": e.full_name,
                    "unit_id": e.unit_id,
                    "rounds": e.rounds,
                    "correct_count": e.correct_count,
                    "duration_ms": e.duration_ms,
                    "submitted_at": e.submitted_at,
                    "prize": e.prize,
                }
            )
    if rows:
        db.session.execute(insert(ContestResult), rows)
    row.published_at = now
    audit.record(
        actor,
        "contest.ranking_publish",
        "contest",
        contest.id,
        now=now,
        mode=row.mode,
        ranked=len(rows),
        prizes=sum(1 for r in rows if r["prize"]),
    )
    try:
        db.session.commit()
    except IntegrityError as err:  # published meanwhile by another request
        db.session.rollback()
        raise _published_error() from err
    return len(rows)


def published(
    contest: Contest,
    group: str,
    *,
    offset: int = 0,
    limit: int | None = None,
    winners_only: bool = False,
) -> list[ContestResult]:
    """The frozen contest-wide ranking of a group, by rank."""
    stmt = (
        select(ContestResult)
        .where(ContestResult.contest_id == contest.id, ContestResult.participant_group == group)
        .options(db.joinedload(ContestResult.unit))
        .order_by(ContestResult.rank)
    )
    if winners_only:
        stmt = stmt.where(ContestResult.prize.isnot(None))
    if offset:
        stmt = stmt.offset(offset)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt).scalars())


def published_count(contest: Contest, group: str) -> int:
    return db.session.scalar(
        select(func.count(ContestResult.id)).where(
            ContestResult.contest_id == contest.id, ContestResult.participant_group == group
        )
    )


def as_entry(r: ContestResult) -> ContestEntry:
    """A frozen row in the shape of a live entry, for the pages and the export."""
    return ContestEntry(
        rank=r.rank,
        user_id=r.user_id,
        full_name=r.full_name,
        unit_id=r.unit_id,
        unit_code=r.unit.code,
        unit_name=r.unit.name,
        participant_group=r.participant_group,
        rounds=r.rounds,
        correct_count=r.correct_count,
        duration_ms=r.duration_ms,
        submitted_at=r.submitted_at,
        prize=r.prize,
    )


def entries(
    contest: Contest, group: str, *, offset: int = 0, limit: int | None = None
) -> list[ContestEntry]:
    """A page of the contest-wide ranking: frozen once published, else the live preview
    (prizes handed out from the top, so a later page shows them right too)."""
    if is_published(contest):
        return [as_entry(r) for r in published(contest, group, offset=offset, limit=limit)]
    live = ranking(contest, group, limit=(offset + limit) if limit else None)
    return live[offset:]


def count(contest: Contest, group: str) -> int:
    if is_published(contest):
        return published_count(contest, group)
    return ranked_count(contest, group)


def workbook(contest: Contest) -> bytes:
    """The contest-wide ranking and its prizes as XLSX (frozen once published, else the
    preview), with Vietnamese labels whatever language the admin reads the site in."""
    ranking_settings = settings(contest)
    with force_locale("vi"):
        groups = {g.value: str(GROUP_LABELS[g]) for g in Group}
        prizes = {p.value: str(PRIZE_LABELS[p]) for p in PRIZE_ORDER}
        mode = str(RANKING_MODE_LABELS[RankingMode(ranking_settings.mode)])
    if ranking_settings.published_at is not None:
        status = f"Đã công bố lúc {local_time(ranking_settings.published_at)}"
    else:
        status = "CHƯA CÔNG BỐ: bảng xếp hạng tạm tính (bản xem trước)"
    sum_mode = ranking_settings.mode == RankingMode.SUM
    headers = [
        "Hạng",
        "Họ và tên",
        "Đơn vị",
        "Mã đơn vị",
        "Đối tượng",
        "Số đợt đã thi",
        "Tổng số câu đúng" if sum_mode else "Số câu đúng (đợt tốt nhất)",
        "Tổng thời gian làm bài (giây)" if sum_mode else "Thời gian làm bài (giây)",
        "Lần nộp cuối" if sum_mode else "Thời điểm nộp",
        "Giải",
    ]
    rows = [
        [
            e.rank,
            e.full_name,
            e.unit_name,
            e.unit_code,
            groups[e.participant_group],
            e.rounds,
            e.correct_count,
            round(e.duration_ms / 1000, 3),
            excel_time(e.submitted_at) if e.submitted_at else None,
            prizes.get(e.prize, ""),
        ]
        for g in groups
        for e in entries(contest, g)
    ]
    info = [
        ("Hội thi", contest.title),
        ("Số đợt thi", len(contest.rounds)),
        ("Cách xếp hạng", mode),
        ("Kết quả", status),
    ]
    return workbook_bytes(
        {
            "Thông tin": (["Mục", "Nội dung"], info),
            "Xếp hạng chung cuộc": (headers, rows),
            "Giải cá nhân": (headers, [r for r in rows if r[-1]]),
        },
        heading=[("Hội thi", contest.title)],
        locale="vi",
    )


def public_winners(contest: Contest) -> dict[str, list[ContestResult]] | None:
    """The contest-wide prize winners per group for the public contest page; None before
    publication. Only winners are named publicly (Law 91/2025/QH15: no more than needed)."""
    if not is_published(contest):
        return None
    return {g.value: published(contest, g.value, winners_only=True) for g in Group}
