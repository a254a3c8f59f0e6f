"""The ORM: tables, relationships and constraints, nothing else."""

from .audit import AuditEntry
from .base import Base
from .dossiers import (
    Applicant,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceBlob,
    EvidenceFile,
)
from .outcome import Certificate, Complaint, Decision, HolidayDay, Objection, Publicity, ReportDue
from .review import ConditionCheck, EvidenceLink
from .rounds import Round, RulebookRecord
from .scoring import Conflict, Criterion, Expert, Score

__all__ = [
    "Applicant",
    "AuditEntry",
    "Base",
    "Certificate",
    "Complaint",
    "ConditionCheck",
    "Conflict",
    "Criterion",
    "Decision",
    "DeclaredFigure",
    "Dossier",
    "DossierVersion",
    "EvidenceBlob",
    "EvidenceFile",
    "EvidenceLink",
    "Expert",
    "HolidayDay",
    "Objection",
    "Publicity",
    "ReportDue",
    "Round",
    "RulebookRecord",
    "Score",
]
