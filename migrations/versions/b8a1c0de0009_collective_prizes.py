"""collective prizes by level and contest-wide ranking

Revision ID: b8a1c0de0009
Revises: b8a1c0de0008
Create Date: 2026-12-01 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0009'
down_revision = 'b8a1c0de0008'
branch_labels = None
depends_on = None

LEVELS = ("'leaf', 'department_commune', 'department_district', 'district', 'commune', "
          "'department'")


def upgrade():
    op.create_table('round_unit_level',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.CheckConstraint(f"level IN ({LEVELS})", name=op.f('ck_round_unit_level_level')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_round_unit_level_round_id_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_round_unit_level'))
    )
    op.create_table('contest_ranking',
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('prize_counts', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("mode IN ('best', 'sum')", name=op.f('ck_contest_ranking_mode')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_contest_ranking_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contest_id', name=op.f('pk_contest_ranking'))
    )
    op.create_table('contest_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('participant_group', sa.String(length=20), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('rounds', sa.Integer(), nullable=False),
    sa.Column('correct_count', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.BigInteger(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('prize', sa.String(length=20), nullable=True),
    sa.CheckConstraint("prize IS NULL OR prize IN ('first', 'second', 'third', 'consolation')", name=op.f('ck_contest_result_prize')),
    sa.CheckConstraint("participant_group IN ('staff', 'citizen')", name=op.f('ck_contest_result_participant_group')),
    sa.CheckConstraint('rounds >= 1', name=op.f('ck_contest_result_rounds_positive')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_contest_result_contest_id_contest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_contest_result_unit_id_unit'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_contest_result_user_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_result')),
    sa.UniqueConstraint('contest_id', 'participant_group', 'rank', name='uq_contest_result_contest_group_rank'),
    sa.UniqueConstraint('contest_id', 'user_id', name='uq_contest_result_contest_id_user_id')
    )


def downgrade():
    op.drop_table('contest_result')
    op.drop_table('contest_ranking')
    op.drop_table('round_unit_level')
