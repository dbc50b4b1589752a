"""The teams pages and stage screens over HTTP: organizers, unit managers, judges, devices."""

import io
import random
from datetime import timedelta

import openpyxl
import pytest

from quiz.extensions import db
from quiz.judging import live, teams, teams_queries
from quiz.models import AuditLog, LiveAnswer, Question, Team
from quiz.query_args import PAGE_SIZE
from tests.factories import (
    make_bank,
    make_cluster,
    make_judge,
    make_team,
    make_team_sheet,
    make_teams_contest,
    make_unit,
    make_user,
    now,
)


@pytest.fixture
def hall(app):
    """A teams contest: a cluster of three teams, a live part with three questions."""
    province = make_unit(kind="province")
    communes = [make_unit(province, kind="commune") for _ in range(4)]
    admin = make_user(province, role="admin")
    contest = make_teams_contest(
        cluster_prizes={"first": {"count": 1, "amount": 3_000_000}}, finalists_per_cluster=1
    )
    intro, knowledge, skit = teams_queries.parts(contest.id)
    knowledge.seconds_per_question = 30
    db.session.commit()
    cluster = make_cluster(contest)
    squad = [make_team(contest, u, cluster=cluster) for u in communes[:3]]
    make_bank(topics={"Chuyển đổi số": 5})
    ids = list(db.session.execute(db.select(Question.id).order_by(Question.id)).scalars())[:3]
    live.pick_questions(cluster.stage, knowledge, ids, actor=admin, now=now(), rng=random.Random(5))
    run = teams_queries.live_run(cluster.stage_id, knowledge.id)
    return contest, cluster, squad, admin, run, communes, (intro, knowledge, skit)


def device_client(web_app, team_code):
    client = web_app.test_client()
    response = client.post("/teams/device", data={"code": team_code})
    assert response.status_code == 303, response.text
    return client


def test_organizer_pages_render_and_the_draw_is_made_from_the_stage_page(hall, client, login):
    contest, cluster, squad, admin, run, *_ = hall
    login(admin)
    page = client.get(f"/teams/{contest.slug}/manage")
    assert page.status_code == 200
    assert all(t.name in page.text for t in squad)
    stage_url = f"/teams/{contest.slug}/stages/{cluster.stage.key}"
    assert "Bốc thăm thứ tự thi" in client.get(stage_url).text
    assert client.post(stage_url + "/draw").status_code == 303
    order = teams_queries.draw(cluster.stage_id)
    assert len(order) == 3
    printable = client.get(stage_url + "/order").text
    positions = [printable.index(d.team.name) for d in order]
    assert positions == sorted(positions)
    assert f"người bốc: {admin.full_name}" in printable  # who drew, and when
    # The final's page renders too, before any cluster is published.
    assert client.get(f"/teams/{contest.slug}/stages/final").status_code == 200


def test_pages_are_the_organizers_only(hall, client, login):
    contest, cluster, squad, admin, run, communes, _ = hall
    login(make_user(communes[0], role="unit_manager"))
    for url in (
        f"/teams/{contest.slug}/manage",
        f"/teams/{contest.slug}/stages/final",
        f"/teams/live/{run.id}/control",
        f"/teams/live/{run.id}/presenter",
        f"/teams/live/{run.id}/state.json",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/teams/live/{run.id}/control.json", json={"action": "next"}).status_code
        == 404
    )


def test_manager_registers_the_units_team_with_the_form(app, client, login):
    commune = make_unit(kind="commune")
    contest = make_teams_contest(registration_closes_at=now() + timedelta(days=2))
    manager = make_user(commune, role="unit_manager")
    colleague = make_user(commune, full_name="Nguyễn Thị Đội Viên")
    login(manager)
    url = f"/teams/{contest.slug}/team"
    assert client.get(url).status_code == 200
    form = {"team_name": "Đội xã Hoà Bình", "captain": "1"}
    for i in range(1, 7):
        form[f"name_{i}"] = f"Người {i}"
    for i in range(1, 5):
        form[f"main_{i}"] = "1"
    response = client.post(url, data=form)
    assert response.status_code == 422
    assert "từ 7 đến 12 thành viên" in response.text
    assert teams_queries.team_of_unit(contest.id, commune.id) is None
    form["user_7"] = str(colleague.id)
    assert client.post(url, data=form).status_code == 303
    team = teams_queries.team_of_unit(contest.id, commune.id)
    assert [m.full_name for m in team.members][-1] == "Nguyễn Thị Đội Viên"
    assert client.post(url, data={**form, "user_7": "abc"}).status_code in (302, 303, 400)


def test_a_device_plays_the_live_part_and_never_sees_the_answer_early(hall, client, login, web_app):
    contest, cluster, squad, admin, run, *_ = hall
    codes = [teams.issue_device_code(t, actor=admin, now=now()) for t in squad[:2]]
    devices = [device_client(web_app, c) for c in codes]
    assert web_app.test_client().post("/teams/device", data={"code": "SAI-MA"}).status_code == 401
    assert devices[0].get("/teams/device/state.json").json["state"] == "idle"
    login(admin)
    assert (
        client.post(f"/teams/live/{run.id}/control.json", json={"action": "next"}).status_code
        == 200
    )
    for body in (
        devices[0].get("/teams/device/state.json").json,
        client.get(f"/teams/live/{run.id}/state.json").json,
    ):
        assert "correct" not in body
        assert all(set(c) == {"letter", "text"} for c in body["question"]["choices"])
    lq = teams_queries.live_question_at(run.id, 1)
    question = db.session.get(Question, lq.question_id)
    right = live.LETTERS[lq.choice_order.index(question.correct_choice.id)]
    wrong = next(letter for letter in "ABCD" if letter != right)
    answer = devices[0].post("/teams/device/answer.json", json={"position": 1, "letter": right})
    assert answer.status_code == 200, answer.text
    again = devices[0].post("/teams/device/answer.json", json={"position": 1, "letter": wrong})
    assert again.status_code == 409 and again.json["error"]["code"] == "already_answered"
    devices[1].post("/teams/device/answer.json", json={"position": 1, "letter": wrong})
    bad = devices[1].post("/teams/device/answer.json", json={"position": "1", "letter": 5})
    assert bad.status_code == 400
    client.post(f"/teams/live/{run.id}/control.json", json={"action": "reveal"})
    body = devices[0].get("/teams/device/state.json").json
    assert body["correct"] == right and body["my_correct"] is True
    assert body["teams_correct"] == [squad[0].name]
    host = client.get(f"/teams/live/{run.id}/state.json?host=1").json
    assert host["scores"] == {str(squad[0].id): 10, str(squad[1].id): 0}
    # The secretariat enters the third team's answer by hand.
    hand = client.post(
        f"/teams/live/{run.id}/hand.json",
        json={"team_id": squad[2].id, "position": 1, "letter": right},
    )
    assert hand.status_code == 200
    host = client.get(f"/teams/live/{run.id}/state.json?host=1").json
    assert host["scores"][str(squad[2].id)] == 10
    # A new code logs the old device out.
    teams.issue_device_code(squad[0], actor=admin, now=now())
    assert devices[0].get("/teams/device/state.json").status_code == 401
    # The screens render.
    assert client.get(f"/teams/live/{run.id}/control").status_code == 200
    assert client.get(f"/teams/live/{run.id}/presenter").status_code == 200
    assert devices[1].get("/teams/device/play").status_code == 200


def test_an_answer_after_the_countdown_is_refused_over_http(hall, client, login, web_app):
    contest, cluster, squad, admin, run, *_ = hall
    device = device_client(web_app, teams.issue_device_code(squad[0], actor=admin, now=now()))
    live.control(run, "next", actor=admin, now=now() - timedelta(seconds=35))
    response = device.post("/teams/device/answer.json", json={"position": 1, "letter": "A"})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "deadline_passed"
    assert db.session.scalar(db.select(db.func.count()).select_from(LiveAnswer)) == 0


def test_judge_scores_on_the_sheet_page_and_results_publish_with_exports(hall, client, login):
    contest, cluster, squad, admin, run, communes, (intro, _, skit) = hall
    judge = make_judge(make_unit(kind="commune"))
    from quiz.judging import services as judging_services

    judging_services.assign_judge(cluster.stage, judge, actor=admin, now=now())
    login(judge)
    assert squad[0].name in client.get(f"/teams/{contest.slug}/judge").text
    criteria = teams_queries.part_criteria(intro.id)
    url = f"/teams/{contest.slug}/sheets/{cluster.stage_id}/{squad[0].id}/{intro.id}"
    assert client.get(url).status_code == 200
    form = {f"c{criteria[0].id}": "8,5", f"c{criteria[1].id}": "9", "action": "submit"}
    assert client.post(url, data=form).status_code == 303
    bad = client.post(url, data={f"c{criteria[0].id}": "x"})
    assert bad.status_code in (303, 400)
    sheet = teams_queries.sheet_of(cluster.stage_id, judge.id, squad[0].id, intro.id)
    assert sheet.is_submitted and sum(s.half_points for s in sheet.scores) == 35
    results = f"/teams/{contest.slug}/results/{cluster.stage.key}"
    assert client.get(results).status_code == 404
    client.post("/auth/logout")
    login(admin)
    assert (
        client.post(f"/teams/{contest.slug}/stages/{cluster.stage.key}/publish").status_code == 303
    )
    page = client.get(results).text
    assert squad[0].name in page and "Giải Nhất" in page
    export = client.get(f"/teams/{contest.slug}/stages/{cluster.stage.key}/export.xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    assert book.sheetnames == ["Bảng xếp hạng", "Danh sách chi thưởng", "Phiếu chấm", "Thứ tự thi"]
    # Each sheet opens with a title block; its rows follow the header row.
    payout = list(book["Danh sách chi thưởng"].iter_rows(values_only=True))
    first = next(row for row in payout if row[0] == squad[0].name)
    assert first[:4] == (squad[0].name, squad[0].unit.name, "Giải Nhất", 3_000_000)
    judge_rows = list(book["Phiếu chấm"].iter_rows(values_only=True))
    judge_row = next(row for row in judge_rows if row[0] == judge.full_name)
    assert judge_row[5] == 8.5
    assert db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "teams.publish")
    ).scalar_one()
    db.session.get(Team, squad[0].id)


def test_the_stage_screens_speak_english_too(hall, client, login):
    contest, cluster, squad, admin, run, *_ = hall
    client.get("/lang/en")
    assert "Log a team device in" in client.get("/teams/device").text
    login(admin)
    page = client.get(f"/teams/live/{run.id}/control").text
    assert "Reveal the answer" in page and 'data-t-timeup="Timed out"' in page
    overview = client.get(f"/teams/{contest.slug}/").text
    assert "Clusters, schedule and results" in overview and cluster.stage.title in overview


def test_no_teams_page_answers_a_server_error_to_anyone(hall, client, login, web_app):
    """Every GET route of the teams pages, with real and odd values, for each kind of visitor."""
    import re

    contest, cluster, squad, admin, run, communes, (intro, _, _) = hall
    judge = make_judge(make_unit(kind="commune"))
    from quiz.judging import services as judging_services

    judging_services.assign_judge(cluster.stage, judge, actor=admin, now=now())
    real = {
        "slug": contest.slug,
        "key": cluster.stage.key,
        "run_id": run.id,
        "stage_id": cluster.stage_id,
        "team_id": squad[0].id,
        "part_id": intro.id,
    }
    odd = ["0", "2147483648", "99999999999999999999999", "%C2%B2", "x", "%00"]
    urls = []
    for rule in web_app.url_map.iter_rules():
        if not rule.endpoint.startswith("teams.") or "GET" not in rule.methods:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        params = {name: str(real[name]) for name in rule.arguments}
        urls.append(path.format(**params))
        urls.append(path.format(**params) + "?host=x&stage=%00")
        for name in rule.arguments:
            urls.extend(path.format(**{**params, name: value}) for value in odd)
    manager = make_user(communes[0], role="unit_manager")
    code = teams.issue_device_code(squad[1], actor=admin, now=now())
    visitors = [None, admin, judge, manager, "device"]
    failures = []
    for who in visitors:
        visitor = web_app.test_client()
        if who == "device":
            visitor.post("/teams/device", data={"code": code})
        elif who is not None:
            visitor.post("/auth/login", data={"login": who.login, "password": "mat-khau-1"})
        for url in urls:
            status = visitor.get(url).status_code
            if status >= 500:
                failures.append((who, url, status))
    assert not failures, failures[:10]


def test_a_bad_form_flashes_the_reason_and_changes_nothing(hall, client, login):
    contest, cluster, squad, admin, run, *_ = hall
    login(admin)
    manage = f"http://localhost/teams/{contest.slug}/manage"
    response = client.post(
        f"/teams/{contest.slug}/settings",
        data={
            "min_members": "3",
            "max_members": "2",
            "main_members": "1",
            "finalists_per_cluster": "1",
        },
        headers={"Referer": manage},
    )
    assert response.status_code == 303 and response.headers["Location"] == manage
    assert "Cần: 1 ≤ số thành viên chính" in client.get(manage).text
    assert teams_queries.settings_of(contest).max_members == 12
    response = client.post(
        f"/teams/{contest.slug}/settings",
        data={"min_members": "x"},
        headers={"Referer": "https://evil.example/"},
    )
    assert response.status_code == 303 and "evil" not in response.headers["Location"]


def test_organizer_edits_a_parts_sheet_on_the_manage_page(hall, client, login):
    contest, cluster, squad, admin, run, communes, (intro, _, _) = hall
    login(admin)
    page = client.get(f"/teams/{contest.slug}/manage").text
    assert "Nội dung | 10\nTrình bày | 10" in page  # the sheet as it is, ready to edit
    response = client.post(
        f"/teams/{contest.slug}/parts/{intro.id}",
        data={
            "name": "Giới thiệu",
            "weight": "1,5",
            "criteria": "Nội dung | 12,5\nHình thức | 7,5",
        },
    )
    assert response.status_code == 303
    criteria = teams_queries.part_criteria(intro.id)
    assert [(c.title, c.max_half_points) for c in criteria] == [("Nội dung", 25), ("Hình thức", 15)]
    assert db.session.get(type(intro), intro.id).weight == 1.5


def test_judge_board_and_sheet_grid_page_past_page_one_with_whole_set_counts(hall, client, login):
    contest, cluster, squad, admin, run, communes, (intro, _, skit) = hall
    extra = [
        make_team(
            contest, make_unit(kind="commune"), cluster=cluster, members=1, name=f"Đội thêm {i:02d}"
        )
        for i in range(PAGE_SIZE)
    ]
    from quiz.judging import services as judging_services

    judge = make_judge(make_unit(kind="commune"))
    own = make_judge(communes[0])  # never scores squad[0], the team of its own unit
    for j in (judge, own):
        judging_services.assign_judge(cluster.stage, j, actor=admin, now=now())
    make_team_sheet(cluster.stage, judge, squad[1], intro, [8, 9])
    needed = (len(squad) + len(extra)) * 2  # two parts scored on sheets
    login(judge)
    board_url = f"/teams/{contest.slug}/judge"
    first = client.get(board_url).text
    assert f"Đã nộp 1 / {needed} phiếu." in first
    assert extra[-1].name not in first and f"page_{cluster.stage_id}=2" in first
    second = client.get(f"{board_url}?page_{cluster.stage_id}=2").text
    assert extra[-1].name in second and f"Đã nộp 1 / {needed} phiếu." in second
    client.post("/auth/logout")
    login(admin)
    stage_url = f"/teams/{contest.slug}/stages/{cluster.stage.key}"
    missing = f"Còn thiếu {needed - 1 + needed - 2} phiếu."
    row = f"<td>{extra[-1].name}</td><td>{intro.name}</td>"
    grid = client.get(stage_url).text
    assert missing in grid and row not in grid
    grid2 = client.get(stage_url + "?page=2").text
    assert missing in grid2 and row in grid2


def test_organizer_picks_live_questions_from_a_paged_searchable_bank_never_a_reserved_one(
    hall, client, login
):
    from tests.factories import make_round

    contest, cluster, squad, admin, run, communes, (intro, knowledge, skit) = hall
    open_bank = make_bank("Ngân hàng sân khấu", topics={"Pháp luật": PAGE_SIZE + 5, "Số hoá": 2})
    secret = make_bank("Ngân hàng đợt thi", topics={"Bí mật": 3})
    make_round(secret)  # an open quiz round draws from it
    login(admin)
    url = f"/teams/{contest.slug}/stages/{cluster.stage.key}/parts/{knowledge.id}/pick"
    stage_page = client.get(f"/teams/{contest.slug}/stages/{cluster.stage.key}").text
    assert url in stage_page
    page = client.get(f"{url}?bank_id={open_bank.id}").text
    assert "Ngân hàng sân khấu" in page and "Ngân hàng đợt thi" not in page
    assert f"{PAGE_SIZE + 7} câu hỏi tìm được" in page
    last = f"Pháp luật: câu hỏi số {PAGE_SIZE + 4}?"
    assert last not in page
    # The three questions picked before are listed in their order.
    assert page.count("<li>Chuyển đổi số: câu hỏi số") == 3
    assert client.get(f"{url}?bank_id={secret.id}").status_code == 404
    second = client.get(f"{url}?bank_id={open_bank.id}&page=2").text
    assert last in second
    found = client.get(f"{url}?bank_id={open_bank.id}&q=so+{PAGE_SIZE + 4}").text
    assert "1 câu hỏi tìm được" in found and last in found
    topics = teams_queries.bank_topics(open_bank.id)
    by_topic = client.get(f"{url}?bank_id={open_bank.id}&topic_id={topics[1].id}").text
    assert "2 câu hỏi tìm được" in by_topic
    ids = list(
        db.session.execute(
            db.select(Question.id).where(Question.bank_id == open_bank.id).order_by(Question.id)
        ).scalars()
    )
    added = client.post(url, data={"question_id": [str(ids[5]), str(ids[2])]})
    assert added.status_code == 303 and "#chosen" in added.headers["Location"]
    chosen = teams_queries.live_questions(run.id)
    assert [lq.question_id for lq in chosen][3:] == [ids[5], ids[2]]
    assert "Câu 4" in client.get(f"{url}?bank_id={open_bank.id}").text
    assert client.post(url, data={}).status_code == 303  # refused with a message
    assert client.post(url, data={"question_id": "x"}).status_code == 303
    assert len(teams_queries.live_questions(run.id)) == 5
    secret_id = db.session.execute(
        db.select(Question.id).where(Question.bank_id == secret.id)
    ).scalar()
    assert client.post(url, data={"question_id": str(secret_id)}).status_code == 303
    assert len(teams_queries.live_questions(run.id)) == 5
    assert client.get(url.replace(f"/{knowledge.id}/", f"/{intro.id}/")).status_code == 404
