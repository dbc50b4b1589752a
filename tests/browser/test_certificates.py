"""On a 360 px phone: the published result page shows the rank and prize, and the
certificate link gives a PDF; the verification page it points to is accessible too."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from quiz.certificates import services
from quiz.extensions import db
from quiz.models import Attempt, Certificate, Contest
from quiz.results import publication
from tests.factories import make_bank, make_round, now
from tests.results.conftest import T0, add_attempt

from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def winner(make_unit, make_user, end_reads):
    province = make_unit(code="QNG", name="Tỉnh Quảng Ngãi", kind="province")
    unit = make_unit(province, code="SO-KHCN", name="Sở Khoa học và Công nghệ", kind="department")
    bank = make_bank()
    contest = Contest(slug="hoi-thi-cds", title="Hội thi tìm hiểu Chuyển đổi số", rules="Thể lệ")
    db.session.add(contest)
    round_ = make_round(
        bank,
        contest,
        title="Tuần thi thứ nhất",
        question_count=10,
        opens_at=T0 - timedelta(days=7),
        closes_at=T0 + timedelta(days=1),
        prize_counts={"staff": {"first": 1}},
    )
    person = make_user(unit, full_name="Nguyễn Thị Ánh Dương")
    attempt = add_attempt(round_, person, correct=9)
    add_attempt(round_, make_user(unit), correct=5, submitted=5)
    services.save_setting(
        contest, enabled=True, signer_title=None, signer_name=None, actor=None, now=now()
    )
    publication.publish(round_, actor=None, now=now())
    result = {"login": person.login, "attempt": attempt.id, "round": round_.id}
    end_reads()
    return result


def test_published_result_shows_rank_and_prize_and_the_certificate_downloads(
    phone_page, live_server, winner, log_in, end_reads, artifacts
):
    page = phone_page
    log_in(page, live_server, winner["login"])
    page.goto(f"{live_server}/attempts/{winner['attempt']}/result")
    expect(page.locator("#my-rank")).to_contain_text("1")
    expect(page.locator("#my-prize")).to_have_text("Giải Nhất")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=artifacts / "published-result-phone.png", full_page=True)
    assert_accessible(page)
    link = page.get_by_role("link", name="Tải giấy chứng nhận (PDF)")
    expect(link).to_be_visible()
    with page.expect_download(timeout=60_000) as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    end_reads()
    code = db.session.execute(
        db.select(Certificate.code).join(Attempt, Attempt.user_id == Certificate.user_id)
    ).scalar_one()
    end_reads()
    page.goto(f"{live_server}/certificates/{code}")
    expect(page.get_by_role("heading", name="Xác minh giấy chứng nhận")).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Ánh Dương")).to_be_visible()
    page.screenshot(path=artifacts / "certificate-verification-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
