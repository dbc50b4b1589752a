"""unit managers: password resets and participation by day

Revision ID: b8a1c0de0008
Revises: b8a1c0de0007
Create Date: 2026-12-01 03:00:00

"""
from datetime import timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0008'
down_revision = 'b8a1c0de0007'
branch_labels = None
depends_on = None

# Asia/Ho_Chi_Minh has had no daylight saving since 1975: a fixed offset gives the local day.
VIETNAM = timedelta(hours=7)


def upgrade():
    op.create_table('account_login',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_account_login_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_account_login'))
    )
    op.create_table('unit_round_day_stat',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_unit_round_day_stat_round_id_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_round_day_stat_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'round_id', 'day', name=op.f('pk_unit_round_day_stat'))
    )
    op.create_table('password_reset_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_password_reset_token_expires_after_created')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_password_reset_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_token')),
    sa.UniqueConstraint('token_hash', name='uq_password_reset_token_token_hash')
    )
    op.create_index('ix_password_reset_token_user_id', 'password_reset_token', ['user_id'], unique=False)
    _backfill()


def _backfill():
    # Who logged in before logins were recorded: an open session, an attempt, or a password
    # of their own (changed after the account was made) all say they did.
    op.execute(
        "INSERT INTO account_login (user_id, first_at, last_at) "
        "SELECT user_id, min(created_at), max(last_seen_at) FROM user_session GROUP BY user_id"
    )
    op.execute(
        "INSERT INTO account_login (user_id, first_at, last_at) "
        "SELECT user_id, min(started_at), max(started_at) FROM attempt "
        "WHERE user_id NOT IN (SELECT user_id FROM account_login) GROUP BY user_id"
    )
    op.execute(
        "INSERT INTO account_login (user_id, first_at, last_at) "
        "SELECT id, password_changed_at, password_changed_at FROM user_account "
        "WHERE password_changed_at > created_at "
        "AND id NOT IN (SELECT user_id FROM account_login)"
    )
    # New participants per day and unit subtree, from each person's first finalized attempt
    # in each round (what record_finalized counts from now on), where the person counts for
    # unit figures (an approved account, or a contest that counts unapproved ones).
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT a.user_id, a.round_id, a.submitted_at, u.path FROM attempt a "
        "JOIN unit u ON u.id = a.unit_id "
        "JOIN round r ON r.id = a.round_id JOIN contest c ON c.id = r.contest_id "
        "JOIN user_account p ON p.id = a.user_id "
        "WHERE a.status <> 'in_progress' AND a.submitted_at IS NOT NULL "
        "AND (c.count_unapproved OR p.approved_at IS NOT NULL) "
        "ORDER BY a.user_id, a.round_id, a.submitted_at, a.id"
    ).columns(submitted_at=sa.DateTime()))
    counts = {}
    seen = None
    for user_id, round_id, submitted_at, path in rows:
        if (user_id, round_id) == seen:
            continue
        seen = (user_id, round_id)
        if submitted_at.tzinfo is not None:  # PostgreSQL; SQLite keeps naive UTC
            submitted_at = submitted_at.astimezone(timezone.utc).replace(tzinfo=None)
        day = (submitted_at + VIETNAM).date()
        for part in path.rstrip("/").split("/"):
            if part:
                key = (int(part), round_id, day)
                counts[key] = counts.get(key, 0) + 1
    if counts:
        table = sa.table('unit_round_day_stat', sa.column('unit_id'), sa.column('round_id'),
                         sa.column('day', sa.Date()), sa.column('people'))
        op.bulk_insert(table, [
            {'unit_id': u, 'round_id': r, 'day': d, 'people': n}
            for (u, r, d), n in sorted(counts.items())
        ])


def downgrade():
    op.drop_index('ix_password_reset_token_user_id', table_name='password_reset_token')
    op.drop_table('password_reset_token')
    op.drop_table('unit_round_day_stat')
    op.drop_table('account_login')
