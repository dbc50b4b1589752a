"""Registering, logging in and out in a real browser: desktop, phone and keyboard only."""

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SEARCH_LABEL = "Tìm đơn vị (gõ tên, có dấu hoặc không dấu)"
UNIT_LABEL = "Đơn vị công tác"
PLACEHOLDER = "— Chọn đơn vị —"
NEW_PASSWORD = "mat-khau-moi-1"


@pytest.fixture
def communes(make_unit, end_reads):
    """A province with two communes; returns {name: id}, read before any request."""
    province = make_unit(name="Tỉnh Quảng Ngãi")
    ids = {
        name: make_unit(parent=province, name=name, kind="commune").id
        for name in ("Xã Bình Sơn", "Phường Cẩm Thành")
    }
    end_reads()
    return ids


def fill_person(page, *, full_name, email, group):
    page.get_by_label("Họ và tên").fill(full_name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Mật khẩu (ít nhất 8 ký tự)").fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("radio", name=group).check()
    page.get_by_label("Tôi đã đọc thông báo xử lý dữ liệu cá nhân").check()


def unit_box(page):
    return page.get_by_role("combobox", name=SEARCH_LABEL)


def chosen_unit(page):
    """The unit chosen so far, as the page shows it under "Đơn vị công tác"."""
    return page.locator("[data-unit-chosen]")


def pick_unit(page, *, query, name, unit_id):
    """Type in the search box key by key, then tap the unit in the list of matches."""
    unit_box(page).press_sequentially(query)
    page.get_by_role("option", name=name).click()
    # The (hidden) select carries the choice to the server.
    expect(page.get_by_label(UNIT_LABEL)).to_have_value(str(unit_id))


def greeting(page, full_name):
    return page.get_by_text(f"Xin chào, {full_name}.")


def logout_button(page):
    return page.get_by_role("banner").get_by_role("button", name="Đăng xuất")


def page_width(page) -> int:
    """The document's scrollable width: wider than the screen means sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth")


def test_register_then_log_out_and_back_in_lands_on_home(page, live_server, communes, end_reads):
    page.goto(f"{live_server}/auth/register")
    fill_person(page, full_name="Trần Thị Mai", email="mai.tt@example.vn", group="Nhân dân")
    # The page lists no unit until something is typed.
    expect(page.get_by_label(UNIT_LABEL).locator("option")).to_have_text([PLACEHOLDER])
    # Typed without accents: the server folds both sides, so "binh son" finds "Bình Sơn".
    box = unit_box(page)
    box.press_sequentially("binh son")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Xã Bình Sơn")
    expect(page.get_by_text("Có 1 đơn vị phù hợp.")).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(chosen_unit(page)).to_have_text("Tỉnh Quảng Ngãi › Xã Bình Sơn")
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page).to_have_url(f"{live_server}/")
    expect(greeting(page, "Trần Thị Mai")).to_be_visible()
    expect(page.get_by_text("(Xã Bình Sơn)")).to_be_visible()

    logout_button(page).click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    expect(greeting(page, "Trần Thị Mai")).to_have_count(0)

    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email hoặc số điện thoại").fill("mai.tt@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(f"{live_server}/")
    expect(greeting(page, "Trần Thị Mai")).to_be_visible()
    expect(logout_button(page)).to_be_visible()

    end_reads()
    user = db.session.execute(db.select(User)).scalar_one()
    assert (user.email, user.unit_id, user.participant_group) == (
        "mai.tt@example.vn",
        communes["Xã Bình Sơn"],
        "citizen",
    )


def test_registration_fits_a_360px_phone_without_sideways_scrolling(
    phone_page, live_server, communes, artifacts
):
    page = phone_page
    page.goto(f"{live_server}/")
    assert page_width(page) <= 360

    page.goto(f"{live_server}/auth/register")
    fill_person(
        page,
        full_name="Nguyễn Thị Phương Thảo Quỳnh Như",
        email="thao.quynh.nhu.nguyen-thi-phuong@so-noi-vu.quangngai.gov.vn",
        group="Cán bộ, công chức, viên chức, người lao động",
    )
    pick_unit(
        page, query="cam thanh", name="Phường Cẩm Thành", unit_id=communes["Phường Cẩm Thành"]
    )
    assert page_width(page) <= 360
    page.screenshot(path=artifacts / "register-360.png", full_page=True)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(greeting(page, "Nguyễn Thị Phương Thảo Quỳnh Như")).to_be_visible()
    assert page_width(page) <= 360
    page.screenshot(path=artifacts / "home-360.png", full_page=True)

    logout_button(page).click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    page.goto(f"{live_server}/auth/login")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert page_width(page) <= 360
    page.screenshot(path=artifacts / "login-360.png", full_page=True)


def tab_until(page, target, limit=12) -> list[str]:
    """Press Tab until target has focus; return what each stop was, for the failure message."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "() => { const el = document.activeElement;"
                " return el.tagName + ' ' + (el.id || el.textContent.trim()); }"
            )
        )
        if target.evaluate("el => el === document.activeElement"):
            return stops
    raise AssertionError(f"{limit} Tabs never reached the target; stops: {stops}")


def test_keyboard_alone_tabs_from_the_top_to_the_login_form_and_logs_in(
    page, live_server, make_unit, make_user, end_reads
):
    user = make_user(make_unit(), email="an.nv@example.vn")
    full_name = user.full_name
    end_reads()

    page.goto(f"{live_server}/auth/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    login_field = page.get_by_label("Email hoặc số điện thoại")
    stops = tab_until(page, login_field)
    # Site name and the four header links come before the form: no stray stops.
    assert [s.split(" ", 1)[1] for s in stops[1:5]] == [
        "Trang chủ",
        "Hướng dẫn dự thi",
        "Đăng nhập",
        "Đăng ký",
    ]
    assert len(stops) == 6, stops
    page.keyboard.type("an.nv@example.vn")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mật khẩu", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Đăng nhập", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server}/")
    expect(greeting(page, full_name)).to_be_visible()


def test_skip_link_moves_keyboard_focus_past_the_header(page, live_server):
    page.goto(f"{live_server}/auth/login")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email hoặc số điện thoại")).to_be_focused()


def test_duplicate_email_is_refused_without_telling_the_account_exists(
    page, live_server, communes, make_unit, make_user, end_reads
):
    unit_id = communes["Xã Bình Sơn"]
    email = make_user(make_unit(), email="mai.tt@example.vn").email
    end_reads()

    page.goto(f"{live_server}/auth/register")
    fill_person(page, full_name="Trần Thị Mai", email=email.upper(), group="Nhân dân")
    pick_unit(page, query="Bình Sơn", name="Xã Bình Sơn", unit_id=unit_id)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    # One message for a taken email or phone, not tied to either field: the form tells
    # nobody who has an account (Law 91/2025/QH15).
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Không thể tạo tài khoản với thông tin này")
    expect(alert).to_be_focused()
    expect(page.locator("#email-error")).to_have_count(0)
    # What the person typed is kept, except the passwords.
    expect(page.get_by_label("Email", exact=True)).to_have_value(email.upper())
    expect(page.get_by_label("Họ và tên")).to_have_value("Trần Thị Mai")
    expect(page.get_by_label(UNIT_LABEL)).to_have_value(str(unit_id))
    expect(chosen_unit(page)).to_have_text("Tỉnh Quảng Ngãi › Xã Bình Sơn")
    end_reads()
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
