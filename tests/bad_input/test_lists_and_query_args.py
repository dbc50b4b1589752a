"""Finding 1 of issue 8: every list past its first page, and odd query strings, are
never a 500."""

import pytest

from tests.bad_input.site import big_site
from tests.factories import PASSWORD


@pytest.fixture
def site(app):
    return big_site()


def log_in(client, user):
    response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def paged_lists(site):
    """(who may see it, URL) for every list with a pager."""
    return [
        ("admin", "/admin/users"),
        ("admin", "/admin/audit"),
        ("admin", f"/admin/banks/{site.bank_id}/questions"),
        ("manager", "/manager/"),
    ]


def test_every_paged_list_shows_its_second_page_with_a_link_back(client, site):
    for who, url in paged_lists(site):
        log_in(client, getattr(site, who))
        first = client.get(url)
        assert first.status_code == 200, url
        assert "Trang 1 / 2" in first.text, url
        second = client.get(url, query_string={"page": "2"})
        assert second.status_code == 200, url
        assert "Trang 2 / 2" in second.text, url
        assert "Trang trước" in second.text, url
        client.post("/auth/logout")


def test_the_pager_keeps_the_filters_and_drops_unknown_keys(client, site):
    log_in(client, site.admin)
    response = client.get(
        "/admin/users", query_string={"role": "contestant", "_method": "x", "foo": "bar"}
    )
    assert response.status_code == 200
    assert "role=contestant" in response.text
    assert "foo=bar" not in response.text
    assert "_method" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"_method": "POST"},
        {"endpoint": "admin.users"},
        {"_external": "1"},
        {"_anchor": "x", "_scheme": "javascript"},
        {"values": "1"},
        {"status": "submitted", "_method": "DELETE", "endpoint": "x"},
    ],
)
def test_manager_page_ignores_keys_that_collide_with_url_for(client, site, query):
    log_in(client, site.manager)
    response = client.get("/manager/", query_string=query)
    assert response.status_code == 200
    assert "_method" not in response.text
    assert "endpoint=" not in response.text


@pytest.mark.parametrize(
    "page", ["99999999999999999999999", "9" * 400, "²", "١٢", "٣", "-1", "0", "1e3", " 2"]
)
def test_odd_page_numbers_are_a_404_not_a_500(client, site, page):
    log_in(client, site.admin)
    for url in ("/admin/users", "/admin/audit", f"/admin/banks/{site.bank_id}/questions"):
        assert client.get(url, query_string={"page": page}).status_code == 404, url


def test_a_page_past_the_end_is_an_empty_list(client, site):
    log_in(client, site.admin)
    assert client.get("/admin/users", query_string={"page": "1000000"}).status_code == 200


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "2147483648"])
def test_odd_id_filters_are_a_404_not_a_500(client, site, value):
    log_in(client, site.admin)
    assert client.get("/admin/users", query_string={"unit": value}).status_code == 404
    bank_questions = f"/admin/banks/{site.bank_id}/questions"
    assert client.get(bank_questions, query_string={"topic": value}).status_code == 404
    client.post("/auth/logout")
    log_in(client, site.manager)
    assert client.get("/manager/", query_string={"round": value}).status_code == 404
    assert client.get("/manager/", query_string={"unit": value}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/attempts/99999999999999999999999",
        "/api/v1/attempts/2147483648",
        "/api/v1/rounds/99999999999999999999999",
        "/api/v1/rounds/99999999999999999999999/units",
        "/api/v1/attempts/%C2%B2",
        "/attempts/99999999999999999999999/result",
    ],
)
def test_ids_too_large_for_an_integer_column_are_404(client, site, path):
    log_in(client, site.contestant)
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json["error"]["code"] == "not_found"


def test_the_largest_id_an_integer_column_holds_is_just_not_found(client, site):
    log_in(client, site.contestant)
    assert client.get("/api/v1/attempts/2147483647").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/rounds/{round}/units?parent=%00",
        "/api/v1/rounds/{round}/units?kind=%00",
        "/api/v1/rounds/{round}/leaderboard?group=%00",
        "/rounds/{round}/units?parent=a%00b",
        "/contests/%00",
        "/admin/users?q=%00",
    ],
)
def test_nul_bytes_in_urls_are_refused_with_400(client, site, path):
    log_in(client, site.admin)
    response = client.get(path.format(round=site.round.id))
    assert response.status_code == 400


def test_a_nul_byte_in_a_form_is_refused_with_400(client, site):
    log_in(client, site.contestant)
    response = client.post(
        f"/attempts/{site.attempt_id}/submit", data={"q1": "\x00", "prediction": "1\x00"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("limit", ["²", "١٠", "99999999999999999999999", "-1", "0", "1001"])
def test_leaderboard_limit_accepts_only_ascii_digits(client, site, limit):
    log_in(client, site.admin)
    response = client.get(
        f"/api/v1/rounds/{site.round.id}/leaderboard", query_string={"limit": limit}
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_limit"


@pytest.mark.parametrize("prediction", ["²", "١٢", "99999999999999999999999", "-3"])
def test_no_javascript_submit_refuses_an_odd_prediction(client, app, site, prediction):
    from quiz.extensions import db
    from quiz.models import Attempt

    site.round.prediction = "perfect"
    db.session.commit()
    log_in(client, site.contestant)
    response = client.post(f"/attempts/{site.attempt_id}/submit", data={"prediction": prediction})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{site.attempt_id}")
    db.session.expire_all()
    attempt = db.session.get(Attempt, site.attempt_id)
    assert attempt.status == "in_progress"
    assert attempt.prediction is None
