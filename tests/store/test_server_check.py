"""The shared-server check behind 工具 → 选项 → 测试连接: the address's parts, and what a
reviewer is told about the database and the evidence folder before saving."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sme_review_desktop.migrations import HEAD
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.server_check import ServerFields, check_server, server_fields


def test_a_password_with_url_characters_survives_the_round_trip() -> None:
    fields = ServerFields("192.168.10.5", 5433, "sme_review", "reviewer", "p@ss:w/rd%#口令")
    url = fields.url()
    assert url.startswith("postgresql+psycopg://reviewer:")
    assert "@192.168.10.5:5433/sme_review" in url
    assert server_fields(url) == fields


def test_the_default_port_is_left_out_and_read_back() -> None:
    url = ServerFields("db", 5432, "sme", "u", "").url()
    assert url == "postgresql+psycopg://u@db/sme"
    assert server_fields(url).port == 5432


@pytest.mark.parametrize("url", ["", "not a url"])
def test_no_or_an_unreadable_address_gives_empty_fields(url: str) -> None:
    assert server_fields(url) == ServerFields("", 5432, "", "", "")


def test_only_postgresql_is_a_server(tmp_path: Path) -> None:
    database, _ = check_server(f"sqlite:///{tmp_path}/x.sqlite3", str(tmp_path))
    assert not database.ok and "PostgreSQL" in database.message


def test_an_unreachable_server_is_named_in_chinese(tmp_path: Path) -> None:
    url = ServerFields("127.0.0.1", 1, "sme", "u", "x").url()  # nothing listens on port 1
    database, evidence = check_server(url, str(tmp_path), timeout_s=2)
    assert not database.ok
    assert database.message.startswith("无法连接数据库：")
    assert evidence.ok and evidence.message == "证明材料文件夹可以读写。"
    assert not list(tmp_path.iterdir())  # the write test left nothing behind


def test_the_evidence_folder_must_be_set_and_exist(tmp_path: Path) -> None:
    url = ServerFields("127.0.0.1", 1, "sme", "u", "").url()
    _, unset = check_server(url, "  ", timeout_s=1)
    assert not unset.ok and "未设置共享证明材料文件夹" in unset.message
    _, missing = check_server(url, str(tmp_path / "nowhere"), timeout_s=1)
    assert not missing.ok and "不存在或无法访问" in missing.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a read-only folder")
def test_a_read_only_evidence_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    _, evidence = check_server("postgresql+psycopg://u@127.0.0.1:1/x", str(folder), timeout_s=1)
    assert not evidence.ok and evidence.message.startswith("无法写入证明材料文件夹")


def test_this_systems_database_on_the_server(store: Store, database_url: str | None) -> None:
    if database_url is None:
        pytest.skip("needs the PostgreSQL test server (scripts/test_server.sh)")
    database, _ = check_server(database_url, str(store.evidence_dir))
    assert database.ok
    assert database.message == f"已连接。数据库为本系统数据库（数据结构版本 {HEAD}）。"
