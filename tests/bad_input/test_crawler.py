"""A crawler: each role visits every GET route of the app, with real ids, odd ids and
odd query strings, on a site where every paged list has more than one page. Any 5xx
fails the test, with the list of every URL that gave one."""

import re
from urllib.parse import urlencode

import pytest
from werkzeug.routing import IntegerConverter

from quiz.extensions import db
from quiz.models import Question
from tests.bad_input.site import big_site
from tests.factories import PASSWORD

ODD_QUERIES = [
    {},
    {"page": "2"},
    {"page": "99999999999999999999999"},
    {"page": "²"},
    {"page": "١٢"},
    {"page": "-1"},
    {"_method": "POST", "endpoint": "main.index", "_external": "1", "_anchor": "x"},
    {"unknown": "1", "values": "x", "_scheme": "javascript"},
    {"q": "\x00", "parent": "\x00"},
    {
        "round": "99999999999999999999999",
        "unit": "²",
        "topic": "١",
        "limit": "²",
        "kind": "vương quốc",
        "group": "x",
        "status": "x",
        "difficulty": "x",
        "parent": "KHONG-CO",
        "stage": "x",
        "cluster": "x",
        "next": "https:/evil.example",
    },
]
ODD_IDS = ["0", "2147483648", "99999999999999999999999", "%C2%B2", "-1"]
ODD_TEXT = ["x", "%C2%B2", "%00", "a" * 300]


def real_values(site) -> dict[str, str]:
    question_id = db.session.execute(db.select(Question.id).limit(1)).scalar_one()
    return {
        "round_id": site.round.id,
        "attempt_id": site.attempt_id,
        "bank_id": site.bank_id,
        "question_id": question_id,
        "upload_id": 1,
        "contest_id": site.round.contest_id,
        "unit_id": site.commune.id,
        "user_id": site.contestant.id,
        "position": 1,
        "slug": site.round.contest.slug,
        "code": "en",
        "fmt": "csv",
    }


def urls(app, site) -> list[str]:
    """Every GET route with real values, then each parameter in turn made odd."""
    real = {k: str(v) for k, v in real_values(site).items()}
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        params = {name: real.get(name, "1") for name in rule.arguments}
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        found.extend(path.format(**params) + "?" + urlencode(query) for query in ODD_QUERIES)
        for name, converter in rule._converters.items():
            odd = ODD_IDS if isinstance(converter, IntegerConverter) else ODD_TEXT
            for value in odd:
                found.append(path.format(**{**params, name: value}))
    return found


@pytest.mark.parametrize("role", ["anonymous", "contestant", "manager", "admin"])
def test_no_get_route_answers_a_server_error_for_any_role(app, client, web_app, role):
    site = big_site()
    if role != "anonymous":
        user = getattr(site, role)
        response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
    errors = []
    visited = urls(web_app, site)
    for url in visited:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url}")
        if role != "anonymous" and url.startswith("/lang/"):
            client.set_cookie("lang", "vi")
    assert len(visited) > 300
    assert errors == []


def test_the_crawler_sees_a_second_page_of_every_paged_list(app, client):
    site = big_site()
    client.post("/auth/login", data={"login": site.admin.email, "password": PASSWORD})
    for path in (
        "/admin/users",
        "/admin/audit",
        f"/admin/banks/{site.bank_id}/questions",
        "/admin/deletion-requests",
    ):
        assert "Trang 2 / 2" in client.get(path + "?page=2").text
    client.post("/auth/logout")
    client.post("/auth/login", data={"login": site.manager.email, "password": PASSWORD})
    for path in ("/manager/", "/manager/pending", "/manager/never-logged-in"):
        assert "Trang 2 / 2" in client.get(path + "?page=2").text
