"""Ranking and tie-breaks (invariant 5), from the crafted cases in ranking_cases.json."""

import json
from pathlib import Path

import pytest

from quiz.extensions import db
from quiz.models import Group, RoundResult
from quiz.results import prizes, publication, ranking
from tests.factories import make_round, now

from .conftest import add_attempt

CASES = json.loads((Path(__file__).parent / "ranking_cases.json").read_text("utf-8"))["cases"]


def build(case, bank, unit, make_user):
    """The case's round, people and attempts, inserted in the case's order."""
    spec = case["round"]
    round_ = make_round(
        bank,
        question_count=spec["question_count"],
        prediction=spec["prediction"],
        attempts_allowed=spec["attempts_allowed"],
        prize_counts=spec["prizes"],
    )
    people, attempts = {}, {}
    for row in sorted(case["attempts"], key=lambda r: r["order"]):
        if row["user"] not in people:
            people[row["user"]] = make_user(
                unit,
                full_name=row["user"],
                participant_group=row["group"],
                is_organizer_staff=row["organizer"],
            )
        attempt = add_attempt(
            round_,
            people[row["user"]],
            correct=row["correct_count"],
            prediction=row["prediction"],
            duration_ms=row["duration_ms"],
            submitted=row["submitted_at"],
            status=row["status"],
            group=row["group"],
        )
        attempts[row["order"]] = attempt.id
    return round_, attempts


def live(round_, group):
    return prizes.with_prizes(round_, group, ranking.ranking(round_, group))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_ranking_follows_the_tie_breaks(case, bank, unit, make_user):
    round_, attempts = build(case, bank, unit, make_user)
    for group in Group:
        expected = case["expected"].get(group.value, [])
        entries = live(round_, group.value)
        assert [(e.full_name, e.prize) for e in entries] == [
            (x["user"], x["prize"]) for x in expected
        ]
        assert [e.rank for e in entries] == list(range(1, len(expected) + 1))
        for e, x in zip(entries, expected, strict=True):
            if "attempt" in x:
                assert e.attempt_id == attempts[x["attempt"]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_ranking_recomputed_and_published_gives_the_same_order(case, bank, unit, make_user):
    round_, _attempts = build(case, bank, unit, make_user)
    before = {g.value: live(round_, g.value) for g in Group}
    assert {g.value: live(round_, g.value) for g in Group} == before
    publication.publish(round_, actor=None, now=now())
    db.session.expire_all()
    for group in Group:
        frozen = ranking.published(round_, group.value)
        assert [(r.rank, r.full_name, r.attempt_id, r.prize, r.distance) for r in frozen] == [
            (e.rank, e.full_name, e.attempt_id, e.prize, e.distance) for e in before[group.value]
        ]
    assert db.session.scalar(db.select(db.func.count(RoundResult.id))) == sum(
        len(v) for v in before.values()
    )


def test_distance_is_measured_from_the_true_figure(bank, unit, make_user):
    round_ = make_round(bank, question_count=10, prediction="perfect")
    perfect = [make_user(unit) for _ in range(3)]
    for n, user in enumerate(perfect):
        add_attempt(round_, user, correct=10, prediction=n, submitted=n)
    assert ranking.true_figure(round_) == 3
    entries = ranking.ranking(round_, "staff")
    assert [e.distance for e in entries] == [1, 2, 3]
