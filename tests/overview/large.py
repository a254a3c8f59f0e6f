"""A round of 10,000 dossiers, made in bulk from the demo's twelve (seconds, not an hour of imports).

The demo's 聊城 round is copied row by row in SQL inserts: new applicants and dossiers, one
version each with a demo dossier's figures and evidence, spread over eight counties; every tenth
approved, some rejected or pooled, reviewers' 不符合 ticks on some, five experts scoring the first
2,000. Only for tests of speed: nothing here goes through the services.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select

from sme_review_desktop.models import (
    Applicant,
    ConditionCheck,
    Criterion,
    Decision,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceFile,
    Expert,
    Score,
)
from sme_review_desktop.scoring.scheme import ensure_scheme
from sme_review_desktop.store.database import Store

ROUND = 1
COUNTIES = ("东昌府区", "临清市", "茌平区", "阳谷县", "莘县", "东阿县", "冠县", "高唐县")
SCORED = 2_000


def _next_id(session: Any, column: Any) -> int:
    return int(session.scalar(select(func.max(column))) or 0) + 1


def build_large(store: Store, n: int = 10_000) -> dict[str, int]:
    """Add ``n`` dossiers to the demo's round 1; returns what was added, by kind."""
    now = datetime.now(UTC)
    with store.write() as session:
        templates = list(
            session.scalars(
                select(DossierVersion)
                .join(Dossier, Dossier.id == DossierVersion.dossier_id)
                .where(Dossier.round_id == ROUND)
                .order_by(DossierVersion.id)
            )
        )
        shapes = [
            (
                v,
                [(f.key, f.value, f.raw) for f in v.figures],
                [(e.sha256, e.rel_path, e.material_number) for e in v.evidence],
            )
            for v in templates
        ]
        a0, d0, v0 = (
            _next_id(session, Applicant.id),
            _next_id(session, Dossier.id),
            _next_id(session, DossierVersion.id),
        )
        applicants, dossiers, versions, figures, evidence = [], [], [], [], []
        decisions, checks = [], []
        for i in range(n):
            v, figs, files = shapes[i % len(shapes)]
            applicants.append(
                {"id": a0 + i, "uscc": f"91371502MB{i:08d}", "name": f"批量服务有限公司{i}"}
            )
            dossiers.append({"id": d0 + i, "round_id": ROUND, "applicant_id": a0 + i, "version": 1})
            versions.append(
                {
                    "id": v0 + i,
                    "dossier_id": d0 + i,
                    "number": 1,
                    "imported_at": now,
                    "imported_by": "批量",
                    "source_name": f"批量{i}.zip",
                    "platform_name": f"{v.platform_name}{i}",
                    "operator_name": f"{v.operator_name}{i}",
                    "county": COUNTIES[i % len(COUNTIES)],
                    "platform_type": v.platform_type,
                    "legal_form": v.legal_form,
                    "warnings": [],
                    "unknown_fields": {},
                }
            )
            figures += [
                {"version_id": v0 + i, "key": k, "value": val, "raw": raw} for k, val, raw in figs
            ]
            evidence += [
                {"version_id": v0 + i, "sha256": sha, "rel_path": path, "material_number": m}
                for sha, path, m in files
            ]
            if i % 10 < 3:
                decisions.append(
                    {
                        "dossier_id": d0 + i,
                        "decision": ("approved", "rejected", "pool")[i % 10],
                        "reason": "",
                        "decided_by": "批量",
                        "decided_at": now,
                        "version": 1,
                    }
                )
            if i % 50 == 0:
                checks.append(
                    {
                        "dossier_id": d0 + i,
                        "article": 7,
                        "item": 3,
                        "part": "smes",
                        "decision": "unmet",
                        "note": "",
                        "needs_recheck": False,
                        "version": 1,
                    }
                )
        for table, rows in (
            (Applicant, applicants),
            (Dossier, dossiers),
            (DossierVersion, versions),
            (DeclaredFigure, figures),
            (EvidenceFile, evidence),
            (Decision, decisions),
            (ConditionCheck, checks),
        ):
            session.execute(insert(table), rows)
        criteria: list[Criterion] = ensure_scheme(session, ROUND)
        e0 = _next_id(session, Expert.id)
        experts = [
            {"id": e0 + k, "round_id": ROUND, "name": f"批量专家{k + 1}", "organisation": ""}
            for k in range(5)
        ]
        session.execute(insert(Expert), experts)
        scores = [
            {
                "expert_id": e0 + k,
                "dossier_id": d0 + i,
                "criterion_id": c.id,
                "points": min(c.max_points, Decimal((i * 7 + k * 13) % 9 + 8)),
                "entered_by": "批量",
                "entered_at": now,
            }
            for i in range(min(SCORED, n))
            for k in range(5)
            for c in criteria
        ]
        session.execute(insert(Score), scores)
    return {"dossiers": n, "decisions": len(decisions), "checks": len(checks), "scored": SCORED}
