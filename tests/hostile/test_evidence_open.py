"""Evidence is never executed: only documents reach the system viewer, after a warning, as copies.

Nothing is really launched here: QDesktopServices.openUrl and QMessageBox are replaced.
"""

from __future__ import annotations

import ast
import hashlib
import io
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

import sme_review_desktop
from sme_review_desktop.review.evidence_open import (
    NotOpenable,
    check_openable,
    copies_folder,
    prepare_copy,
    sniff,
)
from sme_review_desktop.review.walkthrough import EvidenceInfo
from sme_review_desktop.store.evidence import EvidenceCorrupt, EvidenceStore

from .profiles import hostile


def _pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(100, 700, "audit report")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


PDF = _pdf()
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + bytes(64)
    + b"This program cannot be run in DOS mode"
)
ELF = b"\x7fELF\x02\x01\x01" + bytes(57)
LNK = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F" + bytes(56)

ALLOWED = {
    "03_审计报告.pdf": PDF,
    "06-活动照片/现场.png": _png(),
    "现场.JPG": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32),
    "章程.docx": DOCX,
    "财务报表.xlsx": _xlsx(),
    "旧版章程.doc": OLE2,
    "旧版报表.xls": OLE2,
    "说明.wps": OLE2,
    "电子发票.ofd": _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}),
}
REFUSED = {
    "setup.exe": EXE,
    "审计报告.pdf": EXE,  # a program named as a document
    "审计报告.pdf.exe": EXE,
    "审计报告\u202efdp.exe": EXE,  # a right-to-left mark makes it read 审计报告exe.pdf
    "run.bat": b"@echo off\r\ndel /q C:\\*\r\n",
    "run.cmd": b"@echo off\r\n",
    "install.sh": b"#!/bin/sh\nrm -rf ~\n",
    "审计报告.pdf.sh": b"#!/bin/sh\n%PDF-1.4\n",
    "快捷方式.lnk": LNK,
    "报告.pdf.lnk": LNK,
    "script.js": b"WScript.Shell.Run('calc')",
    "页面.html": b"<html><script>alert(1)</script></html>",
    "页面.pdf": b"<html><script>alert(1)</script></html>",
    "app.hta": b"<hta:application><script>1</script>",
    "图.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "程序": ELF,
    "宏.docx": _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": OLE2}),
    "压缩包.docx": _zip({"setup.exe": EXE}),
    "安装包.msi": OLE2,  # an installer is a compound file too: its name decides, and .msi is out
    "审计报告.exe": PDF,  # a document named as a program: name and content must agree
    "空.pdf": b"",
    "help.chm": b"ITSF\x03\x00\x00\x00" + bytes(32),
    "宏表.xlsm": _xlsx(),
}  # fmt: skip


def is_chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_known_documents_may_be_opened(name: str) -> None:
    doc = check_openable(name, ALLOWED[name])
    assert name.lower().endswith(doc.suffix)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_programs_scripts_links_and_disguises_are_refused(name: str) -> None:
    with pytest.raises(NotOpenable) as refused:
        check_openable(name, REFUSED[name])
    assert is_chinese(refused.value.message)


EXECUTABLE_HEADS = [
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"L\x00\x00\x00",
    b"@echo",
]


@hostile(examples=300)
@given(
    head=st.sampled_from([*EXECUTABLE_HEADS, b"%PDF-", b"\xff\xd8\xff", b"PK\x03\x04", b""]),
    body=st.binary(max_size=200),
    name=st.text(max_size=20),
    suffix=st.sampled_from(
        [".pdf", ".exe", ".jpg", ".png", ".docx", ".doc", ".lnk", ".js", ".bat", ""]
    ),
)
def test_whatever_the_bytes_and_name(head: bytes, body: bytes, name: str, suffix: str) -> None:
    data = head + body
    try:
        doc = check_openable(name + suffix, data)
    except NotOpenable as exc:
        assert is_chinese(exc.message)
        return
    assert head not in EXECUTABLE_HEADS  # never a program, whatever it is called
    assert sniff(data) is not None and (name + suffix).lower().endswith(doc.suffix)


def _store_blob(es: EvidenceStore, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    es.blob_path(sha).parent.mkdir(parents=True, exist_ok=True)
    es.blob_path(sha).write_bytes(data)
    return sha


@hostile(examples=100)
@given(name=st.text(min_size=1, max_size=40))
def test_the_copy_is_named_by_its_type_never_by_the_county(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    folder = tmp_path_factory.mktemp("copies")
    es = EvidenceStore(folder / "evidence")
    sha = _store_blob(es, PDF)
    path, doc = prepare_copy(es, sha, f"{name}.pdf", folder / "out")
    assert path.parent.parent == folder / "out" and path.suffix == ".pdf" == doc.suffix
    assert path.name.count(".") == 1 and path.stem.strip()
    assert not any(ord(ch) < 32 or 0x202A <= ord(ch) <= 0x202E or ch in "/\\:" for ch in path.name)
    assert path.read_bytes() == PDF and not path.stat().st_mode & stat.S_IWUSR


def test_a_changed_evidence_file_is_not_copied(tmp_path: Path) -> None:
    es = EvidenceStore(tmp_path / "evidence")
    sha = _store_blob(es, PDF)
    es.blob_path(sha).write_bytes(PDF + b"% appended after import\n")
    with pytest.raises(EvidenceCorrupt):
        prepare_copy(es, sha, "审计报告.pdf", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_old_copies_are_cleared(tmp_path: Path) -> None:
    import os
    import time

    es = EvidenceStore(tmp_path / "evidence")
    sha = _store_blob(es, PDF)
    old, _ = prepare_copy(es, sha, "旧.pdf", copies_folder(tmp_path))
    new, _ = prepare_copy(es, sha, "新.pdf", copies_folder(tmp_path))
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(old.parent, (day_ago, day_ago))
    copies_folder(tmp_path)
    assert not old.exists() and new.exists()


# ── the panel: the button asks first and opens only a verified copy ──────────


class Launcher:
    """Stands in for QMessageBox.warning and QDesktopServices.openUrl: records, launches nothing."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.messages: list[tuple[str, str]] = []
        self.opened: list[Path] = []

    def warning(self, _parent: Any, title: str, text: str, *args: Any) -> Any:
        self.messages.append((title, text))
        return self.answer

    def open_url(self, url: Any) -> bool:
        self.opened.append(Path(url.toLocalFile()))
        return True


@pytest.fixture
def panel_with(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from sme_review_desktop.ui.workspace.evidence_panel import EvidencePanel

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()

    def make(answer: Any, files: dict[str, bytes]) -> tuple[Any, Launcher]:
        launcher = Launcher(answer)
        monkeypatch.setattr(QMessageBox, "warning", launcher.warning)
        monkeypatch.setattr(QDesktopServices, "openUrl", launcher.open_url)
        es = EvidenceStore(tmp_path / "evidence")
        panel = EvidencePanel(es)
        qtbot.addWidget(panel)
        for n, (name, data) in enumerate(files.items(), start=1):
            panel.files[n] = EvidenceInfo(n, name, None, _store_blob(es, data), len(data))
        return panel, launcher

    return make


def _click_open(qtbot: QtBot, panel: Any, evidence_id: int) -> None:
    from PySide6.QtCore import Qt

    panel.show_file(evidence_id)
    assert panel.open_external.isEnabled()
    qtbot.mouseClick(panel.open_external, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    "name",
    [
        "审计报告.pdf",
        "setup.exe",
        "run.bat",
        "install.sh",
        "快捷方式.lnk",
        "页面.html",
        "script.js",
    ],
)
def test_panel_refuses_programs_without_asking(panel_with: Any, qtbot: QtBot, name: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    data = {
        "审计报告.pdf": EXE,
        "setup.exe": EXE,
        "快捷方式.lnk": LNK,
        "install.sh": b"#!/bin/sh\n",
    }
    panel, launcher = panel_with(
        QMessageBox.StandardButton.Open, {name: data.get(name, REFUSED.get(name, b"x"))}
    )
    _click_open(qtbot, panel, 1)
    assert launcher.opened == []
    [(title, text)] = launcher.messages  # the refusal, not a question
    assert title == "提示" and is_chinese(text)


def test_panel_opens_a_pdf_after_the_warning(panel_with: Any, qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    panel, launcher = panel_with(QMessageBox.StandardButton.Open, {"03_审计报告.pdf": PDF})
    _click_open(qtbot, panel, 1)
    [(title, text)] = launcher.messages
    assert title == "用系统程序打开" and "恶意" in text and "03_审计报告.pdf" in text
    [opened] = launcher.opened
    assert opened.is_relative_to(tmp_path / "tmp") and opened.suffix == ".pdf"
    assert opened.read_bytes() == PDF  # a copy, not the stored blob
    assert not opened.is_relative_to(tmp_path / "evidence")


def test_panel_opens_nothing_when_the_warning_is_declined(panel_with: Any, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QMessageBox

    panel, launcher = panel_with(QMessageBox.StandardButton.Cancel, {"03_审计报告.pdf": PDF})
    _click_open(qtbot, panel, 1)
    assert len(launcher.messages) == 1 and launcher.opened == []


def test_panel_refuses_a_changed_file(panel_with: Any, qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    panel, launcher = panel_with(QMessageBox.StandardButton.Open, {"03_审计报告.pdf": PDF})
    info = panel.files[1]
    EvidenceStore(tmp_path / "evidence").blob_path(info.sha256).write_bytes(EXE)
    _click_open(qtbot, panel, 1)
    assert launcher.opened == []
    assert "校验值" in launcher.messages[-1][1]


# ── no other way out ──────────────────────────────────────────────────────────

LAUNCHERS = (
    "QDesktopServices",
    "startfile",
    "subprocess",
    "webbrowser",
    "QProcess",
    "os.system",
    "popen",
)
EVIDENCE = ("open_verified", "blob_path", "EvidenceStore", "EvidenceInfo")  # reading its bytes


def test_evidence_reaches_the_system_only_through_open_with_system_viewer() -> None:
    """A module that both touches evidence and can launch programs must be the evidence panel,
    and there the launch happens in open_with_system_viewer alone."""
    root = Path(sme_review_desktop.__file__).parent
    both = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if any(word in text for word in LAUNCHERS) and any(word in text for word in EVIDENCE):
            both.append(path.relative_to(root).as_posix())
    assert both == ["ui/workspace/evidence_panel.py"]
    tree = ast.parse((root / both[0]).read_text(encoding="utf-8"))
    launching = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(
            isinstance(n, ast.Attribute) and n.attr in ("openUrl", "startfile")
            for n in ast.walk(node)
        )
    }
    assert launching == {"open_with_system_viewer"}


def test_copies_live_in_a_private_folder_and_cleanup_follows_no_link(tmp_path: Path) -> None:
    import os
    import stat
    import time

    folder = copies_folder(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.name.startswith("sme-review-evidence-")  # one folder per user
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    victim.chmod(0o444)
    old = folder / "old"
    old.mkdir()
    (old / "link").symlink_to(victim)
    (folder / "toplink").symlink_to(tmp_path, target_is_directory=True)
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (day_ago, day_ago))
    os.utime(folder / "toplink", (day_ago, day_ago), follow_symlinks=False)
    copies_folder(tmp_path)
    assert not old.exists() and not (folder / "toplink").exists()
    assert victim.read_text() == "keep me" and stat.S_IMODE(victim.stat().st_mode) == 0o444


def test_a_copies_folder_planted_as_a_link_is_refused(tmp_path: Path) -> None:
    from sme_review_desktop.errors import UserError
    from sme_review_desktop.review.evidence_open import _user_tag

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / f"sme-review-evidence-{_user_tag()}").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UserError):
        copies_folder(tmp_path)
