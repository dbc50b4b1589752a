"""The self-service reset link (OWASP Forgot Password): a neutral answer, a single-use
expiring link whose token is stored only as a hash, sessions ended, audit-logged.

Mail goes to Flask-Mailman's in-memory outbox (its test backend), no SMTP server needed.
"""

import hashlib
import re
from datetime import timedelta

import pytest

from quiz.auth import recovery
from quiz.extensions import db
from quiz.models import AuditLog, PasswordResetToken, User
from tests.factories import PASSWORD, now

NEW = "mat-khau-moi-2"


@pytest.fixture
def app_config():
    return {"MAIL_SERVER": "smtp.example.vn", "MAIL_DEFAULT_SENDER": "btc@example.vn"}


@pytest.fixture
def outbox(web_app):
    box = web_app.extensions["mailman"].__dict__.setdefault("outbox", [])
    box.clear()
    return box


@pytest.fixture
def person(make_unit, make_user):
    return make_user(make_unit(), email="nguoi.dung@example.vn", full_name="Người Quên Mật Khẩu")


def ask(client, email):
    return client.post("/auth/forgot", data={"email": email}, follow_redirects=True)


def token_of(message) -> str:
    return re.search(r"/auth/reset/([A-Za-z0-9_-]+)", message.body).group(1)


def test_login_page_offers_the_link_where_mail_is_configured(client):
    html = client.get("/auth/login").text
    assert "/auth/forgot" in html and "Quên mật khẩu?" in html


def test_same_answer_whether_or_not_the_account_exists(client, person, outbox):
    known = ask(client, "Nguoi.Dung@example.vn")
    unknown = ask(client, "khong.co@example.vn")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert "Nếu địa chỉ này là email của một tài khoản" in known.text
    assert len(outbox) == 1
    assert outbox[0].to == ["nguoi.dung@example.vn"]


def test_only_a_hash_of_the_token_is_stored(client, person, outbox):
    ask(client, person.email)
    token = token_of(outbox[0])
    row = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    assert row.expires_at - row.created_at == timedelta(hours=1)


def test_the_link_sets_a_new_password_once_and_ends_sessions(client, person, outbox, web_app):
    elsewhere = web_app.test_client()
    elsewhere.post("/auth/login", data={"login": person.email, "password": PASSWORD})
    assert elsewhere.get("/auth/profile").status_code == 200
    ask(client, person.email)
    url = f"/auth/reset/{token_of(outbox[0])}"
    assert client.get(url).status_code == 200
    weak = client.post(url, data={"new": "ngan", "confirm": "ngan"})
    assert weak.status_code == 422  # a weak password leaves the link usable
    done = client.post(url, data={"new": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")

    assert elsewhere.get("/auth/profile").status_code == 302
    old = client.post("/auth/login", data={"login": person.email, "password": PASSWORD})
    assert old.status_code == 401
    new = client.post("/auth/login", data={"login": person.email, "password": NEW})
    assert new.status_code == 302
    entry = db.session.execute(
        db.select(AuditLog).filter_by(action="user.password_reset_by_link")
    ).scalar_one()
    assert entry.target_id == str(person.id)
    assert NEW not in str(entry.details)

    # Single use: the same link again is refused, and nothing changes.
    client.post("/auth/logout")
    again = client.post(url, data={"new": "mat-khau-khac-3", "confirm": "mat-khau-khac-3"})
    assert again.status_code == 404
    assert client.get(url).status_code == 404
    assert db.session.get(User, person.id).check_password(NEW)


def test_an_expired_link_is_refused(client, person, outbox):
    issued = recovery.request_link(person.email, now=now() - timedelta(minutes=61))
    assert issued is not None
    url = f"/auth/reset/{issued[1]}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"new": NEW, "confirm": NEW}).status_code == 404
    assert db.session.get(User, person.id).check_password(PASSWORD)


def test_a_wrong_token_is_refused(client, person, outbox):
    ask(client, person.email)
    token = token_of(outbox[0])
    wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/auth/reset/{wrong}").status_code == 404
    assert client.post(f"/auth/reset/{wrong}", data={"new": NEW, "confirm": NEW}).status_code == 404
    assert client.get("/auth/reset/x").status_code == 404
    assert db.session.get(User, person.id).check_password(PASSWORD)


def test_a_newer_link_ends_the_older_one(client, person, outbox):
    ask(client, person.email)
    ask(client, person.email)
    first, second = (token_of(m) for m in outbox)
    assert client.get(f"/auth/reset/{first}").status_code == 404
    assert client.get(f"/auth/reset/{second}").status_code == 200
