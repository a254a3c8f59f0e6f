"""The walk-through's keyboard shortcuts, declared once: bound by the window, listed by F1.

Keys are stored as Qt spells them (``Down``) and shown as a Chinese reviewer reads them
(「下箭头」): the list is read by people who do not know Qt's key names.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

SHORTCUTS: list[tuple[str, str, str]] = [
    ("next_item", "J", "下一项（任何窗格中都有效）"),
    ("prev_item", "K", "上一项（任何窗格中都有效）"),
    ("next_clause", "Down", "下一条款；在证明材料列表中：下一份文件"),
    ("prev_clause", "Up", "上一条款；在证明材料列表中：上一份文件"),
    ("met", "1", "当前条款：符合"),
    ("unmet", "2", "当前条款：不符合"),
    ("fix", "3", "当前条款：待补正"),
    ("clear", "0", "当前条款：取消勾选"),
    ("accept", "A", "当前项中系统已核的条款采纳系统建议"),
    ("evidence", "E", "跳到证明材料列表（上下箭头选文件）"),
    ("back", "Escape", "从证明材料或审核意见回到条款"),
    ("link", "L", "把选中的证明材料（当前页）关联到当前条款"),
    ("note", "N", "编辑审核意见"),
    ("measure", "M", "显示/隐藏办法原文（定位到当前条）"),
    ("complete", "Ctrl+Return", "标记审核完成"),
    ("undo", "Ctrl+Z", "撤销"),
    ("redo", "Ctrl+Y", "重做"),
    ("help", "F1", "快捷键列表（每个窗口都可用）"),
]

KEY_NAMES = {
    "Down": "下箭头",
    "Up": "上箭头",
    "Left": "左箭头",
    "Right": "右箭头",
    "Return": "回车",
    "Enter": "回车",
    "Escape": "Esc",
    "Space": "空格",
    "PgDown": "下翻页",
    "PgUp": "上翻页",
    "Home": "Home",
    "End": "End",
}

# Keys of the main window's list, listed beside the walk-through's.
LIST_KEYS: list[tuple[str, str]] = [
    ("Return", "打开选中的申报"),
    ("Ctrl+I", "导入申报材料"),
    ("Ctrl+G", "专家评分录入"),
    ("F5", "评审会议（投影）"),
]


def key_name(key: str) -> str:
    """「Ctrl+下箭头」 for ``Ctrl+Down``: every part in the words a reviewer uses."""
    return "+".join(KEY_NAMES.get(part, part) for part in key.split("+"))


def key_of(name: str) -> str:
    return next(key for n, key, _ in SHORTCUTS if n == name)


def shortcuts_html() -> str:
    def table(rows: list[tuple[str, str]]) -> str:
        cells = "".join(f"<tr><td><b>{key_name(k)}</b></td><td>{t}</td></tr>" for k, t in rows)
        return f"<table cellpadding='4'>{cells}</table>"

    walk = [(key, text) for _, key, text in SHORTCUTS]
    return (
        f"<p>逐条审核窗口：</p>{table(walk)}"
        f"<p>申报列表（主窗口）：</p>{table(LIST_KEYS)}"
        "<p>评审会议（投影）：左/右箭头切换申报，F11 全屏。</p>"
    )


def show_shortcuts(parent: QWidget | None) -> QMessageBox:
    """Opened, not exec'd: the list can stay beside the window while one tries the keys."""
    box = QMessageBox(QMessageBox.Icon.Information, "快捷键", shortcuts_html(), parent=parent)
    box.setObjectName("shortcut_list")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box


class _HelpKey(QObject):
    """F1 in a window that binds nothing to it: the key reaches the focus widget unused, and
    this filter (on the application) opens the list over the window it was pressed in."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F1
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and isinstance(watched, QWidget)
            and watched.window().objectName() != "shortcut_list"
        ):
            show_shortcuts(watched.window())
            return True
        return False


def install_help_key() -> None:
    """Once per application: F1 opens the shortcut list from every window."""
    app = QApplication.instance()
    if app is None or app.findChild(_HelpKey, "help_key") is not None:
        return
    help_key = _HelpKey(app)
    help_key.setObjectName("help_key")
    app.installEventFilter(help_key)
