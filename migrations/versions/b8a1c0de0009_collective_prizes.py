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


def upgrade():
    pass


def downgrade():
    pass
