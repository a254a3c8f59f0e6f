"""Rulebooks (办法) as loaded into a store, and certification rounds (年度认定批次)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sme_review_desktop.models.base import Base, utcnow

if TYPE_CHECKING:
    from sme_review_desktop.models.dossiers import Dossier


class RulebookRecord(Base):
    """A measure a round was run under; the text lives in resources, its hash is kept here."""

    __tablename__ = "rulebook"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Round(Base):
    """年度认定批次: one yearly certification round under one measure."""

    __tablename__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    rulebook_id: Mapped[str] = mapped_column(ForeignKey("rulebook.id"))
    name: Mapped[str] = mapped_column(String(200))
    reference_date: Mapped[date]
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    rulebook: Mapped[RulebookRecord] = relationship()
    dossiers: Mapped[list[Dossier]] = relationship(back_populates="round")

    __mapper_args__ = {"version_id_col": version}
