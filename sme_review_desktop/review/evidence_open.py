"""Opening evidence with the system's own program (用系统程序打开): documents only, from a copy.

A county's package is untrusted input. A file named 审计报告.pdf may be a Windows program, a
shortcut or a script, and handing it to the operating system would run it. So the in-app preview
is the normal way to read evidence, and a file goes to the system viewer only when

* its content is a known document type (read from its first bytes, not its name) and its name
  says the same type: PDF, JPEG/PNG, Word/Excel/WPS (doc, docx, xls, xlsx, wps) or OFD;
* Office files carry no macros (a ``vbaProject.bin`` inside a docx/xlsx is refused);
* the user has confirmed a warning (the UI asks; see ``warning_text``);
* its bytes still match the SHA-256 recorded at import; and what is opened is a read-only copy
  in a private folder, named after the type found (never the county's name, which may hide a
  second extension or a right-to-left mark), marked on Windows as coming from the internet so
  Office opens it in Protected View.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sme_review_desktop.errors import UserError
from sme_review_desktop.store.evidence import EvidenceStore

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, WPS: compound files
COPY_FOLDER = "sme-review-evidence"
KEEP_COPIES_SECONDS = 24 * 3600


class NotOpenable(UserError):
    """This evidence file may not be handed to the system's programs."""


@dataclass(frozen=True)
class DocumentType:
    kind: str  # "pdf", "image", "ole2", "docx", "xlsx", "ofd"
    label: str  # for the warning, in Chinese
    suffix: str  # what the copy is named with (from the allowed suffixes of its kind)


SUFFIXES: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "ole2": (".doc", ".xls", ".wps"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "ofd": (".ofd",),
}
LABELS = {
    "pdf": "PDF文档",
    "jpeg": "JPEG图片",
    "png": "PNG图片",
    "ole2": "Word/Excel/WPS文档",
    "docx": "Word文档",
    "xlsx": "Excel工作簿",
    "ofd": "OFD版式文档",
}


def _zip_kind(data: bytes) -> str | None:
    """docx, xlsx or ofd by the parts inside; None for any other zip (or one with macros)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = {n.lower() for n in zf.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    if any(PurePosixPath(n).name == "vbaproject.bin" for n in names):
        return None  # macros: a program riding inside a document
    if "ofd.xml" in names:
        return "ofd"
    if "[content_types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[content_types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(data: bytes) -> str | None:
    """The document kind the content is, by its first bytes; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(OLE2):
        return "ole2"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def check_openable(name: str, data: bytes) -> DocumentType:
    """The document type of evidence ``name`` with content ``data``, or why it stays in the app."""
    shown = PurePosixPath(name.replace("\\", "/")).name
    suffix = "." + shown.lower().rsplit(".", 1)[1] if "." in shown else ""
    kind = sniff(data)
    if kind is None:
        raise NotOpenable(
            f"“{shown}”不是可以交给系统程序打开的文档类型（只允许PDF、JPEG/PNG图片、"
            "Word/Excel/WPS文档和OFD）：为安全起见，请在本系统内查看。"
        )
    if suffix not in SUFFIXES[kind]:
        raise NotOpenable(
            f"“{shown}”的文件名与内容不符（内容是{LABELS[kind]}）：这可能是伪装的文件，"
            "为安全起见，不交给系统程序打开。"
        )
    return DocumentType(kind, LABELS[kind], suffix)


def warning_text(name: str, doc: DocumentType) -> str:
    shown = PurePosixPath(name.replace("\\", "/")).name
    return (
        f"将用本机的系统程序打开“{shown}”（{doc.label}）的只读副本。\n\n"
        "证明材料来自申报单位，可能含有恶意内容。本系统已核对文件类型与导入时的校验值，"
        "但打开后由系统程序处理，请勿启用其中的宏或点击其中的链接。\n\n确定要打开吗？"
    )


def _safe_stem(name: str) -> str:
    """The county's file name reduced to harmless characters: no dots, marks or separators."""
    stem = PurePosixPath(name.replace("\\", "/")).name.rsplit(".", 1)[0]
    stem = re.sub(r"[^\w\u3000-\u303f\uff08\uff09()\- ]", "_", stem)  # \w keeps CJK and digits
    return stem.strip(" _")[:60] or "证明材料"


def _user_tag() -> str:
    try:
        import getpass

        name = getpass.getuser()
    except Exception:  # no user name (a service account without one): the uid will do
        name = ""
    uid = getattr(os, "getuid", lambda: None)()
    tag = re.sub(r"[^0-9A-Za-z_.-]", "_", name) or "user"
    return f"{tag}-{uid}" if uid is not None else tag


def copies_folder(root: Path | None = None) -> Path:
    """Where copies go: a folder of the system's temp dir that belongs to this user alone
    (0700, not a link, owned by us); copies older than a day are removed without following
    links. A folder someone else prepared under that name is refused, not used."""
    folder = (root or Path(tempfile.gettempdir())) / f"{COPY_FOLDER}-{_user_tag()}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise UserError(f"无法准备存放副本的临时文件夹 {folder}：{exc.strerror or exc}") from exc
    uid = getattr(os, "getuid", lambda: None)()
    if (
        stat.S_ISLNK(info.st_mode)
        or not stat.S_ISDIR(info.st_mode)
        or (uid is not None and info.st_uid != uid)
    ):
        raise UserError(
            f"存放副本的临时文件夹 {folder} 不是本用户创建的（或是一个链接）：为安全起见不予使用，"
            "请删除它后重试。"
        )
    if os.name != "nt":
        os.chmod(folder, 0o700)
    now = time.time()
    for old in folder.iterdir():
        try:
            info = os.lstat(old)
            if now - info.st_mtime <= KEEP_COPIES_SECONDS:
                continue
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
                old.unlink()  # a link is removed itself, never what it points at
                continue
            for dirpath, _dirs, names in os.walk(old, followlinks=False):
                for name in names:
                    p = Path(dirpath) / name
                    if not p.is_symlink():
                        p.chmod(stat.S_IRUSR | stat.S_IWUSR)  # Windows refuses read-only
            shutil.rmtree(old)  # rmtree removes links without following them
        except OSError:
            continue  # still open in a viewer: next time
    return folder


def _mark_from_internet(path: Path) -> None:
    """Windows' Mark of the Web: Office then opens the copy in Protected View."""
    if os.name != "nt":
        return
    try:
        with open(f"{path}:Zone.Identifier", "w", encoding="ascii") as fh:
            fh.write("[ZoneTransfer]\r\nZoneId=3\r\n")
    except OSError:
        pass  # not NTFS (a network share): Office still asks before macros


def assess(evidence: EvidenceStore, sha256: str, name: str) -> DocumentType:
    """Before the warning: may this file go to the system viewer at all?"""
    return check_openable(name, evidence.open_verified(sha256))


def prepare_copy(
    evidence: EvidenceStore, sha256: str, name: str, folder: Path
) -> tuple[Path, DocumentType]:
    """After the warning: a verified, read-only copy of the file for the system viewer.

    Read and checked again: the stored file may have changed while the warning was shown."""
    data = evidence.open_verified(sha256)  # EvidenceCorrupt when the stored file was changed
    doc = check_openable(name, data)
    target = folder / uuid.uuid4().hex / f"{_safe_stem(name)}{doc.suffix}"
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    _mark_from_internet(target)
    return target, doc
