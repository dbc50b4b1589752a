"""registered people per unit and figure versions, kept by triggers

Revision ID: b8a1c0de0005
Revises: b8a1c0de0004
Create Date: 2026-12-01 00:40:00

"""
from alembic import op
import sqlalchemy as sa

# The trigger SQL lives with the models (quiz/triggers.py), which create_all uses too.
from quiz import triggers


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0005'
down_revision = 'b8a1c0de0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_registered',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('approved', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_registered_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_registered'))
    )
    op.create_table('stat_version',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_stat_version'))
    )
    op.execute(
        "INSERT INTO unit_registered (unit_id, people, approved) "
        "SELECT unit_id, count(*), count(approved_at) FROM user_account GROUP BY unit_id"
    )
    triggers.install(op.get_bind())


def downgrade():
    bind = op.get_bind()
    for statement in triggers.drop_statements(bind.dialect.name):
        op.execute(statement)
    op.drop_table('stat_version')
    op.drop_table('unit_registered')
