"""Publication: admins only, audited, once; it freezes the ranking the API then serves."""

import pytest

from quiz.attempts import services as attempt_services
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import AuditLog, Round, RoundResult
from quiz.results import publication, ranking
from tests.factories import make_round, now

from .conftest import add_attempt, prize_data


@pytest.fixture
def contest_round(bank):
    return make_round(bank, question_count=5, prediction="none")


@pytest.fixture
def ranked(contest_round, unit, make_user):
    """Three people with finalized attempts: Ba (4 right), Hai (3), Một (2)."""
    people = {}
    for n, (name, correct) in enumerate([("Một", 2), ("Hai", 3), ("Ba", 4)]):
        people[name] = make_user(unit, full_name=name)
        add_attempt(contest_round, people[name], correct=correct, submitted=n)
    return people


def take_all_right(user, round_id):
    """A real attempt through the attempt services: start, answer everything right, submit."""
    attempt, _created = attempt_services.start(user, round_id, now())
    for aq in attempt.questions:
        token = attempt_services.choice_token(attempt.id, aq.question.correct_choice.id)
        attempt_services.save_answer(user, attempt.id, aq.position, token, now())
    return attempt_services.submit(user, attempt.id, now())


def paths(round_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/admin/rounds/{round_id}/results"),
        ("POST", f"/admin/rounds/{round_id}/prizes"),
        ("POST", f"/admin/rounds/{round_id}/publish"),
        ("POST", f"/admin/rounds/{round_id}/export"),
    ]


def test_results_pages_redirect_anonymous_and_forbid_contestants(
    client_for, contest_round, ranked, unit, make_user
):
    anonymous = client_for(None)
    contestant = client_for(make_user(unit))
    for method, path in paths(contest_round.id):
        response = anonymous.open(path, method=method, data={"confirm": "y"})
        assert response.status_code == 302 and "/auth/login" in response.location
        assert contestant.open(path, method=method, data={"confirm": "y"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Round, contest_round.id).results_published_at is None
    assert db.session.scalar(db.select(db.func.count(RoundResult.id))) == 0


def test_contests_page_links_each_round_to_its_results(client_for, admin, contest_round):
    page = client_for(admin).get("/admin/contests").text
    assert f"/admin/rounds/{contest_round.id}/results" in page


def test_publish_freezes_the_ranking_and_is_audited(
    client_for, admin, contest_round, ranked, unit, make_user
):
    admin_client = client_for(admin)
    saved = admin_client.post(
        f"/admin/rounds/{contest_round.id}/prizes",
        data=prize_data(staff_first="1", staff_second="1"),
    )
    assert saved.status_code == 302
    preview = admin_client.get(f"/admin/rounds/{contest_round.id}/results").text
    assert "bản xem trước" in preview and "Tôi đã kiểm tra bảng xếp hạng" in preview
    response = admin_client.post(f"/admin/rounds/{contest_round.id}/publish", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    round_ = db.session.get(Round, contest_round.id)
    assert round_.results_published_at is not None
    frozen = [(r.full_name, r.prize) for r in ranking.published(round_, "staff")]
    assert frozen == [("Ba", "first"), ("Hai", "second"), ("Một", None)]
    audit = db.session.execute(db.select(AuditLog).order_by(AuditLog.id)).scalars().all()
    assert [(a.action, a.actor_id, a.target_id) for a in audit[-2:]] == [
        ("round.prizes", admin.id, str(round_.id)),
        ("results.publish", admin.id, str(round_.id)),
    ]
    page = admin_client.get(f"/admin/rounds/{round_.id}/results").text
    assert "đã được công bố" in page and "Tôi đã kiểm tra" not in page

    # A better attempt after publication shows in the live ranking only.
    newcomer = make_user(unit, full_name="Người Đến Sau")
    result = take_all_right(newcomer, round_.id)
    assert result.correct_count == 5
    assert ranking.ranking(round_, "staff")[0].full_name == "Người Đến Sau"
    assert [(r.full_name, r.prize) for r in ranking.published(round_, "staff")] == frozen
    names = [
        e["full_name"]
        for e in client_for(newcomer)
        .get(f"/api/v1/rounds/{round_.id}/leaderboard?group=staff")
        .json["entries"]
    ]
    assert names == ["Ba", "Hai", None]  # prize winners' names only (docs/security.md)
    assert "Người Đến Sau" not in admin_client.get(f"/admin/rounds/{round_.id}/results").text


def test_leaderboard_api_is_not_published_to_contestants_before_publication(
    client_for, admin, contest_round, ranked, unit, make_user
):
    path = f"/api/v1/rounds/{contest_round.id}/leaderboard?group=staff"
    for client in (client_for(make_user(unit)), client_for(None)):
        response = client.get(path)
        assert response.status_code == 403
        assert response.json["error"]["code"] == "not_published"
    admin_view = client_for(admin).get(path)
    assert [e["full_name"] for e in admin_view.json["entries"]] == ["Ba", "Hai", "Một"]
    publication.publish(contest_round, actor=admin, now=now())
    public = client_for(make_user(unit)).get(path)
    assert public.status_code == 200
    # No prize in this round: the public gets ranks without names (docs/security.md).
    assert [(e["rank"], e["full_name"]) for e in public.json["entries"]] == [
        (1, None),
        (2, None),
        (3, None),
    ]


def test_publish_without_the_confirmation_box_publishes_nothing(
    client_for, admin, contest_round, ranked
):
    response = client_for(admin).post(f"/admin/rounds/{contest_round.id}/publish", data={})
    assert response.status_code == 422
    assert "Tôi đã kiểm tra bảng xếp hạng" in response.text
    db.session.expire_all()
    assert db.session.get(Round, contest_round.id).results_published_at is None
    assert db.session.scalar(db.select(db.func.count(RoundResult.id))) == 0


def test_publishing_twice_is_refused_with_a_clear_message(client_for, admin, contest_round, ranked):
    publication.publish(contest_round, actor=admin, now=now())
    with pytest.raises(DomainError) as refused:
        publication.publish(contest_round, actor=admin, now=now())
    assert refused.value.status == 409
    db.session.rollback()
    response = client_for(admin).post(
        f"/admin/rounds/{contest_round.id}/publish", data={"confirm": "y"}
    )
    assert response.status_code == 409
    assert "Kết quả đợt thi này đã được công bố." in response.text
    assert db.session.scalar(db.select(db.func.count(RoundResult.id))) == 3
    publications = db.session.scalar(
        db.select(db.func.count(AuditLog.id)).where(AuditLog.action == "results.publish")
    )
    assert publications == 1
