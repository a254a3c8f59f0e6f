"""Meeting mode: a full-screen presenter view for the projector, one dossier at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.errors import EditConflict
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.decisions import DECISION_LABELS, decide
from sme_review_desktop.scoring.meeting import Slide, meeting_slides
from sme_review_desktop.store.changes import Changes
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain
from sme_review_desktop.text.safe_text import rich
from sme_review_desktop.ui.changes import follow
from sme_review_desktop.ui.exception_dialog import ExceptionDialog, approve_or_ask
from sme_review_desktop.ui.messages import show_exception


class MeetingWindow(QWidget):
    """Large type for the projector; ←/→ move between dossiers; F11 toggles full screen."""

    def __init__(
        self, store: Store, round_id: int, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("评审会议")
        self.store, self.round_id, self.actor = store, round_id, actor
        with store.read() as session:
            self.decisions = get_rulebook(
                get_round(session, round_id).rulebook_id
            ).procedure.decisions
        self.slides: list[Slide] = meeting_slides(store, round_id)
        self.ask: Callable[[ExceptionDialog], int] | None = None  # tests answer the dialog
        self.index = 0
        font = self.font()
        font.setPointSize(16)
        self.setFont(font)
        self.title = QLabel()
        self.position = QLabel()
        self.timer_label = QLabel()
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("决定理由（必填）")
        self.buttons: dict[str, QPushButton] = {}
        decisions = QHBoxLayout()
        decisions.addWidget(QLabel("会议决定："))
        for n, value in enumerate(self.decisions, start=1):
            b = QPushButton(f"{DECISION_LABELS[value]}（Ctrl+{n}）")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, v=value: self.record(v))
            QShortcut(QKeySequence(f"Ctrl+{n}"), self).activated.connect(
                lambda v=value: self.record(v)
            )
            self.buttons[value] = b
            decisions.addWidget(b)
        decisions.addWidget(self.reason, 1)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.timer_label)
        head.addWidget(self.position)
        # On a 1024×768 projector the slide is taller than the screen: it scrolls, and the
        # decision buttons stay on screen below it.
        scroll = QScrollArea()
        scroll.setWidget(self.body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        layout.addLayout(decisions)
        self.clock = QElapsedTimer()
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        for key, step in (("Right", 1), ("PgDown", 1), ("Left", -1), ("PgUp", -1)):
            QShortcut(QKeySequence(key), self).activated.connect(
                lambda s=step: self.go(self.index + s)
            )
        QShortcut(QKeySequence("F11"), self).activated.connect(self._toggle_full)
        self.go(0)
        follow(store, self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        """Scores entered or a decision taken elsewhere: the slide shows it, the place and a
        reason being typed stay."""
        if not changes.touches(("scores", "decisions", "review", "dossiers"), self.round_id):
            return
        current = self.slide.uscc if self.slides else None
        typed, stored = self.reason.text(), (self.slide.scores.reason if self.slides else "")
        self.slides = meeting_slides(self.store, self.round_id)
        at = next((n for n, s in enumerate(self.slides) if s.uscc == current), self.index)
        if not self.slides:
            self.go(0)
            return
        self.index = max(0, min(at, len(self.slides) - 1))
        self.show_slide()
        if typed != stored and self.slide.uscc == current:
            self.reason.setText(typed)

    def _toggle_full(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _tick(self) -> None:
        seconds = self.clock.elapsed() // 1000
        # 「用时」 not ⏱: office PCs often have no emoji font and show a box.
        self.timer_label.setText(f"用时 {seconds // 60:02d}:{seconds % 60:02d}")

    @property
    def slide(self) -> Slide:
        return self.slides[self.index]

    def go(self, index: int) -> None:
        if not self.slides:
            self.title.setText("本批次还没有申报材料。")
            return
        self.index = max(0, min(index, len(self.slides) - 1))
        self.clock.restart()
        self._tick()
        self.show_slide()

    def show_slide(self) -> None:
        s = self.slide
        sc = s.scores
        self.title.setText(f"<b style='font-size:26pt'>{rich(s.platform_name)}</b>")
        self.position.setText(f"{self.index + 1} / {len(self.slides)}")
        figures = "".join(
            f"<tr><td>{rich(k)}</td><td><b>{rich(v)}</b></td></tr>" for k, v in s.figures
        )
        # The reviewer's conclusion beside the system's suggestion: the decision follows the
        # former; an item nobody concluded yet shows 未审核.
        suggestions = "<tr><td></td><td></td><td>系统建议</td><td>评审结论</td></tr>" + "".join(
            f"<tr><td>{rich(label)}</td><td>{rich(title)}</td><td>{rich(verdict)}</td>"
            f"<td><b>{rich(s.conclusions.get(label) or '未审核')}</b></td></tr>"
            for label, title, verdict in s.suggestions
        )
        formal = (
            f"缺第{'、'.join(map(str, s.missing_materials))}项材料"
            if s.missing_materials
            else "材料齐全"
        )
        scores = "".join(
            f"<tr><td>{rich(name)}</td><td><b>{plain(total)}</b>"
            f"{'　⚠偏离＞15分' if name in sc.outliers else ''}</td></tr>"
            for name, total in sc.scores.items()
        ) + "".join(f"<tr><td>{rich(name)}</td><td>回避</td></tr>" for name in sc.absent)
        if sc.aggregate is None:
            aggregate = "—"
        elif s.provisional:  # no rank before the expected scores are in
            aggregate = f"{sc.aggregate}　暂计（{s.progress.label}）"
        else:
            aggregate = f"{sc.aggregate}（第{sc.rank}名）"
        notes = "".join(
            f"<p><b>⚠{rich(f.label)}</b>：{rich(f.message)}"
            f"{'（已说明：' + rich(f.explained) + '）' if f.explained else ''}</p>"
            for f in s.findings
        )
        if s.exception:
            notes += f"<p><b>例外认定</b>：{rich(s.exception)}</p>"
        elif s.unmet and sc.decision != "approved":
            notes += "<p>拟认定尚缺：" + "；".join(rich(u) for u in s.unmet) + "</p>"
        self.body.setText(
            "<table width='100%' cellpadding='6'><tr valign='top'>"
            f"<td width='30%'><h3>主要数据</h3><table cellpadding='4'>{figures}</table>"
            f"<h3>形式审查</h3>{formal}</td>"
            f"<td width='40%'><h3>系统建议：{rich(s.overall)}</h3><table cellpadding='3'>{suggestions}</table></td>"
            f"<td width='30%'><h3>专家评分</h3><table cellpadding='4'>{scores or '<tr><td>尚无评分</td></tr>'}</table>"
            f"<h3>综合得分：{aggregate}</h3></td></tr></table>{notes}"
        )
        for value, button in self.buttons.items():
            button.setChecked(sc.decision == value)
        self.reason.setText(sc.reason)

    def record(self, decision: str) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.reason.setFocus()
            self.reason.setPlaceholderText("请先填写决定理由")
            self.render_buttons()
            return
        try:
            if decision == "approved":  # the record may refuse: then 例外认定 or nothing
                approve_or_ask(
                    self,
                    self.store,
                    self.round_id,
                    self.slide.uscc,
                    self.slide.platform_name,
                    reason,
                    self.actor,
                    expected_revision=self.slide.scores.decision_revision,
                    ask=self.ask,
                )
                self.render_buttons()
                return
            decide(
                self.store,
                self.round_id,
                self.slide.uscc,
                decision,
                reason,
                self.actor,
                expected_revision=self.slide.scores.decision_revision,
            )
        except Exception as exc:
            show_exception(self, exc)
            if isinstance(exc, EditConflict):  # nothing was written: show what is stored
                self.slides = meeting_slides(self.store, self.round_id)
                self.show_slide()
        # Written: on_changes has already redrawn the slide from the store.

    def render_buttons(self) -> None:
        for value, button in self.buttons.items():
            button.setChecked(self.slide.scores.decision == value)
