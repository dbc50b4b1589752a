"""Invariants 1 under real concurrency: gunicorn with several workers, a Barrier, 20 clients."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from quiz.extensions import db
from quiz.models import Attempt
from tests.factories import PASSWORD, make_bank, make_round

ROOT = Path(__file__).resolve().parents[2]
N = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """The real app server: 4 worker processes sharing the test database."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "SECRET_KEY": "concurrency-test",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "0",
        "SESSION_COOKIE_SECURE": "0",
    }
    gunicorn_bin = Path(sys.executable).parent / "gunicorn"
    log = tmp_path / "gunicorn.log"
    log_file = log.open("wb")
    proc = subprocess.Popen(
        [str(gunicorn_bin), "--workers", "4", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,  # a file, not a pipe: a full pipe would stall the server
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(log.read_text()[-2000:])
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file.close()
        assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def logged_in(base: str, login: str) -> requests.Session:
    session = requests.Session()
    token = session.get(f"{base}/api/v1/auth/csrf", timeout=10).json()["csrf_token"]
    response = session.post(
        f"{base}/api/v1/auth/login",
        json={"login": login, "password": PASSWORD},
        headers={"X-CSRFToken": token},
        timeout=10,
    )
    response.raise_for_status()
    session.headers["X-CSRFToken"] = response.json()["csrf_token"]
    return session


def together(base_session: requests.Session, method: str, url: str) -> list[requests.Response]:
    """N clients with the same login fire one request each at the same moment."""
    barrier = threading.Barrier(N)
    responses: list[requests.Response] = []
    errors: list[BaseException] = []

    def run():
        session = requests.Session()
        session.cookies.update(base_session.cookies)
        session.headers.update(base_session.headers)
        barrier.wait()
        try:
            responses.append(session.request(method, url, timeout=60))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return responses


def test_twenty_simultaneous_starts_make_one_attempt(gunicorn, make_unit, make_user):
    login = make_user(make_unit()).login
    round_id = make_round(make_bank(), question_count=5).id
    db.session.rollback()
    session = logged_in(gunicorn, login)
    responses = together(session, "POST", f"{gunicorn}/api/v1/rounds/{round_id}/attempts")
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (N - 1) + [201], [r.text[:200] for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert len({tuple(q["text"] for q in r.json()["questions"]) for r in responses}) == 1
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1


def test_twenty_simultaneous_submits_grade_once(gunicorn, make_unit, make_user):
    login = make_user(make_unit()).login
    round_id = make_round(make_bank(), question_count=5).id
    db.session.rollback()
    session = logged_in(gunicorn, login)
    attempt = session.post(f"{gunicorn}/api/v1/rounds/{round_id}/attempts", timeout=10).json()
    for q in attempt["questions"]:
        right = next(c["id"] for c in q["choices"] if c["text"].startswith("Đúng"))
        url = f"{gunicorn}/api/v1/attempts/{attempt['id']}/answers/{q['position']}"
        assert session.put(url, json={"choice_id": right}, timeout=10).status_code == 200
    responses = together(session, "POST", f"{gunicorn}/api/v1/attempts/{attempt['id']}/submit")
    bodies = [r.json() for r in responses]
    assert {r.status_code for r in responses} == {200}
    assert all(b == bodies[0] for b in bodies), bodies
    assert bodies[0]["status"] == "submitted" and bodies[0]["correct_count"] == 5
    db.session.rollback()
    row = db.session.get(Attempt, attempt["id"])
    assert row.submitted_at.isoformat() == bodies[0]["submitted_at"]


def test_unit_rollups_after_concurrent_submits_equal_a_recount(gunicorn, make_unit, make_user):
    from sqlalchemy import func, select

    from quiz.models import Unit, UnitRoundStat

    province = make_unit(kind="province", headcount=100)
    communes = [make_unit(province, headcount=30) for _ in range(3)]
    logins = [make_user(communes[i % 3]).login for i in range(12)]
    round_id = make_round(make_bank(), question_count=4).id
    db.session.rollback()
    attempts = []
    for i, login in enumerate(logins):
        session = logged_in(gunicorn, login)
        attempt = session.post(f"{gunicorn}/api/v1/rounds/{round_id}/attempts", timeout=10).json()
        for q in attempt["questions"][: i % 5]:
            right = next(c["id"] for c in q["choices"] if c["text"].startswith("Đúng"))
            session.put(
                f"{gunicorn}/api/v1/attempts/{attempt['id']}/answers/{q['position']}",
                json={"choice_id": right},
                timeout=10,
            )
        attempts.append((session, attempt["id"]))
    barrier = threading.Barrier(len(attempts))

    def submit(session, attempt_id):
        barrier.wait()
        session.post(f"{gunicorn}/api/v1/attempts/{attempt_id}/submit", timeout=60)

    threads = [threading.Thread(target=submit, args=a) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.rollback()
    for unit in [province, *communes]:
        unit = db.session.get(Unit, unit.id)
        subtree = select(Unit.id).where(Unit.path.startswith(unit.path))
        recount = db.session.execute(
            select(func.count(Attempt.id), func.coalesce(func.sum(Attempt.correct_count), 0)).where(
                Attempt.round_id == round_id,
                Attempt.unit_id.in_(subtree),
                Attempt.status == "submitted",
            )
        ).one()
        stat = db.session.get(UnitRoundStat, (unit.id, round_id))
        assert (stat.participants, stat.score_sum) == tuple(recount), unit.code
    assert db.session.get(UnitRoundStat, (province.id, round_id)).participants == 12
