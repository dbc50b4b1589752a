"""A contestant takes a round in a real browser: answers, reloads, submits, sees the result."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import Attempt
from tests.browser.test_accessibility import assert_accessible
from tests.factories import make_bank, make_round, now

pytestmark = pytest.mark.browser


@pytest.fixture
def contest(make_unit, make_user, end_reads):
    user = make_user(make_unit(), full_name="Lê Văn Tám")
    round_ = make_round(
        make_bank(), question_count=5, prediction="perfect", review_policy="after_submit"
    )
    info = {"login": user.login, "slug": round_.contest.slug}
    end_reads()
    return info


def choose(page, position: int, right: bool):
    """Pick the right (or a wrong) choice of a question, as a person clicks a label."""
    section = page.locator(f"#q-{position}")
    label = section.locator("label", has_text="Đúng" if right else "Sai").first
    label.click()


def test_take_reload_and_submit_keeps_every_answer(page, live_server, contest, log_in):
    log_in(page, live_server, contest["login"])
    page.goto(f"{live_server}/contests/{contest['slug']}")
    page.get_by_role("button", name="Bắt đầu thi").click()
    expect(page.locator(".start-facts")).to_contain_text("Bạn chỉ được thi một lần.")
    page.get_by_role("button", name="Bắt đầu tính giờ").click()
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"^00:(09|10):\d\d$"))
    choose(page, 1, right=True)
    choose(page, 2, right=True)
    choose(page, 3, right=False)
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    expect(page.locator("[data-progress]")).to_have_text("Đã trả lời 3/5")
    page.get_by_label(re.compile("Câu hỏi dự đoán")).fill("42")
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    before = page.locator("[data-timer]").inner_text()

    page.reload()
    for position in (1, 2, 3):
        expect(page.locator(f"#q-{position} input:checked")).to_have_count(1)
    expect(page.locator("#q-4 input:checked")).to_have_count(0)
    expect(page.get_by_label(re.compile("Câu hỏi dự đoán"))).to_have_value("42")
    expect(page.locator(".qmap a.answered")).to_have_count(3)
    after = page.locator("[data-timer]").inner_text()
    assert after <= before  # the clock kept running on the server

    page.get_by_role("button", name="Nộp bài", exact=True).first.click()
    dialog = page.locator("dialog[data-confirm]")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Còn 2 câu chưa trả lời: 4, 5.")
    dialog.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible()
    expect(page.locator("dl.result")).to_contain_text("2/5")
    page.get_by_role("link", name="Xem lại đáp án").click()
    expect(page.locator(".review li.correct")).to_have_count(5)
    db.session.rollback()
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    assert (attempt.status, attempt.correct_count, attempt.prediction) == ("submitted", 2, 42)


def test_quiz_on_a_phone_shows_one_question_at_a_time_and_passes_axe(
    phone_page, live_server, contest, log_in, artifacts
):
    page = phone_page
    log_in(page, live_server, contest["login"])
    page.goto(f"{live_server}/contests/{contest['slug']}")
    assert_accessible(page)
    page.get_by_role("button", name="Bắt đầu thi").click()
    assert_accessible(page)
    page.get_by_role("button", name="Bắt đầu tính giờ").click()
    expect(page.locator("#q-1")).to_be_visible()
    expect(page.locator("#q-2")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "quiz-360.png"), full_page=True)
    assert_accessible(page)
    choose(page, 1, right=True)
    page.locator("#q-1").get_by_role("link", name="Câu sau").click()
    expect(page.locator("#q-2")).to_be_visible()
    expect(page.locator("#q-1")).to_be_hidden()
    page.locator(".qmap").get_by_role("link", name="Câu 5").click()
    expect(page.locator("#q-5")).to_be_visible()


def test_keyboard_alone_answers_and_submits(page, live_server, contest, log_in):
    log_in(page, live_server, contest["login"])
    page.goto(f"{live_server}/contests/{contest['slug']}")
    page.get_by_role("button", name="Bắt đầu thi").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Bắt đầu tính giờ").focus()
    page.keyboard.press("Enter")
    first = page.locator("#q-1 input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    page.get_by_role("button", name="Nộp bài", exact=True).first.focus()
    page.keyboard.press("Enter")
    page.locator("dialog [data-confirm-yes]").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible()


def test_submit_dialog_warns_about_an_empty_prediction(page, live_server, contest, log_in):
    log_in(page, live_server, contest["login"])
    page.goto(f"{live_server}/contests/{contest['slug']}")
    page.get_by_role("button", name="Bắt đầu thi").click()
    page.get_by_role("button", name="Bắt đầu tính giờ").click()
    choose(page, 1, right=True)
    page.get_by_role("button", name="Nộp bài", exact=True).first.click()
    dialog = page.locator("dialog[data-confirm]")
    warning = dialog.locator("[data-confirm-prediction]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Bạn chưa trả lời câu hỏi dự đoán")
    dialog.get_by_role("button", name="Nhập dự đoán").click()
    expect(dialog).to_be_hidden()
    prediction = page.get_by_label(re.compile("Câu hỏi dự đoán"))
    expect(prediction).to_be_focused()
    prediction.fill("7")
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    page.get_by_role("button", name="Nộp bài", exact=True).first.click()
    expect(dialog).to_be_visible()
    expect(warning).to_be_hidden()


def test_page_that_submits_itself_at_time_up_says_so_on_the_result(
    page, live_server, make_unit, make_user, log_in, end_reads
):
    user = make_user(make_unit())
    login = user.login
    end_reads()
    log_in(page, live_server, login)
    # The round closes in a few seconds: the attempt's clock runs out with it.
    round_ = make_round(make_bank(), question_count=2, closes_at=now() + timedelta(seconds=6))
    slug = round_.contest.slug
    end_reads()
    page.goto(f"{live_server}/contests/{slug}")
    page.get_by_role("button", name="Bắt đầu thi").click()
    page.get_by_role("button", name="Bắt đầu tính giờ").click()
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible(timeout=20000)
    expect(page.locator(".notice")).to_contain_text("tự động nộp khi hết giờ")
    db.session.rollback()
    assert db.session.execute(db.select(Attempt.status)).scalar_one() == "submitted"


HEADING_BELOW_BAR = """(position) => {
    const bar = document.querySelector('.quiz-bar').getBoundingClientRect();
    const heading = document.querySelector('#q-' + position + ' .qnum').getBoundingClientRect();
    return {heading: heading.top, bar: bar.bottom, height: window.innerHeight};
}"""


def assert_heading_in_view(page, position: int):
    at = page.evaluate(HEADING_BELOW_BAR, position)
    assert at["bar"] <= at["heading"] < at["height"], at


@pytest.fixture
def long_questions(make_unit, make_user, end_reads):
    from quiz.models import Question

    user = make_user(make_unit())
    round_ = make_round(make_bank(), question_count=5)
    long_text = " ".join(["Theo quy định hiện hành về chuyển đổi số và cải cách hành chính,"] * 25)
    for question in db.session.execute(db.select(Question)).scalars():
        question.text = long_text + f" (câu {question.id})?"
    db.session.commit()
    info = {"login": user.login, "slug": round_.contest.slug}
    end_reads()
    return info


def test_on_a_phone_every_move_keeps_the_question_heading_below_the_timer_bar(
    phone_page, live_server, long_questions, log_in
):
    page = phone_page
    log_in(page, live_server, long_questions["login"])
    page.goto(f"{live_server}/contests/{long_questions['slug']}")
    page.get_by_role("button", name="Bắt đầu thi").click()
    page.get_by_role("button", name="Bắt đầu tính giờ").click()
    page.locator("#q-1").get_by_role("link", name="Câu sau").tap()
    expect(page.locator("#q-2")).to_be_visible()
    assert_heading_in_view(page, 2)
    expect(page.locator("#q-2 input[type=radio]").first).to_be_focused()
    page.locator(".qmap").get_by_role("link", name="Câu 5").tap()
    expect(page.locator("#q-5")).to_be_visible()
    assert_heading_in_view(page, 5)
    # By keyboard: the same move from the question's own "Câu trước" link.
    page.locator("#q-5").get_by_role("link", name="Câu trước").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q-4")).to_be_visible()
    assert_heading_in_view(page, 4)
    expect(page.locator("#q-4 input[type=radio]").first).to_be_focused()


def test_current_question_marker_is_not_the_focus_ring(phone_page, live_server, contest, log_in):
    page = phone_page
    log_in(page, live_server, contest["login"])
    page.goto(f"{live_server}/contests/{contest['slug']}")
    page.get_by_role("button", name="Bắt đầu thi").click()
    page.get_by_role("button", name="Bắt đầu tính giờ").click()
    current = page.locator(".qmap a[aria-current]")
    expect(current).to_have_text("1")
    page.locator("#q-1 input[type=radio]").first.focus()  # focus elsewhere
    style = current.evaluate(
        """(a) => {
            const s = getComputedStyle(a), bar = getComputedStyle(a, '::after');
            return {outline: s.outlineStyle, bar: bar.content, barColor: bar.backgroundColor};
        }"""
    )
    # No outline (that is the focus ring's look): a bar under the square instead.
    assert style["outline"] == "none" and style["bar"] != "none", style
    other = page.locator(".qmap").get_by_role("link", name="Câu 2")
    other.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    ring = other.evaluate("(a) => getComputedStyle(a).outlineStyle")
    assert ring == "solid"
