"""Condition checks (条件审核): the app's suggestion and the reviewer's decision per clause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sme_review_desktop.models.base import Base, utcnow


class ConditionCheck(Base):
    """A reviewer's decision on one part (clause) of one condition item of a dossier.

    ``part`` is the rulebook's part id; ``""`` is the item as a whole.
    """

    __tablename__ = "condition_check"
    __table_args__ = (UniqueConstraint("dossier_id", "article", "item", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    article: Mapped[int]
    item: Mapped[int]
    part: Mapped[str] = mapped_column(String(64), default="")
    app_verdict: Mapped[str | None] = mapped_column(String(10))
    decision: Mapped[str | None] = mapped_column(String(10))  # met / unmet / fix (待补正)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    decided_on_version: Mapped[int | None]
    needs_recheck: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="check", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class EvidenceLink(Base):
    """Evidence a reviewer linked to a check: a file, or one page of a PDF."""

    __tablename__ = "evidence_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("condition_check.id", ondelete="CASCADE"), index=True
    )
    evidence_file_id: Mapped[int] = mapped_column(ForeignKey("evidence_file.id"))
    page: Mapped[int | None]

    check: Mapped[ConditionCheck] = relationship(back_populates="links")


class FindingNote(Base):
    """A reviewer's mark that a signal finding is explained (e.g. a shared government template).

    ``subject`` names what the finding is about (for duplicate_evidence, the file's SHA-256), so
    a new duplicate is raised afresh.
    """

    __tablename__ = "finding_note"
    __table_args__ = (UniqueConstraint("dossier_id", "code", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    noted_by: Mapped[str] = mapped_column(String(100), default="")
    noted_at: Mapped[datetime] = mapped_column(default=utcnow)
