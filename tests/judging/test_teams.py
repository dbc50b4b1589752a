"""Teams contests (DESIGN.md §9): registration rules, the draw, sheets, standings, prizes."""

import random
from datetime import timedelta

import pytest

from quiz.errors import DomainError
from quiz.extensions import db
from quiz.judging import queries as judging_queries
from quiz.judging import teams, teams_queries, teams_standings
from quiz.judging.teams import MemberInput
from quiz.models import AuditLog, JudgeAssignment, Question, Team, TeamDraw
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
def tree(app):
    province = make_unit(kind="province")
    district = make_unit(province, kind="district")
    communes = [make_unit(district, kind="commune") for _ in range(6)]
    return province, district, communes


def codes(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value.code


def members(n: int, mains: int = 4, captains: int = 1) -> list[MemberInput]:
    return [
        MemberInput(f"Người {i}", is_main=i <= mains, is_captain=i <= captains)
        for i in range(1, n + 1)
    ]


def parts(contest):
    return teams_queries.parts(contest.id)


# ---- registration ----


def test_team_size_rules_are_checked(tree):
    _, _, communes = tree
    contest = make_teams_contest(registration_closes_at=now() + timedelta(days=1))
    manager = make_user(communes[0], role="unit_manager")
    register = teams.register_team
    args = (contest, communes[0].id, "Đội xã A")
    assert codes(register, *args, members(6), actor=manager, now=now()) == "team_size"
    assert codes(register, *args, members(13), actor=manager, now=now()) == "team_size"
    assert codes(register, *args, members(8, mains=3), actor=manager, now=now()) == "main_members"
    assert codes(register, *args, members(8, mains=5), actor=manager, now=now()) == "main_members"
    assert codes(register, *args, members(8, captains=0), actor=manager, now=now()) == "captain"
    assert codes(register, *args, members(8, captains=2), actor=manager, now=now()) == "captain"
    # A member taken from another unit's accounts is refused.
    stranger = make_user(communes[1])
    rows = members(7) + [MemberInput("", user_id=stranger.id)]
    assert codes(register, *args, rows, actor=manager, now=now()) == "invalid_member"
    # From the unit's own accounts, by name otherwise: 12 members is the most.
    colleague = make_user(communes[0], full_name="Lê Văn Cán Bộ")
    rows = members(11) + [MemberInput("", user_id=colleague.id)]
    team = register(*args, rows, actor=manager, now=now())
    assert len(team.members) == 12
    assert team.members[-1].full_name == "Lê Văn Cán Bộ"
    assert [m.is_captain for m in team.members].count(True) == 1
    assert sum(m.is_main for m in team.members) == 4
    # One team per unit, by the database.
    assert codes(register, *args, members(7), actor=manager, now=now()) == "team_exists"


def test_size_rules_follow_the_settings(tree):
    _, _, communes = tree
    admin = make_user(communes[0], role="admin")
    contest = make_teams_contest()
    teams.update_settings(
        contest, min_members=3, max_members=5, main_members=2, actor=admin, now=now()
    )
    team = teams.register_team(
        contest, communes[0].id, "Đội nhỏ", members(3, mains=2), actor=admin, now=now()
    )
    assert len(team.members) == 3
    assert (
        codes(teams.update_settings, contest, min_members=1, main_members=2, actor=admin, now=now())
        == "invalid_team_size"
    )


def test_manager_edits_until_the_deadline_and_the_organizers_confirm(tree):
    _, _, communes = tree
    closes = now() + timedelta(hours=1)
    contest = make_teams_contest(registration_closes_at=closes)
    manager = make_user(communes[0], role="unit_manager")
    admin = make_user(communes[0], role="admin")
    other = make_user(communes[1], role="unit_manager")
    team = teams.register_team(
        contest, communes[0].id, "Đội A", members(7), actor=manager, now=now()
    )
    assert codes(teams.update_team, team, "Đội B", members(8), actor=other, now=now()) == (
        "not_found"
    )
    teams.update_team(team, "Đội A mới", members(9), actor=manager, now=now())
    assert len(team.members) == 9
    teams.confirm_team(team, actor=admin, now=now())
    assert team.status == "confirmed"
    late = closes + timedelta(minutes=1)
    assert (
        codes(teams.update_team, team, "Muộn", members(8), actor=manager, now=late)
        == "registration_closed"
    )
    assert codes(teams.confirm_team, team, actor=manager, now=now()) == "not_found"
    # The organizers may still correct it after the deadline.
    teams.update_team(team, "Đội A", members(10), actor=admin, now=late)
    actions = db.session.execute(db.select(AuditLog.action).order_by(AuditLog.id)).scalars()
    assert list(actions)[-4:] == ["team.register", "team.update", "team.confirm", "team.update"]


# ---- clusters and the draw ----


def test_the_draw_is_recorded_and_stable(tree):
    _, _, communes = tree
    admin = make_user(communes[0], role="admin")
    contest = make_teams_contest()
    cluster = teams.add_cluster(contest, "Cụm 1", venue="Nhà văn hoá", actor=admin, now=now())
    assert cluster.stage.key == "cluster-1"
    for unit in communes[:5]:
        make_team(contest, unit)
    make_team(contest, communes[5], confirmed=False)  # not confirmed: not drawn
    assert teams.assign_units(cluster, [u.id for u in communes], actor=admin, now=now()) == 6
    drawn_at = now()
    rows = teams.draw_order(cluster.stage, actor=admin, now=drawn_at, rng=random.Random(7))
    order = [r.team_id for r in rows]
    assert sorted(r.position for r in rows) == [1, 2, 3, 4, 5]
    assert len(set(order)) == 5
    stored = teams_queries.draw(cluster.stage_id)
    assert [d.team_id for d in stored] == order
    assert {d.drawn_by_id for d in stored} == {admin.id}
    assert all(d.drawn_at == drawn_at for d in stored)
    # Drawing again changes nothing; so does moving teams after the draw.
    again = teams.draw_order(cluster.stage, actor=admin, now=now(), rng=random.Random(99))
    assert [d.team_id for d in again] == order
    assert (
        codes(teams.assign_units, cluster, [communes[0].id], actor=admin, now=now())
        == "already_drawn"
    )
    audit = db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "teams.draw")
    ).scalar_one()
    assert audit.details["order"] == order
    # The database keeps one place per team and one team per place.
    db.session.add(TeamDraw(stage_id=cluster.stage_id, team_id=order[0], position=9))
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError from either database
        db.session.flush()
    db.session.rollback()


# ---- sheets, standings, prizes ----


@pytest.fixture
def played(tree):
    """A cluster of four teams, two judges, scored introduction and skit sheets."""
    province, _, communes = tree
    admin = make_user(province, role="admin")
    contest = make_teams_contest(
        cluster_prizes={
            "first": {"count": 1, "amount": 5_000_000},
            "second": {"count": 1, "amount": 3_000_000},
        },
        final_prizes={"first": {"count": 1, "amount": 10_000_000}},
        finalists_per_cluster=1,
    )
    intro, knowledge, skit = parts(contest)
    intro.special_prize, intro.special_amount = "Giới thiệu hay nhất", 1_000_000
    skit.special_prize, skit.special_amount = "Tiểu phẩm hay nhất", 1_000_000
    db.session.commit()
    cluster = make_cluster(contest)
    squad = [make_team(contest, u, cluster=cluster) for u in communes[:4]]
    teams.draw_order(cluster.stage, actor=admin, now=now(), rng=random.Random(1))
    judges = [make_judge(province) for _ in range(2)]
    for j in judges:
        db.session.add(JudgeAssignment(stage_id=cluster.stage_id, judge_id=j.id))
    db.session.commit()
    # intro (max 20), skit (max 40) per team, two judges each.
    points = {
        0: ((9, 9), (10, 10)),
        1: ((10, 10), (15, 15)),
        2: ((5, 5), (20, 20)),
        3: ((7, 7), (8, 8)),
    }
    for i, team in enumerate(squad):
        for j in judges:
            make_team_sheet(cluster.stage, j, team, intro, points[i][0])
            make_team_sheet(cluster.stage, j, team, skit, points[i][1])
    return contest, cluster, squad, judges, admin, (intro, knowledge, skit)


def test_cluster_standings_combine_parts_by_weight_with_special_prizes(played):
    contest, cluster, squad, _, _, (intro, _, skit) = played
    rows = teams_standings.compute(cluster.stage)
    # totals: team0 18+20=38, team1 20+30=50, team2 10+40=50, team3 14+16=30.
    # team1 and team2 tie on 50: the higher introduction score (team1) comes first.
    assert [r.team.id for r in rows] == [squad[1].id, squad[2].id, squad[0].id, squad[3].id]
    assert [r.total for r in rows] == [50.0, 50.0, 38.0, 30.0]
    assert [r.prize for r in rows] == ["first", "second", None, None]
    assert rows[0].prize_amount == 5_000_000
    # Special prizes: the best score in their part.
    specials = {s["name"]: r.team.id for r in rows for s in r.specials}
    assert specials == {"Giới thiệu hay nhất": squad[1].id, "Tiểu phẩm hay nhất": squad[2].id}
    # A weight changes the order: the skit counting double puts team2 first.
    skit.weight = 2.0
    db.session.commit()
    assert teams_standings.compute(cluster.stage)[0].team.id == squad[2].id


def test_standings_recomputed_from_rows_give_the_same_order(played):
    contest, cluster, squad, judges, admin, _ = played
    first = [(r.team.id, r.total, r.prize) for r in teams_standings.compute(cluster.stage)]
    db.session.expire_all()
    for _ in range(3):
        again = [(r.team.id, r.total, r.prize) for r in teams_standings.compute(cluster.stage)]
        assert again == first
    frozen = teams.publish(cluster.stage, actor=admin, now=now())
    assert [(s.team_id, s.total, s.prize) for s in frozen] == first


def test_published_cluster_winners_play_the_final(played):
    contest, cluster, squad, judges, admin, (intro, _, skit) = played
    final = judging_queries.stage_of(contest, "final")
    assert teams_standings.compute(final) == []  # nothing published yet
    teams.publish(cluster.stage, actor=admin, now=now())
    rows = teams_standings.compute(final)
    assert [r.team.id for r in rows] == [squad[1].id]
    assert rows[0].specials == []  # special prizes are the clusters'


def test_final_standings_recomputed_from_rows_give_the_same_order(played, tree):
    contest, cluster, squad, judges, admin, (intro, _, skit) = played
    province, _, communes = tree
    second = make_cluster(contest, "Cụm 2")
    others = [make_team(contest, make_unit(communes[0].parent, kind="commune"), cluster=second)]
    for j in judges:
        db.session.add(JudgeAssignment(stage_id=second.stage_id, judge_id=j.id))
    db.session.commit()
    for j in judges:
        make_team_sheet(second.stage, j, others[0], intro, (10, 10))
    teams.publish(cluster.stage, actor=admin, now=now())
    teams.publish(second.stage, actor=admin, now=now())
    final = judging_queries.stage_of(contest, "final")
    teams.draw_order(final, actor=admin, now=now(), rng=random.Random(3))
    for j in judges:
        db.session.add(JudgeAssignment(stage_id=final.id, judge_id=j.id))
    db.session.commit()
    finalists = [squad[1], others[0]]
    for j, points in zip(judges, ((7, 8), (9, 9)), strict=True):
        for team in finalists:
            make_team_sheet(final, j, team, skit, points)
    first = [(r.team.id, r.total, r.prize) for r in teams_standings.compute(final)]
    assert {t for t, _, _ in first} == {t.id for t in finalists}
    # Equal totals: the first part's score decides (the final has no introduction scores,
    # so the drawn order does).
    order = teams_queries.draw_positions(final.id)
    assert [t for t, _, _ in first] == sorted(order, key=order.get)
    assert first[0][2] == "first" and first[1][2] is None
    db.session.expire_all()
    assert [(r.team.id, r.total, r.prize) for r in teams_standings.compute(final)] == first
    frozen = teams.publish(final, actor=admin, now=now())
    assert [(s.team_id, s.total, s.prize) for s in frozen] == first


def test_judge_sheets_lock_and_reopen_is_audited(played):
    contest, cluster, squad, judges, admin, (intro, knowledge, skit) = played
    judge = judges[0]
    criteria = teams_queries.part_criteria(intro.id)
    new_team = make_team(contest, make_unit(kind="commune"), cluster=cluster)
    scores = {criteria[0].id: 16, criteria[1].id: 14}
    sheet = teams.save_sheet(cluster.stage, judge, new_team, intro, scores, now=now())
    assert sheet.status == "draft"
    over = {criteria[0].id: 21}
    assert (
        codes(teams.save_sheet, cluster.stage, judge, new_team, intro, over, now=now())
        == "score_out_of_range"
    )
    teams.save_sheet(cluster.stage, judge, new_team, intro, scores, submit=True, now=now())
    assert (
        codes(teams.save_sheet, cluster.stage, judge, new_team, intro, scores, now=now())
        == "sheet_submitted"
    )
    # The live part has no sheet; an unassigned judge finds nothing.
    assert codes(teams.save_sheet, cluster.stage, judge, new_team, knowledge, {}, now=now()) == (
        "not_found"
    )
    outsider = make_judge(make_unit(kind="commune"))
    assert codes(teams.save_sheet, cluster.stage, outsider, new_team, intro, {}, now=now()) == (
        "not_found"
    )
    teams.reopen_sheet(sheet, "Nhập nhầm", actor=admin, now=now())
    assert sheet.status == "draft"
    log = db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "team_sheet.reopen")
    ).scalar_one()
    assert log.details["total"] == 15.0


def test_a_judge_never_scores_a_team_of_their_own_unit(played):
    contest, cluster, squad, judges, admin, (intro, _, _) = played
    own = make_judge(squad[0].unit)
    db.session.add(JudgeAssignment(stage_id=cluster.stage_id, judge_id=own.id))
    db.session.commit()
    assert codes(teams.save_sheet, cluster.stage, own, squad[0], intro, {}, now=now()) == (
        "not_found"
    )


def test_standings_api_answers_for_teams_contests(played, client, login):
    contest, cluster, squad, judges, admin, _ = played
    url = f"/api/v1/contests/{contest.slug}/standings?stage=cluster-1"
    assert client.get(url).status_code == 403
    teams.publish(cluster.stage, actor=admin, now=now())
    body = client.get(url).json
    assert body["kind"] == "teams" and body["stage"] == "cluster-1"
    first = body["entries"][0]
    assert first["entry_id"] == squad[1].id
    assert first["title"] == squad[1].name
    assert first["unit_code"] == squad[1].unit.code
    assert first["jury_score"] == 50.0 and first["total"] == 50.0
    assert first["audience_score"] == 0 and first["prize"] == "first"
    # ?cluster=N names the same stage.
    assert client.get(f"/api/v1/contests/{contest.slug}/standings?cluster=1").json == body
    assert client.get(f"/api/v1/contests/{contest.slug}/standings?cluster=9").status_code == 404
    db.session.get(Team, squad[0].id)


def test_a_parts_sheet_changes_until_a_judge_submits_one(played, tree):
    contest, cluster, squad, judges, admin, (intro, knowledge, skit) = played
    fresh = make_teams_contest()
    part = teams_queries.parts(fresh.id)[0]
    change = dict(
        weight=2.0,
        special_prize="Giới thiệu ấn tượng",
        special_amount=500_000,
        seconds_per_question=30,
        points_correct=10,
        speed_bonus=0,
        wrong_penalty=0,
        actor=admin,
        now=now(),
    )
    teams.update_part(part, "Chào hỏi", [("Nội dung", 30), ("Ấn tượng", 10)], **change)
    assert [(c.title, c.max_half_points) for c in teams_queries.part_criteria(part.id)] == [
        ("Nội dung", 30),
        ("Ấn tượng", 10),
    ]
    assert (part.name, part.weight, part.special_prize) == ("Chào hỏi", 2.0, "Giới thiệu ấn tượng")
    # In the played contest sheets were submitted: the introduction's sheet stays.
    same = [(c.title, c.max_half_points) for c in teams_queries.part_criteria(intro.id)]
    assert codes(teams.update_part, intro, "Giới thiệu", [("Mới", 20)], **change) == (
        "criteria_locked"
    )
    teams.update_part(intro, "Giới thiệu đội", same, **change)  # the name and weight still may
    assert intro.name == "Giới thiệu đội"
    # A live part's timing is fixed once it has been played.
    from quiz.judging import live

    make_bank(topics={"Chuyển đổi số": 1})
    question_id = db.session.execute(db.select(db.func.max(Question.id))).scalar_one()
    live.pick_questions(cluster.stage, knowledge, [question_id], actor=admin, now=now())
    run = teams_queries.live_run(cluster.stage_id, knowledge.id)
    slower = {**change, "seconds_per_question": 45}
    teams.update_part(knowledge, "Kiến thức", [], **slower)  # not played yet: it may
    live.control(run, "next", actor=admin, now=now())
    faster = {**change, "seconds_per_question": 20}
    assert codes(teams.update_part, knowledge, "Kiến thức", [], **faster) == "live_started"


def test_a_submitted_team_sheet_is_audit_logged_with_its_total(played):
    contest, cluster, squad, judges, admin, (intro, knowledge, skit) = played
    criteria = teams_queries.part_criteria(intro.id)
    new_team = make_team(contest, make_unit(kind="commune"), cluster=cluster)
    scores = {criteria[0].id: 16, criteria[1].id: 15}
    teams.save_sheet(cluster.stage, judges[0], new_team, intro, scores, now=now())
    submitted = db.select(AuditLog).where(AuditLog.action == "team_sheet.submit")
    assert db.session.execute(submitted).first() is None
    sheet = teams.save_sheet(
        cluster.stage, judges[0], new_team, intro, scores, submit=True, now=now()
    )
    log = db.session.execute(submitted).scalar_one()
    assert (log.actor_id, log.target_id) == (judges[0].id, str(sheet.id))
    assert log.details == {"team_id": new_team.id, "part_id": intro.id, "total": 15.5}
