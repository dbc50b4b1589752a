"""Submissions faster than a plausible minimum are flagged, not silently ranked."""

from datetime import timedelta

import pytest

from quiz.attempts import services as attempts
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import Attempt, AuditLog
from quiz.results import prizes, publication, ranking
from tests.factories import now


def take(user, round_, *, seconds: float, right: int):
    """Start, answer `right` questions right (the rest wrong), submit after `seconds`."""
    t0 = now()
    attempt, _ = attempts.start(user, round_.id, t0)
    for n, aq in enumerate(attempt.questions):
        good = aq.question.correct_position
        wanted = good if n < right else (good % len(aq.question.choices)) + 1
        aq.selected_choice_id = next(c.id for c in aq.question.choices if c.position == wanted)
    db.session.commit()
    return attempts.submit(user, attempt.id, t0 + timedelta(seconds=seconds))


@pytest.fixture
def raced(round_, unit, make_user):
    round_.min_seconds_per_question = 2  # 10 questions: 20 s at least
    round_.prize_counts = {"staff": {"first": 1}}
    db.session.commit()
    fast = take(make_user(unit, full_name="Người Nhanh"), round_, seconds=3, right=10)
    slow = take(make_user(unit, full_name="Người Thường"), round_, seconds=90, right=6)
    empty = take(make_user(unit, full_name="Người Bỏ Trống"), round_, seconds=1, right=0)
    return {"round": round_, "fast": fast, "slow": slow, "empty": empty}


def test_a_too_fast_submission_is_flagged_and_wins_no_prize_until_cleared(raced):
    round_, fast, slow = raced["round"], raced["fast"], raced["slow"]
    assert (fast.flag, fast.flag_state) == ("too_fast", "pending")
    assert slow.flag is None and raced["empty"].flag is None  # nothing to win: no noise
    ranked = prizes.with_prizes(round_, "staff", ranking.ranking(round_, "staff"))
    # Still ranked and visible to admins, marked; the prize goes to the next person.
    assert [(e.full_name, e.flag_state, e.prize) for e in ranked[:2]] == [
        ("Người Nhanh", "pending", None),
        ("Người Thường", None, "first"),
    ]
    with pytest.raises(DomainError) as refused:
        publication.publish(round_, actor=None, now=now())
    assert refused.value.code == "flags_pending"
    db.session.rollback()


def test_organizer_clears_or_confirms_a_flag_on_the_results_page(raced, admin, client_for):
    round_, fast = raced["round"], raced["fast"]
    c = client_for(admin)
    page = c.get(f"/admin/rounds/{round_.id}/results").text
    assert "Người Nhanh" in page and "chờ xem xét" in page
    response = c.post(f"/admin/rounds/{round_.id}/flags/{fast.id}", data={"clear": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, fast.id).flag_state == "cleared"
    [log] = db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "attempt.flag_cleared")
    ).scalars()
    assert log.actor_id == admin.id and log.target_id == str(fast.id)
    ranked = prizes.with_prizes(round_, "staff", ranking.ranking(round_, "staff"))
    assert (ranked[0].full_name, ranked[0].prize) == ("Người Nhanh", "first")
    assert publication.publish(round_, actor=None, now=now()) == 3


def test_a_confirmed_flag_takes_the_attempt_out_of_the_ranking(raced, admin, client_for):
    round_, fast = raced["round"], raced["fast"]
    c = client_for(admin)
    assert (
        c.post(f"/admin/rounds/{round_.id}/flags/{fast.id}", data={"confirm": "1"}).status_code
        == 302
    )
    db.session.expire_all()
    names = [e.full_name for e in ranking.ranking(round_, "staff")]
    assert "Người Nhanh" not in names and names[0] == "Người Thường"
    assert db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "attempt.flag_confirmed")
    ).first()
    # Another round's attempt, or an unflagged one, is not this page's to decide.
    assert (
        c.post(
            f"/admin/rounds/{round_.id}/flags/{raced['slow'].id}", data={"clear": "1"}
        ).status_code
        == 404
    )


def test_the_site_default_applies_when_the_round_sets_no_minimum(app, round_, unit, make_user):
    app.config["MIN_SECONDS_PER_QUESTION"] = 2
    quick = take(make_user(unit), round_, seconds=5, right=3)
    assert quick.flag_state == "pending"
    app.config["MIN_SECONDS_PER_QUESTION"] = 0
    assert take(make_user(unit), round_, seconds=5, right=3).flag is None
