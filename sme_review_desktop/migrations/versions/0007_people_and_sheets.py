"""the server's people, the score sheets issued, and the OS account beside each audit entry

Revision ID: 0007
Revises: 0006_approval_record
Create Date: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006_approval_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_app_user")),
    )
    op.create_table(
        "score_sheet_issue",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("expert", sa.String(length=100), nullable=False),
        sa.Column("dossiers", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
            name=op.f("fk_score_sheet_issue_round_id_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_sheet_issue")),
    )
    with op.batch_alter_table("score_sheet_issue", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_score_sheet_issue_round_id"), ["round_id"], unique=False
        )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("os_account", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("os_account")
    with op.batch_alter_table("score_sheet_issue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_sheet_issue_round_id"))
    op.drop_table("score_sheet_issue")
    op.drop_table("app_user")
