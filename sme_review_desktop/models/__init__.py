"""The ORM: tables, relationships and constraints, nothing else."""

from sme_review_desktop.models.audit import AuditEntry
from sme_review_desktop.models.base import Base
from sme_review_desktop.models.dossiers import (
    Applicant,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceBlob,
    EvidenceFile,
)
from sme_review_desktop.models.outcome import (
    Certificate,
    Complaint,
    Decision,
    HolidayDay,
    Objection,
    Publicity,
    ReportDue,
)
from sme_review_desktop.models.people import AppUser, SheetIssue
from sme_review_desktop.models.review import ConditionCheck, EvidenceLink, FindingNote
from sme_review_desktop.models.rounds import Round, RulebookRecord
from sme_review_desktop.models.scoring import Conflict, Criterion, Expert, Score
from sme_review_desktop.models.verdict_cache import CachedVerdict

__all__ = [
    "AppUser",
    "Applicant",
    "AuditEntry",
    "Base",
    "CachedVerdict",
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
    "FindingNote",
    "HolidayDay",
    "Objection",
    "Publicity",
    "ReportDue",
    "Round",
    "RulebookRecord",
    "Score",
    "SheetIssue",
]
