"""The verdict cache: each version's evaluation, stored with the key of everything it came from."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sme_review_desktop.models.base import Base


class CachedVerdict(Base):
    """Derived data, not a record: one version's 系统建议, missing materials and the applicable
    items with their parts, under the key (engine code, rulebook file, reference date, the
    version's figures) it was computed for. A row whose key differs from the one computed now
    is never read (review/verdict_cache.py); no audit entry, no window follows the table."""

    __tablename__ = "verdict_cache"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("dossier_version.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64))
    # JSON as text, parsed by the cache itself: 10,000 rows of a round share a few hundred
    # distinct verdicts, each parsed once.
    verdict: Mapped[str] = mapped_column(Text)
