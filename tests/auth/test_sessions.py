"""Sessions end on the server: logout, password change, idle time, a newer login."""

from datetime import timedelta

import pytest

from quiz.extensions import db
from quiz.models import Attempt, UserSession
from tests.factories import PASSWORD, make_bank, make_round, now


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(web_app, value):
    other = web_app.test_client()
    other.set_cookie("session", value)
    return other


def _api_login(client, user, password=PASSWORD):
    return client.post("/api/v1/auth/login", json={"login": user.login, "password": password})


def test_a_copied_cookie_stops_working_at_logout(client, web_app, make_unit, make_user, login):
    login(make_user(make_unit()))
    copy = _with_cookie(web_app, _cookie(client))
    assert copy.get("/auth/profile").status_code == 200
    client.post("/auth/logout")
    assert copy.get("/auth/profile").status_code == 302
    assert copy.get("/api/v1/rounds/1").status_code == 401


def test_logout_ends_only_this_device(client, web_app, make_unit, make_user, login):
    manager = make_user(make_unit(), role="unit_manager")
    phone = web_app.test_client()
    phone.post("/auth/login", data={"login": manager.login, "password": PASSWORD})
    login(manager)
    client.post("/auth/logout")
    assert phone.get("/auth/profile").status_code == 200


def test_a_newer_login_ends_a_contestants_older_session(client, web_app, make_unit, make_user):
    user = make_user(make_unit())
    older = web_app.test_client()
    assert _api_login(older, user).status_code == 200
    assert _api_login(client, user).status_code == 200
    assert older.get("/auth/profile").status_code == 302
    assert client.get("/auth/profile").status_code == 200


@pytest.mark.parametrize("app_config", [{"SINGLE_SESSION_ROLES": frozenset()}])
def test_one_session_per_account_can_be_turned_off(client, web_app, make_unit, make_user):
    user = make_user(make_unit())
    older = web_app.test_client()
    _api_login(older, user)
    _api_login(client, user)
    assert older.get("/auth/profile").status_code == 200


def test_idle_session_expires_on_the_server(client, web_app, make_unit, make_user, login):
    user = make_user(make_unit())
    login(user)
    idle = timedelta(minutes=web_app.config["SESSION_IDLE_MINUTES"])
    db.session.execute(
        db.update(UserSession).values(last_seen_at=now() - idle - timedelta(seconds=1))
    )
    db.session.commit()
    assert client.get("/auth/profile").status_code == 302


def test_activity_keeps_a_session_alive(client, web_app, make_unit, make_user, login):
    login(make_user(make_unit()))
    idle = timedelta(minutes=web_app.config["SESSION_IDLE_MINUTES"])
    db.session.execute(db.update(UserSession).values(last_seen_at=now() - idle / 2))
    db.session.commit()
    assert client.get("/auth/profile").status_code == 200
    seen = db.session.execute(db.select(UserSession.last_seen_at)).scalar_one()
    assert seen > now() - timedelta(minutes=1)


def test_after_an_idle_logout_a_new_login_resumes_the_attempt(
    client, web_app, make_unit, make_user, login
):
    user = make_user(make_unit())
    login(user)
    round_ = make_round(make_bank())
    body = client.post(f"/api/v1/rounds/{round_.id}/attempts").json
    first = body["questions"][0]["choices"][1]["id"]
    saved = client.put(f"/api/v1/attempts/{body['id']}/answers/1", json={"choice_id": first})
    assert saved.status_code == 200
    db.session.execute(db.update(UserSession).values(last_seen_at=now() - timedelta(days=1)))
    db.session.commit()
    assert client.get(f"/api/v1/attempts/{body['id']}").status_code == 401
    login(user)
    again = client.post(f"/api/v1/rounds/{round_.id}/attempts")
    assert again.status_code == 200 and again.json["id"] == body["id"]
    assert again.json["questions"][0]["selected_choice_id"] == first
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1


def test_a_remember_cookie_opens_no_session(client, web_app, make_unit, make_user, login):
    user = make_user(make_unit())
    login(user)
    with web_app.test_request_context():
        from flask_login import encode_cookie

        remember = encode_cookie(user.get_id())
    client.post("/auth/logout")
    stranger = web_app.test_client()
    stranger.set_cookie("remember_token", remember)
    assert stranger.get("/auth/profile").status_code == 302


# ---- generated passwords and the API (DESIGN §5) ----


@pytest.fixture
def imported(make_unit, make_user):
    return make_user(make_unit(), must_change_password=True)


def test_attempt_endpoints_need_a_password_of_ones_own(client, imported):
    round_ = make_round(make_bank())
    assert _api_login(client, imported).json["user"]["must_change_password"] is True
    calls = [
        ("post", f"/api/v1/rounds/{round_.id}/attempts", None),
        ("get", "/api/v1/attempts/1", None),
        ("put", "/api/v1/attempts/1/answers/1", {"choice_id": "x"}),
        ("put", "/api/v1/attempts/1/prediction", {"value": 3}),
        ("post", "/api/v1/attempts/1/submit", None),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, json=body)
        assert response.status_code == 403, url
        assert response.json["error"]["code"] == "password_change_required", url
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0
    # Round details are harmless; the person can still see what awaits them.
    assert client.get(f"/api/v1/rounds/{round_.id}").status_code == 200


def test_api_password_change_unlocks_the_attempts(client, web_app, imported):
    round_ = make_round(make_bank())
    other = web_app.test_client()
    _api_login(other, imported)
    _api_login(client, imported)
    changed = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "mat-khau-moi"},
    )
    assert changed.status_code == 200 and changed.json["csrf_token"]
    assert client.post(f"/api/v1/rounds/{round_.id}/attempts").status_code == 201
    assert other.get("/api/v1/rounds/1").status_code == 401
    db.session.refresh(imported)
    assert imported.check_password("mat-khau-moi") and not imported.must_change_password


@pytest.mark.parametrize(
    "body",
    [
        {"current_password": "sai-roi-nhe", "new_password": "mat-khau-moi"},
        {"current_password": PASSWORD, "new_password": "ngan"},
        {"current_password": PASSWORD, "new_password": PASSWORD},
    ],
)
def test_api_password_change_refusals_are_422_invalid_password(client, imported, body):
    _api_login(client, imported)
    response = client.post("/api/v1/auth/password", json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_password"
    assert response.json["error"]["message"]
    db.session.refresh(imported)
    assert imported.must_change_password and imported.check_password(PASSWORD)
    # A refused change ends no session.
    assert client.get("/api/v1/rounds/1").status_code != 401


def test_api_password_change_needs_a_login_and_strings(client, imported):
    assert client.post("/api/v1/auth/password", json={}).status_code == 401
    _api_login(client, imported)
    response = client.post("/api/v1/auth/password", json=[1])
    assert response.status_code == 400
    response = client.post("/api/v1/auth/password", json={"current_password": 1})
    assert response.status_code == 400
