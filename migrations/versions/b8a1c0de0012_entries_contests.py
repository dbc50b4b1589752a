"""judged contests: entries, stages, jury, votes

Revision ID: b8a1c0de0012
Revises: b8a1c0de0011
Create Date: 2026-12-01 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0012'
down_revision = 'b8a1c0de0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('criterion',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('max_half_points', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_half_points BETWEEN 1 AND 2000', name=op.f('ck_criterion_max_range')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_criterion_position_positive')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_criterion_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion')),
    sa.UniqueConstraint('contest_id', 'position', name='uq_criterion_contest_id_position'),
    sa.UniqueConstraint('id', 'max_half_points', name='uq_criterion_id_max_half_points')
    )
    op.create_table('judged_settings',
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('selection_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('preliminary_quota', sa.Integer(), nullable=True),
    sa.Column('voting_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voting_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('site_votes', sa.Boolean(), nullable=False),
    sa.Column('votes_public', sa.Boolean(), nullable=False),
    sa.Column('jury_weight', sa.Float(), nullable=False),
    sa.Column('audience_weight', sa.Float(), nullable=False),
    sa.Column('vote_factor', sa.Float(), nullable=False),
    sa.Column('like_factor', sa.Float(), nullable=False),
    sa.Column('share_factor', sa.Float(), nullable=False),
    sa.Column('finalist_count', sa.Integer(), nullable=False),
    sa.Column('prizes', sa.JSON(), nullable=False),
    sa.CheckConstraint('finalist_count >= 0', name=op.f('ck_judged_settings_finalist_count_nonnegative')),
    sa.CheckConstraint('jury_weight >= 0 AND audience_weight >= 0 AND jury_weight + audience_weight > 0', name=op.f('ck_judged_settings_weights')),
    sa.CheckConstraint('preliminary_quota IS NULL OR preliminary_quota >= 1', name=op.f('ck_judged_settings_quota_positive')),
    sa.CheckConstraint('vote_factor >= 0 AND like_factor >= 0 AND share_factor >= 0', name=op.f('ck_judged_settings_audience_factors')),
    sa.CheckConstraint('voting_opens_at IS NULL OR voting_closes_at IS NULL OR voting_closes_at > voting_opens_at', name=op.f('ck_judged_settings_voting_window')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_judged_settings_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contest_id', name=op.f('pk_judged_settings'))
    )
    op.create_table('stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_stage_contest_id_contest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage')),
    sa.UniqueConstraint('contest_id', 'key', name='uq_stage_contest_id_key')
    )
    op.create_table('entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('authors', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('file_key', sa.String(length=64), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_type', sa.String(length=100), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reject_reason', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('selected_by_unit_id', sa.Integer(), nullable=True),
    sa.Column('selection_slot', sa.Integer(), nullable=True),
    sa.Column('selected_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status <> 'rejected' OR reject_reason IS NOT NULL", name=op.f('ck_entry_reason_when_rejected')),
    sa.CheckConstraint("status IN ('registered', 'rejected')", name=op.f('ck_entry_status')),
    sa.CheckConstraint('(file_key IS NULL) = (file_name IS NULL) AND (file_key IS NULL) = (file_type IS NULL)', name=op.f('ck_entry_file_fields')),
    sa.CheckConstraint('(selected_by_unit_id IS NULL) = (selection_slot IS NULL)', name=op.f('ck_entry_selection_fields')),
    sa.CheckConstraint('selection_slot IS NULL OR selection_slot >= 1', name=op.f('ck_entry_selection_slot_positive')),
    sa.CheckConstraint('video_url IS NOT NULL OR file_key IS NOT NULL', name=op.f('ck_entry_has_media')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_entry_contest_id_contest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user_account.id'], name=op.f('fk_entry_registered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['selected_by_unit_id'], ['unit.id'], name=op.f('fk_entry_selected_by_unit_id_unit'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_entry_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry')),
    sa.UniqueConstraint('contest_id', 'selected_by_unit_id', 'selection_slot', name='uq_entry_contest_id_selected_by_unit_id_selection_slot'),
    sa.UniqueConstraint('file_key', name='uq_entry_file_key')
    )
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.create_index('ix_entry_contest_id', ['contest_id'], unique=False)
        batch_op.create_index('ix_entry_unit_id', ['unit_id'], unique=False)

    op.create_table('judge_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['judge_id'], ['user_account.id'], name=op.f('fk_judge_assignment_judge_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_judge_assignment_stage_id_stage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_assignment')),
    sa.UniqueConstraint('stage_id', 'judge_id', name='uq_judge_assignment_stage_id_judge_id')
    )
    with op.batch_alter_table('judge_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_judge_assignment_judge_id', ['judge_id'], unique=False)

    op.create_table('entry_reach',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('likes', sa.BigInteger(), nullable=False),
    sa.Column('shares', sa.BigInteger(), nullable=False),
    sa.Column('evidence_url', sa.String(length=500), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('likes >= 0 AND shares >= 0', name=op.f('ck_entry_reach_counts_nonnegative')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_entry_reach_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_entry_reach_entry_id_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_entry_reach'))
    )
    op.create_table('entry_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_entry_vote_entry_id_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_entry_vote_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_vote')),
    sa.UniqueConstraint('entry_id', 'user_id', name='uq_entry_vote_entry_id_user_id')
    )
    with op.batch_alter_table('entry_vote', schema=None) as batch_op:
        batch_op.create_index('ix_entry_vote_user_id', ['user_id'], unique=False)

    op.create_table('score_sheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name=op.f('ck_score_sheet_submitted_when_submitted')),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f('ck_score_sheet_status')),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_score_sheet_entry_id_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['user_account.id'], name=op.f('fk_score_sheet_judge_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_score_sheet_stage_id_stage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_sheet')),
    sa.UniqueConstraint('stage_id', 'judge_id', 'entry_id', name='uq_score_sheet_stage_id_judge_id_entry_id')
    )
    with op.batch_alter_table('score_sheet', schema=None) as batch_op:
        batch_op.create_index('ix_score_sheet_entry_id', ['entry_id'], unique=False)
        batch_op.create_index('ix_score_sheet_judge_id', ['judge_id'], unique=False)

    op.create_table('special_prize',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_special_prize_amount_nonnegative')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_special_prize_contest_id_contest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_special_prize_entry_id_entry'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_prize')),
    sa.UniqueConstraint('contest_id', 'name', name='uq_special_prize_contest_id_name')
    )
    op.create_table('standing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('jury_score', sa.Float(), nullable=True),
    sa.Column('audience_score', sa.Float(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('finalist', sa.Boolean(), nullable=False),
    sa.Column('prize', sa.String(length=20), nullable=True),
    sa.Column('prize_amount', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("prize IS NULL OR prize IN ('first', 'second', 'third', 'consolation')", name=op.f('ck_standing_prize')),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_standing_rank_positive')),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_standing_entry_id_entry'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_standing_stage_id_stage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standing')),
    sa.UniqueConstraint('stage_id', 'entry_id', name='uq_standing_stage_id_entry_id'),
    sa.UniqueConstraint('stage_id', 'rank', name='uq_standing_stage_id_rank')
    )
    op.create_table('sheet_score',
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('max_half_points', sa.Integer(), nullable=False),
    sa.Column('half_points', sa.Integer(), nullable=False),
    sa.CheckConstraint('half_points >= 0 AND half_points <= max_half_points', name=op.f('ck_sheet_score_score_range')),
    sa.ForeignKeyConstraint(['criterion_id', 'max_half_points'], ['criterion.id', 'criterion.max_half_points'], name='fk_sheet_score_criterion_id_criterion', onupdate='CASCADE', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheet.id'], name=op.f('fk_sheet_score_sheet_id_score_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sheet_id', 'criterion_id', name=op.f('pk_sheet_score'))
    )
    with op.batch_alter_table('sheet_score', schema=None) as batch_op:
        batch_op.create_index('ix_sheet_score_criterion_id', ['criterion_id'], unique=False)

    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='quiz', nullable=False))
        batch_op.create_check_constraint('kind', "kind IN ('quiz', 'entries', 'teams')")

    # The jury role.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_role'), type_='check')
        batch_op.create_check_constraint(
            'role', "role IN ('contestant', 'unit_manager', 'admin', 'judge')"
        )


def downgrade():
    op.execute("UPDATE user_account SET role = 'contestant' WHERE role = 'judge'")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_role'), type_='check')
        batch_op.create_check_constraint('role', "role IN ('contestant', 'unit_manager', 'admin')")

    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contest_kind'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('sheet_score', schema=None) as batch_op:
        batch_op.drop_index('ix_sheet_score_criterion_id')

    op.drop_table('sheet_score')
    op.drop_table('standing')
    op.drop_table('special_prize')
    with op.batch_alter_table('score_sheet', schema=None) as batch_op:
        batch_op.drop_index('ix_score_sheet_judge_id')
        batch_op.drop_index('ix_score_sheet_entry_id')

    op.drop_table('score_sheet')
    with op.batch_alter_table('entry_vote', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_vote_user_id')

    op.drop_table('entry_vote')
    op.drop_table('entry_reach')
    with op.batch_alter_table('judge_assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_judge_assignment_judge_id')

    op.drop_table('judge_assignment')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_unit_id')
        batch_op.drop_index('ix_entry_contest_id')

    op.drop_table('entry')
    op.drop_table('stage')
    op.drop_table('judged_settings')
    op.drop_table('criterion')
