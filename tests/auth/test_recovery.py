"""The self-service reset link (OWASP Forgot Password): a neutral answer, a single-use
expiring link whose token is stored only as a hash, sessions ended, audit-logged.

The request only queues a `mail.password_reset` job; the job worker sends the mail, to
Flask-Mailman's in-memory outbox (its test backend), no SMTP server needed.
"""

import hashlib
import re
from datetime import timedelta

import pytest

from quiz.auth import recovery
from quiz.extensions import db
from quiz.models import AuditLog, Job, PasswordResetToken, User
from tests.factories import PASSWORD, now

NEW = "mat-khau-moi-2"


@pytest.fixture
def app_config():
    return {"MAIL_SERVER": "smtp.example.vn", "MAIL_DEFAULT_SENDER": "btc@example.vn"}


@pytest.fixture
def outbox(app, web_app):
    """The mail sent, by the request (web_app) or by the job worker (app): the same list."""
    box = app.extensions["mailman"].__dict__.setdefault("outbox", [])
    box.clear()
    web_app.extensions["mailman"].outbox = box
    return box


@pytest.fixture
def person(make_unit, make_user):
    return make_user(make_unit(), email="nguoi.dung@example.vn", full_name="Người Quên Mật Khẩu")


@pytest.fixture
def ask(client, run_jobs):
    """Ask for a link and let the job worker send what was queued."""

    def ask(email):
        response = client.post("/auth/forgot", data={"email": email}, follow_redirects=True)
        run_jobs()
        return response

    return ask


def token_of(message) -> str:
    return re.search(r"/auth/reset/([A-Za-z0-9_-]+)", message.body).group(1)


def test_login_page_offers_the_link_where_mail_is_configured(client):
    html = client.get("/auth/login").text
    assert "/auth/forgot" in html and "Quên mật khẩu?" in html


def test_same_answer_whether_or_not_the_account_exists(client, person, outbox, run_jobs):
    known = client.post("/auth/forgot", data={"email": "Nguoi.Dung@example.vn"})
    unknown = client.post("/auth/forgot", data={"email": "khong.co@example.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page = client.get(known.headers["Location"]).text
    assert "Nếu địa chỉ này là email của một tài khoản" in page
    # Nothing is sent inside a request, known address or not: one job, for the account.
    assert outbox == []
    job = db.session.execute(db.select(Job)).scalar_one()
    assert job.kind == "mail.password_reset" and job.created_by_id == person.id
    assert run_jobs() == (1, 0)
    assert len(outbox) == 1
    assert outbox[0].to == ["nguoi.dung@example.vn"]


def test_the_job_holds_no_token_and_the_worker_mints_the_link(client, person, outbox, run_jobs):
    client.post("/auth/forgot", data={"email": person.email})
    queued = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    placeholder = queued.token_hash
    job = db.session.execute(db.select(Job)).scalar_one()
    assert set(job.params) == {"link", "locale", "base_url"}
    assert job.params["link"] == placeholder  # names the row; its token was thrown away
    run_jobs()
    token = token_of(outbox[0])
    assert token not in str(db.session.get(Job, job.id).params)
    row = db.session.get(PasswordResetToken, queued.id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() != placeholder
    assert "http://localhost/auth/reset/" in outbox[0].body


def test_a_link_asked_for_again_before_the_worker_ran_is_mailed_once(
    client, person, outbox, run_jobs
):
    client.post("/auth/forgot", data={"email": person.email})
    client.post("/auth/forgot", data={"email": person.email})
    assert run_jobs() == (2, 0)
    assert len(outbox) == 1  # the first job's link was ended by the second request
    assert client.get(f"/auth/reset/{token_of(outbox[0])}").status_code == 200


def test_the_mail_speaks_the_language_it_was_asked_in(client, person, outbox, run_jobs):
    client.set_cookie("lang", "en")
    client.post("/auth/forgot", data={"email": person.email})
    run_jobs()
    assert "Nếu bạn không yêu cầu" not in outbox[0].body
    assert "/auth/reset/" in outbox[0].body


def test_only_a_hash_of_the_token_is_stored(ask, person, outbox):
    ask(person.email)
    token = token_of(outbox[0])
    row = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    assert row.expires_at - row.created_at == timedelta(hours=1)


def test_the_link_sets_a_new_password_once_and_ends_sessions(client, ask, person, outbox, web_app):
    elsewhere = web_app.test_client()
    elsewhere.post("/auth/login", data={"login": person.email, "password": PASSWORD})
    assert elsewhere.get("/auth/profile").status_code == 200
    ask(person.email)
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


def test_an_expired_link_is_refused(client, ask, person, outbox):
    ask(person.email)
    row = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    row.created_at = now() - timedelta(minutes=61)
    row.expires_at = now() - timedelta(minutes=1)
    db.session.commit()
    url = f"/auth/reset/{token_of(outbox[0])}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"new": NEW, "confirm": NEW}).status_code == 404
    assert db.session.get(User, person.id).check_password(PASSWORD)


def test_a_wrong_token_is_refused(client, ask, person, outbox):
    ask(person.email)
    token = token_of(outbox[0])
    wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/auth/reset/{wrong}").status_code == 404
    assert client.post(f"/auth/reset/{wrong}", data={"new": NEW, "confirm": NEW}).status_code == 404
    assert client.get("/auth/reset/x").status_code == 404
    assert db.session.get(User, person.id).check_password(PASSWORD)


def test_a_newer_link_ends_the_older_one(client, ask, person, outbox):
    ask(person.email)
    ask(person.email)
    first, second = (token_of(m) for m in outbox)
    assert client.get(f"/auth/reset/{first}").status_code == 404
    assert client.get(f"/auth/reset/{second}").status_code == 200


def test_a_link_expired_before_the_worker_ran_is_not_mailed(client, person, outbox, run_jobs):
    client.post("/auth/forgot", data={"email": person.email})
    row = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    row.created_at = now() - timedelta(minutes=61)
    row.expires_at = now() - timedelta(minutes=1)
    db.session.commit()
    assert run_jobs() == (1, 0)
    assert outbox == []


def test_a_job_run_twice_mails_once(client, person, outbox, run_jobs):
    client.post("/auth/forgot", data={"email": person.email})
    job = db.session.execute(db.select(Job)).scalar_one()
    run_jobs()
    assert recovery.mail_link(job.params["link"], locale="vi", base_url="/", now=now()) is False
    assert len(outbox) == 1


def test_mail_link_sends_nothing_for_an_unknown_link(app, person, outbox):
    assert recovery.mail_link("0" * 64, locale="vi", base_url="http://x/", now=now()) is False
    assert outbox == []
