"""With CSRF on, as in production: every practice form carries its token."""

import re

import pytest

from tests.factories import PASSWORD
from tests.practice.helpers import submission


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_practice_forms_carry_their_csrf_token(client, make_unit, make_user, bank):
    user = make_user(make_unit())
    login_page = client.get("/auth/login").text
    client.post(
        "/auth/login",
        data={"login": user.email, "password": PASSWORD, "csrf_token": token(login_page)},
    )
    setup = client.get("/practice").text
    data = {"bank_id": str(bank.id), "size": "5", "topic": "", "timed": "0"}
    assert client.post("/practice", data=data).status_code == 400  # no token: refused
    quiz = client.post("/practice", data={**data, "csrf_token": token(setup)})
    assert quiz.status_code == 200
    graded = client.post(
        "/practice/grade", data={**submission(quiz.text), "csrf_token": token(quiz.text)}
    )
    assert graded.status_code == 200
    assert "<strong>0 / 5</strong>" in graded.text
