"""the verdict cache: each version's evaluation under the key of what it was computed from

Revision ID: 0008_verdict_cache
Revises: 0007
Create Date: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_verdict_cache"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty at first: every version is evaluated once at the next start and stored then.
    op.create_table(
        "verdict_cache",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["dossier_version.id"],
            name=op.f("fk_verdict_cache_version_id_dossier_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_verdict_cache")),
    )


def downgrade() -> None:
    op.drop_table("verdict_cache")
