"""The server's people (a login and the name it signs with) and the score sheets issued to experts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sme_review_desktop.models.base import Base, utcnow


class AppUser(Base):
    """A PostgreSQL login of the shared server and the registered name its audit entries carry.

    Rows are written by ``sme-review server user add``; on a local store the table stays empty.
    """

    __tablename__ = "app_user"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # admin | staff | expert
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    disabled_at: Mapped[datetime | None]


class SheetIssue(Base):
    """One offline score sheet as issued: only a sheet recorded here can be imported."""

    __tablename__ = "score_sheet_issue"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # printed in the sheet
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    expert: Mapped[str] = mapped_column(String(100))
    dossiers: Mapped[list[Any]] = mapped_column(default=list)  # the USCCs on the sheet
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime | None]
    imported_by: Mapped[str | None] = mapped_column(String(100))
