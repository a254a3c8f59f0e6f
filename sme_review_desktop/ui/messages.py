"""The one way the app tells a user something went wrong."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from sme_review_desktop.errors import UserError
from sme_review_desktop.text.safe_text import as_rich

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, "提示", as_rich(message))


def show_exception(parent: QWidget | None, exc: BaseException, log_path: str = "") -> None:
    """A user's error as its Chinese message; a programming error as 出错了 with the log's path."""
    if isinstance(exc, UserError):
        show_error(parent, exc.message)
        return
    log.error("unexpected error\n%s", "".join(traceback.format_exception(exc)))
    where = f"\n详细信息已记录在：{log_path}" if log_path else ""
    QMessageBox.critical(parent, "出错了", as_rich(f"出错了：{exc}{where}"))
