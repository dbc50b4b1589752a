"""The live knowledge part of a teams contest: the organizers pick questions, the host runs
them one at a time with a countdown, teams answer on a device or the secretariat enters
their answers. The server's clock rules: a device answer is checked against the question's
deadline in the same transaction as its write, and one answer per team and question is the
database's unique key. Nothing sent before the reveal tells which choice is correct: choices
go out as letters in an order shuffled when the question was picked, never with their ids.
"""

import random
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, disclosure
from ..errors import DomainError, NotFound
from ..extensions import db, lock_row, write_lock
from ..models import (
    Choice,
    Contest,
    LiveAnswer,
    LiveQuestion,
    LiveRun,
    LiveState,
    Question,
    Stage,
    Team,
    TeamPart,
    Topic,
    User,
)
from . import teams_queries as queries
from . import teams_standings

LETTERS = "ABCDEF"
MAX_QUESTIONS = 100
ACTIONS = ("next", "reveal", "pause", "resume", "finish")
# A device's tap at the last moment still counts if it reaches the server within this (the
# network's delay); never after the reveal, which closes the question at once.
GRACE = timedelta(seconds=1)


def _err(code: str, message, status: int = 422, **params) -> DomainError:
    return DomainError(code, message, status=status, **params)


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise NotFound()


def _run_for(stage: Stage, part: TeamPart) -> LiveRun:
    if part.contest_id != stage.contest_id or not part.live:
        raise NotFound()
    run = lock_row(LiveRun, LiveRun.stage_id == stage.id, LiveRun.part_id == part.id)
    if run is None:
        run = LiveRun(stage_id=stage.id, part_id=part.id)
        db.session.add(run)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            run = lock_row(LiveRun, LiveRun.stage_id == stage.id, LiveRun.part_id == part.id)
    return run


def _add(
    run: LiveRun, questions: list[Question], rng: random.Random, now: datetime
) -> list[LiveQuestion]:
    # The correct choice goes up on a screen and to every team's device after each question:
    # a bank that an open or upcoming quiz round draws from stays secret (DESIGN.md §3.4).
    if {q.bank_id for q in questions} & disclosure.reserved_bank_ids(now):
        raise _err(
            "bank_reserved",
            _l(
                "Ngân hàng câu hỏi này đang được dùng cho một đợt thi chưa kết thúc nên không "
                "dùng để thi trực tiếp. Vui lòng chọn ngân hàng khác."
            ),
        )
    if run.state != LiveState.IDLE:
        raise _err("live_started", _l("Phần thi đã bắt đầu, không thêm câu hỏi được."), 409)
    taken = {q.question_id for q in queries.live_questions(run.id)}
    start = len(taken)
    if start + len(questions) > MAX_QUESTIONS:
        raise _err("too_many_questions", _l("Một phần thi có tối đa 100 câu hỏi."))
    added = []
    for question in questions:
        if question.id in taken:
            continue
        order = [c.id for c in question.choices]
        rng.shuffle(order)
        taken.add(question.id)
        lq = LiveQuestion(
            run_id=run.id,
            position=start + len(added) + 1,
            question_id=question.id,
            choice_order=order,
        )
        db.session.add(lq)
        added.append(lq)
    db.session.flush()
    return added


def pick_questions(
    stage: Stage,
    part: TeamPart,
    question_ids: list[int],
    *,
    actor: User,
    now: datetime,
    rng: random.Random | None = None,
) -> list[LiveQuestion]:
    """Add chosen bank questions to a live part, in the given order."""
    _require_admin(actor)
    run = _run_for(stage, part)
    found = {
        q.id: q
        for q in db.session.execute(
            select(Question).where(
                Question.id.in_(question_ids), Question.is_current, Question.retired_at.is_(None)
            )
        ).scalars()
    }
    if not question_ids or len(found) != len(set(question_ids)):
        raise _err("invalid_questions", _l("Có câu hỏi không tồn tại hoặc đã ngừng dùng."))
    added = _add(
        run, [found[i] for i in dict.fromkeys(question_ids)], rng or random.SystemRandom(), now
    )
    audit.record(
        actor, "live.questions", "live_run", run.id, now=now, added=[q.question_id for q in added]
    )
    db.session.commit()
    return added


def draw_questions(
    stage: Stage,
    part: TeamPart,
    topic: Topic,
    count: int,
    *,
    actor: User,
    now: datetime,
    rng: random.Random | None = None,
) -> list[LiveQuestion]:
    """Draw `count` questions of a bank topic at random for a live part."""
    _require_admin(actor)
    rng = rng or random.SystemRandom()
    run = _run_for(stage, part)
    if not 1 <= count <= MAX_QUESTIONS:
        raise _err("invalid_count", _l("Số câu hỏi phải từ 1 đến 100."))
    taken = {q.question_id for q in queries.live_questions(run.id)}
    ids = [
        i
        for i in db.session.execute(
            select(Question.id)
            .where(
                Question.topic_id == topic.id,
                Question.is_current,
                Question.retired_at.is_(None),
            )
            .order_by(Question.id)
        ).scalars()
        if i not in taken
    ]
    if len(ids) < count:
        raise _err(
            "not_enough_questions",
            _l("Chủ đề chỉ còn %(n)d câu hỏi chưa chọn."),
            n=len(ids),
        )
    chosen = rng.sample(ids, count)
    questions = [db.session.get(Question, i) for i in chosen]
    added = _add(run, questions, rng, now)
    audit.record(
        actor,
        "live.questions",
        "live_run",
        run.id,
        now=now,
        topic=topic.name,
        added=[q.question_id for q in added],
    )
    db.session.commit()
    return added


def control(run: LiveRun, action: str, *, actor: User, now: datetime) -> LiveRun:
    """The host's buttons: next question, reveal, pause, resume, finish."""
    _require_admin(actor)
    if action not in ACTIONS:
        raise _err("invalid_action", _l("Thao tác không hợp lệ."), 400)
    run = lock_row(LiveRun, LiveRun.id == run.id)
    if run is None:
        raise NotFound()
    part = db.session.get(TeamPart, run.part_id)
    current = queries.live_question_at(run.id, run.position) if run.position else None
    state = run.state
    if action == "next":
        if state not in (LiveState.IDLE, LiveState.REVEALED):
            raise _err("reveal_first", _l("Hãy công bố đáp án câu hiện tại trước."), 409)
        following = queries.live_question_at(run.id, run.position + 1)
        if following is None:
            raise _err("no_more_questions", _l("Đã hết câu hỏi."), 409)
        code = "live.next"
        run.position += 1
        run.state = LiveState.OPEN.value
        run.deadline_at = now + timedelta(seconds=part.seconds_per_question)
        following.opened_at, following.deadline_at = now, run.deadline_at
    elif action == "reveal":
        if state not in (LiveState.OPEN, LiveState.PAUSED):
            raise _err("nothing_to_reveal", _l("Không có câu hỏi đang mở."), 409)
        # Revealed early: nobody may answer once the choice is on the screen.
        if current.deadline_at is None or current.deadline_at > now or state == LiveState.PAUSED:
            current.deadline_at = now
        run.state, run.deadline_at, run.remaining_seconds = LiveState.REVEALED.value, None, None
        current.revealed_at = now
        code = "live.reveal"
    elif action == "pause":
        if state != LiveState.OPEN or run.deadline_at <= now:
            raise _err("cannot_pause", _l("Chỉ tạm dừng được khi câu hỏi đang đếm ngược."), 409)
        run.remaining_seconds = (run.deadline_at - now).total_seconds()
        run.state, run.deadline_at = LiveState.PAUSED.value, None
        code = "live.pause"
    elif action == "resume":
        if state != LiveState.PAUSED:
            raise _err("not_paused", _l("Phần thi không tạm dừng."), 409)
        run.deadline_at = now + timedelta(seconds=run.remaining_seconds or 0)
        current.deadline_at = run.deadline_at
        run.state, run.remaining_seconds = LiveState.OPEN.value, None
        code = "live.resume"
    else:
        if state in (LiveState.OPEN, LiveState.PAUSED):
            raise _err("reveal_first", _l("Hãy công bố đáp án câu hiện tại trước."), 409)
        run.state = LiveState.FINISHED.value
        code = "live.finish"
    run.updated_at = now
    # One literal code per action: the audit log's label table is checked against them.
    audit.record(actor, code, "live_run", run.id, now=now, position=run.position)
    db.session.commit()
    return run


def plays(team: Team, run: LiveRun) -> bool:
    """Whether a team plays the run's stage."""
    if team.cluster_id is not None and team.cluster.stage_id == run.stage_id:
        return team.status == "confirmed"
    stage = db.session.get(Stage, run.stage_id)
    return team.id in {
        t.id for t in teams_standings.pool(stage, queries.settings_of(stage.contest))
    }


def _choice_for(lq: LiveQuestion, letter: str | None) -> int | None:
    if letter is None or letter == "":
        return None
    if not isinstance(letter, str) or len(letter) != 1:
        raise _err("invalid_choice", _l("Lựa chọn không hợp lệ."))
    index = LETTERS.find(letter.upper())
    if index < 0 or index >= len(lq.choice_order):
        raise _err("invalid_choice", _l("Lựa chọn không hợp lệ."))
    return lq.choice_order[index]


def answer(run: LiveRun, team: Team, position: int, letter: str, *, now: datetime) -> LiveAnswer:
    """A team's answer from its device: to the question on screen, before its deadline (the
    server's clock, checked in this transaction), once."""
    write_lock()
    # FOR SHARE: answers of many teams go side by side; the host's reveal (FOR UPDATE) waits
    # for them, so no answer lands after the reveal.
    run = db.session.execute(
        select(LiveRun)
        .where(LiveRun.id == run.id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if run is None or not plays(team, run):
        raise NotFound()
    if run.state != LiveState.OPEN or position != run.position:
        raise _err("question_closed", _l("Câu hỏi này không còn nhận câu trả lời."), 409)
    if run.deadline_at is None or now > run.deadline_at + GRACE:
        raise _err("deadline_passed", _l("Đã hết giờ trả lời câu hỏi này."), 422)
    lq = queries.live_question_at(run.id, position)
    if letter in (None, ""):
        raise _err("invalid_choice", _l("Lựa chọn không hợp lệ."))
    row = LiveAnswer(
        live_question_id=lq.id, team_id=team.id, choice_id=_choice_for(lq, letter), answered_at=now
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise _err(
            "already_answered",
            _l("Đội đã trả lời câu hỏi này; chỉ tính câu trả lời đầu tiên."),
            409,
        ) from err
    return row


def hand_answer(
    run: LiveRun, team: Team, position: int, letter: str | None, *, actor: User, now: datetime
) -> LiveAnswer:
    """The secretariat enters (or corrects) a team's answer to a question already shown, at
    any time, audit-logged: when devices fail the score still comes out right. An empty
    letter records "no answer"."""
    _require_admin(actor)
    run = lock_row(LiveRun, LiveRun.id == run.id)
    if run is None or not plays(team, run):
        raise NotFound()
    if not 1 <= position <= run.position:
        raise _err("question_not_shown", _l("Câu hỏi này chưa được trình chiếu."), 409)
    lq = queries.live_question_at(run.id, position)
    choice_id = _choice_for(lq, letter)
    where = (LiveAnswer.live_question_id == lq.id, LiveAnswer.team_id == team.id)
    row = lock_row(LiveAnswer, *where)
    before = row.choice_id if row else None
    if row is None:
        row = LiveAnswer(live_question_id=lq.id, team_id=team.id, answered_at=now)
        db.session.add(row)
    row.choice_id, row.entered_by_id = choice_id, actor.id
    try:
        db.session.flush()
    except IntegrityError:
        # The team's device answered at this very moment: correct that answer.
        db.session.rollback()
        row = lock_row(LiveAnswer, *where)
        before = row.choice_id
        row.choice_id, row.entered_by_id = choice_id, actor.id
    audit.record(
        actor,
        "live.hand_answer",
        "live_run",
        run.id,
        now=now,
        team_id=team.id,
        position=position,
        letter=(letter or "").upper() or None,
        before_choice=before,
        choice=choice_id,
    )
    db.session.commit()
    return row


# ---- what the screens show ----


def _letter_of(lq: LiveQuestion, choice_id: int | None) -> str | None:
    if choice_id is None or choice_id not in lq.choice_order:
        return None
    return LETTERS[lq.choice_order.index(choice_id)]


def state(run: LiveRun, now: datetime, *, team: Team | None = None, host: bool = False) -> dict:
    """The state the presenter, a team device or the control screen polls (about once a
    second): a handful of small queries. The correct letter only once revealed."""
    lq = question = None
    count = 0
    if run.position:
        found = db.session.execute(
            select(
                LiveQuestion,
                Question,
                select(func.count())
                .select_from(LiveQuestion)
                .where(LiveQuestion.run_id == run.id)
                .scalar_subquery(),
            )
            .join(Question, Question.id == LiveQuestion.question_id)
            .where(LiveQuestion.run_id == run.id, LiveQuestion.position == run.position)
        ).one()
        lq, question, count = found
    else:
        count = db.session.scalar(
            select(func.count()).select_from(LiveQuestion).where(LiveQuestion.run_id == run.id)
        )
    body = {
        "state": run.state,
        "position": run.position,
        "count": count,
        "server_now": now.isoformat(),
        "deadline_at": run.deadline_at.isoformat() if run.deadline_at else None,
        "remaining_seconds": _remaining(run, now),
        "question": None,
    }
    if lq is None:
        return body
    choices = {
        cid: (text, position)
        for cid, text, position in db.session.execute(
            select(Choice.id, Choice.text, Choice.position).where(
                Choice.question_id == lq.question_id
            )
        )
    }
    body["question"] = {
        "position": lq.position,
        "text": question.text,
        "choices": [
            {"letter": LETTERS[i], "text": choices[cid][0]} for i, cid in enumerate(lq.choice_order)
        ],
    }
    answers = db.session.execute(
        select(LiveAnswer.team_id, LiveAnswer.choice_id, Team.name)
        .join(Team, Team.id == LiveAnswer.team_id)
        .where(LiveAnswer.live_question_id == lq.id)
        .order_by(LiveAnswer.answered_at, LiveAnswer.id)
    ).all()
    body["answered"] = len(answers)
    mine = None
    if team is not None:
        mine = next((a for a in answers if a.team_id == team.id), None)
        body["my_answer"] = _letter_of(lq, mine.choice_id) if mine else None
    if lq.revealed_at is not None:
        correct = next(cid for cid, (_, p) in choices.items() if p == question.correct_position)
        body["correct"] = _letter_of(lq, correct)
        body["teams_correct"] = [a.name for a in answers if a.choice_id == correct]
        if team is not None:
            body["my_correct"] = mine is not None and mine.choice_id == correct
    if host:
        body["answers"] = {str(a.team_id): _letter_of(lq, a.choice_id) for a in answers}
    return body


def _remaining(run: LiveRun, now: datetime) -> float | None:
    if run.state == LiveState.PAUSED:
        return run.remaining_seconds
    if run.state == LiveState.OPEN and run.deadline_at is not None:
        return max(0.0, round((run.deadline_at - now).total_seconds(), 1))
    return None


def run_of(run_id: int) -> LiveRun:
    run = db.session.get(LiveRun, run_id)
    if run is None:
        raise NotFound()
    return run


def contest_of(run: LiveRun) -> Contest:
    return db.session.get(Contest, db.session.get(Stage, run.stage_id).contest_id)
