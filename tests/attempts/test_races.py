"""Invariant 1 raced for real: many people, many rounds, several tabs each, on gunicorn.

Every person's tabs fire at one Barrier, so the workers run the same person's requests side
by side. The default run is a few seconds per test; STRESS=1 repeats each race many times
(the sabotage script uses it: a missing constraint or lock shows up as an exact count off).
"""

import os
import random

import pytest

from quiz.extensions import db
from quiz.models import Attempt
from tests.aggregates import assert_aggregates_equal_recount, attempts_per_person
from tests.factories import make_bank, make_round
from tests.live import Gunicorn, fire_together, logged_in, tab

STRESS = os.environ.get("STRESS") == "1"
REPEAT = 12 if STRESS else 2
PEOPLE = 6
ROUNDS = 3
TABS = 4


@pytest.fixture
def server(app, database_url, tmp_path):
    gunicorn = Gunicorn(database_url, tmp_path / "gunicorn.log", workers=4)
    gunicorn.start()
    yield gunicorn
    log = gunicorn.close()
    assert "Traceback" not in log, log[-3000:]


@pytest.fixture
def people(make_unit, make_user):
    province = make_unit(kind="province", headcount=100)
    communes = [make_unit(province, headcount=30) for _ in range(3)]
    return province, [make_user(communes[i % 3]).login for i in range(PEOPLE)]


def new_rounds(bank, n: int) -> list[int]:
    ids = [make_round(bank, question_count=4).id for _ in range(n)]
    db.session.rollback()
    return ids


def test_many_people_starting_in_many_tabs_get_one_attempt_per_round(server, people):
    _, logins = people
    bank = make_bank()
    sessions = [logged_in(server.base, login) for login in logins]
    for _ in range(REPEAT):
        rounds = new_rounds(bank, ROUNDS)
        calls = []
        for round_id in rounds:
            url = f"{server.base}/api/v1/rounds/{round_id}/attempts"
            for session in sessions:
                for _ in range(TABS):
                    calls.append((round_id, session, tab(session), url))
        random.shuffle(calls)
        responses = fire_together([lambda c=c: c[2].post(c[3], timeout=60) for c in calls])
        seen: dict[tuple[int, int], set] = {}
        for (round_id, session, _, _), response in zip(calls, responses, strict=True):
            assert response.status_code in (200, 201), response.text[:300]
            seen.setdefault((round_id, id(session)), set()).add(
                (response.json()["id"], response.status_code)
            )
        for key, answers in seen.items():
            ids = {i for i, _ in answers}
            assert len(ids) == 1, f"{key}: several attempts {answers}"
            assert sorted(s for _, s in answers)[-1] == 201, answers
        db.session.rollback()
        for round_id in rounds:
            assert sorted(attempts_per_person(round_id).values()) == [1] * PEOPLE


def test_many_people_submitting_in_many_tabs_are_graded_once(server, people):
    province, logins = people
    bank = make_bank()
    sessions = [logged_in(server.base, login) for login in logins]
    for _ in range(REPEAT):
        rounds = new_rounds(bank, ROUNDS)
        calls = []
        for round_id in rounds:
            for i, session in enumerate(sessions):
                url = f"{server.base}/api/v1/rounds/{round_id}/attempts"
                attempt = session.post(url, timeout=30).json()
                for q in attempt["questions"][: i % 5]:
                    right = next(c["id"] for c in q["choices"] if c["text"].startswith("Đúng"))
                    answer = f"{server.base}/api/v1/attempts/{attempt['id']}/answers/"
                    response = session.put(
                        f"{answer}{q['position']}", json={"choice_id": right}, timeout=30
                    )
                    assert response.status_code == 200
                submit = f"{server.base}/api/v1/attempts/{attempt['id']}/submit"
                calls += [(attempt["id"], tab(session), submit) for _ in range(TABS)]
        random.shuffle(calls)
        responses = fire_together([lambda c=c: c[1].post(c[2], timeout=60) for c in calls])
        bodies: dict[int, list[dict]] = {}
        for (attempt_id, _, _), response in zip(calls, responses, strict=True):
            assert response.status_code == 200, response.text[:300]
            bodies.setdefault(attempt_id, []).append(response.json())
        for attempt_id, same in bodies.items():
            assert all(b == same[0] for b in same), f"attempt {attempt_id} graded twice: {same}"
        db.session.rollback()
        for attempt_id, same in bodies.items():
            row = db.session.get(Attempt, attempt_id)
            assert row.submitted_at.isoformat() == same[0]["submitted_at"]
        for round_id in rounds:
            assert assert_aggregates_equal_recount(round_id) == PEOPLE
