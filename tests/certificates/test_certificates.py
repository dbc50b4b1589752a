"""Published results for contestants, and their certificates (PDF, verification, bulk ZIP)."""

import io
import re
import zipfile
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import event

from quiz.extensions import db
from quiz.models import Attempt, AuditLog, Certificate, CertificateSetting, Round
from quiz.results import publication
from tests.admin.test_contests import statements_of
from tests.factories import make_round, now

from .conftest import CONTEST, ROUND, T0, add_attempt, enable


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def attempt_of(round_: Round, user) -> Attempt:
    return db.session.execute(
        db.select(Attempt).filter_by(round_id=round_.id, user_id=user.id)
    ).scalar_one()


def code_of(round_: Round, user) -> str:
    return db.session.execute(
        db.select(Certificate.code).filter_by(round_id=round_.id, user_id=user.id)
    ).scalar_one()


# ---- the result page, the home page and the contest page ----


def test_result_page_says_rank_and_prize_only_after_publication(client_for, closed_round, people):
    winner = client_for(people["winner"])
    path = f"/attempts/{attempt_of(closed_round, people['winner']).id}/result"
    before = winner.get(path).text
    assert "Sẽ có khi Ban Tổ chức công bố kết quả." in before
    assert 'id="my-rank"' not in before and "Giải Nhất" not in before
    assert "certificate.pdf" not in before
    enable(closed_round)
    publication.publish(closed_round, actor=None, now=now())
    after = winner.get(path).text
    assert "Sẽ có khi" not in after
    rank = re.search(r'id="my-rank"><strong>(\d+)</strong>', after)
    assert rank and rank[1] == "2"
    assert "Cán bộ, công chức, viên chức, người lao động" in after
    assert re.search(r'id="my-prize"><strong>Giải Nhất</strong>', after)
    assert f"/rounds/{closed_round.id}/certificate.pdf" in after
    assert f"/rounds/{closed_round.id}/results" in after


def test_organizer_staff_sees_rank_one_and_no_prize(client_for, published, people):
    page = (
        client_for(people["staff"])
        .get(f"/attempts/{attempt_of(published, people['staff']).id}/result")
        .text
    )
    assert re.search(r'id="my-rank"><strong>1</strong>', page)
    assert "Thành viên Ban Tổ chức không xét giải." in page
    ranked = (
        client_for(people["ranked"])
        .get(f"/attempts/{attempt_of(published, people['ranked']).id}/result")
        .text
    )
    assert re.search(r'id="my-rank"><strong>3</strong>', ranked) and "Không đạt giải" in ranked


def test_result_page_queries_do_not_depend_on_publication_or_the_round_size(
    client_for, web_app, published, people, unit, make_user
):
    winner = client_for(people["winner"])
    path = f"/attempts/{attempt_of(published, people['winner']).id}/result"
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with web_app.app_context():
        engine = db.engine
    winner.get(path)
    event.listen(engine, "before_cursor_execute", count)
    try:
        winner.get(path)
        few = len(statements)
        for i in range(5):
            add_attempt(published, make_user(unit), correct=3, submitted=100 + i)
        statements.clear()
        winner.get(path)
        many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert many == few


def test_home_and_contest_pages_lead_to_published_results(client, closed_round):
    results = f"/rounds/{closed_round.id}/results"
    home, contest = client.get("/").text, client.get("/contests/hoi-thi-cds").text
    assert results not in home and results not in contest
    publication.publish(closed_round, actor=None, now=now())
    db.session.expire_all()
    home, contest = client.get("/").text, client.get("/contests/hoi-thi-cds").text
    assert f'href="{results}"' in home and f'href="{results}"' in contest
    assert "Xem kết quả đã công bố" in contest


def test_home_offers_results_instead_of_taking_part_once_every_round_is_closed(client, published):
    published.closes_at = published.opens_at + (published.closes_at - published.opens_at) / 2
    db.session.commit()
    home = client.get("/").text
    assert "Xem thể lệ và dự thi" not in home
    assert f"Xem kết quả {ROUND}" in home


# ---- a person's own certificate ----


def test_winner_downloads_a_prize_certificate_with_a_stable_code(client_for, published, people):
    winner = client_for(people["winner"])
    response = winner.get(f"/rounds/{published.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    code = code_of(published, people["winner"])
    assert len(code) >= 22
    for expected in (
        "GIẤY CHỨNG NHẬN",
        "Nguyễn Thị Ánh Dương",
        "Sở Khoa học và Công nghệ",
        ROUND,
        CONTEST.upper(),
        "Giải Nhất",
        "10/10 câu trả lời đúng",
        "xếp hạng 2",
        code,
        f"/certificates/{code}",
        "TRƯỞNG BAN TỔ CHỨC",
        "Võ Minh Quân",
        "Ngày 04 tháng 10 năm 2026",
    ):
        assert expected in text, expected
    again = winner.get(f"/rounds/{published.id}/certificate.pdf")
    assert code in pdf_text(again.data)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1


def test_participant_without_prize_gets_a_participation_certificate(client_for, published, people):
    for who in ("ranked", "staff"):
        response = client_for(people[who]).get(f"/rounds/{published.id}/certificate.pdf")
        assert response.status_code == 200
        text = pdf_text(response.data)
        assert f"Đã tham gia {ROUND}" in text and "Giải" not in text.replace("GIẤY", "")
        assert people[who].full_name in text


def test_no_certificate_for_a_non_participant_or_anonymous_visitor(client_for, published, people):
    path = f"/rounds/{published.id}/certificate.pdf"
    assert client_for(people["bystander"]).get(path).status_code == 404
    anonymous = client_for(None).get(path)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.location
    assert client_for(people["winner"]).get("/rounds/999999/certificate.pdf").status_code == 404
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_no_certificate_before_publication(client_for, closed_round, people):
    enable(closed_round)
    response = client_for(people["winner"]).get(f"/rounds/{closed_round.id}/certificate.pdf")
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_setting_off_means_no_link_no_download_and_no_verification(client_for, published, people):
    winner = client_for(people["winner"])
    winner.get(f"/rounds/{published.id}/certificate.pdf")
    code = code_of(published, people["winner"])
    enable(published, enabled=False)
    result = winner.get(f"/attempts/{attempt_of(published, people['winner']).id}/result").text
    assert "certificate.pdf" not in result and "Giải Nhất" in result
    assert winner.get(f"/rounds/{published.id}/certificate.pdf").status_code == 404
    assert client_for(None).get(f"/certificates/{code}").status_code == 404


def test_a_contest_without_a_setting_issues_no_certificates(client_for, closed_round, people):
    publication.publish(closed_round, actor=None, now=now())
    assert db.session.get(CertificateSetting, closed_round.contest_id) is None
    winner = client_for(people["winner"])
    assert winner.get(f"/rounds/{closed_round.id}/certificate.pdf").status_code == 404


# ---- verification ----


def test_verification_page_names_the_person_and_what_is_certified(client_for, published, people):
    client_for(people["winner"]).get(f"/rounds/{published.id}/certificate.pdf")
    client_for(people["ranked"]).get(f"/rounds/{published.id}/certificate.pdf")
    visitor = client_for(None)
    page = visitor.get(f"/certificates/{code_of(published, people['winner'])}").text
    assert "Nguyễn Thị Ánh Dương" in page and "Sở Khoa học và Công nghệ" in page
    assert CONTEST in page and ROUND in page and "Giải Nhất" in page
    assert "Trần Văn Bình" not in page
    # It reveals no score, rank or login.
    assert "10/10" not in page and people["winner"].email not in page
    other = visitor.get(f"/certificates/{code_of(published, people['ranked'])}").text
    assert "Trần Văn Bình" in other and "Đã tham gia đợt thi" in other


def test_unknown_or_malformed_codes_are_not_found(client_for, published):
    visitor = client_for(None)
    for code in ("A" * 22, "abc", "x" * 200, "%27%20or%201=1", "ü" * 22):
        response = visitor.get(f"/certificates/{code}")
        assert response.status_code == 404, code
        assert "Không tìm thấy" in response.text


# ---- organizers ----


def test_admin_turns_certificates_on_with_a_signer_and_it_is_audited(
    client_for, admin, closed_round
):
    staff = client_for(admin)
    edit = staff.get(f"/admin/contests/{closed_round.contest_id}/edit").text
    assert "Giấy chứng nhận" in edit
    response = staff.post(
        f"/admin/contests/{closed_round.contest_id}/certificates",
        data={"enabled": "y", "signer_title": " TRƯỞNG  BAN ", "signer_name": "Võ Minh Quân"},
    )
    assert response.status_code == 302
    setting = db.session.get(CertificateSetting, closed_round.contest_id)
    assert setting.enabled and setting.signer_title == "TRƯỞNG BAN"
    entry = db.session.execute(
        db.select(AuditLog).filter_by(action="certificates.settings")
    ).scalar_one()
    assert entry.actor_id == admin.id and entry.details["enabled"] is True


def test_a_too_long_signer_is_refused_and_nothing_changes(client_for, admin, closed_round):
    response = client_for(admin).post(
        f"/admin/contests/{closed_round.contest_id}/certificates",
        data={"enabled": "y", "signer_title": "X" * 201},
    )
    assert response.status_code == 422
    assert "tối đa 200 ký tự" in response.text
    assert db.session.get(CertificateSetting, closed_round.contest_id) is None


def test_contestants_cannot_change_the_setting_or_queue_the_bundle(client_for, published, people):
    contestant = client_for(people["winner"])
    assert (
        contestant.post(
            f"/admin/contests/{published.contest_id}/certificates", data={"enabled": "y"}
        ).status_code
        == 403
    )
    assert contestant.post(f"/admin/rounds/{published.id}/certificates").status_code == 403


def test_bulk_download_holds_every_ranked_person(
    client_for, admin, published, people, unit, make_user, run_jobs, monkeypatch
):
    from quiz.certificates import services

    monkeypatch.setattr(services, "PAGES_PER_FILE", 3)
    names = [p.full_name for k, p in people.items() if k != "bystander"]
    for i in range(2):
        extra = make_user(unit, full_name=f"Đặng Thị Thêm {i}")
        add_attempt(published, extra, correct=1, submitted=10 + i)
    # They took part after publication: not in the frozen ranking, so no certificate.
    staff = client_for(admin)
    page = staff.get(f"/admin/rounds/{published.id}/results").text
    assert "Tải tất cả giấy chứng nhận" in page
    response = staff.post(f"/admin/rounds/{published.id}/certificates", data={})
    assert response.status_code == 302 and "/admin/jobs/" in response.location
    assert run_jobs() == (1, 0)
    job_page = staff.get(response.location).text
    assert "Tạo giấy chứng nhận của đợt thi" in job_page and "/download" in job_page
    download = staff.get(response.location + "/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        files = archive.namelist()
        text = "\n".join(pdf_text(archive.read(f)) for f in files)
    assert files == [f"giay-chung-nhan-dot-{published.id}-phan-001.pdf"]
    for name in names:
        assert name in text
    assert "Đặng Thị Thêm" not in text and "Phạm Đức Thắng" not in text
    codes = db.session.execute(db.select(Certificate.code)).scalars().all()
    assert len(codes) == 3 and all(code in text for code in codes)


def test_bulk_download_splits_into_files_and_keeps_codes_already_issued(
    client_for, admin, published, people, unit, make_user, run_jobs, monkeypatch
):
    from quiz.certificates import services

    monkeypatch.setattr(services, "PAGES_PER_FILE", 2)
    client_for(people["winner"]).get(f"/rounds/{published.id}/certificate.pdf")
    first = code_of(published, people["winner"])
    staff = client_for(admin)
    response = staff.post(f"/admin/rounds/{published.id}/certificates", data={})
    assert run_jobs() == (1, 0)
    with zipfile.ZipFile(io.BytesIO(staff.get(response.location + "/download").data)) as z:
        files = z.namelist()
        text = "\n".join(pdf_text(z.read(f)) for f in files)
    assert len(files) == 2
    assert first in text and code_of(published, people["winner"]) == first


def test_bulk_download_is_refused_when_certificates_are_off(client_for, admin, published):
    enable(published, enabled=False)
    staff = client_for(admin)
    assert staff.post(f"/admin/rounds/{published.id}/certificates", data={}).status_code == 404
    page = staff.get(f"/admin/rounds/{published.id}/results").text
    assert "Hội thi này không cấp giấy chứng nhận." in page


def test_demo_contestant_sees_a_published_prize_and_downloads_a_certificate(runner, client_for):
    from quiz.models import User
    from quiz.seed import PUBLISHED_TITLE

    output = runner.invoke(args=["seed-demo"]).output
    password = re.search(r"binh\.tv@demo\.example\.vn\s+(\S+)", output)[1]
    binh = db.session.execute(
        db.select(User).filter_by(email="binh.tv@demo.example.vn")
    ).scalar_one()
    round_ = db.session.execute(db.select(Round).filter_by(title=PUBLISHED_TITLE)).scalar_one()
    assert round_.results_published_at is not None
    client = client_for(None)
    login = client.post("/auth/login", data={"login": binh.email, "password": password})
    assert login.status_code == 302
    page = client.get(f"/attempts/{attempt_of(round_, binh).id}/result").text
    assert re.search(r'id="my-rank"><strong>1</strong>', page)
    assert re.search(r'id="my-prize"><strong>Giải Nhất</strong>', page)
    certificate = client.get(f"/rounds/{round_.id}/certificate.pdf")
    assert certificate.status_code == 200
    assert "Trần Văn Bình" in pdf_text(certificate.data)


def test_codes_made_for_the_bundle_keep_one_made_meanwhile(client_for, published, people):
    from quiz.certificates import services

    client_for(people["winner"]).get(f"/rounds/{published.id}/certificate.pdf")
    first = code_of(published, people["winner"])
    # The bundle read the winner as still without a code, then the winner downloaded.
    services._insert_codes(published, [people["winner"].id, people["ranked"].id], now())
    db.session.commit()
    assert code_of(published, people["winner"]) == first
    assert code_of(published, people["ranked"]) != first


def test_web_workers_load_the_pdf_library_only_when_a_certificate_is_made():
    import subprocess
    import sys

    code = (
        "import sys\nfrom quiz import create_app\n"
        'create_app({"ENVIRON": {"APP_ENV": "test"}, "SECRET_KEY": "x"})\n'
        'print(any(m in sys.modules for m in ("fpdf", "segno", "fontTools")))'
    )
    # (Pillow is not in the list: openpyxl loads it whenever it is installed.)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_pages_speak_english_too(client_for, published, people):
    winner = client_for(people["winner"])
    winner.set_cookie("lang", "en")
    result = winner.get(f"/attempts/{attempt_of(published, people['winner']).id}/result").text
    assert "Download the certificate (PDF)" in result and "See the published results" in result
    winner.get(f"/rounds/{published.id}/certificate.pdf")
    page = winner.get(f"/certificates/{code_of(published, people['winner'])}").text
    assert "Certificate verification" in page and "Won the" in page


# ---- the certificate link on the contest page and the public results page ----


def certificate_link(round_id: int) -> str:
    return f'href="/rounds/{round_id}/certificate.pdf"'


def test_contest_page_offers_the_certificate_next_to_each_published_round_that_ranks_you(
    client_for, published, people, bank
):
    # A second round of the same contest, published, where only the winner took part.
    other = make_round(
        bank,
        published.contest,
        title="Tuần thi thứ hai",
        question_count=10,
        opens_at=T0 - timedelta(days=5),
        closes_at=T0 + timedelta(days=1),
    )
    add_attempt(other, people["winner"], correct=5, submitted=3)
    publication.publish(other, actor=None, now=T0 + timedelta(days=3))
    page = f"/contests/{published.contest.slug}"
    winner = client_for(people["winner"]).get(page).text
    assert certificate_link(published.id) in winner and certificate_link(other.id) in winner
    assert "Tải giấy chứng nhận" in winner
    ranked = client_for(people["ranked"]).get(page).text
    assert certificate_link(published.id) in ranked and certificate_link(other.id) not in ranked
    for who in (people["bystander"], None):
        html = client_for(who).get(page).text
        assert "certificate.pdf" not in html
    assert (
        client_for(people["ranked"]).get(f"/rounds/{other.id}/certificate.pdf").status_code == 404
    )


def test_contest_page_reads_the_certificates_in_one_query_whatever_the_rounds(
    client_for, published, people, bank, web_app
):
    page = f"/contests/{published.contest.slug}"
    winner = client_for(people["winner"])
    winner.get(page)
    with statements_of(web_app) as one:
        winner.get(page)
    for n in range(3):
        extra = make_round(
            bank,
            published.contest,
            title=f"Tuần {n + 2}",
            question_count=10,
            opens_at=T0 - timedelta(days=5),
            closes_at=T0 + timedelta(days=1),
        )
        add_attempt(extra, people["winner"], correct=4, submitted=4 + n)
        publication.publish(extra, actor=None, now=T0 + timedelta(days=3))
    with statements_of(web_app) as four:
        html = winner.get(page).text
    assert html.count("certificate.pdf") == 4
    assert len(four) == len(one)
    assert len([s for s in four if "certificate_setting" in s]) == 1


def test_no_certificate_link_on_the_contest_page_when_certificates_are_off(
    client_for, published, people
):
    enable(published, enabled=False)
    html = client_for(people["winner"]).get(f"/contests/{published.contest.slug}").text
    assert "certificate.pdf" not in html and "Xem kết quả đã công bố" in html


def test_results_page_shows_your_own_result_and_certificate(client_for, published, people):
    path = f"/rounds/{published.id}/results"
    winner = client_for(people["winner"]).get(path)
    assert winner.headers["Cache-Control"] == "no-store"
    assert "Kết quả của bạn" in winner.text and certificate_link(published.id) in winner.text
    assert "Hạng 2" in winner.text and "10/10 câu đúng" in winner.text
    for who in (people["bystander"], None):
        html = client_for(who).get(path).text
        assert "Kết quả của bạn" not in html and "certificate.pdf" not in html
    enable(published, enabled=False)
    off = client_for(people["winner"]).get(path).text
    assert "Kết quả của bạn" in off and "certificate.pdf" not in off


def test_results_page_before_publication_shows_no_own_result(client_for, closed_round, people):
    enable(closed_round)
    html = client_for(people["winner"]).get(f"/rounds/{closed_round.id}/results").text
    assert "Kết quả của bạn" not in html and "certificate.pdf" not in html
