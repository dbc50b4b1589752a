"""register of legal documents

Revision ID: b8a1c0de0004
Revises: b8a1c0de0003
Create Date: 2026-12-01 00:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8a1c0de0004"
down_revision = "b8a1c0de0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "legal_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("number_key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.Column("replaced_from", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('law', 'resolution', 'decree', 'decision', 'circular', 'party', 'other')",
            name=op.f("ck_legal_document_kind"),
        ),
        sa.CheckConstraint(
            "status = 'replaced' OR (replaced_by_id IS NULL AND replaced_from IS NULL)",
            name=op.f("ck_legal_document_replacement_only_when_replaced"),
        ),
        sa.CheckConstraint(
            "status IN ('in_force', 'amended', 'replaced')", name=op.f("ck_legal_document_status")
        ),
        sa.CheckConstraint(
            "replaced_by_id IS NULL OR replaced_by_id <> id",
            name=op.f("ck_legal_document_not_own_replacement"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["legal_document.id"],
            name=op.f("fk_legal_document_replaced_by_id_legal_document"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_document")),
        sa.UniqueConstraint("number_key", name="uq_legal_document_number_key"),
    )
    op.create_table(
        "question_citation",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["legal_document.id"],
            name=op.f("fk_question_citation_document_id_legal_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_question_citation_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("question_id", "document_id", name=op.f("pk_question_citation")),
    )
    with op.batch_alter_table("question_citation", schema=None) as batch_op:
        batch_op.create_index("ix_question_citation_document_id", ["document_id"], unique=False)


def downgrade():
    with op.batch_alter_table("question_citation", schema=None) as batch_op:
        batch_op.drop_index("ix_question_citation_document_id")
    op.drop_table("question_citation")
    op.drop_table("legal_document")
