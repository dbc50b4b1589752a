"""announcements, study materials and pages

Revision ID: b8a1c0de0011
Revises: b8a1c0de0010
Create Date: 2026-12-01 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8a1c0de0011"
down_revision = "b8a1c0de0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("title <> ''", name=op.f("ck_announcement_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contest.id"],
            name=op.f("fk_announcement_contest_id_contest"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement")),
    )
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.create_index("ix_announcement_published_at", ["published_at"], unique=False)
        batch_op.create_index("ix_announcement_contest_id", ["contest_id"], unique=False)
    op.create_table(
        "study_material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("stored_name", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=120), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(url IS NULL) <> (stored_name IS NULL)", name=op.f("ck_study_material_link_or_file")
        ),
        sa.CheckConstraint(
            "stored_name IS NULL OR (file_name IS NOT NULL AND content_type IS NOT NULL "
            "AND size IS NOT NULL)",
            name=op.f("ck_study_material_file_described"),
        ),
        sa.CheckConstraint(
            "title <> '' AND topic <> ''", name=op.f("ck_study_material_title_and_topic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_material")),
        sa.UniqueConstraint("stored_name", name="uq_study_material_stored_name"),
    )


def downgrade():
    op.drop_table("study_material")
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_index("ix_announcement_contest_id")
        batch_op.drop_index("ix_announcement_published_at")
    op.drop_table("announcement")
