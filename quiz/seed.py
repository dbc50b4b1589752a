"""Demo data: a province in today's two-level structure, with demo accounts."""

import random
from datetime import datetime, timedelta
from pathlib import Path

from question_bank.units import UnitRecord

from . import audit
from .admin.services import apply_units
from .attempts import services as attempts
from .auth.services import generate_password, new_user
from .auth.sessions import note_login
from .bank.services import import_records, read_file
from .certificates.services import save_setting
from .contest.services import RoundSettings, check_round
from .extensions import db
from .judging import demo as judged_demo
from .judging import teams_seed
from .legal.services import load_sample_register
from .models import (
    Announcement,
    Bank,
    Contest,
    ContestRanking,
    Group,
    Prediction,
    RankingMode,
    Role,
    Round,
    RoundDraw,
    RoundUnitLevel,
    StudyMaterial,
    Unit,
    UnitLevel,
    User,
)
from .results import publication

PROVINCE = ("DEMO", "Tỉnh Quảng Ngãi (dữ liệu mẫu)", 1850)
DEPARTMENTS = [
    ("DEMO-VP", "Văn phòng Ủy ban nhân dân tỉnh", 95),
    ("DEMO-SNV", "Sở Nội vụ", 120),
    ("DEMO-STP", "Sở Tư pháp", 64),
    ("DEMO-SKHCN", "Sở Khoa học và Công nghệ", 88),
    ("DEMO-STC", "Sở Tài chính", 140),
    ("DEMO-SYT", "Sở Y tế", 210),
    ("DEMO-SGDDT", "Sở Giáo dục và Đào tạo", 180),
    ("DEMO-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", 150),
]
COMMUNES = [
    ("DEMO-X-BINHSON", "Xã Bình Sơn", 58),
    ("DEMO-X-BINHMINH", "Xã Bình Minh", 41),
    ("DEMO-P-CAMTHANH", "Phường Cẩm Thành", 62),
    ("DEMO-P-NGHIALO", "Phường Nghĩa Lộ", 55),
    ("DEMO-X-TUNGHIA", "Xã Tư Nghĩa", 47),
    ("DEMO-X-SONTINH", "Xã Sơn Tịnh", 52),
    ("DEMO-X-DUCPHO", "Xã Đức Phổ", 49),
    ("DEMO-X-MODUC", "Xã Mộ Đức", 44),
    ("DEMO-X-BATO", "Xã Ba Tơ", 39),
    ("DEMO-X-TRABONG", "Xã Trà Bồng", 37),
]


def demo_units() -> list[UnitRecord]:
    code, name, headcount = PROVINCE
    records = [UnitRecord(1, code, name, "province", None, headcount, None)]
    for i, (c, n, h) in enumerate(DEPARTMENTS, start=2):
        records.append(UnitRecord(i, c, n, "department", code, h, 90.0))
    for i, (c, n, h) in enumerate(COMMUNES, start=2 + len(DEPARTMENTS)):
        records.append(UnitRecord(i, c, n, "commune", code, h, 80.0))
    return records


ACCOUNTS = [
    # role, full name, email, phone, unit code, group
    (Role.ADMIN, "Ban Tổ chức Hội thi", "admin@demo.example.vn", None, "DEMO", Group.STAFF),
    (
        Role.UNIT_MANAGER,
        "Nguyễn Thị Hồng Nhung",
        "daumoi.binhson@demo.example.vn",
        None,
        "DEMO-X-BINHSON",
        Group.STAFF,
    ),
    (
        Role.CONTESTANT,
        "Trần Văn Bình",
        "binh.tv@demo.example.vn",
        None,
        "DEMO-X-BINHSON",
        Group.STAFF,
    ),
    (Role.CONTESTANT, "Lê Thị Thu Hà", None, "+84912000001", "DEMO-X-BINHSON", Group.STAFF),
    (Role.CONTESTANT, "Phạm Minh Đức", "duc.pm@demo.example.vn", None, "DEMO-STP", Group.STAFF),
    (Role.CONTESTANT, "Đặng Văn Sơn", None, "+84912000002", "DEMO-X-BINHSON", Group.CITIZEN),
]


def seed(*, now: datetime) -> list[tuple[str, str, str]] | None:
    """Load the demo data into an empty database; None when it already holds units."""
    if db.session.execute(db.select(Unit.id).limit(1)).first() is not None:
        return None
    apply_units(demo_units(), now=now)
    load_sample_register(now=now)  # before any bank, so imports link their citations
    units = {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}
    printed = []
    for role, name, email, phone, unit_code, group in ACCOUNTS:
        password = generate_password()
        new_user(
            full_name=name,
            email=email,
            phone=phone,
            unit=units[unit_code],
            password=password,
            role=role,
            group=group,
            now=now,
        )
        printed.append((role.value, email or "0" + phone[3:], password))
    round_ = _demo_contest(now)
    _demo_notices(round_.contest, now)
    _demo_imported_staff(units, now)
    audit.record(None, "seed.demo", "database", None, now=now, accounts=len(ACCOUNTS))
    db.session.commit()
    printed += judged_demo.seed_entries_contest(units, now=now)
    _demo_attempts(round_, units, now)
    _demo_published_round(round_, now)
    judged_demo.seed_votes(now=now)
    printed += teams_seed.seed(SAMPLE_BANK_NAME, now=now)
    return printed


SAMPLE_BANK = Path(__file__).resolve().parent.parent / "question_bank" / "samples" / "cds_cchc.csv"
SAMPLE_BANK_NAME = "Ngân hàng mẫu Chuyển đổi số và Cải cách hành chính"
CONTEST_BANK_NAME = "Ngân hàng đề thi mẫu (không công khai)"
RULES = """## Thể lệ (dữ liệu mẫu)

1. **Đối tượng dự thi**: cán bộ, công chức, viên chức, người lao động và Nhân dân đang sinh sống,
   làm việc trên địa bàn tỉnh.
2. **Hình thức**: thi trắc nghiệm trực tuyến. Mỗi đợt thi có **10 câu hỏi**, thời gian làm bài
   **15 phút**, mỗi người được thi **một lần**.
3. **Câu hỏi dự đoán**: dự đoán có bao nhiêu người trả lời đúng tất cả các câu hỏi của đợt thi.
4. **Xếp giải**: theo số câu trả lời đúng, rồi độ chính xác của dự đoán, rồi thời gian làm bài
   ngắn hơn, rồi thời điểm nộp bài sớm hơn.
5. Bài làm được lưu ngay khi bạn chọn đáp án; nếu mất kết nối, hãy mở lại trang để làm tiếp.
"""


def _demo_banks(now: datetime) -> tuple[Bank, list]:
    """The sample questions split in two: a private contest bank and a public practice bank.

    Practice grades with the answers, so a round never draws from a bank practice serves
    (docs/security.md): within each topic, every other question goes to the contest.
    """
    contest_bank = Bank(name=CONTEST_BANK_NAME, is_public=False, created_at=now)
    practice_bank = Bank(
        name=SAMPLE_BANK_NAME,
        description="Dùng để thi thử; đợt thi mẫu dùng ngân hàng riêng.",
        is_public=True,
        created_at=now,
    )
    db.session.add_all([contest_bank, practice_bank])
    db.session.flush()
    result = read_file(SAMPLE_BANK.read_bytes(), SAMPLE_BANK.name, contest_bank)
    if not result.ok:
        raise RuntimeError(f"sample bank is invalid: {result.problems[:3]}")
    seen: dict[str, int] = {}
    halves: tuple[list, list] = ([], [])
    for record in result.records:
        n = seen[record.topic] = seen.get(record.topic, -1) + 1
        halves[n % 2].append(record)
    import_records(contest_bank, halves[0], actor=None, now=now)
    import_records(practice_bank, halves[1], actor=None, now=now)
    return contest_bank, halves[0]


def _demo_contest(now: datetime) -> Round:
    """The demo contest with an open round drawn from the private contest bank."""
    bank, records = _demo_banks(now)
    contest = Contest(
        slug="hoi-thi-cds-cchc-demo",
        title="Hội thi trực tuyến tìm hiểu về Chuyển đổi số và Cải cách hành chính (mẫu)",
        rules=RULES,
        created_at=now,
    )
    settings = RoundSettings(
        title="Đợt 1",
        # Open for a week already: the managers' trend has several days to show.
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=30),
        bank_id=bank.id,
        question_count=10,
        time_limit_seconds=15 * 60,
        prediction=Prediction.PERFECT.value,
    )
    check_round(settings)
    round_ = Round(contest=contest, created_at=now, **vars(settings) | {"draws": []})
    round_.draws = [RoundDraw(topic=topic, count=1) for topic in sorted({r.topic for r in records})]
    round_.prize_counts = {
        "staff": {"first": 1, "second": 2, "third": 3, "consolation": 5},
        "citizen": {"first": 1, "second": 1, "third": 1, "consolation": 2},
    }
    round_.unit_prize_count, round_.unit_min_rate = 3, 5.0
    db.session.add(round_)
    db.session.flush()
    # Collective prizes for departments and communes (the organizer may pick another level
    # on the round's results page), and a contest-wide ranking ready to preview and publish.
    db.session.add(RoundUnitLevel(round_id=round_.id, level=UnitLevel.DEPARTMENT_COMMUNE.value))
    db.session.add(
        ContestRanking(
            contest_id=contest.id,
            mode=RankingMode.SUM.value,
            prize_counts={
                "staff": {"first": 1, "second": 1, "third": 2, "consolation": 3},
                "citizen": {"first": 1, "second": 0, "third": 0, "consolation": 1},
            },
        )
    )
    return round_


# Links only: the demo never ships files of its own.
DEMO_MATERIALS = [
    # topic, title, url, description
    (
        "Chuyển đổi số",
        "Cổng thông tin Chuyển đổi số quốc gia",
        "https://dx.gov.vn",
        "Tin tức, văn bản và cẩm nang về chuyển đổi số.",
    ),
    (
        "Dịch vụ công trực tuyến",
        "Cổng Dịch vụ công quốc gia",
        "https://dichvucong.gov.vn",
        "Nộp hồ sơ, tra cứu và thanh toán dịch vụ công trực tuyến.",
    ),
    (
        "Cải cách hành chính",
        "Trang thông tin Cải cách hành chính",
        "https://caicachhanhchinh.gov.vn",
        None,
    ),
    (
        "Văn bản pháp luật",
        "Cơ sở dữ liệu quốc gia về văn bản pháp luật",
        "https://vbpl.vn",
        "Tra cứu toàn văn các văn bản mà câu hỏi căn cứ.",
    ),
]


def _demo_notices(contest: Contest, now: datetime) -> None:
    """Two announcements and a few study materials (links); flush only."""
    db.session.add_all(
        [
            Announcement(
                title="Khai mạc Hội thi trực tuyến (dữ liệu mẫu)",
                body="Hội thi mở từ hôm nay. Mời cán bộ, công chức, viên chức, người lao động "
                "và Nhân dân tham gia.\n\nXem thể lệ và đăng ký tại trang hội thi.",
                pinned=True,
                contest=contest,
                published_at=now - timedelta(days=1),
                created_at=now,
                updated_at=now,
            ),
            Announcement(
                title="Hướng dẫn dự thi trên điện thoại",
                body="Bài làm được lưu ngay khi bạn chọn đáp án. Nếu mất kết nối, hãy mở lại "
                "trang để làm tiếp.\n\nCổng Dịch vụ công quốc gia: https://dichvucong.gov.vn",
                published_at=now,
                created_at=now,
                updated_at=now,
            ),
        ]
    )
    db.session.add_all(
        StudyMaterial(
            topic=topic,
            title=title,
            url=url,
            description=description,
            position=i,
            created_at=now,
            updated_at=now,
        )
        for i, (topic, title, url, description) in enumerate(DEMO_MATERIALS, start=1)
    )
    db.session.flush()


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = [
    "Văn An",
    "Thị Bích",
    "Minh Châu",
    "Quốc Dũng",
    "Thu Hằng",
    "Văn Khoa",
    "Thị Lan",
    "Hữu Nghĩa",
    "Thanh Phương",
    "Đức Tài",
    "Thị Uyên",
    "Văn Vinh",
]


# Staff of Xã Bình Sơn imported by the organizers who have not logged in yet: the demo
# manager sees them on "Người chưa đăng nhập lần nào" and can reset their passwords.
IMPORTED_STAFF = [
    ("Võ Thị Mỹ Duyên", None, "+84912000101", "Công chức Văn phòng - Thống kê"),
    ("Huỳnh Văn Lực", "luc.hv@demo.example.vn", None, "Công chức Tư pháp - Hộ tịch"),
    ("Bùi Thị Ngọc Anh", None, "+84912000102", "Công chức Tài chính - Kế toán"),
    ("Đỗ Quang Vinh", "vinh.dq@demo.example.vn", None, "Phó Chủ tịch UBND xã"),
    ("Hồ Thị Kim Thoa", None, "+84912000103", "Công chức Văn hóa - Xã hội"),
    ("Trương Văn Hải", "hai.tv@demo.example.vn", None, "Chỉ huy trưởng Quân sự"),
    ("Lý Thị Hồng Vân", None, "+84912000104", "Viên chức Trạm Y tế"),
    ("Phan Đình Trọng", "trong.pd@demo.example.vn", None, "Công chức Địa chính - Xây dựng"),
]


def _demo_imported_staff(units: dict[str, Unit], now: datetime) -> None:
    for name, email, phone, position in IMPORTED_STAFF:
        new_user(
            full_name=name,
            email=email,
            phone=phone,
            unit=units["DEMO-X-BINHSON"],
            password=generate_password(),
            position=position,
            must_change_password=True,
            now=now,
        )


def _demo_attempts(round_: Round, units: dict[str, Unit], now: datetime) -> None:
    """Finished attempts of demo people, so leaderboards and dashboards have figures."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    places = [code for code in units if code != "DEMO" and code != "DEMO-X-BINHSON"]
    for i in range(36):
        unit = units[places[i % len(places)] if i % 4 else "DEMO-X-BINHSON"]
        name = f"{FAMILY[i % len(FAMILY)]} {GIVEN[(i * 5) % len(GIVEN)]}"
        person = new_user(
            full_name=name,
            email=f"demo{i + 1:02d}@demo.example.vn",
            phone=None,
            unit=unit,
            password=generate_password(),
            now=now,
            group=Group.CITIZEN if i % 6 == 5 else Group.STAFF,
        )
        db.session.flush()
        # Spread over the round's first days, so the managers' trend has a shape.
        finished = now - timedelta(days=(i * 7) % 6, hours=i % 5)
        started = finished - timedelta(seconds=rng.randint(120, 800))
        note_login(person.id, started)  # they took part, so they logged in
        attempt, _ = attempts.start(person, round_.id, started)
        for aq in attempt.questions:
            choices = [c.id for c in aq.question.choices]
            right = next(
                c.id for c in aq.question.choices if c.position == aq.question.correct_position
            )
            aq.selected_choice_id = right if rng.random() < 0.75 else rng.choice(choices)
        attempt.prediction = rng.randint(0, 40)
        db.session.commit()
        attempts.submit(person, attempt.id, finished)


PUBLISHED_TITLE = "Đợt thử nghiệm (đã công bố kết quả)"


def _demo_published_round(open_round: Round, now: datetime) -> None:
    """A closed round of the demo contest, published, with certificates on: the demo
    contestant Trần Văn Bình answered everything right and won its first prize."""
    opens = now - timedelta(days=20)
    closed = Round(
        contest=open_round.contest,
        title=PUBLISHED_TITLE,
        opens_at=opens,
        closes_at=now - timedelta(days=10),
        bank_id=open_round.bank_id,
        question_count=open_round.question_count,
        time_limit_seconds=open_round.time_limit_seconds,
        prediction=Prediction.PERFECT.value,
        created_at=opens,
        prize_counts={
            "staff": {"first": 1, "second": 1, "third": 1, "consolation": 2},
            "citizen": {"first": 1},
        },
    )
    closed.draws = [RoundDraw(topic=d.topic, count=d.count) for d in open_round.draws]
    db.session.add(closed)
    db.session.commit()
    rng = random.Random(2024)  # noqa: S311 - demo data, not security
    people = db.session.execute(
        db.select(User)
        .where(User.role == Role.CONTESTANT, User.email.like("%@demo.example.vn"))
        .order_by(User.id)
        .limit(16)
    ).scalars()
    for n, person in enumerate(people):
        started = opens + timedelta(days=1 + n % 7, minutes=n * 7)
        attempt, _ = attempts.start(person, closed.id, started)
        star = person.email == "binh.tv@demo.example.vn"
        for aq in attempt.questions:
            right = next(
                c.id for c in aq.question.choices if c.position == aq.question.correct_position
            )
            wrong = [c.id for c in aq.question.choices if c.id != right]
            aq.selected_choice_id = right if star or rng.random() < 0.7 else rng.choice(wrong)
        attempt.prediction = 1 if star else rng.randint(0, 6)
        db.session.commit()
        attempts.submit(person, attempt.id, started + timedelta(seconds=150 + 20 * n))
    save_setting(
        closed.contest,
        enabled=True,
        signer_title="TRƯỞNG BAN TỔ CHỨC",
        signer_name="Nguyễn Văn Mẫu",
        actor=None,
        now=now,
    )
    publication.publish(closed, actor=None, now=now - timedelta(days=9))
