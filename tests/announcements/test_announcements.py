"""Announcements: organizers post, edit, unpublish and delete them; the public sees the
published ones on the home page, a paged list, a detail page and their contest's page."""

from datetime import timedelta

import pytest

from quiz.extensions import db
from quiz.models import Announcement, AuditLog
from tests.factories import make_announcement, make_bank, make_round, now


@pytest.fixture
def admin(make_unit, make_user, login):
    user = make_user(make_unit(), role="admin")
    login(user)
    return user


def _audit(action):
    return (
        db.session.execute(db.select(AuditLog).filter_by(action=action).order_by(AuditLog.id))
        .scalars()
        .all()
    )


def test_admin_posts_edits_unpublishes_and_deletes_with_audit_rows(client, admin):
    response = client.post(
        "/admin/announcements/new",
        data={
            "title": "Mở đợt thi thứ nhất",
            "body": "Chi tiết.",
            "contest_id": "0",
            "published": "y",
            "pinned": "y",
        },
    )
    assert response.status_code == 302
    announcement = db.session.execute(db.select(Announcement)).scalar_one()
    assert announcement.pinned and announcement.published_at is not None
    assert announcement.contest_id is None
    first_published = announcement.published_at
    assert "Mở đợt thi thứ nhất" in client.get(f"/announcements/{announcement.id}").text

    # Editing keeps the first publication time.
    client.post(
        f"/admin/announcements/{announcement.id}/edit",
        data={
            "title": "Mở đợt thi thứ nhất (sửa)",
            "body": "Chi tiết.",
            "contest_id": "0",
            "published": "y",
        },
    )
    db.session.refresh(announcement)
    assert announcement.title == "Mở đợt thi thứ nhất (sửa)"
    assert announcement.published_at == first_published and not announcement.pinned

    # Unpublishing: gone from the public, kept as a draft for the organizers.
    client.post(
        f"/admin/announcements/{announcement.id}/edit",
        data={"title": "Mở đợt thi thứ nhất (sửa)", "body": "", "contest_id": "0"},
    )
    db.session.refresh(announcement)
    assert announcement.published_at is None
    assert "Nháp" in client.get("/admin/announcements").text  # also shows the flashes
    assert client.get(f"/announcements/{announcement.id}").status_code == 404
    assert "Mở đợt thi thứ nhất" not in client.get("/announcements").text
    assert "Mở đợt thi thứ nhất" not in client.get("/").text

    announcement_id = announcement.id
    assert client.post(f"/admin/announcements/{announcement_id}/delete").status_code == 302
    assert db.session.execute(db.select(Announcement)).scalar() is None

    creates, edits, deletes = (_audit(f"announcement.{a}") for a in ("create", "edit", "delete"))
    assert len(creates) == 1 and len(edits) == 2 and len(deletes) == 1
    assert creates[0].actor_id == admin.id
    assert creates[0].details["title"] == "Mở đợt thi thứ nhất"
    assert edits[1].details["published"] is False
    assert deletes[0].target_id == str(announcement_id)


def test_a_blank_title_or_unknown_contest_is_refused_and_nothing_is_saved(client, admin):
    response = client.post("/admin/announcements/new", data={"title": "  ", "contest_id": "0"})
    assert response.status_code == 422
    response = client.post(
        "/admin/announcements/new", data={"title": "Tin", "contest_id": "999999"}
    )
    assert response.status_code == 422
    response = client.post("/admin/announcements/new", data={"title": "Tin", "contest_id": "x"})
    assert response.status_code == 422
    assert db.session.execute(db.select(Announcement)).scalar() is None
    assert _audit("announcement.create") == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/announcements",
        "/admin/announcements/new",
        "/admin/announcements/{id}/edit",
    ],
)
def test_announcement_admin_pages_are_admin_only(client, login, make_unit, make_user, path):
    announcement = make_announcement()
    path = path.format(id=announcement.id)
    assert client.get(path).status_code == 302  # anonymous: log in first
    unit = make_unit()
    login(make_user(unit, role="unit_manager"))
    assert client.get(path).status_code == 403
    assert client.post(f"/admin/announcements/{announcement.id}/delete").status_code == 403
    assert client.post("/admin/announcements/new", data={"title": "x"}).status_code == 403
    client.post("/auth/logout")
    login(make_user(unit, role="contestant"))
    assert client.get(path).status_code == 403
    assert db.session.get(Announcement, announcement.id) is not None
    assert db.session.execute(db.select(db.func.count(Announcement.id))).scalar() == 1


def test_public_list_is_paged_pinned_first_and_hides_drafts(client):
    start = now() - timedelta(days=30)
    for i in range(12):
        make_announcement(title=f"Tin thường {i:02d}", published_at=start + timedelta(days=i))
    make_announcement(title="Tin ghim cũ", pinned=True, published_at=start - timedelta(days=1))
    make_announcement(title="Bản nháp bí mật", published_at=None)

    first = client.get("/announcements").text
    assert "Trang 1 / 2" in first
    assert first.index("Tin ghim cũ") < first.index("Tin thường 11")
    assert "Tin thường 02" not in first
    second = client.get("/announcements?page=2")
    assert second.status_code == 200
    assert "Trang 2 / 2" in second.text and "Trang trước" in second.text
    assert "Tin thường 00" in second.text and "Tin thường 11" not in second.text
    for page in (first, second.text):
        assert "Bản nháp bí mật" not in page
    assert client.get("/announcements?page=x").status_code == 404

    home = client.get("/").text
    assert "Tin ghim cũ" in home and "Tin thường 11" in home and "Tin thường 10" in home
    assert "Tin thường 09" not in home and "Bản nháp bí mật" not in home


def test_admin_list_shows_its_second_page(client, admin):
    for i in range(51):
        make_announcement(title=f"Tin {i}", published_at=None if i % 2 else now())
    second = client.get("/admin/announcements?page=2")
    assert second.status_code == 200
    assert "Trang 2 / 2" in second.text and "Trang trước" in second.text


def test_a_script_in_the_body_is_shown_as_text_and_urls_become_links(client):
    announcement = make_announcement(
        body="Xem https://dichvucong.gov.vn/p/home.html ngay.\n\n"
        "<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[bấm](javascript:alert(1))"
    )
    page = client.get(f"/announcements/{announcement.id}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert '<a href="https://dichvucong.gov.vn/p/home.html">' in page


def test_a_contest_page_shows_only_its_own_published_announcements(client):
    round_ = make_round(make_bank())
    other = make_round(make_bank(name="Ngân hàng khác"))
    make_announcement(title="Tin của hội thi này", contest_id=round_.contest_id)
    make_announcement(title="Tin nháp của hội thi", contest_id=round_.contest_id, published_at=None)
    make_announcement(title="Tin của hội thi khác", contest_id=other.contest_id)
    page = client.get(f"/contests/{round_.contest.slug}").text
    assert "Tin của hội thi này" in page
    assert "Tin nháp của hội thi" not in page and "Tin của hội thi khác" not in page


def test_english_speakers_read_the_list_in_english(client):
    make_announcement(title="Thông báo A")
    client.set_cookie("lang", "en")
    page = client.get("/announcements").text
    assert "Announcements" in page and "Thông báo A" in page
