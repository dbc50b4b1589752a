"""Logging in and out, profile, passwords, and the JSON login."""

import pytest

from quiz.extensions import db
from tests.factories import PASSWORD


def test_login_by_email_is_case_insensitive(client, make_unit, make_user):
    user = make_user(make_unit(), email="an.nv@example.vn")
    response = client.post(
        "/auth/login", data={"login": " AN.NV@example.vn ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Nguyễn Văn Thử" in client.get("/").text
    assert user.full_name in client.get("/").text


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84912345678", "84912345678"])
def test_login_by_phone_in_any_usual_spelling(client, make_unit, make_user, typed):
    make_user(make_unit(), email=None, phone="+84912345678")
    response = client.post("/auth/login", data={"login": typed, "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_and_unknown_login_get_the_same_message(client, make_unit, make_user):
    user = make_user(make_unit())
    wrong = client.post("/auth/login", data={"login": user.email, "password": "sai-mat-khau"})
    unknown = client.post("/auth/login", data={"login": "ai@example.vn", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert "Email/số điện thoại hoặc mật khẩu không đúng" in wrong.text
    assert "Email/số điện thoại hoặc mật khẩu không đúng" in unknown.text


def test_deactivated_account_cannot_log_in(client, make_unit, make_user):
    user = make_user(make_unit(), active=False)
    response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_login_redirects_only_to_local_pages(client, make_unit, make_user):
    user = make_user(make_unit())
    data = {"login": user.email, "password": PASSWORD}
    response = client.post("/auth/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/auth/profile", data=data)
    assert response.headers["Location"] == "/auth/profile"


def test_logout_ends_the_session(client, make_unit, make_user, login):
    login(make_user(make_unit()))
    assert client.get("/auth/profile").status_code == 200
    client.post("/auth/logout")
    assert client.get("/auth/profile").status_code == 302


def test_profile_edit_saves_details(client, make_unit, make_user, login):
    root = make_unit(kind="province")
    other = make_unit(root, name="Sở Tư pháp", kind="department")
    user = make_user(root)
    login(user)
    response = client.post(
        "/auth/profile",
        data={
            "full_name": "  Lê   Văn Tám ",
            "email": user.email,
            "phone": "0987654321",
            "group": "staff",
            "position": "Chuyên viên",
            "birth_year": "1985",
            "unit_id": str(other.id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.phone, user.unit_id, user.birth_year, user.position) == (
        "Lê Văn Tám",
        "+84987654321",
        other.id,
        1985,
        "Chuyên viên",
    )


def test_profile_refuses_a_phone_another_account_has(client, make_unit, make_user, login):
    unit = make_unit()
    make_user(unit, phone="+84987654321")
    user = make_user(unit)
    login(user)
    response = client.post(
        "/auth/profile",
        data={
            "full_name": user.full_name,
            "email": user.email,
            "phone": "0987654321",
            "group": "staff",
            "unit_id": str(unit.id),
            "birth_year": "19x5",
        },
    )
    assert response.status_code == 422
    assert "Năm sinh gồm 4 chữ số" in response.text
    response = client.post(
        "/auth/profile",
        data={
            "full_name": user.full_name,
            "email": user.email,
            "phone": "0987654321",
            "group": "staff",
            "unit_id": str(unit.id),
        },
    )
    assert "Số điện thoại này đã được dùng" in response.text
    db.session.refresh(user)
    assert user.phone is None


def test_change_password_needs_the_current_one(client, make_unit, make_user, login):
    user = make_user(make_unit())
    login(user)
    bad = client.post(
        "/auth/password", data={"current": "sai", "new": "moi-mat-khau", "confirm": "moi-mat-khau"}
    )
    assert bad.status_code == 422 and "Mật khẩu hiện tại không đúng" in bad.text
    ok = client.post(
        "/auth/password",
        data={"current": PASSWORD, "new": "moi-mat-khau", "confirm": "moi-mat-khau"},
    )
    assert ok.status_code == 302
    # This session stays logged in; the old password no longer works.
    assert client.get("/auth/profile").status_code == 200
    client.post("/auth/logout")
    assert (
        client.post("/auth/login", data={"login": user.email, "password": PASSWORD}).status_code
        == 401
    )
    assert (
        client.post(
            "/auth/login", data={"login": user.email, "password": "moi-mat-khau"}
        ).status_code
        == 302
    )


def test_generated_password_must_be_changed_before_anything_else(client, make_unit, make_user):
    user = make_user(make_unit(), must_change_password=True)
    response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/auth/password"
    assert client.get("/").headers["Location"] == "/auth/password"
    client.post(
        "/auth/password",
        data={"current": PASSWORD, "new": "cua-toi-123", "confirm": "cua-toi-123"},
    )
    assert client.get("/").status_code == 200


def test_password_change_elsewhere_ends_other_sessions(client, web_app, make_unit, make_user):
    # A unit manager may be logged in on two devices (contestants keep one session).
    user = make_user(make_unit(), role="unit_manager")
    first, second = client, web_app.test_client()
    for c in (first, second):
        c.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    first.post(
        "/auth/password", data={"current": PASSWORD, "new": "mat-khau-2", "confirm": "mat-khau-2"}
    )
    assert first.get("/auth/profile").status_code == 200
    assert second.get("/auth/profile").status_code == 302


def test_api_login_returns_the_user_and_a_csrf_token(client, make_unit, make_user):
    unit = make_unit(code="DEMO-X1")
    user = make_user(unit, must_change_password=True)
    assert client.get("/api/v1/auth/csrf").json["csrf_token"]
    response = client.post("/api/v1/auth/login", json={"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.json["user"] == {
        "id": user.id,
        "full_name": user.full_name,
        "unit_code": "DEMO-X1",
        "role": "contestant",
        "must_change_password": True,
    }
    assert response.json["csrf_token"]


def test_api_login_failure_is_401_invalid_credentials(client):
    response = client.post("/api/v1/auth/login", json={"login": "x@example.vn", "password": "y"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_credentials"
    assert "không đúng" in response.json["error"]["message"]


def test_profile_offers_the_phone_the_way_people_dial_it(client, make_unit, make_user, login):
    login(make_user(make_unit(), phone="+84987654321"))
    page = client.get("/auth/profile").text
    assert 'value="0987 654 321"' in page and "+84987654321" not in page
