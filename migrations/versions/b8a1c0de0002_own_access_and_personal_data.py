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
    pass


def downgrade():
    pass
