"""register of legal documents

Revision ID: b8a1c0de0004
Revises: b8a1c0de0003
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0004'
down_revision = 'b8a1c0de0003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
