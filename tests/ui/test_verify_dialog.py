"""工具 → 核验证书 from a scanned page and from pasted text, and the 导出 menu's .docx choice."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from approval_helpers import approve
from docx import Document
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from sme_review_desktop.exports.certificates import write_certificates
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.publicity_dialog import PublicityDialog
from sme_review_desktop.ui.verify_dialog import VerifyDialog


def _certify(qtbot: QtBot, store: Store) -> None:
    for r in dossier_summaries(store, 1)[:2]:
        approve(store, 1, r.uscc, "符合条件", "组长")
    dialog = PublicityDialog(store, 1, "秘书")
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2026, 9, 28))
    dialog.start_publicity()
    dialog.certified_on.setDate(QDate(2026, 10, 12))
    dialog.finalize()


def test_the_tools_menu_opens_the_verify_dialog(main_window: MainWindow) -> None:
    tools = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "工具(&T)")
    [action] = [a for a in tools.actions() if a.text() == "核验证书…"]
    action.trigger()
    dialogs = main_window.findChildren(VerifyDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_a_scanned_certificate_verifies_and_a_changed_text_does_not(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    store = main_window.store
    _certify(qtbot, store)
    target, _ = write_certificates(store, 1, tmp_path / "证书.pdf")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(target),
            str(tmp_path / "扫描"),
        ],
        check=True,
    )
    [scan] = tmp_path.glob("扫描*.png")
    dialog = VerifyDialog(store)
    qtbot.addWidget(dialog)
    dialog.resize(1366 // 2, 768 // 2 + 120)
    dialog.show()
    result = dialog.check_image(scan)
    first = dossier_summaries(store, 1)[0]
    assert result["valid"] is True and result["platform_name"] == first.platform_name
    expected = "证书真实 · 有效" if date.today() <= date(2029, 10, 11) else "证书真实 · 已过期"
    assert dialog.verdict.text() == expected
    assert dialog.fields["number"].text() == "聊示范平台〔2026〕001号"
    dialog.grab().save(str(tmp_path / "verify_ok.png"))
    code = dialog.text.toPlainText()
    dialog.text.setPlainText(code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:])
    assert dialog.check()["valid"] is False
    assert dialog.verdict.text().startswith("无法核验：")
    assert dialog.fields["number"].text() == ""  # nothing of a forged code is shown as fact
    # a page without a code, a file that is not an image
    blank = tmp_path / "blank.png"
    dialog.grab().save(str(blank))
    assert "没有找到二维码" in dialog.check_image(blank)["reason"]
    not_image = tmp_path / "x.png"
    not_image.write_text("no")
    assert "无法读取图片" in dialog.check_image(not_image)["reason"]
    dialog.text.setPlainText("<b>伪造</b>")
    assert dialog.check()["valid"] is False and "格式不符" in dialog.verdict.text()


def test_the_export_menu_writes_docx_when_chosen(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _certify(qtbot, main_window.store)
    exports = main_window.exports
    exports.preview_after_export = False
    target = tmp_path / "认定名单.docx"
    offered: list[str] = []

    def ask(title: str, name: str, kinds: str) -> Path:
        offered.append(kinds)
        return target

    monkeypatch.setattr(exports, "ask", ask)
    exports.notice(final=True)
    qtbot.waitUntil(target.exists, timeout=20_000)  # written whole, atomically, at the end
    from sme_review_desktop.ui.tasks import wait_for_tasks

    wait_for_tasks()
    assert "*.docx" in offered[0] and "*.pdf" in offered[0]
    text = "".join(p.text for p in Document(str(target)).paragraphs)
    assert "认定名单" in text
