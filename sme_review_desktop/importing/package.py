"""Finding packages on disk: the four shapes of dossier-format.md, zips with GBK names, limits.

A ``Package`` is one applicant's submission, whatever its shape; its evidence files are read
lazily so a batch never holds more than one file in memory. The form's workbook is opened once:
the rows read while finding it ride on the package (``form_sheet``) to ``read_form``.
"""

from __future__ import annotations

import io
import lzma
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sme_review_desktop.errors import ImportRejected
from sme_review_desktop.importing.form import (
    FORM_SUFFIXES,
    FormSheet,
    has_form_sheet,
    open_form_sheet,
)
from sme_review_desktop.importing.limits import ImportLimits

UTF8_FLAG = 0x800


@dataclass(frozen=True)
class SourceFile:
    """One file of a package: its path inside the package and how to read it."""

    rel_path: str
    size: int
    open: Callable[[], AbstractContextManager[BinaryIO]]

    def read(self) -> bytes:
        with self.open() as fh:
            return fh.read()


@dataclass
class Package:
    """One applicant's package: the data form and the evidence files beside it."""

    path: Path  # what the user named (folder, zip or workbook), for the report
    name: str  # how messages name it
    form: SourceFile | None
    evidence: list[SourceFile] = field(default_factory=list)
    problem: str | None = None  # a rejection found while discovering (two forms, bad zip…)
    form_sheet: FormSheet | None = None  # the form's rows, as read while finding it


# A data form is a few sheets of text: far under a megabyte packed and unpacked. Like the
# score sheets' cap (scoring/sheets.MAX_UNPACKED), anything far larger is refused before a
# workbook reader unpacks it: a 312 KB form can unpack to 689 MB of shared strings.
MAX_FORM_BYTES = 20 * 1024 * 1024  # the workbook file as submitted
MAX_FORM_UNPACKED = 20 * 1024 * 1024  # what its members add up to, unpacked


def unpacked_size(data: bytes) -> int | None:
    """What an .xlsx's members declare they unpack to (a reader stops there); None when
    ``data`` is not a zip (an .xls, or a damaged file: the form reader says which)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(i.file_size for i in zf.infolist())
    except _MEMBER_ERRORS:
        return None


def _too_big(name: str, what: str, n: int) -> ImportRejected:
    mib = MAX_FORM_UNPACKED // (1024 * 1024)
    return ImportRejected(
        f"申报数据表“{name}”{what}{n / (1024 * 1024):.0f} MB，超过{mib} MB："
        "正常的申报数据表远小于此，请用本系统导出的申报模板重新填写。"
    )


def read_workbook(source: SourceFile, *, is_form: bool = True) -> bytes | None:
    """A workbook's bytes, bounded: never more than MAX_FORM_BYTES read, nothing unpacked
    past MAX_FORM_UNPACKED. Too big: ImportRejected for the form, None for a workbook that
    may be mere evidence (``is_form=False``), which is then streamed like any other file."""
    if source.size > MAX_FORM_BYTES:
        if is_form:
            raise _too_big(source.rel_path, "大小为", source.size)
        return None
    with source.open() as fh:
        data = fh.read(MAX_FORM_BYTES + 1)
    if len(data) > MAX_FORM_BYTES:
        if is_form:
            raise _too_big(source.rel_path, "大小超过", len(data))
        return None
    unpacked = unpacked_size(data)
    if unpacked is not None and unpacked > MAX_FORM_UNPACKED:
        if is_form or has_form_sheet(data, source.rel_path):
            raise _too_big(source.rel_path, "解压后为", unpacked)
        return None
    return data


def _is_workbook(name: str) -> bool:
    return name.lower().endswith(FORM_SUFFIXES) and not PurePosixPath(name).name.startswith("~$")


def _hidden(rel: str) -> bool:
    """System litter (macOS resource forks, Thumbs.db) is not evidence."""
    parts = PurePosixPath(rel).parts
    if not parts:
        return True  # "." or "": a zip member with no file name
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or parts[-1].lower() in (
        "thumbs.db",
        "desktop.ini",
    )


def _pick_form(
    files: list[SourceFile], name: str
) -> tuple[SourceFile | None, FormSheet | None, list[SourceFile]]:
    """The one workbook with a 申报数据 sheet is the form; other workbooks are evidence.

    Returns the form, its sheet as read while looking (so it is not opened again) and the rest.
    """
    found: list[tuple[SourceFile, FormSheet]] = []
    for f in files:
        if _is_workbook(f.rel_path):
            data = read_workbook(f, is_form=False)
            sheet = open_form_sheet(data, f.rel_path) if data is not None else None
            if sheet is not None:
                found.append((f, sheet))
    forms = [f for f, _ in found]
    if not forms:
        named = [f for f in files if _is_workbook(f.rel_path) and "申报数据" in f.rel_path]
        forms = named[:1]  # an unreadable 申报数据表 must be reported as unreadable, not as absent
    if len(forms) > 1:
        listed = "、".join(f.rel_path for f in forms)
        raise ImportRejected(
            f"申报材料“{name}”中有{len(forms)}份申报数据表（{listed}）：每份申报材料只能有一份。"
        )
    if not forms:
        return None, None, files
    form = forms[0]
    sheet = next((s for f, s in found if f is form), None)
    return form, sheet, [f for f in files if f is not form]


def _disk_file(path: Path, rel: str) -> SourceFile:
    return SourceFile(rel, path.stat().st_size, lambda: path.open("rb"))


def _folder_files(root: Path, limits: ImportLimits, name: str) -> list[SourceFile]:
    files: list[SourceFile] = []
    total = 0
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            raise ImportRejected(
                f"申报材料“{name}”中含有链接“{path.relative_to(root)}”：请删除链接，直接放入文件。"
            )
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if _hidden(rel):
            continue
        files.append(_disk_file(path, rel))
        total += files[-1].size
        _check_limits(files, total, files[-1], limits, name)
    return files


def _check_limits(
    files: list[SourceFile], total: int, last: SourceFile, limits: ImportLimits, name: str
) -> None:
    if len(files) > limits.max_files:
        raise ImportRejected(f"申报材料“{name}”的文件超过{limits.max_files}个：请精简后重新提交。")
    if last.size > limits.max_file_bytes:
        raise ImportRejected(
            f"申报材料“{name}”中的文件“{last.rel_path}”超过{limits.describe_bytes(limits.max_file_bytes)}：请压缩后重新提交。"
        )
    if total > limits.max_total_bytes:
        raise ImportRejected(
            f"申报材料“{name}”解压后超过{limits.describe_bytes(limits.max_total_bytes)}：请精简后重新提交。"
        )


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name, whatever wrote the zip.

    Without the UTF-8 flag Python reads the name as cp437. Windows' own zip wrote GBK there;
    macOS Archive Utility and some Linux tools write UTF-8 without setting the flag. Chinese
    GBK bytes are almost never valid UTF-8, so strict UTF-8 first, then GB18030.
    """
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


# What reading a damaged member can raise: a bad CRC or local header, a corrupt deflate,
# bzip2 or lzma stream, a truncated file, an unsupported compression method.
_MEMBER_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


class _LimitedReader:
    """Reads a zip member but stops at its declared size: a lying header cannot blow up memory."""

    def __init__(self, zpath: Path, info: zipfile.ZipInfo, limit: int) -> None:
        self.zpath, self.info, self.limit = zpath, info, limit
        self._zf: zipfile.ZipFile | None = None
        self._fh: BinaryIO | None = None

    def _damaged(self) -> ImportRejected:
        return ImportRejected(
            f"压缩包“{self.zpath.name}”中的“{member_name(self.info)}”无法解压（文件已损坏）：请重新压缩后提交。"
        )

    def __enter__(self) -> BinaryIO:
        try:
            self._zf = zipfile.ZipFile(self.zpath)
            self._fh = self._zf.open(self.info)  # type: ignore[assignment]
        except _MEMBER_ERRORS as exc:
            self.__exit__()
            raise self._damaged() from exc
        return self  # type: ignore[return-value]

    def read(self, n: int = -1) -> bytes:
        assert self._fh is not None
        want = self.limit + 1 if n < 0 else min(n, self.limit + 1)
        try:
            data = self._fh.read(want)
        except _MEMBER_ERRORS as exc:
            raise self._damaged() from exc
        self.limit -= len(data)
        if self.limit < 0:
            raise ImportRejected(
                f"压缩包“{self.zpath.name}”中的“{member_name(self.info)}”实际大小超出声明：文件可能已损坏。"
            )
        return data

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()
        if self._zf is not None:
            self._zf.close()


def _distinct(rel: str, taken: set[str]) -> str:
    """``rel``, or ``name（2）.pdf`` when a member of that path (in any letter case: Windows
    folds it) came before: a zip may hold two members of one name, and each is evidence."""
    stem, dot, suffix = rel.rpartition(".")
    if not dot or "/" in suffix:
        stem, dot, suffix = rel, "", ""
    candidate, n = rel, 2
    while candidate.casefold() in taken:
        candidate, n = f"{stem}（{n}）{dot}{suffix}", n + 1
    taken.add(candidate.casefold())
    return candidate


def _zip_files(zpath: Path, limits: ImportLimits) -> list[SourceFile]:
    name = zpath.name
    try:
        with zipfile.ZipFile(zpath) as zf:
            infos = zf.infolist()
    except _MEMBER_ERRORS as exc:  # e.g. NotImplementedError for a version 25.5 header
        raise ImportRejected(
            f"压缩包“{name}”无法打开（已损坏或不是zip文件）：请重新压缩后提交。"
        ) from exc
    entries: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        real = member_name(info).replace("\\", "/")
        if not real.strip("/"):  # a damaged header can leave a member without a name
            raise ImportRejected(f"压缩包“{name}”中有没有名字的文件（已损坏）：请重新压缩后提交。")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ImportRejected(f"压缩包“{name}”中含有链接“{real}”：请删除链接，直接放入文件。")
        parts = PurePosixPath(real).parts
        if real.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
            raise ImportRejected(
                f"压缩包“{name}”中的“{real}”会解压到压缩包目录之外：请重新压缩后提交。"
            )
        if info.flag_bits & 0x1:
            raise ImportRejected(f"压缩包“{name}”已加密：请提交不加密的压缩包。")
        if real.endswith("/") or _hidden(real):
            continue
        entries.append((real, info))
    # One folder wrapping everything is the county's habit, not part of the paths.
    tops = {PurePosixPath(r).parts[0] for r, _ in entries if len(PurePosixPath(r).parts) > 1}
    wrapped = len(tops) == 1 and all(len(PurePosixPath(r).parts) > 1 for r, _ in entries)
    files: list[SourceFile] = []
    total = 0
    taken: set[str] = set()
    for real, info in entries:
        rel = _distinct("/".join(PurePosixPath(real).parts[1:]) if wrapped else real, taken)

        def opener(info: zipfile.ZipInfo = info) -> AbstractContextManager[BinaryIO]:
            return _LimitedReader(zpath, info, info.file_size)

        files.append(SourceFile(rel, info.file_size, opener))
        total += info.file_size
        _check_limits(files, total, files[-1], limits, name)
    return files


def _package_from_files(path: Path, name: str, files: list[SourceFile]) -> Package:
    form, sheet, evidence = _pick_form(files, name)
    if form is None:
        raise ImportRejected(
            f"申报材料“{name}”中没有申报数据表（含“申报数据”工作表的Excel文件）：请放入本系统导出的申报模板。"
        )
    return Package(path=path, name=name, form=form, evidence=evidence, form_sheet=sheet)


def _load(path: Path, limits: ImportLimits) -> Package:
    name = path.name
    if path.is_dir():
        return _package_from_files(path, name, _folder_files(path, limits, name))
    if path.suffix.lower() == ".zip":
        return _package_from_files(path, name, _zip_files(path, limits))
    if _is_workbook(path.name):
        return Package(path=path, name=name, form=_disk_file(path, path.name))
    raise ImportRejected(
        f"“{name}”不是申报材料：请提交文件夹、zip压缩包或申报数据表（.xlsx/.xls）。"
    )


def _guarded(path: Path, limits: ImportLimits) -> Package:
    try:
        return _load(path, limits)
    except ImportRejected as exc:
        return Package(path=path, name=path.name, form=None, problem=exc.message)


def _has_form(path: Path) -> bool:
    """Whether a workbook on disk is a data form, reading a bounded part of it only (a form
    too big to read is reported when its package is imported)."""
    try:
        data = read_workbook(_disk_file(path, path.name), is_form=False)
    except (ImportRejected, OSError):
        return True
    return data is not None and has_form_sheet(data, path.name)


def _is_batch(folder: Path) -> bool:
    """A folder is a batch when its children are packages rather than one package's files.

    Counting stops at two forms: a batch's packages are opened when each is imported, not all
    of them up front as well.
    """
    children = [c for c in folder.iterdir() if not _hidden(c.name)]
    top_forms = 0
    for c in children:
        if c.is_file() and _is_workbook(c.name) and _has_form(c):
            top_forms += 1
            if top_forms == 2:
                return True  # bare forms; evidence beside them is rejected in discover()
    if top_forms == 1:
        return False
    if any(c.is_file() and c.suffix.lower() == ".zip" for c in children):
        return True
    subdirs_with_forms = 0
    for sub in (c for c in children if c.is_dir()):
        if any(p.is_file() and _is_workbook(p.name) and _has_form(p) for p in sub.rglob("*")):
            subdirs_with_forms += 1
            if subdirs_with_forms == 2:
                return True
    return False


def discover(paths: list[Path], limits: ImportLimits | None = None) -> Iterator[Package]:
    """Yield one Package per applicant found under ``paths``; problems ride on the package."""
    limits = limits or ImportLimits()
    for path in paths:
        if not path.exists():
            yield Package(
                path=path, name=path.name, form=None, problem=f"找不到“{path}”：请检查路径。"
            )
            continue
        if not (path.is_dir() and _is_batch(path)):
            yield _guarded(path, limits)
            continue
        children = sorted(c for c in path.iterdir() if not _hidden(c.name))
        forms = [c for c in children if c.is_file() and _is_workbook(c.name)]
        loose = [
            c for c in children if c.is_file() and c not in forms and c.suffix.lower() != ".zip"
        ]
        if len(forms) >= 2 and loose:
            names = "、".join(c.name for c in loose[:5])
            yield Package(
                path=path,
                name=path.name,
                form=None,
                problem=f"文件夹“{path.name}”中有{len(forms)}份申报数据表，旁边还有其他文件（{names}）：无法判断这些文件属于哪一家，请每家单独放一个文件夹。",
            )
            continue
        for child in children:
            if child in loose:
                yield Package(
                    path=child,
                    name=f"{path.name}/{child.name}",
                    form=None,
                    problem=f"批量文件夹“{path.name}”中的“{child.name}”不是申报材料：请放入对应单位的文件夹。",
                )
            else:
                yield _guarded(child, limits)
