"""Factory functions: make_unit(**overrides), make_user(**overrides)."""

import itertools
from datetime import UTC, datetime

from question_bank.tabular import fold
from quiz.extensions import db
from quiz.models import Unit, User
from quiz.unit_tree import recompute_paths

PASSWORD = "mat-khau-1"
_seq = itertools.count(1)


def now() -> datetime:
    return datetime.now(UTC)


def make_unit(parent: Unit | None = None, **overrides) -> Unit:
    n = next(_seq)
    fields = {
        "code": f"U{n}",
        "name": f"Xã Thử Nghiệm {n}",
        "kind": "commune" if parent else "province",
        "headcount": 50,
    }
    fields.update(overrides)
    unit = Unit(parent_id=parent.id if parent else None, name_search=fold(fields["name"]), **fields)
    db.session.add(unit)
    db.session.flush()
    recompute_paths()
    db.session.commit()
    return unit


def make_user(unit: Unit, password: str = PASSWORD, **overrides) -> User:
    n = next(_seq)
    fields = {
        "full_name": f"Nguyễn Văn Thử {n}",
        "email": f"user{n}@example.vn",
        "phone": None,
        "role": "contestant",
        "participant_group": "staff",
        "approved_at": now(),
    }
    fields.update(overrides)
    user = User(unit_id=unit.id, name_search=fold(fields["full_name"]), **fields)
    user.set_password(password, now=now())
    db.session.add(user)
    db.session.commit()
    return user


def make_bank(name: str = "Ngân hàng thi", topics: dict[str, int] | None = None, **fields):
    """A bank with `topics` (name → number of questions), each question with 4 choices, A right."""
    from question_bank.questions import QuestionRecord
    from quiz.bank import services as bank_services

    bank = bank_services.create_bank(name, None, actor=None, now=now())
    for key, value in fields.items():
        setattr(bank, key, value)
    records = [
        QuestionRecord(
            row=i,
            topic=topic,
            text=f"{topic}: câu hỏi số {i}?",
            choices=(f"Đúng {i}", f"Sai một {i}", f"Sai hai {i}", f"Sai ba {i}"),
            answer=0,
            explanation=f"Giải thích {i}.",
            source="Nguồn thử",
            difficulty=None,
        )
        for topic, count in (topics or {"Chuyển đổi số": 10, "Cải cách hành chính": 10}).items()
        for i in range(count)
    ]
    bank_services.import_records(bank, records, actor=None, now=now())
    db.session.commit()
    return bank


def make_round(bank, contest=None, **overrides):
    from datetime import timedelta

    from quiz.models import Contest, Round, RoundDraw

    if contest is None:
        n = next(_seq)
        contest = Contest(slug=f"hoi-thi-{n}", title=f"Hội thi {n}", rules="Thể lệ")
        db.session.add(contest)
    draws = overrides.pop("draws", {})
    fields = {
        "title": "Đợt 1",
        "opens_at": now() - timedelta(hours=1),
        "closes_at": now() + timedelta(days=1),
        "bank_id": bank.id,
        "question_count": 5,
        "time_limit_seconds": 600,
    }
    fields.update(overrides)
    round_ = Round(contest=contest, **fields)
    round_.draws = [RoundDraw(topic=t, count=c) for t, c in draws.items()]
    db.session.add(round_)
    db.session.commit()
    return round_


def make_announcement(**overrides):
    """A published announcement unless published_at=None is given."""
    from quiz.models import Announcement

    n = next(_seq)
    fields = {"title": f"Thông báo số {n}", "body": f"Nội dung thông báo {n}."}
    fields.update(overrides)
    fields.setdefault("published_at", now())
    announcement = Announcement(**fields)
    db.session.add(announcement)
    db.session.commit()
    return announcement


def make_material(**overrides):
    """A study material linking to a web page."""
    from quiz.models import StudyMaterial

    n = next(_seq)
    fields = {"topic": "Chuyển đổi số", "title": f"Tài liệu {n}", "url": f"https://example.vn/{n}"}
    fields.update(overrides)
    material = StudyMaterial(**fields)
    db.session.add(material)
    db.session.commit()
    return material


def make_entries_contest(criteria=(("Nội dung", 40), ("Nghệ thuật", 30)), **settings):
    """An entries contest (DESIGN.md §9) with its final stage, score sheet and settings."""
    from quiz.contest import services as contest_services
    from quiz.judging import queries as judging_queries
    from quiz.models import Criterion

    n = next(_seq)
    contest = contest_services.create_contest(
        f"tac-pham-{n}", f"Cuộc thi tác phẩm {n}", kind="entries", actor=None, now=now()
    )
    for position, (title, max_points) in enumerate(criteria, start=1):
        db.session.add(
            Criterion(
                contest_id=contest.id,
                position=position,
                title=title,
                max_half_points=int(max_points * 2),
            )
        )
    config = judging_queries.settings_of(contest)
    for key, value in settings.items():
        setattr(config, key, value)
    db.session.commit()
    return contest


def make_entry(contest, unit, **overrides):
    from datetime import timedelta

    from quiz.models import Entry

    n = next(_seq)
    fields = {
        "title": f"Tác phẩm {n}",
        "authors": f"Tổ công nghệ số {n}",
        "description": "Video giới thiệu.",
        "video_url": f"https://www.youtube.com/watch?v=demo{n}",
        "created_at": now() - timedelta(days=30) + timedelta(seconds=n),
    }
    fields.update(overrides)
    entry = Entry(contest_id=contest.id, unit_id=unit.id, **fields)
    db.session.add(entry)
    db.session.commit()
    return entry


def make_judge(unit, assign_to=None, **overrides):
    """A judge account, assigned to the final stage of `assign_to` (a contest) if given."""
    from quiz.judging import queries as judging_queries
    from quiz.models import JudgeAssignment

    judge = make_user(unit, role="judge", **overrides)
    if assign_to is not None:
        stage = judging_queries.stage_of(assign_to, "final")
        db.session.add(JudgeAssignment(stage_id=stage.id, judge_id=judge.id))
        db.session.commit()
    return judge


def make_sheet(contest, judge, entry, points, *, submitted=True):
    """A judge's sheet with `points` (one number per criterion, in order)."""
    from quiz.judging import queries as judging_queries
    from quiz.models import ScoreSheet, SheetScore

    stage = judging_queries.stage_of(contest, "final")
    criteria = judging_queries.criteria(contest.id)
    sheet = ScoreSheet(
        stage_id=stage.id,
        judge_id=judge.id,
        entry_id=entry.id,
        status="submitted" if submitted else "draft",
        submitted_at=now() if submitted else None,
    )
    sheet.scores = [
        SheetScore(criterion_id=c.id, max_half_points=c.max_half_points, half_points=int(p * 2))
        for c, p in zip(criteria, points, strict=True)
    ]
    db.session.add(sheet)
    db.session.commit()
    return sheet


def make_teams_contest(parts=None, **settings):
    """A teams contest (DESIGN.md §9) with its parts (name, [(criterion, max points)], live)
    and settings."""
    from quiz.contest import services as contest_services
    from quiz.judging import teams_queries
    from quiz.models import PartCriterion, TeamPart

    n = next(_seq)
    contest = contest_services.create_contest(
        f"doi-thi-{n}", f"Hội thi đội {n}", kind="teams", actor=None, now=now()
    )
    if parts is None:
        parts = [
            ("Giới thiệu", [("Nội dung", 10), ("Trình bày", 10)], False),
            ("Kiến thức", [], True),
            ("Tiểu phẩm", [("Kịch bản", 20), ("Diễn xuất", 20)], False),
        ]
    for position, (name, criteria, live) in enumerate(parts, start=1):
        part = TeamPart(contest_id=contest.id, position=position, name=name, live=live)
        db.session.add(part)
        db.session.flush()
        for i, (title, max_points) in enumerate(criteria, start=1):
            db.session.add(
                PartCriterion(
                    part_id=part.id, position=i, title=title, max_half_points=int(max_points * 2)
                )
            )
    config = teams_queries.settings_of(contest)
    for key, value in settings.items():
        setattr(config, key, value)
    db.session.commit()
    return contest


def make_cluster(contest, name="Cụm 1"):
    from quiz.models import Cluster, Stage

    n = len(db.session.execute(db.select(Cluster).where(Cluster.contest_id == contest.id)).all())
    stage = Stage(contest_id=contest.id, key=f"cluster-{n + 1}", title=name, position=n + 1)
    db.session.add(stage)
    db.session.flush()
    cluster = Cluster(contest_id=contest.id, stage_id=stage.id, venue="Hội trường xã")
    db.session.add(cluster)
    db.session.commit()
    return cluster


def make_team(contest, unit, *, members=7, mains=4, cluster=None, confirmed=True, **overrides):
    """A unit's team with `members` members by name, the first `mains` main, the first captain."""
    from datetime import timedelta

    from quiz.models import Team, TeamMember

    n = next(_seq)
    team = Team(
        contest_id=contest.id,
        unit_id=unit.id,
        name=overrides.pop("name", f"Đội {unit.name}"),
        status="confirmed" if confirmed else "registered",
        cluster_id=cluster.id if cluster else None,
        created_at=now() - timedelta(days=10) + timedelta(seconds=n),
        **overrides,
    )
    team.members = [
        TeamMember(
            position=i,
            full_name=f"Thành viên {n}-{i}",
            is_main=i <= mains,
            is_captain=i == 1,
        )
        for i in range(1, members + 1)
    ]
    db.session.add(team)
    db.session.commit()
    return team


def make_team_sheet(stage, judge, team, part, points, *, submitted=True):
    """A judge's sheet for a team's part with `points` (one number per criterion, in order)."""
    from quiz.judging import teams_queries
    from quiz.models import TeamSheet, TeamSheetScore

    criteria = teams_queries.part_criteria(part.id)
    sheet = TeamSheet(
        stage_id=stage.id,
        judge_id=judge.id,
        team_id=team.id,
        part_id=part.id,
        status="submitted" if submitted else "draft",
        submitted_at=now() if submitted else None,
    )
    sheet.scores = [
        TeamSheetScore(criterion_id=c.id, max_half_points=c.max_half_points, half_points=int(p * 2))
        for c, p in zip(criteria, points, strict=True)
    ]
    db.session.add(sheet)
    db.session.commit()
    return sheet
