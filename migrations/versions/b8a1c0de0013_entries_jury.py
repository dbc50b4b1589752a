"""judged contests: teams contests (settings, parts and their sheets, clusters, teams and
members, the draw, team sheets and standings, the live knowledge part)

Revision ID: b8a1c0de0013
Revises: b8a1c0de0012
Create Date: 2026-12-01 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0013'
down_revision = 'b8a1c0de0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('special_prize', sa.String(length=200), nullable=True),
    sa.Column('special_amount', sa.BigInteger(), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=False),
    sa.Column('seconds_per_question', sa.Integer(), nullable=False),
    sa.Column('points_correct', sa.Integer(), nullable=False),
    sa.Column('speed_bonus', sa.Integer(), nullable=False),
    sa.Column('wrong_penalty', sa.Integer(), nullable=False),
    sa.CheckConstraint('points_correct >= 0 AND speed_bonus >= 0 AND wrong_penalty >= 0', name=op.f('ck_team_part_live_points')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_team_part_position_positive')),
    sa.CheckConstraint('seconds_per_question BETWEEN 5 AND 600', name=op.f('ck_team_part_seconds_range')),
    sa.CheckConstraint('special_amount >= 0', name=op.f('ck_team_part_special_amount_nonnegative')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_team_part_weight_nonnegative')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_team_part_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_part')),
    sa.UniqueConstraint('contest_id', 'position', name='uq_team_part_contest_id_position')
    )
    op.create_table('team_settings',
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('min_members', sa.Integer(), nullable=False),
    sa.Column('max_members', sa.Integer(), nullable=False),
    sa.Column('main_members', sa.Integer(), nullable=False),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finalists_per_cluster', sa.Integer(), nullable=False),
    sa.Column('cluster_prizes', sa.JSON(), nullable=False),
    sa.Column('final_prizes', sa.JSON(), nullable=False),
    sa.CheckConstraint('finalists_per_cluster >= 0', name=op.f('ck_team_settings_finalists_nonnegative')),
    sa.CheckConstraint('main_members >= 1 AND min_members >= main_members AND max_members >= min_members AND max_members <= 100', name=op.f('ck_team_settings_team_size')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_team_settings_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contest_id', name=op.f('pk_team_settings'))
    )
    op.create_table('live_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('remaining_seconds', sa.Float(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('idle', 'open', 'paused', 'revealed', 'finished')", name=op.f('ck_live_run_state')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_live_run_position_nonnegative')),
    sa.ForeignKeyConstraint(['part_id'], ['team_part.id'], name=op.f('fk_live_run_part_id_team_part'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_live_run_stage_id_stage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_run')),
    sa.UniqueConstraint('stage_id', 'part_id', name='uq_live_run_stage_id_part_id')
    )
    op.create_table('part_criterion',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('max_half_points', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_half_points BETWEEN 1 AND 2000', name=op.f('ck_part_criterion_max_range')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_part_criterion_position_positive')),
    sa.ForeignKeyConstraint(['part_id'], ['team_part.id'], name=op.f('fk_part_criterion_part_id_team_part'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_part_criterion')),
    sa.UniqueConstraint('id', 'max_half_points', name='uq_part_criterion_id_max_half_points'),
    sa.UniqueConstraint('part_id', 'position', name='uq_part_criterion_part_id_position')
    )
    op.create_table('team_cluster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('venue', sa.String(length=255), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_team_cluster_contest_id_contest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_team_cluster_stage_id_stage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_cluster')),
    sa.UniqueConstraint('stage_id', name='uq_team_cluster_stage_id')
    )
    op.create_table('live_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('choice_order', sa.JSON(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('position >= 1', name=op.f('ck_live_question_position_positive')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_live_question_question_id_question'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['run_id'], ['live_run.id'], name=op.f('fk_live_question_run_id_live_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_question')),
    sa.UniqueConstraint('run_id', 'position', name='uq_live_question_run_id_position'),
    sa.UniqueConstraint('run_id', 'question_id', name='uq_live_question_run_id_question_id')
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('access_code_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('registered', 'confirmed')", name=op.f('ck_team_status')),
    sa.ForeignKeyConstraint(['cluster_id'], ['team_cluster.id'], name=op.f('fk_team_cluster_id_team_cluster'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_team_confirmed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_team_contest_id_contest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user_account.id'], name=op.f('fk_team_registered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_team_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('access_code_hash', name='uq_team_access_code_hash'),
    sa.UniqueConstraint('contest_id', 'unit_id', name='uq_team_contest_id_unit_id')
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index('ix_team_cluster_id', ['cluster_id'], unique=False)

    op.create_table('live_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('live_question_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('choice_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['choice_id'], ['choice.id'], name=op.f('fk_live_answer_choice_id_choice'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_live_answer_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['live_question_id'], ['live_question.id'], name=op.f('fk_live_answer_live_question_id_live_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_live_answer_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_answer')),
    sa.UniqueConstraint('live_question_id', 'team_id', name='uq_live_answer_live_question_id_team_id')
    )
    with op.batch_alter_table('live_answer', schema=None) as batch_op:
        batch_op.create_index('ix_live_answer_team_id', ['team_id'], unique=False)

    op.create_table('team_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('position >= 1', name=op.f('ck_team_draw_position_positive')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user_account.id'], name=op.f('fk_team_draw_drawn_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_team_draw_stage_id_stage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_draw_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_draw')),
    sa.UniqueConstraint('stage_id', 'position', name='uq_team_draw_stage_id_position'),
    sa.UniqueConstraint('stage_id', 'team_id', name='uq_team_draw_stage_id_team_id')
    )
    op.create_table('team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('is_main', sa.Boolean(), nullable=False),
    sa.Column('is_captain', sa.Boolean(), nullable=False),
    sa.CheckConstraint('is_main OR NOT is_captain', name=op.f('ck_team_member_captain_is_main')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_team_member_position_positive')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_member_team_id_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_team_member_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member')),
    sa.UniqueConstraint('team_id', 'position', name='uq_team_member_team_id_position')
    )
    op.create_table('team_sheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name=op.f('ck_team_sheet_submitted_when_submitted')),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f('ck_team_sheet_status')),
    sa.ForeignKeyConstraint(['judge_id'], ['user_account.id'], name=op.f('fk_team_sheet_judge_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['part_id'], ['team_part.id'], name=op.f('fk_team_sheet_part_id_team_part'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_team_sheet_stage_id_stage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_sheet_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_sheet')),
    sa.UniqueConstraint('stage_id', 'judge_id', 'team_id', 'part_id', name='uq_team_sheet_stage_id_judge_id_team_id_part_id')
    )
    with op.batch_alter_table('team_sheet', schema=None) as batch_op:
        batch_op.create_index('ix_team_sheet_judge_id', ['judge_id'], unique=False)
        batch_op.create_index('ix_team_sheet_team_id', ['team_id'], unique=False)

    op.create_table('team_standing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('part_scores', sa.JSON(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('prize', sa.String(length=20), nullable=True),
    sa.Column('prize_amount', sa.BigInteger(), nullable=True),
    sa.Column('specials', sa.JSON(), nullable=False),
    sa.CheckConstraint("prize IS NULL OR prize IN ('first', 'second', 'third', 'consolation')", name=op.f('ck_team_standing_prize')),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_team_standing_rank_positive')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_team_standing_stage_id_stage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_standing_team_id_team'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_standing')),
    sa.UniqueConstraint('stage_id', 'rank', name='uq_team_standing_stage_id_rank'),
    sa.UniqueConstraint('stage_id', 'team_id', name='uq_team_standing_stage_id_team_id')
    )
    op.create_table('team_sheet_score',
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('max_half_points', sa.Integer(), nullable=False),
    sa.Column('half_points', sa.Integer(), nullable=False),
    sa.CheckConstraint('half_points >= 0 AND half_points <= max_half_points', name=op.f('ck_team_sheet_score_score_range')),
    sa.ForeignKeyConstraint(['criterion_id', 'max_half_points'], ['part_criterion.id', 'part_criterion.max_half_points'], name='fk_team_sheet_score_criterion_id_part_criterion', onupdate='CASCADE', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['team_sheet.id'], name=op.f('fk_team_sheet_score_sheet_id_team_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sheet_id', 'criterion_id', name=op.f('pk_team_sheet_score'))
    )
    with op.batch_alter_table('team_sheet_score', schema=None) as batch_op:
        batch_op.create_index('ix_team_sheet_score_criterion_id', ['criterion_id'], unique=False)



def downgrade():
    with op.batch_alter_table('team_sheet_score', schema=None) as batch_op:
        batch_op.drop_index('ix_team_sheet_score_criterion_id')

    op.drop_table('team_sheet_score')
    op.drop_table('team_standing')
    with op.batch_alter_table('team_sheet', schema=None) as batch_op:
        batch_op.drop_index('ix_team_sheet_team_id')
        batch_op.drop_index('ix_team_sheet_judge_id')

    op.drop_table('team_sheet')
    op.drop_table('team_member')
    op.drop_table('team_draw')
    with op.batch_alter_table('live_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_live_answer_team_id')

    op.drop_table('live_answer')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index('ix_team_cluster_id')

    op.drop_table('team')
    op.drop_table('live_question')
    op.drop_table('team_cluster')
    op.drop_table('part_criterion')
    op.drop_table('live_run')
    op.drop_table('team_settings')
    op.drop_table('team_part')
