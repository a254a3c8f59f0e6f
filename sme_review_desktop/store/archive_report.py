"""What a backup archive holds and what writing or checking it found, in words for people."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHUNK = 1 << 20  # bytes read at a time from an archive or an evidence file


# archives --------------------------------------------------------------------------------
@dataclass
class ArchiveReport:
    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    healed: list[str] = field(default_factory=list)  # damaged files in the folder, replaced
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unsound(self) -> list[str]:
        """Evidence the archive could not hold: damaged or missing when it was made."""
        return unsound_lines(self.manifest)

    def lines(self) -> list[str]:
        m = self.manifest
        head = [
            f"备份文件：{self.path}",
            f"创建时间：{m.get('created_at', '未知')}　软件版本：{m.get('app_version', '未知')}",
            f"申报材料 {m.get('counts', {}).get('dossiers', '?')} 份，"
            f"证明材料文件 {m.get('counts', {}).get('evidence', '?')} 个",
        ]
        healed = [f"已用备份中的完好文件替换{len(self.healed)}个已损坏的证明材料文件。"] * bool(
            self.healed
        )
        head += self.notes
        if self.ok and self.unsound:
            return [
                *head,
                f"检查结果：可以恢复；备份时有{len(self.unsound)}个证明材料文件已损坏或缺失，"
                "未包含在备份中（恢复后“完整性检查”会列出它们，请从更早的备份或原申报材料找回）：",
                *self.unsound,
                *healed,
            ]
        if self.ok:
            return [*head, "检查结果：完整，可以恢复。", *healed]
        return [*head, f"检查结果：发现{len(self.problems)}处问题，不能恢复：", *self.problems]


def unsound_lines(manifest: dict[str, Any]) -> list[str]:
    damaged = manifest.get("damaged") or {}
    missing = manifest.get("missing") or []
    return [f"  · 已损坏（内容与校验值不符）：{n}" for n in sorted(damaged)] + [
        f"  · 缺失：{n}" for n in sorted(missing)
    ]


@dataclass(frozen=True)
class BackupResult:
    """What ``write_archive`` wrote, and the evidence it could not (damaged or missing)."""

    path: Path
    damaged: list[str]
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not (self.damaged or self.missing)

    def lines(self) -> list[str]:
        if self.complete:
            return [f"已备份到：{self.path}"]
        return [
            f"已备份到：{self.path}",
            f"但有{len(self.damaged) + len(self.missing)}个证明材料文件未能备份"
            "（数据库和其余文件已完整备份，可以恢复）：",
            *unsound_lines({"damaged": dict.fromkeys(self.damaged), "missing": self.missing}),
            "请运行“完整性检查”，按提示从更早的备份或原申报材料找回这些文件。",
        ]
