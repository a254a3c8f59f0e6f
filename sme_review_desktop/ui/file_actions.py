"""文件 → 导出申报模板 and 公示与名录 → 导入节假日安排: a file chosen, a service called."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from sme_review_desktop.ui.host import Host
from sme_review_desktop.ui.messages import show_exception


def export_template(parent: QWidget) -> None:
    from sme_review_desktop.exports.form_template import write_form
    from sme_review_desktop.rules.rulebook import all_rulebooks

    books = list(all_rulebooks().values())
    titles = [b.title for b in books]
    title, ok = QInputDialog.getItem(parent, "导出申报模板", "依据办法：", titles, 0, False)
    if not ok:
        return
    path, _ = QFileDialog.getSaveFileName(
        parent, "保存申报模板", "申报数据表.xlsx", "Excel 工作簿 (*.xlsx)"
    )
    if path:
        try:
            write_form(Path(path), books[titles.index(title)])
        except Exception as exc:
            show_exception(parent, exc)
        else:
            QMessageBox.information(parent, "导出申报模板", f"已导出申报模板：{path}")


def import_holidays(parent: QWidget, host: Host) -> None:
    path, _ = QFileDialog.getOpenFileName(
        parent, "导入节假日安排（放假与调休上班日期）", "", "节假日表 (*.xlsx *.csv)"
    )
    if not path or not host.ensure_reviewer():
        return
    from sme_review_desktop.publicity.holidays import import_holidays as import_table

    try:
        done = import_table(host.store, Path(path), host.actor)
    except Exception as exc:
        show_exception(parent, exc)
        return
    text = f"已导入{'、'.join(map(str, done.years))}年的放假与调休安排。"
    if done.warnings:
        QMessageBox.warning(parent, "节假日安排", "\n\n".join([text, *done.warnings]))
    else:
        QMessageBox.information(parent, "节假日安排", text)
