"""One answer per team and question, raced for real on gunicorn: every team's devices (and
tabs) answer at one Barrier, with the host's reveal in the same race."""

import os
import random
import re

import pytest
import requests

from quiz.extensions import db
from quiz.judging import live, teams_queries
from quiz.models import LiveAnswer, LiveQuestion, Question
from tests.factories import (
    make_bank,
    make_cluster,
    make_team,
    make_teams_contest,
    make_unit,
    make_user,
    now,
)
from tests.live import Gunicorn, fire_together, logged_in

STRESS = os.environ.get("STRESS") == "1"
QUESTIONS = 6 if STRESS else 2
TEAMS = 4
DEVICES = 3  # per team


@pytest.fixture
def server(app, database_url, tmp_path):
    gunicorn = Gunicorn(database_url, tmp_path / "gunicorn.log", workers=4)
    gunicorn.start()
    yield gunicorn
    log = gunicorn.close()
    assert "Traceback" not in log, log[-3000:]


def device(base: str, code: str) -> requests.Session:
    session = requests.Session()
    token = session.get(f"{base}/api/v1/auth/csrf", timeout=30).json()["csrf_token"]
    response = session.post(
        f"{base}/teams/device",
        data={"code": code, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303, response.text[:300]
    session.headers["X-CSRFToken"] = token
    return session


def issue_code(base: str, host: requests.Session, slug: str, team_id: int) -> str:
    """A device code as the organizers get it: from the page (keyed by the server's secret)."""
    page = host.post(
        f"{base}/teams/{slug}/teams/{team_id}",
        data={"action": "code", "csrf_token": host.headers["X-CSRFToken"]},
        timeout=30,
    )
    assert page.status_code == 200, page.text[:300]
    return re.search(r'id="device-code">([A-Z0-9]+)<', page.text).group(1)


def test_one_answer_per_team_and_question_under_concurrent_requests(server):
    province = make_unit(kind="province")
    admin = make_user(province, role="admin")
    contest = make_teams_contest()
    knowledge = teams_queries.parts(contest.id)[1]
    knowledge.seconds_per_question = 120
    db.session.commit()
    cluster = make_cluster(contest)
    squad = [
        make_team(contest, make_unit(province, kind="commune"), cluster=cluster)
        for _ in range(TEAMS)
    ]
    make_bank(topics={"Chuyển đổi số": QUESTIONS})
    ids = list(db.session.execute(db.select(Question.id).order_by(Question.id)).scalars())
    live.pick_questions(cluster.stage, knowledge, ids[:QUESTIONS], actor=admin, now=now())
    run = teams_queries.live_run(cluster.stage_id, knowledge.id)
    admin_login, slug, run_id = admin.login, contest.slug, run.id
    team_ids = [t.id for t in squad]
    db.session.rollback()
    host = logged_in(server.base, admin_login)
    codes = [issue_code(server.base, host, slug, t) for t in team_ids]
    devices = {
        t: [device(server.base, c) for _ in range(DEVICES)]
        for t, c in zip(team_ids, codes, strict=True)
    }
    rng = random.Random(4)
    for position in range(1, QUESTIONS + 1):
        r = host.post(f"{server.base}/teams/live/{run_id}/control.json", json={"action": "next"})
        assert r.status_code == 200, r.text
        calls, owners = [], []
        for team_id, sessions in devices.items():
            for s in sessions:
                body = {"position": position, "letter": rng.choice("ABCD")}
                url = f"{server.base}/teams/device/answer.json"
                calls.append(lambda s=s, url=url, body=body: s.post(url, json=body, timeout=60))
                owners.append(team_id)
        reveal_too = position % 2 == 0
        if reveal_too:
            url = f"{server.base}/teams/live/{run_id}/control.json"
            calls.append(lambda url=url: host.post(url, json={"action": "reveal"}, timeout=60))
        responses = fire_together(calls)
        if reveal_too:
            assert responses.pop().status_code == 200
        accepted: dict[int, int] = {}
        for team_id, response in zip(owners, responses, strict=True):
            assert response.status_code in (200, 409), response.text[:300]
            if response.status_code == 200:
                accepted[team_id] = accepted.get(team_id, 0) + 1
            else:
                code = response.json()["error"]["code"]
                assert code in ("already_answered", "question_closed"), code
        assert all(n == 1 for n in accepted.values()), accepted
        if not reveal_too:
            assert set(accepted) == set(devices)  # nobody lost: every team got its one answer
            host.post(f"{server.base}/teams/live/{run_id}/control.json", json={"action": "reveal"})
        db.session.rollback()
        lq = teams_queries.live_question_at(run_id, position)
        rows = (
            db.session.execute(db.select(LiveAnswer).where(LiveAnswer.live_question_id == lq.id))
            .scalars()
            .all()
        )
        assert sorted(a.team_id for a in rows) == sorted(accepted)
        # No answer was stored after the reveal closed the question.
        assert all(a.answered_at <= lq.deadline_at for a in rows)
        db.session.rollback()  # no read transaction of the test's stays open during a race
    db.session.rollback()
    count = db.session.scalar(
        db.select(db.func.count())
        .select_from(LiveAnswer)
        .join(LiveQuestion, LiveQuestion.id == LiveAnswer.live_question_id)
        .where(LiveQuestion.run_id == run_id)
    )
    assert count <= TEAMS * QUESTIONS
