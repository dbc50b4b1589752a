"""Login limits keyed on the account, not the spelling; redirects stay on the site."""

import logging

import pytest

from tests.conftest import make_test_app
from tests.factories import PASSWORD


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True}


WRONG = "sai-mat-khau"


def _api_login(client, login):
    return client.post("/api/v1/auth/login", json={"login": login, "password": WRONG})


def test_login_limit_counts_every_spelling_of_a_phone_as_one(client, make_unit, make_user):
    make_user(make_unit(), email=None, phone="+84912000002")
    spellings = [
        "0912000002",
        "+84912000002",
        "0912-000-002",
        "０９１２０００００２",
        "(+84) 912 000 002",
        "0912.000.002",
        "84912000002",
        " 0912 000 002 ",
        "0912000002",
        "+84 912 000 002",
    ]
    assert [_api_login(client, s).status_code for s in spellings] == [401] * 10
    assert _api_login(client, "0912 000 002").status_code == 429
    # The page form shares the same key: no fresh tries there either.
    page = client.post("/auth/login", data={"login": "0912-000-002", "password": "x"})
    assert page.status_code == 429


def test_login_limit_counts_every_spelling_of_an_email_as_one(client, make_unit, make_user):
    make_user(make_unit(), email="an@example.vn")
    spellings = ["an@example.vn", "AN@EXAMPLE.VN", " An@Example.vn", "ａｎ@example.vn"] * 3
    codes = [_api_login(client, s).status_code for s in spellings[:10]]
    assert codes == [401] * 10
    assert _api_login(client, "An@example.VN").status_code == 429


def test_login_limit_folds_unparseable_text(client):
    codes = [_api_login(client, t).status_code for t in ["Ｘyz abc", "xyz ABC", "XYZ  abc"] * 4]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429


@pytest.mark.parametrize("body", ["[1, 2]", "42", '"0912000002"', "null", "true", "{"])
def test_login_body_that_is_not_an_object_is_a_400(client, body):
    response = client.post(
        "/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_json"


def test_start_without_redis_warns_that_limits_are_per_worker(database_url, caplog):
    with caplog.at_level(logging.WARNING):
        make_test_app(database_url, RATELIMIT_ENABLED=True)
    assert "per worker" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        make_test_app(database_url, RATELIMIT_ENABLED=True, REDIS_URL="redis://127.0.0.1:6379/15")
    assert "per worker" not in caplog.text


@pytest.mark.parametrize(
    "target",
    [
        "http%3A%2F127.0.0.1%2Fx",
        "http%3A%2F%2F127.0.0.1%2Fx",
        "https:/evil.example",
        "https:evil.example",
        "https://evil.example/",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "%2F%5Cevil.example",
        "\\\\evil.example",
        "%5C%5Cevil.example",
        "/%09/evil.example",
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2F%0D%2Fevil.example",
        "%20//evil.example",
        "%01//evil.example",
        "javascript:alert(1)",
        "JavaScript%3Aalert(1)",
        "data:text/html,hi",
        "evil.example",
        "http://localhost.evil.example/",
        "http://localhost@evil.example/",
        "ftp://localhost/",
    ],
)
def test_login_never_redirects_off_site(client, make_unit, make_user, target):
    user = make_user(make_unit())
    response = client.post(
        f"/auth/login?next={target}", data={"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/auth/profile", "/auth/profile"),
        ("%2Fcontests%3Fpage%3D2", "/contests?page=2"),
        ("http%3A%2F%2Flocalhost%2Fauth%2Fprofile", "/auth/profile"),
    ],
)
def test_login_returns_to_a_page_of_the_site(client, make_unit, make_user, target, expected):
    user = make_user(make_unit())
    response = client.post(
        f"/auth/login?next={target}", data={"login": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == expected
