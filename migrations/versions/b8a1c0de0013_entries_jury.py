"""judged contests: jury and standings (second slot)

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
    pass


def downgrade():
    pass
