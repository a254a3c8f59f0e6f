"""Issue 18 through the CLI: the refusal (status 1, every condition on stderr), item conclusions,
exceptions, findings in evaluate --json, diff, the revocation's ground, the list before 公示."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from sme_review_desktop.demo import LIAOCHENG, LIAOCHENG_BASE, write_package
from sme_review_desktop.rules.rulebook import get_rulebook

from .test_contract import run, run_json


def _decide(data: Path, uscc: str, *extra: str, round_id: str = "1") -> object:
    return run(
        data, "decide", "--round", round_id, "--uscc", uscc, "--decision", "approved", *extra
    )


def _review_all(data: Path, uscc: str, round_id: str = "1") -> None:
    shown = run_json(data, "review", "show", "--round", round_id, "--uscc", uscc)
    for item in shown["items"]:
        done = run_json(
            data, "review", "set", "--round", round_id, "--uscc", uscc,
            "--item", f"{item['article']}.{item['item']}", "--conclusion", "met",
        )  # fmt: skip
        assert done["ok"] and done["clauses"] >= 1


def test_approval_is_refused_with_every_condition_then_follows_the_record(
    tmp_path: Path, demo_template: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    uscc = run_json(data, "evaluate", "--round", "1")["dossiers"][1]["uscc"]
    run_json(data, "expert", "add", "--round", "1", "--name", "王一")
    refused = _decide(data, uscc)
    assert refused.returncode == 1  # type: ignore[attr-defined]
    for named in ("1. 逐条审核未完成", "2. 专家评分未齐：已有0/1位专家", "例外认定"):
        assert named in refused.stderr, refused.stderr  # type: ignore[attr-defined]

    _review_all(data, uscc)
    shown = run_json(data, "review", "show", "--round", "1", "--uscc", uscc)
    assert {i["conclusion"] for i in shown["items"]} == {"met"}
    note = run_json(
        data, "review", "set", "--round", "1", "--uscc", uscc, "--item", "9.0",
        "--conclusion", "unmet", "--note", "示范带动不足",
    )  # fmt: skip
    assert note["ok"]
    [nine] = [
        i
        for i in run_json(data, "review", "show", "--round", "1", "--uscc", uscc)["items"]
        if i["article"] == 9
    ]
    assert (nine["conclusion"], nine["note"], nine["suggestion"]) == (
        "unmet",
        "示范带动不足",
        "review",
    )
    refused = _decide(data, uscc)
    assert refused.returncode == 1 and "评审人认定第九条不符合" in refused.stderr  # type: ignore[attr-defined]
    bad = run(
        data,
        "review",
        "set",
        "--round",
        "1",
        "--uscc",
        uscc,
        "--item",
        "7.2",
        "--conclusion",
        "met",
    )
    assert bad.returncode == 2 and "7.1" in bad.stderr and "Traceback" not in bad.stderr

    run_json(
        data,
        "review",
        "set",
        "--round",
        "1",
        "--uscc",
        uscc,
        "--item",
        "9.0",
        "--conclusion",
        "met",
    )
    run_json(data, "scores", "enter", "--round", "1", "--expert", "王一", "--uscc", uscc,
             "基本条件=18", "服务能力=20", "服务业绩=20", "示范带动=12", "特色创新=10")  # fmt: skip
    done = run_json(data, "decide", "--round", "1", "--uscc", uscc, "--decision", "approved")
    assert done == {"ok": True, "override": None}


def test_an_exception_needs_ten_characters_and_is_listed_before_the_publicity(
    tmp_path: Path, demo_template: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    uscc = run_json(data, "evaluate", "--round", "1")["dossiers"][2]["uscc"]
    short = _decide(data, uscc, "--override", "九个字的理由理由理")
    assert short.returncode == 1 and "至少10个字（现为9个字）" in short.stderr  # type: ignore[attr-defined]
    done = run_json(data, "decide", "--round", "1", "--uscc", uscc, "--decision", "approved",
                    "--override", "十个字的理由理由理由")  # fmt: skip
    assert done["override"] == "十个字的理由理由理由"
    started = run(data, "publicity", "start", "--round", "1", "--start", "2026-09-28", "--json")
    assert started.returncode == 0, started.stderr
    assert "请注意以下拟认定" in started.stderr and uscc in started.stderr
    assert "例外认定（理由：十个字的理由理由理由）" in started.stderr
    import json

    [flagged] = json.loads(started.stdout)["flagged_approvals"]
    assert flagged["uscc"] == uscc and flagged["exception"] == "十个字的理由理由理由"


def test_evaluate_json_carries_findings_on_each_dossier(
    tmp_path: Path, demo_template: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    for round_id in ("1", "2"):
        for d in run_json(data, "evaluate", "--round", round_id)["dossiers"]:
            assert isinstance(d["findings"], list)
            for f in d["findings"]:
                assert {"code", "message"} <= set(f)
    xian = {d["uscc"]: d for d in run_json(data, "evaluate", "--round", "2")["dossiers"]}
    [f] = xian["91610402MA6W00082G"]["findings"]  # 咸阳's code in the 西安 round
    assert f["code"] == "outside_city" and "610402" in f["message"]


def test_diff_defaults_to_the_last_two_versions(tmp_path: Path, demo_template: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    luxi = LIAOCHENG[1]
    book = get_rulebook("liaocheng-2021")
    changed = {**luxi.changes, "smes_served": Decimal("150"), "smes_served_prev": Decimal("160")}
    import dataclasses

    v2 = write_package(tmp_path / "v2", book, dataclasses.replace(luxi, changes=changed),
                       LIAOCHENG_BASE, "371502")  # fmt: skip
    (v2 / "14_其他材料.pdf").write_bytes(b"%PDF-1.4 new")
    run_json(data, "import", "--round", "1", str(v2))
    # Version 3: version 2's files (the demo's PDFs carry their time of making), one replaced,
    # and a form with one figure changed.
    v3 = tmp_path / "v3" / v2.name
    shutil.copytree(v2, v3)
    (v3 / "14_其他材料.pdf").write_bytes(b"%PDF-1.4 changed")
    form = write_package(tmp_path / "form", book, dataclasses.replace(
        luxi, changes={**changed, "satisfaction_pct": Decimal("96")}), LIAOCHENG_BASE, "371502")  # fmt: skip
    shutil.copy(form / "申报数据表.xlsx", v3 / "申报数据表.xlsx")
    run_json(data, "import", "--round", "1", str(v3))
    uscc = run_json(data, "evaluate", "--round", "1")["dossiers"][1]["uscc"]
    first = run_json(data, "diff", "--round", "1", "--uscc", uscc, "--from", "1", "--to", "2")
    assert set(first) >= {"figures", "files", "items"}
    figures = {f["key"]: (f["label"], f["from"], f["to"]) for f in first["figures"]}
    assert figures["smes_served"][1:] == ("156", "150")
    assert figures["smes_served"][0] and set(figures) == {"smes_served", "smes_served_prev"}
    assert first["files"]["added"] == ["14_其他材料.pdf"] and first["files"]["removed"] == []
    assert {"article": 7, "item": 3, "from": "review", "to": "unmet"} in first["items"]
    last = run_json(data, "diff", "--round", "1", "--uscc", uscc)
    assert (last["from"], last["to"]) == (2, 3)
    assert [f["key"] for f in last["figures"]] == ["satisfaction_pct"]
    assert last["files"] == {"added": [], "removed": [], "changed": ["14_其他材料.pdf"]}
    assert last["items"] == []
    other = run_json(data, "evaluate", "--round", "1")["dossiers"][0]["uscc"]
    alone = run(data, "diff", "--round", "1", "--uscc", other)
    assert alone.returncode == 2 and "只有第1版" in alone.stderr


def test_register_revoke_keeps_its_ground(tmp_path: Path, demo_template: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    uscc = run_json(data, "evaluate", "--round", "1")["dossiers"][0]["uscc"]
    run_json(data, "decide", "--round", "1", "--uscc", uscc, "--decision", "approved",
             "--override", "测试：本用例检验撤销依据")  # fmt: skip
    run_json(data, "publicity", "start", "--round", "1", "--start", "2026-09-28")
    [cert] = run_json(data, "finalize", "--round", "1", "--date", "2026-10-12")["certified"]
    number = cert["certificate"]
    wrong = run(data, "register", "revoke", "--certificate", number, "--date", "2027-01-05",
                "--reason", "违法", "--ground", "19")  # fmt: skip
    assert wrong.returncode == 2 and "第二十二条（22）" in wrong.stderr
    run_json(data, "register", "revoke", "--certificate", number, "--date", "2027-01-05",
             "--reason", "违法违规经查实", "--ground", "22")  # fmt: skip
    [row] = run_json(data, "register", "list", "--date", "2027-01-06")["platforms"]
    assert row["revoke_ground"] == 22
    from openpyxl import load_workbook

    target = tmp_path / "名录.xlsx"
    assert run(data, "export", "register", "-o", str(target)).returncode == 0
    ws = load_workbook(target).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("撤销依据") + 1).value == "第二十二条"
