"""seed-demo's teams contest: ready for the organizer to draw, play live and publish."""

import re

from quiz.extensions import db
from quiz.judging import queries as judging_queries
from quiz.judging import teams_queries, teams_seed, teams_standings


def test_seed_demo_adds_a_teams_contest_ready_to_play(runner, web_app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    contest = judging_queries.contest_by_slug(teams_seed.SLUG)
    assert contest.kind == "teams"
    first, second = teams_queries.clusters(contest.id)
    assert len(teams_queries.draw(first.stage_id)) == 3
    assert teams_queries.draw(second.stage_id) == []  # left for the organizer to draw
    knowledge = next(p for p in teams_queries.parts(contest.id) if p.live)
    run = teams_queries.live_run(first.stage_id, knowledge.id)
    assert run.state == "idle" and len(teams_queries.live_questions(run.id)) == 5
    rows = teams_standings.compute(first.stage)
    assert len(rows) == 3 and all(r.total > 0 for r in rows)
    assert len(teams_queries.sheets(first.stage_id)) == 6
    # Two team devices log in with the printed codes.
    codes = re.findall(r"team_device\s+(\S+)", result.output)
    assert len(codes) == 2
    db.session.rollback()
    for code in codes:
        client = web_app.test_client()
        assert client.post("/teams/device", data={"code": code}).status_code == 303
        assert client.get("/teams/device/state.json").json["state"] == "idle"
