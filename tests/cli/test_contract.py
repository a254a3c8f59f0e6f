"""The CLI contract of the foundation issue, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sme_review_desktop.exports.form_template import write_form
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.rules.uscc import build


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sme_review_desktop.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_json(data: Path, *args: str) -> Any:
    proc = run(data, *args, "--json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_rulebooks_lists_both_measures(tmp_path: Path) -> None:
    books = run_json(tmp_path, "rulebooks")["rulebooks"]
    ids = {b["id"]: b["title"] for b in books}
    assert ids["liaocheng-2021"] == "聊城市中小企业公共服务示范平台认定管理办法"
    assert ids["xian-2018"] == "西安市中小企业公共服务示范平台认定管理办法"


def _form(path: Path, rulebook: str, **values: Any) -> Path:
    base: dict[str, Any] = {
        "platform_name": "测试平台",
        "operator_name": "测试运营单位有限公司",
        "uscc": build(region="371502", org8="MA3C9001"),
        "legal_form": "企业",
        "established_on": date(2019, 3, 15),
        "platform_type": "综合类",
        "func_info": True,
        "func_training": True,
        "total_assets_wan": Decimal("260"),
        "smes_served": Decimal("100"),
        "smes_served_prev": Decimal("90"),
        "key_smes_served": Decimal("6"),
        "satisfaction_pct": Decimal("90"),
        "partner_institutions": Decimal("4"),
        "public_welfare_pct": Decimal("20"),
        "staff_total": Decimal("20"),
        "staff_qualified": Decimal("18"),
        "info_offline_smes": Decimal("80"),
        "info_activities": Decimal("5"),
        "training_person_times": Decimal("800"),
    }
    base.update(values)
    return write_form(path, get_rulebook(rulebook), base)


def test_round_import_evaluate_end_to_end(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rid = run_json(
        data,
        "round",
        "create",
        "--rulebook",
        "liaocheng-2021",
        "--name",
        "2026年度认定",
        "--reference-date",
        "2026-06-30",
    )["id"]
    good = _form(tmp_path / "good.xlsx", "liaocheng-2021")
    poor = _form(
        tmp_path / "poor.xlsx",
        "liaocheng-2021",
        uscc=build(region="371502", org8="MA3C9002"),
        total_assets_wan=Decimal("199.99"),
    )
    proc = run(data, "import", "--round", str(rid), str(good), str(poor), "--json")
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)["results"]
    assert [r["status"] for r in results] == ["imported", "imported"]
    assert all(set(r) >= {"path", "status", "uscc", "errors"} for r in results)

    again = run_json(data, "import", "--round", str(rid), str(good))["results"]
    assert again[0]["status"] == "unchanged"  # the very same bytes: a re-run, not a 补正
    assert again[0]["version"] == 1
    fixed = _form(tmp_path / "fixed.xlsx", "liaocheng-2021", platform_name="测试平台（补正）")
    again = run_json(data, "import", "--round", str(rid), str(fixed))["results"]
    assert again[0]["status"] == "new_version"

    dossiers = run_json(data, "evaluate", "--round", str(rid))["dossiers"]
    by_code = {d["uscc"]: d for d in dossiers}
    assert len(by_code) == 2
    first = by_code[results[0]["uscc"]]
    assert first["version"] == 2
    assert first["overall"] == "review"  # judgment clauses remain for the reviewer
    assert first["missing_materials"] == list(range(1, 15))  # a bare form has no evidence
    second = by_code[results[1]["uscc"]]
    assert second["overall"] == "unmet"
    item = next(i for i in second["items"] if (i["article"], i["item"]) == (7, 1))
    assert item["verdict"] == "unmet"
    assert "资产总额199.99万元，低于200万元" in item["reasons"]
    lead_in = next(i for i in second["items"] if (i["article"], i["item"]) == (9, 0))
    assert lead_in["verdict"] == "review"


def test_rejected_package_exits_1_and_says_why(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rid = run_json(
        data,
        "round",
        "create",
        "--rulebook",
        "xian-2018",
        "--name",
        "r",
        "--reference-date",
        "2026-06-30",
    )["id"]
    bad = _form(tmp_path / "bad.xlsx", "xian-2018", uscc="91610113MA6W00010X")
    proc = run(data, "import", "--round", str(rid), str(bad), "--json")
    assert proc.returncode == 1
    result = json.loads(proc.stdout)["results"][0]
    assert result["status"] == "rejected"
    assert "统一社会信用代码" in result["errors"][0]


@pytest.mark.parametrize(
    "args",
    [
        ("evaluate", "--round", "999"),
        (
            "round",
            "create",
            "--rulebook",
            "nowhere-2030",
            "--name",
            "x",
            "--reference-date",
            "2026-01-01",
        ),
    ],
)
def test_user_errors_are_chinese_without_traceback(tmp_path: Path, args: tuple[str, ...]) -> None:
    proc = run(tmp_path, *args)
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误：")
    assert "Traceback" not in proc.stderr


def test_help_names_commands_in_both_languages(tmp_path: Path) -> None:
    out = run(tmp_path, "--help").stdout
    assert "导入申报材料" in out and "import" in out
