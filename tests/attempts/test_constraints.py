"""Invariant 1 in the database itself: the migrated schema refuses a second attempt.

The services catch these errors and resume; here nothing catches them, so a constraint that
is missing from the models or the migrations (or both) turns these tests red on each database.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.exc import IntegrityError

from quiz.db_errors import violated
from quiz.extensions import db
from quiz.models import Attempt
from tests.conftest import make_test_app
from tests.factories import make_bank, make_round, make_unit, make_user, now


@pytest.fixture
def migrated(database_url, backend):
    """A database built by the migrations (not create_all), with one person and one round."""
    app = make_test_app(database_url, SQLITE_BEGIN_IMMEDIATE=False)
    with app.app_context():
        if backend == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
        user = make_user(make_unit())
        round_ = make_round(make_bank(), attempts_allowed=3)
        yield user, round_
        db.session.remove()
        db.engine.dispose()


def insert_attempt(user, round_, number: int, status: str) -> None:
    """One attempt row written with plain SQL, as a racing request would."""
    at = now()
    db.session.execute(
        sa.insert(Attempt.__table__).values(
            user_id=user.id,
            round_id=round_.id,
            number=number,
            unit_id=user.unit_id,
            participant_group=user.participant_group,
            status=status,
            started_at=at,
            deadline_at=at + timedelta(minutes=10),
            submitted_at=None if status == "in_progress" else at,
            question_count=5,
        )
    )
    db.session.commit()


def refused(user, round_, number: int, status: str) -> str:
    with pytest.raises(IntegrityError) as caught:
        insert_attempt(user, round_, number, status)
    db.session.rollback()
    return violated(caught.value)


def count_attempts() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attempt.__table__))


def test_database_refuses_a_second_attempt_with_the_same_number(migrated, backend):
    user, round_ = migrated
    insert_attempt(user, round_, 1, "submitted")
    error = refused(user, round_, 1, "submitted")
    if backend == "postgresql":
        assert error == "uq_attempt_user_round_number"
    else:
        assert "attempt.user_id, attempt.round_id, attempt.number" in error
    assert count_attempts() == 1


def test_database_refuses_a_second_open_attempt(migrated, backend):
    user, round_ = migrated
    insert_attempt(user, round_, 1, "in_progress")
    # Another number, so only the one-open rule can refuse it.
    error = refused(user, round_, 2, "in_progress")
    if backend == "postgresql":
        assert error == "uq_attempt_one_open"
    else:
        assert error.endswith("attempt.user_id, attempt.round_id")
    # Closed attempts do not count against the open one: the index is partial.
    insert_attempt(user, round_, 2, "submitted")
    insert_attempt(user, round_, 3, "expired")
    assert count_attempts() == 3


def test_migrated_schema_names_both_attempt_constraints(migrated, backend):
    inspector = sa.inspect(db.engine)
    uniques = {u["name"]: u["column_names"] for u in inspector.get_unique_constraints("attempt")}
    assert uniques.get("uq_attempt_user_round_number") == ["user_id", "round_id", "number"]
    index = next(i for i in inspector.get_indexes("attempt") if i["name"] == "uq_attempt_one_open")
    assert index["unique"] and index["column_names"] == ["user_id", "round_id"]
    if backend == "postgresql":
        where = db.session.scalar(
            sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_attempt_one_open'")
        )
    else:
        where = db.session.scalar(
            sa.text("SELECT sql FROM sqlite_master WHERE name = 'uq_attempt_one_open'")
        )
    assert "in_progress" in where and "WHERE" in where.upper()
