"""The live knowledge part (DESIGN.md §9): the server's clock, one answer per team and
question, nothing leaked before the reveal, scores that equal a recount."""

import random
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from quiz.errors import DomainError
from quiz.extensions import db
from quiz.judging import live, live_scoring, teams_queries, teams_standings
from quiz.models import AuditLog, Choice, LiveAnswer, LiveQuestion, Question, Topic
from tests.factories import (
    make_bank,
    make_cluster,
    make_team,
    make_teams_contest,
    make_unit,
    make_user,
    now,
)


def codes(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value.code


@pytest.fixture
def stage_play(app):
    """A cluster of three teams and a live knowledge part with four questions picked."""
    province = make_unit(kind="province")
    communes = [make_unit(province, kind="commune") for _ in range(4)]
    admin = make_user(province, role="admin")
    contest = make_teams_contest()
    _, knowledge, _ = teams_queries.parts(contest.id)
    knowledge.points_correct, knowledge.speed_bonus, knowledge.wrong_penalty = 10, 5, 2
    knowledge.seconds_per_question = 20
    db.session.commit()
    cluster = make_cluster(contest)
    squad = [make_team(contest, u, cluster=cluster) for u in communes[:3]]
    make_team(contest, communes[3])  # in no cluster: does not play here
    bank = make_bank(topics={"Chuyển đổi số": 6})
    ids = list(db.session.execute(db.select(Question.id).order_by(Question.id)).scalars())[:4]
    live.pick_questions(cluster.stage, knowledge, ids, actor=admin, now=now(), rng=random.Random(3))
    run = teams_queries.live_run(cluster.stage_id, knowledge.id)
    return run, cluster, squad, admin, knowledge, bank, communes


def correct_letter(run, position) -> str:
    lq = teams_queries.live_question_at(run.id, position)
    question = db.session.get(Question, lq.question_id)
    return live.LETTERS[lq.choice_order.index(question.correct_choice.id)]


def test_nothing_tells_the_correct_choice_before_the_reveal(stage_play):
    run, cluster, squad, admin, *_ = stage_play
    t0 = now()
    assert live.state(run, t0)["question"] is None
    live.control(run, "next", actor=admin, now=t0)
    for body in (live.state(run, t0), live.state(run, t0, team=squad[0])):
        assert "correct" not in body and "teams_correct" not in body
        choices = body["question"]["choices"]
        assert [set(c) for c in choices] == [{"letter", "text"}] * 4
        assert [c["letter"] for c in choices] == ["A", "B", "C", "D"]
    # The shown order is shuffled per question, so "A" is not always right.
    letters = set()
    for position in range(1, 5):
        letters.add(correct_letter(run, position))
    assert letters != {"A"}
    live.answer(run, squad[0], 1, correct_letter(run, 1), now=t0)
    live.control(run, "reveal", actor=admin, now=t0 + timedelta(seconds=5))
    body = live.state(run, t0, team=squad[0])
    assert body["correct"] == correct_letter(run, 1)
    assert body["teams_correct"] == [squad[0].name] and body["my_correct"] is True


def test_an_answer_after_the_countdown_is_refused(stage_play):
    run, cluster, squad, admin, *_ = stage_play
    t0 = now()
    live.control(run, "next", actor=admin, now=t0)
    deadline = t0 + timedelta(seconds=20)
    assert run.deadline_at == deadline
    late = deadline + live.GRACE + timedelta(milliseconds=1)
    assert codes(live.answer, run, squad[0], 1, "A", now=late) == "deadline_passed"
    # On the grace's last moment (the network's delay): still in time.
    live.answer(run, squad[1], 1, "B", now=deadline + live.GRACE)
    # Revealed early: the deadline is now, later answers are refused.
    live.control(run, "reveal", actor=admin, now=t0 + timedelta(seconds=3))
    assert codes(live.answer, run, squad[2], 1, "A", now=t0 + timedelta(seconds=4)) == (
        "question_closed"
    )
    # Only the question on screen, only teams of this cluster, only real letters.
    live.control(run, "next", actor=admin, now=t0 + timedelta(seconds=10))
    assert codes(live.answer, run, squad[0], 1, "A", now=t0 + timedelta(seconds=11)) == (
        "question_closed"
    )
    assert codes(live.answer, run, squad[0], 2, "F", now=t0 + timedelta(seconds=11)) == (
        "invalid_choice"
    )
    outsider = teams_queries.team_of_unit(cluster.contest_id, stage_play[6][3].id)
    assert codes(live.answer, run, outsider, 2, "A", now=t0 + timedelta(seconds=11)) == (
        "not_found"
    )
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(LiveAnswer)) == 1


def test_pause_keeps_the_time_left(stage_play):
    run, cluster, squad, admin, *_ = stage_play
    t0 = now()
    live.control(run, "next", actor=admin, now=t0)
    live.control(run, "pause", actor=admin, now=t0 + timedelta(seconds=5))
    assert run.remaining_seconds == 15
    assert codes(live.answer, run, squad[0], 1, "A", now=t0 + timedelta(seconds=6)) == (
        "question_closed"
    )
    t1 = t0 + timedelta(minutes=3)
    live.control(run, "resume", actor=admin, now=t1)
    assert run.deadline_at == t1 + timedelta(seconds=15)
    live.answer(run, squad[0], 1, "A", now=t1 + timedelta(seconds=14))
    assert codes(live.control, run, "next", actor=admin, now=t1) == "reveal_first"


def test_one_answer_per_team_and_question(stage_play):
    run, cluster, squad, admin, *_ = stage_play
    t0 = now()
    live.control(run, "next", actor=admin, now=t0)
    live.answer(run, squad[0], 1, "A", now=t0)
    assert codes(live.answer, run, squad[0], 1, "B", now=t0) == "already_answered"
    lq = teams_queries.live_question_at(run.id, 1)
    # The database's own key refuses a second row.
    db.session.add(LiveAnswer(live_question_id=lq.id, team_id=squad[0].id, answered_at=t0))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def recount(run, part) -> dict[int, int]:
    """Points counted again from the raw rows, without the scoring module."""
    totals: dict[int, int] = {}
    for lq in db.session.execute(
        db.select(LiveQuestion).where(LiveQuestion.run_id == run.id)
    ).scalars():
        question = db.session.get(Question, lq.question_id)
        rows = db.session.execute(
            db.select(LiveAnswer)
            .where(LiveAnswer.live_question_id == lq.id)
            .order_by(LiveAnswer.answered_at, LiveAnswer.id)
        ).scalars()
        bonus_given = False
        for a in rows:
            totals.setdefault(a.team_id, 0)
            if a.choice_id is None:
                continue
            position = db.session.get(Choice, a.choice_id).position
            if position == question.correct_position:
                totals[a.team_id] += part.points_correct
                if not bonus_given:
                    totals[a.team_id] += part.speed_bonus
                    bonus_given = True
            else:
                totals[a.team_id] -= part.wrong_penalty
    return totals


def test_scores_of_the_live_part_equal_a_recount(stage_play):
    run, cluster, squad, admin, part, *_ = stage_play
    rng = random.Random(11)
    t = now()
    for position in range(1, 5):
        live.control(run, "next", actor=admin, now=t)
        for i, team in enumerate(rng.sample(squad, 3)):
            letter = rng.choice("ABCD")
            if rng.random() < 0.3:
                live.hand_answer(run, team, position, letter, actor=admin, now=t)
            else:
                live.answer(run, team, position, letter, now=t + timedelta(seconds=i))
        live.control(run, "reveal", actor=admin, now=t + timedelta(seconds=20))
        t += timedelta(minutes=1)
    # The secretariat corrects an answer afterwards: the score follows.
    live.hand_answer(run, squad[0], 2, correct_letter(run, 2), actor=admin, now=t)
    live.hand_answer(run, squad[1], 3, "", actor=admin, now=t)
    counted = live_scoring.points(run)
    assert counted == recount(run, part)
    assert counted and any(v != 0 for v in counted.values())
    rows = teams_standings.compute(cluster.stage)
    assert {r.team.id: r.part_scores[part.id] for r in rows} == {
        k: float(v) for k, v in counted.items()
    }
    logged = db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "live.hand_answer").order_by(AuditLog.id)
    ).scalars()
    assert list(logged)[-1].details["letter"] is None


def test_questions_are_drawn_by_topic_before_the_part_starts(stage_play):
    run, cluster, squad, admin, part, bank, _ = stage_play
    topic = db.session.execute(db.select(Topic).where(Topic.bank_id == bank.id)).scalar_one()
    added = live.draw_questions(cluster.stage, part, topic, 2, actor=admin, now=now())
    assert [q.position for q in added] == [5, 6]
    assert len({q.question_id for q in teams_queries.live_questions(run.id)}) == 6
    assert codes(live.draw_questions, cluster.stage, part, topic, 1, actor=admin, now=now()) == (
        "not_enough_questions"
    )
    live.control(run, "next", actor=admin, now=now())
    ids = [db.session.execute(db.select(Question.id)).scalars().first()]
    assert codes(live.pick_questions, cluster.stage, part, ids, actor=admin, now=now()) == (
        "live_started"
    )


def test_a_bank_that_an_open_round_draws_from_is_not_played_on_stage(stage_play):
    run, cluster, squad, admin, part, bank, _ = stage_play
    from tests.factories import make_round

    make_round(bank)  # open now, or upcoming: its answers stay secret
    topic = db.session.execute(db.select(Topic).where(Topic.bank_id == bank.id)).scalar_one()
    assert codes(live.draw_questions, cluster.stage, part, topic, 1, actor=admin, now=now()) == (
        "bank_reserved"
    )
    assert teams_queries.topics_with_questions({bank.id}) == []
