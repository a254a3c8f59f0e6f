"""Issue 8 in the domain: frozen results and 更正, the audit view, backups and the writer lock."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from approval_helpers import approve
from openpyxl import load_workbook
from sqlalchemy import select

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports.audit_xlsx import write_audit
from sme_review_desktop.models import Decision, Score
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.scoring.corrections import correct_decision, correct_scores
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.scheme import CriterionSpec, set_scheme
from sme_review_desktop.store import backups
from sme_review_desktop.store import lock as instance_lock
from sme_review_desktop.store.audit_view import audit_rows
from sme_review_desktop.store.database import STORE_FILE, Store, open_store
from sme_review_desktop.store.integrity import check_store

ROUND = 1


def _published(store: Store) -> list[str]:
    """Three dossiers scored by one expert and decided, two approved, then publicised."""
    codes = [s.uscc for s in dossier_summaries(store, ROUND)[:3]]
    set_scheme(store, ROUND, [CriterionSpec("综合评价", Decimal(100))], "组长")
    add_expert(store, ROUND, "王一", "秘书")
    for code, pts in zip(codes, (90, 85, 60), strict=True):
        enter_scores(store, ROUND, "王一", code, {"综合评价": Decimal(pts)}, "秘书")
    approve(store, ROUND, codes[0], "评审合格", "组长")
    approve(store, ROUND, codes[1], "评审合格", "组长")
    decide(store, ROUND, codes[2], "rejected", "服务能力不足", "组长")
    start_publicity(store, ROUND, date(2026, 9, 28), "秘书")
    return codes


# frozen results and 更正 -------------------------------------------------------------------
def test_before_publicity_scores_and_decisions_change_directly(demo_store: Store) -> None:
    code = dossier_summaries(demo_store, ROUND)[0].uscc
    approve(demo_store, ROUND, code, "评审合格", "组长")
    decide(demo_store, ROUND, code, "rejected", "复核不合格", "组长")
    with pytest.raises(UserError, match="无需更正"):
        correct_decision(demo_store, ROUND, code, "approved", "复核后改为拟认定", "组长")


def test_after_publicity_scores_and_decisions_are_read_only(demo_store: Store) -> None:
    codes = _published(demo_store)
    with pytest.raises(UserError, match=r"已于2026-09-28公示.*更正"):
        decide(demo_store, ROUND, codes[2], "approved", "改判", "组长")
    with pytest.raises(UserError, match="只读"):
        enter_scores(demo_store, ROUND, "王一", codes[2], {"综合评价": Decimal(95)}, "秘书")
    with demo_store.read() as session:
        kept = session.scalars(select(Decision.decision).order_by(Decision.dossier_id)).all()
        points = sorted(session.scalars(select(Score.points)).all())
    assert sorted(kept) == ["approved", "approved", "rejected"]
    assert points == [60, 85, 90]


def test_a_correction_needs_a_reason_and_is_logged_with_it(demo_store: Store) -> None:
    codes = _published(demo_store)
    for reason in ("", "   ", "错误"):
        with pytest.raises(UserError, match="理由"):
            correct_decision(demo_store, ROUND, codes[1], "rejected", reason, "组长")
    correct_decision(demo_store, ROUND, codes[1], "rejected", "公示期间发现材料造假", "组长")
    correct_scores(
        demo_store, ROUND, "王一", codes[2], {"综合评价": Decimal(65)}, "录入时把65录成60", "秘书"
    )
    with demo_store.read() as session:
        rows = audit_rows(session, ROUND)
    corr_score, corr_decision = rows[0], rows[1]
    assert (corr_score.action, corr_score.label, corr_score.reason) == (
        "correction.score",
        "更正评分",
        "录入时把65录成60",
    )
    assert "综合评价 60.00" in corr_score.before
    assert "65" in corr_score.after
    assert corr_decision.action == "correction.decision"
    assert corr_decision.uscc == codes[1] and corr_decision.reason == "公示期间发现材料造假"
    assert "拟认定" in corr_decision.before and "不予认定" in corr_decision.after
    assert check_store(demo_store).ok  # the chain still holds


def test_a_correction_cannot_add_an_unpublicised_approval(demo_store: Store) -> None:
    codes = _published(demo_store)
    with pytest.raises(UserError, match="未经公示"):
        correct_decision(demo_store, ROUND, codes[2], "approved", "复核后认为合格", "组长")


def test_after_certification_a_decision_is_revoked_not_corrected(demo_store: Store) -> None:
    codes = _published(demo_store)
    finalize(demo_store, ROUND, date(2026, 10, 12), "局长")
    with pytest.raises(UserError, match="撤销"):
        correct_decision(demo_store, ROUND, codes[0], "rejected", "发现材料造假情况", "组长")
    # A score can still be corrected after the lock: the record must be right.
    correct_scores(
        demo_store, ROUND, "王一", codes[0], {"综合评价": Decimal(91)}, "专家复核更正分数", "秘书"
    )


# the audit view --------------------------------------------------------------------------
def test_audit_view_per_round_and_dossier_and_its_export(demo_store: Store, tmp_path: Path) -> None:
    codes = _published(demo_store)
    with demo_store.read() as session:
        every = audit_rows(session)
        in_round = audit_rows(session, ROUND)
        dossier_id = session.scalars(select(Decision.dossier_id).order_by(Decision.id)).first()
        one = audit_rows(session, dossier_id=dossier_id)
    assert [r.id for r in in_round] == sorted((r.id for r in in_round), reverse=True)
    assert {r.action for r in in_round} >= {"score.enter", "decision.set", "publicity.start"}
    assert len(every) >= len(in_round) > len(one) > 0
    assert {r.uscc for r in one} == {codes[0]}
    assert all(r.label and not r.label.isascii() for r in in_round)  # every action in Chinese
    target = write_audit(in_round, "审计记录", tmp_path / "审计.xlsx")
    ws = load_workbook(target).active
    assert ws is not None
    assert ws.cell(2, 4).value == "操作"
    assert ws.max_row == len(in_round) + 2
    assert ws.cell(3, 4).value == in_round[0].label


# backups ---------------------------------------------------------------------------------
def test_daily_backup_once_a_day_and_pruned_after_the_kept_days(store: Store) -> None:
    first = backups.daily_backup(store, now=datetime(2026, 11, 20, 8, 30))
    assert first is not None and first.exists()
    assert backups.daily_backup(store, now=datetime(2026, 11, 20, 15, 0)) is None
    second = backups.daily_backup(store, now=datetime(2026, 11, 23, 8, 0))
    assert second is not None
    con = sqlite3.connect(second)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    # kept 2 days: the one of the 20th goes on the 23rd, the 23rd's stays
    assert backups.prune(store, 2, today=date(2026, 11, 23)) == [first]
    assert [b.path for b in backups.list_backups(store)] == [second]
    # the newest backup is never pruned, however old
    assert backups.prune(store, 0, today=date(2030, 1, 1)) == []


def test_backup_before_an_import_batch_and_before_the_lock(demo_store: Store) -> None:
    kinds = {b.kind for b in backups.list_backups(demo_store)}
    assert "导入前" in kinds  # the demo was loaded through the importer
    _published(demo_store)
    finalize(demo_store, ROUND, date(2026, 10, 12), "局长")
    locked = [b for b in backups.list_backups(demo_store) if b.kind == "锁定前"]
    assert len(locked) == 1
    con = sqlite3.connect(locked[0].path)
    # taken before the lock: the round is not locked in it
    assert con.execute("select locked_at from round where id = 1").fetchone() == (None,)
    con.close()


def test_archive_round_trip_restores_store_and_evidence(demo_store: Store, tmp_path: Path) -> None:
    codes = _published(demo_store)
    archive = backups.create_archive(demo_store, tmp_path / "备份.zip")
    report = backups.verify_archive(archive)
    assert report.ok, report.problems
    assert report.manifest["counts"]["dossiers"] == 24
    # Later work that the restore must undo, then the restore into the same folder.
    correct_decision(demo_store, ROUND, codes[1], "rejected", "公示期间发现材料造假", "组长")
    data_dir = demo_store.data_dir
    demo_store.close()
    restored = backups.restore_archive(archive, data_dir)
    assert restored.ok
    again = open_store(data_dir)
    with again.read() as session:
        decisions = sorted(session.scalars(select(Decision.decision)))
    assert decisions == ["approved", "approved", "rejected"]
    assert check_store(again).ok
    again.close()
    assert any(b.kind == "恢复前" for b in backups.list_backups(again))
    assert not list(data_dir.glob(".restore-*"))


def test_a_restore_onto_a_fresh_pc_brings_evidence(demo_store: Store, tmp_path: Path) -> None:
    archive = backups.create_archive(demo_store, tmp_path / "备份.zip")
    fresh = tmp_path / "新电脑"
    assert backups.restore_archive(archive, fresh).ok
    store = open_store(fresh)
    report = check_store(store)
    # The audit key is never in a backup: without it the new PC says it cannot check the
    # signatures; with the old PC's keys/ folder copied over, everything checks.
    assert report.evidence == [] and "没有该密钥" in "".join(report.audit)
    shutil.copytree(demo_store.data_dir / "keys", fresh / "keys", dirs_exist_ok=True)
    report = check_store(store)
    store.close()
    assert report.ok, report.audit


def _rewrite(archive: Path, target: Path, change: str) -> Path:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        evidence = sorted(n for n in src.namelist() if n.startswith("evidence/"))
        for name in src.namelist():
            data = src.read(name)
            if change == "drop evidence" and name == evidence[0]:
                continue
            if change == "flip evidence" and name == evidence[0]:
                data = bytes([data[0] ^ 1]) + data[1:]
            if change == "drop manifest entry" and name == "manifest.json":
                del manifest["files"][evidence[0]]
                data = json.dumps(manifest).encode()
            if change == "no manifest" and name == "manifest.json":
                continue
            dst.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("drop evidence", "缺少文件"),
        ("flip evidence", "不符"),
        ("drop manifest entry", "不在备份中"),
        ("no manifest", "清单"),
        ("truncate", "备份"),
    ],
)
def test_an_incomplete_archive_replaces_nothing(
    demo_store: Store, tmp_path: Path, change: str, said: str
) -> None:
    good = backups.create_archive(demo_store, tmp_path / "好.zip")
    bad = tmp_path / "坏.zip"
    if change == "truncate":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    else:
        _rewrite(good, bad, change)
    report = backups.verify_archive(bad)
    assert not report.ok and said in "".join(report.problems)
    data_dir = demo_store.data_dir
    before = (data_dir / STORE_FILE).read_bytes()
    demo_store.close()
    assert not backups.restore_archive(bad, data_dir).ok
    assert (data_dir / STORE_FILE).read_bytes() == before
    assert not list(data_dir.glob(".restore-*"))


def test_a_cancelled_archive_leaves_no_file(demo_store: Store, tmp_path: Path) -> None:
    target = tmp_path / "备份.zip"
    with pytest.raises(backups.BackupCancelled):
        backups.create_archive(demo_store, target, cancelled=lambda: True)
    assert not target.exists() and not list(tmp_path.glob(".备份.zip.*"))


# one store, one writer -------------------------------------------------------------------
def test_a_second_program_is_told_who_holds_the_store(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from sme_review_desktop.store.lock import acquire;"
            f"lock = acquire(Path({str(tmp_path)!r})); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(instance_lock.StoreInUse, match=f"进程 {holder.pid}"):
            instance_lock.acquire(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    # Killed, it cannot release: on the same PC its dead process id frees the lock at once.
    with instance_lock.acquire(tmp_path, heartbeat=False):
        assert (tmp_path / instance_lock.LOCK_FILE).exists()
    assert not (tmp_path / instance_lock.LOCK_FILE).exists()


def test_a_lock_from_another_pc_is_respected_until_it_goes_stale(tmp_path: Path) -> None:
    path = tmp_path / instance_lock.LOCK_FILE
    path.write_text(
        json.dumps(
            {"host": "评审室-PC2", "user": "李秘书", "pid": 4242, "since": "2026-11-23T09:00:00"}
        ),
        encoding="utf-8",
    )
    with pytest.raises(instance_lock.StoreInUse, match=r"评审室-PC2.*李秘书"):
        instance_lock.acquire(tmp_path)
    old = time.time() - instance_lock.STALE_AFTER - 5  # its PC went off: no heartbeat since
    os.utime(path, (old, old))
    lock = instance_lock.acquire(tmp_path, heartbeat=False)
    assert json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid()
    lock.release()


def test_audit_names_the_clause_as_the_measure_does(demo_store: Store) -> None:
    from sme_review_desktop.review import walkthrough as review

    dossier_id = dossier_summaries(demo_store, ROUND)[0].dossier_id
    ws = review.load_workspace(demo_store, dossier_id)
    first = ws.items()[0]
    review.set_decision(
        demo_store, dossier_id, first.article, first.item, first.parts[0].id, "met", "张评审"
    )
    with demo_store.read() as session:
        (row,) = audit_rows(session, dossier_id=dossier_id)[:1]
    assert row.action == "check.decide"
    assert row.after.startswith("条款：第七条（一）") and "决定：符合" in row.after
