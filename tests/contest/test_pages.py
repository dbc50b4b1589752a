"""Public contest pages, the no-JavaScript quiz, results and the review policy."""

from datetime import timedelta

import pytest

from quiz.extensions import db
from quiz.models import Attempt, Contest
from tests.factories import make_bank, make_round, now


@pytest.fixture
def person(make_unit, make_user, login):
    user = make_user(make_unit())
    login(user)
    return user


def test_rules_are_markdown_without_raw_html(client, app):
    round_ = make_round(make_bank())
    contest = db.session.get(Contest, round_.contest_id)
    contest.rules = (
        "## Thể lệ\n\n**Một lần** thi.<script>alert(1)</script> [x](javascript:alert(1))"
    )
    db.session.commit()
    page = client.get(f"/contests/{contest.slug}").text
    assert "<h2>Thể lệ</h2>" in page and "<strong>Một lần</strong>" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_home_and_contest_page_show_round_states(client, app):
    bank = make_bank()
    open_round = make_round(bank, title="Đợt đang mở")
    contest = db.session.get(Contest, open_round.contest_id)
    make_round(
        bank,
        contest=contest,
        title="Đợt sắp mở",
        opens_at=now() + timedelta(days=2),
        closes_at=now() + timedelta(days=3),
    )
    home = client.get("/").text
    assert contest.title in home and "Đang mở" in home and "Sắp mở" in home
    page = client.get(f"/contests/{contest.slug}").text
    assert "Đăng nhập để dự thi" in page and "data-countdown" in page
    assert client.get("/contests/khong-co").status_code == 404


def test_start_button_then_quiz_without_javascript(client, person):
    round_ = make_round(make_bank(), question_count=3)
    response = client.post(f"/rounds/{round_.id}/start")
    assert response.status_code == 302
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    page = client.get(f"/attempts/{attempt.id}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    # Post the form as a browser without JavaScript would: every answer at once.
    form = {}
    for aq in attempt.questions:
        right = next(c for c in aq.question.choices if c.position == aq.question.correct_position)
        from quiz.attempts.services import choice_token

        form[f"q{aq.position}"] = choice_token(attempt.id, right.id)
    done = client.post(f"/attempts/{attempt.id}/submit", data=form)
    assert done.headers["Location"] == f"/attempts/{attempt.id}/result"
    result = client.get(done.headers["Location"]).text
    assert "3/3" in result
    assert client.get(f"/attempts/{attempt.id}").headers["Location"].endswith("/result")


def test_start_button_asks_first_with_the_attempts_and_the_time_limit(client, person):
    round_ = make_round(make_bank(), question_count=3, time_limit_seconds=900, attempts_allowed=1)
    contest = db.session.get(Contest, round_.contest_id)
    page = client.get(f"/contests/{contest.slug}").text
    form = page[page.index("<form", page.index("/start") - 200) : page.index("Bắt đầu thi")]
    assert 'method="get"' in form and f'action="/rounds/{round_.id}/start"' in form
    confirm = client.get(f"/rounds/{round_.id}/start")
    assert confirm.status_code == 200
    assert "3 câu hỏi, 15 phút làm bài." in confirm.text
    assert "Bạn chỉ được thi một lần." in confirm.text
    assert "Bắt đầu tính giờ" in confirm.text
    # Asking starts nothing: the clock starts with the POST.
    assert db.session.execute(db.select(Attempt)).first() is None
    started = client.post(f"/rounds/{round_.id}/start")
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    assert started.headers["Location"] == f"/attempts/{attempt.id}"
    # With an attempt running, the confirmation leads back to it.
    again = client.get(f"/rounds/{round_.id}/start")
    assert again.headers["Location"] == f"/attempts/{attempt.id}"


def test_start_confirmation_names_the_attempt_and_a_close_that_cuts_the_time(client, person):
    round_ = make_round(
        make_bank(),
        question_count=2,
        time_limit_seconds=900,
        attempts_allowed=3,
        closes_at=now() + timedelta(minutes=5),
    )
    client.post(f"/rounds/{round_.id}/start")
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    client.post(f"/api/v1/attempts/{attempt.id}/submit")
    confirm = client.get(f"/rounds/{round_.id}/start").text
    assert "Đây là lần thi thứ 2 trong 3 lần được phép" in confirm
    assert "bạn chỉ có" in confirm


def test_start_confirmation_refuses_like_the_start(client, person):
    bank = make_bank()
    round_ = make_round(bank, allow_staff=False)
    response = client.get(f"/rounds/{round_.id}/start", follow_redirects=True)
    assert "không dành cho đối tượng dự thi của bạn" in response.text
    used = make_round(bank, question_count=2)
    client.post(f"/rounds/{used.id}/start")
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    client.post(f"/api/v1/attempts/{attempt.id}/submit")
    response = client.get(f"/rounds/{used.id}/start", follow_redirects=True)
    assert "Bạn đã dùng hết số lần thi của đợt này." in response.text
    assert "Bắt đầu tính giờ" not in response.text


def test_start_refusals_are_flashed_on_the_contest_page(client, person):
    round_ = make_round(make_bank(), allow_staff=False)
    response = client.post(f"/rounds/{round_.id}/start", follow_redirects=True)
    assert "không dành cho đối tượng dự thi của bạn" in response.text


@pytest.mark.parametrize(
    ("policy", "closed", "allowed"),
    [
        ("after_submit", False, True),
        ("after_close", False, False),
        ("after_close", True, True),
        ("never", True, False),
    ],
)
def test_review_follows_the_round_policy(client, person, policy, closed, allowed):
    round_ = make_round(make_bank(), question_count=2, review_policy=policy)
    client.post(f"/rounds/{round_.id}/start")
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    client.post(f"/api/v1/attempts/{attempt.id}/submit")
    if closed:
        round_ = db.session.get(type(round_), round_.id)
        round_.opens_at = now() - timedelta(days=3)
        round_.closes_at = now() - timedelta(seconds=1)
        db.session.commit()
    review = client.get(f"/attempts/{attempt.id}/review")
    assert review.status_code == (200 if allowed else 403)
    if allowed:
        assert "đáp án đúng" in review.text and "Giải thích" in review.text


def test_review_is_never_shown_for_an_open_attempt(client, person):
    round_ = make_round(make_bank(), review_policy="after_submit")
    client.post(f"/rounds/{round_.id}/start")
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    assert client.get(f"/attempts/{attempt.id}/review").status_code == 403
    assert (
        client.get(f"/attempts/{attempt.id}/result")
        .headers["Location"]
        .endswith(f"/attempts/{attempt.id}")
    )


def test_result_says_when_the_clock_submitted_the_attempt(client, person):
    round_ = make_round(make_bank(), question_count=2, time_limit_seconds=600)
    client.post(f"/rounds/{round_.id}/start")
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    # The page's clock ran out: its fallback form says so.
    attempt.deadline_at = now() - timedelta(seconds=1)
    db.session.commit()
    done = client.post(f"/attempts/{attempt.id}/submit", data={"reason": "time_up"})
    assert done.headers["Location"] == f"/attempts/{attempt.id}/result?reason=time_up"
    notice = "Bài thi được tự động nộp khi hết giờ"
    assert notice in client.get(done.headers["Location"]).text
    assert notice not in client.get(f"/attempts/{attempt.id}/result").text


def test_result_does_not_claim_time_up_for_an_early_submit(client, person):
    round_ = make_round(make_bank(), question_count=2, time_limit_seconds=600)
    client.post(f"/rounds/{round_.id}/start")
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    client.post(f"/api/v1/attempts/{attempt.id}/submit")
    page = client.get(f"/attempts/{attempt.id}/result?reason=time_up").text
    assert "Bài thi được tự động nộp khi hết giờ" not in page
