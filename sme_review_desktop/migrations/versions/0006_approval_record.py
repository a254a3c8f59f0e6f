"""approval follows from the record: decision's version and exception reason, revocation ground,
explained findings

Revision ID: 0006_approval_record
Revises: 0005_search_key
Create Date: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_approval_record"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_on_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("override_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoke_ground", sa.Integer(), nullable=True))
    # A decision stored before this revision was made on the version that was newest when it
    # was stored; the nearest honest reading is the newest version imported before decided_at.
    op.execute(
        """
        UPDATE decision SET decided_on_version = (
            SELECT COALESCE(MAX(v.number), 1) FROM dossier_version v
            WHERE v.dossier_id = decision.dossier_id AND v.imported_at <= decision.decided_at
        )
        """
    )
    op.create_table(
        "finding_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("noted_by", sa.String(length=100), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossier.id"],
            name=op.f("fk_finding_note_dossier_id_dossier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_note")),
        sa.UniqueConstraint(
            "dossier_id", "code", "subject", name=op.f("uq_finding_note_dossier_id_code_subject")
        ),
    )
    with op.batch_alter_table("finding_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_note_dossier_id"), ["dossier_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("finding_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_note_dossier_id"))
    op.drop_table("finding_note")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("revoke_ground")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("override_reason")
        batch_op.drop_column("decided_on_version")
