"""Hostile packages: zips and data-form workbooks built to escape, lie or explode.

Whatever arrives is imported or refused with one Chinese message; nothing is ever written
outside the data folder (the tmp dir, its parents, the working and home folders are looked at
for the names the package tried to plant), nothing half-written stays behind.
"""

from __future__ import annotations

import io
import os
import secrets
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importing.helpers import (
    LIAOCHENG,
    evidence_bytes,
    is_chinese,
    make_folder,
    make_form,
    new_round,
    snapshot,
    staging_leftovers,
    zip_folder,
)
from sqlalchemy import select

from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import import_package
from sme_review_desktop.models import EvidenceFile
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


class Bench:
    """One store and round for a module's examples, with the seeds they damage."""

    def __init__(
        self, base: Path, store: Store, round_id: int, form: bytes, package: bytes
    ) -> None:
        self.base, self.store, self.round_id = base, store, round_id
        self.form = form  # a valid data form (xlsx)
        self.package = package  # a valid zip package
        self.counter = 0

    def __repr__(self) -> str:  # not a dataclass: hypothesis would print the seeds' bytes
        return "bench"

    def new_input(self, name: str, data: bytes) -> Path:
        self.counter += 1
        folder = self.base / "in" / str(self.counter % 4)  # a few places, reused
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        path = folder / name
        path.write_bytes(data)
        return path


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    base = tmp_path_factory.mktemp("hostile-packages")
    store = open_store(base / "data")
    seeds = base / "seeds"
    form = make_form(seeds / "申报数据表.xlsx", LIAOCHENG, 31).read_bytes()
    files = {"01_推荐表.pdf": evidence_bytes("推荐") * 20, "（六）活动/现场.png": bytes(range(256))}
    folder = make_folder(seeds / "pkg", "种子平台", n=32, files=files)
    package = zip_folder(folder, seeds / "种子.zip").read_bytes()
    try:
        yield Bench(base, store, new_round(store), form, package)
    finally:
        store.close()


def _around(bench: Bench) -> set[str]:
    """What lies in and beside the bench (this test session's own folder: nobody else writes
    there). Farther out, other programs write all the time: there only planted names count."""
    return listing(bench.base.parent, bench.base)


def _import(bench: Bench, path: Path, tags: tuple[str, ...] = ()) -> list[str]:
    """Import ``path`` and check what must hold for any input; returns the statuses."""
    around = _around(bench)
    inputs = {p: p.read_bytes() for p in path.parent.iterdir()}
    data_files = tree(bench.base / "data", skip=("evidence",)) - {"evidence"}
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
    if set(statuses) <= {"rejected", "unchanged"}:  # unchanged: nothing written either
        assert snapshot(bench.store) == before
    assert staging_leftovers(bench.store) == []
    assert _around(bench) == around
    assert {p: p.read_bytes() for p in path.parent.iterdir()} == inputs  # input read, not changed
    assert tree(bench.base / "data", skip=("evidence",)) - {"evidence"} == data_files
    for p in (bench.base / "data" / "evidence").rglob("*"):  # only ever evidence/<2 hex>/<sha256>
        if p.is_file():
            rel = p.relative_to(bench.base / "data" / "evidence").parts
            assert len(rel) == 2 and rel[1].startswith(rel[0]) and len(rel[1]) == 64, rel
    for tag in tags:  # a planted name turns up nowhere
        assert not list(bench.base.rglob(f"*{tag}*")), tag
        for root in (*bench.base.parents, Path.cwd(), Path.home()):
            assert not any(tag in name for name in os.listdir(root)), root
    with bench.store.read() as session:  # what is recorded stays inside its package
        for rel in session.scalars(select(EvidenceFile.rel_path)):
            parts = PurePosixPath(rel).parts
            assert ".." not in parts and not rel.startswith(("/", "\\")) and ":" not in parts[0]
    return statuses


# ── members built to escape ───────────────────────────────────────────────────

ESCAPES = [
    "../../{tag}", "../{tag}.pdf", "/tmp/{tag}", "/{tag}", "C:/{tag}", "C:{tag}", "c:\\{tag}",
    "..\\..\\{tag}", "平台/../../{tag}", "平台/..\\..\\{tag}", "\\\\server\\share\\{tag}",
    "./../{tag}", "平台/./../../../{tag}",
]  # fmt: skip
PLAIN = ["平台/03_执照.pdf", "平台/06/照片.png", "平台/其他/{tag}.txt", "平台/CON", "平台/aux.pdf",
         "平台/" + "长" * 120 + ".pdf", "平台/a\tb.pdf", "平台/{tag}\u202egpj.exe"]  # fmt: skip


@st.composite
def hostile_member(draw: st.DrawFn, tag: str) -> tuple[str, str, bytes, int]:
    """(name, kind, body, declared size or -1): an escape, a symlink, a lie about its size."""
    name = draw(st.sampled_from(ESCAPES + PLAIN)).format(tag=tag)
    kind = draw(st.sampled_from(["file", "file", "symlink", "dir-with-data", "lying-size"]))
    body = draw(st.sampled_from([b"", b"%PDF-1.4\n", b"../../etc/passwd", b"/etc/passwd"]))
    body += draw(st.binary(max_size=32))
    size = (
        draw(st.sampled_from([2**32 - 1, 2**31, 1024**3 + 1, 0, 1])) if kind == "lying-size" else -1
    )
    return name, kind, body, size


def _zip_with(form: bytes, members: list[tuple[str, str, bytes, int]]) -> tuple[bytes, bool]:
    """A package with the form and ``members``; also whether one of them must be refused."""
    out = io.BytesIO()
    must_refuse = False
    lies = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("平台/申报数据表.xlsx", form)
        for name, kind, body, size in members:
            info = zipfile.ZipInfo(name + ("/" if kind == "dir-with-data" else ""))
            info.compress_type = zipfile.ZIP_DEFLATED
            if kind == "symlink":
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                must_refuse = True
            real = name.replace("\\", "/")
            parts = PurePosixPath(real).parts
            if real.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                must_refuse = True
            zf.writestr(info, body)
            if size >= 0 and size != len(body):
                lies.append((info.filename, size))
    data = out.getvalue()
    for member, size in lies:
        data = set_declared_size(data, member, size)
        must_refuse = must_refuse or size > 1024**3  # over the 1 GB a file may have
    return data, must_refuse


@hostile(examples=120)
@given(data=st.data())
def test_members_that_escape_link_or_lie(bench: Bench, data: st.DataObject) -> None:
    tag = f"slip{secrets.token_hex(4)}"
    members = data.draw(st.lists(hostile_member(tag), min_size=1, max_size=4))
    package, must_refuse = _zip_with(bench.form, members)
    statuses = _import(bench, bench.new_input("恶意.zip", package), tags=(tag,))
    if must_refuse:
        assert statuses == ["rejected"], members


# ── damaged zip headers and bytes ─────────────────────────────────────────────


@hostile(examples=200)
@given(data=st.data())
def test_zip_package_with_damaged_headers(bench: Bench, data: st.DataObject) -> None:
    _import(bench, bench.new_input("损坏.zip", data.draw(zip_header_mutated(bench.package))))


@hostile(examples=100)
@given(data=st.data())
def test_zip_package_with_damaged_bytes(bench: Bench, data: st.DataObject) -> None:
    _import(bench, bench.new_input("损坏.zip", data.draw(mutated(bench.package))))


# ── the data form's own zip (xlsx) damaged or planted with escapes ────────────


@hostile(examples=150)
@given(data=st.data())
def test_data_form_with_damaged_headers(bench: Bench, data: st.DataObject) -> None:
    form = data.draw(zip_header_mutated(bench.form))
    _import(bench, bench.new_input("申报数据表.xlsx", form))


@hostile(examples=60)
@given(
    escapes=st.lists(st.sampled_from(ESCAPES), min_size=1, max_size=3),
    symlink=st.booleans(),
    overwrite=st.sampled_from([None, "xl/workbook.xml", "[Content_Types].xml"]),
)
def test_data_form_with_planted_members(
    bench: Bench, escapes: list[str], symlink: bool, overwrite: str | None
) -> None:
    """openpyxl reads an xlsx's parts by name and unpacks nothing: planted members go nowhere,
    and a second member under a part's name (zip allows duplicates) is a damaged form at worst."""
    tag = f"slip{secrets.token_hex(4)}"
    out = io.BytesIO(bench.form)
    with zipfile.ZipFile(out, "a") as zf:
        for name in escapes:
            info = zipfile.ZipInfo(name.format(tag=tag))
            if symlink:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, b"<x/>")
        if overwrite:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Duplicate name": exactly the point
                zf.writestr(overwrite, b"<broken")
    _import(bench, bench.new_input("申报数据表.xlsx", out.getvalue()), tags=(tag,))


@hostile(examples=100)
@given(data=st.data())
def test_data_form_with_damaged_parts(bench: Bench, data: st.DataObject) -> None:
    parts = zip_parts(bench.form)
    part = data.draw(st.sampled_from(sorted(parts)))
    parts[part] = data.draw(mutated(parts[part]))
    _import(bench, bench.new_input("申报数据表.xlsx", rezip(parts)))


# ── links on disk, and size lies caught while reading ────────────────────────


@pytest.mark.parametrize("target", ["file-outside", "folder-outside", "dangling", "inside"])
def test_folder_package_with_a_link_is_refused(bench: Bench, tmp_path: Path, target: str) -> None:
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks here")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"not for the bureau")
    folder = make_folder(tmp_path / "in", "链接平台", n=40)
    link = folder / "03_执照.pdf"
    source = {
        "file-outside": outside / "secret.txt",
        "folder-outside": outside,
        "dangling": tmp_path / "nowhere",
        "inside": folder / "01_推荐表.pdf",
    }[target]
    link.symlink_to(source)
    before = snapshot(bench.store)
    [package] = discover([folder])
    result = import_package(bench.store, bench.round_id, package, "测试")
    assert result.status == "rejected" and "链接" in result.errors[0]
    assert snapshot(bench.store) == before
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_member_longer_than_it_declares_is_refused(bench: Bench) -> None:
    """A header that claims 16 bytes over 2 MB of data: reading stops at the claim."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("平台/申报数据表.xlsx", bench.form)
        zf.writestr("平台/01_推荐表.pdf", b"%PDF-1.4\n" + b"0" * 2 * 1024**2)
    data = set_declared_size(out.getvalue(), "平台/01_推荐表.pdf", 16)
    statuses = _import(bench, bench.new_input("撒谎.zip", data))
    assert statuses == ["rejected"]
