"""Security headers: a strict CSP everywhere, HSTS in production, no-store on private answers."""

from tests.conftest import make_test_app
from tests.factories import make_bank, make_round


def test_every_page_has_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    for directive in (
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "Content-Security-Policy" in client.get("/api/v1/contests").headers


def test_hsts_only_in_production(client, database_url):
    assert "Strict-Transport-Security" not in client.get("/").headers
    live = make_test_app(database_url, APP_ENV="production")
    hsts = live.test_client().get("/api/v1/auth/csrf").headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=") and int(hsts.split("=")[1]) >= 180 * 24 * 3600


def test_pages_and_answers_of_a_logged_in_person_are_not_stored(
    client, make_unit, make_user, login
):
    round_ = make_round(make_bank())
    anonymous = client.get("/")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    login(make_user(make_unit()))
    for path in ("/", "/auth/profile", f"/api/v1/rounds/{round_.id}"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    started = client.post(f"/api/v1/rounds/{round_.id}/attempts")
    assert started.headers["Cache-Control"] == "no-store"
    attempt = client.get(f"/api/v1/attempts/{started.json['id']}")
    assert attempt.headers["Cache-Control"] == "no-store"
    submitted = client.post(f"/api/v1/attempts/{started.json['id']}/submit")
    assert submitted.headers["Cache-Control"] == "no-store"
    # The public participation figures stay cacheable, whoever asks.
    public = client.get(f"/api/v1/rounds/{round_.id}/units")
    assert public.headers["Cache-Control"] == "public, max-age=30"


def test_static_files_stay_cacheable_for_people_logged_in(client, make_unit, make_user, login):
    login(make_user(make_unit()))
    response = client.get("/static/css/site.css")
    response.close()
    assert "no-store" not in response.headers.get("Cache-Control", "")
