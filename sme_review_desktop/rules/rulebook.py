"""Loading rulebooks (办法) from ``resources/rulebooks/*.yaml`` into typed, validated objects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sme_review_desktop.errors import RulebookError
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.store.paths import resources_dir
from sme_review_desktop.text.yaml_text import parse_yaml

OPS = (">=", ">", "<=", "<")


@dataclass(frozen=True)
class Relaxation:
    """A lower threshold for some 单位性质 (聊城 第七条 last paragraph)."""

    legal_forms: tuple[str, ...]
    value: Decimal


@dataclass(frozen=True)
class Part:
    """One clause of a condition item: a reviewer's judgment, or a check the app makes."""

    id: str
    text: str
    judge: bool = False
    check: str | None = None
    field: str | None = None
    op: str = ">="
    value: Decimal | None = None
    previous: str | None = None
    of: str | None = None
    prefixes: tuple[str, ...] = ()
    groups: tuple[tuple[Part, ...], ...] = ()
    relaxed: Relaxation | None = None
    relaxed_only: bool = False

    def fields_used(self) -> list[str]:
        """Data-form keys this part reads, for showing declared figures beside it."""
        keys = [k for k in (self.field, self.previous, self.of) if k]
        for group in self.groups:
            for part in group:
                keys.extend(part.fields_used())
        if self.check == "region":
            keys.append("uscc")
        return keys


@dataclass(frozen=True)
class ConditionItem:
    article: int
    item: int
    title: str
    parts: tuple[Part, ...]
    function: str | None = None


@dataclass(frozen=True)
class ConditionArticle:
    article: int
    rule: str  # all | each_declared | at_least_one
    items: tuple[ConditionItem, ...]
    min_declared: int = 1
    min_declared_by_type: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TextItem:
    """A numbered item of an article's text; it may hold sub-items (西安 第十九条（四）（1）…)."""

    number: int
    text: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[TextItem, ...] = ()
    item_style: str = "paren_chinese"


def _text_item(raw: dict[str, Any]) -> TextItem:
    return TextItem(
        number=raw["number"],
        text=raw.get("text", ""),
        paragraphs=tuple(raw.get("paragraphs", ())),
        items=tuple(_text_item(i) for i in raw.get("items", ())),
        item_style=raw.get("item_style", "paren_chinese"),
    )


@dataclass(frozen=True)
class Article:
    number: int
    paragraphs: tuple[str, ...]
    items: tuple[TextItem, ...] = ()
    closing: tuple[str, ...] = ()
    item_style: str = "paren_chinese"


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Material:
    number: int
    title: str
    required: bool = True


@dataclass(frozen=True)
class ReportDuty:
    kind: str  # quarterly | annual
    day: int | str  # a day of the month, or "last"
    text: str
    article: int | None = None
    month: int | None = None


@dataclass(frozen=True)
class Procedure:
    publicity_working_days: int | None
    default_publicity_working_days: int
    validity_years: int
    decisions: tuple[str, ...]
    reports: tuple[ReportDuty, ...]
    reapply_bar_years: int
    revocation_grounds: tuple[str, ...]
    complaints_per_year: int | None
    raw: dict[str, Any]
    # The articles a revocation may rest on, and those of them that bar re-application
    # (聊城 第二十二条 only; measures.md rule 16).
    ground_articles: tuple[int, ...] = ()
    bar_articles: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rulebook:
    """办法: a whole measure, its materials, procedure and conditions as data."""

    id: str
    title: str
    city: str
    authority: str
    document_number: str
    issued_on: date | None
    status: str
    platform_types: tuple[str, ...]
    form_fields: tuple[str, ...]
    preamble: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    appendix: tuple[str, ...]
    materials: tuple[Material, ...]
    materials_article: int
    procedure: Procedure
    conditions: tuple[ConditionArticle, ...]
    sha256: str
    path: Path
    # 统一社会信用代码 characters 3–8 of an applicant in the city start with this; "" checks nothing.
    region_prefix: str = ""

    def article(self, number: int) -> Article:
        for chapter in self.chapters:
            for art in chapter.articles:
                if art.number == number:
                    return art
        raise KeyError(number)

    def condition_items(self) -> list[ConditionItem]:
        return [item for art in self.conditions for item in art.items]


def rulebooks_dir() -> Path:
    return resources_dir() / "rulebooks"


@cache
def _schema() -> dict[str, Any]:
    path = rulebooks_dir() / "rulebook.schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Any:
    """The schema's validator, made once. Unlike jsonschema.validate it does not check the
    shipped schema itself on every load (0.1 s a rulebook); tests/rules checks it once."""
    import jsonschema

    schema = _schema()
    return jsonschema.validators.validator_for(schema)(schema)


def _dec(v: Any) -> Decimal:
    return Decimal(str(v))


def _part(raw: dict[str, Any]) -> Part:
    relaxed = raw.get("relaxed")
    return Part(
        id=raw["id"],
        text=raw["text"],
        judge=bool(raw.get("judge", False)),
        check=raw.get("check"),
        field=raw.get("field"),
        op=raw.get("op", ">="),
        value=_dec(raw["value"]) if "value" in raw else None,
        previous=raw.get("previous"),
        of=raw.get("of"),
        prefixes=tuple(str(p) for p in raw.get("prefixes", ())),
        groups=tuple(tuple(_part(p) for p in g) for g in raw.get("groups", ())),
        relaxed=Relaxation(tuple(relaxed["legal_forms"]), _dec(relaxed["value"]))
        if relaxed
        else None,
        relaxed_only=bool(raw.get("relaxed_only", False)),
    )


def _check_fields(data: dict[str, Any], where: str) -> None:
    """Every key a condition reads must exist in the data form: a typo must not pass silently."""
    known = field_catalogue()
    for key in data["form_fields"]:
        if key not in known:
            raise RulebookError(f"{where}：form_fields 中的字段 {key} 不在申报数据表字段表中")
    for art in data["conditions"]:
        for item in art["items"]:
            stack = list(item["parts"])
            if item.get("function") and item["function"] not in known:
                raise RulebookError(
                    f"{where}：第{art['article']}条的功能字段 {item['function']} 不存在"
                )
            while stack:
                part = stack.pop()
                for g in part.get("groups", ()):
                    stack.extend(g)
                for k in ("field", "previous", "of"):
                    if k in part and part[k] not in known:
                        raise RulebookError(
                            f"{where}：第{art['article']}条第{item['item']}项 {part['id']} "
                            f"引用了不存在的字段 {part[k]}"
                        )


def load_rulebook(path: Path) -> Rulebook:
    """Read, validate and build one rulebook; every problem is a RulebookError naming the file."""
    import jsonschema  # here, in the worker that first needs a rulebook, not at start-up

    try:
        content = path.read_bytes()
        data = parse_yaml(content.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RulebookError(f"无法读取办法规则文件 {path.name}：{exc}") from exc
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:  # the error jsonschema.validate would raise
        where = "/".join(str(p) for p in error.absolute_path) or "（顶层）"
        raise RulebookError(f"办法规则文件 {path.name} 不符合格式，位置 {where}：{error.message}")
    _check_fields(data, path.name)
    try:  # the schema checks the pattern only; 2021-02-30 must not escape as a ValueError
        issued_on = date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None
    except ValueError:
        raise RulebookError(
            f"办法规则文件 {path.name} 不符合格式，位置 issued_on：{data['issued_on']} 不是有效日期"
        ) from None
    proc = data["procedure"]
    revocation = proc.get("revocation", {})
    text = data["text"]
    return Rulebook(
        id=data["id"],
        title=data["title"],
        city=data["city"],
        authority=data["authority"],
        document_number=data.get("document_number") or "",
        issued_on=issued_on,
        status=data.get("status", ""),
        platform_types=tuple(data.get("platform_types", ())),
        form_fields=tuple(data["form_fields"]),
        preamble=tuple(text.get("preamble", ())),
        chapters=tuple(
            Chapter(
                number=ch["number"],
                title=ch["title"],
                articles=tuple(
                    Article(
                        number=a["number"],
                        paragraphs=tuple(a.get("paragraphs", ())),
                        items=tuple(_text_item(i) for i in a.get("items", ())),
                        closing=tuple(a.get("closing", ())),
                        item_style=a.get("item_style", "paren_chinese"),
                    )
                    for a in ch["articles"]
                ),
            )
            for ch in text["chapters"]
        ),
        appendix=tuple(text.get("appendix", ())),
        materials=tuple(
            Material(m["number"], m["title"], bool(m.get("required", True)))
            for m in data["materials"]["items"]
        ),
        materials_article=data["materials"]["article"],
        procedure=Procedure(
            publicity_working_days=proc["publicity"].get("working_days"),
            default_publicity_working_days=proc.get("default_publicity_working_days", 5),
            validity_years=proc["validity"]["years"],
            decisions=tuple(proc["decisions"]),
            reports=tuple(
                ReportDuty(
                    kind=r["kind"],
                    day=r["day"],
                    text=r.get("text", ""),
                    article=r.get("article"),
                    month=r.get("month"),
                )
                for r in proc.get("reports", ())
            ),
            reapply_bar_years=revocation.get("reapply_bar_years", 0),
            revocation_grounds=tuple(revocation.get("grounds", ())),
            complaints_per_year=revocation.get("complaints_per_year"),
            raw=proc,
            ground_articles=tuple(revocation.get("ground_articles", ())),
            bar_articles=tuple(revocation.get("bar_articles", ())),
        ),
        conditions=tuple(
            ConditionArticle(
                article=a["article"],
                rule=a["rule"],
                min_declared=a.get("min_declared", 1),
                min_declared_by_type=dict(a.get("min_declared_by_type", {})),
                items=tuple(
                    ConditionItem(
                        article=a["article"],
                        item=i["item"],
                        title=i["title"],
                        function=i.get("function"),
                        parts=tuple(_part(p) for p in i["parts"]),
                    )
                    for i in a["items"]
                ),
            )
            for a in data["conditions"]
        ),
        sha256=hashlib.sha256(content).hexdigest(),
        path=path,
        region_prefix=str(data.get("region_prefix", "")),
    )


@cache
def all_rulebooks() -> dict[str, Rulebook]:
    """Every rulebook shipped in resources, by id."""
    books: dict[str, Rulebook] = {}
    for path in sorted(rulebooks_dir().glob("*.yaml")):
        book = load_rulebook(path)
        if book.id in books:
            raise RulebookError(f"办法编号 {book.id} 重复：{path.name}")
        books[book.id] = book
    return books


def get_rulebook(rulebook_id: str) -> Rulebook:
    books = all_rulebooks()
    try:
        return books[rulebook_id]
    except KeyError:
        known = "、".join(books) or "（无）"
        raise RulebookError(f"没有编号为 {rulebook_id} 的办法；可用的办法：{known}") from None
