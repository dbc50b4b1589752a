"""GET /api/v1/contests (DESIGN.md §5): the public contests, newest first, with their rounds."""

from datetime import datetime, timedelta

from quiz.extensions import db
from quiz.models import Contest
from tests.factories import make_bank, make_entries_contest, make_round, now


def test_lists_every_contest_newest_first_with_its_rounds_without_login(client, app):
    bank = make_bank()
    older = make_round(bank, title="Tuần 1", opens_at=now() - timedelta(days=9))
    make_round(bank, contest=older.contest, title="Tuần 2", opens_at=now() - timedelta(days=2))
    older.contest.created_at = now() - timedelta(days=30)
    newer = make_round(bank, title="Đợt duy nhất")
    newer.contest.created_at = now() - timedelta(days=1)
    judged = make_entries_contest()
    judged.created_at = now()
    db.session.commit()

    response = client.get("/api/v1/contests")

    assert response.status_code == 200
    contests = response.get_json()["contests"]
    assert [c["slug"] for c in contests] == [judged.slug, newer.contest.slug, older.contest.slug]
    assert [c["kind"] for c in contests] == ["entries", "quiz", "quiz"]
    first = contests[2]
    assert set(first) == {"slug", "title", "kind", "rounds"}
    assert first["title"] == older.contest.title
    assert [r["title"] for r in first["rounds"]] == ["Tuần 1", "Tuần 2"]
    round_ = first["rounds"][0]
    assert set(round_) == {"id", "title", "opens_at", "closes_at"}
    assert round_["id"] == older.id
    opens = datetime.fromisoformat(round_["opens_at"])
    assert opens.utcoffset() is not None  # ISO 8601 with an offset
    assert abs(opens - (now() - timedelta(days=9))) < timedelta(minutes=5)


def test_an_empty_site_lists_no_contest(client, app):
    assert db.session.scalar(db.select(db.func.count(Contest.id))) == 0
    assert client.get("/api/v1/contests").get_json() == {"contests": []}
