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
