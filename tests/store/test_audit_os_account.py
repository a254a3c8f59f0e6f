"""Local mode: the OS account that made each change is recorded beside the typed reviewer name."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from sme_review_desktop.exports.audit_xlsx import write_audit
from sme_review_desktop.models import AuditEntry
from sme_review_desktop.rounds import create_round
from sme_review_desktop.store import audit
from sme_review_desktop.store.audit import os_account, verify_chain
from sme_review_desktop.store.audit_view import audit_rows
from sme_review_desktop.store.database import Store


def test_on_windows_the_account_is_domain_backslash_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERDOMAIN", "LCGXJ")
    monkeypatch.setattr(getpass, "getuser", lambda: "wangyi")
    assert os_account(windows=True) == "LCGXJ\\wangyi"
    assert os_account(windows=False) == "wangyi"  # USERDOMAIN means nothing elsewhere
    monkeypatch.delenv("USERDOMAIN")
    assert os_account(windows=True) == "wangyi"  # a PC outside a domain


def test_an_account_without_a_name_is_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    def nameless() -> str:
        raise KeyError("uid not found")

    monkeypatch.setattr(getpass, "getuser", nameless)
    assert os_account(windows=False).startswith("uid")


def test_every_entry_carries_the_os_account_under_the_key(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(audit, "os_account", lambda: "LCGXJ\\wangyi")
    create_round(store, "liaocheng-2021", "2026年度", date(2026, 9, 30), "李评审")
    with store.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.actor, entry.os_account) == ("李评审", "LCGXJ\\wangyi")
        assert verify_chain(session) == []
        [row] = audit_rows(session)
        assert (row.actor, row.os_account) == ("李评审", "LCGXJ\\wangyi")
        assert row.as_json()["os_account"] == "LCGXJ\\wangyi"
    sheet = load_workbook(write_audit([row], "审计记录", tmp_path / "审计.xlsx")).active
    assert sheet is not None
    assert (sheet.cell(2, 10).value, sheet.cell(3, 10).value) == ("系统账户", "LCGXJ\\wangyi")
    # the account is signed with the rest: changing it afterwards is found
    with store.write() as session:
        session.execute(update(AuditEntry).values(os_account="OTHER\\someone"))
    with store.read() as session:
        assert verify_chain(session) != []
