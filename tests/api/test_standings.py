"""GET /api/v1/contests/<slug>/standings (DESIGN.md §5, §9): nothing public before publication."""

import pytest

from quiz.judging import queries, services
from tests.factories import (
    make_entries_contest,
    make_entry,
    make_judge,
    make_sheet,
    make_unit,
    make_user,
    now,
)


@pytest.fixture
def contest(app):
    province = make_unit(kind="province")
    communes = [make_unit(province) for _ in range(3)]
    contest = make_entries_contest(prizes={"first": {"count": 1, "amount": 10_000_000}})
    entries = [make_entry(contest, c) for c in communes]
    judge = make_judge(make_unit(province, kind="department"), assign_to=contest)
    make_sheet(contest, judge, entries[1], [40, 30])
    make_sheet(contest, judge, entries[0], [20, 10])
    contest.admin = make_user(province, role="admin")
    contest.entries = entries
    return contest


def url(contest, query="") -> str:
    return f"/api/v1/contests/{contest.slug}/standings{query}"


def test_nothing_is_public_before_publication(client, contest, login):
    response = client.get(url(contest))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "not_published"
    login(make_user(contest.entries[0].unit))
    assert client.get(url(contest)).status_code == 403


def test_admins_preview_the_live_standings(client, contest, login):
    login(contest.admin)
    response = client.get(url(contest))
    assert response.status_code == 200
    body = response.json
    assert body["kind"] == "entries" and body["stage"] == "final"
    first = body["entries"][0]
    assert first == {
        "rank": 1,
        "entry_id": contest.entries[1].id,
        "title": contest.entries[1].title,
        "unit_code": contest.entries[1].unit.code,
        "jury_score": 100.0,
        "audience_score": 0.0,
        "total": 100.0,
        "prize": "first",
    }
    assert [e["rank"] for e in body["entries"]] == [1, 2, 3]
    assert body["entries"][2]["jury_score"] is None


def test_published_standings_are_public_and_frozen(client, contest, login):
    stage = queries.stage_of(contest, "final")
    services.publish(stage, actor=contest.admin, now=now())
    # A sheet added after publication does not move the published standings.
    late = make_judge(contest.entries[0].unit.parent)
    make_sheet(contest, late, contest.entries[2], [40, 30])
    response = client.get(url(contest, "?stage=final"))
    assert response.status_code == 200
    assert [e["entry_id"] for e in response.json["entries"]] == [
        contest.entries[1].id,
        contest.entries[0].id,
        contest.entries[2].id,
    ]
    assert response.json["entries"][1]["jury_score"] == 42.86


@pytest.mark.parametrize("query", ["?stage=semi", "?cluster=1"])
def test_unknown_stage_or_cluster_is_not_found(client, contest, login, query):
    login(contest.admin)
    response = client.get(url(contest, query))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_unknown_slug_and_quiz_contests_are_not_found(client, app, login):
    from tests.factories import make_bank, make_round

    quiz = make_round(make_bank()).contest
    for slug in ("khong-co", quiz.slug):
        response = client.get(f"/api/v1/contests/{slug}/standings")
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
