"""What machine a run was on: CPU, cores, memory, OS, Python and Qt versions, load."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                name = line.split("=", 1)[1].strip('"')
                return f"{name} ({platform.system()} {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def _qt_versions() -> str:
    # In a child process: this one stays free of Qt, as the domain code is.
    code = "import PySide6, PySide6.QtCore as c; print(PySide6.__version__, c.qVersion())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    pyside, qt = out.stdout.split()
    return f"PySide6 {pyside}, Qt {qt}"


def describe() -> list[tuple[str, str]]:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ("CPU", _cpu_model()),
        ("cores", f"{os.cpu_count()} logical"),
        ("memory", _memory_gib()),
        ("OS", _os_name()),
        ("Python", platform.python_version()),
        ("Qt", _qt_versions()),
        ("load average at start (1, 5, 15 min)", load),
    ]
