"""Bounded work: a data form that unpacks far past any real form is refused before a workbook
reader unpacks it (like the score sheets' cap), and package members are streamed."""

from __future__ import annotations

import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from sme_review_desktop.importing import package
from sme_review_desktop.importing.package import MAX_FORM_UNPACKED, discover, read_workbook
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.store.database import Store
from tests.importing.helpers import make_folder, make_form, new_round, zip_folder

MIB = 1024 * 1024


def _padded(form: Path, target: Path, pad: int) -> Path:
    """``form`` with one more member, ``pad`` zero bytes unpacked (a few KB packed)."""
    shutil.copy(form, target)
    with (
        zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/media/pad.bin", "w", force_zip64=True) as dst,
    ):
        chunk = b"\0" * MIB
        left = pad
        while left > 0:
            dst.write(chunk[: min(left, MIB)])
            left -= MIB
    return target


def _unpacked(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist())


def test_a_312_kb_form_unpacking_to_689_mb_is_refused(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "src" / "申报数据表.xlsx")
    folder = tmp_path / "炸弹"
    folder.mkdir()
    bomb = _padded(form, folder / "申报数据表.xlsx", 689 * MIB)
    assert bomb.stat().st_size < 1 * MIB and _unpacked(bomb) > 689 * MIB
    tracemalloc.start()
    try:
        (result,) = import_paths(store, rid, [folder], "测试")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "rejected"
    assert "申报数据表" in result.errors[0] and "解压后" in result.errors[0]
    assert "20 MB" in result.errors[0]
    assert peak < 40 * MIB  # never unpacked: the file itself and a little more


@pytest.mark.parametrize(("extra", "refused"), [(-1, False), (0, False), (1, True)])
def test_the_cap_boundary(tmp_path: Path, extra: int, refused: bool) -> None:
    form = make_form(tmp_path / "src" / "申报数据表.xlsx")
    # the pad member's size is chosen so the whole workbook unpacks to cap + extra
    probe = _padded(form, tmp_path / "probe.xlsx", 0)
    pad = MAX_FORM_UNPACKED - _unpacked(probe) + extra
    target = _padded(form, tmp_path / "申报数据表.xlsx", pad)
    assert _unpacked(target) == MAX_FORM_UNPACKED + extra
    source = package._disk_file(target, target.name)
    if refused:
        with pytest.raises(package.ImportRejected, match="解压后"):
            read_workbook(source)
    else:
        assert read_workbook(source) == target.read_bytes()


def test_a_big_evidence_workbook_is_evidence_not_refused(store: Store, tmp_path: Path) -> None:
    """A 财务报表.xlsx of 30 MB unpacked is not a form: it is streamed like any evidence."""
    rid = new_round(store)
    folder = make_folder(tmp_path / "in", "平台", n=1)
    sheet = make_form(tmp_path / "src" / "x.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(sheet)
    wb["申报数据"].title = "资产负债表"  # a workbook, but not a data form
    wb.save(tmp_path / "src" / "plain.xlsx")
    _padded(tmp_path / "src" / "plain.xlsx", folder / "05_财务报表.xlsx", 30 * MIB)
    (result,) = import_paths(store, rid, [folder], "测试")
    assert result.status == "imported", result.errors


def test_the_form_of_a_zip_is_read_bounded(tmp_path: Path) -> None:
    """Finding the form in a zip never reads a workbook member past the cap."""
    folder = make_folder(tmp_path / "in", "平台", n=1)
    form = folder / "申报数据表.xlsx"
    _padded(form, tmp_path / "bomb.xlsx", 100 * MIB)
    shutil.move(tmp_path / "bomb.xlsx", form)
    archive = zip_folder(folder, tmp_path / "平台.zip")
    (pkg,) = discover([archive])
    assert pkg.problem is not None and "解压后" in pkg.problem


def test_members_are_streamed_not_read_whole(store: Store, tmp_path: Path) -> None:
    """A 60 MB evidence member of a zip goes into the store in 1 MB chunks."""
    import os

    rid = new_round(store)
    folder = make_folder(tmp_path / "in", "平台", n=1)
    (folder / "06_视频.mp4").write_bytes(os.urandom(60 * MIB))
    archive = zip_folder(folder, tmp_path / "平台.zip")
    shutil.rmtree(folder)
    tracemalloc.start()
    try:
        (result,) = import_paths(store, rid, [archive], "测试")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "imported", result.errors
    assert peak < 20 * MIB
