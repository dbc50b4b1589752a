"""On a 360 px phone: the home page shows the latest announcements, and the announcements,
materials, how-to and embed pages fit the screen with nothing serious for axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_accessible
from tests.factories import make_announcement, make_material

pytestmark = pytest.mark.browser


def test_announcements_and_materials_on_a_phone(phone_page, live_server, end_reads):
    page = phone_page
    for i in range(12):
        make_announcement(title=f"Thông báo về đợt thi số {i}")
    make_announcement(title="Lịch thi tuần này", pinned=True)
    make_material(topic="Chuyển đổi số", title="Cổng thông tin Chuyển đổi số quốc gia")
    make_material(topic="Dịch vụ công trực tuyến", title="Cổng Dịch vụ công quốc gia")
    end_reads()

    page.goto(live_server + "/")
    news = page.get_by_role("region", name="Thông báo")
    expect(news.get_by_role("link", name="Lịch thi tuần này")).to_be_visible()
    news.get_by_role("link", name="Tất cả thông báo").click()
    expect(page.get_by_role("heading", level=1, name="Thông báo")).to_be_visible()
    expect(page.get_by_text("Trang 1 / 2")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    page.get_by_role("link", name="Lịch thi tuần này").click()
    expect(page.get_by_role("heading", level=1, name="Lịch thi tuần này")).to_be_visible()

    for path in ("/materials", "/how-to", "/embed"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert_accessible(page)
    page.goto(live_server + "/materials")
    expect(page.get_by_role("heading", name="Dịch vụ công trực tuyến")).to_be_visible()
