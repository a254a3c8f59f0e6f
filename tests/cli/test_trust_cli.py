"""更正, audit, backup/restore and the writer lock, through the CLI as a bureau script uses it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from .test_contract import run, run_json


def _publish(data: Path, demo_template: Path) -> list[str]:
    shutil.copytree(demo_template, data)
    codes = [d["uscc"] for d in run_json(data, "evaluate", "--round", "1")["dossiers"][:2]]
    for code in codes:
        proc = run(
            data,
            "decide",
            "--round",
            "1",
            "--uscc",
            code,
            "--decision",
            "approved",
            "--reason",
            "评审合格",
            # Not reviewed item by item: this test is about 更正 and the audit log.
            "--override",
            "测试：本用例检验更正与审计日志",
        )
        assert proc.returncode == 0, proc.stderr
    run_json(data, "publicity", "start", "--round", "1", "--start", "2026-09-28")
    return codes


def test_correction_after_publicity_and_the_audit_log(tmp_path: Path, demo_template: Path) -> None:
    data = tmp_path / "data"
    codes = _publish(data, demo_template)
    refused = run(
        data,
        "decide",
        "--round",
        "1",
        "--uscc",
        codes[1],
        "--decision",
        "rejected",
        "--reason",
        "改判",
    )
    assert refused.returncode == 2 and "更正" in refused.stderr
    done = run_json(
        data,
        "correct",
        "decision",
        "--round",
        "1",
        "--uscc",
        codes[1],
        "--decision",
        "rejected",
        "--reason",
        "公示期间收到实名举报并查实",
    )
    assert done == {"ok": True}
    entries = run_json(data, "audit", "--round", "1", "--uscc", codes[1])["entries"]
    assert entries[0]["action"] == "correction.decision"
    assert entries[0]["reason"] == "公示期间收到实名举报并查实"
    assert {e["uscc"] for e in entries} == {codes[1]}
    out = tmp_path / "审计记录.xlsx"
    exported = run_json(data, "export", "audit", "--round", "1", "-o", str(out))
    ws = load_workbook(out).active
    assert ws is not None and ws.max_row == exported["entries"] + 2
    assert run_json(data, "check")["ok"] is True


def test_backup_verify_and_restore(tmp_path: Path, demo_template: Path) -> None:
    data = tmp_path / "data"
    codes = _publish(data, demo_template)
    archive = tmp_path / "备份.zip"
    assert run_json(data, "backup", "create", "-o", str(archive))["path"] == str(archive)
    assert run_json(data, "backup", "verify", str(archive))["ok"] is True
    run_json(
        data,
        "correct",
        "decision",
        "--round",
        "1",
        "--uscc",
        codes[0],
        "--decision",
        "rejected",
        "--reason",
        "公示期间收到实名举报并查实",
    )
    restored = run_json(data, "backup", "restore", str(archive))
    assert restored["ok"] is True
    entries = run_json(data, "audit", "--round", "1", "--uscc", codes[0])["entries"]
    assert [e["action"] for e in entries][:1] == ["decision.set"]  # the correction is undone
    kinds = {b["kind"] for b in run_json(data, "backup", "list")["backups"]}
    assert {"恢复前", "导入前"} <= kinds
    # a damaged archive is refused with the reason, exit 1, nothing replaced
    damaged = tmp_path / "坏.zip"
    damaged.write_bytes(archive.read_bytes()[:-200])
    proc = run(data, "backup", "restore", str(damaged))
    assert proc.returncode in (1, 2) and "不能恢复" in proc.stdout + proc.stderr
    assert run_json(data, "check")["ok"] is True


def test_a_second_program_on_the_same_store_is_refused(tmp_path: Path, demo_template: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from sme_review_desktop.store.lock import acquire;"
            f"l = acquire(Path({str(data)!r})); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        proc = run(data, "evaluate", "--round", "1", "--json")
        assert proc.returncode == 2
        assert "正由" in proc.stderr and str(holder.pid) in proc.stderr
        assert proc.stdout == ""
    finally:
        holder.kill()
        holder.wait()
    proc = run(data, "evaluate", "--round", "1", "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["dossiers"]
