"""Synthetic data at scale, built fast: a store of N dossiers, a finalised round, county packages.

The stores start from real imports (the demo's 聊城 packages through the importer), then clone
those dossiers in bulk with Core inserts in one transaction, each with its own valid 统一社会
信用代码, names, county and varied figures, so the verdicts, filters and search keys vary as in
a real round. Import packages are written as counties send them: a data form from the app's
template and numbered evidence files of random (incompressible) bytes.
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from sme_review_desktop.demo import LIAOCHENG, LIAOCHENG_BASE, write_package
from sme_review_desktop.exports.form_template import FormValue, write_form
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.models import (
    Applicant,
    ConditionCheck,
    Decision,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceFile,
)
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.rounds import create_round
from sme_review_desktop.rules import uscc
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.text.search_keys import name_key

RULEBOOK = "liaocheng-2021"
ACTOR = "基准测试"
COUNTIES = (
    ("东昌府区", "371502"),
    ("临清市", "371581"),
    ("茌平区", "371503"),
    ("阳谷县", "371521"),
    ("莘县", "371522"),
    ("东阿县", "371524"),
    ("冠县", "371525"),
    ("高唐县", "371526"),
)
TRADES = ("科创", "物流", "轴承", "电缆", "阿胶", "农业", "文旅", "数字", "铝业", "纺织", "化工")
KINDS = ("中小企业综合服务", "产业技术服务", "创业孵化服务", "人才培训服务", "融资服务")
# Numeric figures varied per clone (±25 %), so thresholds are crossed both ways.
VARIED = (
    "total_assets_wan",
    "service_revenue_wan",
    "smes_served",
    "satisfaction_pct",
    "staff_total",
    "training_person_times",
)


def _names(i: int, rng: random.Random) -> tuple[str, str, str, str]:
    county, region = COUNTIES[i % len(COUNTIES)]
    trade = TRADES[rng.randrange(len(TRADES))]
    kind = KINDS[rng.randrange(len(KINDS))]
    platform = f"{county[:2]}{trade}{kind}平台{i}"
    operator = f"{county}{trade}服务有限公司{i}"
    return platform, operator, county, region


def _template_store(data_dir: Path) -> tuple[Store, int]:
    """A store with one 聊城 round holding the twelve demo dossiers, imported for real."""
    store = open_store(data_dir)
    book = get_rulebook(RULEBOOK)
    rid = create_round(
        store, RULEBOOK, "2026年度聊城市示范平台认定（基准）", date(2026, 6, 30), ACTOR
    )
    with tempfile.TemporaryDirectory(prefix="sme-bench-demo-") as tmp:
        paths = [write_package(Path(tmp), book, d, LIAOCHENG_BASE, "371502") for d in LIAOCHENG]
        for result in import_paths(store, rid, paths, ACTOR):
            if result.status != "imported":
                raise RuntimeError(f"template package rejected: {result.errors}")
    return store, rid


def _vary(key: str, value: str | None, rng: random.Random) -> str | None:
    if key not in VARIED or value is None:
        return value
    varied = Decimal(value) * Decimal(rng.randint(75, 125)) / 100
    return str(varied.quantize(Decimal(1) if "." not in value else Decimal("0.01")))


def _next_id(session: Any, column: Any) -> int:
    return int(session.scalar(select(func.max(column))) or 0) + 1


def clone_dossiers(
    store: Store, round_id: int, count: int, seed: int = 9, reviewed: float = 0.3
) -> None:
    """Add ``count`` dossiers to the round, cloned from the ones already in it, in one transaction.

    About ``reviewed`` of them get reviewer ticks on their first items (the list's progress
    column and its query then have real rows to count).
    """
    rng = random.Random(seed)
    book = get_rulebook(RULEBOOK)
    items = [(c.article, c.item, [p.id for p in c.parts]) for c in book.condition_items()]
    now = datetime.now(UTC)
    with store.write() as session:
        versions = list(
            session.scalars(
                select(DossierVersion).join(Dossier).where(Dossier.round_id == round_id)
            )
        )
        templates = [
            (v, [(f.key, f.value, f.raw) for f in v.figures], list(v.evidence)) for v in versions
        ]
        ids = {
            "applicant": _next_id(session, Applicant.id),
            "dossier": _next_id(session, Dossier.id),
            "version": _next_id(session, DossierVersion.id),
            "figure": _next_id(session, DeclaredFigure.id),
            "evidence": _next_id(session, EvidenceFile.id),
        }
        rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("a", "d", "v", "f", "e", "c")}
        start = len(versions)
        for n in range(count):
            i = start + n
            version, figures, evidence = templates[n % len(templates)]
            platform, operator, county, region = _names(i, rng)
            code = uscc.build(kind="91", region=region, org8=f"MB{i:06d}")
            a, d, v = ids["applicant"] + n, ids["dossier"] + n, ids["version"] + n
            rows["a"].append({"id": a, "uscc": code, "name": operator})
            rows["d"].append({"id": d, "round_id": round_id, "applicant_id": a, "version": 1})
            rows["v"].append(
                {
                    "id": v,
                    "dossier_id": d,
                    "number": 1,
                    "imported_at": now,
                    "imported_by": ACTOR,
                    "source_name": platform,
                    "platform_name": platform,
                    "operator_name": operator,
                    "county": county,
                    "platform_type": version.platform_type,
                    "legal_form": version.legal_form,
                    "warnings": [],
                    "unknown_fields": {},
                    "form_path": version.form_path,
                    "form_sha256": version.form_sha256,
                    # as the importer stores it (a Core insert skips the ORM event)
                    "search_key": name_key(platform, operator, county),
                }
            )
            names = {"platform_name": platform, "operator_name": operator, "county": county}
            for key, value, raw in figures:
                value = names.get(key) or (code if key == "uscc" else _vary(key, value, rng))
                rows["f"].append({"version_id": v, "key": key, "value": value, "raw": raw})
            for e in evidence:
                rows["e"].append(
                    {
                        "version_id": v,
                        "sha256": e.sha256,
                        "rel_path": e.rel_path,
                        "material_number": e.material_number,
                    }
                )
            if rng.random() < reviewed:
                for article, item, parts in items[: rng.randint(1, len(items))]:
                    for part in parts:
                        rows["c"].append(
                            {
                                "dossier_id": d,
                                "article": article,
                                "item": item,
                                "part": part,
                                "decision": "met",
                                "decided_by": ACTOR,
                                "decided_at": now,
                                "decided_on_version": 1,
                                "needs_recheck": False,
                                "note": "",
                                "version": 1,
                            }
                        )
        for table, key in (
            (Applicant, "a"),
            (Dossier, "d"),
            (DossierVersion, "v"),
            (DeclaredFigure, "f"),
            (EvidenceFile, "e"),
            (ConditionCheck, "c"),
        ):
            if rows[key]:
                session.execute(insert(table.__table__), rows[key])  # type: ignore[attr-defined]


def dossier_store(data_dir: Path, count: int) -> int:
    """A store of ``count`` dossiers in one round; returns the round id."""
    store, rid = _template_store(data_dir)
    clone_dossiers(store, rid, count - len(LIAOCHENG))
    store.close()
    return rid


def finalised_store(data_dir: Path, count: int) -> int:
    """A store whose one round has ``count`` dossiers approved, publicised and certified."""
    store, rid = _template_store(data_dir)
    clone_dossiers(store, rid, count - len(LIAOCHENG), reviewed=0)
    with store.write() as session:
        session.execute(
            insert(Decision.__table__),  # type: ignore[arg-type]
            [
                {"dossier_id": d, "decision": "approved", "reason": "基准", "decided_by": ACTOR}
                for d in session.scalars(select(Dossier.id).where(Dossier.round_id == rid))
            ],
        )
    start_publicity(store, rid, date(2026, 9, 28), ACTOR)
    finalize(store, rid, date(2026, 12, 1), ACTOR)
    store.close()
    return rid


def write_packages(
    folder: Path, packages: int, files: int, total_bytes: int, seed: int = 9
) -> tuple[int, int]:
    """County packages of random evidence bytes; returns (files written, bytes written).

    Sizes vary (a few large scans, many small pages) and add up to ``total_bytes``.
    """
    rng = random.Random(seed)
    book = get_rulebook(RULEBOOK)
    weights = [rng.lognormvariate(0, 1) for _ in range(files)]
    scale = total_bytes / sum(weights)
    sizes = [max(4096, int(w * scale)) for w in weights]
    per_package = files // packages
    materials = [m for m in book.materials]
    written = 0
    base = replace(LIAOCHENG[1])
    for p in range(packages):
        platform, operator, county, region = _names(p, rng)
        code = uscc.build(kind="91", region=region, org8=f"MC{p:06d}")
        pkg = folder / f"{p:03d}_{platform}"
        pkg.mkdir(parents=True)
        values: dict[str, FormValue | None] = {
            **LIAOCHENG_BASE,
            **base.changes,
            "platform_name": platform,
            "operator_name": operator,
            "uscc": code,
            "county": county,
        }
        write_form(pkg / "申报数据表.xlsx", book, values)
        count = per_package + (1 if p < files % packages else 0)
        for k in range(count):
            material = materials[k % len(materials)]
            name = f"{material.number:02d}_{material.title[:10]}_{k}.pdf".replace("/", "／")
            size = sizes.pop()
            with (pkg / name).open("wb") as fh:
                fh.write(b"%PDF-1.4\n")
                fh.write(os.urandom(size - 9))
            written += size
    return files, written


def count_imported(data_dir: Path) -> tuple[int, int]:
    """(dossiers, evidence files) in a store, to check an import brought everything in."""
    store = open_store(data_dir)
    try:
        with store.read() as session:
            dossiers = session.scalar(select(func.count(Dossier.id))) or 0
            files = session.scalar(select(func.count(EvidenceFile.id))) or 0
        return dossiers, files
    finally:
        store.close()


def write_bare_forms(folder: Path, count: int, seed: int = 11) -> None:
    """``count`` packages of a data form each and nothing else: what the importer does per
    form (read, check, store), without the evidence bytes that dominate a real batch."""
    rng = random.Random(seed)
    book = get_rulebook(RULEBOOK)
    base = replace(LIAOCHENG[1])
    for p in range(count):
        platform, operator, county, region = _names(p, rng)
        pkg = folder / f"{p:04d}_{platform}"
        pkg.mkdir(parents=True)
        values: dict[str, FormValue | None] = {
            **LIAOCHENG_BASE,
            **base.changes,
            "platform_name": platform,
            "operator_name": operator,
            "uscc": uscc.build(kind="91", region=region, org8=f"MF{p:06d}"),
            "county": county,
        }
        write_form(pkg / "申报数据表.xlsx", book, values)
