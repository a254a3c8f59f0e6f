"""Experts, conflicts of interest (回避), scoring criteria and scores."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sme_review_desktop.models.base import Base, utcnow


class Expert(Base):
    __tablename__ = "expert"
    __table_args__ = (UniqueConstraint("round_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200), default="")


class Conflict(Base):
    """An expert's declared conflict with an applicant: that expert does not score it."""

    __tablename__ = "conflict"
    __table_args__ = (UniqueConstraint("expert_id", "dossier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")


class Criterion(Base):
    """One criterion of a round's scoring scheme."""

    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    guidance: Mapped[str] = mapped_column(Text, default="")


class Score(Base):
    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("expert_id", "dossier_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    entered_by: Mapped[str] = mapped_column(String(100), default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A random version, not a counter: a cleared score is deleted, and a counter would start
    # again at 1 when it is re-entered, letting an edit made on the old score pass as current.
    version: Mapped[str] = mapped_column(String(32))

    __mapper_args__ = {
        "version_id_col": version,
        "version_id_generator": lambda _current: uuid.uuid4().hex,
    }
