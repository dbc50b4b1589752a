"""GET /rounds/<id>/units and /leaderboard: aggregates, drill-down, publication rules."""

from datetime import timedelta

import pytest

from quiz.attempts import services as attempts
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import AttemptQuestion, Choice, Question, RoundUnitLevel, Unit, UnitLevel
from quiz.results import publication, ranking
from tests.admin.test_contests import statements_of
from tests.factories import make_bank, make_round, now


def take(user, round_id, right: int):
    """Start, answer `right` questions correctly (the rest wrong), submit."""
    attempt, _ = attempts.start(user, round_id, now())
    for aq in attempt.questions[:right]:
        aq.selected_choice_id = db.session.execute(
            db.select(Choice.id)
            .join(Question, Question.id == Choice.question_id)
            .where(
                Choice.question_id == aq.question_id,
                Choice.position == Question.correct_position,
            )
        ).scalar_one()
    db.session.commit()
    return attempts.submit(user, attempt.id, now())


@pytest.fixture
def tree(make_unit):
    province = make_unit(code="P", name="Tỉnh", kind="province", headcount=None)
    dept = make_unit(province, code="P-SO", name="Sở Tư pháp", kind="department", headcount=10)
    district = make_unit(province, code="P-H", name="Huyện Cũ", kind="district", headcount=None)
    commune = make_unit(district, code="P-H-X", name="Xã Mới", kind="commune", headcount=4)
    return {"P": province, "P-SO": dept, "P-H": district, "P-H-X": commune}


def test_units_count_each_subtree_once_per_person_with_best_scores(client, tree, make_user):
    round_ = make_round(make_bank(), question_count=4, attempts_allowed=2)
    a, b, c = (make_user(tree["P-H-X"]) for _ in range(3))
    d = make_user(tree["P-SO"])
    take(a, round_.id, 1)
    take(a, round_.id, 3)  # better second attempt: a counts once, with 3
    take(b, round_.id, 4)
    take(d, round_.id, 2)
    make_user(tree["P-SO"])  # registered, not taken part
    del c
    round_.results_published_at = now()  # mean scores are public once published
    db.session.commit()
    body = client.get(f"/api/v1/rounds/{round_.id}/units").json["units"]
    rows = {u["code"]: u for u in body}
    assert rows["P-H-X"] == {
        "code": "P-H-X",
        "name": "Xã Mới",
        "kind": "commune",
        "participants": 2,
        "registered": 3,
        "headcount": 4,
        "rate": 0.5,
        "mean_score": 3.5,
    }
    # Huyện Cũ has no headcount of its own: its commune's 4, as for collective prizes.
    assert (rows["P-H"]["participants"], rows["P-H"]["headcount"]) == (2, 4)
    assert rows["P-H"]["rate"] == 0.5
    assert (rows["P"]["participants"], rows["P"]["registered"]) == (3, 5)
    assert (rows["P"]["headcount"], rows["P"]["rate"]) == (14, round(3 / 14, 4))
    assert rows["P-SO"]["mean_score"] == 2.0 and rows["P-SO"]["rate"] == 0.1
    communes = client.get(f"/api/v1/rounds/{round_.id}/units?kind=commune").json["units"]
    assert [u["code"] for u in communes] == ["P-H-X"]
    children = client.get(f"/api/v1/rounds/{round_.id}/units?parent=P-H").json["units"]
    assert [u["code"] for u in children] == ["P-H-X"]
    top = client.get(f"/api/v1/rounds/{round_.id}/units?parent=P").json["units"]
    assert [u["code"] for u in top] == ["P-H", "P-SO"]  # best rate first
    assert client.get(f"/api/v1/rounds/{round_.id}/units?parent=NOPE").status_code == 404


def test_leaderboard_is_403_before_publication_except_for_admins(
    client, web_app, tree, make_user, login
):
    round_ = make_round(make_bank(), question_count=3)
    people = [make_user(tree["P-SO"], full_name=f"Người {i}") for i in range(3)]
    for person, right in zip(people, (1, 3, 2), strict=True):
        take(person, round_.id, right)
    url = f"/api/v1/rounds/{round_.id}/leaderboard?group=staff"
    anonymous = web_app.test_client().get(url)
    assert anonymous.status_code == 403 and anonymous.json["error"]["code"] == "not_published"
    login(make_user(tree["P"], role="admin"))
    preview = client.get(url).json["entries"]
    assert [e["full_name"] for e in preview] == ["Người 1", "Người 2", "Người 0"]
    assert [e["rank"] for e in preview] == [1, 2, 3]
    round_.publish_all_names = True  # by default only prize winners are named
    db.session.commit()
    publication.publish(db.session.get(type(round_), round_.id), actor=None, now=now())
    public = web_app.test_client().get(url + "&limit=2").json["entries"]
    assert [e["full_name"] for e in public] == ["Người 1", "Người 2"]
    assert set(public[0]) == {
        "rank",
        "full_name",
        "unit_code",
        "correct_count",
        "duration_seconds",
        "prediction",
        "prize",
    }


def test_published_results_are_frozen(client, web_app, tree, make_user):
    round_ = make_round(make_bank(), question_count=3, attempts_allowed=2)
    first, second = make_user(tree["P-SO"]), make_user(tree["P-SO"])
    take(first, round_.id, 2)
    take(second, round_.id, 1)
    publication.publish(round_, actor=None, now=now())
    take(second, round_.id, 3)  # a later, better attempt
    entries = web_app.test_client().get(f"/api/v1/rounds/{round_.id}/leaderboard").json["entries"]
    assert [e["correct_count"] for e in entries] == [2, 1]
    with pytest.raises(DomainError, match="already_published"):
        publication.publish(round_, actor=None, now=now())


def test_public_unit_rates_use_the_headcount_the_collective_prizes_use(client, tree, make_user):
    round_ = make_round(make_bank(), question_count=3, unit_min_rate=0, unit_prize_count=5)
    db.session.add(RoundUnitLevel(round_id=round_.id, level=UnitLevel.DISTRICT.value))
    db.session.commit()
    for _ in range(3):
        take(make_user(tree["P-H-X"]), round_.id, 2)
    prize = {r.unit.code: r for r in ranking.unit_ranking(round_)}["P-H"]
    public = {u["code"]: u for u in client.get(f"/api/v1/rounds/{round_.id}/units").json["units"]}[
        "P-H"
    ]
    assert public["headcount"] == prize.headcount == 4
    assert public["rate"] == round(prize.rate / 100, 4) == 0.75
    # A headcount given later to the district itself is its whole number, for both.
    db.session.get(Unit, tree["P-H"].id).headcount = 6
    db.session.commit()
    public = {
        u["code"]: u
        for u in client.get(f"/api/v1/rounds/{round_.id}/units?kind=district").json["units"]
    }["P-H"]
    assert public["headcount"] == 6 and public["rate"] == 0.5


def test_the_units_endpoint_runs_as_many_statements_for_a_bigger_tree(
    client, web_app, tree, make_unit, make_user
):
    round_ = make_round(make_bank(), question_count=3)
    take(make_user(tree["P-H-X"]), round_.id, 2)
    url = f"/api/v1/rounds/{round_.id}/units"
    client.get(url)  # warm: the per-worker caches hold the figures
    with statements_of(web_app) as small:
        assert client.get(url).status_code == 200
    for n in range(30):
        make_unit(tree["P-H"], code=f"P-H-{n}", name=f"Xã {n}", kind="commune", headcount=n)
    take(make_user(tree["P-SO"]), round_.id, 1)
    client.get(url)
    with statements_of(web_app) as big:
        assert len(client.get(url).json["units"]) == 34
    assert len(big) == len(small)


@pytest.mark.parametrize("query", ["group=vip", "limit=0", "limit=abc", "limit=5000"])
def test_bad_leaderboard_parameters_are_422(client, tree, query):
    round_ = make_round(make_bank())
    response = client.get(f"/api/v1/rounds/{round_.id}/leaderboard?{query}")
    assert response.status_code == 422


def test_expired_attempts_count_as_participation(app, tree, make_user):
    round_ = make_round(make_bank(), time_limit_seconds=60, grace_seconds=0)
    person = make_user(tree["P-H-X"])
    attempt, _ = attempts.start(person, round_.id, now())
    attempt.deadline_at = now() - timedelta(seconds=5)
    db.session.commit()
    attempts.close_expired(now())
    rows = {
        r.unit.code: r
        for r in __import__("quiz.results.queries").results.queries.unit_rows(round_id=round_.id)
    }
    assert rows["P-H-X"].participants == 1 and rows["P"].participants == 1
    assert db.session.scalar(db.select(db.func.count(AttemptQuestion.id))) == 5


def test_a_person_who_moves_unit_between_attempts_counts_once_in_the_new_unit(
    client, tree, make_user
):
    round_ = make_round(make_bank(), question_count=4, attempts_allowed=2)
    person = make_user(tree["P-SO"])
    take(person, round_.id, 1)
    person.unit_id = tree["P-H-X"].id  # moved to a commune before the second attempt
    db.session.commit()
    take(person, round_.id, 3)
    round_.results_published_at = now()  # mean scores are public once published
    db.session.commit()
    rows = {u["code"]: u for u in client.get(f"/api/v1/rounds/{round_.id}/units").json["units"]}
    assert (rows["P-SO"]["participants"], rows["P-SO"]["mean_score"]) == (0, None)
    assert (rows["P-H-X"]["participants"], rows["P-H-X"]["mean_score"]) == (1, 3.0)
    assert (rows["P"]["participants"], rows["P"]["mean_score"]) == (1, 3.0)
