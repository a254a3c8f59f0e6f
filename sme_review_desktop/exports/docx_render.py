"""The parts of a GB/T 9704 document (exports/gov_parts) as Word paragraphs and tables, so the
.docx says what the PDF says: the same list of parts is laid out by gov_layout for the PDF and
here for Word, where the application does the line breaking and the bureau edits the text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.docx_page import face_name, new_document, set_fonts
from sme_review_desktop.exports.gov_grid import SIZE_BODY, SIZE_TITLE, cn_date
from sme_review_desktop.exports.gov_layout import balanced_title, column_widths
from sme_review_desktop.exports.gov_parts import Blank, NewPage, Para, Part, Signature, Table, Title
from sme_review_desktop.store.atomic import atomic_path

ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _run(paragraph: Paragraph, text: str, role: str, size: float) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if role != fonts.BODY:
        set_fonts(run, face_name(role))


def _para(doc: DocxDocument, p: Para) -> None:
    out = doc.add_paragraph()
    out.alignment = ALIGN[p.align]
    fmt = out.paragraph_format
    if p.hang:  # later lines ``hang`` characters in, the first ``indent``
        fmt.left_indent = Pt(p.hang * p.size)
        fmt.first_line_indent = Pt((p.indent - p.hang) * p.size)
    elif p.indent:
        fmt.first_line_indent = Pt(p.indent * p.size)
    _run(out, p.text, p.role, p.size)


def _title(doc: DocxDocument, t: Title) -> None:
    """Centred, broken where the PDF breaks it (between words, lines balanced): a line break
    in one paragraph, so an edited title still reflows as one."""
    out = doc.add_paragraph()
    out.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, line in enumerate(balanced_title(t.text, fonts.title_font())):
        if n:
            out.runs[-1].add_break()
        _run(out, line, fonts.TITLE, SIZE_TITLE)


def _signature(doc: DocxDocument, s: Signature) -> None:
    """成文日期右空四字; 署名 centred over it (GB/T 9704 7.3.5.2), after room for the seal."""
    day = cn_date(s.day)
    # Never the 署名 alone on a page (GB/T 9704 7.3.5.3): the text's last paragraph, the room
    # for the seal and the two lines go to the next page together if they must.
    for previous in reversed(doc.paragraphs):
        previous.paragraph_format.keep_with_next = True
        if previous.text.strip():
            break
    for _ in range(s.space):
        doc.add_paragraph().paragraph_format.keep_with_next = True
    date_w, issuer_w = len(day) * SIZE_BODY, len(s.issuer) * SIZE_BODY
    for text, right in (
        (s.issuer, 4 * SIZE_BODY + max(0.0, (date_w - issuer_w) / 2)),
        (day, 4 * SIZE_BODY),
    ):
        out = doc.add_paragraph()
        out.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        out.paragraph_format.right_indent = Pt(right)
        out.paragraph_format.keep_with_next = text == s.issuer
        _run(out, text, fonts.BODY, SIZE_BODY)


def _no_grid(paragraph: Paragraph) -> None:
    """A table cell's lines at their own height, not snapped to the page's 28.95 pt grid."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)
    paragraph.paragraph_format.line_spacing = 1.0


def _cell_margins(table: DocxTable, twips: int) -> None:
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)


def _table(doc: DocxDocument, t: Table) -> None:
    """The PDF's size and column widths (headers on one line), the header row repeated."""
    size, widths = column_widths(t, fonts.body_font())
    table: DocxTable = doc.add_table(rows=1 + len(t.rows), cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table, round(0.35 * size * 20))  # the PDF's padding, which the widths allow
    table.autofit = False
    for j, width in enumerate(widths):  # the grid (LibreOffice reads it) and each cell (Word)
        table.columns[j].width = Pt(width)
        for cell in table.columns[j].cells:
            cell.width = Pt(width)
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header again on every page
    trpr.append(repeat)
    for r, values in enumerate([t.columns, *t.rows]):
        for j, value in enumerate(values):
            paragraph = table.cell(r, j).paragraphs[0]
            _no_grid(paragraph)
            paragraph.alignment = ALIGN["center" if r == 0 else t.aligns[j]]
            _run(paragraph, value, fonts.HEADING if r == 0 else fonts.BODY, size)


def _page_break(doc: DocxDocument) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def render(doc: DocxDocument, parts: Sequence[Part]) -> None:
    for part in parts:
        if isinstance(part, Para):
            _para(doc, part)
        elif isinstance(part, Title):
            _title(doc, part)
        elif isinstance(part, Blank):
            for _ in range(part.lines):
                doc.add_paragraph()
        elif isinstance(part, Signature):
            _signature(doc, part)
        elif isinstance(part, NewPage):
            _page_break(doc)
        else:
            _table(doc, part)


def write_parts(target: Path, title: str, parts: Sequence[Part], *, author: str = "") -> Path:
    """A .docx of the parts, written whole or not at all."""
    doc = new_document(title, author=author)
    render(doc, parts)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))
    return target
