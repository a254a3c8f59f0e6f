"""The package shapes of dossier-format.md ("Accepted shapes") and every rejection it names.

Each rejection must come back as a Chinese message naming the package, and leave nothing behind:
no rows, no evidence files, no staging folder.
"""

from __future__ import annotations

import os
import stat
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sme_review_desktop.importing.limits import ImportLimits
from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import ImportResult, import_paths
from sme_review_desktop.review.evaluation import evaluate_round
from sme_review_desktop.store.database import Store

from .helpers import (
    LIAOCHENG,
    XIAN,
    add_member,
    code,
    evidence_bytes,
    evidence_of,
    figures_of,
    form_rows,
    is_chinese,
    make_folder,
    make_form,
    new_round,
    snapshot,
    staging_leftovers,
    xls_bytes,
    zip_folder,
)


def run(
    store: Store, rid: int, *paths: Path, limits: ImportLimits | None = None
) -> list[ImportResult]:
    return list(import_paths(store, rid, list(paths), "测试", limits=limits))


def only(results: list[ImportResult]) -> ImportResult:
    assert len(results) == 1, [r.as_json() for r in results]
    return results[0]


# ── accepted shapes ────────────────────────────────────────────────────────────


def test_folder_with_form_and_numbered_evidence(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path / "in")
    result = only(run(store, rid, folder))
    assert result.status == "imported", result.errors
    assert result.uscc == code(LIAOCHENG, 1)
    assert result.version == 1 and result.dossier_id is not None
    files = evidence_of(store, result.dossier_id)
    assert {k: v[0] for k, v in files.items()} == {
        "01_推荐表.pdf": 1,
        "03_营业执照副本.pdf": 3,
        "06-活动照片/培训现场.png": 6,
        "说明.txt": None,  # 其他材料, kept and shown
    }
    # the data form itself is not evidence
    assert not any(p.endswith(".xlsx") for p in files)
    assert figures_of(store, result.dossier_id)["total_assets_wan"] == "850"


def test_sample_shaped_liaocheng_folder_of_a_public_institution(
    store: Store, tmp_path: Path
) -> None:
    """Like samples/聊城-运河科创服务平台: a 事业单位 (code kind 12), every material 01_…14_."""
    rid = new_round(store)
    files = {f"{n:02d}_材料{n}.pdf": evidence_bytes(f"s{n}") for n in range(1, 15)}
    files["06-活动照片/培训现场.png"] = b"\x89PNG\r\n\x1a\nplaceholder"
    folder = make_folder(
        tmp_path / "in",
        "聊城-运河科创服务平台",
        files=files,
        uscc=code(LIAOCHENG, 31, kind="12"),
        legal_form="事业单位",
        total_assets_wan=Decimal("168.5"),
    )
    result = only(run(store, rid, folder))
    assert result.status == "imported", result.errors
    assert result.warnings == []  # 12 … is a 事业单位: no contradiction
    assert result.dossier_id is not None
    numbers = {v[0] for v in evidence_of(store, result.dossier_id).values()}
    assert numbers == set(range(1, 15))
    (ev,) = evaluate_round(store, rid)
    assert ev.as_json()["missing_materials"] == []


@pytest.mark.parametrize("wrap", [True, False])
def test_utf8_zip_wrapped_in_one_folder_or_not(store: Store, tmp_path: Path, wrap: bool) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path / "src")
    z = zip_folder(folder, tmp_path / "聊城-测试平台.zip", wrap=wrap)
    with zipfile.ZipFile(z) as zf:
        assert all(i.flag_bits & 0x800 for i in zf.infolist())
    result = only(run(store, rid, z))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert set(evidence_of(store, result.dossier_id)) == {
        "01_推荐表.pdf",
        "03_营业执照副本.pdf",
        "06-活动照片/培训现场.png",
        "说明.txt",
    }


def test_gbk_zip_without_utf8_flag_gives_chinese_names(store: Store, tmp_path: Path) -> None:
    """Like samples/西安-高新融资服务平台.zip: Windows' zip, GBK names, materials （一）."""
    rid = new_round(store, XIAN)
    files = {
        "（一）申请报告.pdf": evidence_bytes("x1"),
        "（二）营业执照副本.pdf": evidence_bytes("x2"),
        "（六）活动照片/培训现场.png": evidence_bytes("x6"),
        "（七）真实性声明.pdf": evidence_bytes("x7"),
        "附件 说明.pdf": evidence_bytes("x-other"),
    }
    folder = make_folder(tmp_path / "src", "西安-高新融资服务平台", XIAN, files=files)
    z = zip_folder(folder, tmp_path / "西安-高新融资服务平台.zip", encoding="gbk")
    with zipfile.ZipFile(z) as zf:
        infos = zf.infolist()
        assert not any(i.flag_bits & 0x800 for i in infos)
        # as a reader without the GBK rule sees them: cp437 mojibake, no Chinese
        assert not any(is_chinese(i.filename) for i in infos)
    result = only(run(store, rid, z))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    stored = evidence_of(store, result.dossier_id)
    assert {k: v[0] for k, v in stored.items()} == {
        "（一）申请报告.pdf": 1,
        "（二）营业执照副本.pdf": 2,
        "（六）活动照片/培训现场.png": 6,
        "（七）真实性声明.pdf": 7,
        "附件 说明.pdf": None,
    }
    # the same bytes as the files the county zipped
    from sme_review_desktop.store.evidence import EvidenceStore

    es = EvidenceStore(store.evidence_dir)
    for rel, (_, sha) in stored.items():
        assert es.open_verified(sha) == files[rel]


def test_gbk_zip_with_a_form_named_in_chinese_only(store: Store, tmp_path: Path) -> None:
    """A GBK zip holding nothing but 申报数据表.xlsx is found as the form, not as evidence."""
    rid = new_round(store, XIAN)
    form = make_form(tmp_path / "src" / "申报数据表.xlsx", XIAN)
    z = tmp_path / "仅数据表.zip"
    with zipfile.ZipFile(z, "w") as zf:
        add_member(zf, "高陵中小企业服务平台/申报数据表.xlsx", form.read_bytes(), encoding="gbk")
    result = only(run(store, rid, z))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert evidence_of(store, result.dossier_id) == {}


def test_mixed_utf8_and_gbk_members(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "f.xlsx")
    z = tmp_path / "混合.zip"
    with zipfile.ZipFile(z, "w") as zf:
        add_member(zf, "平台/申报数据表.xlsx", form.read_bytes())
        add_member(zf, "平台/03_营业执照.pdf", evidence_bytes("u"))  # UTF-8, flag bit 11
        add_member(zf, "平台/04_审计报告.pdf", evidence_bytes("g"), encoding="gbk")
    result = only(run(store, rid, z))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert {k: v[0] for k, v in evidence_of(store, result.dossier_id).items()} == {
        "03_营业执照.pdf": 3,
        "04_审计报告.pdf": 4,
    }


def test_utf8_names_without_the_flag_as_macos_writes_them(store: Store, tmp_path: Path) -> None:
    """macOS Archive Utility writes UTF-8 names without flag bit 11: not GBK, not mojibake."""
    rid = new_round(store)
    form = make_form(tmp_path / "f.xlsx")
    z = tmp_path / "苹果电脑压缩.zip"
    with zipfile.ZipFile(z, "w") as zf:
        add_member(zf, "东昌府平台/申报数据表.xlsx", form.read_bytes(), encoding="utf-8")
        add_member(zf, "东昌府平台/03_营业执照副本.pdf", evidence_bytes("m"), encoding="utf-8")
        add_member(zf, "东昌府平台/（十三）真实性声明.pdf", evidence_bytes("n"), encoding="utf-8")
    with zipfile.ZipFile(z) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
    result = only(run(store, rid, z))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert {k: v[0] for k, v in evidence_of(store, result.dossier_id).items()} == {
        "03_营业执照副本.pdf": 3,
        "（十三）真实性声明.pdf": 13,
    }


def test_bare_xlsx_form_lists_every_material_missing(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "运河平台申报数据表.xlsx")
    result = only(run(store, rid, form))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert evidence_of(store, result.dossier_id) == {}
    (ev,) = evaluate_round(store, rid)
    assert ev.as_json()["missing_materials"] == list(range(1, 15))


def test_bare_xls_form_with_excel_dates_numbers_and_percent_cells(
    store: Store, tmp_path: Path
) -> None:
    rid = new_round(store)
    rows = form_rows(LIAOCHENG, 2, satisfaction_pct="93.5%", established_on=date(2018, 5, 10))
    path = tmp_path / "旧版申报数据表.xls"
    path.write_bytes(xls_bytes(rows))
    result = only(run(store, rid, path))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    figures = figures_of(store, result.dossier_id)
    assert figures["established_on"] == "2018-05-10"
    assert figures["total_assets_wan"] == "850"
    assert figures["satisfaction_pct"] == "93.5"
    assert figures["func_info"] == "1"
    assert figures["uscc"] == code(LIAOCHENG, 2)


def test_xls_percent_formatted_cell_is_read_as_shown(store: Store, tmp_path: Path) -> None:
    """A cell Excel shows as 86% (0.86 with a percent format) is 86."""
    xlwt = pytest.importorskip("xlwt")
    import io

    from sme_review_desktop.importing.form import read_form

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("申报数据")
    ws.write(0, 0, "字段代码")
    pct = xlwt.easyxf(num_format_str="0%")
    for r, (key, value) in enumerate(form_rows(LIAOCHENG, 3), start=1):
        ws.write(r, 0, key)
        if key == "satisfaction_pct":
            ws.write(r, 2, 0.86, pct)
        elif isinstance(value, bool):
            ws.write(r, 2, "是" if value else "否")
        elif isinstance(value, Decimal):
            ws.write(r, 2, float(value))
        elif isinstance(value, date):
            ws.write(r, 2, value.isoformat())
        elif value is not None:
            ws.write(r, 2, value)
    buf = io.BytesIO()
    wb.save(buf)
    form = read_form(buf.getvalue(), "x.xls")
    assert form.values["satisfaction_pct"] == Decimal("86")


def test_xls_form_inside_a_folder(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = tmp_path / "旧版文件夹"
    folder.mkdir()
    (folder / "申报数据表.xls").write_bytes(xls_bytes(form_rows(LIAOCHENG, 4)))
    (folder / "02_申请报告.pdf").write_bytes(evidence_bytes("xls-02"))
    result = only(run(store, rid, folder))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert {k: v[0] for k, v in evidence_of(store, result.dossier_id).items()} == {
        "02_申请报告.pdf": 2
    }


def test_other_workbooks_and_system_litter(store: Store, tmp_path: Path) -> None:
    """A workbook without 申报数据 is evidence; __MACOSX, .DS_Store, Thumbs.db, ~$ are not."""
    from openpyxl import Workbook

    rid = new_round(store)
    folder = make_folder(tmp_path / "in", files={"04_审计报告.pdf": evidence_bytes("a")})
    wb = Workbook()
    assert wb.active is not None
    wb.active.title = "服务台账"
    wb.save(folder / "06_服务企业名单.xlsx")
    (folder / "__MACOSX").mkdir()
    (folder / "__MACOSX" / "._04_审计报告.pdf").write_bytes(b"junk")
    (folder / ".DS_Store").write_bytes(b"junk")
    (folder / "Thumbs.db").write_bytes(b"junk")
    (folder / "~$申报数据表.xlsx").write_bytes(b"lock file")
    result = only(run(store, rid, folder))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert {k: v[0] for k, v in evidence_of(store, result.dossier_id).items()} == {
        "04_审计报告.pdf": 4,
        "06_服务企业名单.xlsx": 6,
        "~$申报数据表.xlsx": None,  # not a form, but a file the county sent: kept
    }


def test_unknown_keys_are_kept_and_other_sheets_ignored(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from sme_review_desktop.models import DossierVersion

    rid = new_round(store)
    form = make_form(tmp_path / "f.xlsx")
    wb = load_workbook(form)
    ws = wb["申报数据"]
    ws.protection.sheet = False
    ws.append(["bank_account", "开户银行", "工商银行聊城分行"])
    ws.append(["empty_extra", "空的未知字段", None])
    wb.create_sheet("附表").append(["随便写的", 1, 2])
    wb.save(form)
    result = only(run(store, rid, form))
    assert result.status == "imported", result.errors
    with store.read() as session:
        version = session.query(DossierVersion).one()
        assert version.unknown_fields == {"bank_account": "工商银行聊城分行"}


def test_rows_in_any_order_and_label_column_ignored(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    rid = new_round(store)
    rows = list(reversed(form_rows(LIAOCHENG, 5)))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "申报数据"
    ws.append(["字段代码", "项目", "填报值"])
    for key, value in rows:
        cell = ("是" if value else "否") if isinstance(value, bool) else value
        if isinstance(cell, Decimal):
            cell = float(cell)
        ws.append([key, "标签被人改过", cell])
    path = tmp_path / "乱序.xlsx"
    wb.save(path)
    result = only(run(store, rid, path))
    assert result.status == "imported", result.errors
    assert result.uscc == code(LIAOCHENG, 5)


# ── batches ────────────────────────────────────────────────────────────────────


def test_batch_of_every_shape_one_bad_child_does_not_block(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    batch = tmp_path / "东昌府区报送"
    make_folder(batch, "甲平台", n=11)
    zip_folder(make_folder(tmp_path / "src", "乙平台", n=12), batch / "乙平台.zip")
    zip_folder(make_folder(tmp_path / "src", "丙平台", n=13), batch / "丙平台.zip", encoding="gbk")
    make_form(batch / "丁平台.xlsx", n=14)
    (batch / "戊平台.xls").write_bytes(xls_bytes(form_rows(LIAOCHENG, 15)))
    make_folder(batch, "己平台-错误", n=16, uscc="91371502MA3C00160X")
    make_folder(batch, "甲平台补正", n=11, total_assets_wan=Decimal("900"))
    results = run(store, rid, batch)
    by_name = {Path(r.path).name: r for r in results}
    assert len(results) == 7, [r.as_json() for r in results]
    assert by_name["己平台-错误"].status == "rejected"
    assert "统一社会信用代码" in by_name["己平台-错误"].errors[0]
    statuses = sorted(r.status for r in results)
    assert statuses == ["imported"] * 5 + ["new_version", "rejected"]
    assert by_name["甲平台补正"].status == "new_version"  # sorted after 甲平台
    assert by_name["甲平台补正"].version == 2
    assert len(evaluate_round(store, rid)) == 5


def test_folder_of_bare_forms_is_a_batch(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    batch = tmp_path / "数据表汇总"
    for n in (21, 22, 23):
        make_form(batch / f"平台{n}.xlsx", n=n)
    results = run(store, rid, batch)
    assert [r.status for r in results] == ["imported"] * 3
    assert {r.uscc for r in results} == {code(LIAOCHENG, n) for n in (21, 22, 23)}


def test_two_forms_beside_evidence_is_rejected(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    batch = tmp_path / "混在一起"
    make_form(batch / "甲.xlsx", n=24)
    make_form(batch / "乙.xlsx", n=25)
    (batch / "03_营业执照.pdf").write_bytes(evidence_bytes("whose"))
    before = snapshot(store)
    result = only(run(store, rid, batch))
    assert result.status == "rejected"
    assert "无法判断这些文件属于哪一家" in result.errors[0]
    assert "混在一起" in result.errors[0]
    assert snapshot(store) == before


def test_batch_loose_file_is_reported_not_imported(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    batch = tmp_path / "批量"
    make_folder(batch, "甲", n=26)
    make_folder(batch, "乙", n=27)
    (batch / "说明.docx").write_bytes(b"note")
    results = run(store, rid, batch)
    statuses = {Path(r.path).name: r.status for r in results}
    assert statuses == {"甲": "imported", "乙": "imported", "说明.docx": "rejected"}


def test_several_paths_at_once(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    a = make_form(tmp_path / "a.xlsx", n=28)
    b = make_folder(tmp_path, "b", n=29)
    assert [r.status for r in run(store, rid, a, b)] == ["imported", "imported"]


# ── rejections: a Chinese message naming the package, and nothing left behind ──


def assert_rejected_cleanly(
    store: Store,
    rid: int,
    path: Path,
    *needles: str,
    limits: ImportLimits | None = None,
) -> ImportResult:
    before = snapshot(store)
    results = run(store, rid, path, limits=limits)
    result = only(results)
    assert result.status == "rejected", result.as_json()
    assert len(result.errors) == 1
    message = result.errors[0]
    assert is_chinese(message), message
    assert "Traceback" not in message
    for needle in needles:
        assert needle in message, message
    assert snapshot(store) == before
    assert staging_leftovers(store) == []
    return result


def _zip_with(tmp_path: Path, name: str, *members: tuple[str, bytes], **kw: Any) -> Path:
    form = make_form(tmp_path / "src" / "f.xlsx")
    z = tmp_path / name
    with zipfile.ZipFile(z, "w") as zf:
        add_member(zf, "平台/申报数据表.xlsx", form.read_bytes())
        for member, data in members:
            add_member(zf, member, data, **kw)
    return z


def test_no_data_form(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = tmp_path / "只有材料"
    folder.mkdir()
    (folder / "01_推荐表.pdf").write_bytes(evidence_bytes("n"))
    assert_rejected_cleanly(store, rid, folder, "只有材料", "没有申报数据表")


def test_two_data_forms_in_one_package(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path, "两份表", n=30)
    make_form(folder / "09_其他" / "申报数据表(旧).xlsx", n=30)
    assert_rejected_cleanly(store, rid, folder, "两份表", "2份申报数据表", "09_其他")


def test_two_data_forms_in_one_zip(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    other = make_form(tmp_path / "src" / "g.xlsx", n=32)
    z = _zip_with(tmp_path, "两份表.zip", ("平台/副本.xlsx", other.read_bytes()))
    assert_rejected_cleanly(store, rid, z, "两份表.zip", "2份申报数据表")


@pytest.mark.parametrize("name", ["空文件夹", "空.zip"])
def test_empty_package(store: Store, tmp_path: Path, name: str) -> None:
    rid = new_round(store)
    path = tmp_path / name
    if name.endswith(".zip"):
        zipfile.ZipFile(path, "w").close()
    else:
        path.mkdir()
    assert_rejected_cleanly(store, rid, path, name, "没有申报数据表")


def test_empty_workbook_file(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    path = tmp_path / "空的申报数据表.xlsx"
    path.write_bytes(b"")
    assert_rejected_cleanly(store, rid, path, "空的申报数据表.xlsx", "无法读取")


def test_not_a_package_and_missing_path(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    pdf = tmp_path / "推荐表.pdf"
    pdf.write_bytes(evidence_bytes("p"))
    assert_rejected_cleanly(store, rid, pdf, "推荐表.pdf", "不是申报材料")
    assert_rejected_cleanly(store, rid, tmp_path / "不存在", "找不到")


def test_missing_sheet(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    rid = new_round(store)
    folder = make_folder(tmp_path, "缺工作表", n=33)
    wb = Workbook()
    assert wb.active is not None
    wb.active.title = "Sheet1"
    wb.active.append(["uscc", "统一社会信用代码", code(LIAOCHENG, 33)])
    wb.save(folder / "申报数据表.xlsx")
    assert_rejected_cleanly(store, rid, folder, "缺工作表", "申报数据表.xlsx", "“申报数据”的工作表")
    bare = tmp_path / "bare.xlsx"
    wb.save(bare)
    assert_rejected_cleanly(store, rid, bare, "bare.xlsx", "“申报数据”的工作表")


def test_missing_sheet_in_xls(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    path = tmp_path / "申报数据表.xls"
    path.write_bytes(xls_bytes(form_rows(LIAOCHENG, 34), sheet="Sheet1"))
    assert_rejected_cleanly(store, rid, path, "申报数据表.xls", "“申报数据”的工作表")


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("platform_name", "平台名称"),
        ("operator_name", "运营单位名称"),
        ("uscc", "统一社会信用代码"),
    ],
)
def test_missing_required_field(store: Store, tmp_path: Path, key: str, label: str) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "缺必填.xlsx", n=35, **{key: None})
    assert_rejected_cleanly(store, rid, form, "缺必填.xlsx", "缺少必填字段", label, key)


def test_missing_required_row_entirely(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    path = tmp_path / "缺行.xls"
    rows = [(k, v) for k, v in form_rows(LIAOCHENG, 36) if k != "operator_name"]
    path.write_bytes(xls_bytes(rows))
    assert_rejected_cleanly(store, rid, path, "缺行.xls", "运营单位名称")


@pytest.mark.parametrize(
    ("uscc", "needle"),
    [
        ("91371502MA3C00370X", "第18位校验码"),
        ("91371502MA3C0037", "长度为16位"),
        ("91371502MA3C0037XYZ", "长度为19位"),
        ("91371502MA3C00V7XX", "V"),
        ("91371502MA3C0O37XX", "O应为0"),
    ],
)
def test_invalid_uscc(store: Store, tmp_path: Path, uscc: str, needle: str) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "错码.xlsx", n=37, uscc=uscc)
    assert_rejected_cleanly(store, rid, form, "错码.xlsx", "统一社会信用代码", needle)


def test_uscc_17th_character_only_warns(store: Store, tmp_path: Path) -> None:
    from sme_review_desktop.rules.uscc import make_valid

    rid = new_round(store)
    good = code(LIAOCHENG, 38)
    odd = make_valid(good[:16] + ("1" if good[16] != "1" else "2"))
    form = make_form(tmp_path / "早期代码.xlsx", n=38, uscc=odd)
    result = only(run(store, rid, form))
    assert result.status == "imported", result.errors
    assert any("第17位" in w for w in result.warnings)


def test_uscc_typed_loosely_is_normalised(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    good = code(LIAOCHENG, 39)
    loose = " " + good.lower()[:9] + " " + good.lower()[9:] + "\u200b"
    form = make_form(tmp_path / "宽松.xlsx", n=39, uscc=loose)
    result = only(run(store, rid, form))
    assert result.status == "imported", result.errors
    assert result.uscc == good


def test_duplicate_key(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    path = tmp_path / "重复.xls"
    rows = form_rows(LIAOCHENG, 40)
    rows.append(("total_assets_wan", Decimal("900")))
    path.write_bytes(xls_bytes(rows))
    assert_rejected_cleanly(store, rid, path, "重复.xls", "total_assets_wan", "出现两次")


@pytest.mark.parametrize(
    ("key", "value", "needles"),
    [
        ("total_assets_wan", "350人", ("资产总额", "350人")),
        ("established_on", "abc", ("成立日期", "abc")),
        ("func_info", "也许", ("信息服务",)),
        ("legal_form", "股份公司", ("单位性质",)),
        ("satisfaction_pct", "很满意", ("用户满意度",)),
    ],
)
def test_value_of_the_wrong_type(
    store: Store, tmp_path: Path, key: str, value: str, needles: tuple[str, ...]
) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path, "值错误", n=41, **{key: value})
    assert_rejected_cleanly(store, rid, folder, "值错误", "申报数据表.xlsx", "第", *needles)


def test_value_a_reviewer_can_read_but_fails_a_condition_is_imported(
    store: Store, tmp_path: Path
) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "不达标.xlsx", n=42, total_assets_wan="1,999,900元")
    result = only(run(store, rid, form))
    assert result.status == "imported", result.errors
    (ev,) = evaluate_round(store, rid)
    item = next(i for i in ev.as_json()["items"] if (i["article"], i["item"]) == (7, 1))  # type: ignore[attr-defined]
    assert item["verdict"] == "unmet"
    assert any("199.99万元" in r for r in item["reasons"])


@pytest.mark.parametrize("name", ["申报数据表.xlsx", "申报数据表.xls"])
def test_unreadable_workbook_in_a_folder(store: Store, tmp_path: Path, name: str) -> None:
    rid = new_round(store)
    folder = tmp_path / "坏表"
    folder.mkdir()
    (folder / name).write_bytes(b"PK\x03\x04 this is not really a workbook" * 10)
    (folder / "01_推荐表.pdf").write_bytes(evidence_bytes("bad"))
    assert_rejected_cleanly(store, rid, folder, "坏表", name, "无法读取")


def test_encrypted_xls(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = tmp_path / "加密表"
    folder.mkdir()
    (folder / "申报数据表.xls").write_bytes(xls_bytes(form_rows(LIAOCHENG, 43), encrypted=True))
    (folder / "01_推荐表.pdf").write_bytes(evidence_bytes("enc"))
    assert_rejected_cleanly(store, rid, folder, "加密表", "已加密")
    bare = tmp_path / "加密.xls"
    bare.write_bytes(xls_bytes(form_rows(LIAOCHENG, 43), encrypted=True))
    assert_rejected_cleanly(store, rid, bare, "加密.xls", "已加密")


def test_encrypted_xlsx(store: Store, tmp_path: Path) -> None:
    """Excel saves a password-protected .xlsx as an OLE compound file, not a zip."""
    rid = new_round(store)
    path = tmp_path / "加密申报数据表.xlsx"
    ole = xls_bytes(form_rows(LIAOCHENG, 44), encrypted=True)
    assert ole[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    path.write_bytes(ole)
    assert_rejected_cleanly(store, rid, path, "加密申报数据表.xlsx", "已加密")


@pytest.mark.parametrize(
    "member",
    ["../x.pdf", "平台/../../x.pdf", "/etc/x.pdf", "C:/x.pdf", "..\\x.pdf", "平台\\..\\..\\x.pdf"],
)
def test_zip_writing_outside_its_folder(store: Store, tmp_path: Path, member: str) -> None:
    rid = new_round(store)
    z = _zip_with(tmp_path, "越界.zip", (member, b"evil"))
    assert_rejected_cleanly(store, rid, z, "越界.zip", "解压到压缩包目录之外")
    assert not (tmp_path / "x.pdf").exists()


def test_zip_writing_outside_with_a_gbk_name(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    z = _zip_with(tmp_path, "越界.zip", ("../（一）申请报告.pdf", b"evil"), encoding="gbk")
    assert_rejected_cleanly(store, rid, z, "越界.zip")


def test_zip_with_a_link(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    z = _zip_with(
        tmp_path, "链接.zip", ("平台/03_营业执照.pdf", b"/etc/passwd"), mode=stat.S_IFLNK | 0o777
    )
    assert_rejected_cleanly(store, rid, z, "链接.zip", "链接")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_folder_with_a_link(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path, "含链接", n=45)
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    os.symlink(secret, folder / "03_营业执照.pdf")
    assert_rejected_cleanly(store, rid, folder, "含链接", "链接")


def test_encrypted_zip(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    z = _zip_with(tmp_path, "加密.zip", ("平台/03_营业执照.pdf", b"secret"), extra_flags=0x1)
    assert_rejected_cleanly(store, rid, z, "加密.zip", "已加密")


def test_corrupt_zip(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    z = tmp_path / "损坏.zip"
    z.write_bytes(b"PK\x05\x06 definitely not a zip")
    assert_rejected_cleanly(store, rid, z, "损坏.zip", "无法打开")


def test_zip_member_with_bad_crc_is_rejected_whole(store: Store, tmp_path: Path) -> None:
    """Damage inside one evidence member shows only when it is read: still a clean rejection."""
    rid = new_round(store)
    payload = b"%PDF-1.4 " + bytes(range(256)) * 64
    z = _zip_with(tmp_path, "坏成员.zip", ("平台/03_营业执照.pdf", payload))
    data = bytearray(z.read_bytes())
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo("平台/03_营业执照.pdf")
    crc = info.CRC.to_bytes(4, "little")
    assert data.count(crc) == 2  # local header and central directory
    data = data.replace(crc, bytes(b ^ 0xFF for b in crc))
    z.write_bytes(bytes(data))
    assert_rejected_cleanly(store, rid, z, "坏成员.zip")


def test_zip_member_larger_than_declared(store: Store, tmp_path: Path) -> None:
    """A header that lies about the size cannot smuggle more bytes past the limits."""
    rid = new_round(store)
    payload = b"A" * 100_000
    z = _zip_with(tmp_path, "谎报.zip", ("平台/03_营业执照.pdf", payload))
    data = bytearray(z.read_bytes())
    size = len(payload).to_bytes(4, "little")
    assert data.count(size) == 2  # local header and central directory
    data = data.replace(size, (10).to_bytes(4, "little"))
    z.write_bytes(bytes(data))
    assert_rejected_cleanly(store, rid, z, "谎报.zip")


def test_too_many_files(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    files = {f"{n:02d}_材料.pdf": evidence_bytes(f"many{n}") for n in range(1, 6)}
    folder = make_folder(tmp_path, "文件太多", n=46, files=files)
    limits = ImportLimits(max_files=4)
    assert_rejected_cleanly(store, rid, folder, "文件太多", "超过4个", limits=limits)
    z = zip_folder(folder, tmp_path / "文件太多.zip")
    assert_rejected_cleanly(store, rid, z, "文件太多.zip", "超过4个", limits=limits)
    assert only(run(store, rid, folder, limits=ImportLimits(max_files=6))).status == "imported"


def test_file_too_large(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    mib = 1024 * 1024
    folder = make_folder(tmp_path, "大文件", n=47, files={"04_审计报告.pdf": b"0" * (mib + 1)})
    limits = ImportLimits(max_file_bytes=mib)
    assert_rejected_cleanly(
        store, rid, folder, "大文件", "04_审计报告.pdf", "超过1 MB", limits=limits
    )
    z = zip_folder(folder, tmp_path / "大文件.zip", encoding="gbk")
    assert_rejected_cleanly(store, rid, z, "大文件.zip", "04_审计报告.pdf", limits=limits)


def test_zip_unpacking_beyond_the_total_limit(store: Store, tmp_path: Path) -> None:
    """A zip bomb: tiny on disk, large unpacked; refused from the declared sizes, unread."""
    rid = new_round(store)
    mib = 1024 * 1024
    z = _zip_with(
        tmp_path,
        "炸弹.zip",
        *[(f"平台/0{n}_材料.pdf", b"\0" * (3 * mib)) for n in range(1, 5)],
    )
    assert z.stat().st_size < mib
    limits = ImportLimits(max_total_bytes=10 * mib)
    assert_rejected_cleanly(store, rid, z, "炸弹.zip", "解压后超过10 MB", limits=limits)


def test_locked_round(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    from sme_review_desktop.models import Round
    from sme_review_desktop.models.base import utcnow

    with store.write() as session:
        rnd = session.get(Round, rid)
        assert rnd is not None
        rnd.locked_at = utcnow()
    form = make_form(tmp_path / "晚到.xlsx", n=48)
    assert_rejected_cleanly(store, rid, form, "已锁定")


def test_discover_never_raises_on_bad_input(tmp_path: Path) -> None:
    (tmp_path / "a.zip").write_bytes(b"garbage")
    (tmp_path / "b.xlsx").write_bytes(b"garbage")
    packages = list(discover([tmp_path / "a.zip", tmp_path / "b.xlsx", tmp_path / "nope"]))
    assert [p.problem is not None for p in packages] == [True, False, True]


def test_a_bare_form_is_named_once_in_messages(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "运河平台.xlsx", n=49, established_on="abc")
    result = assert_rejected_cleanly(store, rid, form, "数据表“运河平台.xlsx”第")
    assert result.errors[0].count("运河平台.xlsx") == 1
    folder = make_folder(tmp_path, "运河平台", n=49, established_on="abc")
    result = assert_rejected_cleanly(store, rid, folder, "数据表“运河平台/申报数据表.xlsx”第")


def test_gbk_zip_holding_an_xls_form(store: Store, tmp_path: Path) -> None:
    rid = new_round(store, XIAN)
    z = tmp_path / "旧版.zip"
    with zipfile.ZipFile(z, "w") as zf:
        add_member(zf, "碑林平台/申报数据表.xls", xls_bytes(form_rows(XIAN, 5)), encoding="gbk")
        add_member(zf, "碑林平台/（三）审计报告.pdf", evidence_bytes("xls-zip"), encoding="gbk")
    result = only(run(store, rid, z))
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert {k: v[0] for k, v in evidence_of(store, result.dossier_id).items()} == {
        "（三）审计报告.pdf": 3
    }
    assert figures_of(store, result.dossier_id)["uscc"] == code(XIAN, 5)
