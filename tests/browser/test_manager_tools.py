"""The unit manager's new pages on a 360 px phone: axe-clean, no sideways scrolling, and a
password reset done as a manager would do it."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from quiz.attempts import services as attempts
from tests.browser.test_accessibility import assert_accessible
from tests.factories import make_bank, make_round, now


@pytest.fixture
def site(make_unit, make_user, end_reads):
    province = make_unit(name="Tỉnh Quảng Ngãi", code="QNG")
    commune = make_unit(parent=province, name="Xã Bình Sơn", kind="commune")
    start = now() - timedelta(days=3)
    round_ = make_round(make_bank(), opens_at=start - timedelta(hours=1), title="Tuần 1")
    for n in range(6):
        person = make_user(commune, full_name=f"Người Đã Thi {n}")
        when = start + timedelta(days=n % 3)
        attempt, _ = attempts.start(person, round_.id, when)
        attempts.submit(person, attempt.id, when + timedelta(minutes=2))
    stranger = make_user(
        commune,
        full_name="Võ Thị Mỹ Duyên",
        email=None,
        phone="+84912000101",
        position="Công chức Văn phòng - Thống kê",
    )
    manager = make_user(province, role="unit_manager")
    end_reads()
    return {"manager": manager.login, "round": round_.id, "stranger": stranger}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize(
    "path",
    ["/manager/never-logged-in", "/manager/never-logged-in/print", "/manager/trend"],
)
def test_manager_pages_fit_a_phone_and_pass_axe(phone_page, live_server, log_in, site, path):
    log_in(phone_page, live_server, site["manager"])
    response = phone_page.goto(f"{live_server}{path}")
    assert response.status == 200
    assert page_width(phone_page) <= 360
    assert_accessible(phone_page)


def test_forgot_password_page_passes_axe(phone_page, live_server, site):
    response = phone_page.goto(f"{live_server}/auth/forgot")
    assert response.status == 200
    assert page_width(phone_page) <= 360
    assert_accessible(phone_page)


def test_manager_resets_a_password_from_the_list(phone_page, live_server, log_in, site):
    log_in(phone_page, live_server, site["manager"])
    phone_page.goto(f"{live_server}/manager/never-logged-in")
    expect(phone_page.get_by_text("0912 000 101")).to_be_visible()
    phone_page.get_by_role("link", name="Cấp lại mật khẩu — Võ Thị Mỹ Duyên").click()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Cấp lại mật khẩu").click()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Võ Thị Mỹ Duyên")
    password = phone_page.locator(".password-once").inner_text().strip()
    assert len(password) == 12
    assert page_width(phone_page) <= 360
    assert_accessible(phone_page)
