"""Hostile text is text: a platform, operator or file name written as HTML is shown as written.

QLabel, QMessageBox and tooltips guess whether a string is HTML (Qt.AutoText); a county that
names its platform ``<span style=…>系统建议：符合</span>`` must not be able to forge the dossier
window's header. Every window that shows a name is fed such names and every label and tooltip
is read the way Qt would render it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.review.walkthrough import link_evidence, load_workspace
from sme_review_desktop.rounds import create_round
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.safe_text import as_rich, rich, visible
from tests.importing.helpers import LIAOCHENG, evidence_bytes, make_folder

FORGED = "<span style='color:#1b7f3b'>系统建议：符合</span>"
BOLD = "<b>粗体</b>"
PLATFORM = f"{FORGED}{BOLD}平台"
OPERATOR = f"{BOLD}<img src='x'>运营单位"
RLO_FILE = "03_营业执照\u202egpj.exe"
HTML_FILE = "01_<b>甲乙丙<i>.pdf"  # no "/": that would be a folder


def _rendered(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a user sees for ``text`` shown in a widget with ``fmt``."""
    if fmt == Qt.TextFormat.PlainText or (
        fmt == Qt.TextFormat.AutoText and not QtGui.Qt.mightBeRichText(text)
    ):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _texts(root: QWidget) -> list[tuple[str, str]]:
    """(raw, rendered) for every label, widget tooltip and item tooltip under ``root``."""
    out: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel):
            out.append((w.text(), _rendered(w.text(), w.textFormat())))
        if w.toolTip():
            out.append((w.toolTip(), _rendered(w.toolTip())))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            out += _model_tooltips(w.model())
    return out


def _model_tooltips(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[Any]:
    parent = parent or QModelIndex()
    out = []
    for r in range(model.rowCount(parent)):
        for c in range(model.columnCount(parent)):
            index = model.index(r, c, parent)
            for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DisplayRole):
                value = index.data(role)
                if isinstance(value, str) and value:
                    fmt = (
                        Qt.TextFormat.AutoText
                        if role == Qt.ItemDataRole.ToolTipRole
                        else Qt.TextFormat.PlainText  # item views paint display text plainly
                    )
                    out.append((value, _rendered(value, fmt)))
            if c == 0 and model.rowCount(index) > 0:
                out += _model_tooltips(model, index)
    return out


MARKED = {"粗体": "<b>粗体</b>", "甲乙丙": "<b>甲乙丙<i>"}


def assert_literal(root: QWidget) -> int:
    """Every text under ``root`` that carries a hostile name shows its tags literally."""
    seen = 0
    for raw, shown in _texts(root):
        for marker, literal in MARKED.items():
            if marker in raw or marker in shown:
                seen += 1
                assert literal in shown, f"markup obeyed: raw={raw!r} shown={shown!r}"
        assert "\u202e" not in shown, f"a bidi override reached the screen: {shown!r}"
    return seen


@pytest.fixture
def hostile(store: Store, tmp_path: Path) -> tuple[Store, int, int]:
    round_id = create_round(store, LIAOCHENG, "2026年度", date(2026, 6, 30), "t")
    folder = make_folder(
        tmp_path / "in",
        platform_name=PLATFORM,
        operator_name=OPERATOR,
        files={HTML_FILE: evidence_bytes("01"), RLO_FILE: evidence_bytes("03")},
    )
    results = list(import_paths(store, round_id, [folder], "t"))
    assert [r.status for r in results] == ["imported"], results[0].errors
    ws = load_workspace(store, results[0].dossier_id or 0)
    for f in ws.evidence:
        link_evidence(store, ws.dossier_id, 7, 1, ws.items()[1].parts[0].id, f.id, None, "t")
    return store, round_id, ws.dossier_id


def test_the_helpers_escape_and_show_hidden_characters() -> None:
    assert rich(PLATFORM).count("&lt;") == 4 and "<" not in rich(PLATFORM)
    assert visible("报告\u202egpj.exe") == "报告⟨U+202E⟩gpj.exe"
    assert visible("a\x00b\u2066c") == "a⟨U+0000⟩b⟨U+2066⟩c"
    assert _rendered(as_rich(PLATFORM)) == PLATFORM
    assert _rendered(as_rich("第一行\n第二行")) == "第一行\n第二行"


def test_the_dossier_window_cannot_be_forged(qtbot: QtBot, hostile: tuple[Store, int, int]) -> None:
    from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

    store, _, dossier_id = hostile
    window = DossierWindow(store, dossier_id, "t")
    qtbot.addWidget(window)
    header = _rendered(window.header.text(), window.header.textFormat())
    assert PLATFORM in header and OPERATOR in header
    assert header.count("系统建议：") == 2  # the forged one is shown as the text it is
    for n in range(len(window.items)):
        window.go_to(n, 0)
        assert_literal(window)
    names = [t for t, _ in _model_tooltips(window.evidence.model)]
    assert any("⟨U+202E⟩" in t for t in names)  # the override is shown, not obeyed
    assert assert_literal(window) > 0


def test_meeting_audit_and_import_windows_show_names_as_text(
    qtbot: QtBot, hostile: tuple[Store, int, int], tmp_path: Path
) -> None:
    from sme_review_desktop.ui.import_dialog import ImportDialog
    from sme_review_desktop.ui.scoring.meeting import MeetingWindow
    from sme_review_desktop.ui.trust.audit_window import AuditWindow

    store, round_id, _ = hostile
    meeting = MeetingWindow(store, round_id, "t")
    qtbot.addWidget(meeting)
    assert assert_literal(meeting) > 0

    audit = AuditWindow(store, PLATFORM, None, round_id=round_id)
    qtbot.addWidget(audit)
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0, timeout=10_000)
    assert assert_literal(audit) > 0

    again = make_folder(tmp_path / "again", platform_name=PLATFORM, n=2, operator_name=OPERATOR)
    dialog = ImportDialog(store, round_id, [again], "t")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert assert_literal(dialog) > 0
