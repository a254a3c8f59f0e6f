"""Reading the audit log for people: per round or per dossier, in Chinese, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.models import Applicant, AuditEntry, Dossier, DossierVersion
from sme_review_desktop.text.numbering import clause_label

ACTIONS = {
    "round.create": "创建认定批次",
    "server.setup": "设置服务器角色与权限",
    "server.user_add": "添加用户",
    "server.user_disable": "停用用户",
    "round.settings": "修改批次设置",
    "round.finalize": "认定并锁定批次",
    "dossier.import": "导入申报材料",
    "check.decide": "审核结论",
    "check.note": "审核备注",
    "check.link": "关联证明材料",
    "check.unlink": "取消关联证明材料",
    "review.complete": "标记审核完成",
    "review.reopen": "撤销审核完成",
    "scoring.scheme": "评分方案",
    "expert.add": "添加评审专家",
    "expert.conflict": "专家回避",
    "score.enter": "录入评分",
    "score.sheet_written": "导出离线评分表",
    "score.sheet_imported": "导入离线评分表",
    "decision.set": "认定决定",
    "correction.decision": "更正认定决定",
    "correction.score": "更正评分",
    "publicity.start": "公示",
    "objection.add": "登记异议",
    "objection.settle": "异议处理结果",
    "register.report": "年度报告",
    "register.complaint": "登记投诉",
    "register.revoke": "撤销认定",
    "holidays.import": "导入节假日安排",
    "holidays.set": "设置节假日",
    "holidays.remove": "删除节假日",
    "backup.restore": "从备份恢复",
}


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime  # local time, for people
    actor: str
    action: str
    label: str
    uscc: str
    platform_name: str
    before: str
    after: str
    reason: str  # the reason of a 更正 or a decision, when there is one
    os_account: str = ""  # the PC's operating-system account, beside the typed name

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "actor": self.actor,
            "action": self.action,
            "label": self.label,
            "uscc": self.uscc,
            "platform_name": self.platform_name,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "os_account": self.os_account,
        }


KEYS = {
    "clause": "条款",
    "evidence": "证明材料",
    "page": "页码",
    "decision": "决定",
    "reason": "理由",
    "correction_reason": "更正理由",
    "expert": "专家",
    "points": "分数",
    "uscc": "统一社会信用代码",
    "version": "版本",
    "source": "来源",
    "files": "文件数",
    "rechecks": "需复核",
    "state": "结论",
    "note": "备注",
    "start": "公示开始",
    "end": "公示截止",
    "days": "工作日",
    "dossiers": "单位数",
    "date": "日期",
    "certified": "认定",
    "excluded": "未认定",
    "content": "内容",
    "outcome": "处理结果",
    "upheld": "异议成立",
    "archive": "备份文件",
}
VALUES = {
    "approved": "拟认定",
    "rejected": "不予认定",
    "pool": "纳入培育库",
    "met": "符合",
    "unmet": "不符合",
    "fix": "需补正",
    True: "是",
    False: "否",
}


def _clause(value: Any) -> str | None:
    """[7, 4, "premises"] → 第七条（四）: the clause a tick, note or link was on."""
    if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, int) for v in value[:2]):
        return clause_label(value[0], value[1])
    return None


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k} {_value(v)}" for k, v in value.items()) or "（无）"
    if isinstance(value, list):
        return "、".join(_value(v) for v in value) or "（无）"
    if value is None:
        return "（无）"
    if isinstance(value, bool | str) and value in VALUES:
        return VALUES[value]
    return str(value)


def _text(value: dict[str, Any] | None) -> str:
    """before/after for people: 「决定：拟认定；理由：评审合格」, keys in Chinese where known."""
    if not value:
        return ""
    return "；".join(
        f"{KEYS.get(k, k)}：{(_clause(v) if k == 'clause' else None) or _value(v)}"
        for k, v in value.items()
    )


def _local(at: datetime) -> datetime:
    # Stored in UTC (SQLite hands it back naive): shown in the PC's own zone.
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone().replace(tzinfo=None)


def audit_rows(
    session: Session, round_id: int | None = None, dossier_id: int | None = None
) -> list[AuditRow]:
    """Entries of one round (or one dossier), newest first, with the applicant named."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if round_id is not None:
        query = query.where(AuditEntry.round_id == round_id)
    if dossier_id is not None:
        query = query.where(AuditEntry.dossier_id == dossier_id)
    entries = session.scalars(query).all()
    names = _names(session, {e.dossier_id for e in entries if e.dossier_id is not None})
    rows = []
    for e in entries:
        uscc, name = names.get(e.dossier_id or 0, ("", ""))
        after = e.after or {}
        reason = str(after.get("correction_reason") or after.get("reason") or "")
        rows.append(
            AuditRow(
                id=e.id,
                at=_local(e.at),
                actor=e.actor,
                action=e.action,
                label=ACTIONS.get(e.action, e.action),
                uscc=uscc,
                platform_name=name,
                before=_text(e.before),
                after=_text(e.after),
                reason=reason,
                os_account=e.os_account or "",
            )
        )
    return rows


def _names(session: Session, dossier_ids: set[int]) -> dict[int, tuple[str, str]]:
    """uscc and newest platform name per dossier, in two queries whatever the count."""
    if not dossier_ids:
        return {}
    codes = {
        dossier_id: uscc
        for dossier_id, uscc in session.execute(
            select(Dossier.id, Applicant.uscc)
            .join(Applicant, Applicant.id == Dossier.applicant_id)
            .where(Dossier.id.in_(dossier_ids))
        ).tuples()
    }
    platform: dict[int, str] = {}
    for dossier_id, name in session.execute(
        select(DossierVersion.dossier_id, DossierVersion.platform_name)
        .where(DossierVersion.dossier_id.in_(dossier_ids))
        .order_by(DossierVersion.number)
    ).tuples():
        platform[dossier_id] = name
    return {d: (codes.get(d, ""), platform.get(d, "")) for d in dossier_ids}
