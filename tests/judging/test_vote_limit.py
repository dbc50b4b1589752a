"""Votes are rate-limited per account."""

from datetime import timedelta

import pytest

from quiz.extensions import db
from quiz.models import EntryVote
from tests.factories import make_entries_contest, make_entry, make_unit, make_user, now


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def test_more_than_thirty_votes_a_minute_are_refused(client, login):
    unit = make_unit()
    contest = make_entries_contest(
        voting_opens_at=now() - timedelta(hours=1), voting_closes_at=now() + timedelta(days=1)
    )
    entries = [make_entry(contest, make_unit(unit)) for _ in range(31)]
    login(make_user(unit))
    statuses = [client.post(f"/judging/entries/{e.id}/vote").status_code for e in entries]
    assert statuses == [302] * 30 + [429]
    assert db.session.scalar(db.select(db.func.count(EntryVote.id))) == 30
