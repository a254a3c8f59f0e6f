"""The whole measure as HTML for reading in the app (办法原文), with an anchor per article."""

from __future__ import annotations

from html import escape

from sme_review_desktop.rules.rulebook import Rulebook, TextItem
from sme_review_desktop.text.numbering import article_label, chapter_label, item_label


def _items(items: tuple[TextItem, ...], style: str) -> str:
    out = []
    for it in items:
        text = escape(it.text) + "".join(f"<br>{escape(p)}" for p in it.paragraphs)
        out.append(f"<p style='margin-left:2em'>{item_label(it.number, style)}{text}</p>")
        if it.items:
            out.append(_items(it.items, it.item_style))
    return "".join(out)


def measure_html(book: Rulebook, highlight: int | None = None) -> str:
    """The measure in its own words and numbering; ``highlight`` marks one article."""
    parts = [f"<h2 style='text-align:center'>{escape(book.title)}</h2>"]
    if book.document_number:
        parts.append(f"<p style='text-align:center'>{escape(book.document_number)}</p>")
    if book.status:
        parts.append(f"<p style='text-align:center'>（{escape(book.status)}）</p>")
    for para in book.preamble:
        parts.append(f"<p>{escape(para)}</p>")
    for chapter in book.chapters:
        parts.append(
            f"<h3 style='text-align:center'>{chapter_label(chapter.number)}　{escape(chapter.title)}</h3>"
        )
        for art in chapter.articles:
            style = " style='background:#fff3c4'" if art.number == highlight else ""
            body = "".join(f"{escape(p)}<br>" for p in art.paragraphs).removesuffix("<br>")
            parts.append(f"<a name='a{art.number}'></a><div{style}>")
            parts.append(f"<p><b>{article_label(art.number)}</b>　{body}</p>")
            parts.append(_items(art.items, art.item_style))
            parts.extend(f"<p>{escape(p)}</p>" for p in art.closing)
            parts.append("</div>")
    parts.extend(f"<p>{escape(p)}</p>" for p in book.appendix)
    return "".join(parts)
