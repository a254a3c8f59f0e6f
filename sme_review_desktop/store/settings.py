"""User settings, each declared once with its type and default, kept as JSON in the data folder."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

SETTINGS_FILE = "settings.json"


@dataclass
class Settings:
    reviewer_name: str = ""  # asked once per installation; signs every change in the audit log
    bureau: str = ""  # 聊城 / 西安 / other: which measure new rounds default to
    import_max_total_mb: int = 4096
    import_max_files: int = 5000
    import_max_file_mb: int = 1024
    backups_keep_days: int = 30
    # Shared server mode (docs/server-mode.md): the bureau's PostgreSQL, e.g.
    # postgresql+psycopg://reviewer:secret@10.0.0.5/sme_review, and the shared evidence folder.
    database_url: str = ""
    evidence_dir: str = ""
    overlay_layout: str = ""  # 套打 field positions and this PC's printer offsets, as JSON

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        path = data_dir / SETTINGS_FILE
        try:
            raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        # Keep what still has the declared type; an unknown or mistyped entry falls to its default.
        clean = {k: v for k, v in raw.items() if k in known and type(v).__name__ == known[k]}
        return cls(**clean)

    def save(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".settings.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh, ensure_ascii=False, indent=2)
        os.replace(tmp, data_dir / SETTINGS_FILE)
