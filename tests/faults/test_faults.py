"""Faults: nothing acknowledged is lost (DESIGN §3, invariants 1–3, under crashes).

About 100 contestants answer through the API of a real gunicorn (4 workers) while the test
kill -9s a worker, then the whole server (restarted as a supervisor would), then restarts
PostgreSQL as a crash would (its own throwaway cluster, see conftest). Clients do what the
quiz page does: on a timeout, a refused connection or a 5xx they retry the same save or
submit, and reload the attempt. Afterwards every answer that got a 200 is stored, each
attempt was graded once (aggregates equal a recount), and deadlines never moved.

FAULTS=long: 300 contestants, 20 questions each, every fault three times.
"""

import json
import os
import random
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Attempt, AttemptQuestion, Choice
from tests.aggregates import assert_aggregates_equal_recount
from tests.factories import make_bank, make_round
from tests.live import Gunicorn, logged_in

LONG = os.environ.get("FAULTS") == "long"
PEOPLE = 300 if LONG else 100
QUESTIONS = 20 if LONG else 8
CYCLES = 3 if LONG else 1
WORKERS = 4
TIMEOUT = 20  # seconds a client waits for an answer before it retries
GIVE_UP = 120  # seconds a client keeps retrying one request


@dataclass
class Figures:
    acknowledged: int = 0
    retried: int = 0
    connection_errors: int = 0
    server_errors: int = 0
    resumed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)


class Contestant:
    """One person on the quiz page: answer every question, retry what failed, submit."""

    def __init__(self, base: str, login: str, round_id: int, figures: Figures):
        self.base, self.login, self.round_id, self.figures = base, login, round_id, figures
        self.session: requests.Session | None = None
        self.attempt: dict | None = None
        self.acked: dict[int, str] = {}  # position → text of the choice the server confirmed
        self.deadlines: set[str] = set()
        self.results: list[dict] = []
        self.error: BaseException | None = None

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        """Retry on a timeout, a dropped connection or a 5xx, like the page's autosave."""
        began = time.monotonic()
        tries = 0
        while True:
            tries += 1
            try:
                response = self.session.request(
                    method, f"{self.base}{path}", timeout=TIMEOUT, **kwargs
                )
                if response.status_code < 500:
                    return response
                self.figures.add(server_errors=1)
            except requests.RequestException:
                self.figures.add(connection_errors=1)
            if time.monotonic() - began > GIVE_UP:
                raise RuntimeError(f"{self.login}: {method} {path} failed {tries} times")
            self.figures.add(retried=1)
            time.sleep(min(0.2 * tries, 1.0) + random.random() * 0.2)  # noqa: S311
            if "/answers/" in path or path.endswith("/submit"):
                self.reload()

    def reload(self) -> None:
        """A reload after an error: the attempt resumes with the same deadline."""
        try:
            body = self.session.get(
                f"{self.base}/api/v1/attempts/{self.attempt['id']}", timeout=TIMEOUT
            )
        except requests.RequestException:
            return
        if body.status_code == 200:
            self.deadlines.add(body.json()["deadline_at"])
            self.figures.add(resumed=1)

    def run(self, started: threading.Barrier) -> None:
        try:
            self._run(started)
        except BaseException as err:  # noqa: BLE001 - reported by the test
            self.error = err

    def _run(self, started: threading.Barrier) -> None:
        while self.session is None:
            try:
                self.session = logged_in(self.base, self.login, timeout=TIMEOUT)
            except requests.RequestException:
                time.sleep(0.5)
        started.wait()
        response = self.call("POST", f"/api/v1/rounds/{self.round_id}/attempts")
        assert response.status_code in (200, 201), response.text
        self.attempt = response.json()
        self.deadlines.add(self.attempt["deadline_at"])
        for q in self.attempt["questions"]:
            choice = random.choice(q["choices"])  # noqa: S311
            path = f"/api/v1/attempts/{self.attempt['id']}/answers/{q['position']}"
            response = self.call("PUT", path, json={"choice_id": choice["id"]})
            assert response.status_code == 200, response.text
            self.acked[q["position"]] = choice["text"]
            self.figures.add(acknowledged=1)
            time.sleep(0.2 + random.random() * 0.6)  # noqa: S311 - a person reads the next question
        submit = f"/api/v1/attempts/{self.attempt['id']}/submit"
        for _ in range(2):  # the second press, or a retry after a lost answer: same result
            response = self.call("POST", submit)
            assert response.status_code == 200, response.text
            self.results.append(response.json())


def wait_for(predicate, seconds: float) -> float:
    began = time.monotonic()
    while not predicate():
        assert time.monotonic() - began < seconds, "did not come back in time"
        time.sleep(0.05)
    return time.monotonic() - began


def error_kinds(log: str) -> dict[str, int]:
    """How often each exception ended a traceback in the server's log."""
    kinds: dict[str, int] = {}
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((x for x in lines[i + 1 :] if x and not x.startswith(" ")), "?")
            kind = end.split(":")[0]
            kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


@pytest.fixture
def people(make_unit, make_user):
    province = make_unit(kind="province", headcount=PEOPLE)
    communes = [make_unit(province, headcount=PEOPLE) for _ in range(5)]
    return [make_user(communes[i % 5]).login for i in range(PEOPLE)]


def test_nothing_acknowledged_is_lost_through_crashes_and_restarts(
    app, backend, database_url, people, tmp_path, request
):
    bank = make_bank(topics={"Chuyển đổi số": QUESTIONS + 4, "Cải cách hành chính": 4})
    round_id = make_round(bank, question_count=QUESTIONS, time_limit_seconds=3600).id
    db.session.rollback()
    server = Gunicorn(database_url, tmp_path / "gunicorn.log", workers=WORKERS)
    server.start()
    figures = Figures()
    clients = [Contestant(server.base, login, round_id, figures) for login in people]
    started = threading.Barrier(len(clients) + 1)
    threads = [threading.Thread(target=c.run, args=(started,)) for c in clients]
    recovery: dict[str, list[float]] = {"worker": [], "server": [], "database": []}
    total = PEOPLE * QUESTIONS
    began_run = time.monotonic()
    try:
        for t in threads:
            t.start()
        started.wait(timeout=300)
        for cycle in range(CYCLES):
            step = 1 / (CYCLES * 3 + 1)
            base = cycle * 3 * step

            def progress(share: float) -> None:
                wait_for(lambda: figures.acknowledged >= share * total, 300)

            progress(base + step)
            killed = server.kill_worker()
            # gunicorn's master notices and forks a new worker: no one restarts it.
            recovery["worker"].append(
                wait_for(
                    lambda k=killed: (
                        len(server.worker_pids()) == WORKERS and k not in server.worker_pids()
                    ),
                    30,
                )
            )
            progress(base + 2 * step)
            server.kill_all()
            began = time.monotonic()
            server.start()  # the supervisor's job (systemd Restart=always)
            recovery["server"].append(time.monotonic() - began)
            if backend == "postgresql":
                progress(base + 3 * step)
                request.getfixturevalue("own_pg").crash_restart()
                recovery["database"].append(server.wait_healthy(60))
        for t in threads:
            t.join(timeout=600)
    finally:
        log = server.close()
    errors = [c.error for c in clients if c.error is not None]
    assert not errors, errors[:3]
    assert all(not t.is_alive() for t in threads)

    db.session.rollback()
    stored = {
        (aid, pos): text
        for aid, pos, text in db.session.execute(
            select(AttemptQuestion.attempt_id, AttemptQuestion.position, Choice.text).join(
                Choice, Choice.id == AttemptQuestion.selected_choice_id
            )
        )
    }
    lost = [
        (c.login, pos)
        for c in clients
        for pos, text in c.acked.items()
        if stored.get((c.attempt["id"], pos)) != text
    ]
    assert lost == [], f"{len(lost)} acknowledged answers lost: {lost[:10]}"
    assert figures.acknowledged == total
    for c in clients:
        row = db.session.get(Attempt, c.attempt["id"])
        # One result however often it was asked for, and the grade is what was acknowledged.
        assert all(r == c.results[0] for r in c.results), c.results
        right = sum(text.startswith("Đúng") for text in c.acked.values())
        assert (
            row.status == "submitted"
            and row.correct_count == right == c.results[0]["correct_count"]
        )
        # The deadline never moved: every reload showed the one given at start.
        assert c.deadlines == {c.attempt["deadline_at"]}
        assert row.deadline_at.isoformat() == c.attempt["deadline_at"]
        assert (row.deadline_at - row.started_at).total_seconds() == 3600
    counts = db.session.execute(
        select(Attempt.user_id, db.func.count()).group_by(Attempt.user_id)
    ).all()
    assert len(counts) == PEOPLE and {n for _, n in counts} == {1}
    assert assert_aggregates_equal_recount(round_id) == PEOPLE
    report = {
        "backend": backend,
        "contestants": PEOPLE,
        "saves_acknowledged": figures.acknowledged,
        "requests_retried": figures.retried,
        "connection_errors": figures.connection_errors,
        "server_errors_5xx": figures.server_errors,
        "reloads": figures.resumed,
        "lost": len(lost),
        "recovery_seconds": {k: [round(v, 2) for v in vs] for k, vs in recovery.items()},
        "seconds": round(time.monotonic() - began_run, 1),
        "server_log_errors": error_kinds(log),
    }
    print("\nFAULTS " + json.dumps(report))
