"""Importing from the app: progress, cancel mid-batch, the report and its xlsx."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sme_review_desktop.exports.form_template import write_form
from sme_review_desktop.models import Dossier, EvidenceFile
from sme_review_desktop.rounds import create_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.rules.uscc import build
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui import import_dialog
from sme_review_desktop.ui.import_dialog import ImportDialog


def _package(folder: Path, n: int, files: int) -> Path:
    pkg = folder / f"平台{n}"
    pkg.mkdir(parents=True)
    write_form(
        pkg / "申报数据表.xlsx",
        get_rulebook("xian-2018"),
        {
            "platform_name": f"测试平台{n}",
            "operator_name": f"测试单位{n}有限公司",
            "uscc": build(region="610113", org8=f"MA6W{n:04d}"),
            "total_assets_wan": Decimal(100),
            "established_on": date(2018, 1, 1),
        },
    )
    for i in range(files):
        (pkg / f"04_活动照片{i:03d}.jpg").write_bytes(bytes([n, i % 256]) * 40_000)
    return pkg


def _counts(store: Store) -> tuple[int, int]:
    with store.read() as s:
        return (
            s.scalar(select(func.count(Dossier.id))) or 0,
            s.scalar(select(func.count(EvidenceFile.id))) or 0,
        )


def test_batch_import_with_report(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = create_round(store, "xian-2018", "r", date(2026, 6, 30), "t")
    batch = tmp_path / "县区报送"
    for n in (1, 2):
        _package(batch, n, 2)
    (batch / "说明.txt").write_text("随附说明", encoding="utf-8")
    dialog = ImportDialog(store, rid, [batch], "张评审")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert [r.status for r in dialog.results].count("imported") == 2
    assert [r.status for r in dialog.results].count("rejected") == 1
    assert "已导入 2 份" in dialog.summary.text() and "退回 1 份" in dialog.summary.text()
    assert dialog.table.rowCount() == 3
    assert dialog.overall_bar.value() == dialog.overall_bar.maximum() == 3

    target = tmp_path / "导入报告.xlsx"
    monkeypatch.setattr(
        import_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    dialog.save_button.click()
    ws = load_workbook(target)["导入结果"]
    statuses = [ws.cell(r, 3).value for r in range(2, 5)]
    assert statuses.count("已导入") == 2 and statuses.count("退回") == 1
    assert dialog.cancel_button.text() == "关闭"


def test_cancel_keeps_finished_packages_and_drops_the_current_one(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    rid = create_round(store, "xian-2018", "r", date(2026, 6, 30), "t")
    paths = [
        _package(tmp_path / "in", 1, 1),
        _package(tmp_path / "in", 2, 400),
        _package(tmp_path / "in", 3, 1),
    ]
    dialog = ImportDialog(store, rid, paths, "张评审")
    qtbot.addWidget(dialog)

    def cancel_during_second(index: int, _name: str) -> None:
        if index == 1:
            dialog.cancel_button.click()

    # Queued to the UI thread like every worker signal; the worker notices between files.
    dialog.worker.package_started.connect(cancel_during_second)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert [r.status for r in dialog.results] == ["imported", "cancelled"]
    assert dialog.current.text() == "已取消。"
    assert _counts(store) == (1, 1)  # package 1 whole, package 2 not at all, package 3 never begun
    staging = store.evidence_dir / ".staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_a_rerun_batch_shows_unchanged(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    """The same batch twice (a re-run after a crash): the second run says 未变, not 新版本."""
    rid = create_round(store, "xian-2018", "r", date(2026, 6, 30), "t")
    batch = tmp_path / "县区报送"
    for n in (1, 2):
        _package(batch, n, 1)
    first = ImportDialog(store, rid, [batch], "张评审")
    qtbot.addWidget(first)
    qtbot.waitUntil(lambda: not first.running, timeout=30_000)
    (batch / "平台2" / "04_补充.jpg").write_bytes(b"new")  # one of the two really changed
    again = ImportDialog(store, rid, [batch], "张评审")
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: not again.running, timeout=30_000)
    assert [r.status for r in again.results] == ["unchanged", "new_version"]
    assert "未变 1 份" in again.summary.text() and "新版本 1 份" in again.summary.text()
    shown = [again.table.item(r, 1).text() for r in range(again.table.rowCount())]
    assert shown == ["未变（与最新版本完全相同）", "新版本（补正材料）"]
