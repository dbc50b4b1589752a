"""seed-demo adds an entries contest whose standings show at once (not yet published)."""

from quiz.extensions import db
from quiz.judging import demo, queries, standings
from quiz.models import ScoreSheet, User


def test_seed_demo_adds_an_entries_contest_with_judges_sheets_and_votes(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for _, email, _ in demo.JUDGES:
        assert email in result.output
    contest = queries.contest_by_slug(demo.SLUG)
    settings = queries.settings_of(contest)
    stage = queries.stage_of(contest, "final")
    assert stage.published_at is None
    assert len(queries.pool(contest.id, settings)) == settings.preliminary_quota == 6
    assert len(queries.assigned_judges(stage.id)) == 3
    judge = db.session.execute(db.select(User).filter_by(email=demo.JUDGES[2][1])).scalar_one()
    queue = queries.judge_queue(stage, judge, settings)
    assert any(sheet is None for _, sheet in queue)  # something left to score
    assert db.session.scalar(db.select(db.func.count(ScoreSheet.id))) == 15
    rows = standings.compute(stage, settings)
    assert all(r.jury_score is not None for r in rows)
    assert sum(queries.vote_counts(contest.id).values()) > 0
    assert [r.prize for r in rows[:4]] == ["first", "second", "third", "third"]
