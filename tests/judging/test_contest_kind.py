"""Contest kinds: `contests create --kind`, the judged settings and the final stage."""

import pytest
from sqlalchemy.exc import IntegrityError

from quiz.extensions import db
from quiz.judging import queries
from quiz.models import AuditLog, Contest, JudgedSettings, Stage
from tests.factories import make_user


def test_contests_create_defaults_to_quiz(runner):
    result = runner.invoke(args=["contests", "create", "--slug", "hoi-thi-a", "--title", "A"])
    assert result.exit_code == 0, result.output
    contest = db.session.execute(db.select(Contest)).scalar_one()
    assert contest.kind == "quiz"
    assert db.session.get(JudgedSettings, contest.id) is None
    assert db.session.execute(db.select(Stage)).first() is None


def test_contests_create_entries_sets_up_the_final_stage(runner):
    result = runner.invoke(
        args=["contests", "create", "--slug", "clip-2026", "--title", "Clip", "--kind", "entries"]
    )
    assert result.exit_code == 0, result.output
    contest = db.session.execute(db.select(Contest)).scalar_one()
    assert contest.kind == "entries"
    assert queries.settings_of(contest).finalist_count == 4
    assert queries.stage_of(contest, "final") is not None
    log = db.session.execute(db.select(AuditLog)).scalar_one()
    assert log.details["kind"] == "entries"


def test_contests_create_refuses_an_unknown_kind(runner):
    result = runner.invoke(
        args=["contests", "create", "--slug", "x", "--title", "X", "--kind", "poster"]
    )
    assert result.exit_code != 0
    assert db.session.execute(db.select(Contest)).first() is None


def test_database_refuses_an_unknown_kind(app):
    db.session.add(Contest(slug="k", title="K", kind="poster"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_judge_is_a_role(make_unit):
    judge = make_user(make_unit(), role="judge")
    assert db.session.get(type(judge), judge.id).role == "judge"
