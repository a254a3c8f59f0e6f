"""Statistics across every round (跨批次概览)."""

from __future__ import annotations

import calendar
import statistics
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from sqlalchemy import Select, and_, case, extract, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery
from sme_review_desktop.importing.figures import decode
from sme_review_desktop.models import (
    Applicant,
    AuditEntry,
    Certificate,
    ConditionCheck,
    Decision,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceFile,
    Expert,
    Publicity,
    ReportDue,
    Round,
    Score,
)
from sme_review_desktop.overview.dossier_list import DECISION_LABELS
from sme_review_desktop.register.platforms import EXPIRING_DAYS
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.engine import Applicant as EngineApplicant
from sme_review_desktop.rules.engine import Verdict, evaluate
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.rules.rulebook import Part, Rulebook, get_rulebook
from sme_review_desktop.rules.uscc import implied_legal_form
from sme_review_desktop.scoring.aggregate import TRIM_FROM, aggregate, expert_totals, outliers, rank
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbering import clause_label
from sme_review_desktop.text.numbers import plain
from sme_review_desktop.overview.stats_model import OverallStats, RoundRef, RoundRow
from sme_review_desktop.overview.round_stats import _by_county
from sme_review_desktop.overview.stats_queries import _pairs
from sme_review_desktop.overview.register_stats import _register


def overall_stats(store: Store, as_of: date | None = None) -> OverallStats:
    """The 概览 across rounds: each round's counts, all counties, the whole register."""
    as_of = as_of or date.today()
    with store.read() as session:
        received = _pairs(
            session,
            select(Dossier.round_id, func.count(func.distinct(Dossier.id)))
            .join(DossierVersion, DossierVersion.dossier_id == Dossier.id)
            .group_by(Dossier.round_id),
        )
        approved = _pairs(
            session,
            select(Dossier.round_id, func.count(Decision.id))
            .join(Decision, Decision.dossier_id == Dossier.id)
            .where(Decision.decision == "approved")
            .group_by(Dossier.round_id),
        )
        certified = _pairs(
            session,
            select(Dossier.round_id, func.count(Certificate.id))
            .join(Certificate, Certificate.dossier_id == Dossier.id)
            .group_by(Dossier.round_id),
        )
        rounds = []
        for rnd in session.scalars(select(Round).order_by(Round.reference_date, Round.id)):
            book = get_rulebook(rnd.rulebook_id)
            rounds.append(
                RoundRow(
                    RoundRef(rnd.id, rnd.name, book.id, book.title, rnd.reference_date),
                    int(received.get(rnd.id, 0)),
                    int(approved.get(rnd.id, 0)),
                    int(certified.get(rnd.id, 0)),
                )
            )
        return OverallStats(
            as_of=as_of,
            rounds=tuple(rounds),
            by_county=_by_county(session, None),
            register=_register(session, None, as_of),
        )
