"""The package version, read without importing the app, and the Windows version resource.

Used by ``sme_review.spec`` (the executables' version information) and by the icon script.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = "示范平台认定评审系统"
COMPANY = "sme-review-desktop"


def package_version() -> str:
    """``__version__`` of ``sme_review_desktop``, as pyproject's dynamic version reads it."""
    text = (ROOT / "sme_review_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("sme_review_desktop/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` or ``1.2.3rc1`` as the four numbers a Windows version resource holds."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:4]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def windows_version_info(exe_name: str, description: str) -> Any:
    """A ``VSVersionInfo`` for one executable (PyInstaller builds it into the .exe)."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    version = package_version()
    numbers = version_tuple(version)
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            StringFileInfo(
                [
                    # 0804 = Chinese (PRC), 04B0 = Unicode
                    StringTable(
                        "080404B0",
                        [
                            StringStruct("CompanyName", COMPANY),
                            StringStruct("FileDescription", description),
                            StringStruct("FileVersion", version),
                            StringStruct("InternalName", exe_name),
                            StringStruct("OriginalFilename", f"{exe_name}.exe"),
                            StringStruct("ProductName", PRODUCT),
                            StringStruct("ProductVersion", version),
                            StringStruct(
                                "LegalCopyright", "字体 LXGW WenKai：SIL Open Font License 1.1"
                            ),
                        ],
                    )
                ]
            ),
            VarFileInfo([VarStruct("Translation", [0x0804, 1200])]),
        ],
    )


if __name__ == "__main__":
    print(package_version())
