"""Fonts for every PDF the app writes: found on this PC, registered once, embedded, checked.

GB/T 9704-2012 sets a document's title in 小标宋 and its text in 仿宋_GB2312, 黑体 for headings
such as 「附件」. Each role is looked up in this order, and the first face reportlab can embed
(TrueType outlines) wins:

- the face the standard names, where the PC has it (Windows; 统信UOS and 麒麟 install the same
  files under /usr/share/fonts), e.g. 方正小标宋简体 ``FZXBSJW.TTF``, 仿宋_GB2312;
- a face of the same style: 仿宋 ``simfang.ttf``, 宋体 ``simsun.ttc``, 黑体 ``simhei.ttf``;
  on Debian the packaged TrueType 明/宋 face AR PL UMing (``fonts-arphic-uming``; Debian's only
  仿宋, cwTeX 仿宋, lacks a third of GB2312's simplified characters: 爱, 办, 帮…) and
  WenQuanYi Zen Hei (``fonts-wqy-zenhei``) for 黑体;
- the bundled LXGW WenKai (OFL-1.1), which every installation has.

A character a face lacks is set in the bundled face (``split_runs``): 𠮷 is in LXGW WenKai but
not in UMing or SimSun. Only a character no face of the chain has is refused (``missing_glyphs``).
Which faces a document used is written into its PDF properties. A per-PC choice of faces (a
setting in 工具 → 选项) is not there yet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from sme_review_desktop.exports import tounicode  # noqa: F401  (UTF-16 ToUnicode for 𠮷)
from sme_review_desktop.store.paths import resources_dir

# Every PDF the app writes has plain Flate streams, without reportlab's ASCII85 layer: that
# layer is encoded in pure Python (7 % of a 500-certificate export) and only makes files larger;
# every reader (Qt's preview, poppler, printers) takes binary streams. Every export passes here.
rl_config.useA85 = 0

BUNDLED = "LXGWWenKai"
BUNDLED_FAMILY = "霞鹜文楷"
# Where to look besides the bundled font; a colon/semicolon-separated list overrides it
# (tests set it empty to get the bundled font alone).
FONT_DIRS_ENV = "SME_REVIEW_FONT_DIRS"


@dataclass(frozen=True)
class Candidate:
    name: str  # reportlab's name for it
    family: str  # what a word processor calls it (also written into .docx files)
    style: str  # 小标宋 / 仿宋 / 宋 / 黑体
    files: tuple[str, ...]  # file names, matched case-insensitively
    index: int = 0  # face in a .ttc collection


TITLE, BODY, HEADING = "title", "body", "heading"
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    TITLE: (
        Candidate(
            "FZXiaoBiaoSong",
            "方正小标宋简体",
            "小标宋",
            ("FZXBSJW.TTF", "FZXBSJW--GB1-0.ttf", "方正小标宋简体.ttf", "FZXiaoBiaoSong-B05S.ttf"),
        ),
        Candidate(
            "FZXiaoBiaoSongGBK", "方正小标宋_GBK", "小标宋", ("FZXBSK.TTF", "方正小标宋_GBK.ttf")
        ),
        Candidate("SimSun", "宋体", "宋", ("simsun.ttc",)),
        Candidate("ARPLUMingCN", "AR PL UMing CN", "宋", ("uming.ttc",)),
    ),
    BODY: (
        Candidate(
            "FangSongGB2312", "仿宋_GB2312", "仿宋", ("FANGSONG_GB2312.TTF", "仿宋_GB2312.ttf")
        ),
        Candidate("FangSong", "仿宋", "仿宋", ("simfang.ttf", "FangSong.ttf")),
        Candidate("SimSun", "宋体", "宋", ("simsun.ttc",)),
        Candidate("ARPLUMingCN", "AR PL UMing CN", "宋", ("uming.ttc",)),
    ),
    HEADING: (
        Candidate("SimHei", "黑体", "黑体", ("simhei.ttf",)),
        Candidate("WenQuanYiZenHei", "文泉驿正黑", "黑体", ("wqy-zenhei.ttc",)),
    ),
}


def font_dirs() -> list[Path]:
    """Folders searched for system fonts, this PC's first."""
    override = os.environ.get(FONT_DIRS_ENV)
    if override is not None:
        return [Path(p) for p in override.replace(";", ":").split(":") if p]
    dirs = []
    windir = os.environ.get("WINDIR")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:  # fonts installed for one user (Windows 10 and later)
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [
        home / ".local" / "share" / "fonts",
        home / ".fonts",
        Path("/usr/local/share/fonts"),
        Path("/usr/share/fonts"),
    ]
    return dirs


@cache
def _font_files(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Every font file under ``dirs`` by lower-case file name, the first found kept."""
    found: dict[str, Path] = {}

    def walk(folder: Path) -> Iterator[Path]:
        for root, _subdirs, files in os.walk(folder):
            for name in files:
                yield Path(root) / name

    for folder in dirs:
        if folder.is_dir():
            for path in walk(folder):
                if path.suffix.lower() in (".ttf", ".ttc", ".otf"):
                    found.setdefault(path.name.lower(), path)
    return found


@dataclass(frozen=True)
class Face:
    """A registered face: reportlab's name, the family and style a reader is told, the file."""

    name: str
    family: str
    style: str
    path: Path


@cache
def _bundled() -> Face:
    path = resources_dir() / "fonts" / "LXGWWenKai-Regular.ttf"
    pdfmetrics.registerFont(TTFont(BUNDLED, str(path)))
    return Face(BUNDLED, BUNDLED_FAMILY, "楷（内置）", path)


@cache
def face(role: str) -> Face:
    """The face for a role (``TITLE``, ``BODY``, ``HEADING``) on this PC, registered."""
    files = _font_files(tuple(font_dirs()))
    for cand in CANDIDATES[role]:
        for file_name in cand.files:
            path = files.get(file_name.lower())
            if path is None:
                continue
            try:
                if cand.name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(cand.name, str(path), subfontIndex=cand.index))
            except (TTFError, OSError, ValueError):
                continue  # PostScript outlines, a damaged file: try the next one
            return Face(cand.name, cand.family, cand.style, path)
    return _bundled()


@cache
def register(name: str = BUNDLED) -> str:
    """Register the bundled font (or a role's face by its role name) and return its name."""
    if name == BUNDLED:
        return _bundled().name
    return face(name).name


def body_font() -> str:
    """仿宋_GB2312 or 仿宋 where the PC has it, else 宋, else the bundled font."""
    return face(BODY).name


def title_font() -> str:
    """小标宋 where the PC has it, else 宋, else the bundled font."""
    return face(TITLE).name


def heading_font() -> str:
    """黑体 (「附件」 and the like), else the bundled font."""
    return face(HEADING).name


def _cmap(font_name: str) -> dict[int, int]:
    return pdfmetrics.getFont(font_name).face.charToGlyph  # type: ignore[no-any-return]


def split_runs(text: str, font_name: str) -> list[tuple[str, str]]:
    """``text`` as runs of (font, text): characters the font lacks go to the bundled font."""
    cmap = _cmap(font_name)
    fallback = _bundled().name
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = font_name if ord(ch) in cmap or ch.isspace() else fallback
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def missing_glyphs(text: str, font_name: str, *, fallback: bool = False) -> list[str]:
    """Characters of ``text`` the font cannot draw (whitespace aside); with ``fallback``, those
    neither it nor the bundled font can draw (for text set with ``split_runs``)."""
    cmap = _cmap(register(font_name) if font_name == BUNDLED else font_name)
    spare = _cmap(_bundled().name) if fallback else {}
    return sorted(
        {ch for ch in text if not ch.isspace() and ord(ch) not in cmap and ord(ch) not in spare}
    )


def described(*roles: str) -> str:
    """The faces a document uses, for its PDF properties: 「标题：AR PL UMing CN（宋）；…」."""
    labels = {TITLE: "标题", BODY: "正文", HEADING: "附件标识"}
    parts = [f"{labels[r]}：{face(r).family}（{face(r).style}）" for r in roles]
    parts.append(f"缺字补充：{BUNDLED_FAMILY}")
    return "字体 " + "；".join(parts)
