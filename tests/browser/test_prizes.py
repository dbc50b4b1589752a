"""Collective prizes and the contest-wide ranking: axe-clean and no sideways scrolling on a
360 px phone, for the organizer's pages and the public ones."""

import pytest

from quiz.certificates import services as certificates
from quiz.results import contest_ranking, prizes, publication
from tests.factories import make_bank, make_round, now
from tests.results.conftest import add_attempt

from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def published(make_unit, make_user, end_reads):
    """A contest of two rounds with collective prizes and a contest-wide ranking published."""
    bank = make_bank(topics={"Chuyển đổi số": 6, "Cải cách hành chính": 6})
    one = make_round(bank, title="Tuần 1", question_count=10, prediction="none")
    two = make_round(bank, one.contest, title="Tuần 2", question_count=10, prediction="none")
    province = make_unit(name="Tỉnh Quảng Ngãi", code="QNG", headcount=None)
    department = make_unit(province, name="Sở Thông tin và Truyền thông", kind="department")
    district = make_unit(province, name="Huyện Bình Sơn", kind="district", headcount=None)
    communes = [
        make_unit(district, name=f"Xã Bình Nguyên Thượng Lưu {n}", kind="commune") for n in range(3)
    ]
    admin = make_user(province, role="admin", full_name="Ban Tổ chức")
    for n, unit in enumerate([department, *communes] * 3):
        person = make_user(unit, full_name=f"Nguyễn Thị Thanh Hương Số {n}")
        add_attempt(one, person, correct=n % 10, submitted=n)
        add_attempt(two, person, correct=(n * 3) % 10, submitted=n)
    prizes.set_prizes(
        one,
        {"staff": {"first": 1, "second": 1}},
        3,
        0.0,
        actor=admin,
        now=now(),
        unit_level="department_district",
    )
    publication.publish(one, actor=admin, now=now())
    contest = one.contest
    certificates.save_setting(
        contest, enabled=True, signer_title=None, signer_name=None, actor=admin, now=now()
    )
    contest_ranking.set_settings(
        contest, "sum", {"staff": {"first": 1, "second": 1, "third": 1}}, actor=admin, now=now()
    )
    contest_ranking.publish(contest, actor=admin, now=now())
    result = {
        "admin": admin.login,
        "person": person.login,
        "round": one.id,
        "contest": contest.id,
        "slug": contest.slug,
    }
    end_reads()
    return result


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_public_pages_fit_a_phone_and_are_axe_clean(phone_page, live_server, published):
    for path in (f"/rounds/{published['round']}/results", f"/contests/{published['slug']}"):
        response = phone_page.goto(f"{live_server}{path}")
        assert response.status == 200
        fits(phone_page)
        assert_accessible(phone_page)
    assert phone_page.get_by_role("heading", name="Xếp hạng chung cuộc").is_visible()


def test_organizer_pages_fit_a_phone_and_are_axe_clean(phone_page, live_server, published, log_in):
    log_in(phone_page, live_server, published["admin"])
    for path in (
        f"/admin/contests/{published['contest']}/ranking",
        f"/admin/rounds/{published['round']}/results",
    ):
        response = phone_page.goto(f"{live_server}{path}")
        assert response.status == 200
        fits(phone_page)
        assert_accessible(phone_page)


def test_a_participants_own_result_and_certificate_links_fit_a_phone(
    phone_page, live_server, published, log_in
):
    log_in(phone_page, live_server, published["person"])
    for path in (f"/rounds/{published['round']}/results", f"/contests/{published['slug']}"):
        response = phone_page.goto(f"{live_server}{path}")
        assert response.status == 200
        assert phone_page.get_by_role("link", name="Tải giấy chứng nhận").first.is_visible()
        fits(phone_page)
        assert_accessible(phone_page)
