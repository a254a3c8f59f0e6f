"""Issue 18 in the windows: the meeting view shows conclusions beside suggestions and a 暂计 score,
拟认定 the record refuses goes through the 例外认定 dialog (never for a legal bar), the list flags
the exception and the findings, the publicity window lists exceptions before it acts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from approval_helpers import review_all
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sme_review_desktop.models import Decision
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.scheme import DEFAULT_SCHEME
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.exception_dialog import ExceptionDialog
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.publicity_dialog import PublicityDialog
from sme_review_desktop.ui.scoring.meeting import MeetingWindow

FULL = {name: Decimal(10) for name, _, _ in DEFAULT_SCHEME}


def _meeting(qtbot: QtBot, store: Store, round_id: int, uscc: str) -> MeetingWindow:
    meeting = MeetingWindow(store, round_id, "组长")
    qtbot.addWidget(meeting)
    meeting.go(next(i for i, s in enumerate(meeting.slides) if s.uscc == uscc))
    return meeting


@pytest.mark.parametrize("round_id", [1, 2])
def test_the_slide_shows_conclusions_and_a_provisional_score_without_rank(
    qtbot: QtBot, demo_store: Store, round_id: int
) -> None:
    code = dossier_summaries(demo_store, round_id)[1].uscc
    for name in ("王一", "李二"):
        add_expert(demo_store, round_id, name, "秘书")
    enter_scores(demo_store, round_id, "王一", code, FULL, "秘书")
    meeting = _meeting(qtbot, demo_store, round_id, code)
    text = meeting.body.text()
    assert "系统建议" in text and "评审结论" in text and "未审核" in text
    assert "暂计（1/2位专家）" in text and "名）" not in text
    assert "拟认定尚缺" in text and "逐条审核未完成" in text

    review_all(demo_store, round_id, code)
    enter_scores(demo_store, round_id, "李二", code, FULL, "秘书")
    qtbot.waitUntil(lambda: "暂计" not in meeting.body.text())
    text = meeting.body.text()
    assert "未审核" not in text and "<b>符合</b>" in text and "（第1名）" in text


def _answer(reason: str, seen: list[ExceptionDialog]):  # type: ignore[no-untyped-def]
    def ask(dialog: ExceptionDialog) -> int:
        seen.append(dialog)
        dialog.reason.setPlainText(reason[:9])
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # nine characters are not enough
        dialog.reason.setPlainText(reason)
        assert ok.isEnabled() == (len(reason) >= 10)
        return int(QDialog.DialogCode.Accepted)

    return ask


@pytest.mark.parametrize("round_id", [1, 2])
def test_a_refused_approval_becomes_an_exception_flagged_in_the_list(
    qtbot: QtBot, main_window: MainWindow, round_id: int
) -> None:
    store = main_window.store
    code = dossier_summaries(store, round_id)[2].uscc
    meeting = _meeting(qtbot, store, round_id, code)
    seen: list[ExceptionDialog] = []
    meeting.ask = _answer("专家组认为整改到位可以认定", seen)
    meeting.reason.setText("评审组意见")
    meeting.record("approved")
    assert len(seen) == 1
    with store.read() as session:
        row = session.scalars(select(Decision)).one()
        assert (row.decision, row.override_reason) == ("approved", "专家组认为整改到位可以认定")
    qtbot.waitUntil(lambda: "例外认定" in meeting.body.text())
    if main_window.list.only_round not in (None, round_id):
        return
    main_window.list.set_rows(round_id, dossier_summaries(store, round_id))
    model = main_window.list.model
    row = next(r for r in range(model.rowCount()) if model.summary(r).uscc == code)
    assert model.data(model.index(row, 9)) == "拟认定（例外）"


def test_a_legal_bar_never_offers_the_exception(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sme_review_desktop.models import Certificate

    code = dossier_summaries(demo_store, 1)[1].uscc
    # The register says: revoked under 第二十二条 in 2024 (set directly: a certificate of an
    # earlier round is what the register service would have left).
    from sme_review_desktop.rounds import create_round

    earlier = create_round(demo_store, "liaocheng-2021", "2023年度", date(2023, 6, 30), "秘书")
    with demo_store.write() as session:
        from sme_review_desktop.models import Dossier

        dossier = session.scalars(select(Dossier).where(Dossier.round_id == 1)).all()[1]
        dossier.round_id = earlier  # the applicant's dossier of the earlier round
        session.flush()
        dossier_id, applicant_id = dossier.id, dossier.applicant_id
        session.add(
            Certificate(
                dossier_id=dossier_id,
                number="聊示范平台〔2023〕001号",
                certified_on=date(2023, 10, 12),
                valid_until=date(2026, 10, 11),
                revoked_on=date(2024, 3, 1),
                revoke_ground=22,
            )
        )
    # ...and the applicant applies again in a 2026 round.
    later = create_round(demo_store, "liaocheng-2021", "2026年度第二批", date(2026, 6, 30), "秘书")
    with demo_store.write() as session:
        from sme_review_desktop.models import DossierVersion

        again = Dossier(round_id=later, applicant_id=applicant_id)
        session.add(again)
        session.flush()
        old = session.scalars(
            select(DossierVersion).where(DossierVersion.dossier_id == dossier_id)
        ).one()
        session.add(
            DossierVersion(
                dossier_id=again.id,
                number=1,
                source_name=old.source_name,
                platform_name=old.platform_name,
                operator_name=old.operator_name,
            )
        )
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    meeting = _meeting(qtbot, demo_store, later, code)
    assert "撤销后三年内不得申报" in meeting.body.text()
    meeting.ask = lambda _d: pytest.fail("a legal bar offered an exception")  # type: ignore[assignment,return-value]
    meeting.reason.setText("评审组意见")
    meeting.record("approved")
    assert warned and "不可例外认定" in warned[0]


def test_the_publicity_window_lists_exceptions_before_it_starts(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sme_review_desktop.scoring.decisions import decide

    store = main_window.store
    code = dossier_summaries(store, 1)[2].uscc
    decide(store, 1, code, "approved", "评审组意见", "组长", override="专家组认为整改到位可以认定")
    dialog = PublicityDialog(store, 1, "秘书", main_window)
    qtbot.addWidget(dialog)
    assert "专家组认为整改到位可以认定" in dialog.flagged_label.text()
    asked: list[str] = []
    monkeypatch.setattr(dialog, "confirm", lambda _t, text: asked.append(text) or False)
    dialog.start.setDate(date(2026, 9, 28))
    dialog.start_publicity()
    assert asked and code in asked[0] and "例外认定" in asked[0]
    assert "未公示" in dialog.summary.text()  # declined: nothing started
    monkeypatch.setattr(dialog, "confirm", lambda _t, text: asked.append(text) or True)
    dialog.start_publicity()
    assert "公示中" in dialog.summary.text()
    dialog.confirm_finalize()
    assert "例外认定" in asked[-1] and "锁定" in asked[-1]


@pytest.mark.parametrize(("round_id", "n", "label"), [(2, 7, "注册地不在本市")])
def test_the_dossier_header_shows_its_findings(
    qtbot: QtBot, demo_store: Store, round_id: int, n: int, label: str
) -> None:
    from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

    row = dossier_summaries(demo_store, round_id)[n]
    assert [f.label for f in row.findings] == [label]  # the list's column reads the same
    window = DossierWindow(demo_store, row.dossier_id, "张评审")
    qtbot.addWidget(window)
    assert label in window.header.text() and "610402" in window.header.text()


def test_the_dossier_window_compares_versions_side_by_side(
    qtbot: QtBot, demo_store: Store, tmp_path: object
) -> None:
    import dataclasses
    from pathlib import Path

    from sme_review_desktop.demo import XIAN, XIAN_BASE, write_package
    from sme_review_desktop.importing.service import import_paths
    from sme_review_desktop.rules.rulebook import get_rulebook
    from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

    fixed = dataclasses.replace(
        XIAN[9], changes={"staff_total": Decimal("10"), "staff_qualified": Decimal("9")}
    )
    pkg = write_package(
        Path(str(tmp_path)) / "v2", get_rulebook("xian-2018"), fixed, XIAN_BASE, "610113"
    )
    (result,) = import_paths(demo_store, 2, [pkg], "秘书")
    assert result.status == "new_version"
    row = dossier_summaries(demo_store, 2)[9]
    window = DossierWindow(demo_store, row.dossier_id, "张评审")
    qtbot.addWidget(window)
    dialog = window.show_version_diff()
    qtbot.addWidget(dialog)
    table = dialog.figures  # type: ignore[attr-defined]
    cells = {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert ("9", "10") in cells.values()
    assert "第十二条" in dialog.verdicts.text() and "不符合 → " in dialog.verdicts.text()  # type: ignore[attr-defined]
    assert table.item(0, 2).background().color().name() == "#fff2cc"
    dialog.grab().save(str(Path(str(tmp_path)) / "diff.png"))
