"""The reviewer's name and bureau, as the welcome and the 选项 dialogs ask for them."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from sme_review_desktop.ui.messages import show_error

# (label shown, value kept in Settings.bureau, the measure new rounds default to)
BUREAUS: tuple[tuple[str, str, str], ...] = (
    ("聊城市", "聊城", "liaocheng-2021"),
    ("西安市", "西安", "xian-2018"),
    ("其他", "其他", ""),
)


def reviewer_name(field: QLineEdit) -> str:
    """The name typed, or "" after telling the user it is needed (it signs every change)."""
    name = field.text().strip()
    if not name:
        show_error(field.window(), "请填写评审人姓名：它记入每一条审核记录。")
        field.setFocus()
    return name


def default_rulebook(bureau: str) -> str:
    """The measure a new round of this bureau starts from ("" when the bureau has none)."""
    return next((rulebook for _, value, rulebook in BUREAUS if value == bureau), "")
