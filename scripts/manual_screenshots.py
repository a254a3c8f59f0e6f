"""The pictures of the user manual (sme_review_desktop/resources/docs/用户手册.md): the real windows, driven offscreen on the demo data.

    python scripts/manual_screenshots.py [OUT]        (default: the manual's own manual/ folder)

The demo data set is built in a temporary folder (never the user's data folder) and taken
through a round the way the manual tells it: a county's batch is imported, a dossier ticked,
experts score, the panel decides, the list is publicised and certified, the register kept.
Each window is grabbed at the fixed size in ``SHOTS``, so a changed window is a re-run away and
the pictures keep their size. CI runs this (tests/ui/test_manual.py) and fails when the manual
names a picture the script does not make.
"""

from __future__ import annotations

import os
import sys

# Before anything imports Qt: no window ever reaches the desktop, and a pixel is a pixel.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("QT_SCALE_FACTOR", None)

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QMessageLogContext,
    QPoint,
    QSize,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QPlainTextEdit, QWidget

from sme_review_desktop.demo import LIAOCHENG, LIAOCHENG_BASE, DemoDossier, write_package
from sme_review_desktop.exports.certificates import write_certificates
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.overview.dossier_list import DossierSummary, dossier_summaries
from sme_review_desktop.publicity.service import finalize
from sme_review_desktop.register.platforms import add_complaint, mark_report, revoke
from sme_review_desktop.review import walkthrough as review
from sme_review_desktop.rounds import create_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.scheme import scheme_specs
from sme_review_desktop.store import backups
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.app import make_application
from sme_review_desktop.ui.import_dialog import ImportDialog
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.overlay_designer import OverlayDesigner
from sme_review_desktop.ui.overview import OverviewWindow
from sme_review_desktop.ui.pdf_print import PdfPreviewDialog
from sme_review_desktop.ui.publicity_dialog import PublicityDialog
from sme_review_desktop.ui.register_window import RegisterWindow
from sme_review_desktop.ui.round_dialog import NewRoundDialog
from sme_review_desktop.ui.scoring.grid import ScoreGridWindow
from sme_review_desktop.ui.scoring.meeting import MeetingWindow
from sme_review_desktop.ui.scoring.panel_dialogs import ExpertsDialog, SchemeDialog
from sme_review_desktop.ui.settings_dialog import SettingsDialog
from sme_review_desktop.ui.trust import actions as trust_actions
from sme_review_desktop.ui.trust.audit_window import AuditWindow
from sme_review_desktop.ui.trust.backup_dialog import BackupDialog
from sme_review_desktop.ui.trust.correction_dialog import CorrectionDialog
from sme_review_desktop.ui.trust.integrity_dialog import IntegrityDialog
from sme_review_desktop.ui.welcome import WelcomeDialog
from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "sme_review_desktop" / "resources" / "docs" / "manual"
# The data folder a reviewer on Windows sees, shown instead of this run's temporary folder.
SHOWN_DATA_DIR = r"C:\Users\张评审\AppData\Local\sme-review-desktop"
REVIEWER = "张评审"
ROUND = 1  # 聊城: its measure has all three decisions, quarterly reports and 套打
BIG = (1280, 800)

# Every picture: file name → size in pixels. Main windows are 1280×800, the meeting view is a
# projector's 1600×1000; dialogs keep about the size they open at, as a reviewer sees them.
SHOTS: dict[str, tuple[int, int]] = {
    "welcome.png": (640, 360),
    "new_round.png": (520, 150),
    "import_report.png": (960, 480),
    "main_window.png": BIG,
    "dossier_walkthrough.png": BIG,
    "dossier_formal.png": BIG,
    "dossier_new_version.png": BIG,
    "scheme.png": (760, 380),
    "experts.png": (860, 440),
    "score_grid.png": (1180, 560),
    "meeting.png": (1600, 1000),
    "publicity.png": (960, 680),
    "export_menu.png": BIG,
    "certificate_preview.png": BIG,
    "overlay_designer.png": (860, 440),
    "register.png": (1360, 560),
    "correction.png": (560, 520),
    "backup.png": (680, 500),
    "integrity.png": (680, 420),
    "audit.png": (1180, 560),
    "settings.png": (600, 460),
    "overview.png": BIG,
}

EXPERTS = (
    ("王一", "聊城大学商学院"),
    ("李二", "市生产力促进中心"),
    ("张三", "山东鲁信会计师事务所"),
    ("赵四", "聊城明理律师事务所"),
    ("钱五", "市工业和信息化研究院"),
)
EXPERT_BIAS = {"王一": 2, "李二": 0, "张三": -1, "赵四": 1, "钱五": -2}
APPROVED = ("聊城鲁西", "聊城市运河", "聊城融资担保", "临清轴承", "临清市纺织")


def _quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # The offscreen platform says so for every window it cannot raise or hint; nothing else
    # is hidden.
    if "This plugin does not support" not in message:
        print(message, file=sys.stderr)


class Shooter:
    """Grabs widgets into ``out`` at the sizes of ``SHOTS``."""

    def __init__(self, app: QApplication, out: Path, data_dir: Path) -> None:
        self.app, self.out, self.data_dir = app, out, data_dir
        self.made: list[str] = []
        self.keep: list[QWidget] = []  # windows stay open until the end, as in the app

    def settle(self, seconds: float = 0.15) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise RuntimeError(f"timed out waiting for {what}")
            self.app.processEvents()
            time.sleep(0.02)

    def place(self, widget: QWidget, name: str, focus: QWidget | None = None) -> None:
        """Show ``widget`` at the picture's size and let it lay out and paint."""
        self.keep.append(widget)
        widget.resize(*SHOTS[name])
        widget.show()
        widget.resize(*SHOTS[name])  # again: showing may apply the size hint
        real = str(self.data_dir)
        for label in widget.findChildren(QLabel):
            if real in label.text():
                label.setText(label.text().replace(real, SHOWN_DATA_DIR))
        for text in widget.findChildren(QPlainTextEdit):
            if real in text.toPlainText():
                text.setPlainText(text.toPlainText().replace(real, SHOWN_DATA_DIR))
        if focus is not None:  # else the first field shows selected text
            focus.setFocus()
        self.settle()

    def save(self, pixmap: QPixmap, name: str) -> None:
        if pixmap.size() != QSize(*SHOTS[name]):
            raise RuntimeError(f"{name}: grabbed {pixmap.size().toTuple()}, not {SHOTS[name]}")
        if not pixmap.save(str(self.out / name)):
            raise RuntimeError(f"could not write {self.out / name}")
        self.made.append(name)

    def shoot(self, widget: QWidget, name: str, focus: QWidget | None = None) -> None:
        self.place(widget, name, focus)
        self.save(widget.grab(), name)

    def shoot_with_menu(self, window: QWidget, menu: QMenu, at: QPoint, name: str) -> None:
        """The window with a menu dropped down: the menu is a window of its own, so it is
        grabbed apart and painted where it opens."""
        self.place(window, name)
        menu.popup(window.mapToGlobal(at))
        self.settle()
        picture = window.grab()
        painter = QPainter(picture)
        painter.drawPixmap(at, menu.grab())
        painter.end()
        menu.hide()
        self.save(picture, name)


@dataclass
class Round:
    """What the steps share: the shooter, the store, the main window, a scratch folder."""

    shots: Shooter
    store: Store
    main: MainWindow
    scratch: Path
    rows: dict[str, DossierSummary] = field(default_factory=dict)

    def reload(self) -> dict[str, DossierSummary]:
        self.rows = {r.platform_name: r for r in dossier_summaries(self.store, ROUND)}
        return self.rows

    def dossier(self, platform: str) -> DossierWindow:
        window = self.main.open_dossier(self.reload()[platform].dossier_id)
        assert isinstance(window, DossierWindow)
        return window

    def show_list(self, count: int) -> None:
        self.main.reload_rounds(select=ROUND)
        self.shots.wait(lambda: self.main.list.model.rowCount() == count, "the dossier list")


def _clause(window: DossierWindow, part_id: str) -> tuple[int, int]:
    """(item, clause) of the first clause with this id in the window's walk-through."""
    for n, item in enumerate(window.items):
        for c, part in enumerate(item.parts):
            if part.id == part_id:
                return n, c
    raise KeyError(part_id)


def _spread(total: int, maxima: list[Decimal]) -> list[Decimal]:
    """A total split over the criteria in proportion to their maxima (never above one)."""
    whole = sum(maxima, Decimal(0))
    return [(Decimal(total) * m / whole).quantize(Decimal("0.1")) for m in maxima]


# ------------------------------------------------------------------------------------------
# the round, step by step, in the manual's order


def first_start(r: Round) -> None:
    welcome = WelcomeDialog(r.scratch / "welcome", offer_demo=True)
    welcome.name.setText(REVIEWER)
    shown = welcome.data_label.text().replace(str(r.scratch / "welcome"), SHOWN_DATA_DIR)
    welcome.data_label.setText(shown)
    r.shots.shoot(welcome, "welcome.png", welcome.start_button)
    dialog = NewRoundDialog(r.main, default_rulebook="liaocheng-2021")
    dialog.name.setText("2026年度聊城市示范平台认定")
    dialog.reference.setDate(QDate(2026, 6, 30))
    r.shots.shoot(dialog, "new_round.png")
    dialog.close()


def import_batch(r: Round) -> None:
    """A county's batch: a corrected dossier (补正), a new platform, and a stray file."""
    linqing = r.reload()["临清轴承产业技术服务平台"].dossier_id
    ws = review.load_workspace(r.store, linqing)
    item = next(i for i in ws.items() if any(p.id == "assets" for p in i.parts))
    review.set_decision(r.store, linqing, item.article, item.item, "assets", "fix", REVIEWER)
    note = "资产总额199.99万元，低于200万元，请补正2025年度审计报告。"
    review.set_note(r.store, linqing, item.article, item.item, "", note, REVIEWER)

    book = get_rulebook("liaocheng-2021")
    batch = r.scratch / "临清市报送"
    first = next(d for d in LIAOCHENG if d.platform.startswith("临清"))
    corrected = replace(first, changes={"total_assets_wan": Decimal("260")})
    write_package(batch, book, corrected, LIAOCHENG_BASE, "371502")
    newcomer = DemoDossier(
        "临清市纺织产业服务平台", "临清市纺织产业服务有限公司", "临清市", "MA3C0013", "新申报"
    )
    write_package(batch, book, newcomer, LIAOCHENG_BASE, "371581")
    (batch / "报送说明.docx").write_bytes(b"PK\x03\x04")
    importer = ImportDialog(r.store, ROUND, [batch], REVIEWER, r.main)
    r.shots.wait(lambda: not importer.running, "the import")
    for column, width in enumerate((200, 130, 200)):
        importer.table.setColumnWidth(column, width)
    r.shots.shoot(importer, "import_report.png", importer.cancel_button)
    importer.close()
    r.show_list(13)


def walk_through(r: Round) -> None:
    window = r.dossier("聊城鲁西中小企业综合服务平台")
    window.evidence.select_first()
    window.evidence.link_current()  # the L key: page 1 of the first material, first clause
    for _ in range(sum(len(i.parts) for i in window.items[:3])):
        window.decide("met")  # the 1 key, then ↓
        window.move_clause(1)
    window.go_to(0, 1)
    r.shots.shoot(window, "dossier_walkthrough.png", window.tree)

    formal = r.dossier("聊城法律咨询服务平台")  # three materials missing, 满意度 not declared
    formal.go_to(*_clause(formal, "satisfaction"))
    formal.evidence.tree.scrollToBottom()
    r.shots.shoot(formal, "dossier_formal.png", formal.tree)

    again = r.dossier("临清轴承产业技术服务平台")  # the corrected version: 需重新核对
    again.go_to(*_clause(again, "assets"))
    r.shots.shoot(again, "dossier_new_version.png", again.tree)


def panel(r: Round) -> None:
    """Scheme, experts with a conflict, scores with one outlier, the meeting's decisions."""
    scheme = SchemeDialog(r.store, ROUND, REVIEWER, r.main)
    r.shots.shoot(scheme, "scheme.png", scheme.table)
    scheme.close()
    for name, organisation in EXPERTS:
        add_expert(r.store, ROUND, name, REVIEWER, organisation)
    luxi = r.reload()["聊城鲁西中小企业综合服务平台"].uscc
    declare_conflict(r.store, ROUND, "钱五", luxi, "曾任该单位技术顾问", REVIEWER)
    experts = ExpertsDialog(r.store, ROUND, REVIEWER, r.main)
    r.shots.shoot(experts, "experts.png", experts.experts)
    experts.close()

    specs, _ = scheme_specs(r.store, ROUND)
    names, maxima = [s.name for s in specs], [s.max_points for s in specs]
    for n, s in enumerate(r.rows.values()):
        base = {"met": 90, "review": 86, "unmet": 72}[s.suggestion] - n
        for expert, _ in EXPERTS:
            if expert == "钱五" and s.uscc == luxi:
                continue  # 回避
            total = 62 if (expert == "赵四" and s.uscc == luxi) else base + EXPERT_BIAS[expert]
            points: dict[str, Decimal | None] = dict(
                zip(names, _spread(total, maxima), strict=True)
            )
            enter_scores(r.store, ROUND, expert, s.uscc, points, REVIEWER)
    grid = ScoreGridWindow(r.store, ROUND, REVIEWER)
    grid.experts.setCurrentText("王一")
    r.shots.shoot(grid, "score_grid.png", grid.table)

    for s in r.rows.values():
        if s.platform_name.startswith(APPROVED):
            _review_all(r.store, s.dossier_id)
            decide(r.store, ROUND, s.uscc, "approved", "符合认定条件，服务业绩突出", REVIEWER)
        elif s.platform_name.startswith("高唐"):
            decide(r.store, ROUND, s.uscc, "pool", "单位性质待核实，纳入培育库", REVIEWER)
        elif s.suggestion == "unmet":
            decide(r.store, ROUND, s.uscc, "rejected", "未达到办法规定的基本条件", REVIEWER)
    meeting = MeetingWindow(r.store, ROUND, REVIEWER)
    meeting.go(next(i for i, slide in enumerate(meeting.slides) if slide.uscc == luxi))
    r.shots.shoot(meeting, "meeting.png", meeting.reason)

    r.show_list(13)
    r.main.list.table.selectRow(1)
    r.shots.shoot(r.main, "main_window.png", r.main.list.table)


def _review_all(store: Store, dossier_id: int) -> None:
    """A finished review: every clause ticked 符合 and the review marked complete."""
    ws = review.load_workspace(store, dossier_id)
    for item in ws.items():
        for part in item.parts:
            review.set_decision(
                store, dossier_id, item.article, item.item, part.id, "met", REVIEWER
            )
    review.mark_complete(store, dossier_id, REVIEWER)


def publicity_and_certificates(r: Round) -> None:
    dialog = PublicityDialog(r.store, ROUND, REVIEWER, r.main)
    dialog.start.setDate(QDate(2026, 9, 28))
    dialog.start_publicity()
    dialog.platform.setCurrentIndex(dialog.platform.findText("临清市纺织产业服务平台"))
    dialog.received.setDate(QDate(2026, 9, 30))
    dialog.content.setText("反映该平台服务场所与申报不符")
    dialog.add_objection()
    dialog.settle(0, "经现场核查，服务场所与申报一致", upheld=False)
    dialog.certified_on.setDate(QDate(2026, 10, 12))
    r.shots.shoot(dialog, "publicity.png", dialog.objections)
    dialog.close()

    # From the publicity on, scores and decisions change only by 更正, with a reason.
    r.main.reload_rounds(select=ROUND)
    r.main.list.table.selectRow(0)
    correction = trust_actions.open_correction(r.main, r.main)
    assert isinstance(correction, CorrectionDialog)
    luxi = r.rows["聊城鲁西中小企业综合服务平台"].uscc
    correction.dossier.setCurrentIndex(correction.dossier.findData(luxi))
    correction.kind.setCurrentIndex(1)
    correction.expert.setCurrentText("赵四")
    for box, value in zip(correction.points.values(), (17, 21, 21, 12, 12), strict=False):
        box.setValue(value)
    correction.reason.setPlainText("录入时将服务能力21分误录为11分等，经赵四本人签字确认更正。")
    r.shots.shoot(correction, "correction.png", correction.reason)
    if not correction.submit():
        raise RuntimeError("the correction was refused")
    finalize(r.store, ROUND, date(2026, 10, 12), REVIEWER)

    r.show_list(13)
    action = next(a for a in r.main.menuBar().actions() if a.text() == "导出(&E)")
    menu = action.menu()
    assert isinstance(menu, QMenu)
    r.shots.place(r.main, "export_menu.png")
    at = r.main.menuBar().mapTo(r.main, r.main.menuBar().actionGeometry(action).bottomLeft())
    r.shots.shoot_with_menu(r.main, menu, at, "export_menu.png")

    certificates = r.scratch / "证书.pdf"
    write_certificates(r.store, ROUND, certificates)
    preview = PdfPreviewDialog(certificates)
    # The preview renders each page at the printer's resolution (1200 dpi for the PDF printer
    # offscreen, seconds a page); 150 dpi looks the same at screen size.
    preview._printer.setResolution(150)
    r.shots.shoot(preview, "certificate_preview.png")

    designer = OverlayDesigner(r.store.data_dir, r.main.exports, r.main)
    r.shots.shoot(designer, "overlay_designer.png", designer.table)
    designer.close()


def register(r: Round) -> None:
    window = RegisterWindow(r.store, REVIEWER)
    window.as_of.setDate(QDate(2027, 3, 10))
    numbers = sorted(row.number for row in window.rows)
    mark_report(r.store, numbers[0], "2026Q4", date(2026, 12, 20), REVIEWER)
    add_complaint(r.store, numbers[1], date(2027, 2, 3), "服务收费未按公示标准执行", REVIEWER)
    revoke(r.store, numbers[3], date(2027, 3, 1), "年度报告弄虚作假", REVIEWER)
    window.refresh()
    r.shots.shoot(window, "register.png", window.table)


def demo_round(store: Store, folder: Path) -> None:
    """The 聊城 half of the demo data set (``demo.load_demo`` builds both measures; the manual
    shows one), imported through the same service as in the app."""
    book = get_rulebook("liaocheng-2021")
    rid = create_round(
        store, book.id, "2026年度聊城市示范平台认定（演示）", date(2026, 6, 30), "演示"
    )
    assert rid == ROUND
    paths = [write_package(folder, book, d, LIAOCHENG_BASE, "371502") for d in LIAOCHENG]
    for result in import_paths(store, rid, paths, "演示"):
        if result.status != "imported":
            raise RuntimeError(f"demo package rejected: {result.errors}")


def safety(r: Round) -> None:
    """工具: backups (the automatic ones the round made so far), the integrity check, the log."""
    backup = trust_actions.open_backup(r.main, r.main)
    assert isinstance(backup, BackupDialog)
    r.shots.shoot(backup, "backup.png", backup.list)
    backup.close()
    check = trust_actions.open_integrity(r.main, r.main)
    assert isinstance(check, IntegrityDialog)
    r.shots.wait(lambda: check.report is not None, "the integrity check")
    r.shots.shoot(check, "integrity.png", check.text)
    check.close()
    log = trust_actions.open_audit(r.main, r.main)
    assert isinstance(log, AuditWindow)
    r.shots.wait(lambda: log.model.rowCount() > 0, "the audit log")
    log.search.setText("鲁西")
    r.shots.shoot(log, "audit.png", log.table)


def _windows_keyring() -> None:
    """A keyring, as a Windows PC has (Credential Manager): the note the manual shows."""
    import keyring
    from keyring.backend import KeyringBackend

    class Shown(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            pass

        def delete_password(self, service: str, username: str) -> None:
            pass

    keyring.set_keyring(Shown())


def options(r: Round) -> None:
    """工具 → 选项, on its 共享服务器 tab as a bureau would fill it in (not saved)."""
    _windows_keyring()
    dialog = r.main.open_settings()
    assert isinstance(dialog, SettingsDialog)
    dialog.tabs.setCurrentIndex(1)
    dialog.server.setChecked(True)
    dialog.host.setText("192.168.10.5")
    dialog.database.setText("sme_review")
    dialog.user.setText("wangyi")
    dialog.password.setText("口令")
    dialog.evidence.setText(r"\\fileserver\评审证明材料")
    r.shots.shoot(dialog, "settings.png", dialog.host)
    dialog.reject()


def overview(r: Round) -> None:
    """统计 → 本批次概览: the round's charts, counted off the UI thread."""
    window = r.main.open_overview()
    assert isinstance(window, OverviewWindow)
    window.as_of.setDate(QDate(2027, 3, 10))
    r.shots.wait(lambda: window.stats is not None and not window.loading, "the overview")
    r.shots.shoot(window, "overview.png", window.tabs)


STEPS: tuple[Callable[[Round], None], ...] = (
    first_start,
    import_batch,
    walk_through,
    panel,
    publicity_and_certificates,
    register,
    safety,
    options,
    overview,
)


def run(out: Path) -> list[str]:
    """Make every picture of ``SHOTS`` in ``out``; the names made, in order."""
    qInstallMessageHandler(_quiet)
    app = make_application(["manual"])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sme-manual-") as tmp:
        data_dir = Path(tmp) / "data"
        shots = Shooter(app, out, data_dir)
        store = open_store(data_dir)
        try:
            demo_round(store, Path(tmp) / "县区报送")
            main = MainWindow(store, Settings(reviewer_name=REVIEWER, bureau="聊城"))
            main.exports.preview_after_export = False
            shots.keep.append(main)
            main.show()
            backups.daily_backup(store)  # the app makes one at its first start of the day
            r = Round(shots, store, main, Path(tmp))
            r.show_list(12)
            for step in STEPS:
                step(r)
        finally:
            for widget in shots.keep:
                widget.close()
            shots.settle(0.05)
            store.close()
    return shots.made


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    started = time.monotonic()
    made = run(out.resolve())
    missing = sorted(set(SHOTS) - set(made))
    if missing:
        print("未生成：" + "、".join(missing), file=sys.stderr)
        return 1
    print(f"{len(made)} 张截图 → {out}（{time.monotonic() - started:.1f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
