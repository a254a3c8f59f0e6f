"""Limits on what one package may unpack to; settings with sensible defaults."""

from __future__ import annotations

from dataclasses import dataclass

from sme_review_desktop.store.settings import Settings

MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    max_total_bytes: int = 4096 * MIB
    max_files: int = 5000
    max_file_bytes: int = 1024 * MIB

    @classmethod
    def from_settings(cls, settings: Settings) -> ImportLimits:
        """The limits this PC's settings (工具 → 选项) ask for."""
        return cls(
            max_total_bytes=settings.import_max_total_mb * MIB,
            max_files=settings.import_max_files,
            max_file_bytes=settings.import_max_file_mb * MIB,
        )

    def describe_bytes(self, n: int) -> str:
        return f"{n / MIB:.0f} MB"
