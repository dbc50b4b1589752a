"""triggers back after SQLite table rebuilds: recount the registered people

On SQLite, batch_alter_table rebuilds a table (create, copy, drop, rename) and the triggers on
the old table go with it: the role check of user_account (judged contests) lost the triggers
that keep unit_registered. Install them again and recount from the accounts.

Revision ID: b8a1c0de0014
Revises: b8a1c0de0013
Create Date: 2026-12-01 03:00:00

"""
from alembic import op
import sqlalchemy as sa

from quiz import triggers


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0014'
down_revision = 'b8a1c0de0013'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in triggers.drop_statements("sqlite"):
            op.execute(statement)
        triggers.install(bind)
    op.execute("DELETE FROM unit_registered")
    op.execute(
        "INSERT INTO unit_registered (unit_id, people, approved) "
        "SELECT unit_id, count(*), count(approved_at) FROM user_account GROUP BY unit_id"
    )
    op.execute("UPDATE stat_version SET version = version + 1 WHERE name = 'registered'")


def downgrade():
    pass
