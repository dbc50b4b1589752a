"""The read models triggers keep (quiz/triggers.py) equal a recount, whatever writes the rows."""

from sqlalchemy import func, insert, select, update

from question_bank.tabular import fold
from quiz.extensions import db
from quiz.figure_cache import versions
from quiz.models import UnitRegistered, User
from tests.factories import make_unit, make_user, now


def kept() -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(UnitRegistered.unit_id, UnitRegistered.people, UnitRegistered.approved)
    ).all()
    return {unit_id: (people, approved) for unit_id, people, approved in rows if people}


def recount() -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(User.unit_id, func.count(User.id), func.count(User.approved_at)).group_by(
            User.unit_id
        )
    ).all()
    return {unit_id: (people, approved) for unit_id, people, approved in rows}


def test_registered_people_per_unit_follow_every_kind_of_write(app):
    province = make_unit()
    a, b = make_unit(province), make_unit(province)
    one = make_user(a)
    make_user(a)
    assert kept() == recount() == {a.id: (2, 2)}
    # A bulk insert (as an import or the benchmark loader does), some not yet approved.
    db.session.execute(
        insert(User),
        [
            {
                "full_name": f"Người {i}",
                "name_search": fold(f"Người {i}"),
                "email": f"bulk{i}@example.vn",
                "password_hash": "x",
                "unit_id": b.id if i % 3 else a.id,
                "approved_at": now() if i % 2 else None,
                "created_at": now(),
                "password_changed_at": now(),
            }
            for i in range(300)
        ],
    )
    db.session.commit()
    assert kept() == recount()
    # A move, an approval, a deletion, and an update of nothing that counts.
    db.session.execute(update(User).where(User.id == one.id).values(unit_id=b.id))
    db.session.execute(
        update(User)
        .where(User.approved_at.is_(None), User.unit_id == b.id)
        .values(approved_at=now())
    )
    db.session.execute(User.__table__.delete().where(User.email.like("bulk1%")))
    db.session.execute(update(User).values(position="Chuyên viên"))
    db.session.commit()
    assert kept() == recount()


def test_figure_versions_move_with_the_figures_and_only_with_them(app):
    province = make_unit()
    before = versions("registered", "units")
    person = make_user(make_unit(province))
    after = versions("registered", "units")
    assert after[0] > before[0] and after[1] > before[1]
    person.position = "Chuyên viên"  # not a figure anyone shows
    db.session.commit()
    assert versions("registered", "units") == after
