"""Reset links are rate-limited per e-mail address and per requesting address."""

import pytest

from quiz.extensions import db
from quiz.models import Job


@pytest.fixture
def app_config():
    return {"MAIL_SERVER": "smtp.example.vn", "RATELIMIT_ENABLED": True}


def test_links_for_one_address_are_limited(client, make_unit, make_user, run_jobs):
    person = make_user(make_unit(), email="mot.nguoi@example.vn")
    codes = [
        client.post("/auth/forgot", data={"email": "Mot.Nguoi@example.vn"}).status_code
        for _ in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    run_jobs()
    assert len(db.session.execute(db.select(Job)).scalars().all()) == 3
    assert person


def test_requests_from_one_address_are_limited(client):
    codes = [
        client.post("/auth/forgot", data={"email": f"nguoi{n}@example.vn"}).status_code
        for n in range(11)
    ]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429
