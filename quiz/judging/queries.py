"""Read-only SQL of judged contests: entry pools, queues, the secretariat's grid, figures."""

from sqlalchemy import and_, func, not_, or_, select

from ..extensions import db
from ..models import (
    Contest,
    Criterion,
    Entry,
    EntryReach,
    EntryStatus,
    EntryVote,
    JudgeAssignment,
    JudgedSettings,
    ScoreSheet,
    SheetScore,
    SheetStatus,
    SpecialPrize,
    Stage,
    Standing,
    Unit,
    User,
)


def settings_of(contest: Contest) -> JudgedSettings | None:
    return db.session.get(JudgedSettings, contest.id)


def stage_of(contest: Contest, key: str) -> Stage | None:
    return db.session.execute(
        select(Stage).where(Stage.contest_id == contest.id, Stage.key == key)
    ).scalar_one_or_none()


def stages(contest: Contest) -> list[Stage]:
    return list(
        db.session.execute(
            select(Stage).where(Stage.contest_id == contest.id).order_by(Stage.position, Stage.id)
        ).scalars()
    )


def criteria(contest_id: int) -> list[Criterion]:
    return list(
        db.session.execute(
            select(Criterion).where(Criterion.contest_id == contest_id).order_by(Criterion.position)
        ).scalars()
    )


def contest_entries(contest_id: int, *, unit_id: int | None = None) -> list[Entry]:
    """Every entry of a contest (or of one unit), in registration order."""
    stmt = select(Entry).where(Entry.contest_id == contest_id)
    if unit_id is not None:
        stmt = stmt.where(Entry.unit_id == unit_id)
    return list(db.session.execute(stmt.order_by(Entry.created_at, Entry.id)).scalars())


def pool_filter(contest_id: int, settings: JudgedSettings):
    """The entries that reach the final: not rejected, and picked where there is a quota."""
    where = [Entry.contest_id == contest_id, Entry.status == EntryStatus.REGISTERED.value]
    if settings.preliminary_quota is not None:
        where.append(Entry.selection_slot.is_not(None))
    return and_(*where)


def pool(contest_id: int, settings: JudgedSettings) -> list[Entry]:
    return list(
        db.session.execute(
            select(Entry)
            .where(pool_filter(contest_id, settings))
            .order_by(Entry.created_at, Entry.id)
        ).scalars()
    )


def own_unit_clause(judge_unit: Unit):
    """Entries a judge must never score: of the judge's unit or under it (below the top
    of the tree, whose subtree is everything)."""
    clause = Entry.unit_id == judge_unit.id
    if judge_unit.depth > 0:
        clause = or_(
            clause,
            Entry.unit_id.in_(
                select(Unit.id).where(Unit.path.startswith(judge_unit.path, autoescape=True))
            ),
        )
    return clause


def is_own_unit(judge: User, entry: Entry) -> bool:
    judge_unit = judge.unit
    if entry.unit_id == judge_unit.id:
        return True
    return judge_unit.depth > 0 and entry.unit.path.startswith(judge_unit.path)


def is_assigned(stage_id: int, judge_id: int) -> bool:
    return (
        db.session.execute(
            select(JudgeAssignment.id).where(
                JudgeAssignment.stage_id == stage_id, JudgeAssignment.judge_id == judge_id
            )
        ).first()
        is not None
    )


def judge_stages(judge_id: int) -> list[Stage]:
    """The stages a judge sits on, newest contest first."""
    return list(
        db.session.execute(
            select(Stage)
            .join(JudgeAssignment, JudgeAssignment.stage_id == Stage.id)
            .where(JudgeAssignment.judge_id == judge_id)
            .order_by(Stage.contest_id.desc(), Stage.position)
        ).scalars()
    )


def judge_queue(
    stage: Stage, judge: User, settings: JudgedSettings
) -> list[tuple[Entry, ScoreSheet | None]]:
    """The entries a judge scores in a stage, with the judge's sheet where one exists;
    never an entry of the judge's own unit."""
    rows = db.session.execute(
        select(Entry, ScoreSheet)
        .outerjoin(
            ScoreSheet,
            and_(
                ScoreSheet.entry_id == Entry.id,
                ScoreSheet.stage_id == stage.id,
                ScoreSheet.judge_id == judge.id,
            ),
        )
        .where(pool_filter(stage.contest_id, settings), not_(own_unit_clause(judge.unit)))
        .order_by(Entry.created_at, Entry.id)
    ).all()
    return [(entry, sheet) for entry, sheet in rows]


def assigned_judges(stage_id: int) -> list[User]:
    return list(
        db.session.execute(
            select(User)
            .join(JudgeAssignment, JudgeAssignment.judge_id == User.id)
            .where(JudgeAssignment.stage_id == stage_id)
            .order_by(User.full_name, User.id)
        ).scalars()
    )


def sheets(stage_id: int, *, judge_id: int | None = None) -> list[ScoreSheet]:
    stmt = select(ScoreSheet).where(ScoreSheet.stage_id == stage_id)
    if judge_id is not None:
        stmt = stmt.where(ScoreSheet.judge_id == judge_id)
    return list(db.session.execute(stmt.order_by(ScoreSheet.id)).scalars())


def submitted_totals(stage_id: int) -> list[tuple[int, int, int]]:
    """(entry id, sheet id, total in half points) of every submitted sheet of a stage."""
    return [
        (entry_id, sheet_id, int(total or 0))
        for entry_id, sheet_id, total in db.session.execute(
            select(ScoreSheet.entry_id, ScoreSheet.id, func.sum(SheetScore.half_points))
            .outerjoin(SheetScore, SheetScore.sheet_id == ScoreSheet.id)
            .where(
                ScoreSheet.stage_id == stage_id,
                ScoreSheet.status == SheetStatus.SUBMITTED.value,
            )
            .group_by(ScoreSheet.entry_id, ScoreSheet.id)
        )
    ]


def criterion_scores(stage_id: int, criterion_id: int) -> dict[int, int]:
    """Sheet id → half points on one criterion, for the submitted sheets of a stage."""
    return dict(
        db.session.execute(
            select(SheetScore.sheet_id, SheetScore.half_points)
            .join(ScoreSheet, ScoreSheet.id == SheetScore.sheet_id)
            .where(
                ScoreSheet.stage_id == stage_id,
                ScoreSheet.status == SheetStatus.SUBMITTED.value,
                SheetScore.criterion_id == criterion_id,
            )
        ).all()
    )


def vote_counts(contest_id: int) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(EntryVote.entry_id, func.count(EntryVote.id))
            .join(Entry, Entry.id == EntryVote.entry_id)
            .where(Entry.contest_id == contest_id)
            .group_by(EntryVote.entry_id)
        ).all()
    )


def reach(contest_id: int) -> dict[int, EntryReach]:
    return {
        r.entry_id: r
        for r in db.session.execute(
            select(EntryReach)
            .join(Entry, Entry.id == EntryReach.entry_id)
            .where(Entry.contest_id == contest_id)
        ).scalars()
    }


def my_votes(contest_id: int, user_id: int) -> set[int]:
    return set(
        db.session.execute(
            select(EntryVote.entry_id)
            .join(Entry, Entry.id == EntryVote.entry_id)
            .where(Entry.contest_id == contest_id, EntryVote.user_id == user_id)
        ).scalars()
    )


def has_submitted_sheet(contest_id: int) -> bool:
    return (
        db.session.execute(
            select(ScoreSheet.id)
            .join(Stage, Stage.id == ScoreSheet.stage_id)
            .where(
                Stage.contest_id == contest_id,
                ScoreSheet.status == SheetStatus.SUBMITTED.value,
            )
            .limit(1)
        ).first()
        is not None
    )


def picks_of(contest_id: int, parent_unit_id: int) -> int:
    return db.session.scalar(
        select(func.count(Entry.id)).where(
            Entry.contest_id == contest_id, Entry.selected_by_unit_id == parent_unit_id
        )
    )


def free_slot(contest_id: int, parent_unit_id: int) -> int:
    taken = set(
        db.session.execute(
            select(Entry.selection_slot).where(
                Entry.contest_id == contest_id,
                Entry.selected_by_unit_id == parent_unit_id,
                Entry.selection_slot.is_not(None),
            )
        ).scalars()
    )
    slot = 1
    while slot in taken:
        slot += 1
    return slot


def sub_unit_entries(contest_id: int, parent_unit_id: int) -> list[Entry]:
    """Entries of a parent unit's direct sub-units: what its manager picks from."""
    return list(
        db.session.execute(
            select(Entry)
            .join(Unit, Unit.id == Entry.unit_id)
            .where(Entry.contest_id == contest_id, Unit.parent_id == parent_unit_id)
            .order_by(Entry.created_at, Entry.id)
        ).scalars()
    )


def published_standings(stage_id: int) -> list[tuple[Standing, Entry, Unit]]:
    """A stage's frozen standings with each entry and its unit, by rank."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Standing, Entry, Unit)
            .join(Entry, Entry.id == Standing.entry_id)
            .join(Unit, Unit.id == Entry.unit_id)
            .where(Standing.stage_id == stage_id)
            .order_by(Standing.rank)
        )
    ]


def contest_by_slug(slug: str) -> Contest | None:
    return db.session.execute(select(Contest).where(Contest.slug == slug)).scalar_one_or_none()


def entries_page_query(contest_id: int, *, public: bool):
    """The entries of a contest for a paged list: registration order; the public list
    leaves rejected entries out."""
    stmt = select(Entry).where(Entry.contest_id == contest_id)
    if public:
        stmt = stmt.where(Entry.status == EntryStatus.REGISTERED.value)
    return stmt.order_by(Entry.created_at, Entry.id)


def judges() -> list[User]:
    """Every account with the judge role, for the assignment form."""
    return list(
        db.session.execute(
            select(User).where(User.role == "judge", User.active).order_by(User.full_name, User.id)
        ).scalars()
    )


def sheet_grid(stage_id: int) -> dict[tuple[int, int], ScoreSheet]:
    """(judge id, entry id) → sheet, for the secretariat's grid."""
    return {(s.judge_id, s.entry_id): s for s in sheets(stage_id)}


def sheet_totals(sheet_ids: list[int]) -> dict[int, int]:
    """Sheet id → total in half points."""
    if not sheet_ids:
        return {}
    return dict(
        db.session.execute(
            select(SheetScore.sheet_id, func.sum(SheetScore.half_points))
            .where(SheetScore.sheet_id.in_(sheet_ids))
            .group_by(SheetScore.sheet_id)
        ).all()
    )


def special_prizes(contest_id: int) -> list[SpecialPrize]:
    return list(
        db.session.execute(
            select(SpecialPrize)
            .where(SpecialPrize.contest_id == contest_id)
            .order_by(SpecialPrize.name)
        ).scalars()
    )


def judged_contests() -> list[Contest]:
    return list(
        db.session.execute(
            select(Contest).where(Contest.kind != "quiz").order_by(Contest.created_at.desc())
        ).scalars()
    )


def judge_sheet(stage_id: int, judge_id: int, entry_id: int) -> ScoreSheet | None:
    return db.session.execute(
        select(ScoreSheet).where(
            ScoreSheet.stage_id == stage_id,
            ScoreSheet.judge_id == judge_id,
            ScoreSheet.entry_id == entry_id,
        )
    ).scalar_one_or_none()
