"""Pages of entries contests: public page, units' entries and picks, jury, secretariat."""

from datetime import timedelta

import pytest

from quiz.extensions import db
from quiz.judging import queries, services
from quiz.models import AuditLog, Entry, EntryVote, ScoreSheet
from quiz.query_args import PAGE_SIZE
from tests.factories import (
    make_entries_contest,
    make_entry,
    make_judge,
    make_sheet,
    make_unit,
    make_user,
    now,
)
from tests.sheets import open_book, table, title_block


@pytest.fixture
def world(app):
    province = make_unit(kind="province", name="Tỉnh Thử")
    district = make_unit(province, kind="district", name="Huyện Thử")
    communes = [make_unit(district, name=f"Xã {i}") for i in range(3)]
    contest = make_entries_contest(
        voting_opens_at=now() - timedelta(days=1),
        voting_closes_at=now() + timedelta(days=1),
        votes_public=True,
        prizes={"first": {"count": 1, "amount": 10_000_000}},
    )
    entries = [
        make_entry(contest, communes[0], video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        make_entry(contest, communes[1], title="Clip xã 1"),
        make_entry(contest, communes[2], title="Clip xã 2"),
    ]
    department = make_unit(province, kind="department", name="Sở Thử")
    return {
        "province": province,
        "district": district,
        "communes": communes,
        "contest": contest,
        "entries": entries,
        "judge": make_judge(department, assign_to=contest),
        "admin": make_user(province, role="admin"),
    }


def page_url(w) -> str:
    return f"/contests/{w['contest'].slug}"


def test_public_page_lists_entries_with_their_videos(client, world):
    response = client.get(page_url(world))
    assert response.status_code == 200
    html = response.text
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "Clip xã 1" in html
    assert (
        "frame-src https://www.youtube-nocookie.com" in response.headers["Content-Security-Policy"]
    )
    # Nothing of the standings before publication.
    assert "Kết quả chung kết" not in html


def test_public_page_pages_past_the_first_page_and_hides_rejected(client, world):
    more = [make_entry(world["contest"], world["communes"][0]) for _ in range(PAGE_SIZE)]
    services.reject_entry(more[-1], "Sai thể lệ", actor=world["admin"], now=now())
    second = client.get(page_url(world) + "?page=2")
    assert second.status_code == 200
    assert more[-2].title in second.text
    assert more[-1].title not in second.text
    assert "Trang 2 / 2" in second.text


def test_a_logged_in_person_votes_once(client, world, login):
    voter = make_user(world["communes"][0])
    login(voter)
    entry = world["entries"][1]
    assert "Bình chọn" in client.get(page_url(world)).text
    for _ in range(2):
        response = client.post(f"/judging/entries/{entry.id}/vote")
        assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(EntryVote.id))) == 1
    assert "Bạn đã bình chọn" in client.get(page_url(world)).text


def test_voting_needs_a_login(client, world):
    response = client.post(f"/judging/entries/{world['entries'][0].id}/vote")
    assert response.status_code == 302 and "/auth/login" in response.location
    assert db.session.execute(db.select(EntryVote)).first() is None


def test_published_standings_and_prizes_show_on_the_public_page(client, world):
    make_sheet(world["contest"], world["judge"], world["entries"][1], [40, 30])
    stage = queries.stage_of(world["contest"], "final")
    services.publish(stage, actor=world["admin"], now=now())
    html = client.get(page_url(world)).text
    assert "Kết quả chung kết" in html and "Giải Nhất" in html


def test_manager_registers_edits_and_other_units_find_nothing(client, world, login):
    manager = make_user(world["communes"][0], role="unit_manager")
    login(manager)
    url = f"/judging/{world['contest'].slug}/mine"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"title": "", "authors": "A"})
    assert bad.status_code == 422
    response = client.post(
        url,
        data={"title": "Xã số", "authors": "Tổ CNS", "video_url": "https://fb.watch/abc/"},
    )
    assert response.status_code == 302
    entry = db.session.execute(db.select(Entry).filter_by(title="Xã số")).scalar_one()
    edit = client.post(
        f"/judging/entries/{entry.id}/edit",
        data={"title": "Xã số 2", "authors": "Tổ CNS", "video_url": "https://fb.watch/abc/"},
    )
    assert edit.status_code == 302
    assert db.session.get(Entry, entry.id).title == "Xã số 2"
    assert client.get(f"/judging/entries/{world['entries'][1].id}/edit").status_code == 404


def test_district_manager_picks_within_the_quota_on_the_page(client, world, login):
    queries.settings_of(world["contest"]).preliminary_quota = 1
    db.session.commit()
    login(make_user(world["district"], role="unit_manager"))
    page = client.get(f"/judging/{world['contest'].slug}/mine")
    assert "Đã chọn 0 / 1" in page.text
    client.post(f"/judging/entries/{world['entries'][0].id}/pick")
    client.post(f"/judging/entries/{world['entries'][1].id}/pick")
    assert (
        "Đơn vị đã chọn đủ 1 tác phẩm." in client.get(f"/judging/{world['contest'].slug}/mine").text
    )
    assert queries.picks_of(world["contest"].id, world["district"].id) == 1


def test_judge_queue_and_sheet_draft_then_submit(client, world, login):
    own = make_judge(world["communes"][0], assign_to=world["contest"])
    login(own)
    queue = client.get("/judging/jury").text
    assert world["entries"][0].title not in queue
    assert "Clip xã 1" in queue
    stage = queries.stage_of(world["contest"], "final")
    url = f"/judging/stages/{stage.id}/entries/{world['entries'][1].id}"
    assert (
        client.get(f"/judging/stages/{stage.id}/entries/{world['entries'][0].id}").status_code
        == 404
    )
    content, art = (c.id for c in queries.criteria(world["contest"].id))
    refused = client.post(url, data={f"c{content}": "41", f"c{art}": "7,3", "save": "1"})
    assert refused.status_code == 422
    assert "Điểm phải từ 0 đến 40." in refused.text
    assert "cho phép nửa điểm" in refused.text
    assert db.session.execute(db.select(ScoreSheet)).first() is None
    draft = client.post(url, data={f"c{content}": "35,5", "comment": "Tốt", "save": "1"})
    assert draft.status_code == 302
    done = client.post(url, data={f"c{content}": "35,5", f"c{art}": "20", "submit": "1"})
    assert done.status_code == 302
    sheet = db.session.execute(db.select(ScoreSheet)).scalar_one()
    assert sheet.status == "submitted"
    locked = client.post(url, data={f"c{content}": "40", f"c{art}": "30", "submit": "1"})
    assert locked.status_code == 422
    assert "Phiếu chấm đã nộp" in locked.text
    assert "55,5" in client.get("/judging/jury").text


def test_admin_pages_render_and_others_find_nothing(client, world, login):
    slug = world["contest"].slug
    for _ in range(PAGE_SIZE):
        make_entry(world["contest"], world["communes"][1])
    login(make_user(world["communes"][0], role="unit_manager"))
    assert client.get(f"/judging/{slug}/admin").status_code == 404
    client.post("/auth/logout")
    login(world["admin"])
    for path in ("admin", "admin/entries", "admin/entries?page=2", "admin/jury", "admin/standings"):
        response = client.get(f"/judging/{slug}/{path}")
        assert response.status_code == 200, path


def test_secretariat_reopens_and_publishes_from_the_pages(client, world, login):
    sheet = make_sheet(world["contest"], world["judge"], world["entries"][0], [30, 20])
    login(world["admin"])
    grid = client.get(f"/judging/{world['contest'].slug}/admin/jury").text
    assert "Còn thiếu 2 phiếu." in grid
    assert (
        client.post(f"/judging/sheets/{sheet.id}/reopen", data={"reason": "Sửa"}).status_code == 302
    )
    assert db.session.get(ScoreSheet, sheet.id).status == "draft"
    stage = queries.stage_of(world["contest"], "final")
    assert client.post(f"/judging/stages/{stage.id}/publish").status_code == 302
    assert db.session.get(type(stage), stage.id).published_at is not None
    actions = set(db.session.execute(db.select(AuditLog.action)).scalars())
    assert {"sheet.reopen", "standings.publish"} <= actions


def test_settings_and_criteria_forms_refuse_bad_input(client, world, login):
    login(world["admin"])
    slug = world["contest"].slug
    response = client.post(f"/judging/{slug}/admin/criteria", data={"criteria": "Nội dung 40"})
    assert response.status_code == 422
    assert "Dòng 1" in response.text
    response = client.post(
        f"/judging/{slug}/admin/criteria", data={"criteria": "Nội dung = 50\nKỹ thuật = 25,5"}
    )
    assert response.status_code == 302
    assert [c.max_half_points for c in queries.criteria(world["contest"].id)] == [100, 51]
    response = client.post(f"/judging/{slug}/admin/settings", data={"jury_weight": "-1"})
    assert response.status_code == 422


def test_exports_are_xlsx_with_a_header_row(client, world, login):
    make_sheet(world["contest"], world["judge"], world["entries"][0], [30, 20])
    login(world["admin"])
    for what, header in (("sheets", "Mã tác phẩm"), ("standings", "Hạng"), ("payout", "Giải")):
        response = client.get(f"/judging/{world['contest'].slug}/admin/export/{what}.xlsx")
        assert response.status_code == 200
        sheet = open_book(response.data).worksheets[0]
        assert table(sheet)[0][0] == header
        assert f"Hội thi: {world['contest'].title}" in title_block(sheet)
    payout = open_book(
        client.get(f"/judging/{world['contest'].slug}/admin/export/payout.xlsx").data
    ).worksheets[0]
    assert table(payout)[1][6] == 10_000_000


def test_printable_sheets_for_the_judge(client, world, login):
    make_sheet(world["contest"], world["judge"], world["entries"][0], [30, 20.5])
    stage = queries.stage_of(world["contest"], "final")
    login(world["judge"])
    response = client.get(f"/judging/stages/{stage.id}/judges/{world['judge'].id}/print")
    assert response.status_code == 200 and "20,5" in response.text
    other = make_judge(world["province"], assign_to=world["contest"])
    assert client.get(f"/judging/stages/{stage.id}/judges/{other.id}/print").status_code == 404


def test_uploaded_file_is_served_with_its_type_in_a_sandbox(client, world, app, web_app, tmp_path):
    folder = tmp_path / "files"
    app.config["JUDGED_FILES_DIR"] = web_app.config["JUDGED_FILES_DIR"] = str(folder)
    manager = make_user(world["communes"][0], role="unit_manager")
    entry = services.register_entry(
        world["contest"],
        world["communes"][0].id,
        title="T",
        authors="A",
        upload=("clip.mp4", b"\0\0\0 ftypmp4"),
        actor=manager,
        now=now(),
    )
    response = client.get(f"/judging/entries/{entry.id}/file")
    assert response.status_code == 200
    assert response.mimetype == "video/mp4"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.data == b"\0\0\0 ftypmp4"
    response.close()
    assert client.get(f"/judging/entries/{world['entries'][0].id}/file").status_code == 404


def test_secretariat_assigns_judges_from_the_page(client, world, login):
    stage = queries.stage_of(world["contest"], "final")
    newcomer = make_judge(world["province"])
    contestant = make_user(world["province"])
    login(world["admin"])
    assert newcomer.full_name in client.get(f"/judging/{world['contest'].slug}/admin/jury").text
    client.post(f"/judging/stages/{stage.id}/judges", data={"judge_id": str(newcomer.id)})
    client.post(f"/judging/stages/{stage.id}/judges", data={"judge_id": str(contestant.id)})
    assert {j.id for j in queries.assigned_judges(stage.id)} == {world["judge"].id, newcomer.id}


def test_admin_creates_an_entries_contest_from_the_contests_page(client, world, login):
    login(world["admin"])
    response = client.post(
        "/admin/contests", data={"slug": "clip-moi", "title": "Clip mới", "kind": "entries"}
    )
    assert response.status_code == 302
    contest = queries.contest_by_slug("clip-moi")
    assert contest.kind == "entries" and queries.stage_of(contest, "final") is not None
    assert "Quản lý cuộc thi tác phẩm" in client.get("/admin/contests").text


def test_secretariat_saves_the_settings_from_the_page(client, world, login):
    login(world["admin"])
    data = {
        "registration_closes_at": "2026-12-20T17:00",
        "selection_closes_at": "",
        "preliminary_quota": "2",
        "voting_opens_at": "2026-12-21T08:00",
        "voting_closes_at": "2027-01-04T08:00",
        "site_votes": "y",
        "jury_weight": "90",
        "audience_weight": "10",
        "vote_factor": "1",
        "like_factor": "0,5",
        "share_factor": "2",
        "finalist_count": "4",
        "first_count": "1",
        "first_amount": "10000000",
        "second_count": "1",
        "second_amount": "7000000",
        "third_count": "2",
        "third_amount": "5000000",
        "consolation_count": "0",
        "consolation_amount": "0",
    }
    response = client.post(f"/judging/{world['contest'].slug}/admin/settings", data=data)
    assert response.status_code == 302, response.text
    settings = queries.settings_of(world["contest"])
    db.session.refresh(settings)
    assert settings.preliminary_quota == 2 and settings.like_factor == 0.5
    assert settings.votes_public is False
    assert settings.registration_closes_at.isoformat() == "2026-12-20T10:00:00+00:00"
    assert settings.prizes["third"] == {"count": 2, "amount": 5_000_000}
    assert "consolation" not in settings.prizes
    bad = dict(data, voting_closes_at="2026-12-20T08:00")
    response = client.post(f"/judging/{world['contest'].slug}/admin/settings", data=bad)
    assert response.status_code == 422
    assert "Thời điểm kết thúc bình chọn phải sau thời điểm mở." in response.text


def test_pages_speak_english_too(client, world, login):
    make_sheet(world["contest"], world["judge"], world["entries"][0], [30, 20])
    stage = queries.stage_of(world["contest"], "final")
    client.set_cookie("lang", "en")
    slug = world["contest"].slug
    assert "How entries are scored" in client.get(f"/contests/{slug}").text
    login(world["judge"])
    assert "Judging" in client.get("/judging/jury").text
    sheet = client.get(f"/judging/stages/{stage.id}/entries/{world['entries'][1].id}").text
    assert "Submit the sheet" in sheet and "at most 40" in sheet
    client.post("/auth/logout")
    login(world["admin"])
    for path, text in (
        ("admin", "Contest settings"),
        ("admin/entries", "Reject the entry"),
        ("admin/jury", "sheets missing"),
        ("admin/standings", "Not published"),
    ):
        assert text in client.get(f"/judging/{slug}/{path}").text, path


def test_judge_queue_and_secretariat_grid_page_past_page_one_with_whole_set_counts(
    client, world, login
):
    extra = [
        make_entry(world["contest"], world["communes"][1], title=f"Thêm {i:02d}")
        for i in range(PAGE_SIZE)
    ]
    make_sheet(world["contest"], world["judge"], world["entries"][1], [30, 20])
    stage = queries.stage_of(world["contest"], "final")
    total = len(world["entries"]) + len(extra)
    login(world["judge"])
    first = client.get("/judging/jury").text
    assert f"Đã nộp 1 / {total} phiếu." in first
    assert world["entries"][0].title in first and extra[-1].title not in first
    assert f"page_{stage.id}=2" in first
    second = client.get(f"/judging/jury?page_{stage.id}=2").text
    assert extra[-1].title in second and world["entries"][0].title not in second
    assert f"Đã nộp 1 / {total} phiếu." in second
    assert client.get(f"/judging/jury?page_{stage.id}=x").status_code == 404
    client.post("/auth/logout")
    login(world["admin"])
    slug = world["contest"].slug
    grid = client.get(f"/judging/{slug}/admin/jury").text
    assert f"Còn thiếu {total - 1} phiếu." in grid and extra[-1].title not in grid
    grid2 = client.get(f"/judging/{slug}/admin/jury?page=2").text
    assert f"Còn thiếu {total - 1} phiếu." in grid2
    assert extra[-1].title in grid2 and world["entries"][0].title not in grid2
