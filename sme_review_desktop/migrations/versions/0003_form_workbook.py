"""dossier version keeps the data-form workbook itself (其他工作表原样保存)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form_path", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("form_sha256", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_dossier_version_form_sha256_evidence_blob"),
            "evidence_blob",
            ["form_sha256"],
            ["sha256"],
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier_version", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_dossier_version_form_sha256_evidence_blob"), type_="foreignkey"
        )
        batch_op.drop_column("form_sha256")
        batch_op.drop_column("form_path")
