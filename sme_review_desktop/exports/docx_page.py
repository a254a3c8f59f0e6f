"""A Word document on the GB/T 9704-2012 page, ready for a bureau to edit before it is stamped.

A4 with margins that leave a 156 × 225 mm type area 37 mm from the top and 28 mm from the
left; 22 lines by the document grid (``w:docGrid`` type lines, 579 twips a line, and exact line
spacing of the same, so every application lands on it) and 28 characters a line by tightening
3号 by 0.25 pt (15.75 pt a character: 28 fit 156 mm, 29 do not); body 仿宋_GB2312, titles
2号 方正小标宋简体, headings 黑体, page numbers 「— 1 —」 in 4号 alternating right and left
(GB/T 9704 7.5). The character grid of Word's 公文 templates (linesAndChars with a negative
charSpace) was tried first: LibreOffice gives every 16 pt character two 15.79 pt cells and sets
14 characters a line, so the tightened spacing, which Word, WPS and LibreOffice all honour, won.

The font names written are the ones the standard names (the first choice of exports/fonts for
each role) whatever this PC has: a .docx is opened on the bureau's own PCs, where Word or WPS
use those faces or substitute their own; the PDF embeds what this PC has instead.
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.gov_grid import CHARS, LINES, SIZE_BODY, SIZE_PAGE

PAGE_W, PAGE_H = 210, 297  # mm
TOP, LEFT, TYPE_W, TYPE_H = 37, 28, 156, 225  # mm
RIGHT, BOTTOM = PAGE_W - LEFT - TYPE_W, PAGE_H - TOP - TYPE_H  # 26 mm, 35 mm
TWIPS_PER_MM = 1440 / 25.4
LINE_PITCH = int(TYPE_H * TWIPS_PER_MM / LINES)  # 579 twips: 22 lines in 225 mm
CHAR_PITCH_PT = TYPE_W / 25.4 * 72 / CHARS  # 15.79 pt: 28 characters in 156 mm
# Word's charSpace: the grid's character pitch minus the default size, in 1/4096 pt.
CHAR_SPACE = round((CHAR_PITCH_PT - SIZE_BODY) * 4096)
LINE_PT = LINE_PITCH / 20
GRID_TYPE = "lines"
TIGHTEN = -5  # twentieths of a point after each character: 28 × 15.75 pt fit 156 mm


def face_name(role: str) -> str:
    """The face the standard names for a role: 方正小标宋简体, 仿宋_GB2312, 黑体."""
    return fonts.CANDIDATES[role][0].family


def set_fonts(rpr_owner: object, name: str) -> None:
    """Set every script's font of a run or style (``w:rFonts``): Chinese, Latin and digits
    alike, as 公文 templates do, so a date's digits are in 仿宋 too."""
    rpr = rpr_owner._element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance = Mm(15)
    # 页码: 一字线上距版心下边缘 7 mm (GB/T 9704 7.5); the footer's text box starts there.
    section.footer_distance = Mm(BOTTOM - 7 - 5)
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), GRID_TYPE)
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    if GRID_TYPE == "linesAndChars":
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    set_fonts(normal, face_name(fonts.BODY))
    normal.font.size = Pt(SIZE_BODY)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(LINE_PT)  # exactly one grid line, whatever the application's grid
    fmt.widow_control = False  # GB/T 9704 fills pages line by line
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    if GRID_TYPE == "lines":
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(TIGHTEN))
        normal.element.get_or_add_rPr().append(spacing)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH, side: str) -> None:
    """「— n —」, 4号, one character in from its side (单页居右, 双页居左)."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if side == "right":
        fmt.right_indent = Pt(SIZE_PAGE)
    else:
        fmt.left_indent = Pt(SIZE_PAGE)
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for r in paragraph._p.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            r.insert(0, rpr)
        for tag, value in (("w:sz", SIZE_PAGE * 2), ("w:szCs", SIZE_PAGE * 2)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), str(value))
            rpr.append(el)


def _footers(doc: DocxDocument) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT, "right")
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT, "left")


def new_document(title: str, *, author: str = "") -> DocxDocument:
    """An empty GB/T 9704 document whose properties name it and the faces it asks for."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _footers(doc)
    props = doc.core_properties
    props.title = title
    props.author = author or "示范平台认定评审系统"
    props.subject = title
    names = (face_name(fonts.TITLE), face_name(fonts.BODY), face_name(fonts.HEADING))
    props.keywords = "字体 标题：{}；正文：{}；附件标识：{}".format(*names)
    props.comments = "GB/T 9704-2012 版式：A4，版心156×225毫米，每页22行、每行28字。"
    return doc
