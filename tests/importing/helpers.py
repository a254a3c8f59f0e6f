"""Builders shared by the import tests: data forms, packages in every shape, store snapshots.

Every input is made in code under the test's tmp_path, in the shape of dossier-format.md and
of the samples (a 聊城 folder numbered ``01_``, a 西安 zip with GBK names numbered ``（一）``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sme_review_desktop import demo
from sme_review_desktop.exports.form_template import FormValue, write_form
from sme_review_desktop.models import (
    Applicant,
    ConditionCheck,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceBlob,
    EvidenceFile,
)
from sme_review_desktop.rounds import create_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.rules.uscc import build
from sme_review_desktop.store.database import Store

LIAOCHENG = "liaocheng-2021"
XIAN = "xian-2018"
REGION = {LIAOCHENG: "371502", XIAN: "610113"}
BASE: dict[str, dict[str, FormValue | None]] = {
    LIAOCHENG: demo.LIAOCHENG_BASE,
    XIAN: demo.XIAN_BASE,
}


def code(book_id: str = LIAOCHENG, n: int = 1, kind: str = "91") -> str:
    """A valid 统一社会信用代码, different for each ``n``."""
    return build(kind=kind, region=REGION[book_id], org8=f"MA3C{n:04d}")


def form_values(book_id: str = LIAOCHENG, n: int = 1, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        **BASE[book_id],
        "platform_name": f"测试服务平台{n}号",
        "operator_name": f"测试运营单位{n}号有限公司",
        "uscc": code(book_id, n),
        "county": "东昌府区" if book_id == LIAOCHENG else "雁塔区",
    }
    values.update(changes)
    return values


def make_form(path: Path, book_id: str = LIAOCHENG, n: int = 1, **changes: Any) -> Path:
    """The bureau's own template, filled (``None`` in ``changes`` leaves a field empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_form(path, get_rulebook(book_id), form_values(book_id, n, **changes))


def evidence_bytes(label: str) -> bytes:
    """Small placeholder bytes, distinct per label (a real PDF header so previews would try)."""
    return b"%PDF-1.4\n% " + label.encode("utf-8") + b"\n%%EOF\n"


def make_folder(
    root: Path,
    name: str = "聊城-测试平台",
    book_id: str = LIAOCHENG,
    n: int = 1,
    files: dict[str, bytes] | None = None,
    form_name: str = "申报数据表.xlsx",
    **changes: Any,
) -> Path:
    """A folder package: the data form and evidence files (relative path → bytes)."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    make_form(folder / form_name, book_id, n, **changes)
    if files is None:
        files = {
            "01_推荐表.pdf": evidence_bytes(f"{n}-01"),
            "03_营业执照副本.pdf": evidence_bytes(f"{n}-03"),
            "06-活动照片/培训现场.png": evidence_bytes(f"{n}-06png"),
            "说明.txt": evidence_bytes(f"{n}-other"),
        }
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


class RawNameInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is written as given bytes, with chosen extra flag bits.

    zipfile writes non-ASCII names as UTF-8 and sets flag bit 11; Windows' "send to compressed
    folder" writes GBK without it. ``extra_flags`` 0x1 marks the member encrypted.
    """

    raw_name: bytes = b""
    extra_flags: int = 0

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's private hook
        return self.raw_name, (self.flag_bits & ~0x800) | self.extra_flags


def add_member(
    zf: zipfile.ZipFile,
    name: str,
    data: bytes,
    *,
    encoding: str | None = None,
    extra_flags: int = 0,
    mode: int | None = None,
) -> None:
    """Add a member; ``encoding`` 'gbk' writes the name as raw GBK bytes without the flag."""
    if encoding is None and not extra_flags:
        info = zipfile.ZipInfo(name, date_time=(2026, 3, 1, 9, 0, 0))
    else:
        info = RawNameInfo(name, date_time=(2026, 3, 1, 9, 0, 0))
        info.raw_name = name.encode(encoding or "utf-8")
        info.extra_flags = extra_flags | (0 if encoding else 0x800)
    info.compress_type = zipfile.ZIP_DEFLATED
    if mode is not None:
        info.external_attr = mode << 16
        info.create_system = 3
    zf.writestr(info, data)


def zip_folder(
    folder: Path, target: Path, *, encoding: str | None = None, wrap: bool = True
) -> Path:
    """Zip a folder package, wrapped in one top-level folder (the county's habit) or not."""
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(folder).as_posix()
            name = f"{folder.name}/{rel}" if wrap else rel
            add_member(zf, name, path.read_bytes(), encoding=encoding)
    return target


def new_round(store: Store, book_id: str = LIAOCHENG, name: str = "2026年度认定") -> int:
    return create_round(store, book_id, name, date(2026, 6, 30), "测试")


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, int]
    files: frozenset[str]


def _files(root: Path) -> frozenset[str]:
    if not root.exists():
        return frozenset()
    return frozenset(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def snapshot(store: Store) -> Snapshot:
    """Row counts of everything an import writes, and every file under the evidence folder."""
    with store.read() as session:
        rows = {
            model.__name__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (
                Applicant,
                Dossier,
                DossierVersion,
                DeclaredFigure,
                EvidenceBlob,
                EvidenceFile,
                ConditionCheck,
            )
        }
    return Snapshot(rows, _files(store.evidence_dir))


def staging_leftovers(store: Store) -> list[str]:
    staging = store.evidence_dir / ".staging"
    return sorted(p.name for p in staging.iterdir()) if staging.exists() else []


def is_chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def figures_of(store: Store, dossier_id: int, number: int | None = None) -> dict[str, str | None]:
    """The stored canonical text of each declared figure of one version (default: newest)."""
    with store.read() as session:
        versions = session.scalars(
            select(DossierVersion)
            .where(DossierVersion.dossier_id == dossier_id)
            .order_by(DossierVersion.number)
        ).all()
        chosen = versions[-1] if number is None else next(v for v in versions if v.number == number)
        return {f.key: f.value for f in chosen.figures}


def evidence_of(store: Store, dossier_id: int, number: int | None = None) -> dict[str, Any]:
    """rel_path → (material number, sha256) of one version's evidence (default: newest)."""
    with store.read() as session:
        versions = session.scalars(
            select(DossierVersion)
            .where(DossierVersion.dossier_id == dossier_id)
            .order_by(DossierVersion.number)
        ).all()
        chosen = versions[-1] if number is None else next(v for v in versions if v.number == number)
        return {f.rel_path: (f.material_number, f.sha256) for f in chosen.evidence}


D = Decimal


def form_rows(book_id: str = LIAOCHENG, n: int = 1, **changes: Any) -> list[tuple[str, Any]]:
    """(key, value) rows of a filled form, in the rulebook's order."""
    values = form_values(book_id, n, **changes)
    book = get_rulebook(book_id)
    keys = list(book.form_fields) + [k for k in values if k not in book.form_fields]
    return [(k, values.get(k)) for k in keys]


def xls_bytes(
    rows: list[tuple[str, Any]], *, sheet: str = "申报数据", encrypted: bool = False
) -> bytes:
    """An Excel 97-2003 (.xls) data form written with xlwt; dates and Decimals as Excel types.

    ``encrypted`` inserts a FILEPASS record after the workbook's BOF, as Excel's "encrypt with
    password" does, so readers must refuse it.
    """
    import io
    import struct

    xlwt = pytest.importorskip("xlwt")
    from xlwt import CompoundDoc

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for col, head in enumerate(("字段代码", "项目", "填报值")):
        ws.write(0, col, head)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, (key, value) in enumerate(rows, start=1):
        ws.write(r, 0, key)
        ws.write(r, 1, key)
        if value is None:
            continue
        if isinstance(value, bool):
            ws.write(r, 2, "是" if value else "否")
        elif isinstance(value, date):
            ws.write(r, 2, value, date_style)
        elif isinstance(value, Decimal):
            ws.write(r, 2, float(value))
        else:
            ws.write(r, 2, value)
    if sheet != "其他":
        wb.add_sheet("其他").write(0, 0, "其他工作表原样保留")
    stream = wb.get_biff_data()
    if encrypted:
        length = struct.unpack("<HH", stream[:4])[1]
        filepass = struct.pack("<HH", 0x2F, 6) + b"\x00" * 6
        stream = stream[: 4 + length] + filepass + stream[4 + length :]
    out = io.BytesIO()
    CompoundDoc.XlsDoc().save(out, stream)
    return out.getvalue()
