"""Hostile score sheets: whatever comes back from an expert is stored whole with valid points, or
refused whole with a Chinese message; never another exception, never a partial write, never a
file written.
"""

from __future__ import annotations

import io
import json
import secrets
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select

from sme_review_desktop.models import AuditEntry, Criterion, Expert, Score
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.sheets import (
    CHECK_SHEET,
    FIRST_ROW,
    FIRST_SCORE_COL,
    SHEET,
    SheetResult,
    _signature,
    import_score_sheets,
    write_score_sheet,
)
from sme_review_desktop.store.database import Store, open_store

from .mutations import (
    listing,
    mutated,
    rezip,
    set_declared_size,
    tree,
    zip_header_mutated,
    zip_parts,
)
from .profiles import hostile

ROUND = 1
EXPERT = "王一"
MAXIMA = (20, 25, 25, 15, 15)
EVIDENCE = ("data/evidence",)  # thousands of blobs a score sheet never touches: listed, not walked


def is_chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


class Bench:
    """One store for a module's examples, and the expert's filled sheet they damage."""

    def __init__(
        self, base: Path, store: Store, sheet: bytes, usccs: list[str], criteria: list[str]
    ) -> None:
        self.base, self.store = base, store
        self.sheet = sheet  # the expert's sheet, filled with valid points
        self.usccs = usccs  # the sheet's rows, in order
        self.criteria = criteria

    def __repr__(self) -> str:  # not a dataclass: hypothesis would print the sheet's bytes
        return "bench"

    def new_input(self, data: bytes) -> Path:
        path = self.base / "in" / "评分表.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path

    def state(self) -> tuple[list[tuple[Any, ...]], int]:
        """Every stored score and the number of audit entries: what a refusal must not change."""
        with self.store.read() as session:
            scores = session.execute(
                select(
                    Score.expert_id, Score.dossier_id, Score.criterion_id, Score.points
                ).order_by(Score.id)
            ).all()
            audits = session.scalar(select(func.count(AuditEntry.id))) or 0
        return [tuple(r) for r in scores], int(audits)


@pytest.fixture(scope="module")
def bench(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    base = tmp_path_factory.mktemp("hostile-sheets")
    shutil.copytree(demo_template, base / "data")
    store = open_store(base / "data")
    rows = dossier_summaries(store, ROUND)
    add_expert(store, ROUND, EXPERT, "秘书")
    declare_conflict(store, ROUND, EXPERT, rows[0].uscc, "同一集团", "秘书")
    path = write_score_sheet(store, ROUND, EXPERT, base / "out" / "王一.xlsx", "秘书")
    wb = load_workbook(path)
    ws = wb[SHEET]
    usccs = []
    for r in range(FIRST_ROW, FIRST_ROW + len(rows) - 1):
        usccs.append(str(ws.cell(r, 2).value))
        for c, top in enumerate(MAXIMA):
            ws.cell(r, FIRST_SCORE_COL + c).value = (r + c) % top
    out = io.BytesIO()
    wb.save(out)
    criteria = [
        str(ws.cell(FIRST_ROW - 1, FIRST_SCORE_COL + c).value).split("（")[0] for c in range(5)
    ]
    bench = Bench(base, store, out.getvalue(), usccs, criteria)
    [first] = import_score_sheets(store, ROUND, [bench.new_input(bench.sheet)], "秘书")
    assert first.status == "imported", first.errors
    yield bench
    store.close()


def _stored(bench: Bench) -> dict[tuple[str, str], Decimal]:
    """The expert's stored points by (row's uscc, criterion)."""
    from sme_review_desktop.models import Applicant, Dossier

    with bench.store.read() as session:
        rows = session.execute(
            select(Applicant.uscc, Criterion.name, Score.points, Criterion.max_points)
            .join(Expert, Expert.id == Score.expert_id)
            .join(Criterion, Criterion.id == Score.criterion_id)
            .join(Dossier, Dossier.id == Score.dossier_id)
            .join(Applicant, Applicant.id == Dossier.applicant_id)
            .where(Expert.name == EXPERT, Expert.round_id == ROUND)
        ).all()
    for _, name, points, maximum in rows:
        assert 0 <= points <= maximum, (name, points)  # whatever got in is a valid score
    return {(uscc, name): Decimal(points) for uscc, name, points, _ in rows}


def _import(bench: Bench, data: bytes) -> SheetResult:
    """Import one sheet and check the promises that hold whatever the sheet holds."""
    path = bench.new_input(data)
    around = listing(bench.base.parent, bench.base)
    files = tree(bench.base, skip=EVIDENCE)
    before = bench.state()
    [result] = import_score_sheets(bench.store, ROUND, [path], "秘书")
    assert result.status in ("imported", "rejected")
    if result.status == "rejected":
        assert result.errors and result.count == 0
        for message in result.errors:
            assert is_chinese(message) and "Traceback" not in message, message
        assert bench.state() == before  # refused whole: nothing stored, nothing logged
    else:
        assert result.errors == [] and result.expert == EXPERT
        _, audits = bench.state()
        assert audits >= before[1] + 1  # the import itself is in the audit log
        _stored(bench)
    assert path.read_bytes() == data  # the reader never writes, not even to its input
    assert tree(bench.base, skip=EVIDENCE) == files
    assert listing(bench.base.parent, bench.base) == around
    return result


def _workbook(bench: Bench) -> Workbook:
    return load_workbook(io.BytesIO(bench.sheet))


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ── random values in the score cells ──────────────────────────────────────────

SCORE_VALUES = st.one_of(
    st.none(),
    st.integers(-5, 30),
    st.integers(),
    st.floats(),
    st.decimals(places=3, min_value=-5, max_value=30),
    st.text(max_size=12),
    st.sampled_from(["12", " 7.5 ", "１２", "12分", "abc", "=1+1", "=D7", "=1/0", "1e1", "-0",
                     "NaN", "Infinity", "  ", "", "2,5", "1_0", "0x10", "1e999999", "+3", "½"]),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
)  # fmt: skip


def _expected(value: Any, maximum: int) -> Decimal | str | None:
    """What the sheet means: a score, None (blank: not scored), or "bad" (to be refused)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | date) or (isinstance(value, str) and value.startswith("=")):
        return "bad"  # a formula is not a typed score: its value is Excel's, not the expert's
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return "bad"
    if not number.is_finite() or not 0 <= number <= maximum:
        return "bad"
    return number


@hostile(examples=120)
@given(
    cells=st.dictionaries(
        st.tuples(st.integers(0, 10), st.integers(0, 4)), SCORE_VALUES, max_size=6
    )
)
def test_random_values_in_score_cells(bench: Bench, cells: dict[tuple[int, int], Any]) -> None:
    wb = _workbook(bench)
    ws = wb[SHEET]
    try:
        for (r, c), value in cells.items():
            ws.cell(FIRST_ROW + r, FIRST_SCORE_COL + c).value = value
        data = _save(wb)
    except (IllegalCharacterError, ValueError, OverflowError):
        assume(False)  # openpyxl refuses to write it: no expert could send it
        raise
    # what the reader meets is what the file holds, after Excel's (openpyxl's) round trip
    stored = load_workbook(io.BytesIO(data))[SHEET]
    expected = {
        (bench.usccs[r], bench.criteria[c]): _expected(
            stored.cell(FIRST_ROW + r, FIRST_SCORE_COL + c).value, MAXIMA[c]
        )
        for r in range(len(bench.usccs))
        for c in range(5)
    }
    previous = _stored(bench)
    result = _import(bench, data)
    bad = [k for k, v in expected.items() if v == "bad"]
    if bad:
        assert result.status == "rejected", (bad, result)
        for (r, c), _ in cells.items():
            ref = f"{get_column_letter(FIRST_SCORE_COL + c)}{FIRST_ROW + r}"
            if expected[(bench.usccs[r], bench.criteria[c])] == "bad":
                assert any(ref in e for e in result.errors), (ref, result.errors)
    else:
        assert result.status == "imported", result.errors
        got = _stored(bench)
        # a blank cell leaves the stored score as it was; a filled one replaces it
        want = {**previous, **{k: v for k, v in expected.items() if v is not None}}
        assert set(got) == set(want)
        for key, value in want.items():
            assert isinstance(value, Decimal)
            assert abs(got[key] - value) <= Decimal("0.005"), (key, got[key], value)


# ── edits outside the score cells ─────────────────────────────────────────────

CELL_VALUES = st.one_of(
    st.none(), st.text(max_size=20), st.integers(-3, 30), st.floats(allow_nan=False),
    st.sampled_from(["序号", "合计", "=SUM(D6:H6)", "王一", "评审专家：王一", 1, 1.0, "1"]),
)  # fmt: skip


@hostile(examples=100)
@given(row=st.integers(1, FIRST_ROW + 14), col=st.integers(1, 12), value=CELL_VALUES)
def test_edits_outside_the_score_cells(bench: Bench, row: int, col: int, value: Any) -> None:
    assume(
        not (
            row >= FIRST_ROW
            and FIRST_SCORE_COL <= col < FIRST_SCORE_COL + 5
            and row < FIRST_ROW + len(bench.usccs)
        )
    )
    wb = _workbook(bench)
    ws = wb[SHEET]
    cell = ws.cell(row, col)
    assume(not isinstance(cell, MergedCell))
    original = cell.value
    try:
        cell.value = value
        data = _save(wb)
    except (IllegalCharacterError, ValueError):
        assume(False)
        raise
    now = load_workbook(io.BytesIO(data))[SHEET].cell(row, col).value
    result = _import(bench, data)
    if now == original or (now in (None, "") and original in (None, "")):
        assert result.status == "imported", result.errors
    else:
        assert result.status == "rejected"
        assert any(cell.coordinate in e for e in result.errors), (cell.coordinate, result.errors)


# ── sheets deleted, renamed, added; the signature and its payload broken ─────

OPS = st.sampled_from([
    "delete-sheet", "delete-check", "rename-sheet", "rename-check", "add-sheet", "chartsheet",
    "check-visible", "reorder", "no-signature", "signature-text", "signature-other", "signature-number",
    "format", "payload-char", "payload-resigned-other-key", "payload-cut", "payload-extra-row",
    "payload-rechunked", "payload-json-other", "payload-empty",
])  # fmt: skip
HARMLESS = {"add-sheet", "check-visible", "reorder", "payload-rechunked"}


def _payload_body(check: Any) -> str:
    parts, row = [], 2
    while isinstance(check.cell(row, 1).value, str):
        parts.append(check.cell(row, 1).value)
        row += 1
    return "".join(parts)


def _write_body(check: Any, body: str, size: int) -> None:
    row = 2
    while isinstance(check.cell(row, 1).value, str):
        check.cell(row, 1).value = None
        row += 1
    for n, i in enumerate(range(0, len(body), size), start=2):
        check.cell(n, 1).value = body[i : i + size]


def _apply(wb: Workbook, op: str, draw: st.DrawFn) -> None:
    check = wb[CHECK_SHEET] if CHECK_SHEET in wb.sheetnames else None
    if not isinstance(check, Worksheet):
        check = None  # deleted, or replaced by a chart sheet
    text = draw(
        st.text(min_size=1, max_size=10).filter(lambda t: not any(ch in t for ch in "[]:*?/\\'"))
    )
    if op == "delete-sheet" and SHEET in wb.sheetnames:
        del wb[SHEET]
    elif op == "delete-check" and check is not None:
        del wb[CHECK_SHEET]
    elif op == "rename-sheet" and SHEET in wb.sheetnames:
        assume(text not in wb.sheetnames)
        wb[SHEET].title = text
    elif op == "rename-check" and check is not None:
        assume(text not in wb.sheetnames)
        check.title = text
    elif op == "add-sheet":
        assume(text not in wb.sheetnames)
        extra = wb.create_sheet(text)
        extra["A1"] = draw(st.text(max_size=10))
        extra["D6"] = draw(st.integers())
    elif op == "chartsheet":
        name = draw(st.sampled_from([SHEET, CHECK_SHEET]))
        if name in wb.sheetnames:
            del wb[name]
        wb.create_chartsheet(name)
    elif op == "check-visible" and check is not None:
        check.sheet_state = draw(st.sampled_from(["visible", "hidden"]))
    elif op == "reorder" and len(wb.sheetnames) > 1:
        wb.move_sheet(wb.sheetnames[-1], offset=-(len(wb.sheetnames) - 1))
    elif check is None:
        return
    elif op == "no-signature":
        check["B1"] = None
    elif op == "signature-text":
        check["B1"] = draw(st.text(max_size=70))
    elif op == "signature-other":
        check["B1"] = secrets.token_hex(32)
    elif op == "signature-number":
        check["B1"] = draw(st.integers())
    elif op == "format":
        check["A1"] = draw(st.sampled_from(["sme-review-score-sheet/2", "", None, 1]))
    elif op.startswith("payload"):
        body = _payload_body(check)
        if op == "payload-char" and body:
            pos = draw(st.integers(0, len(body) - 1))
            new = draw(st.characters(blacklist_categories=("Cs",)))
            assume(new != body[pos])
            _write_body(check, body[:pos] + new + body[pos + 1 :], 30000)
        elif op == "payload-resigned-other-key":
            try:
                data = json.loads(body)
                data["dossiers"] = data["dossiers"][:1]
                body = json.dumps(data, ensure_ascii=False, sort_keys=True)
            except (ValueError, KeyError, TypeError):
                pass  # an earlier op broke it: sign the broken body
            _write_body(check, body, 30000)
            check["B1"] = _signature(secrets.token_hex(32), body)
        elif op == "payload-cut":
            _write_body(check, body[: draw(st.integers(0, max(len(body) - 1, 0)))], 30000)
        elif op == "payload-extra-row":
            _write_body(check, body + draw(st.text(min_size=1, max_size=5)), 30000)
        elif op == "payload-rechunked":
            _write_body(check, body, draw(st.integers(1, 400)))
        elif op == "payload-json-other":
            other = draw(st.sampled_from(['[]', '"x"', '1', 'null', '{"round_id": "一"}',
                                          '{"round_id": 1}', '{"round_id": [1]}', '{}']))  # fmt: skip
            _write_body(check, other, 30000)
        elif op == "payload-empty":
            _write_body(check, "", 30000)


@hostile(examples=150)
@given(ops=st.lists(OPS, min_size=1, max_size=3), data=st.data())
def test_sheets_and_signature_tampered(bench: Bench, ops: list[str], data: st.DataObject) -> None:
    wb = _workbook(bench)
    try:
        for op in ops:
            _apply(wb, op, data.draw)
        saved = _save(wb)
    except (IllegalCharacterError, ValueError, IndexError):  # e.g. no sheet left to save
        assume(False)
        raise
    result = _import(bench, saved)
    if not set(ops) <= HARMLESS:
        assert result.status == "rejected", (ops, result)


def test_a_sheet_without_its_signature_is_refused(bench: Bench) -> None:
    """Found by the fuzzing above: with B1 emptied, the payload was trusted without a check."""
    wb = _workbook(bench)
    check = wb[CHECK_SHEET]
    body = json.loads(_payload_body(check))
    body["criteria"] = [[name, 1000] for name, _ in body["criteria"]]  # raise every maximum
    _write_body(check, json.dumps(body, ensure_ascii=False, sort_keys=True), 30000)
    check["B1"] = None
    wb[SHEET]["D6"] = 999
    result = _import(bench, _save(wb))
    assert result.status == "rejected"
    assert "签名" in result.errors[0]


def test_a_signature_in_chinese_is_refused_not_a_crash(bench: Bench) -> None:
    """Found by the fuzzing above: hmac.compare_digest raised TypeError on non-ASCII text."""
    wb = _workbook(bench)
    wb[CHECK_SHEET]["B1"] = "签名"
    result = _import(bench, _save(wb))
    assert result.status == "rejected" and "签名" in result.errors[0]


# ── damaged bytes and zip structure ───────────────────────────────────────────


@hostile(examples=200)
@given(data=st.data())
def test_damaged_sheet_bytes(bench: Bench, data: st.DataObject) -> None:
    _import(bench, data.draw(mutated(bench.sheet)))


@hostile(examples=150)
@given(data=st.data())
def test_damaged_zip_headers_of_a_sheet(bench: Bench, data: st.DataObject) -> None:
    _import(bench, data.draw(zip_header_mutated(bench.sheet)))


@hostile(examples=150)
@given(data=st.data())
def test_damaged_xml_inside_a_sheet(bench: Bench, data: st.DataObject) -> None:
    parts = zip_parts(bench.sheet)
    part = data.draw(st.sampled_from(sorted(parts)))
    parts[part] = data.draw(mutated(parts[part]))
    _import(bench, rezip(parts))


HOSTILE_MEMBERS = [
    "../../slip-{tag}", "/tmp/slip-{tag}", "C:/slip-{tag}", "..\\..\\slip-{tag}",
    "xl/../../slip-{tag}", "xl/worksheets/../../../slip-{tag}",
]  # fmt: skip


@hostile(examples=30)
@given(
    names=st.lists(st.sampled_from(HOSTILE_MEMBERS), min_size=1, max_size=3),
    symlink=st.booleans(),
    body=st.binary(max_size=64),
)
def test_zip_slip_and_symlink_members_in_a_sheet(
    bench: Bench, names: list[str], symlink: bool, body: bytes
) -> None:
    """openpyxl reads parts by name and never unpacks: the members land nowhere."""
    import zipfile

    tag = secrets.token_hex(4)
    out = io.BytesIO(bench.sheet)
    with zipfile.ZipFile(out, "a") as zf:
        for name in names:
            info = zipfile.ZipInfo(name.format(tag=tag))
            if symlink:
                info.create_system = 3
                info.external_attr = (0o120777) << 16
            zf.writestr(info, body or b"/etc/passwd")
    _import(bench, out.getvalue())
    assert not list(bench.base.rglob(f"slip-{tag}"))
    for root in (*bench.base.parents, Path.cwd(), Path.home()):
        assert not (root / f"slip-{tag}").exists(), root


@pytest.mark.parametrize("size", [2**32 - 1, 10**9, 0])
def test_huge_declared_sizes_in_a_sheet(bench: Bench, size: int) -> None:
    member = next(n for n in zip_parts(bench.sheet) if n.startswith("xl/worksheets/"))
    result = _import(bench, set_declared_size(bench.sheet, member, size))
    assert result.status == "rejected"


def test_a_zip_bomb_sheet_is_refused_before_parsing(bench: Bench) -> None:
    """A valid sheet padded with 40 MB of blanks (a 40 kB file): refused before openpyxl parses."""
    parts = zip_parts(bench.sheet)
    member = next(n for n in parts if n.startswith("xl/worksheets/"))
    parts[member] = parts[member].replace(b"<sheetData>", b"<sheetData>" + b" " * 40 * 1024**2)
    data = rezip(parts)
    assert len(data) < 200_000
    result = _import(bench, data)
    assert result.status == "rejected" and "过大" in result.errors[0]
