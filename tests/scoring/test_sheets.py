"""Offline score sheets: the round trip, and every kind of tampering refused with its cell named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.rounds import create_round
from sme_review_desktop.scoring.entry import enter_scores, expert_grid
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.sheets import (
    CHECK_SHEET,
    FIRST_ROW,
    SHEET,
    import_score_sheets,
    write_score_sheet,
)
from sme_review_desktop.scoring.summary import score_summary
from sme_review_desktop.scoring.summary_xlsx import write_score_summary
from sme_review_desktop.store.database import Store

SCORES = (18, 20, 21, 12, 13)  # 基本条件…特色创新, all within their maxima (20/25/25/15/15)


@pytest.fixture
def panel(demo_store: Store) -> Store:
    store = demo_store
    rows = dossier_summaries(store, 1)
    for name in ("王一", "李二"):
        add_expert(store, 1, name, "秘书")
    declare_conflict(store, 1, "李二", rows[0].uscc, "同一集团", "秘书")
    return store


def _fill(path: Path, rows: int, values: tuple[float | str | None, ...] = SCORES) -> None:
    wb = load_workbook(path)
    ws = wb[SHEET]
    for r in range(FIRST_ROW, FIRST_ROW + rows):
        for c, v in enumerate(values, start=4):
            ws.cell(r, c).value = v
    wb.save(path)


def _sheet(panel: Store, tmp_path: Path, expert: str = "王一") -> tuple[Path, int]:
    target = write_score_sheet(panel, 1, expert, tmp_path / f"{expert}.xlsx", "秘书")
    ws = load_workbook(target)[SHEET]
    n = sum(1 for r in range(FIRST_ROW, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int))
    return target, n


def test_sheet_is_protected_with_only_score_cells_unlocked(panel: Store, tmp_path: Path) -> None:
    target, n = _sheet(panel, tmp_path)
    wb = load_workbook(target)
    ws = wb[SHEET]
    assert ws.protection.sheet
    assert wb[CHECK_SHEET].sheet_state == "veryHidden"
    assert not ws.cell(FIRST_ROW, 4).protection.locked
    assert ws.cell(FIRST_ROW, 2).protection.locked
    assert ws.cell(FIRST_ROW, 9).value == f"=SUM(D{FIRST_ROW}:H{FIRST_ROW})"
    ranges = {
        str(dv.sqref): (dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation
    }
    assert ranges[f"D{FIRST_ROW}:D{FIRST_ROW + n - 1}"] == ("0", "20")
    assert ranges[f"E{FIRST_ROW}:E{FIRST_ROW + n - 1}"] == ("0", "25")


def test_conflicted_dossier_is_left_out_and_named(panel: Store, tmp_path: Path) -> None:
    _, rows = expert_grid(panel, 1, "李二")
    target, n = _sheet(panel, tmp_path, "李二")
    ws = load_workbook(target)[SHEET]
    usccs = [ws.cell(r, 2).value for r in range(FIRST_ROW, FIRST_ROW + n)]
    assert rows[0].uscc not in usccs and n == len(rows) - 1
    assert f"回避（不在本表中评分）：{rows[0].platform_name}" in str(
        ws.cell(FIRST_ROW + n + 1, 1).value
    )


def test_round_trip_stores_every_score(panel: Store, tmp_path: Path) -> None:
    target, n = _sheet(panel, tmp_path)
    _fill(target, n)
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert (result.status, result.expert, result.count, result.errors) == (
        "imported",
        "王一",
        n,
        [],
    )
    summary = score_summary(panel, 1)
    assert all(s.scores["王一"] == Decimal(sum(SCORES)) for s in summary)


def test_existing_scores_are_prefilled_and_a_blank_sheet_changes_nothing(
    panel: Store, tmp_path: Path
) -> None:
    uscc = dossier_summaries(panel, 1)[1].uscc
    enter_scores(panel, 1, "王一", uscc, {"基本条件": Decimal("17.5")}, "秘书")
    target, n = _sheet(panel, tmp_path)
    ws = load_workbook(target)[SHEET]
    row = next(r for r in range(FIRST_ROW, FIRST_ROW + n) if ws.cell(r, 2).value == uscc)
    assert ws.cell(row, 4).value == 17.5
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert result.status == "imported" and result.count == 1
    _fill(target, n, (None,) * 5)
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert result.status == "empty" and result.count == 0
    assert "没有填写任何分数，未作任何改动" in result.summary
    kept = [s for s in score_summary(panel, 1) if "王一" in s.scores]
    assert [s.uscc for s in kept] == [uscc]


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("C6", "改过的平台名称", "单元格C6被改动"),
        ("B7", "91370000000000000X", "单元格B7被改动"),
        ("A3", "评审专家：李二", "单元格A3被改动"),
        ("D5", "基本条件（30分）", "单元格D5被改动"),
        ("I6", 100, "单元格I6被改动"),
        ("K8", "补充说明", "单元格K8不应有内容"),
    ],
)
def test_edit_outside_score_cells_is_refused_naming_the_cell(
    panel: Store, tmp_path: Path, cell: str, value: object, message: str
) -> None:
    target, n = _sheet(panel, tmp_path)
    _fill(target, n)
    wb = load_workbook(target)
    wb[SHEET][cell] = value
    wb.save(target)
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert result.status == "rejected"
    assert any(message in e for e in result.errors), result.errors
    assert all("王一" not in s.scores for s in score_summary(panel, 1))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (20.01, "单元格D6（基本条件）的分数20.01超出范围：应在0到20分之间"),
        (-1, "单元格D6（基本条件）的分数-1超出范围"),
        ("十八", "单元格D6（基本条件）不是数字"),
    ],
)
def test_bad_score_is_refused_naming_the_cell(
    panel: Store, tmp_path: Path, value: object, message: str
) -> None:
    target, n = _sheet(panel, tmp_path)
    _fill(target, n)
    wb = load_workbook(target)
    wb[SHEET]["D6"] = value
    wb.save(target)
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert result.status == "rejected"
    assert any(message in e for e in result.errors), result.errors
    assert all("王一" not in s.scores for s in score_summary(panel, 1))


def test_boundary_scores_are_accepted(panel: Store, tmp_path: Path) -> None:
    target, n = _sheet(panel, tmp_path)
    _fill(target, n, (20, 0, 25, 15, 0))
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert result.status == "imported", result.errors


def test_sheet_of_another_round_is_refused(panel: Store, tmp_path: Path) -> None:
    target, n = _sheet(panel, tmp_path)
    _fill(target, n)
    other = create_round(panel, "liaocheng-2021", "另一批次", date(2026, 6, 30), "秘书")
    [result] = import_score_sheets(panel, other, [target], "秘书")
    assert result.status == "rejected"
    assert "不是本批次" in result.errors[0]


def test_hidden_payload_edit_breaks_the_signature(panel: Store, tmp_path: Path) -> None:
    target, _ = _sheet(panel, tmp_path)
    wb = load_workbook(target)
    check = wb[CHECK_SHEET]
    check["A2"] = str(check["A2"].value).replace('"20"', '"30"', 1)
    wb.save(target)
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert result.status == "rejected" and "签名不符" in result.errors[0]


def test_a_file_that_is_not_a_score_sheet_is_refused(panel: Store, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    plain_book = tmp_path / "plain.xlsx"
    Workbook().save(plain_book)
    results = import_score_sheets(panel, 1, [junk, plain_book], "秘书")
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert "无法打开" in results[0].errors[0]
    assert "不是本系统导出的专家评分表" in results[1].errors[0]


def test_conflict_declared_after_the_sheet_was_written_refuses_it(
    panel: Store, tmp_path: Path
) -> None:
    target, n = _sheet(panel, tmp_path)
    _fill(target, n)
    uscc = dossier_summaries(panel, 1)[2].uscc
    declare_conflict(panel, 1, "王一", uscc, "后来发现的亲属关系", "秘书")
    [result] = import_score_sheets(panel, 1, [target], "秘书")
    assert result.status == "rejected"
    assert uscc in result.errors[0] and "回避" in result.errors[0]
    assert all("王一" not in s.scores for s in score_summary(panel, 1))


def test_summary_workbook_has_summary_and_every_expert(panel: Store, tmp_path: Path) -> None:
    target, n = _sheet(panel, tmp_path)
    _fill(target, n)
    import_score_sheets(panel, 1, [target], "秘书")
    out = write_score_summary(panel, 1, tmp_path / "汇总.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "王一", "李二"]
    summary = wb["汇总"]
    assert [c.value for c in summary[2]][:4] == ["排名", "统一社会信用代码", "平台名称", "王一"]
    first = [c.value for c in summary[3]]
    assert first[0] == 1 and first[3] == sum(SCORES)
    values = [row[4] for row in summary.iter_rows(min_row=3, values_only=True) if row[1]]
    assert "回避" in values
    expert = wb["王一"]
    assert expert.cell(3, 3 + len(SCORES)).value == sum(SCORES)
