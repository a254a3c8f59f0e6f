"""The walk-through's keyboard shortcuts, declared once: bound by the window, listed in 帮助."""

from __future__ import annotations

SHORTCUTS: list[tuple[str, str, str]] = [
    ("next_item", "J", "下一项"),
    ("prev_item", "K", "上一项"),
    ("next_clause", "Down", "下一条款"),
    ("prev_clause", "Up", "上一条款"),
    ("met", "1", "当前条款：符合"),
    ("unmet", "2", "当前条款：不符合"),
    ("fix", "3", "当前条款：待补正"),
    ("clear", "0", "当前条款：取消勾选"),
    ("accept", "A", "当前项中系统已核的条款采纳系统建议"),
    ("evidence", "E", "跳到证明材料"),
    ("link", "L", "把选中的证明材料（当前页）关联到当前条款"),
    ("note", "N", "编辑审核意见"),
    ("measure", "M", "显示/隐藏办法原文"),
    ("complete", "Ctrl+Return", "标记审核完成"),
    ("undo", "Ctrl+Z", "撤销"),
    ("redo", "Ctrl+Y", "重做"),
]


def key_of(name: str) -> str:
    return next(key for n, key, _ in SHORTCUTS if n == name)


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{key}</b></td><td>{text}</td></tr>" for _, key, text in SHORTCUTS)
    return f"<p>逐条审核窗口：</p><table cellpadding='4'>{rows}</table>"
