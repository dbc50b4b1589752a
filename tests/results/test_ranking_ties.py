"""Invariant 5 when everything ties: the attempt id decides, whatever order rows are stored in.

People are created in one order and their attempts in the reverse one, and some rows are
rewritten afterwards (PostgreSQL then stores them elsewhere in the table), so neither the
people's ids nor the physical order of rows can stand in for the last tie-break.
"""

from quiz.extensions import db
from quiz.models import Attempt
from quiz.results import publication, ranking
from tests.factories import make_round, now

from .conftest import add_attempt

PEOPLE = 24


def test_complete_ties_are_ranked_by_attempt_id_every_time(bank, unit, make_user):
    round_ = make_round(bank, question_count=10, prediction="none")
    people = [make_user(unit) for _ in range(PEOPLE)]
    ids = [add_attempt(round_, person, correct=7).id for person in reversed(people)]
    for attempt_id in ids[::2]:
        db.session.get(Attempt, attempt_id).prediction = None  # a rewrite that moves the row
    db.session.commit()
    for _ in range(3):
        entries = ranking.ranking(round_, "staff")
        assert [e.attempt_id for e in entries] == sorted(ids)
        assert [e.rank for e in entries] == list(range(1, PEOPLE + 1))
    publication.publish(round_, actor=None, now=now())
    db.session.expire_all()
    assert [r.attempt_id for r in ranking.published(round_, "staff")] == sorted(ids)
