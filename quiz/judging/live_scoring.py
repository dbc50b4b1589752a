"""Points of a live part, recounted from the stored answers every time (never kept apart).

A correct answer earns the part's points_correct; the first correct answer to a question
(earliest answered_at, then the lower answer id) earns speed_bonus on top; a wrong answer
loses wrong_penalty; no answer, or an answer entered as "no answer", scores 0.
"""

from collections import defaultdict

from sqlalchemy import select

from ..extensions import db
from ..models import Choice, LiveAnswer, LiveQuestion, LiveRun, Question, TeamPart


def answer_rows(run_id: int) -> list[tuple[int, int, int | None, bool | None]]:
    """(live question id, team id, answer id, correct or None for no answer), in answer order."""
    rows = db.session.execute(
        select(
            LiveAnswer.live_question_id,
            LiveAnswer.team_id,
            LiveAnswer.id,
            Choice.position,
            Question.correct_position,
        )
        .join(LiveQuestion, LiveQuestion.id == LiveAnswer.live_question_id)
        .join(Question, Question.id == LiveQuestion.question_id)
        .outerjoin(Choice, Choice.id == LiveAnswer.choice_id)
        .where(LiveQuestion.run_id == run_id)
        .order_by(LiveAnswer.answered_at, LiveAnswer.id)
    )
    return [
        (q, team, answer, None if position is None else position == correct)
        for q, team, answer, position, correct in rows
    ]


def points(run: LiveRun, part: TeamPart | None = None) -> dict[int, int]:
    """Each answering team's points in a live run."""
    part = part or db.session.get(TeamPart, run.part_id)
    totals: dict[int, int] = defaultdict(int)
    first_correct: set[int] = set()
    for question_id, team_id, _, correct in answer_rows(run.id):
        if correct is None:
            totals[team_id] += 0
        elif correct:
            totals[team_id] += part.points_correct
            if question_id not in first_correct:
                first_correct.add(question_id)
                totals[team_id] += part.speed_bonus
        else:
            totals[team_id] -= part.wrong_penalty
    return dict(totals)
