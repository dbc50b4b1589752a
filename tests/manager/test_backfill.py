"""The manager-tools migration fills its tables from what the database already knew."""

import importlib.util
from datetime import timedelta
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations

from quiz.extensions import db
from quiz.manager import queries
from quiz.models import AccountLogin, UnitRoundDayStat, UserSession
from tests.factories import make_bank, make_round, now
from tests.manager.test_trend import recount, take_at

MIGRATION = (
    Path(__file__).resolve().parents[2] / "migrations/versions/b8a1c0de0008_manager_tools.py"
)


def run_backfill():
    spec = importlib.util.spec_from_file_location("manager_tools_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db.session.commit()
    with db.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module._backfill()


def test_backfill_counts_past_logins_and_days(app, make_unit, make_user):
    root = make_unit(code="P", kind="province")
    mine = make_unit(root, code="MINE", kind="district")
    child = make_unit(mine, code="MINE-1", kind="commune")
    start = now() - timedelta(days=3)
    round_ = make_round(make_bank(), opens_at=start - timedelta(hours=1))
    with_session = make_user(child)
    db.session.add(
        UserSession(
            user_id=with_session.id, token_hash="x" * 64, created_at=now(), last_seen_at=now()
        )
    )
    own_password = make_user(child)
    own_password.password_changed_at = own_password.created_at + timedelta(days=1)
    db.session.commit()
    never = make_user(child)
    for n in range(5):
        take_at(make_user(child if n % 2 else mine), round_, start + timedelta(days=n % 3))
    expected = recount(mine, round_.id)
    # As before the migration: neither table has a row.
    db.session.execute(db.delete(AccountLogin))
    db.session.execute(db.delete(UnitRoundDayStat))
    db.session.commit()

    run_backfill()

    logged = set(db.session.scalars(db.select(AccountLogin.user_id)))
    assert {with_session.id, own_password.id} <= logged
    assert never.id not in logged
    assert len(logged) == 2 + 5  # the five who took part
    trend = queries.day_trend(mine, round_)
    assert {d: n for d, n, _t in trend if n} == expected
    assert {d: n for d, n, _t in queries.day_trend(root, round_) if n} == expected
