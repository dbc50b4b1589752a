"""Teams contests: organizers delete a part, a cluster, a team or a member while nothing
depends on it, and teams that no longer meet changed rules are shown and never confirmed."""

import pytest

from quiz.errors import DomainError
from quiz.extensions import db
from quiz.judging import teams, teams_queries
from quiz.models import AuditLog, LiveRun, Stage, Team, TeamMember, TeamSheet
from tests.factories import (
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
def world(app):
    province = make_unit(kind="province")
    communes = [make_unit(province, kind="commune") for _ in range(4)]
    admin = make_user(province, role="admin")
    contest = make_teams_contest()
    cluster = make_cluster(contest)
    squad = [make_team(contest, u, cluster=cluster) for u in communes[:2]]
    judge = make_judge(make_unit(province, kind="department"))
    from quiz.judging import services as judging_services

    judging_services.assign_judge(cluster.stage, judge, actor=admin, now=now())
    return contest, cluster, squad, judge, admin, communes


def codes(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value.code


def logged(action: str) -> list[AuditLog]:
    return list(db.session.execute(db.select(AuditLog).where(AuditLog.action == action)).scalars())


# ---- parts ----


def test_a_part_with_only_drafts_is_deleted_and_the_others_move_up(world):
    contest, cluster, squad, judge, admin, _ = world
    intro, knowledge, skit = teams_queries.parts(contest.id)
    make_team_sheet(cluster.stage, judge, squad[0], intro, [5, 5], submitted=False)
    teams.delete_part(intro, actor=admin, now=now())
    db.session.expire_all()
    assert [(p.position, p.name) for p in teams_queries.parts(contest.id)] == [
        (1, "Kiến thức"),
        (2, "Tiểu phẩm"),
    ]
    assert db.session.execute(db.select(TeamSheet)).first() is None
    assert logged("teams.part_delete")[0].details == {"part": "Giới thiệu"}


def test_a_part_with_a_submitted_sheet_or_played_live_is_not_deleted(world):
    contest, cluster, squad, judge, admin, _ = world
    intro, knowledge, skit = teams_queries.parts(contest.id)
    make_team_sheet(cluster.stage, judge, squad[0], intro, [5, 5])
    assert codes(teams.delete_part, intro, actor=admin, now=now()) == "part_in_use"
    db.session.add(LiveRun(stage_id=cluster.stage_id, part_id=knowledge.id, state="open"))
    db.session.commit()
    assert codes(teams.delete_part, knowledge, actor=admin, now=now()) == "part_in_use"
    assert len(teams_queries.parts(contest.id)) == 3
    assert codes(teams.delete_part, skit, actor=judge, now=now()) == "not_found"
    assert logged("teams.part_delete") == []


# ---- clusters ----


def test_an_undrawn_cluster_is_deleted_its_teams_wait_and_a_new_one_takes_a_fresh_key(world):
    contest, cluster, squad, judge, admin, _ = world
    stage_id = cluster.stage_id
    second = teams.add_cluster(contest, "Cụm 2", actor=admin, now=now())
    teams.delete_cluster(cluster, actor=admin, now=now())
    db.session.expire_all()
    assert db.session.get(Stage, stage_id) is None
    assert all(db.session.get(Team, t.id).cluster_id is None for t in squad)
    assert logged("teams.cluster_delete")[0].details == {"name": "Cụm 1"}
    third = teams.add_cluster(contest, "Cụm 3", actor=admin, now=now())
    assert third.stage.key == "cluster-3" and second.stage.key == "cluster-2"


def test_a_drawn_cluster_is_not_deleted(world):
    contest, cluster, squad, judge, admin, _ = world
    teams.draw_order(cluster.stage, actor=admin, now=now())
    assert codes(teams.delete_cluster, cluster, actor=admin, now=now()) == "cluster_in_use"
    assert db.session.get(Stage, cluster.stage_id) is not None


# ---- teams and members ----


def test_a_team_not_yet_in_play_is_deleted_audit_logged(world):
    contest, cluster, squad, judge, admin, communes = world
    late = make_team(contest, communes[2], confirmed=False)
    team_id = late.id
    teams.delete_team(late, actor=admin, now=now())
    db.session.expire_all()
    assert db.session.get(Team, team_id) is None
    assert db.session.execute(db.select(TeamMember).filter_by(team_id=team_id)).first() is None
    details = logged("team.delete")[0].details
    assert details["team_id"] == team_id and details["size"] == 7


def test_a_drawn_or_scored_team_is_not_deleted_nor_changed(world):
    contest, cluster, squad, judge, admin, _ = world
    intro = teams_queries.parts(contest.id)[0]
    make_team_sheet(cluster.stage, judge, squad[0], intro, [5, 5])
    assert codes(teams.delete_team, squad[0], actor=admin, now=now()) == "team_in_play"
    teams.draw_order(cluster.stage, actor=admin, now=now())
    assert codes(teams.delete_team, squad[1], actor=admin, now=now()) == "team_in_play"
    member = squad[1].members[-1]
    assert codes(teams.remove_member, squad[1], member.id, actor=admin, now=now()) == "team_in_play"
    assert len(db.session.get(Team, squad[1].id).members) == 7


def test_a_member_is_removed_the_others_keep_their_order_and_the_captain_stays(world):
    contest, cluster, squad, judge, admin, communes = world
    team = make_team(contest, communes[2], members=8, confirmed=False)
    second = team.members[1]
    teams.remove_member(team, second.id, actor=admin, now=now())
    db.session.expire_all()
    team = db.session.get(Team, team.id)
    assert [m.position for m in team.members] == list(range(1, 8))
    assert "Thành viên" in team.members[1].full_name and len(team.members) == 7
    assert logged("team.member_remove")[0].details["size"] == 7
    captain = team.members[0]
    assert codes(teams.remove_member, team, captain.id, actor=admin, now=now()) == ("captain_stays")
    assert codes(teams.remove_member, team, 10**6, actor=admin, now=now()) == "not_found"


# ---- rules changed after registration ----


def test_teams_breaking_changed_rules_are_listed_and_refused_confirmation(world):
    contest, cluster, squad, judge, admin, communes = world
    waiting = make_team(contest, communes[2], members=7, confirmed=False)
    teams.update_settings(contest, min_members=8, actor=admin, now=now())
    breaking = teams.teams_breaking_rules(contest)
    assert set(breaking) == {squad[0].id, squad[1].id, waiting.id}
    assert "từ 8 đến 12 thành viên" in breaking[waiting.id]
    assert codes(teams.confirm_team, waiting, actor=admin, now=now()) == "team_breaks_rules"
    assert db.session.get(Team, waiting.id).status == "registered"
    teams.update_settings(contest, min_members=7, actor=admin, now=now())
    assert teams.teams_breaking_rules(contest) == {}
    teams.confirm_team(waiting, actor=admin, now=now())
    assert db.session.get(Team, waiting.id).status == "confirmed"


def test_the_manage_page_shows_breaking_teams_and_deletes_refuse_with_a_message(
    world, client, login
):
    contest, cluster, squad, judge, admin, communes = world
    waiting = make_team(contest, communes[2], members=7, confirmed=False)
    teams.update_settings(contest, main_members=5, actor=admin, now=now())
    login(admin)
    manage = f"/teams/{contest.slug}/manage"
    page = client.get(manage).text
    assert "3 đội không đúng thể lệ hiện hành" in page
    assert "cần đúng 5 thành viên chính (hiện có 4)" in page
    assert 'value="confirm"' not in page
    refused = client.post(
        f"/teams/{contest.slug}/teams/{waiting.id}",
        data={"action": "confirm"},
        headers={"Referer": "http://localhost" + manage},
    )
    assert refused.status_code == 303
    assert "không đúng thể lệ hiện hành, chưa xác nhận được" in client.get(manage).text
    intro = teams_queries.parts(contest.id)[0]
    make_team_sheet(cluster.stage, judge, squad[0], intro, [5, 5])
    refused = client.post(
        f"/teams/{contest.slug}/parts/{intro.id}/delete",
        headers={"Referer": "http://localhost" + manage},
    )
    assert refused.status_code == 303
    assert "đã có phiếu chấm được nộp, không xóa được" in client.get(manage).text
    waiting_id = waiting.id
    gone = client.post(f"/teams/{contest.slug}/teams/{waiting_id}", data={"action": "delete"})
    assert gone.status_code == 303
    db.session.expire_all()
    assert db.session.get(Team, waiting_id) is None
    member = squad[1].members[-1]
    removed = client.post(
        f"/teams/{contest.slug}/teams/{squad[1].id}",
        data={"action": "remove_member", "member_id": str(member.id)},
    )
    assert removed.status_code == 303
    assert len(db.session.get(Team, squad[1].id).members) == 6
    assert (
        client.post(
            f"/teams/{contest.slug}/teams/{squad[1].id}",
            data={"action": "remove_member", "member_id": "x"},
        ).status_code
        == 404
    )
    cluster_stage = cluster.stage_id
    assert client.post(f"/teams/{contest.slug}/clusters/{cluster.id}/delete").status_code == 303
    assert db.session.get(Stage, cluster_stage) is not None  # a sheet was submitted there


def test_a_submitted_team_sheet_reads_in_words_in_the_audit_log(world, client, login):
    contest, cluster, squad, judge, admin, _ = world
    intro = teams_queries.parts(contest.id)[0]
    criteria = teams_queries.part_criteria(intro.id)
    scores = {criteria[0].id: 16, criteria[1].id: 15}
    sheet = teams.save_sheet(cluster.stage, judge, squad[0], intro, scores, submit=True, now=now())
    login(admin)
    words = " ".join(client.get("/admin/audit").text.split())
    assert f"đã nộp phiếu chấm #{sheet.id} của giám khảo «{judge.full_name}»" in words
    assert "Tổng điểm: 15,5" in words
