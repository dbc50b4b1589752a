"""The admin results page reads the round's attempts once per change, not on every visit."""

from quiz.extensions import db
from quiz.models import Attempt, FlagState
from quiz.results import flags
from tests.admin.test_contests import statements_of
from tests.factories import now

from .conftest import add_attempt


def test_results_page_reads_attempts_once_per_change(
    client_for, admin, round_, unit, make_user, web_app
):
    client = client_for(admin)
    url = f"/admin/rounds/{round_.id}/results"
    add_attempt(round_, make_user(unit, full_name="Người Thứ Nhất"), correct=5)
    assert "Người Thứ Nhất" in client.get(url).text
    with statements_of(web_app) as again:
        assert "Người Thứ Nhất" in client.get(url).text
    assert not any("attempt_question" in s for s in again), again
    # A new finalized attempt moves the round's version: the next visit shows it.
    add_attempt(round_, make_user(unit, full_name="Người Thứ Hai"), correct=7)
    with statements_of(web_app) as after_change:
        assert "Người Thứ Hai" in client.get(url).text
    assert any("attempt_question" in s for s in after_change)


def test_a_flag_decision_shows_at_once(client_for, admin, round_, unit, make_user):
    client = client_for(admin)
    url = f"/admin/rounds/{round_.id}/results"
    fast = add_attempt(round_, make_user(unit, full_name="Người Nộp Nhanh"), correct=9)
    fast.flag, fast.flag_state = "too_fast", FlagState.PENDING.value
    db.session.commit()
    client.get(url)  # cached with the flag pending
    flags.decide(round_, fast.id, FlagState.CONFIRMED.value, actor=admin, now=now())
    page = client.get(url).text
    ranking = page.split('id="flagged"')[0]
    assert "Người Nộp Nhanh" not in ranking.split("Bảng xếp hạng", 1)[-1]
    assert db.session.get(Attempt, fast.id).flag_state == FlagState.CONFIRMED.value
