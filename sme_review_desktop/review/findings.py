"""Findings the record raises on a dossier (measures.md rules 14–16): pure rules over plain facts.

A finding is *blocking* when an approval may not be recorded while it stands; a blocking finding
that is not *overridable* is a legal bar (聊城 第二十二条) that no 例外认定 can lift. The facts
are read from the store by ``review/finding_record``; nothing here touches a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sme_review_desktop.rules.engine import add_years
from sme_review_desktop.rules.rulebook import Rulebook
from sme_review_desktop.text.numbering import article_label

FINDING_LABELS = {
    "outside_city": "注册地不在本市",
    "barred_after_revocation": "撤销后三年内不得申报",
    "revoked_before": "曾被撤销（撤销依据未登记）",
    "already_certified": "已是示范平台",
    "duplicate_evidence": "材料与他人相同",
    "stale_decision": "决定后有新版本",
}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    blocking: bool
    overridable: bool = True
    subject: str = ""  # what it is about, when a dossier can have several (a file's SHA-256)
    explained: str | None = None  # the reviewer's note once a signal is marked explained

    @property
    def label(self) -> str:
        return FINDING_LABELS.get(self.code, self.code)

    @property
    def stands(self) -> bool:
        """Still blocks an approval: blocking and not explained away."""
        return self.blocking and self.explained is None

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "blocking": self.blocking,
            "overridable": self.overridable,
            "explained": self.explained is not None,
        }


@dataclass(frozen=True)
class Revocation:
    number: str
    revoked_on: date
    ground: int | None  # the article it rests on; None: not recorded


@dataclass(frozen=True)
class Holding:
    """A certificate the applicant holds from an earlier round."""

    number: str
    valid_until: date
    revoked_on: date | None


@dataclass(frozen=True)
class Twin:
    """An evidence file byte-identical to one of another applicant's."""

    sha256: str
    mine: str
    other_name: str
    other_uscc: str
    other_round: str
    theirs: str


def outside_city(book: Rulebook, uscc: str) -> Finding | None:
    """The code's region (characters 3–8) outside the measure's city (rule 14; 西安 rule 10)."""
    prefix = book.region_prefix
    region = uscc[2:8]
    if not prefix or region.startswith(prefix):
        return None
    return Finding(
        "outside_city",
        f"统一社会信用代码的行政区划码为{region}，不在{book.city}（{prefix}开头）范围内："
        "请核实注册地；如确属本市（如已迁入），只能作为例外认定并写明理由。",
        blocking=True,
    )


def revocation_findings(
    book: Rulebook, revocations: Sequence[Revocation], reference_date: date
) -> list[Finding]:
    """Rule 16: a revocation under a barring article within the bar is a legal bar; one with no
    ground recorded, within the bar, is for a person to decide. Other grounds bar nothing."""
    years = book.procedure.reapply_bar_years
    if not years:
        return []
    out: list[Finding] = []
    for rev in revocations:
        if rev.revoked_on > reference_date or reference_date >= add_years(rev.revoked_on, years):
            continue
        until = add_years(rev.revoked_on, years).isoformat()
        if rev.ground is None:
            out.append(
                Finding(
                    "revoked_before",
                    f"该单位的示范平台称号（{rev.number}）已于{rev.revoked_on.isoformat()}撤销，"
                    f"名录未登记撤销依据：如系违法违规撤销，{until}前不得申报；请核实后决定。",
                    blocking=True,
                )
            )
        elif rev.ground in book.procedure.bar_articles:
            out.append(
                Finding(
                    "barred_after_revocation",
                    f"该单位的示范平台称号（{rev.number}）已于{rev.revoked_on.isoformat()}依"
                    f"{article_label(rev.ground)}撤销，{years}年内（{until}前）不得申报，"
                    "不能认定。",
                    blocking=True,
                    overridable=False,
                )
            )
    return out


def already_certified(holdings: Sequence[Holding], round_year: int) -> Finding | None:
    """Rule 15: a title that does not expire in the round's year may not re-apply yet."""
    for h in holdings:
        if h.revoked_on is None and h.valid_until.year > round_year:
            return Finding(
                "already_certified",
                f"该单位已是示范平台（{h.number}，有效期至{h.valid_until.isoformat()}）："
                f"到期当年（{h.valid_until.year}年）方可重新申报。",
                blocking=True,
            )
    return None


def duplicate_evidence(twin: Twin, explained: str | None) -> Finding:
    """A signal, not a block: a shared government template is legitimate."""
    return Finding(
        "duplicate_evidence",
        f"材料“{twin.mine}”与{twin.other_name}（{twin.other_uscc}，{twin.other_round}）的"
        f"“{twin.theirs}”完全相同（SHA-256 {twin.sha256[:12]}…）。",
        blocking=False,
        subject=twin.sha256,
        explained=explained,
    )


def stale_decision(label: str, decided_on: int | None, newest: int) -> Finding | None:
    if decided_on is None or decided_on >= newest:
        return None
    return Finding(
        "stale_decision",
        f"“{label}”决定作出于第{decided_on}版，其后又收到第{newest}版：请重新确认决定。",
        blocking=False,
    )
