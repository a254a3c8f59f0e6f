"""Applicants, their dossiers (申报材料), versions, declared figures and evidence files."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sme_review_desktop.models.base import Base, utcnow
from sme_review_desktop.text.search_keys import name_key

if TYPE_CHECKING:
    from sme_review_desktop.models.rounds import Round


class Applicant(Base):
    """An operating unit, identified across rounds by its 统一社会信用代码."""

    __tablename__ = "applicant"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Dossier(Base):
    """申报材料: one applicant's submission to one round; resubmissions are versions."""

    __tablename__ = "dossier"
    __table_args__ = (UniqueConstraint("round_id", "applicant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"))
    review_complete_at: Mapped[datetime | None]
    review_complete_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[Round] = relationship(back_populates="dossiers")
    applicant: Mapped[Applicant] = relationship()
    versions: Mapped[list[DossierVersion]] = relationship(
        back_populates="dossier", order_by="DossierVersion.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class DossierVersion(Base):
    """One imported package of a dossier; number 1 is the first submission."""

    __tablename__ = "dossier_version"
    __table_args__ = (UniqueConstraint("dossier_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    number: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    source_name: Mapped[str] = mapped_column(String(500))
    platform_name: Mapped[str] = mapped_column(String(200))
    operator_name: Mapped[str] = mapped_column(String(200))
    county: Mapped[str] = mapped_column(String(100), default="")
    platform_type: Mapped[str] = mapped_column(String(20), default="")
    legal_form: Mapped[str] = mapped_column(String(20), default="")
    warnings: Mapped[list[str]] = mapped_column(default=list)
    unknown_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The data-form workbook as submitted, every sheet kept (dossier-format: 其他工作表原样保存).
    form_path: Mapped[str | None] = mapped_column(String(1000))
    form_sha256: Mapped[str | None] = mapped_column(ForeignKey("evidence_blob.sha256"))
    # The names and their pinyin initials (search_text.name_key), made once at import so the
    # dossier list need not make 10,000 of them at every start.
    search_key: Mapped[str | None] = mapped_column(Text)

    dossier: Mapped[Dossier] = relationship(back_populates="versions")
    figures: Mapped[list[DeclaredFigure]] = relationship(
        back_populates="version", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="EvidenceFile.rel_path"
    )


class DeclaredFigure(Base):
    """One declared value of the data form, kept as the canonical text of its type.

    Numbers are decimal strings in the field's unit, dates ISO, booleans "1"/"0"; ``raw`` is
    the cell as the county typed it, for the reviewer to compare.
    """

    __tablename__ = "declared_figure"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("dossier_version.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str | None] = mapped_column(Text)

    version: Mapped[DossierVersion] = relationship(back_populates="figures")


class EvidenceBlob(Base):
    """Content-addressed bytes of an evidence file, stored once however often submitted."""

    __tablename__ = "evidence_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)


class EvidenceFile(Base):
    """An evidence file as submitted in one version: where it was and which material it is."""

    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("dossier_version.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_blob.sha256"))
    rel_path: Mapped[str] = mapped_column(String(1000))
    material_number: Mapped[int | None]  # None: 其他材料

    version: Mapped[DossierVersion] = relationship(back_populates="evidence")
    blob: Mapped[EvidenceBlob] = relationship()


@event.listens_for(DossierVersion, "before_insert")
def _fill_search_key(_mapper: Any, _conn: Any, version: DossierVersion) -> None:
    if version.search_key is None:
        version.search_key = name_key(version.platform_name, version.operator_name, version.county)
