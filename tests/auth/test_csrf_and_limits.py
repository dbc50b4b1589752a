"""CSRF on every form and API write; rate limits on logins."""

import os

import pytest
import redis

from quiz.auth.views import UNIT_SEARCH_LIMITS
from quiz.extensions import db
from tests.conftest import make_test_app, missing_service
from tests.factories import PASSWORD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True}


def test_form_post_without_csrf_token_is_refused(client, make_unit, make_user):
    user = make_user(make_unit())
    response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.text


def test_api_write_needs_the_token_in_the_header(client, make_unit, make_user):
    user = make_user(make_unit())
    body = {"login": user.email, "password": PASSWORD}
    refused = client.post("/api/v1/auth/login", json=body)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf_failed"
    token = client.get("/api/v1/auth/csrf").json["csrf_token"]
    accepted = client.post("/api/v1/auth/login", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200


def test_repeated_failed_logins_for_one_account_are_slowed_down(client, make_unit, make_user):
    user = make_user(make_unit())
    token = client.get("/api/v1/auth/csrf").json["csrf_token"]
    body = {"login": user.email, "password": "sai-mat-khau"}
    codes = [
        client.post("/api/v1/auth/login", json=body, headers={"X-CSRFToken": token}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    limited = client.post("/api/v1/auth/login", json=body, headers={"X-CSRFToken": token})
    assert limited.json["error"]["code"] == "too_many_requests"


def test_rate_limits_are_shared_by_app_servers_through_redis(database_url, make_unit, make_user):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        with redis.Redis.from_url(redis_url, socket_connect_timeout=1) as r:
            r.flushdb()
    except redis.exceptions.ConnectionError:
        missing_service(f"Redis at {redis_url}")
    user = make_user(make_unit())
    # Two app instances stand for two app servers behind one proxy.
    apps = [
        make_test_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url)
        for _ in range(2)
    ]
    body = {"login": user.email, "password": "sai-mat-khau"}
    codes = [
        apps[i % 2].test_client().post("/api/v1/auth/login", json=body).status_code
        for i in range(11)
    ]
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    assert codes == [401] * 10 + [429]


def test_unit_search_is_rate_limited_per_address(client, make_unit):
    per_minute = int(UNIT_SEARCH_LIMITS.split("/")[0])
    make_unit(name="Xã Bình Sơn")
    statuses = [
        client.get("/auth/units/search", query_string={"q": f"binh {i}"}).status_code
        for i in range(per_minute + 1)
    ]
    assert statuses[:per_minute] == [200] * per_minute
    assert statuses[-1] == 429
