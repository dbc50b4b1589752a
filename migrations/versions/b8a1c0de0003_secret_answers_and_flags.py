"""answer key and figures kept secret, fast submissions flagged

Revision ID: b8a1c0de0003
Revises: b8a1c0de0002
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0003'
down_revision = 'b8a1c0de0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('publish_all_names', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('min_seconds_per_question', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'min_seconds_range',
            'min_seconds_per_question IS NULL OR min_seconds_per_question BETWEEN 0 AND 600',
        )

    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flag', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('flag_state', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint('flag', "flag IS NULL OR flag IN ('too_fast')")
        batch_op.create_check_constraint(
            'flag_state',
            "(flag IS NULL AND flag_state IS NULL) OR (flag IS NOT NULL AND "
            "flag_state IN ('pending', 'cleared', 'confirmed'))",
        )
        batch_op.create_index(
            'ix_attempt_flag_pending',
            ['round_id'],
            unique=False,
            sqlite_where=sa.text("flag_state = 'pending'"),
            postgresql_where=sa.text("flag_state = 'pending'"),
        )


def downgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index(
            'ix_attempt_flag_pending',
            sqlite_where=sa.text("flag_state = 'pending'"),
            postgresql_where=sa.text("flag_state = 'pending'"),
        )
        batch_op.drop_constraint('flag_state', type_='check')
        batch_op.drop_constraint('flag', type_='check')
        batch_op.drop_column('flag_state')
        batch_op.drop_column('flag')

    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_constraint('min_seconds_range', type_='check')
        batch_op.drop_column('min_seconds_per_question')
        batch_op.drop_column('publish_all_names')
