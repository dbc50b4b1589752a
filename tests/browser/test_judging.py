"""Judged contests in a real browser: a judge scores an entry on a 360 px phone; the pages
of entries contests fit the phone and are axe-clean."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import ScoreSheet
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_csp import LISTEN
from tests.factories import make_entries_contest, make_entry, make_judge, make_sheet, now

pytestmark = pytest.mark.browser


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def contest(make_unit, make_user, end_reads):
    province = make_unit(name="Tỉnh Quảng Ngãi", code="QNG")
    department = make_unit(province, name="Sở Khoa học và Công nghệ", kind="department")
    communes = [make_unit(province, name=f"Xã Bình Sơn {i}") for i in range(2)]
    contest = make_entries_contest(
        criteria=(("Nội dung", 40), ("Nghệ thuật", 30), ("Kỹ thuật", 20), ("Sáng tạo", 10)),
        voting_opens_at=now() - timedelta(days=1),
        voting_closes_at=now() + timedelta(days=13),
        votes_public=True,
    )
    entries = [
        make_entry(
            contest,
            c,
            title=f"Tổ công nghệ số cộng đồng chung tay chuyển đổi số {i}",
            video_url=f"https://video.example.org/clip-rat-dai-khong-xuong-dong-{i}-" + "x" * 60,
        )
        for i, c in enumerate(communes)
    ]
    judge = make_judge(department, assign_to=contest)
    other = make_judge(department, assign_to=contest)
    make_sheet(contest, other, entries[1], [30, 20, 15, 5])
    people = {
        "judge": judge.login,
        "admin": make_user(province, role="admin").login,
        "manager": make_user(communes[0], role="unit_manager").login,
        "contestant": make_user(communes[1]).login,
    }
    end_reads()
    return contest, entries, people


def test_a_judge_scores_an_entry_on_a_360px_phone(
    phone_page, live_server, contest, log_in, artifacts
):
    page = phone_page
    page.add_init_script(LISTEN)  # the sheet's script runs under the site's policy
    contest_, entries, people = contest
    log_in(page, live_server, people["judge"])
    page.get_by_role("link", name="Chấm thi").click()
    expect(page.get_by_role("heading", name="Chấm thi", level=1)).to_be_visible()
    assert page_width(page) <= 360
    assert_accessible(page)
    page.get_by_role("link", name=entries[0].title).click()
    expect(page.get_by_role("heading", name="Phiếu chấm điểm")).to_be_visible()
    assert page_width(page) <= 360
    assert_accessible(page)
    # A score above the maximum is refused with the reason next to the field.
    page.get_by_label("Nội dung").fill("45")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Điểm phải từ 0 đến 40.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nội dung").fill("35,5")
    page.get_by_label("Nghệ thuật").fill("25")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp phiếu chấm.")).to_be_visible()
    page.get_by_label("Kỹ thuật").fill("18")
    page.get_by_label("Sáng tạo").fill("9")
    page.get_by_label("Nhận xét").fill("Ý tưởng hay, quay phim tốt.")
    # The running total follows what is typed (the server checks each score on save).
    expect(page.locator("[data-sheet-total]")).to_have_text("87,5")
    page.screenshot(path=artifacts / "judging-sheet-360.png", full_page=True)
    page.get_by_role("button", name="Nộp phiếu").click()
    expect(page.get_by_text("Đã nộp: 87,5 điểm")).to_be_visible()
    assert page_width(page) <= 360
    db.session.rollback()
    sheet = db.session.execute(
        db.select(ScoreSheet).where(ScoreSheet.entry_id == entries[0].id)
    ).scalar_one()
    assert sheet.status == "submitted"
    assert sorted(s.half_points for s in sheet.scores) == [18, 36, 50, 71]
    assert page.evaluate("window.__csp || []") == []


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/contests/{slug}", None),
        ("/contests/{slug}", "contestant"),
        ("/judging/{slug}/mine", "manager"),
        ("/judging/{slug}/admin", "admin"),
        ("/judging/{slug}/admin/entries", "admin"),
        ("/judging/{slug}/admin/jury", "admin"),
        ("/judging/{slug}/admin/standings", "admin"),
    ],
)
def test_entries_contest_pages_fit_a_phone_and_are_accessible(
    phone_page, live_server, contest, log_in, path, role
):
    contest_, _, people = contest
    if role:
        log_in(phone_page, live_server, people[role])
    response = phone_page.goto(live_server + path.format(slug=contest_.slug))
    assert response.status == 200
    assert page_width(phone_page) <= 360, path
    assert_accessible(phone_page)
