"""Read-only SQL of teams contests: teams, clusters, the draw, sheets and live answers."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Bank,
    Cluster,
    Contest,
    JudgeAssignment,
    LiveAnswer,
    LiveQuestion,
    LiveRun,
    PartCriterion,
    Question,
    Stage,
    Team,
    TeamDraw,
    TeamPart,
    TeamSettings,
    TeamSheet,
    TeamSheetScore,
    TeamStanding,
    TeamStatus,
    Topic,
    Unit,
    User,
)


def settings_of(contest: Contest) -> TeamSettings | None:
    return db.session.get(TeamSettings, contest.id)


def parts(contest_id: int) -> list[TeamPart]:
    return list(
        db.session.execute(
            select(TeamPart).where(TeamPart.contest_id == contest_id).order_by(TeamPart.position)
        ).scalars()
    )


def part_criteria(part_id: int) -> list[PartCriterion]:
    return list(
        db.session.execute(
            select(PartCriterion)
            .where(PartCriterion.part_id == part_id)
            .order_by(PartCriterion.position)
        ).scalars()
    )


def clusters(contest_id: int) -> list[Cluster]:
    return list(
        db.session.execute(
            select(Cluster)
            .join(Stage, Stage.id == Cluster.stage_id)
            .where(Cluster.contest_id == contest_id)
            .order_by(Stage.position, Cluster.id)
        ).scalars()
    )


def cluster_of_stage(stage_id: int) -> Cluster | None:
    return db.session.execute(
        select(Cluster).where(Cluster.stage_id == stage_id)
    ).scalar_one_or_none()


def teams(contest_id: int, *, cluster_id: int | None = None, confirmed: bool = False) -> list[Team]:
    """A contest's teams (of one cluster, confirmed only), in registration order."""
    stmt = select(Team).where(Team.contest_id == contest_id)
    if cluster_id is not None:
        stmt = stmt.where(Team.cluster_id == cluster_id)
    if confirmed:
        stmt = stmt.where(Team.status == TeamStatus.CONFIRMED.value)
    return list(db.session.execute(stmt.order_by(Team.created_at, Team.id)).scalars())


def team_of_unit(contest_id: int, unit_id: int) -> Team | None:
    return db.session.execute(
        select(Team).where(Team.contest_id == contest_id, Team.unit_id == unit_id)
    ).scalar_one_or_none()


def team_by_code_hash(code_hash: str) -> Team | None:
    return db.session.execute(
        select(Team).where(Team.access_code_hash == code_hash)
    ).scalar_one_or_none()


def draw(stage_id: int) -> list[TeamDraw]:
    """A stage's order of play, as drawn."""
    return list(
        db.session.execute(
            select(TeamDraw).where(TeamDraw.stage_id == stage_id).order_by(TeamDraw.position)
        ).scalars()
    )


def draw_positions(stage_id: int) -> dict[int, int]:
    return {d.team_id: d.position for d in draw(stage_id)}


def published(stage_id: int) -> list[tuple[TeamStanding, Team, Unit]]:
    """A stage's frozen team standings with each team and its unit, by rank."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(TeamStanding, Team, Unit)
            .join(Team, Team.id == TeamStanding.team_id)
            .join(Unit, Unit.id == Team.unit_id)
            .where(TeamStanding.stage_id == stage_id)
            .order_by(TeamStanding.rank)
        )
    ]


def is_assigned(stage_id: int, judge_id: int) -> bool:
    return (
        db.session.execute(
            select(JudgeAssignment.id).where(
                JudgeAssignment.stage_id == stage_id, JudgeAssignment.judge_id == judge_id
            )
        ).first()
        is not None
    )


def is_own_unit(judge: User, team: Team) -> bool:
    """A judge never scores a team of their own unit or of a unit under it."""
    judge_unit = judge.unit
    if team.unit_id == judge_unit.id:
        return True
    return judge_unit.depth > 0 and team.unit.path.startswith(judge_unit.path)


def sheets(stage_id: int, *, judge_id: int | None = None) -> list[TeamSheet]:
    stmt = select(TeamSheet).where(TeamSheet.stage_id == stage_id)
    if judge_id is not None:
        stmt = stmt.where(TeamSheet.judge_id == judge_id)
    return list(db.session.execute(stmt.order_by(TeamSheet.team_id, TeamSheet.part_id)).scalars())


def submitted_totals(stage_id: int) -> list[tuple[int, int, int, int]]:
    """(team id, part id, sheet id, total in half points) of every submitted sheet."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                TeamSheet.team_id,
                TeamSheet.part_id,
                TeamSheet.id,
                func.coalesce(func.sum(TeamSheetScore.half_points), 0),
            )
            .outerjoin(TeamSheetScore, TeamSheetScore.sheet_id == TeamSheet.id)
            .where(TeamSheet.stage_id == stage_id, TeamSheet.status == "submitted")
            .group_by(TeamSheet.team_id, TeamSheet.part_id, TeamSheet.id)
        )
    ]


def has_submitted_sheet(contest_id: int) -> bool:
    return (
        db.session.execute(
            select(TeamSheet.id)
            .join(TeamPart, TeamPart.id == TeamSheet.part_id)
            .where(TeamPart.contest_id == contest_id, TeamSheet.status == "submitted")
            .limit(1)
        ).first()
        is not None
    )


def live_run(stage_id: int, part_id: int) -> LiveRun | None:
    return db.session.execute(
        select(LiveRun).where(LiveRun.stage_id == stage_id, LiveRun.part_id == part_id)
    ).scalar_one_or_none()


def live_questions(run_id: int) -> list[LiveQuestion]:
    return list(
        db.session.execute(
            select(LiveQuestion)
            .where(LiveQuestion.run_id == run_id)
            .order_by(LiveQuestion.position)
        ).scalars()
    )


def live_question_at(run_id: int, position: int) -> LiveQuestion | None:
    return db.session.execute(
        select(LiveQuestion).where(LiveQuestion.run_id == run_id, LiveQuestion.position == position)
    ).scalar_one_or_none()


def live_answers(run_id: int) -> list[LiveAnswer]:
    """Every answer of a live run, in the order given (time, then id)."""
    return list(
        db.session.execute(
            select(LiveAnswer)
            .join(LiveQuestion, LiveQuestion.id == LiveAnswer.live_question_id)
            .where(LiveQuestion.run_id == run_id)
            .order_by(LiveAnswer.answered_at, LiveAnswer.id)
        ).scalars()
    )


def answers_to(live_question_id: int) -> list[LiveAnswer]:
    return list(
        db.session.execute(
            select(LiveAnswer)
            .where(LiveAnswer.live_question_id == live_question_id)
            .order_by(LiveAnswer.answered_at, LiveAnswer.id)
        ).scalars()
    )


def runs_of_stage(stage_id: int) -> list[LiveRun]:
    return list(db.session.execute(select(LiveRun).where(LiveRun.stage_id == stage_id)).scalars())


def active_run(stage_ids: list[int]) -> LiveRun | None:
    """The live run being played on these stages (shown, paused or revealed), latest first."""
    return db.session.execute(
        select(LiveRun)
        .where(
            LiveRun.stage_id.in_(stage_ids),
            LiveRun.state.in_(("open", "paused", "revealed")),
        )
        .order_by(LiveRun.updated_at.desc(), LiveRun.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def unit_accounts(unit_id: int) -> list[User]:
    """The accounts of a unit, to pick team members from."""
    return list(
        db.session.execute(
            select(User).where(User.unit_id == unit_id).order_by(User.full_name, User.id).limit(500)
        ).scalars()
    )


def judge_contest_stages(contest_id: int, judge_id: int) -> list[Stage]:
    return list(
        db.session.execute(
            select(Stage)
            .join(JudgeAssignment, JudgeAssignment.stage_id == Stage.id)
            .where(Stage.contest_id == contest_id, JudgeAssignment.judge_id == judge_id)
            .order_by(Stage.position, Stage.id)
        ).scalars()
    )


def sheet_of(stage_id: int, judge_id: int, team_id: int, part_id: int) -> TeamSheet | None:
    return db.session.execute(
        select(TeamSheet).where(
            TeamSheet.stage_id == stage_id,
            TeamSheet.judge_id == judge_id,
            TeamSheet.team_id == team_id,
            TeamSheet.part_id == part_id,
        )
    ).scalar_one_or_none()


def topics_with_questions(reserved: set[int]) -> list[tuple[int, str, str, int]]:
    """(topic id, bank name, topic name, current questions) for drawing live questions, but
    not from the `reserved` banks (an open or upcoming quiz round draws from them)."""
    return [
        tuple(r)
        for r in db.session.execute(
            select(Topic.id, Bank.name, Topic.name, func.count(Question.id))
            .join(Bank, Bank.id == Topic.bank_id)
            .join(Question, Question.topic_id == Topic.id)
            .where(Question.is_current, Question.retired_at.is_(None), Bank.id.not_in(reserved))
            .group_by(Topic.id, Bank.name, Topic.name)
            .order_by(Bank.name, Topic.name)
        )
    ]


def judge_accounts() -> list[User]:
    """Accounts with the judge role, to put on a stage's jury."""
    return list(
        db.session.execute(
            select(User).where(User.role == "judge").order_by(User.full_name, User.id).limit(500)
        ).scalars()
    )


def part_has_submitted_sheet(part_id: int) -> bool:
    return (
        db.session.execute(
            select(TeamSheet.id)
            .where(TeamSheet.part_id == part_id, TeamSheet.status == "submitted")
            .limit(1)
        ).first()
        is not None
    )


def part_was_played(part_id: int) -> bool:
    """Whether a live part has been started on any stage."""
    return (
        db.session.execute(
            select(LiveRun.id).where(LiveRun.part_id == part_id, LiveRun.state != "idle").limit(1)
        ).first()
        is not None
    )


def _exists(stmt) -> bool:
    return db.session.execute(stmt.limit(1)).first() is not None


def stage_has_submitted_sheet(stage_id: int) -> bool:
    return _exists(
        select(TeamSheet.id).where(TeamSheet.stage_id == stage_id, TeamSheet.status == "submitted")
    )


def stage_was_played(stage_id: int) -> bool:
    """Whether a live part has been started on this stage."""
    return _exists(select(LiveRun.id).where(LiveRun.stage_id == stage_id, LiveRun.state != "idle"))


def team_was_drawn(team_id: int) -> bool:
    return _exists(select(TeamDraw.id).where(TeamDraw.team_id == team_id))


def team_has_submitted_sheet(team_id: int) -> bool:
    return _exists(
        select(TeamSheet.id).where(TeamSheet.team_id == team_id, TeamSheet.status == "submitted")
    )


def team_has_answers(team_id: int) -> bool:
    return _exists(select(LiveAnswer.id).where(LiveAnswer.team_id == team_id))


def team_has_standing(team_id: int) -> bool:
    return _exists(select(TeamStanding.id).where(TeamStanding.team_id == team_id))


def live_banks(reserved: set[int]) -> list[Bank]:
    """Banks with current questions to pick live questions from, never a `reserved` bank
    (an open or upcoming quiz round draws from it)."""
    return list(
        db.session.execute(
            select(Bank)
            .where(
                Bank.id.not_in(reserved),
                select(Question.id)
                .where(
                    Question.bank_id == Bank.id,
                    Question.is_current,
                    Question.retired_at.is_(None),
                )
                .exists(),
            )
            .order_by(Bank.name, Bank.id)
        ).scalars()
    )


def bank_topics(bank_id: int) -> list[Topic]:
    return list(
        db.session.execute(
            select(Topic).where(Topic.bank_id == bank_id).order_by(Topic.name, Topic.id)
        ).scalars()
    )
