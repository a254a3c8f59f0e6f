"""公示与名录 → 导入节假日安排 in the app: a year missing a holiday is refused, a year without
调休上班 warned of; the publicity dialog writes a period across the new year with both years."""

from __future__ import annotations

from pathlib import Path

import pytest
from approval_helpers import approve
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.holidays import bureau_days, import_holidays
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui import file_actions
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.publicity_dialog import PublicityDialog

HOLIDAYS = {
    "元旦": "01-01",
    "春节": "02-06",
    "清明节": "04-05",
    "劳动节": "05-01",
    "端午节": "06-09",
    "中秋节": "09-15",
    "国庆节": "10-01",
}


def _table(path: Path, *, leave_out: str = "", workday: bool = True) -> Path:
    rows = ["日期,类型,名称"]
    rows += [f"2027-{md},放假,{name}" for name, md in HOLIDAYS.items() if name != leave_out]
    if workday:
        rows.append("2027-02-14,调休上班,春节")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every message box the import shows: (kind, text)."""
    shown: list[tuple[str, str]] = []
    for kind in ("information", "warning", "critical"):

        def box(_parent: object, _title: str, text: str, *_a: object, kind: str = kind) -> None:
            shown.append((kind, text))

        monkeypatch.setattr(QMessageBox, kind, box)
    return shown


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))


def test_a_year_without_a_holiday_is_refused_in_the_app(
    main_window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[tuple[str, str]],
) -> None:
    _choose(monkeypatch, _table(tmp_path / "2027.csv", leave_out="中秋节"))
    file_actions.import_holidays(main_window, main_window)
    ((kind, text),) = boxes
    assert kind == "warning" and "2027年缺少中秋节的放假日期，未导入" in text
    assert bureau_days(main_window.store) == []


def test_a_year_without_adjusted_working_days_is_imported_with_a_warning(
    main_window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[tuple[str, str]],
) -> None:
    _choose(monkeypatch, _table(tmp_path / "2027.csv", workday=False))
    file_actions.import_holidays(main_window, main_window)
    ((kind, text),) = boxes
    assert kind == "warning"
    assert text.startswith("已导入2027年的放假与调休安排。")
    assert "2027年的节假日安排中没有调休上班日" in text
    assert len(bureau_days(main_window.store)) == 7


def test_a_whole_year_is_imported_without_a_warning(
    main_window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[tuple[str, str]],
) -> None:
    _choose(monkeypatch, _table(tmp_path / "2027.csv"))
    file_actions.import_holidays(main_window, main_window)
    assert boxes == [("information", "已导入2027年的放假与调休安排。")]


@pytest.mark.parametrize(
    ("start", "period"),
    [
        (QDate(2026, 12, 25), "自12月25日至12月31日"),  # 25, 28, 29, 30, 31
        (QDate(2026, 12, 28), "自2026年12月28日至2027年1月4日"),  # 1 January off
    ],
)
def test_the_publicity_dialog_writes_both_years_across_the_new_year(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, start: QDate, period: str
) -> None:
    import_holidays(demo_store, _table(tmp_path / "2027.csv"), "秘书")
    for row in dossier_summaries(demo_store, 1)[:2]:
        approve(demo_store, 1, row.uscc, "符合条件", "组长")
    dialog = PublicityDialog(demo_store, 1, "秘书")
    qtbot.addWidget(dialog)
    dialog.start.setDate(start)
    assert period in dialog.end.text()
    dialog.start_publicity()
    assert period in dialog.summary.text()
