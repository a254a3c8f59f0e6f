"""Every workbook the app writes stores text as text: no data becomes a formula.

A county names its platform ``=HYPERLINK(…)``, an expert is registered as ``@SUM(1)``, a reason
starts with ``-`` or ``+``: each export must keep those strings exactly and as text (string
type, with Excel's quote prefix so an edit does not turn them into formulas either).
"""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from approval_helpers import approve
from openpyxl import load_workbook

from sme_review_desktop.exports import register_xlsx
from sme_review_desktop.exports.audit_xlsx import write_audit
from sme_review_desktop.exports.import_report import write_import_report
from sme_review_desktop.exports.minutes import write_minutes
from sme_review_desktop.exports.notice import Listing, _xlsx
from sme_review_desktop.importing.service import ImportResult, import_paths
from sme_review_desktop.register.platforms import RegisterRow
from sme_review_desktop.rounds import create_round
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.scheme import ensure_scheme
from sme_review_desktop.scoring.sheets import import_score_sheets, write_score_sheet
from sme_review_desktop.scoring.summary_xlsx import write_score_summary
from sme_review_desktop.store.audit_view import audit_rows
from sme_review_desktop.store.database import Store
from sme_review_desktop.text import xlsx_text
from tests.importing.helpers import LIAOCHENG, make_folder

PLATFORM = '=HYPERLINK("http://example.invalid/x","点击查看")'
OPERATOR = "+1+cmd|' /C calc'!A0"
EXPERT = "@SUM(1)"
REASON = "-2+3 理由"
HOSTILE = (PLATFORM, OPERATOR, EXPERT, REASON)


def assert_text_only(path: Path, allowed_formula: str = "") -> int:
    """No cell of ``path`` is a formula (but ``allowed_formula``-prefixed ones); every
    formula-like string is text with the quote prefix. Returns how many hostile cells it saw."""
    seen = 0
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert allowed_formula and str(cell.value).startswith(allowed_formula), (
                        f"{path.name} {ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                    )
                    continue
                if isinstance(cell.value, str) and xlsx_text.looks_like_formula(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                    seen += any(h in cell.value for h in HOSTILE)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                for h in HOSTILE:
                    assert f"<f>{h}".encode() not in z.read(name)
    return seen


@pytest.fixture
def scored(store: Store, tmp_path: Path) -> tuple[Store, int, str]:
    round_id = create_round(store, LIAOCHENG, "2026年度", date(2026, 6, 30), "t")
    folder = make_folder(tmp_path / "in", platform_name=PLATFORM, operator_name=OPERATOR)
    [result] = list(import_paths(store, round_id, [folder], "t"))
    assert result.status == "imported", result.errors
    add_expert(store, round_id, EXPERT, "t")
    uscc = result.uscc or ""
    with store.write() as session:
        first = ensure_scheme(session, round_id)[0].name
    enter_scores(store, round_id, EXPERT, uscc, {first: Decimal(20)}, "t")
    # The package has only the data form (no materials) and one criterion scored: the names
    # are what this test is about, so the approval is an exception.
    approve(store, round_id, uscc, REASON, "t", override="测试：只检验名称按文本写出")
    return store, round_id, uscc


def test_the_helper_keeps_the_value_and_marks_it_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    xlsx_text.append(ws, [PLATFORM, 1, None, "普通文字", "控制\x01字符"])
    xlsx_text.append(ws, [])
    xlsx_text.append(ws, [OPERATOR])
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx").active
    assert back is not None
    assert back["A1"].value == PLATFORM and back["A1"].data_type == "s" and back["A1"].quotePrefix
    assert back["B1"].value == 1 and not back["D1"].quotePrefix
    assert back["E1"].value == "控制⟨U+0001⟩字符"  # XML cannot hold it; shown, not crashed
    assert back["A3"].value == OPERATOR  # an empty append still adds a row, as ws.append does
    assert assert_text_only(tmp_path / "t.xlsx") == 2


def test_store_exports_keep_names_as_text(scored: tuple[Store, int, str], tmp_path: Path) -> None:
    store, round_id, _ = scored
    minutes = write_minutes(store, round_id, tmp_path / "会议纪要.xlsx")
    summary = write_score_summary(store, round_id, tmp_path / "汇总表.xlsx")
    with store.read() as session:
        rows = audit_rows(session, round_id)
    audit = write_audit(rows, "审计记录", tmp_path / "审计记录.xlsx")
    assert assert_text_only(minutes) >= 3  # platform, expert, reason
    assert assert_text_only(summary) >= 2
    assert assert_text_only(audit) >= 1


def test_score_sheet_keeps_names_as_text_and_still_reads_back(
    scored: tuple[Store, int, str], tmp_path: Path
) -> None:
    store, round_id, _ = scored
    sheet = write_score_sheet(store, round_id, EXPERT, tmp_path / "评分表.xlsx", "t")
    assert assert_text_only(sheet, allowed_formula="=SUM(") >= 1  # the platform cell
    [result] = import_score_sheets(store, round_id, [sheet], "t")
    assert result.status == "imported" and result.count == 1, result.errors


def test_listing_register_and_import_report_keep_names_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = Listing(
        final=False,
        title="拟认定名单",
        document_number="",
        paragraphs=[],
        issuer="",
        issued_on=date(2026, 9, 28),
        columns=["序号", "平台名称", "运营单位"],
        rows=[["1", PLATFORM, OPERATOR]],
    )
    _xlsx(doc, tmp_path / "公示名单.xlsx")
    assert assert_text_only(tmp_path / "公示名单.xlsx") == 2

    row = RegisterRow(
        "聊城2026001", PLATFORM, OPERATOR, "X", "东昌府区", LIAOCHENG, "2026", date(2026, 10, 12),
        date(2029, 10, 11), "有效", [], [], 0, None, REASON,
    )  # fmt: skip
    monkeypatch.setattr(register_xlsx, "register_rows", lambda _s, _d: [row])
    target, _ = register_xlsx.write_register(None, tmp_path / "名录.xlsx", date(2027, 1, 1))  # type: ignore[arg-type]
    assert assert_text_only(target) == 3

    result = ImportResult(path=PLATFORM, status="rejected", platform_name=PLATFORM)
    result.errors = [REASON]
    write_import_report(tmp_path / "导入结果.xlsx", [result])
    assert assert_text_only(tmp_path / "导入结果.xlsx") >= 2
