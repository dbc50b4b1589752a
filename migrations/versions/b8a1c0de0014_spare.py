"""spare slot

Revision ID: b8a1c0de0014
Revises: b8a1c0de0013
Create Date: 2026-12-01 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0014'
down_revision = 'b8a1c0de0013'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
