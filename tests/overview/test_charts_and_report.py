"""Every chart on full and empty data, their PNGs, and the 统计报告 PDF (text, fonts, pictures)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from pypdf import PdfReader

from sme_review_desktop import cli
from sme_review_desktop.overview.charts.base import EMPTY
from sme_review_desktop.overview.charts.catalogue import OVERALL_CHARTS, ROUND_CHARTS, build_charts
from sme_review_desktop.overview.charts.tables import chart_table
from sme_review_desktop.overview.cross_round import overall_stats
from sme_review_desktop.overview.round_stats import round_stats
from sme_review_desktop.rounds import create_round
from sme_review_desktop.store.database import Store

from .scenario import AS_OF, LIAOCHENG

PNG = b"\x89PNG\r\n\x1a\n"


def texts(figure: Figure) -> str:
    return " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))


def pdf_text(path: Path) -> str:
    """The PDF's text without whitespace (line breaks fall anywhere in Chinese)."""
    return "".join("".join(p.extract_text() for p in PdfReader(path).pages).split())


def all_fonts_embedded(path: Path) -> None:
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
        lines = out.stdout.splitlines()[2:]
        assert lines and all(" yes " in line for line in lines), lines


def test_every_round_chart_draws_the_scenario(scenario_store: Store) -> None:
    stats = round_stats(scenario_store, LIAOCHENG, AS_OF)
    charts = build_charts(stats)
    assert [c.key for c in charts] == [k for k, _ in ROUND_CHARTS]
    for chart in charts:
        assert not chart.empty, chart.key
        assert chart.png(dpi=50).startswith(PNG)
        assert EMPTY not in texts(chart.figure)
    by_key = {c.key: c for c in charts}
    funnel = by_key["funnel"]
    # Each stage's parts are bars one can click: every non-zero count is one bar.
    f = stats.funnel
    parts = [f.received, f.formal_complete, *f.suggestion.values(), *f.decision.values()]
    parts += [f.publicised, f.certified]
    assert len(funnel.targets) == sum(1 for n in parts if n)
    # Told apart without colour: the parts of a split stage differ in hatching or fill.
    looks = {
        (rect.get_hatch(), rect.get_facecolor())
        for rect, sel in funnel.targets.items()
        if sel.key[0] == "decision"
    }
    assert len(looks) == sum(1 for n in f.decision.values() if n)
    assert {rect.get_hatch() for rect, sel in funnel.targets.items() if sel.key[0] == "suggestion"}
    assert len(by_key["shortfalls"].targets) == len(stats.shortfalls)
    assert "第七条（三） 年服务中小企业80家以上" in " ".join(
        t.label for t in by_key["shortfalls"].targets.values()
    )
    assert "2 家不符合（系统 1 · 评审人 2）" in texts(by_key["shortfalls"].figure)
    assert "赵强" in texts(by_key["expert_spread"].figure)
    assert "偏差 -12.4" in texts(by_key["expert_spread"].figure).replace("\u2212", "-")


def test_each_chart_has_a_table_with_its_numbers(scenario_store: Store) -> None:
    stats = round_stats(scenario_store, LIAOCHENG, AS_OF)
    numbers = stats.to_json()
    header, rows = chart_table("funnel", stats)
    assert header[:2] == ["环节", "申报材料（份）"]
    table = {r[0]: int(r[1]) for r in rows}
    assert table["收到申报"] == numbers["funnel"]["received"]
    assert table["评审决定：拟认定"] == numbers["funnel"]["decision"]["approved"]
    assert table["已认定（发证）"] == numbers["funnel"]["certified"]
    _, rows = chart_table("shortfalls", stats)
    assert [int(r[-1]) for r in rows] == [s["dossiers"] for s in numbers["shortfalls"]]
    assert rows[0][:3] == ["第七条（三）", "年服务中小企业80家以上", "≥80家"]
    _, rows = chart_table("by_county", stats)
    assert [r[0] for r in rows] == [c["county"] for c in numbers["by_county"]]
    _, rows = chart_table("expert_spread", stats)
    assert rows[-1][0] == "评审组汇总分"
    assert (
        rows[3][0] == "赵强" and rows[3][4] == f"{numbers['scoring']['experts'][3]['median']:.2f}"
    )
    header, rows = chart_table("dossier_scores", stats)
    assert header[-1] == "汇总分" and len(rows) == 12
    assert any("*" in cell for row in rows for cell in row)  # the outlier is marked
    header, rows = chart_table("register_expiry", stats)
    assert len(header) == 14
    assert sum(int(r[-1]) for r in rows) == sum(
        m["count"] for m in numbers["register"]["expiring_by_month"]
    )
    _, rows = chart_table("register_status", stats)
    assert dict((r[0], int(r[1])) for r in rows)["已撤销"] == 1


def test_every_chart_of_an_empty_round_says_no_data(store: Store) -> None:
    rid = create_round(store, "liaocheng-2021", "空批次", date(2026, 6, 30), "秘书")
    for stats in (round_stats(store, rid), overall_stats(store)):
        for chart in build_charts(stats):
            if chart.key == "rounds":  # the one empty round is still a round
                assert not chart.empty
                continue
            assert chart.empty, chart.key
            assert EMPTY in texts(chart.figure)
            assert chart.png(dpi=50).startswith(PNG)
            assert not chart.targets


def test_charts_across_rounds(scenario_store: Store) -> None:
    stats = overall_stats(scenario_store, AS_OF)
    charts = build_charts(stats)
    assert [c.key for c in charts] == [k for k, _ in OVERALL_CHARTS]
    assert all(not c.empty for c in charts)
    rounds = charts[0]
    assert {s.kind for s in rounds.targets.values()} == {"round"}
    assert not charts[1].targets  # counties across rounds: nothing to list in one round


def run_cli(store: Store, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    where = ["--data-dir", str(store.data_dir)]
    if not store.is_sqlite:
        where += ["--database-url", store.engine.url.render_as_string(hide_password=False)]
    capsys.readouterr()
    assert cli.main([*where, *args, "--json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_the_report_pdf(
    scenario_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "统计报告.pdf"
    args = ["export", "stats", "--round", "1", "-o", str(target), "--date", AS_OF.isoformat()]
    done = run_cli(scenario_store, capsys, *args, "--png-dir", str(tmp_path / "png"))
    assert done["path"] == str(target)
    text = pdf_text(target)
    for heading in (
        "2026年度聊城市示范平台认定（演示）统计报告",
        "概况",
        "一、评审漏斗",
        "二、申报不符合的条件",
        "三、分县（市、区）情况",
        "四、专家评分分布",
        "五、各申报的专家总分与汇总分",
        "六、历年认定的示范平台",
        "七、有效期届满",
        "八、名录状况、报送与撤销",
        "第七条（三）",
        "年服务中小企业80家以上",
        "评审组汇总分",
    ):
        assert heading in text, heading
    assert "本批次共收到申报材料12份，其中材料齐全11份" in text
    assert EMPTY not in text
    reader = PdfReader(target)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    pictures = sum(len(page.images) for page in reader.pages)
    assert pictures == len(ROUND_CHARTS)
    all_fonts_embedded(target)
    pngs = sorted(p.name for p in (tmp_path / "png").iterdir())
    assert pngs == sorted(f"{k}.png" for k, _ in ROUND_CHARTS)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "40",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                str(target),
                str(tmp_path / "p"),
            ],
            check=True,
        )
        assert next(tmp_path.glob("p-*1.png")).stat().st_size > 5_000


def test_the_report_of_an_empty_round(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = create_round(store, "xian-2018", "空批次", date(2026, 6, 30), "秘书")
    target = tmp_path / "空.pdf"
    run_cli(store, capsys, "export", "stats", "--round", str(rid), "-o", str(target))
    text = pdf_text(target)
    assert "空批次统计报告" in text and text.count("暂无数据") == len(ROUND_CHARTS)
    assert sum(len(page.images) for page in PdfReader(target).pages) == 0
    all_fonts_embedded(target)
