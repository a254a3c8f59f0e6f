"""The demo's story beyond the dossiers: a legitimate earlier round and what its register says.

An earlier 聊城 round (2023) is reviewed item by item, scored by every expert without a conflict,
decided — three approvals that follow from the record and one 例外认定 with its reason — publicised
and certified. The register then revokes two of those titles, one under 第二十二条 and one with
no ground recorded, so this year's round shows every finding: barred_after_revocation,
revoked_before, already_certified (a title valid until 2027), duplicate_evidence (a file copied
between two applicants), outside_city (西安's 咸阳 code), and stale_decision (a 西安 decision
taken before the applicant's 补正 arrived). Everything goes through the app's own services.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.register.platforms import register_rows, revoke
from sme_review_desktop.review.conclusions import item_states, set_item_conclusion
from sme_review_desktop.rounds import create_round, update_settings
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.scheme import DEFAULT_SCHEME
from sme_review_desktop.store.database import Store

EXPERTS = ("周敏", "孙立", "郑洁")
# This year's 聊城 applicants (by their place in the demo) that were certified in 2023: 冠县,
# 莘县 and 高唐县. The first dossiers of the demo stay untouched, as a new user meets them.
EARLIER = (6, 7, 9)
EXCEPTION = "管理制度文本已于评审会上补交，专家组当场核验无误"


def _import(store: Store, round_id: int, packages: Sequence[Path], actor: str) -> None:
    for result in import_paths(store, round_id, list(packages), actor):
        if result.status not in ("imported", "new_version"):
            raise RuntimeError(f"demo package rejected: {result.errors}")


def _review(store: Store, round_id: int, uscc: str, actor: str, pending: str = "") -> None:
    """Every item concluded 符合, except ``pending`` (e.g. "7.6") concluded 待补正."""
    _, states = item_states(store, round_id, uscc)
    for s in states:
        item = f"{s.article}.{s.item}"
        conclusion = "supplement" if item == pending else "met"
        note = "管理制度文本缺页，待补正" if item == pending else None
        set_item_conclusion(store, round_id, uscc, item, conclusion, actor, note)


def _points(total: int) -> dict[str, Decimal | None]:
    """A total spread over the default scheme in proportion to each maximum, in half points."""
    return {name: Decimal(round(total * top / 50)) / 2 for name, top, _ in DEFAULT_SCHEME}


def earlier_round(store: Store, packages: Sequence[Path], actor: str) -> int:
    """2023: four legitimate steps to certificates, one approval an exception."""
    rid = create_round(
        store, "liaocheng-2021", "2023年度聊城市示范平台认定（演示）", date(2023, 6, 30), actor
    )
    update_settings(store, rid, {"document_number": "聊工信字〔2023〕21号"}, actor)
    _import(store, rid, packages, actor)
    codes = _round_codes(store, rid)
    for name in EXPERTS:
        add_expert(store, rid, name, actor, organisation="聊城大学")
    declare_conflict(store, rid, "郑洁", codes[1], "曾任该单位顾问", actor)
    for n, code in enumerate(codes):
        _review(store, rid, code, "张评审", pending="7.6" if n == 1 else "")
        for e, name in enumerate(EXPERTS):
            if not (name == "郑洁" and n == 1):
                enter_scores(store, rid, name, code, _points(80 + 3 * n - 2 * e), actor)
        if n == 1:  # 莘县: 7.6 待补正 at the meeting, approved as an exception
            decide(store, rid, code, "approved", "服务能力较强", "组长", override=EXCEPTION)
        else:
            decide(store, rid, code, "approved", "各项条件均符合", "组长")
    start_publicity(store, rid, date(2023, 12, 1), actor, assume_weekends=True)
    finalize(store, rid, date(2024, 1, 10), "局长")  # valid until 2027-01-09
    numbers = {r.uscc: r.number for r in register_rows(store, date(2024, 1, 10))}
    revoke(
        store, numbers[codes[0]], date(2024, 5, 20), "存在违规收费行为，经查实", "局长", ground=22
    )
    revoke(store, numbers[codes[1]], date(2024, 8, 1), "县局提出撤销申请（依据未注明）", "局长")
    return rid


def _round_codes(store: Store, round_id: int) -> list[str]:
    """The round's applicants' codes in import order (the demo's order)."""
    return [s.uscc for s in dossier_summaries(store, round_id)]


def load_story(
    store: Store,
    lc_round: int,
    xa_round: int,
    lc_packages: Sequence[Path],
    earlier: Sequence[Path],
    xa_fix: Path,
    actor: str,
) -> list[int]:
    """Add the story to the demo's two rounds. ``lc_packages``: the 聊城 packages as imported;
    ``earlier``: the 2023 packages of the EARLIER applicants; ``xa_fix``: 阎良's 补正."""
    rid = earlier_round(store, earlier, actor)
    with tempfile.TemporaryDirectory(prefix="sme-demo-story-") as tmp:
        # duplicate_evidence: the 法律咨询 platform's 第10项 is the 经开区 platform's, byte for byte.
        source, target = lc_packages[10], lc_packages[11]
        copy = Path(tmp) / target.name
        shutil.copytree(target, copy)
        for old in copy.glob("10_*"):
            old.unlink()
        for new in source.glob("10_*"):
            shutil.copy(new, copy / new.name)
        _import(store, lc_round, [copy], actor)
    # stale_decision: 阎良 rejected for 9 staff, then its 补正 declares 10.
    code = _round_codes(store, xa_round)[9]
    decide(store, xa_round, code, "rejected", "服务人员不足10人", "组长")
    _import(store, xa_round, [xa_fix], actor)
    return [rid]
