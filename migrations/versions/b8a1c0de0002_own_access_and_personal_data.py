"""own access, registration approval and personal data

Revision ID: b8a1c0de0002
Revises: b8a1c0de0001
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0002'
down_revision = 'b8a1c0de0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consent_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('anonymized_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            'consent_with_version', '(consent_at IS NULL) = (consent_version IS NULL)'
        )
    # Everyone who already has an account was let in by the old rules: approved.
    op.execute('UPDATE user_account SET approved_at = created_at')

    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('count_unapproved', sa.Boolean(), server_default=sa.text('true'), nullable=False)
        )

    op.create_table('deletion_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'done', 'rejected')", name=op.f('ck_deletion_request_status')),
    sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name=op.f('ck_deletion_request_decided_unless_pending')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_deletion_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_deletion_request_user_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_request'))
    )
    with op.batch_alter_table('deletion_request', schema=None) as batch_op:
        batch_op.create_index('ix_deletion_request_status', ['status'], unique=False)
        batch_op.create_index('uq_deletion_request_one_pending', ['user_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    with op.batch_alter_table('deletion_request', schema=None) as batch_op:
        batch_op.drop_index('uq_deletion_request_one_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_deletion_request_status')
    op.drop_table('deletion_request')

    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_column('count_unapproved')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_consent_with_version'), type_='check')
        batch_op.drop_column('anonymized_at')
        batch_op.drop_column('consent_version')
        batch_op.drop_column('consent_at')
        batch_op.drop_column('approved_at')
