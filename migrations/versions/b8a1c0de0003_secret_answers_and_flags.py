"""answer key and figures kept secret, fast submissions flagged

Revision ID: b8a1c0de0003
Revises: b8a1c0de0002
Create Date: 2026-12-01 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8a1c0de0003'
down_revision = 'b8a1c0de0002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
