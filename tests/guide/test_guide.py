"""The how-to page, and the banner and snippets for units' own websites."""

from datetime import timedelta

from quiz.guide.views import two_lines
from tests.factories import make_bank, make_round, now


def test_how_to_quotes_the_open_round_settings_in_both_languages(client):
    make_round(
        make_bank(),
        title="Đợt đã đóng",
        opens_at=now() - timedelta(days=9),
        closes_at=now() - timedelta(days=8),
        time_limit_seconds=300,
    )
    make_round(
        make_bank(name="Ngân hàng 2"),
        title="Tuần thi thứ hai",
        question_count=20,
        time_limit_seconds=900,
        attempts_allowed=2,
    )
    page = client.get("/how-to")
    assert page.status_code == 200
    assert "Hướng dẫn dự thi" in page.text
    assert "Tuần thi thứ hai" in page.text and "Đợt đã đóng" not in page.text
    assert "20 câu hỏi, làm trong 15 phút" in page.text
    assert "được thi 2 lần" in page.text
    assert "Bắt đầu tính giờ" in page.text

    client.set_cookie("lang", "en")
    english = client.get("/how-to").text
    assert "How to take part" in english
    assert "20 questions, 15 minutes" in english
    assert "Hướng dẫn dự thi" not in english


def test_how_to_works_without_any_round(client):
    page = client.get("/how-to")
    assert page.status_code == 200 and "Đăng ký tài khoản" in page.text


def test_how_to_is_linked_from_the_header_and_the_home_page(client):
    home = client.get("/").text
    assert home.count('href="/how-to"') >= 2
    assert 'href="/materials"' in home and 'href="/announcements"' in home


def test_the_banner_may_be_embedded_by_other_sites_and_is_cached(
    client, login, make_unit, make_user
):
    response = client.get("/embed/banner.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert "Chuyển đổi số" in response.text and "<script" not in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers
    again = client.get("/embed/banner.svg", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # Still cacheable and in Vietnamese for a logged-in English speaker: one image for all.
    login(make_user(make_unit()))
    client.set_cookie("lang", "en")
    mine = client.get("/embed/banner.svg")
    assert "public" in mine.headers["Cache-Control"] and mine.data == response.data


def test_pages_still_refuse_to_be_framed_or_loaded_cross_origin(client):
    for path in ("/embed", "/how-to", "/"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Cross-Origin-Resource-Policy" not in response.headers


def test_the_embed_page_offers_escaped_snippets_pointing_to_the_site(client):
    round_ = make_round(make_bank())
    page = client.get("/embed").text
    # Shown as text to copy (escaped), never as markup of this page.
    snippet = '&lt;a href="http://localhost/"&gt;&lt;img src="http://localhost/embed/banner.svg"'
    assert snippet in page
    assert f"http://localhost/contests/{round_.contest.slug}" in page
    assert '<img src="/embed/banner.svg' in page  # the preview


def test_the_banner_splits_the_name_in_two_balanced_lines():
    first, second = two_lines("Hội thi trực tuyến tìm hiểu về Chuyển đổi số và Cải cách hành chính")
    assert first == "Hội thi trực tuyến tìm hiểu về"
    assert second == "Chuyển đổi số và Cải cách hành chính"
    assert two_lines("Một") == ("Một", "")


def test_the_demo_seeds_announcements_and_study_materials_once(runner, client):
    from quiz.extensions import db
    from quiz.models import Announcement, StudyMaterial

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count(Announcement.id))).scalar() == 2
    materials = db.session.execute(db.select(StudyMaterial)).scalars().all()
    assert len(materials) >= 3 and all(m.url and not m.stored_name for m in materials)
    home = client.get("/").text
    assert "Khai mạc Hội thi trực tuyến" in home
    assert "Cổng Dịch vụ công quốc gia" in client.get("/materials").text
    contest_page = client.get("/contests/hoi-thi-cds-cchc-demo").text
    assert "Khai mạc Hội thi trực tuyến" in contest_page
    assert "15 phút" in client.get("/how-to").text
