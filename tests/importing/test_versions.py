"""Resubmissions (补正材料): the same 统一社会信用代码 in the same round is a new version.

Reviewer decisions carry forward to the new version where the figures they rest on did not
change, and are flagged for re-check where they did.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sme_review_desktop.importing.service import ImportResult, import_paths
from sme_review_desktop.models import Applicant, AuditEntry, Dossier, DossierVersion
from sme_review_desktop.review.walkthrough import load_workspace, set_decision
from sme_review_desktop.store.database import Store

from .helpers import LIAOCHENG, XIAN, code, figures_of, make_folder, make_form, new_round

# clauses decided on version 1: (article, item, part) → decision
DECIDED = {
    (7, 1, "assets"): "met",  # total_assets_wan
    (7, 1, "legal_person"): "met",  # a judgment: no figure behind it
    (7, 3, "satisfaction"): "met",  # satisfaction_pct
    (7, 7, "staff_ratio"): "fix",  # staff_qualified / staff_total
    (8, 1, ""): "met",  # the whole 信息服务 item: func_info and its figures
    (8, 4, "person_times"): "unmet",  # training_person_times
}


def _import(store: Store, rid: int, path: Path) -> ImportResult:
    (result,) = import_paths(store, rid, [path], "测试")
    assert result.status in ("imported", "new_version"), result.errors
    return result


def _decide_all(store: Store, dossier_id: int) -> None:
    for (article, item, part), decision in DECIDED.items():
        set_decision(store, dossier_id, article, item, part, decision, "评审员", version=1)
    set_decision(store, dossier_id, 7, 4, "partners", None, "评审员")  # undecided


def _flags(store: Store, dossier_id: int) -> dict[tuple[int, int, str], tuple[str | None, bool]]:
    ws = load_workspace(store, dossier_id)
    return {key: (c.decision, c.needs_recheck) for key, c in ws.checks.items()}


def _form(tmp_path: Path, tag: str, **changes: Any) -> Path:
    return make_form(tmp_path / tag / "申报数据表.xlsx", LIAOCHENG, 1, **changes)


def test_same_uscc_same_round_is_a_new_version(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    first = _import(store, rid, _form(tmp_path, "v1"))
    second = _import(
        store,
        rid,
        _form(tmp_path, "v2", platform_name="改名后的平台", operator_name="改名后的运营单位"),
    )
    assert (first.status, first.version) == ("imported", 1)
    assert (second.status, second.version) == ("new_version", 2)
    assert first.dossier_id == second.dossier_id
    with store.read() as session:
        assert len(session.scalars(select(Dossier)).all()) == 1
        versions = session.scalars(select(DossierVersion).order_by(DossierVersion.number)).all()
        assert [(v.number, v.platform_name) for v in versions] == [
            (1, "测试服务平台1号"),
            (2, "改名后的平台"),
        ]
        assert session.scalars(select(Applicant.name)).all() == ["改名后的运营单位"]
        imports = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "dossier.import")
        ).all()
        assert [e.after["version"] for e in imports] == [1, 2]  # type: ignore[index]
    assert first.dossier_id is not None
    ws = load_workspace(store, first.dossier_id)
    assert ws.version == 2 and ws.versions == [1, 2]
    assert ws.platform_name == "改名后的平台"
    assert load_workspace(store, first.dossier_id, 1).platform_name == "测试服务平台1号"


def test_uscc_typed_differently_is_still_the_same_applicant(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    good = code(LIAOCHENG, 1)
    _import(store, rid, _form(tmp_path, "v1"))
    again = _import(store, rid, _form(tmp_path, "v2", uscc=" " + good.lower() + " "))
    assert again.status == "new_version"


def test_same_uscc_in_another_round_is_a_new_dossier(store: Store, tmp_path: Path) -> None:
    r1 = new_round(store, LIAOCHENG, "2025年度")
    r2 = new_round(store, LIAOCHENG, "2026年度")
    a = _import(store, r1, _form(tmp_path, "a"))
    assert a.dossier_id is not None
    _decide_all(store, a.dossier_id)
    b = _import(store, r2, _form(tmp_path, "b", total_assets_wan=Decimal("999")))
    assert b.status == "imported" and b.version == 1
    assert a.dossier_id != b.dossier_id
    assert b.dossier_id is not None
    assert load_workspace(store, b.dossier_id).checks == {}
    assert not any(needs for _, needs in _flags(store, a.dossier_id).values())
    with store.read() as session:
        assert len(session.scalars(select(Applicant)).all()) == 1


def test_decisions_carry_forward_unchanged_figures_keep_their_ticks(
    store: Store, tmp_path: Path
) -> None:
    rid = new_round(store)
    v1 = _import(store, rid, _form(tmp_path, "v1"))
    assert v1.dossier_id is not None
    _decide_all(store, v1.dossier_id)
    # the same figures, typed differently: 850 as "8,500,000元", 93.5 as "93.5%"
    v2 = _import(
        store, rid, _form(tmp_path, "v2", total_assets_wan="8,500,000元", satisfaction_pct="93.5%")
    )
    assert v2.status == "new_version"
    assert not any("重新核对" in w for w in v2.warnings)
    flags = _flags(store, v1.dossier_id)
    for key, decision in DECIDED.items():
        assert flags[key] == (decision, False), key
    assert flags[(7, 4, "partners")] == (None, False)
    raw = load_workspace(store, v1.dossier_id).raw
    assert raw["total_assets_wan"] == "8,500,000元"
    assert figures_of(store, v1.dossier_id)["total_assets_wan"] == "850"


def test_changed_figures_flag_their_decisions_for_recheck(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    v1 = _import(store, rid, _form(tmp_path, "v1"))
    assert v1.dossier_id is not None
    dossier = v1.dossier_id
    _decide_all(store, dossier)
    v2 = _import(
        store,
        rid,
        _form(
            tmp_path,
            "v2",
            total_assets_wan=Decimal("900"),  # 7/1 assets
            staff_qualified=Decimal("20"),  # 7/7 staff_ratio
            contact_phone="0635-0000000",  # behind no condition
        ),
    )
    assert v2.status == "new_version"
    assert any("有2项已审核条件" in w for w in v2.warnings), v2.warnings
    flags = _flags(store, dossier)
    assert flags[(7, 1, "assets")] == ("met", True)
    assert flags[(7, 7, "staff_ratio")] == ("fix", True)
    # untouched figures keep their ticks without a flag
    assert flags[(7, 1, "legal_person")] == ("met", False)
    assert flags[(7, 3, "satisfaction")] == ("met", False)
    assert flags[(8, 1, "")] == ("met", False)
    assert flags[(8, 4, "person_times")] == ("unmet", False)
    assert flags[(7, 4, "partners")] == (None, False)  # undecided: nothing to re-check

    # re-deciding clears the flag
    set_decision(store, dossier, 7, 1, "assets", "met", "评审员", version=2)
    assert _flags(store, dossier)[(7, 1, "assets")] == ("met", False)


def test_undeclaring_a_function_or_emptying_a_figure_flags_it(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    v1 = _import(store, rid, _form(tmp_path, "v1"))
    assert v1.dossier_id is not None
    dossier = v1.dossier_id
    _decide_all(store, dossier)
    _import(store, rid, _form(tmp_path, "v2", func_info=False, satisfaction_pct=None))
    flags = _flags(store, dossier)
    assert flags[(8, 1, "")] == ("met", True)  # the function's declaration changed
    assert flags[(7, 3, "satisfaction")] == ("met", True)  # declared → not declared
    assert flags[(7, 1, "assets")] == ("met", False)
    assert "satisfaction_pct" not in figures_of(store, dossier)
    assert figures_of(store, dossier, 1)["satisfaction_pct"] == "93.5"


def test_flags_compare_with_the_previous_version_only(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    v1 = _import(store, rid, _form(tmp_path, "v1"))
    assert v1.dossier_id is not None
    dossier = v1.dossier_id
    _decide_all(store, dossier)
    _import(store, rid, _form(tmp_path, "v2", total_assets_wan=Decimal("900")))
    set_decision(store, dossier, 7, 1, "assets", "met", "评审员", version=2)
    v3 = _import(
        store,
        rid,
        _form(tmp_path, "v3", total_assets_wan=Decimal("900"), platform_name="第三版平台"),
    )
    assert v3.version == 3
    assert _flags(store, dossier)[(7, 1, "assets")] == ("met", False)


def test_resubmitted_folder_with_new_evidence(store: Store, tmp_path: Path) -> None:
    """A 补正 package may add the missing material; both versions keep their own files."""
    rid = new_round(store, XIAN)
    v1 = make_folder(tmp_path / "v1", "平台", XIAN, files={"（一）申请报告.pdf": b"1"})
    v2 = make_folder(
        tmp_path / "v2", "平台", XIAN, files={"（一）申请报告.pdf": b"1", "（二）执照.pdf": b"2"}
    )
    r1 = _import(store, rid, v1)
    r2 = _import(store, rid, v2)
    assert r2.status == "new_version"
    assert r1.dossier_id is not None
    ws1 = load_workspace(store, r1.dossier_id, 1)
    ws2 = load_workspace(store, r1.dossier_id, 2)
    assert [(e.rel_path, e.material_number) for e in ws1.evidence] == [("（一）申请报告.pdf", 1)]
    assert [(e.rel_path, e.material_number) for e in ws2.evidence] == [
        ("（一）申请报告.pdf", 1),
        ("（二）执照.pdf", 2),
    ]
