"""Limits on what one package may unpack to; settings with sensible defaults."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    max_total_bytes: int = 4096 * MIB
    max_files: int = 5000
    max_file_bytes: int = 1024 * MIB

    def describe_bytes(self, n: int) -> str:
        return f"{n / MIB:.0f} MB"
