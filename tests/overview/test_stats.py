"""``sme-review stats --json`` against the same numbers counted another way (expected.py)."""

from __future__ import annotations

import json
import statistics
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sme_review_desktop import cli
from sme_review_desktop.demo import LIAOCHENG as DEMO_LIAOCHENG
from sme_review_desktop.demo import LIAOCHENG_BASE, write_package
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.models import Dossier, Round
from sme_review_desktop.overview.cross_round import overall_stats
from sme_review_desktop.overview.round_stats import round_stats
from sme_review_desktop.overview.selection import (
    county_selection,
    funnel_selection,
    members,
    shortfall_selection,
)
from sme_review_desktop.rounds import create_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.database import Store

from . import expected
from .scenario import AS_OF, LIAOCHENG, XIAN


def run_cli(capsys: pytest.CaptureFixture[str], store: Store, *args: str) -> str:
    where = ["--data-dir", str(store.data_dir)]
    if not store.is_sqlite:
        where += ["--database-url", store.engine.url.render_as_string(hide_password=False)]
    capsys.readouterr()
    code = cli.main([*where, *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def stats_json(capsys: pytest.CaptureFixture[str], store: Store, *args: str) -> Any:
    return json.loads(run_cli(capsys, store, "stats", *args, "--json"))


def test_round_stats_json_equals_the_rows_counted_one_by_one(
    scenario_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store = scenario_store
    got = stats_json(capsys, store, "--round", str(LIAOCHENG), "--date", AS_OF.isoformat())
    assert got["scope"] == "round" and got["as_of"] == AS_OF.isoformat()
    assert got["round"]["rulebook"] == "liaocheng-2021"

    assert got["funnel"] == expected.funnel(store, LIAOCHENG)
    # What the scenario did, by hand: 10 decisions, one approved dossier's objection upheld.
    assert got["funnel"]["decision"] == {"approved": 5, "rejected": 3, "pool": 2, "undecided": 2}
    assert (got["funnel"]["publicised"], got["funnel"]["certified"]) == (5, 4)
    assert got["funnel"]["exceptions"] == 2  # the two the panel approved against a 不符合 tick
    assert (got["funnel"]["received"], got["funnel"]["formal_complete"]) == (12, 11)

    shortfalls = {
        (s["article"], s["item"], s["part"]): {k: s[k] for k in ("app", "reviewer", "dossiers")}
        for s in got["shortfalls"]
    }
    assert shortfalls == expected.shortfalls(store, LIAOCHENG)
    counts = [s["dossiers"] for s in got["shortfalls"]]
    assert counts == sorted(counts, reverse=True) and min(counts) > 0
    # The issue's own example: the clause, its threshold, and who found it unmet.
    smes = next(s for s in got["shortfalls"] if s["part"] == "smes")
    assert smes["label"] == "第七条（三） 年服务中小企业80家以上"
    assert smes["threshold"] == "≥80家"
    assert (smes["app"], smes["reviewer"], smes["dossiers"]) == (1, 2, 2)
    judged = next(s for s in got["shortfalls"] if s["part"] == "legal_person")
    assert (judged["app"], judged["reviewer"], judged["threshold"]) == (0, 1, None)

    county = {c["county"]: [c["dossiers"], c["approved"], c["certified"]] for c in got["by_county"]}
    assert county == expected.by_county(store, LIAOCHENG)
    assert county["东昌府区"] == [3, 2, 2] and county["阳谷县"] == [1, 1, 0]

    scoring = expected.scoring(store, LIAOCHENG)
    experts = {e["name"]: e for e in got["scoring"]["experts"]}
    assert list(experts) == ["张明", "李华", "王芳", "赵强", "刘洋"]
    for name, totals in scoring["totals"].items():
        e, values = experts[name], sorted(float(t) for t in totals)
        assert e["totals"] == values and e["count"] == len(values)
        assert (e["min"], e["max"]) == (values[0], values[-1])
        assert e["median"] == pytest.approx(statistics.median(values), abs=0.005)
        assert e["mean"] == pytest.approx(statistics.fmean(values), abs=0.005)
        assert e["mean_deviation"] == pytest.approx(scoring["deviation"][name], abs=0.005)
    assert experts["刘洋"]["count"] == 11  # declared a conflict with one applicant
    assert experts["赵强"]["mean_deviation"] < -10 < 5 < experts["王芳"]["mean_deviation"]
    summary = scoring["summary"]
    assert len(got["scoring"]["dossiers"]) == len(summary) == 12
    for d in got["scoring"]["dossiers"]:
        s = summary[d["uscc"]]
        assert d["scores"] == {k: float(v) for k, v in s.scores.items()}
        assert d["aggregate"] == float(s.aggregate) and d["rank"] == s.rank
        assert set(d["outliers"]) == s.outliers
    assert any("李华" in d["outliers"] for d in got["scoring"]["dossiers"])
    panel = got["scoring"]["panel"]
    aggregates = sorted(float(s.aggregate) for s in summary.values() if s.aggregate is not None)
    assert panel["totals"] == aggregates
    assert panel["median"] == pytest.approx(statistics.median(aggregates), abs=0.005)

    reg, want = got["register"], expected.register(store, LIAOCHENG, AS_OF)
    assert reg["scope"] == "round" and reg["certificates"] == want["certificates"] == 4
    assert (
        reg["status"] == want["status"] == {"valid": 3, "expiring": 0, "expired": 0, "revoked": 1}
    )
    assert (reg["reports_overdue"], reg["platforms_with_overdue"]) == (
        want["reports_overdue"],
        want["platforms_with_overdue"],
    )
    assert {y["year"]: y["count"] for y in reg["certified_by_year"]} == want["certified_by_year"]
    assert {y["year"]: y["count"] for y in reg["revocations_by_year"]} == want[
        "revocations_by_year"
    ]
    months = reg["expiring_by_month"]
    assert (
        len(months) == 36 and months[0]["month"] == "2027-08" and months[-1]["month"] == "2030-07"
    )
    assert {m["month"]: m["count"] for m in months if m["count"]} == want["expiring"]


def test_stats_across_rounds(scenario_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    store = scenario_store
    got = stats_json(capsys, store, "--date", AS_OF.isoformat())
    assert got["scope"] == "all"
    rows = {r["id"]: r for r in got["rounds"]}
    for round_id in (LIAOCHENG, XIAN):
        f = expected.funnel(store, round_id)
        row = rows[round_id]
        assert (row["received"], row["approved"], row["certified"]) == (
            f["received"],
            f["decision"]["approved"],
            f["certified"],
        )
    assert (rows[XIAN]["approved"], rows[XIAN]["certified"]) == (2, 2)
    county = {c["county"]: [c["dossiers"], c["approved"], c["certified"]] for c in got["by_county"]}
    assert county == expected.by_county(store, None)
    assert county["聊城市·高新区"] == [1, 1, 1] and county["西安市·高新区"] == [1, 1, 1]
    want = expected.register(store, None, AS_OF)
    reg = got["register"]
    assert reg["scope"] == "all" and reg["certificates"] == want["certificates"] == 6
    assert reg["status"] == want["status"]
    assert {y["year"]: y["count"] for y in reg["certified_by_year"]} == {2026: 4, 2027: 2}
    assert {m["month"]: m["count"] for m in reg["expiring_by_month"] if m["count"]} == want[
        "expiring"
    ]


def test_stats_without_json_prints_the_same_numbers(
    scenario_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli(capsys, scenario_store, "stats", "--round", "1", "--date", AS_OF.isoformat())
    assert "收到申报 12　形式审查通过 11" in out
    assert "评审决定：拟认定 5　不予认定 3　纳入培育库 2　未决定 2" in out
    assert "第七条（三） 年服务中小企业80家以上：2 家不符合（系统 1，评审人 2）" in out
    assert "赵强\t12" in out
    assert "逾期未报 5 份（2 家）" in out  # the revoked platform owes no more reports
    overall = run_cli(capsys, scenario_store, "stats", "--date", AS_OF.isoformat())
    assert "12 / 5 / 4" in overall and "西安市·高新区" in overall


def test_help_documents_the_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["stats", "--help"])
    text = capsys.readouterr().out
    for key in ("funnel", "shortfalls", "by_county", "scoring", "register", "expiring_by_month"):
        assert key in text


def test_each_bar_lists_the_dossiers_it_counts(scenario_store: Store) -> None:
    store = scenario_store
    stats = round_stats(store, LIAOCHENG, AS_OF)
    f = stats.funnel
    for key, n in (
        ("received", f.received),
        ("formal_complete", f.formal_complete),
        ("publicised", f.publicised),
        ("certified", f.certified),
    ):
        assert len(members(store, LIAOCHENG, funnel_selection(key))) == n, key
    for key in ("met", "review", "unmet"):
        assert (
            len(members(store, LIAOCHENG, funnel_selection("suggestion", key)))
            == (f.suggestion[key])
        )
    for key, n in f.decision.items():
        assert len(members(store, LIAOCHENG, funnel_selection("decision", key))) == n
    received = set(members(store, LIAOCHENG, funnel_selection("received")))
    assert received == set(members(store, LIAOCHENG, funnel_selection("decision", "undecided"))) | {
        d
        for k in stats.decisions
        for d in members(store, LIAOCHENG, funnel_selection("decision", k))
    }
    for s in stats.shortfalls:
        assert len(members(store, LIAOCHENG, shortfall_selection(s))) == s.dossiers
    for c in stats.by_county:
        for what in ("dossiers", "approved", "certified"):
            found = members(store, LIAOCHENG, county_selection(c.county, what))
            assert len(found) == getattr(c, what)
    label = shortfall_selection(stats.shortfalls[0]).label
    assert label.startswith("第七条（三） 年服务中小企业80家以上")


def test_an_empty_round_counts_nothing(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    rid = create_round(store, "xian-2018", "空批次", date(2026, 6, 30), "秘书")
    got = stats_json(capsys, store, "--round", str(rid))
    f = got["funnel"]
    assert (f["received"], f["formal_complete"], f["publicised"], f["certified"]) == (0, 0, 0, 0)
    assert f["suggestion"] == {"met": 0, "review": 0, "unmet": 0}
    assert f["decision"] == {"approved": 0, "rejected": 0, "undecided": 0}  # 西安: no pool
    assert got["shortfalls"] == [] and got["by_county"] == []
    assert got["scoring"] == {"experts": [], "panel": None, "dossiers": []}
    assert got["register"]["certificates"] == 0
    assert all(m["count"] == 0 for m in got["register"]["expiring_by_month"])
    assert overall_stats(store).rounds[0].received == 0


def test_a_new_version_is_evaluated_again(demo_store: Store, tmp_path: Path) -> None:
    """The engine's verdicts are cached per version: a resubmission must not hit the cache."""
    store = demo_store
    before = round_stats(store, LIAOCHENG)
    smes = [s for s in before.shortfalls if s.part == "smes"]
    assert smes and smes[0].app == 1  # 茌平: 79 家
    demo = next(d for d in DEMO_LIAOCHENG if d.platform.startswith("茌平"))
    # The demo's own figures, with the one that failed put right.
    fixed = type(demo)(**{**demo.__dict__, "changes": {**demo.changes, "smes_served": Decimal(95)}})
    package = write_package(
        tmp_path, get_rulebook("liaocheng-2021"), fixed, LIAOCHENG_BASE, "371502"
    )
    [result] = list(import_paths(store, LIAOCHENG, [package], "秘书"))
    assert result.status == "new_version"
    after = round_stats(store, LIAOCHENG)
    assert not [s for s in after.shortfalls if s.part == "smes"]
    assert after.funnel.received == before.funnel.received


def test_round_ids_are_checked(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--data-dir", str(store.data_dir)]
    if not store.is_sqlite:
        where += ["--database-url", store.engine.url.render_as_string(hide_password=False)]
    assert cli.main([*where, "stats", "--round", "99", "--json"]) == 2
    assert "99" in capsys.readouterr().err
    with store.read() as session:
        assert session.scalars(select(Round)).first() is None
        assert session.scalars(select(Dossier)).first() is None


@pytest.mark.parametrize("round_id", [LIAOCHENG, XIAN])
def test_clause_labels_are_the_engines_words(demo_store: Store, round_id: int) -> None:
    """The chart names a clause as the engine does, for every clause a demo dossier meets."""
    from sme_review_desktop.overview.stats_queries import clauses
    from sme_review_desktop.review.evaluation import evaluate_round

    with demo_store.read() as session:
        rnd = session.get(Round, round_id)
        assert rnd is not None
        catalogue = clauses(get_rulebook(rnd.rulebook_id))
    seen = 0
    for e in evaluate_round(demo_store, round_id):
        for item in e.evaluation.items:
            for part in item.parts if item.applicable else ():
                assert catalogue[(item.article, item.item, part.id)].text == part.text
                seen += 1
    assert seen > 100
