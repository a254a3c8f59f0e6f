"""Each workbook of a package is parsed once: the rows read while finding the form are the ones
imported, unless the file changed in between. Parsing, not copying, was the cost per package."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlrd
from sqlalchemy import select

from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import import_package
from sme_review_desktop.models import DossierVersion
from sme_review_desktop.store.database import Store

from .helpers import figures_of, form_rows, make_folder, make_form, new_round, xls_bytes


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bytes of every workbook openpyxl or xlrd is asked to open, in order."""
    calls: list[bytes] = []
    real_openpyxl, real_xlrd = openpyxl.load_workbook, xlrd.open_workbook

    def load_workbook(source: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(source.getvalue() if isinstance(source, io.BytesIO) else source.read_bytes())
        return real_openpyxl(source, *args, **kwargs)

    def open_workbook(*args: Any, file_contents: bytes, **kwargs: Any) -> Any:
        calls.append(file_contents)
        return real_xlrd(*args, file_contents=file_contents, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)
    monkeypatch.setattr(xlrd, "open_workbook", open_workbook)
    return calls


def test_a_batch_opens_each_form_once_and_two_more_to_see_it_is_a_batch(
    store: Store, tmp_path: Path, opened: list[bytes]
) -> None:
    rid = new_round(store)
    batch = tmp_path / "批量"
    for n in range(1, 6):
        make_folder(batch, f"平台{n}", n=n)
    evidence = openpyxl.Workbook()
    evidence.active.title = "统计"  # a workbook that is evidence: no 申报数据 sheet
    evidence.save(batch / "平台5" / "附件-统计表.xlsx")
    forms = [(batch / f"平台{n}" / "申报数据表.xlsx").read_bytes() for n in range(1, 6)]

    packages = list(discover([batch]))

    # finding that the folder is a batch stops at its second form; then each form is opened
    # once, to find it and read it
    assert sorted(opened.count(form) for form in forms) == [1, 1, 1, 2, 2]
    assert opened.count((batch / "平台5" / "附件-统计表.xlsx").read_bytes()) in (1, 2)
    opened.clear()
    results = [import_package(store, rid, package, "测试") for package in packages]
    assert [r.status for r in results] == ["imported"] * 5
    assert opened == []  # importing reads the rows found while discovering


def test_an_xls_form_is_opened_once(store: Store, tmp_path: Path, opened: list[bytes]) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path, "旧表平台", n=7)
    (folder / "申报数据表.xlsx").unlink()
    (folder / "申报数据表.xls").write_bytes(xls_bytes(form_rows(n=7)))
    (package,) = discover([folder])
    opened.clear()  # deciding whether the folder is a batch is not the package's reading

    result = import_package(store, rid, package, "测试")

    assert result.status == "imported", result.errors
    assert opened == []  # read while discovering, not again


def test_a_form_changed_after_discovery_is_imported_as_it_is_then(
    store: Store, tmp_path: Path
) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path, n=3, total_assets_wan=850)
    (package,) = discover([folder])
    make_form(folder / "申报数据表.xlsx", n=3, total_assets_wan=920)  # the county's correction

    result = import_package(store, rid, package, "测试")

    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert figures_of(store, result.dossier_id)["total_assets_wan"] == "920"
    with store.read() as session:
        version = session.scalars(
            select(DossierVersion).where(DossierVersion.dossier_id == result.dossier_id)
        ).one()
        kept = hashlib.sha256((folder / "申报数据表.xlsx").read_bytes()).hexdigest()
        assert version.form_sha256 == kept  # the stored workbook is the one the figures are from


def test_a_form_of_thousands_of_rows_is_read_again_rather_than_kept(
    store: Store, tmp_path: Path, opened: list[bytes]
) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path, n=4)
    path = folder / "申报数据表.xlsx"
    wb = openpyxl.load_workbook(path)
    for i in range(2500):  # notes below the form: no field code, so nothing is read from them
        wb["申报数据"].append([None, f"备注{i}", None])
    wb.save(path)
    (package,) = discover([folder])
    opened.clear()

    result = import_package(store, rid, package, "测试")

    assert result.status == "imported", result.errors
    assert opened == [path.read_bytes()]  # not held from discovery to import
