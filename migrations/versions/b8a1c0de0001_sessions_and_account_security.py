"""sessions and account security

Revision ID: b8a1c0de0001
Revises: 2d04722c1688
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0001'
down_revision = '2d04722c1688'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
