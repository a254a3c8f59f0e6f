"""Decisions, publicity (公示) with objections, certificates, and the holiday table."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sme_review_desktop.models.base import Base, utcnow


class Decision(Base):
    """The panel's decision on a dossier: approved (拟认定), rejected, pool (纳入培育库)."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), unique=True
    )
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # The dossier version the decision was made on: a newer version makes it stale.
    decided_on_version: Mapped[int | None]
    # An approval recorded although the record did not support it (例外认定): the reason.
    override_reason: Mapped[str | None] = mapped_column(Text)

    __mapper_args__ = {"version_id_col": version}


class Publicity(Base):
    """A round's publicity period, counted in working days."""

    __tablename__ = "publicity"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), unique=True)
    start: Mapped[date]
    end: Mapped[date]
    working_days: Mapped[int]
    started_by: Mapped[str] = mapped_column(String(100), default="")


class Objection(Base):
    """异议 raised against a dossier during publicity."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    received_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    upheld: Mapped[bool | None]  # None while being handled; True: the dossier is not certified


class Certificate(Base):
    """证书 of a certified platform; numbers are unique across rounds."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), unique=True
    )
    number: Mapped[str] = mapped_column(String(100), unique=True)
    certified_on: Mapped[date]
    valid_until: Mapped[date]
    revoked_on: Mapped[date | None]
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    # The article the revocation rests on (聊城 21 or 22, 西安 19); None: not recorded.
    revoke_ground: Mapped[int | None]


class HolidayDay(Base):
    """A bureau-entered 放假 or 调休上班 day; overrides the holiday library for its year."""

    __tablename__ = "holiday_day"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # holiday / workday
    name: Mapped[str] = mapped_column(String(50), default="")


class ReportDue(Base):
    """A report a certified platform owes (聊城 quarterly, 西安 annual) and when it arrived."""

    __tablename__ = "report_due"
    __table_args__ = (UniqueConstraint("certificate_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))  # 2027Q1, 2027
    due_on: Mapped[date]
    received_on: Mapped[date | None]


class Complaint(Base):
    """A complaint by an SME against a certified platform (西安: three in a year revoke)."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), index=True
    )
    received_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
