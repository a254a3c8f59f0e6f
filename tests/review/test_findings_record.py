"""Findings read from the record: the register's revocations and certificates, other applicants'
files, versions after a decision; and what each does to 拟认定 and to the 公示."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from approval_helpers import approve, review_all
from sqlalchemy import select, update

from sme_review_desktop.demo import LIAOCHENG, LIAOCHENG_BASE, XIAN, XIAN_BASE, write_package
from sme_review_desktop.errors import UserError
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.models import DossierVersion, EvidenceFile
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.register.platforms import register_rows, revoke
from sme_review_desktop.review.finding_record import explain_finding, round_findings
from sme_review_desktop.rounds import create_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.approval import ApprovalRefused
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.store.database import Store

ROUND_LC, ROUND_XA = 1, 2
LUXI = LIAOCHENG[1]  # 聊城鲁西中小企业综合服务平台, the demo round's second dossier


def _codes(store: Store, round_id: int) -> dict[int, list[str]]:
    found = round_findings_by_code(store, round_id)
    return {
        n: [f.code for f in found[r.uscc]] for n, r in enumerate(dossier_summaries(store, round_id))
    }


def round_findings_by_code(store: Store, round_id: int) -> dict[str, list]:  # type: ignore[type-arg]
    rows = {r.dossier_id: r.uscc for r in dossier_summaries(store, round_id)}
    with store.read() as session:
        return {rows[d]: f for d, f in round_findings(session, round_id).items()}


def _import(
    store: Store, round_id: int, folder: Path, demo: object, city: str = "liaocheng"
) -> object:
    book = get_rulebook("liaocheng-2021" if city == "liaocheng" else "xian-2018")
    base, region = (LIAOCHENG_BASE, "371502") if city == "liaocheng" else (XIAN_BASE, "610113")
    pkg = write_package(folder, book, demo, base, region)  # type: ignore[arg-type]
    (result,) = import_paths(store, round_id, [pkg], "秘书")
    assert result.status in ("imported", "new_version"), result.errors
    return result


def _certify_earlier(store: Store, tmp_path: Path, certified_on: date) -> str:
    """鲁西 certified in an earlier 聊城 round; returns the certificate number."""
    rid = create_round(store, "liaocheng-2021", "2023年度", date(2023, 6, 30), "秘书")
    _import(store, rid, tmp_path / "earlier", LUXI)
    approve(store, rid, LUXI_CODE(store), "评审合格", "组长")
    start_publicity(store, rid, certified_on - timedelta(days=40), "秘书", assume_weekends=True)
    [(_, number)] = finalize(store, rid, certified_on, "局长").certified
    return number


def LUXI_CODE(store: Store) -> str:
    return dossier_summaries(store, ROUND_LC)[1].uscc


@pytest.mark.parametrize(
    ("ground", "code", "overridable"),
    [(22, "barred_after_revocation", False), (None, "revoked_before", True), (21, None, None)],
)
def test_revocation_ground_decides_the_bar(
    demo_store: Store,
    tmp_path: Path,
    ground: int | None,
    code: str | None,
    overridable: bool | None,
) -> None:
    number = _certify_earlier(demo_store, tmp_path, date(2023, 10, 12))
    revoke(demo_store, number, date(2024, 3, 1), "违法违规经查实", "局长", ground=ground)
    assert register_rows(demo_store, date(2024, 3, 2))[0].revoke_ground == ground
    luxi = LUXI_CODE(demo_store)
    found = [f.code for f in round_findings_by_code(demo_store, ROUND_LC)[luxi]]
    assert found == ([code] if code else [])
    review_all(demo_store, ROUND_LC, luxi)
    if code is None:
        assert decide(demo_store, ROUND_LC, luxi, "approved", "合格", "组长") is None
        return
    with pytest.raises(ApprovalRefused) as caught:
        decide(demo_store, ROUND_LC, luxi, "approved", "合格", "组长")
    assert caught.value.overridable is overridable
    reason = "经核实系检查不合格撤销"
    if not overridable:
        assert "不可例外认定" in caught.value.message and "第二十二条" in caught.value.message
        with pytest.raises(ApprovalRefused, match="不可例外认定"):
            decide(demo_store, ROUND_LC, luxi, "approved", "合格", "组长", override=reason)
    else:
        assert decide(demo_store, ROUND_LC, luxi, "approved", "合格", "组长", override=reason)


def test_a_ground_the_measure_does_not_know_is_refused(demo_store: Store, tmp_path: Path) -> None:
    number = _certify_earlier(demo_store, tmp_path, date(2023, 10, 12))
    with pytest.raises(UserError, match="第二十一条（21）、第二十二条（22）"):
        revoke(demo_store, number, date(2024, 3, 1), "理由", "局长", ground=19)


@pytest.mark.parametrize(
    ("certified_on", "flagged"), [(date(2023, 10, 12), False), (date(2024, 1, 10), True)]
)
def test_already_certified_until_the_year_it_expires(
    demo_store: Store, tmp_path: Path, certified_on: date, flagged: bool
) -> None:
    """Valid until 2026-10-11: may re-apply in 2026; until 2027-01-09: not yet."""
    _certify_earlier(demo_store, tmp_path, certified_on)
    found = [f.code for f in round_findings_by_code(demo_store, ROUND_LC)[LUXI_CODE(demo_store)]]
    assert found == (["already_certified"] if flagged else [])


@pytest.mark.parametrize(
    ("round_id", "city", "region"),
    [(ROUND_LC, "liaocheng", "610131"), (ROUND_XA, "xian", "371502")],
)
def test_outside_city_is_an_import_warning_and_blocks_until_an_exception(
    demo_store: Store, tmp_path: Path, round_id: int, city: str, region: str
) -> None:
    base = LIAOCHENG[2] if city == "liaocheng" else XIAN[2]
    stranger = dataclasses.replace(base, org8="MA7X0099", platform="外地平台", region=region)
    result = _import(demo_store, round_id, tmp_path / "in", stranger, city)
    assert any(region in w and "注册地需核实" in w for w in result.warnings)  # type: ignore[attr-defined]
    code = result.uscc  # type: ignore[attr-defined]
    assert "outside_city" in [f.code for f in round_findings_by_code(demo_store, round_id)[code]]
    review_all(demo_store, round_id, code)
    with pytest.raises(ApprovalRefused, match="注册地不在本市"):
        decide(demo_store, round_id, code, "approved", "合格", "组长")
    decide(
        demo_store, round_id, code, "approved", "合格", "组长", override="已迁入本市，见迁入证明"
    )


def test_duplicate_evidence_names_both_and_can_be_explained(demo_store: Store) -> None:
    rows = dossier_summaries(demo_store, ROUND_LC)
    with demo_store.write() as session:
        first = session.scalars(
            select(EvidenceFile)
            .join(DossierVersion)
            .where(DossierVersion.dossier_id == rows[0].dossier_id)
        ).first()
        assert first is not None
        sha, path = first.sha256, first.rel_path
        session.execute(
            update(EvidenceFile)
            .where(
                EvidenceFile.version_id.in_(
                    select(DossierVersion.id).where(DossierVersion.dossier_id == rows[1].dossier_id)
                ),
                EvidenceFile.rel_path.like("01_%"),
            )
            .values(sha256=sha)
        )
    found = round_findings_by_code(demo_store, ROUND_LC)
    [dup] = [f for f in found[rows[1].uscc] if f.code == "duplicate_evidence"]
    assert (
        rows[0].operator_name in dup.message and rows[0].uscc in dup.message and path in dup.message
    )
    assert not dup.blocking
    assert [f.code for f in found[rows[0].uscc]] == ["duplicate_evidence"]  # both are told
    assert [f.code for f in found[rows[2].uscc]] == []
    approve(demo_store, ROUND_LC, rows[1].uscc)  # a signal does not block
    explain_finding(demo_store, ROUND_LC, rows[1].uscc, sha[:10], "同为市局下发的统一模板", "甲")
    [dup] = [f for f in round_findings_by_code(demo_store, ROUND_LC)[rows[1].uscc]]
    assert dup.explained == "同为市局下发的统一模板"
    with pytest.raises(UserError, match="说明"):
        explain_finding(demo_store, ROUND_LC, rows[1].uscc, sha[:10], "  ", "甲")


def test_a_new_version_makes_the_approval_stale_until_confirmed(
    demo_store: Store, tmp_path: Path
) -> None:
    luxi = LUXI_CODE(demo_store)
    approve(demo_store, ROUND_LC, luxi)
    resubmitted = dataclasses.replace(LUXI, changes={"smes_served": Decimal("150")})
    _import(demo_store, ROUND_LC, tmp_path / "v2", resubmitted)
    [stale] = round_findings_by_code(demo_store, ROUND_LC)[luxi]
    assert stale.code == "stale_decision" and "第1版" in stale.message and "第2版" in stale.message
    with pytest.raises(UserError, match="须重新确认") as caught:
        start_publicity(demo_store, ROUND_LC, date(2026, 9, 28), "秘书")
    assert luxi in caught.value.message
    # The changed figure's clause needs re-checking before the approval can be confirmed.
    with pytest.raises(ApprovalRefused, match="需重新核对"):
        decide(demo_store, ROUND_LC, luxi, "approved", "复核合格", "组长")
    from sme_review_desktop.review.conclusions import set_item_conclusion

    set_item_conclusion(demo_store, ROUND_LC, luxi, "7.3", "met", "甲")
    decide(demo_store, ROUND_LC, luxi, "approved", "复核合格", "组长")
    assert round_findings_by_code(demo_store, ROUND_LC)[luxi] == []
    assert start_publicity(demo_store, ROUND_LC, date(2026, 9, 28), "秘书").flagged == []
