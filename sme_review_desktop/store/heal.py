"""Healing the evidence store from a backup archive: sound copies of damaged or missing files, the database untouched."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sqlalchemy import select

from sme_review_desktop.models import EvidenceBlob
from sme_review_desktop.store.backups import MANIFEST, BackupError, ProgressFn
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.evidence import EvidenceStore


def archives_holding(data_dir: Path, names: set[str]) -> dict[str, list[Path]]:
    """For each evidence member name (``evidence/ab/abcd…``), the archives in the data folder's
    ``backups/`` whose manifest lists it as sound, newest first. Reads manifests only."""
    found: dict[str, list[Path]] = {}
    folder = data_dir / "backups"
    if not names or not folder.is_dir():
        return found
    archives = sorted(folder.glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    for archive in archives:
        try:
            with zipfile.ZipFile(archive) as zf:
                manifest = json.loads(zf.read(MANIFEST))
            listed = manifest.get("files") or {}
        except (OSError, KeyError, ValueError, AttributeError, zipfile.BadZipFile):
            continue
        for name in names & set(listed):
            found.setdefault(name, []).append(archive)
    return found


def heal_from_archive(
    store: Store, archive: Path, progress: ProgressFn | None = None
) -> tuple[list[str], list[str]]:
    """Put back, from ``archive``, every evidence file of the store that is missing or damaged,
    without touching the database. Returns (healed, still unsound) member names."""
    evidence = EvidenceStore(store.evidence_dir)
    with store.read() as session:
        shas = list(session.scalars(select(EvidenceBlob.sha256)))
    bad = {f"evidence/{s[:2]}/{s}" for s in shas if not evidence.verify(s)}
    healed: list[str] = []
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"不是有效的备份文件（无法作为 zip 打开）：{exc}") from exc
    with zf:
        try:
            listed = json.loads(zf.read(MANIFEST)).get("files") or {}
        except (KeyError, ValueError, AttributeError) as exc:
            raise BackupError("备份文件缺少清单或清单已损坏。") from exc
        todo = sorted(bad & set(listed))
        for n, name in enumerate(todo):
            sha = Path(name).name
            staging = evidence.new_staging()
            try:
                with zf.open(name) as src:
                    got, _ = staging.add(src)  # type: ignore[arg-type]  # a zip stream reads as a file
                if got == sha:
                    staging.commit()
                    healed.append(name)
            except (OSError, zipfile.BadZipFile, EOFError):
                pass
            finally:
                staging.discard()
            if progress:
                progress(n + 1, len(todo))
    return healed, sorted(bad - set(healed))
