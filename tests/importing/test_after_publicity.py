"""Once a round's 公示 has started, a new version of a dossier in it is rejected (issue 18):
what was publicised is the record, changed only by 更正 or in a new round."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sme_review_desktop.importing.service import ImportResult, import_paths
from sme_review_desktop.models import Publicity
from sme_review_desktop.store.database import Store

from .helpers import make_form, new_round, snapshot


def _import(store: Store, rid: int, path: Path) -> ImportResult:
    (result,) = import_paths(store, rid, [path], "测试")
    return result


def _publicise(store: Store, rid: int) -> None:
    # The row start_publicity writes, without the decisions it needs (gated elsewhere): what
    # the import looks at is only whether the round's 公示 has started.
    with store.write() as session:
        session.add(
            Publicity(round_id=rid, start=date(2026, 9, 28), end=date(2026, 10, 9), working_days=5)
        )


def test_a_new_version_before_publicity_is_accepted(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    assert _import(store, rid, make_form(tmp_path / "v1" / "申报数据表.xlsx")).status == "imported"
    second = _import(
        store, rid, make_form(tmp_path / "v2" / "申报数据表.xlsx", total_assets_wan=900)
    )
    assert second.status == "new_version" and second.version == 2


def test_a_new_version_after_publicity_started_is_rejected(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    assert _import(store, rid, make_form(tmp_path / "v1" / "申报数据表.xlsx")).status == "imported"
    _publicise(store, rid)
    before = snapshot(store)
    second = _import(
        store, rid, make_form(tmp_path / "v2" / "申报数据表.xlsx", total_assets_wan=900)
    )
    assert second.status == "rejected"
    assert second.version is None
    (message,) = second.errors
    assert "已于2026-09-28开始公示，不再接受新版本" in message
    assert "请使用“更正”" in message and "新的批次" in message
    assert snapshot(store) == before  # no version, no figures, no evidence kept


def test_publicity_in_another_round_does_not_matter(store: Store, tmp_path: Path) -> None:
    done, open_round = new_round(store, name="2025年度认定"), new_round(store)
    form = make_form(tmp_path / "v1" / "申报数据表.xlsx")
    assert _import(store, done, form).status == "imported"
    assert _import(store, open_round, form).status == "imported"
    _publicise(store, done)
    v2 = make_form(tmp_path / "v2" / "申报数据表.xlsx", total_assets_wan=900)
    again = _import(store, open_round, v2)
    assert again.status == "new_version"
