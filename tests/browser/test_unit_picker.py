"""Choosing one's unit among thousands: the server searches, the page lists a few."""

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import User
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_accounts import (
    NEW_PASSWORD,
    SEARCH_LABEL,
    UNIT_LABEL,
    chosen_unit,
    fill_person,
    greeting,
    page_width,
    unit_box,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def provinces(make_unit, end_reads):
    """Two provinces, each with a "Xã Bình Sơn" and neighbours; returns {label: id}."""
    ids = {}
    for province_name in ("Tỉnh Quảng Ngãi", "Tỉnh Bình Định"):
        province = make_unit(name=province_name, kind="province")
        ids[province_name] = province.id
        for name in ("Xã Bình Sơn", "Xã Bình Minh", "Phường Cẩm Thành", "Sở Nội vụ"):
            ids[f"{province_name} › {name}"] = make_unit(province, name=name, kind="commune").id
    end_reads()
    return ids


def options(page):
    return page.get_by_role("listbox", name="Đơn vị phù hợp").get_by_role("option")


def test_register_by_typing_without_accents_and_choosing_with_the_keyboard(
    page, live_server, provinces, end_reads
):
    page.goto(f"{live_server}/auth/register")
    fill_person(page, full_name="Lê Văn Hùng", email="hung.lv@example.vn", group="Nhân dân")
    box = unit_box(page)
    box.focus()
    page.keyboard.type("binh son")
    # Both communes of that name, told apart by their province.
    expect(options(page)).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text("Có 2 đơn vị phù hợp.")).to_be_visible()
    expect(options(page).filter(has_text="Tỉnh Bình Định")).to_have_count(1)
    wanted = options(page).filter(has_text="Tỉnh Quảng Ngãi")
    index = 0 if "Quảng Ngãi" in options(page).nth(0).inner_text() else 1

    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    expect(wanted).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", wanted.get_attribute("id"))
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()

    # Down reopens the same list; up from the top wraps around to the last match.
    page.keyboard.press("ArrowDown")
    expect(options(page).nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(options(page).nth(1)).to_have_attribute("aria-selected", "true")
    if index == 0:
        page.keyboard.press("ArrowDown")
    expect(wanted).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")  # chooses; does not submit the form
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(page).to_have_url(f"{live_server}/auth/register")
    expect(box).to_have_value("Xã Bình Sơn")
    expect(page.get_by_text("Đã chọn: Tỉnh Quảng Ngãi › Xã Bình Sơn.")).to_be_attached()
    expect(chosen_unit(page)).to_have_text("Tỉnh Quảng Ngãi › Xã Bình Sơn")
    expect(page.get_by_label(UNIT_LABEL)).to_have_value(
        str(provinces["Tỉnh Quảng Ngãi › Xã Bình Sơn"])
    )

    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(greeting(page, "Lê Văn Hùng")).to_be_visible()
    end_reads()
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.unit_id == provinces["Tỉnh Quảng Ngãi › Xã Bình Sơn"]


def test_no_match_and_a_code_are_announced(page, live_server, provinces, make_unit, end_reads):
    unit = make_unit(name="Ban Quản lý dự án", code="BQLDA-77")
    end_reads()
    page.goto(f"{live_server}/auth/register")
    box = unit_box(page)
    box.press_sequentially("khong co dau")
    expect(page.get_by_text("Không tìm thấy đơn vị nào phù hợp.")).to_be_visible()
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.fill("")
    box.press_sequentially("bqlda-77")
    expect(options(page)).to_have_count(1)
    options(page).first.click()
    expect(page.get_by_label(UNIT_LABEL)).to_have_value(str(unit.id))
    expect(box).to_be_focused()


def test_a_submit_without_choosing_keeps_what_was_typed_and_says_why(page, live_server, provinces):
    page.goto(f"{live_server}/auth/register")
    fill_person(page, full_name="Lê Văn Hùng", email="hung.lv@example.vn", group="Nhân dân")
    unit_box(page).press_sequentially("binh son")
    expect(options(page)).to_have_count(2)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng chọn đơn vị công tác")
    box = unit_box(page)
    expect(box).to_have_value("binh son")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(chosen_unit(page)).to_have_text("Chưa chọn đơn vị.")
    # The error summary's link leads to the search box, not to the hidden select.
    page.get_by_role("alert").get_by_role("link", name="Đơn vị công tác").click()
    expect(box).to_be_focused()


def test_profile_changes_unit_through_the_search_on_a_phone(
    phone_page, live_server, provinces, make_user, make_unit, end_reads, log_in
):
    page = phone_page
    person = make_user(make_unit(name="Đơn vị cũ"), full_name="Phạm Thu Hà")
    login, person_id = person.login, person.id
    end_reads()
    log_in(page, live_server, login)
    page.goto(f"{live_server}/auth/profile")
    expect(chosen_unit(page)).to_have_text("Đơn vị cũ")
    box = unit_box(page)
    box.press_sequentially("so noi vu binh dinh")
    expect(options(page)).to_have_count(0)  # the path is not part of the name
    box.fill("")
    box.press_sequentially("so noi vu")
    expect(options(page)).to_have_count(2)
    assert page_width(page) <= 360
    options(page).filter(has_text="Tỉnh Bình Định").click()
    page.get_by_role("button", name="Lưu thông tin").click()
    expect(page.get_by_text("Đã lưu thông tin cá nhân.")).to_be_visible()
    expect(chosen_unit(page)).to_have_text("Tỉnh Bình Định › Sở Nội vụ")
    end_reads()
    unit_id = db.session.scalar(db.select(User.unit_id).where(User.id == person_id))
    assert unit_id == provinces["Tỉnh Bình Định › Sở Nội vụ"]


def test_without_javascript_the_search_button_lists_the_matches(
    browser, live_server, provinces, end_reads
):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/auth/register")
        select = page.get_by_label(UNIT_LABEL)
        expect(select.locator("option")).to_have_count(1)  # only "— Chọn đơn vị —"
        fill_person(page, full_name="Lê Văn Hùng", email="hung.lv@example.vn", group="Nhân dân")
        page.get_by_label(SEARCH_LABEL).fill("binh son")
        page.get_by_role("button", name="Tìm đơn vị").click()
        expect(page.get_by_text("Có 2 đơn vị phù hợp")).to_be_visible()
        expect(page.get_by_label(SEARCH_LABEL)).to_have_value("binh son")
        expect(page.get_by_label("Họ và tên")).to_have_value("Lê Văn Hùng")
        select.select_option(label="Tỉnh Quảng Ngãi › Xã Bình Sơn")
        # The passwords are never sent back to the page: typed again.
        page.get_by_label("Mật khẩu (ít nhất 8 ký tự)").fill(NEW_PASSWORD)
        page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Đăng ký", exact=True).click()
        expect(greeting(page, "Lê Văn Hùng")).to_be_visible()
    finally:
        context.close()
    end_reads()
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.unit_id == provinces["Tỉnh Quảng Ngãi › Xã Bình Sơn"]


def test_open_list_has_no_serious_accessibility_violations(phone_page, live_server, provinces):
    page = phone_page
    page.goto(f"{live_server}/auth/register")
    box = unit_box(page)
    box.press_sequentially("xa binh")
    expect(options(page)).to_have_count(4)
    box.press("ArrowDown")
    expect(options(page).nth(0)).to_have_attribute("aria-selected", "true")
    assert page_width(page) <= 360
    assert_accessible(page)
