"""Practice in a real browser: a 360 px phone, the keyboard, the countdown."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_accessible
from tests.practice.helpers import TOPICS, build_bank

pytestmark = pytest.mark.browser


@pytest.fixture
def contestant(make_unit, make_user, end_reads):
    build_bank("Ngân hàng thi thử")
    build_bank("Ngân hàng Công dân số", count=6, topics=("Công dân số", "Thanh toán số"))
    login = make_user(make_unit(), full_name="Trần Thị Mai").login
    end_reads()
    return login


def page_width(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth")


def test_timed_practice_on_a_phone_by_keyboard_submits_itself_at_zero(
    phone_page,
    live_server,
    contestant,
    log_in,
    artifacts,
):
    tab = phone_page
    tab.clock.install()
    log_in(tab, live_server, contestant)
    tab.get_by_role("link", name="Thi thử").click()
    expect(tab.get_by_role("heading", name="Thi thử")).to_be_visible()
    assert page_width(tab) <= 360
    assert_accessible(tab)
    tab.get_by_label("5 câu").check()
    tab.get_by_label("Tính giờ: 1 phút cho mỗi câu, hết giờ tự động nộp bài").check()
    tab.get_by_role("button", name="Bắt đầu thi thử").click()

    expect(tab.get_by_role("heading", name="Bài thi thử")).to_be_visible()
    expect(tab.get_by_role("timer")).to_have_text("5:00")
    assert page_width(tab) <= 360
    assert_accessible(tab)
    tab.screenshot(path=artifacts / "practice-quiz-360.png", full_page=True)

    # Keyboard only: into the first question's choices, Space picks, an arrow moves on.
    first = tab.get_by_role("group").first
    first.get_by_role("radio").first.focus()
    tab.keyboard.press("Space")
    tab.keyboard.press("ArrowDown")
    expect(first.get_by_role("radio").nth(1)).to_be_checked()

    tab.clock.fast_forward("05:01")
    expect(tab.get_by_role("heading", name="Kết quả thi thử")).to_be_visible()
    expect(tab.get_by_text("Bài thi thử không được tính vào kết quả hội thi.")).to_be_visible()
    expect(tab.locator(".lead strong")).to_have_text(re.compile(r"^[01] / 5$"))
    assert page_width(tab) <= 360
    assert_accessible(tab)
    tab.screenshot(path=artifacts / "practice-result-360.png", full_page=True)


def test_topics_follow_the_chosen_bank_and_submit_asks_about_unanswered(
    page,
    live_server,
    contestant,
    log_in,
):
    log_in(page, live_server, contestant)
    page.goto(f"{live_server}/practice")
    topic = page.get_by_label("Chủ đề (không bắt buộc)")
    bank = page.get_by_label("Ngân hàng câu hỏi")
    own_topics = ["Tất cả chủ đề", "Công dân số (3 câu hỏi)", "Thanh toán số (3 câu hỏi)"]
    expect(topic.locator("option")).to_have_text(own_topics)  # banks come by name
    bank.select_option(label="Ngân hàng thi thử (25 câu hỏi)")
    expect(topic.locator("option")).to_have_text(
        ["Tất cả chủ đề", *(re.compile(f"^{t} ") for t in sorted(TOPICS))]
    )
    bank.select_option(label="Ngân hàng Công dân số (6 câu hỏi)")
    expect(topic.locator("option")).to_have_text(own_topics)
    topic.select_option("Thanh toán số")
    page.get_by_role("button", name="Bắt đầu thi thử").click()
    expect(page.get_by_role("group")).to_have_count(3)
    expect(page.get_by_role("timer")).to_have_count(0)

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả thi thử")).to_be_visible()
    assert dialogs == ["Bạn còn 3 câu chưa trả lời. Vẫn nộp bài?"]
    expect(page.get_by_text("Chưa trả lời", exact=True)).to_have_count(3)
