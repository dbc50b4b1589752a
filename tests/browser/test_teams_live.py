"""The live knowledge part played in browsers: a control screen, a presenter screen and two
team devices on phones, two questions, one answer entered by hand (DESIGN.md §9)."""

import random

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.judging import live, teams, teams_queries
from quiz.models import Question
from tests.browser.test_accessibility import assert_accessible
from tests.factories import (
    make_bank,
    make_cluster,
    make_team,
    make_teams_contest,
    make_unit,
    make_user,
    now,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def stage(app, end_reads):
    province = make_unit(kind="province", name="Huyện Mẫu")
    admin = make_user(province, role="admin")
    contest = make_teams_contest()
    knowledge = teams_queries.parts(contest.id)[1]
    knowledge.seconds_per_question = 60
    knowledge.points_correct, knowledge.speed_bonus = 10, 0
    db.session.commit()
    cluster = make_cluster(contest)
    squad = [
        make_team(
            contest,
            make_unit(province, kind="commune", name=name),
            cluster=cluster,
            name=f"Đội {name}",
        )
        for name in ("Xã Bình Sơn", "Phường Cẩm Thành")
    ]
    make_bank(topics={"Chuyển đổi số": 4})
    ids = list(db.session.execute(db.select(Question.id).order_by(Question.id)).scalars())[:2]
    live.pick_questions(cluster.stage, knowledge, ids, actor=admin, now=now(), rng=random.Random(9))
    run = teams_queries.live_run(cluster.stage_id, knowledge.id)
    letters = []
    for position in (1, 2):
        lq = teams_queries.live_question_at(run.id, position)
        question = db.session.get(Question, lq.question_id)
        letters.append(live.LETTERS[lq.choice_order.index(question.correct_choice.id)])
    codes = [teams.issue_device_code(t, actor=admin, now=now()) for t in squad]
    info = {
        "admin": admin.login,
        "run": run.id,
        "teams": [(t.id, t.name) for t in squad],
        "codes": codes,
        "right": letters,
    }
    end_reads()
    return info


def wrong(letter: str) -> str:
    return next(x for x in "ABCD" if x != letter)


def test_two_questions_played_live_with_presenter_control_and_two_devices(
    browser, page, live_server, stage, log_in
):
    log_in(page, live_server, stage["admin"])
    control = page
    control.goto(f"{live_server}/teams/live/{stage['run']}/control")
    presenter = control.context.new_page()
    presenter.goto(f"{live_server}/teams/live/{stage['run']}/presenter")
    expect(presenter.get_by_text("Chuẩn bị bắt đầu…")).to_be_visible()
    devices = []
    for code in stage["codes"]:
        context = browser.new_context(
            locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        context.set_default_timeout(10_000)
        device = context.new_page()
        device.goto(f"{live_server}/teams/device")
        device.get_by_label("Mã đội").fill(code)
        device.get_by_role("button", name="Vào thi").click()
        expect(device.get_by_role("heading", level=1)).to_have_text(stage["teams"][len(devices)][1])
        devices.append(device)
    (first_id, first_name), (second_id, second_name) = stage["teams"]
    right1, right2 = stage["right"]

    # Question 1: both devices answer; the presenter never shows the answer before the reveal.
    control.get_by_role("button", name="Câu tiếp theo").click()
    expect(presenter.get_by_text("Câu 1 trên 2")).to_be_visible()
    expect(presenter.locator(".stage-choices li")).to_have_count(4)
    expect(presenter.locator(".stage-choices li.correct")).to_have_count(0)
    devices[0].get_by_role("button", name=f"{right1}.").click()
    expect(devices[0].get_by_text(f"Đội đã chọn {right1}.")).to_be_visible()
    devices[1].get_by_role("button", name=f"{wrong(right1)}.").click()
    expect(devices[1].get_by_text(f"Đội đã chọn {wrong(right1)}.")).to_be_visible()
    expect(presenter.get_by_text("Đội đã trả lời: 2")).to_be_visible()
    control.get_by_role("button", name="Công bố đáp án").click()
    expect(
        presenter.get_by_text(f"Đáp án đúng: {right1}. Đội trả lời đúng: {first_name}")
    ).to_be_visible()
    expect(presenter.locator(".stage-choices li.correct")).to_have_count(1)
    expect(devices[0].get_by_text("Chính xác!")).to_be_visible()
    expect(devices[1].get_by_text("Chưa đúng.")).to_be_visible()

    # Question 2: the second team answers on its device, the first team's device is down and
    # the secretariat enters its answer by hand.
    control.get_by_role("button", name="Câu tiếp theo").click()
    expect(presenter.get_by_text("Câu 2 trên 2")).to_be_visible()
    devices[1].get_by_role("button", name=f"{right2}.").click()
    expect(devices[1].get_by_text(f"Đội đã chọn {right2}.")).to_be_visible()
    row = control.locator(f'tr[data-team="{first_id}"]')
    row.get_by_label(f"Đáp án của {first_name}").select_option(right2)
    row.get_by_role("button", name="Ghi").click()
    expect(row.locator('[data-el="answer"]')).to_have_text(right2)
    control.get_by_role("button", name="Công bố đáp án").click()
    expect(presenter.get_by_text(f"Đáp án đúng: {right2}.")).to_be_visible()
    expect(control.locator(f'tr[data-team="{first_id}"] [data-el="score"]')).to_have_text("20")
    expect(control.locator(f'tr[data-team="{second_id}"] [data-el="score"]')).to_have_text("10")
    for screen in (presenter, control, devices[1]):
        assert_accessible(screen)
    for device in devices:
        device.context.close()


@pytest.fixture
def teams_site(app, end_reads):
    """A teams contest with a drawn cluster, a scored part and a judge, for the axe check."""
    from quiz.judging import services as judging_services

    province = make_unit(kind="province", name="Huyện Mẫu")
    admin = make_user(province, role="admin")
    contest = make_teams_contest(registration_closes_at=now().replace(year=now().year + 1))
    cluster = make_cluster(contest)
    communes = [make_unit(province, kind="commune", name=f"Xã Mẫu {i}") for i in range(3)]
    squad = [make_team(contest, u, cluster=cluster) for u in communes]
    teams.draw_order(cluster.stage, actor=admin, now=now())
    judge = make_user(province, role="judge")
    judging_services.assign_judge(cluster.stage, judge, actor=admin, now=now())
    manager = make_user(communes[0], role="unit_manager")
    # A team short of members since the rules were set: the manage page lists it.
    make_team(contest, make_unit(province, kind="commune", name="Xã Mẫu 3"), members=5)
    make_bank("Ngân hàng sân khấu", topics={"Pháp luật": 3})
    intro, knowledge = teams_queries.parts(contest.id)[:2]
    info = {
        "admin": admin.login,
        "judge": judge.login,
        "manager": manager.login,
        "slug": contest.slug,
        "sheet": f"/teams/{contest.slug}/sheets/{cluster.stage_id}/{squad[0].id}/{intro.id}",
        "pick": f"/teams/{contest.slug}/stages/cluster-1/parts/{knowledge.id}/pick",
    }
    end_reads()
    return info


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/teams/{slug}/manage", "admin"),
        ("/teams/{slug}/stages/cluster-1", "admin"),
        ("/teams/{slug}/stages/cluster-1/order", "admin"),
        ("/teams/{slug}/team", "manager"),
        ("/teams/{slug}/judge", "judge"),
        ("{sheet}", "judge"),
        ("{pick}", "admin"),
        ("/teams/{slug}/", None),
        ("/teams/device", None),
    ],
)
def test_teams_pages_are_axe_clean_on_a_phone(
    phone_page, live_server, teams_site, log_in, path, role
):
    if role:
        log_in(phone_page, live_server, teams_site[role])
    response = phone_page.goto(live_server + path.format(**teams_site))
    assert response.status == 200
    assert_accessible(phone_page)
    # Nothing wider than the phone but the scrolling tables.
    overflow = phone_page.evaluate(
        "() => [...document.querySelectorAll('main *')]"
        ".filter(e => !e.closest('.table-wrap'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert overflow == []
