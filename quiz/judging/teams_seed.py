"""Demo data of a teams contest (seed-demo): communes' teams in two clusters, the first
drawn and partly scored, a knowledge part ready to be played live with two team devices."""

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from ..auth.services import generate_password, new_user
from ..contest import services as contest_services
from ..extensions import db
from ..models import Bank, Group, Question, Role, Stage, Topic, Unit, User
from . import live, teams
from . import services as judging_services
from . import teams_queries as queries

SLUG = "hoi-thi-doi-cds-cchc"
TITLE = "Hội thi đội tìm hiểu Chuyển đổi số và Cải cách hành chính (dữ liệu mẫu)"
RULES = """## Thể lệ (dữ liệu mẫu)

1. Mỗi xã, phường thành lập **một đội** từ 7 đến 12 người, trong đó 4 thành viên chính,
   một người là đội trưởng.
2. Các đội thi theo **cụm**, thứ tự thi do bốc thăm. Mỗi đội thi ba phần: **giới thiệu**,
   **kiến thức** (trả lời câu hỏi trắc nghiệm trên sân khấu, có đếm ngược) và **tiểu phẩm**.
3. Mỗi cụm trao 1 giải Nhất, 1 giải Nhì, 2 giải Ba, 4 giải Khuyến khích, giải phần giới
   thiệu hay nhất và giải tiểu phẩm hay nhất. Đội nhất mỗi cụm vào chung kết.
"""
CLUSTERS = [
    ("Cụm thi số 1", "Hội trường UBND xã Bình Sơn", 3),
    ("Cụm thi số 2", "Nhà văn hóa phường Cẩm Thành", 3),
]
JUDGES = [
    ("Võ Thị Thanh Tâm", "giamkhao.doi1@demo.example.vn", "DEMO-SNV"),
    ("Huỳnh Văn Lộc", "giamkhao.doi2@demo.example.vn", "DEMO-STP"),
]
MEMBER_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bích",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Võ Thị Giang",
    "Đỗ Văn Hùng",
    "Bùi Thị Lan",
]


def seed(practice_bank_name: str, *, now: datetime) -> list[tuple[str, str, str]]:
    """Add the demo teams contest; the judge accounts and two device codes to print."""
    admin = db.session.execute(select(User).where(User.role == Role.ADMIN).limit(1)).scalar_one()
    units = {u.code: u for u in db.session.execute(select(Unit)).scalars()}
    communes = [u for u in units.values() if u.kind == "commune"]
    communes.sort(key=lambda u: u.code)
    contest = contest_services.create_contest(
        SLUG, TITLE, RULES, kind="teams", actor=admin, now=now
    )
    teams.update_settings(
        contest,
        registration_closes_at=now - timedelta(days=3),
        finalists_per_cluster=1,
        cluster_prizes={
            "first": {"count": 1, "amount": 3_000_000},
            "second": {"count": 1, "amount": 2_000_000},
            "third": {"count": 2, "amount": 1_500_000},
            "consolation": {"count": 4, "amount": 500_000},
        },
        final_prizes={
            "first": {"count": 1, "amount": 10_000_000},
            "second": {"count": 1, "amount": 7_000_000},
            "third": {"count": 1, "amount": 5_000_000},
            "consolation": {"count": 3, "amount": 2_000_000},
        },
        actor=admin,
        now=now,
    )
    intro = teams.add_part(
        contest,
        "Giới thiệu",
        [("Nội dung", 20), ("Hình thức thể hiện", 10), ("Đúng thời gian", 10)],
        special_prize="Giải phần giới thiệu hay nhất",
        special_amount=1_000_000,
        actor=admin,
        now=now,
    )
    knowledge = teams.add_part(
        contest,
        "Kiến thức",
        [],
        live=True,
        seconds_per_question=20,
        points_correct=10,
        speed_bonus=5,
        actor=admin,
        now=now,
    )
    teams.add_part(
        contest,
        "Tiểu phẩm",
        [("Kịch bản", 30), ("Diễn xuất", 20), ("Thông điệp", 10)],
        special_prize="Giải tiểu phẩm hay nhất",
        special_amount=1_000_000,
        actor=admin,
        now=now,
    )
    squads: list[list] = []
    start = 0
    for i, (name, venue, size) in enumerate(CLUSTERS):
        cluster = teams.add_cluster(
            contest,
            name,
            venue=venue,
            held_on=(now + timedelta(days=7 * (i + 1))).date(),
            actor=admin,
            now=now,
        )
        squad = []
        for unit in communes[start : start + size]:
            team = teams.register_team(
                contest,
                unit.id,
                f"Đội {unit.name}",
                [
                    teams.MemberInput(f"{n} ({unit.name})", None, k < 4, k == 0)
                    for k, n in enumerate(MEMBER_NAMES)
                ],
                actor=admin,
                now=now,
            )
            teams.confirm_team(team, actor=admin, now=now)
            squad.append(team)
        start += size
        teams.assign_units(cluster, [t.unit_id for t in squad], actor=admin, now=now)
        squads.append((cluster, squad))

    printed = []
    judges = []
    for full_name, email, unit_code in JUDGES:
        password = generate_password()
        judges.append(
            new_user(
                full_name=full_name,
                email=email,
                phone=None,
                unit=units[unit_code],
                password=password,
                role=Role.JUDGE,
                group=Group.STAFF,
                now=now,
            )
        )
        printed.append((Role.JUDGE.value, email, password))
    db.session.commit()

    # Cluster 1: drawn, introductions scored by both judges, the knowledge part ready to play.
    cluster, squad = squads[0]
    stage = db.session.get(Stage, cluster.stage_id)
    teams.draw_order(stage, actor=admin, now=now, rng=random.Random(2024))  # noqa: S311 - a demo: the same draw every time
    rng = random.Random(7)  # noqa: S311 - demo scores
    criteria = queries.part_criteria(intro.id)
    for judge in judges:
        judging_services.assign_judge(stage, judge, actor=admin, now=now)
        judging_services.assign_judge(
            db.session.get(Stage, squads[1][0].stage_id), judge, actor=admin, now=now
        )
        for team in squad:
            scores = {
                c.id: rng.randint(c.max_half_points // 2, c.max_half_points) for c in criteria
            }
            teams.save_sheet(stage, judge, team, intro, scores, submit=True, now=now)
    topic_id = db.session.execute(
        select(Topic.id)
        .join(Bank, Bank.id == Topic.bank_id)
        .join(Question, Question.topic_id == Topic.id)
        .where(Bank.name == practice_bank_name, Question.is_current)
        .group_by(Topic.id)
        .order_by(Topic.id)
        .limit(1)
    ).scalar_one()
    live.draw_questions(
        stage,
        knowledge,
        db.session.get(Topic, topic_id),
        5,
        actor=admin,
        now=now,
        rng=random.Random(5),  # noqa: S311 - demo questions
    )
    for team in squad[:2]:
        code = teams.issue_device_code(team, actor=admin, now=now)
        printed.append(("team_device", code, team.name))
    return printed
