"""One audience vote per account and entry under real concurrency: gunicorn, several
workers, every person's tabs firing at one Barrier (DESIGN.md §9)."""

from datetime import timedelta

import pytest

from quiz.extensions import db
from quiz.models import Entry, EntryVote
from tests.factories import make_entries_contest, make_entry, make_unit, make_user, now
from tests.live import Gunicorn, fire_together, logged_in, tab

PEOPLE = 4
TABS = 5


@pytest.fixture
def server(app, database_url, tmp_path):
    gunicorn = Gunicorn(database_url, tmp_path / "gunicorn.log", workers=4)
    gunicorn.start()
    yield gunicorn
    log = gunicorn.close()
    assert "Traceback" not in log, log[-3000:]


def test_simultaneous_votes_count_once_per_account_and_entry(server):
    province = make_unit(kind="province")
    communes = [make_unit(province) for _ in range(3)]
    contest = make_entries_contest(
        voting_opens_at=now() - timedelta(hours=1), voting_closes_at=now() + timedelta(days=1)
    )
    entries = [make_entry(contest, c).id for c in communes]
    logins = [make_user(communes[i % 3]).login for i in range(PEOPLE)]
    db.session.rollback()
    sessions = [logged_in(server.base, login) for login in logins]
    calls = []
    for entry_id in entries:
        url = f"{server.base}/judging/entries/{entry_id}/vote"
        for session in sessions:
            for _ in range(TABS):
                other = tab(session)
                calls.append(lambda s=other, u=url: s.post(u, allow_redirects=False, timeout=60))
    responses = fire_together(calls)
    assert {r.status_code for r in responses} == {302}, [r.text[:200] for r in responses]
    db.session.rollback()
    rows = db.session.execute(db.select(EntryVote.entry_id, EntryVote.user_id)).all()
    assert len(rows) == len(set(rows)) == len(entries) * PEOPLE


def test_simultaneous_picks_never_exceed_the_quota(server):
    province = make_unit(kind="province")
    district = make_unit(province, kind="district")
    communes = [make_unit(district) for _ in range(5)]
    contest = make_entries_contest(preliminary_quota=2)
    entries = [make_entry(contest, c).id for c in communes]
    manager = make_user(district, role="unit_manager").login
    db.session.rollback()
    session = logged_in(server.base, manager)
    calls = []
    for entry_id in entries:
        url = f"{server.base}/judging/entries/{entry_id}/pick"
        for _ in range(3):
            other = tab(session)
            calls.append(lambda s=other, u=url: s.post(u, allow_redirects=False, timeout=60))
    responses = fire_together(calls)
    assert {r.status_code for r in responses} == {302}, [r.text[:200] for r in responses]
    db.session.rollback()
    picked = db.session.execute(
        db.select(Entry.selection_slot).where(Entry.selected_by_unit_id == district.id)
    ).scalars()
    assert sorted(picked) == [1, 2]
