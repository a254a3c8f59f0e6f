"""Text longer than its column is refused before the database sees it, with a Chinese message
naming the field, the same on SQLite (which would store it) and PostgreSQL (which would fail
the whole transaction with ``value too long for type character varying(200)``).

These tests use the ``store`` fixture, so they run on PostgreSQL too when
SME_TEST_DATABASE_URL names a test server.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.models import DossierVersion, Round
from sme_review_desktop.rounds import create_round
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.store import text_limits
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.text_limits import LIMITS, TextTooLong, check_value
from tests.importing.helpers import evidence_bytes, make_folder, new_round


def test_limits_are_the_models_column_lengths() -> None:
    assert LIMITS["dossier_version"]["platform_name"] == 200
    assert LIMITS["round"]["name"] == 200
    assert LIMITS["evidence_file"]["rel_path"] == 1000
    assert LIMITS["expert"]["name"] == 100


@pytest.mark.parametrize(("n", "ok"), [(199, True), (200, True), (201, False)])
def test_the_boundary(n: int, ok: bool) -> None:
    if ok:
        check_value("dossier_version", "platform_name", "平" * n)
    else:
        with pytest.raises(TextTooLong, match="“平台名称”最多200个字，现为201个字"):
            check_value("dossier_version", "platform_name", "平" * n)


def test_characters_not_bytes_are_counted() -> None:
    """PostgreSQL's varchar(n) counts characters: 200 Chinese characters (600 bytes) fit."""
    check_value("dossier_version", "platform_name", "平" * 200)
    check_value("dossier_version", "platform_name", "😀" * 200)


@pytest.mark.parametrize(("n", "status"), [(200, "imported"), (201, "rejected")])
def test_import_of_a_long_platform_name(store: Store, tmp_path: Path, n: int, status: str) -> None:
    rid = new_round(store)
    batch = tmp_path / "批量"
    make_folder(batch, "a-长名称", n=1, platform_name="长" * n)
    make_folder(batch, "b-正常", n=2, files={"03_营业执照.pdf": evidence_bytes("b")})
    results = list(import_paths(store, rid, [batch], "测试"))
    assert [r.status for r in results] == [status, "imported"]  # the batch goes on
    if status == "rejected":
        assert "平台名称" in results[0].errors[0] and "200" in results[0].errors[0]
    with store.read() as session:
        versions = session.scalar(select(func.count()).select_from(DossierVersion))
    assert versions == (2 if status == "imported" else 1)


def test_import_of_a_too_long_evidence_path(store: Store, tmp_path: Path) -> None:
    """Evidence rows are inserted in bulk (no flush): checked there too."""
    rid = new_round(store)
    deep = "/".join(["很长的文件夹名称"] * 120) + "/03_营业执照.pdf"  # > 1000 characters
    folder = make_folder(tmp_path / "in", "深目录", n=3)
    try:
        (folder / deep).parent.mkdir(parents=True)
    except OSError:
        pytest.skip("the file system refuses so deep a path")
    (folder / deep).write_bytes(evidence_bytes("deep"))
    (result,) = import_paths(store, rid, [folder], "测试")
    assert result.status == "rejected"
    assert "证明材料路径" in result.errors[0] and "1000" in result.errors[0]


def test_a_service_writing_user_text_is_checked(store: Store) -> None:
    with pytest.raises(TextTooLong, match="批次名称"):
        create_round(store, "liaocheng-2021", "批" * 201, date(2026, 6, 30), "测试")
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Round)) == 0
    rid = create_round(store, "liaocheng-2021", "批" * 200, date(2026, 6, 30), "测试")
    with pytest.raises(TextTooLong, match="专家姓名"):
        add_expert(store, rid, "专" * 101, "测试")
    add_expert(store, rid, "专" * 100, "测试")


def test_every_session_of_the_store_checks(store: Store) -> None:
    """The check hangs on the store's sessions, so a service cannot forget it."""
    from sqlalchemy import event

    assert event.contains(store._sessions, "before_flush", text_limits._before_flush)
