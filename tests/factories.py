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
    }
    fields.update(overrides)
    user = User(unit_id=unit.id, name_search=fold(fields["full_name"]), **fields)
    user.set_password(password, now=now())
    db.session.add(user)
    db.session.commit()
    return user
