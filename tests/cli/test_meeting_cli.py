"""From experts to certificates numbers, through the CLI only, as a bureau script would drive it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update

from sme_review_desktop.models import DossierVersion
from sme_review_desktop.scoring.sheets import FIRST_ROW, SHEET
from sme_review_desktop.store.location import locate

from .test_contract import run, run_json

EXPERTS = ("王一", "李二", "张三", "赵四", "钱五")


def _fill(path: Path, points: tuple[int, ...]) -> None:
    wb = load_workbook(path)
    ws = wb[SHEET]
    row = FIRST_ROW
    while isinstance(ws.cell(row, 1).value, int):
        for c, v in enumerate(points, start=4):
            ws.cell(row, c).value = v
        row += 1
    wb.save(path)


def test_meeting_to_finalisation(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run_json(data, "demo")
    dossiers = run_json(data, "evaluate", "--round", "1")["dossiers"]
    first, second = dossiers[0]["uscc"], dossiers[1]["uscc"]

    for name in EXPERTS:
        extra = ["--conflict", first, "--reason", "曾任顾问"] if name == "钱五" else []
        assert run_json(data, "expert", "add", "--round", "1", "--name", name, *extra)["id"]

    sheets = []
    for n, name in enumerate(EXPERTS):
        sheet = tmp_path / f"{name}.xlsx"
        out = run_json(
            data, "scores", "template", "--round", "1", "--expert", name, "-o", str(sheet)
        )
        assert out["path"] == str(sheet)
        # 钱五 is the outlier: 40 points below the others.
        _fill(sheet, (10, 5, 5, 5, 5) if name == "钱五" else (18, 20, 20, 12, 10 + n))
        sheets.append(str(sheet))
    result = run_json(data, "scores", "import", "--round", "1", *sheets)["results"]
    assert [r["status"] for r in result] == ["imported"] * 5
    assert {r["expert"] for r in result} == set(EXPERTS)

    summary_xlsx = tmp_path / "汇总.xlsx"
    summary = run_json(data, "scores", "summary", "--round", "1", "-o", str(summary_xlsx))
    by_uscc = {d["uscc"]: d for d in summary["dossiers"]}
    assert set(by_uscc[first]["scores"]) == set(EXPERTS) - {"钱五"}
    assert by_uscc[first]["conflicts"] == ["钱五"]
    # Four scores: plain mean of 80, 81, 82, 83.
    assert by_uscc[first]["aggregate"] == 81.5
    # Five scores: drop 30 (钱五) and 84 (张…), mean of the middle three.
    assert by_uscc[second]["aggregate"] == 81.0
    assert by_uscc[second]["outliers"] == ["钱五"]
    assert len({d["rank"] for d in summary["dossiers"]}) == 2  # two groups of ties
    assert load_workbook(summary_xlsx).sheetnames == ["汇总", *EXPERTS]

    # 拟认定 follows from the record: the walk-through, item by item, from the CLI.
    for item in run_json(data, "review", "show", "--round", "1", "--uscc", first)["items"]:
        done = run_json(
            data,
            "review",
            "set",
            "--round",
            "1",
            "--uscc",
            first,
            "--item",
            f"{item['article']}.{item['item']}",
            "--conclusion",
            "met",
        )
        assert done["ok"]
    assert run_json(
        data, "decide", "--round", "1", "--uscc", first, "--decision", "approved", "--reason", "优"
    )["ok"]
    assert run_json(
        data, "decide", "--round", "1", "--uscc", second, "--decision", "pool", "--reason", "培育"
    )["ok"]
    bad = run(data, "decide", "--round", "2", "--uscc", first, "--decision", "approved")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr

    minutes = tmp_path / "纪要.pdf"
    assert run_json(data, "export", "minutes", "--round", "1", "-o", str(minutes))["path"]
    assert minutes.read_bytes().startswith(b"%PDF")

    run_json(
        data, "round", "settings", "--round", "1", "--set", "objection_contact=电话 0635-1234567"
    )
    period = run_json(data, "publicity", "start", "--round", "1", "--start", "2026-09-21")
    assert period["dossiers"] == 1 and period["start"] == "2026-09-21"
    # 5 working days (聊城 第十三条) from Monday 21 September 2026: 中秋节 takes 25–27 September.
    assert period["end"] == "2026-09-28"
    oid = run_json(
        data,
        "objection",
        "add",
        "--round",
        "1",
        "--uscc",
        first,
        "--date",
        "2026-09-23",
        "--content",
        "服务数据存疑",
        "--outcome",
        "经核实数据属实",
        "--upheld",
        "no",
    )["id"]
    assert oid

    early = run(data, "finalize", "--round", "1", "--date", "2026-09-28")
    assert early.returncode != 0 and "公示" in early.stderr
    final = run_json(data, "finalize", "--round", "1", "--date", "2026-09-29")
    [cert] = final["certified"]
    assert cert["uscc"] == first and "〔2026〕001号" in cert["certificate"]
    locked = run(data, "decide", "--round", "1", "--uscc", first, "--decision", "rejected")
    assert locked.returncode != 0 and "锁定" in locked.stderr

    check = run_json(data, "check")
    assert check["ok"] is True

    for name, extra in (("公示.pdf", []), ("公示.xlsx", []), ("认定.pdf", ["--final"])):
        out = run_json(data, "export", "notice", "--round", "1", "-o", str(tmp_path / name), *extra)
        assert Path(out["path"]).stat().st_size > 0
    certs = run_json(
        data, "export", "certificates", "--round", "1", "-o", str(tmp_path / "证书.pdf")
    )
    assert certs["count"] == 1
    report = tmp_path / "意见表.pdf"
    run_json(data, "export", "report", "--round", "1", "--uscc", first, "-o", str(report))
    assert report.read_bytes().startswith(b"%PDF")

    # The demo's register also holds its 2023 round (demo/story): this round's certificate.
    def this_round(day: str) -> list[dict[str, object]]:
        listed = run_json(data, "register", "list", "--date", day)["platforms"]
        return [r for r in listed if "〔2026〕" in r["certificate"]]

    register = this_round("2027-01-05")
    assert [r["certificate"] for r in register] == [cert["certificate"]]
    # 聊城 第二十条: quarterly, by the 25th of the quarter's last month; 2026Q4 is overdue.
    assert register[0]["reports_overdue"] == [{"period": "2026Q4", "due": "2026-12-25"}]
    run_json(
        data,
        "register",
        "report",
        "--certificate",
        cert["certificate"],
        "--period",
        "2026Q4",
        "--date",
        "2026-12-20",
    )
    register = this_round("2027-01-05")
    assert register[0]["reports_overdue"] == [] and register[0]["status"] == "有效"
    run_json(
        data,
        "register",
        "revoke",
        "--certificate",
        cert["certificate"],
        "--date",
        "2027-02-01",
        "--reason",
        "弄虚作假",
    )
    register = this_round("2027-02-02")
    assert register[0]["status"] == "已撤销" and register[0]["revoked_on"] == "2027-02-01"
    xlsx = run_json(data, "export", "register", "-o", str(tmp_path / "名录.xlsx"))
    assert xlsx["count"] == 4  # with the demo's three of 2023


def test_tampered_sheet_exits_non_zero_naming_the_cell(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run_json(data, "demo")
    run_json(data, "expert", "add", "--round", "1", "--name", "王一")
    sheet = tmp_path / "王一.xlsx"
    run_json(data, "scores", "template", "--round", "1", "--expert", "王一", "-o", str(sheet))
    wb = load_workbook(sheet)
    wb[SHEET]["C6"] = "别的平台"
    wb.save(sheet)
    proc = run(data, "scores", "import", "--round", "1", str(sheet))
    assert proc.returncode == 1
    assert "单元格C6被改动" in proc.stdout


def test_calendar_workdays_contract(tmp_path: Path) -> None:
    out = run_json(tmp_path, "calendar", "workdays", "--start", "2026-09-28", "--days", "5")
    # National Day 2026: 1–7 October off, Sunday 27 September and Saturday 10 October worked.
    assert set(out) == {"start", "end", "warnings"}
    assert out["start"] == "2026-09-28" and out["end"] == "2026-10-09"
    far = run_json(tmp_path, "calendar", "workdays", "--start", "2031-12-25", "--days", "7")
    assert far["end"] is None and "2031" in far["warnings"][0]
    assumed = run_json(
        tmp_path,
        "calendar",
        "workdays",
        "--start",
        "2031-12-25",
        "--days",
        "7",
        "--assume-weekends",
    )
    assert assumed["end"] is not None and assumed["warnings"]


def test_certificate_with_a_missing_glyph_exits_non_zero_and_writes_nothing(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    run_json(data, "demo")
    uscc = run_json(data, "evaluate", "--round", "1")["dossiers"][0]["uscc"]
    run_json(
        data,
        "decide",
        "--round",
        "1",
        "--uscc",
        uscc,
        "--decision",
        "approved",
        "--override",
        "测试：本用例只检验证书缺字",
    )
    run_json(data, "publicity", "start", "--round", "1", "--start", "2026-09-28")
    run_json(data, "finalize", "--round", "1", "--date", "2026-10-12")
    store = locate(data).open()  # the CLI's store: SQLite, or the server it was given
    with store.write() as session:
        session.execute(update(DossierVersion).values(operator_name="𠀀城服务中心"))
    store.close()
    target = tmp_path / "证书.pdf"
    proc = run(data, "export", "certificates", "--round", "1", "-o", str(target))
    assert proc.returncode != 0
    assert "𠀀" in proc.stderr and "聊示范平台〔2026〕001号" in proc.stderr
    assert not target.exists() and list(tmp_path.glob("*.pdf*")) == []
