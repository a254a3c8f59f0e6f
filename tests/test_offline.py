"""The app never touches the network: not at start, not in the window, not from the CLI."""

from __future__ import annotations

import ast
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import sme_review_desktop
from sme_review_desktop.cli import main
from sme_review_desktop.rules.rulebook import load_rulebook, rulebooks_dir
from sme_review_desktop.store.database import open_store
from sme_review_desktop.store.settings import Settings

PACKAGE = Path(sme_review_desktop.__file__).parent


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way Python reaches the network raises (and is recorded, in case it is swallowed)."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def call(*args: object, **kwargs: object) -> Any:
            attempts.append(f"{what}{args!r}")
            raise NetworkUsed(f"network used: {what}{args!r}")

        return call

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    yield attempts
    assert attempts == []


def cli(data: Path, *args: str) -> None:
    assert main(["--data-dir", str(data), "--actor", "离线测试", *args]) == 0


def test_cli_and_window_run_without_a_network(
    no_network: list[str], qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sme_review_desktop.ui.app import make_application
    from sme_review_desktop.ui.main_window import MainWindow
    from sme_review_desktop.ui.tasks import wait_for_tasks

    for path in sorted(rulebooks_dir().glob("*.yaml")):  # uncached: schema validation included
        load_rulebook(path)
    data = tmp_path / "data"
    cli(data, "rulebooks", "--json")
    cli(
        data,
        "round",
        "create",
        "--rulebook",
        "liaocheng-2021",
        "--name",
        "离线",
        "--reference-date",
        "2026-06-30",
    )
    cli(data, "template", "--rulebook", "xian-2018", "-o", str(tmp_path / "form.xlsx"))
    cli(data, "demo")
    cli(data, "evaluate", "--round", "2", "--json")
    code = re.search(r'"uscc": "(\w+)"', capsys.readouterr().out)
    assert code
    cli(
        data,
        "decide",
        "--round",
        "2",
        "--uscc",
        code.group(1),
        "--decision",
        "approved",
        "--override",
        "测试：本用例只检验离线运行",
    )
    cli(data, "publicity", "start", "--round", "2", "--start", "2026-09-28")
    cli(data, "export", "notice", "--round", "2", "-o", str(tmp_path / "notice.pdf"))
    cli(data, "check")
    assert (tmp_path / "notice.pdf").read_bytes().startswith(b"%PDF")

    font = QApplication.font()
    app = make_application()  # the start-up path too (bundled font, icon)
    store = open_store(data)
    try:
        window = MainWindow(store, Settings(reviewer_name="离线测试"))
        qtbot.addWidget(window)
        window.show()
        window.rounds.setCurrentIndex(window.rounds.findData(2))
        qtbot.waitUntil(lambda: window.list.model.rowCount() == 12, timeout=15_000)
        window.open_dossier(
            window.list.model.summary(0).dossier_id
        )  # the workspace, evidence preview
        qtbot.wait(200)
        wait_for_tasks()
        for w in list(window.dossier_windows.values()):
            w.close()
    finally:
        wait_for_tasks()
        store.close()
        app.setFont(font)  # later window tests measure text in the test session's own font
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
            translator.deleteLater()


def _imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


NETWORK_MODULES = (
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "xmlrpc",
    "webbrowser",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
)


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_of_the_app_imports_a_network_library() -> None:
    offenders = []
    for path in _sources():
        imported = _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        bad = {
            m for m in imported for net in NETWORK_MODULES if m == net or m.startswith(net + ".")
        }
        if bad:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def _string_constants_outside_docstrings(tree: ast.AST) -> Iterator[ast.Constant]:
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node


def test_no_code_holds_a_web_address() -> None:
    # Comments and docstrings may cite a source; a string the code uses may not be a URL.
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _string_constants_outside_docstrings(tree):
            assert isinstance(node.value, str)
            if re.search(r"\b(?:https?|ftp|wss?)://", node.value, re.IGNORECASE):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_bundled_resources_are_all_the_app_needs() -> None:
    # Fonts, icons and rulebooks ship with the app; nothing is fetched on first use.
    resources = PACKAGE / "resources"
    for needed in (
        "fonts/LXGWWenKai-Regular.ttf",
        "fonts/OFL-LXGWWenKai.txt",
        "icons/app.png",
        "icons/app.ico",
        "icons/app.svg",
        "rulebooks/liaocheng-2021.yaml",
        "rulebooks/xian-2018.yaml",
    ):
        assert (resources / needed).is_file(), needed
