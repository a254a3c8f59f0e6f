"""Property tests: damaged workbooks and zips, random cell values and member names.

Whatever comes in, the importer answers with a result (imported or rejected with a Chinese
message), never an unexpected exception, and writes nothing outside the data folder.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hostile.mutations import mutated  # tests/ is on the path: both are packages under it
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sme_review_desktop.errors import ImportRejected, UserError
from sme_review_desktop.importing.form import read_form
from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import import_package
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.store.database import Store, open_store

from .helpers import (
    LIAOCHENG,
    add_member,
    evidence_bytes,
    form_rows,
    form_values,
    is_chinese,
    make_folder,
    make_form,
    new_round,
    snapshot,
    staging_leftovers,
    xls_bytes,
    zip_folder,
)

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass
class Bench:
    """One store and round shared by the examples of a module, with a place for inputs."""

    base: Path
    store: Store
    round_id: int
    counter: int = 0

    def new_input(self, name: str, data: bytes) -> Path:
        self.counter += 1
        folder = self.base / "in" / str(self.counter)
        folder.mkdir(parents=True)
        path = folder / name
        path.write_bytes(data)
        return path

    def outside(self) -> set[str]:
        """Every path under the bench and beside it, except the data folder and the inputs."""
        seen = {p.name for p in self.base.parent.iterdir()}
        for p in self.base.rglob("*"):
            rel = p.relative_to(self.base).parts
            if rel[0] not in ("data", "in"):
                seen.add("/".join(rel))
        return seen


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    base = tmp_path_factory.mktemp("fuzz")
    store = open_store(base / "data")
    try:
        yield Bench(base, store, new_round(store))
    finally:
        store.close()


def _import_and_check(bench: Bench, path: Path) -> list[str]:
    """Import ``path`` and check the promises; returns the statuses."""
    before_outside = bench.outside()
    input_bytes = {p: p.read_bytes() for p in path.parent.rglob("*") if p.is_file()}
    before = snapshot(bench.store)
    statuses = []
    for package in discover([path]):
        result = import_package(bench.store, bench.round_id, package, "测试")
        statuses.append(result.status)
        assert result.status in ("imported", "new_version", "unchanged", "rejected"), (
            result.as_json()
        )
        if result.status == "rejected":
            assert len(result.errors) == 1 and is_chinese(result.errors[0]), result.errors
            assert "Traceback" not in result.errors[0]
    if set(statuses) <= {"rejected", "unchanged"}:
        assert snapshot(bench.store) == before
    assert staging_leftovers(bench.store) == []
    assert bench.outside() == before_outside
    # the input is read, never changed or added to
    assert {p: p.read_bytes() for p in path.parent.rglob("*") if p.is_file()} == input_bytes
    # evidence only ever lands as evidence/<2 hex>/<sha256>
    for p in (bench.base / "data" / "evidence").rglob("*"):
        if p.is_file():
            rel = p.relative_to(bench.base / "data" / "evidence").parts
            assert len(rel) == 2 and rel[1].startswith(rel[0]) and len(rel[1]) == 64, rel
    return statuses


# ── damaged bytes ──────────────────────────────────────────────────────────────


def _seed_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "申报数据"
    ws.append(["字段代码", "项目", "填报值"])
    for key, value in form_rows(LIAOCHENG, 1):
        cell = ("是" if value else "否") if isinstance(value, bool) else value
        ws.append([key, key, float(cell) if isinstance(cell, Decimal) else cell])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SEED_XLSX = _seed_xlsx()
XLSX_PARTS = {i.filename: zipfile.ZipFile(io.BytesIO(SEED_XLSX)).read(i) for i in
              zipfile.ZipFile(io.BytesIO(SEED_XLSX)).infolist()}  # fmt: skip


def _read_form_only_rejects(data: bytes, name: str) -> None:
    try:
        form = read_form(data, name)
    except ImportRejected as exc:
        assert is_chinese(exc.message), exc.message
        assert name in exc.message
    else:
        assert form.uscc  # a damage that missed every value still reads as a whole form


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".xls"]))
def test_random_bytes_as_a_workbook(data: bytes, suffix: str) -> None:
    _read_form_only_rejects(data, "随机" + suffix)


@FUZZ
@given(data=mutated(SEED_XLSX))
def test_damaged_xlsx_container(data: bytes) -> None:
    _read_form_only_rejects(data, "损坏.xlsx")


@FUZZ
@given(part=st.sampled_from(sorted(XLSX_PARTS)), data=st.data())
def test_damaged_xml_inside_an_xlsx(part: str, data: st.DataObject) -> None:
    """A valid zip whose XML parts are mangled: openpyxl meets it while reading the rows."""
    parts = dict(XLSX_PARTS)
    parts[part] = data.draw(mutated(parts[part]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    _read_form_only_rejects(out.getvalue(), "损坏.xlsx")


@functools.cache
def _seed_xls() -> bytes:
    return xls_bytes(form_rows(LIAOCHENG, 1))  # skips where xlwt is not installed


@FUZZ
@given(data=st.data())
def test_damaged_xls(data: st.DataObject) -> None:
    _read_form_only_rejects(data.draw(mutated(_seed_xls())), "损坏.xls")


def _seed_zip(tmp: Path) -> bytes:
    files = {"01_推荐表.pdf": evidence_bytes("z") * 40, "（六）活动/现场.png": bytes(range(256))}
    folder = make_folder(tmp, "种子", files=files)
    return zip_folder(folder, tmp / "种子.zip", encoding="gbk").read_bytes()


@FUZZ
@given(data=st.data())
def test_damaged_zip_package(bench: Bench, data: st.DataObject) -> None:
    seed_path = bench.base / "seed.zip"
    if not seed_path.exists():
        seed_path.write_bytes(_seed_zip(bench.base / "seed"))
    damaged = data.draw(mutated(seed_path.read_bytes()))
    _import_and_check(bench, bench.new_input("损坏.zip", damaged))


@FUZZ
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".zip", ".xlsx", ".xls"]))
def test_random_bytes_as_a_package(bench: Bench, data: bytes, suffix: str) -> None:
    statuses = _import_and_check(bench, bench.new_input("随机" + suffix, data))
    assert statuses == ["rejected"]


# ── random member names ────────────────────────────────────────────────────────

NAME_PARTS = st.sampled_from(
    ["..", ".", "", "平台", "（一）申请报告.pdf", "03_执照.pdf", "a", "C:", "~$x.xlsx", "__MACOSX",
     ".DS_Store", "Thumbs.db", " ", "申报数据表.xlsx", "x" * 40, "１２", "⑴", "十四、"]
)  # fmt: skip


@st.composite
def member_names(draw: st.DrawFn) -> str:
    parts = draw(st.lists(NAME_PARTS | st.text(min_size=1, max_size=8), min_size=1, max_size=4))
    sep = draw(st.sampled_from(["/", "\\"]))
    lead = draw(st.sampled_from(["", "", "", "/", "\\"]))
    return lead + sep.join(parts)


@FUZZ
@given(
    members=st.lists(
        st.tuples(member_names(), st.sampled_from(["gbk", "utf-8", None]), st.binary(max_size=64)),
        max_size=5,
    ),
    with_form=st.booleans(),
)
def test_random_member_names(
    bench: Bench, members: list[tuple[str, str | None, bytes]], with_form: bool
) -> None:
    form = make_form(bench.base / "forms" / "申报数据表.xlsx", LIAOCHENG, 7)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        if with_form:
            add_member(zf, "平台/申报数据表.xlsx", form.read_bytes())
        for name, encoding, body in members:
            name = name.replace("\x00", "")
            assume(name)
            if encoding == "gbk":
                try:
                    name.encode("gbk")
                except UnicodeEncodeError:
                    encoding = "utf-8"
            add_member(zf, name, body, encoding=encoding)
    statuses = _import_and_check(bench, bench.new_input("随机名称.zip", out.getvalue()))
    if not with_form:
        assert statuses == ["rejected"]


# ── random cell values ─────────────────────────────────────────────────────────

KEYS = sorted(field_catalogue())
CELL_VALUES = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["350人", "1,200", "２３０", "0.35亿元", "86%", "８６％", "2019年3月15日",
                     "2019.3.15", "abc", "有", "✗", "TRUE", "-0", "1e400", "NaN", "  "]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, max_value=10**12, min_value=-(10**12)),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
)  # fmt: skip
FORMATS = st.sampled_from(["General", "0%", "0.00%", "yyyy-mm-dd", "@", "#,##0", '0.0"万元"'])


def _xlsx_with(cells: dict[str, tuple[Any, str]], extra: list[tuple[Any, Any]]) -> bytes | None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "申报数据"
    ws.append(["字段代码", "项目", "填报值"])
    try:
        for key, (value, fmt) in cells.items():
            ws.append([key, "标签", float(value) if isinstance(value, Decimal) else value])
            ws.cell(ws.max_row, 3).number_format = fmt
        for key, value in extra:
            ws.append([key, None, value])
    except (IllegalCharacterError, ValueError):
        return None  # openpyxl itself refuses to write it: no county could send it
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@FUZZ
@given(
    changes=st.dictionaries(st.sampled_from(KEYS), st.tuples(CELL_VALUES, FORMATS), max_size=8),
    extra=st.lists(st.tuples(st.one_of(st.text(max_size=12), st.integers()), CELL_VALUES), max_size=3),
)  # fmt: skip
def test_random_cell_values_in_a_form(
    bench: Bench, changes: dict[str, tuple[Any, str]], extra: list[tuple[Any, Any]]
) -> None:
    base = form_values(LIAOCHENG, 9)
    cells: dict[str, tuple[Any, str]] = {}
    for key in KEYS:
        value = base.get(key)
        cells[key] = (("是" if value else "否") if isinstance(value, bool) else value, "General")
    cells.update(changes)
    data = _xlsx_with(cells, extra)
    assume(data is not None)
    assert data is not None
    try:
        read_form(data, "随机值.xlsx")
    except ImportRejected as exc:
        assert is_chinese(exc.message) and "随机值.xlsx" in exc.message
    _import_and_check(bench, bench.new_input("随机值.xlsx", data))


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(KEYS), CELL_VALUES, max_size=8))
def test_random_cell_values_in_an_xls(changes: dict[str, Any]) -> None:
    pytest.importorskip("xlwt")
    rows = [(k, changes.get(k, v)) for k, v in form_rows(LIAOCHENG, 10)]
    rows += [(k, v) for k, v in changes.items() if k not in dict(rows)]
    try:
        data = xls_bytes(rows)
    except Exception:  # xlwt refuses some values (huge ints, long strings): nothing to read
        assume(False)
        raise
    try:
        read_form(data, "随机值.xls")
    except UserError as exc:
        assert isinstance(exc, ImportRejected) and is_chinese(exc.message)


# ── what fuzzing found, pinned ─────────────────────────────────────────────────


def test_regression_malformed_sheet_xml_is_a_rejection() -> None:
    """openpyxl parses a read-only sheet while iterating: a ParseError came out of read_form."""
    parts = dict(XLSX_PARTS)
    sheet = next(n for n in parts if n.startswith("xl/worksheets/"))
    parts[sheet] = parts[sheet].replace(b"</sheetData>", b"<row></sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    with pytest.raises(ImportRejected, match="无法读取"):
        read_form(out.getvalue(), "坏工作表.xlsx")


def test_regression_malformed_workbook_xml_is_a_rejection() -> None:
    parts = dict(XLSX_PARTS)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"<bookViews>", b"<bookViews x>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    with pytest.raises(ImportRejected, match="无法读取"):
        read_form(out.getvalue(), "坏工作簿.xlsx")


def test_regression_xls_cell_with_an_unknown_format_is_a_rejection(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A cell pointing at an XF record that does not exist raised IndexError from read_form."""
    import struct

    xlwt = pytest.importorskip("xlwt")
    from xlwt import CompoundDoc

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("申报数据")
    ws.write(0, 0, "字段代码")
    ws.write(1, 0, "platform_name")
    ws.write(1, 2, "平台")
    stream = bytearray(wb.get_biff_data())
    pos = 0
    while pos < len(stream):
        rtype, length = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x00FD:  # LABELSST: row, col, xf, sst index
            struct.pack_into("<H", stream, pos + 8, 0x0FFF)
        pos += 4 + length
    out = io.BytesIO()
    CompoundDoc.XlsDoc().save(out, bytes(stream))
    with pytest.raises(ImportRejected, match="无法读取"):
        read_form(out.getvalue(), "坏格式.xls")
    # xlrd's complaints no longer go to stdout (they broke the CLI's --json output)
    assert capsys.readouterr().out == ""


def test_regression_zip_member_named_dot(bench: Bench) -> None:
    """A member named "." has no file name: _hidden raised IndexError on it."""
    form = make_form(bench.base / "forms" / "申报数据表.xlsx", LIAOCHENG, 8)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        add_member(zf, "申报数据表.xlsx", form.read_bytes())
        add_member(zf, ".", b"")
    statuses = _import_and_check(bench, bench.new_input("点.zip", out.getvalue()))
    assert statuses[0] in ("imported", "new_version", "unchanged")
