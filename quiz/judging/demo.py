"""The demo entries contest of `seed-demo`: the video-clip contest of the community digital
technology teams, with entries, preliminary picks, judges, sheets, votes and reach counts,
so that the standings show at once (not yet published: the demo organizer publishes)."""

import random
from datetime import datetime, timedelta

from ..auth.services import generate_password, new_user
from ..contest.services import create_contest
from ..extensions import db
from ..models import (
    Criterion,
    Entry,
    EntryReach,
    EntryVote,
    JudgeAssignment,
    Role,
    ScoreSheet,
    SheetScore,
    SpecialPrize,
    Unit,
    User,
)
from . import queries

SLUG = "clip-to-cong-nghe-so-demo"
RULES = """## Thể lệ (dữ liệu mẫu)

1. **Tác phẩm**: video clip 3–5 phút giới thiệu hoạt động của Tổ công nghệ số cộng đồng,
   đăng trên YouTube, Facebook hoặc Google Drive (hoặc tải tệp lên).
2. **Sơ khảo**: đơn vị cấp trên chọn tối đa 6 tác phẩm của các xã, phường vào chung kết.
3. **Bình chọn**: 14 ngày trên trang và trên fanpage của Sở; chỉ số khán giả = lượt bình chọn
   trên trang + lượt thích + 2 × lượt chia sẻ; tác phẩm có chỉ số cao nhất được 10 điểm,
   các tác phẩm khác theo tỷ lệ.
4. **Chấm điểm**: Ban Giám khảo chấm theo phiếu (Nội dung 40, Nghệ thuật 30, Kỹ thuật 20,
   Sáng tạo 10), quy về 90 điểm; tổng điểm = điểm giám khảo + điểm khán giả.
5. **Giải thưởng**: 4 tác phẩm cao điểm nhất vào vòng trình diễn; 1 giải Nhất, 1 giải Nhì,
   2 giải Ba, 3 giải Khuyến khích và giải “Tác phẩm được yêu thích nhất”.
"""
CRITERIA = [("Nội dung", 40), ("Nghệ thuật", 30), ("Kỹ thuật", 20), ("Sáng tạo", 10)]
ENTRIES = [
    ("DEMO-X-BINHSON", "Tổ công nghệ số Bình Sơn: mỗi nhà một tài khoản định danh", "youtube"),
    ("DEMO-X-BINHMINH", "Chợ 4.0 ở xã Bình Minh", "facebook"),
    ("DEMO-P-CAMTHANH", "Cẩm Thành thanh toán không tiền mặt", "youtube"),
    ("DEMO-P-NGHIALO", "Nghĩa Lộ: dịch vụ công trực tuyến tận nhà", "drive"),
    ("DEMO-X-TUNGHIA", "Tư Nghĩa – người cao tuổi dùng điện thoại thông minh", "youtube"),
    ("DEMO-X-SONTINH", "Sơn Tịnh số", "youtube"),
    ("DEMO-X-DUCPHO", "Đức Phổ: nông sản lên sàn", "facebook"),
    ("DEMO-X-BATO", "Ba Tơ kết nối", "youtube"),
]
VIDEO_IDS = [
    "M7lc1UVf-VE",
    "aqz-KE-bpKQ",
    "ScMzIvxBSi4",
    "jNQXAC9IVRw",
    "dQw4w9WgXcQ",
    "9bZkp7q19f0",
]
JUDGES = [
    ("Trần Quang Minh", "giamkhao1@demo.example.vn", "DEMO-SKHCN"),
    ("Lê Thị Mai Anh", "giamkhao2@demo.example.vn", "DEMO-SVHTTDL"),
    ("Võ Đình Khang", "giamkhao3@demo.example.vn", "DEMO-SNV"),
]


def _video(kind: str, i: int) -> str:
    if kind == "facebook":
        return f"https://www.facebook.com/watch/?v=10{i:013d}"
    if kind == "drive":
        return f"https://drive.google.com/file/d/1DemoClipTcnsCongDong{i:04d}/view"
    return f"https://www.youtube.com/watch?v={VIDEO_IDS[i % len(VIDEO_IDS)]}"


def seed_entries_contest(units: dict[str, Unit], *, now: datetime) -> list[tuple[str, str, str]]:
    """The demo entries contest; the judges' logins and passwords to print."""
    rng = random.Random(2023)  # noqa: S311 - demo data, not security
    contest = create_contest(
        SLUG,
        "Cuộc thi video clip “Tổ công nghệ số cộng đồng chung tay chuyển đổi số” (mẫu)",
        RULES,
        kind="entries",
        actor=None,
        now=now,
    )
    settings = queries.settings_of(contest)
    settings.registration_closes_at = now - timedelta(days=10)
    settings.selection_closes_at = now - timedelta(days=5)
    settings.preliminary_quota = 6
    settings.voting_opens_at = now - timedelta(days=3)
    settings.voting_closes_at = now + timedelta(days=11)
    settings.votes_public = True
    settings.jury_weight, settings.audience_weight = 90.0, 10.0
    settings.vote_factor, settings.like_factor, settings.share_factor = 1.0, 1.0, 2.0
    settings.finalist_count = 4
    settings.prizes = {
        "first": {"count": 1, "amount": 10_000_000},
        "second": {"count": 1, "amount": 7_000_000},
        "third": {"count": 2, "amount": 5_000_000},
        "consolation": {"count": 3, "amount": 2_000_000},
    }
    criteria = [
        Criterion(contest_id=contest.id, position=i, title=t, max_half_points=m * 2)
        for i, (t, m) in enumerate(CRITERIA, start=1)
    ]
    db.session.add_all(criteria)
    province = units["DEMO"]
    entries = []
    for i, (code, title, host) in enumerate(ENTRIES):
        entry = Entry(
            contest_id=contest.id,
            unit_id=units[code].id,
            title=title,
            authors=f"Tổ công nghệ số cộng đồng {units[code].name}",
            description="Video giới thiệu hoạt động của Tổ công nghệ số cộng đồng (dữ liệu mẫu).",
            video_url=_video(host, i),
            created_at=now - timedelta(days=20 - i),
            updated_at=now - timedelta(days=20 - i),
        )
        if i < settings.preliminary_quota:
            entry.selected_by_unit_id, entry.selection_slot = province.id, i + 1
            entry.selected_at = now - timedelta(days=6)
        entries.append(entry)
    db.session.add_all(entries)
    db.session.flush()
    finalists = entries[: settings.preliminary_quota]

    stage = queries.stage_of(contest, "final")
    printed, judges = [], []
    for name, email, code in JUDGES:
        password = generate_password()
        judge = new_user(
            full_name=name,
            email=email,
            phone=None,
            unit=units[code],
            password=password,
            role=Role.JUDGE,
            now=now,
        )
        db.session.flush()
        db.session.add(JudgeAssignment(stage_id=stage.id, judge_id=judge.id, created_at=now))
        judges.append(judge)
        printed.append((Role.JUDGE.value, email, password))
    # The first two judges have submitted every sheet, the third half of them: the grid
    # shows what is missing, and the demo judge has entries left to score.
    for j, judge in enumerate(judges):
        for k, entry in enumerate(finalists):
            if j == 2 and k % 2:
                continue
            quality = 0.55 + 0.4 * rng.random()
            sheet = ScoreSheet(
                stage_id=stage.id,
                judge_id=judge.id,
                entry_id=entry.id,
                status="submitted",
                comment="Nội dung thiết thực, hình ảnh sinh động.",
                created_at=now - timedelta(days=1),
                updated_at=now - timedelta(days=1),
                submitted_at=now - timedelta(days=1),
            )
            sheet.scores = [
                SheetScore(
                    criterion_id=c.id,
                    max_half_points=c.max_half_points,
                    half_points=min(c.max_half_points, round(c.max_half_points * quality)),
                )
                for c in criteria
            ]
            db.session.add(sheet)
    for k, entry in enumerate(finalists):
        db.session.add(
            EntryReach(
                entry_id=entry.id,
                likes=rng.randint(150, 1500),
                shares=rng.randint(10, 300),
                evidence_url=f"https://www.facebook.com/demo.so.tttt/posts/{1000 + k}",
                entered_by_id=None,
                entered_at=now - timedelta(hours=6),
            )
        )
    db.session.add(
        SpecialPrize(contest_id=contest.id, name="Tác phẩm được yêu thích nhất", amount=3_000_000)
    )
    db.session.commit()
    return printed


def seed_votes(*, now: datetime) -> None:
    """Votes of the demo people on the finalists (after they exist)."""
    rng = random.Random(14)  # noqa: S311 - demo data, not security
    contest = queries.contest_by_slug(SLUG)
    finalists = queries.pool(contest.id, queries.settings_of(contest))
    people = db.session.execute(
        db.select(User.id).where(User.email.like("demo%@demo.example.vn"))
    ).scalars()
    for person in people:
        for entry in rng.sample(finalists, rng.randint(1, 3)):
            db.session.add(
                EntryVote(entry_id=entry.id, user_id=person, created_at=now - timedelta(hours=2))
            )
    db.session.commit()
