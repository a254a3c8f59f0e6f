"""Draw the application icon: a red seal with 评 in the bundled font LXGW WenKai.

    QT_QPA_PLATFORM=offscreen python installer/make_icons.py

writes sme_review_desktop/resources/icons/app.svg (the glyph as outlines, so no font is needed to show it),
app.png (256 px), app-256.png, app-64.png, app-32.png and a multi-size app.ico (16–256 px) for
the Windows executables and the installer. Run it again after changing the design; commit the
results.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "sme_review_desktop" / "resources" / "fonts" / "LXGWWenKai-Regular.ttf"
OUT = ROOT / "sme_review_desktop" / "resources" / "icons"
GLYPH = "评"
SEAL_RED = QColor("#c0262d")
PAPER = QColor("#fffaf3")
PNG_SIZES = (256, 64, 32)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
CANVAS = 256.0  # the design is drawn in a 256 × 256 box and scaled


def glyph_path() -> QPainterPath:
    """评 as outlines from the bundled font, centred in the seal and sized to fill it."""
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    if font_id < 0:
        raise SystemExit(f"cannot load {FONT}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(family)
    font.setPixelSize(200)
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, GLYPH)
    box = path.boundingRect()
    target = CANVAS * 0.50  # the glyph's larger side, inside the inner ring
    scale = target / max(box.width(), box.height())
    transform = QTransform()
    transform.translate(CANVAS / 2, CANVAS / 2)
    transform.scale(scale, scale)
    transform.translate(-box.center().x(), -box.center().y())
    return transform.map(path)


def draw(painter: QPainter, size: int, glyph: QPainterPath) -> None:
    """The seal at ``size`` pixels: a red disc, a thin paper-coloured ring, the white glyph."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / CANVAS, size / CANVAS)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(SEAL_RED))
    painter.drawEllipse(QRectF(6, 6, CANVAS - 12, CANVAS - 12))
    if size >= 32:  # below that the ring is mush; the disc and glyph read better alone
        painter.setPen(QPen(PAPER, 7))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(24, 24, CANVAS - 48, CANVAS - 48))
    # WenKai's strokes are light; outline the glyph in its own colour to give it weight, more
    # so the smaller the icon.
    painter.setPen(QPen(PAPER, 4 if size >= 128 else 9 if size >= 32 else 14))
    painter.setBrush(QBrush(PAPER))
    if size < 32:
        painter.translate(CANVAS / 2, CANVAS / 2)
        painter.scale(1.3, 1.3)
        painter.translate(-CANVAS / 2, -CANVAS / 2)
    painter.drawPath(glyph)


def render(size: int, glyph: QPainterPath) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    draw(painter, size, glyph)
    painter.end()
    return image


def svg_path_data(path: QPainterPath) -> str:
    parts: list[str] = []
    i = 0
    kinds = QPainterPath.ElementType
    while i < path.elementCount():
        e = path.elementAt(i)
        if e.type == kinds.MoveToElement:
            parts.append(f"M{e.x:.2f} {e.y:.2f}")
        elif e.type == kinds.LineToElement:
            parts.append(f"L{e.x:.2f} {e.y:.2f}")
        elif e.type == kinds.CurveToElement:
            c2, end = path.elementAt(i + 1), path.elementAt(i + 2)
            parts.append(f"C{e.x:.2f} {e.y:.2f} {c2.x:.2f} {c2.y:.2f} {end.x:.2f} {end.y:.2f}")
            i += 2
        i += 1
    return "".join(parts) + "Z"


def svg(glyph: QPainterPath) -> str:
    rule = "nonzero" if glyph.fillRule() == Qt.FillRule.WindingFill else "evenodd"
    red, paper = SEAL_RED.name(), PAPER.name()
    c = CANVAS / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">\n'
        f"  <title>示范平台认定评审系统</title>\n"
        f'  <circle cx="{c}" cy="{c}" r="{c - 6}" fill="{red}"/>\n'
        f'  <circle cx="{c}" cy="{c}" r="{c - 24}" fill="none" stroke="{paper}" stroke-width="7"/>\n'
        f'  <path fill="{paper}" stroke="{paper}" stroke-width="4" stroke-linejoin="round" '
        f'fill-rule="{rule}" d="{svg_path_data(glyph)}"/>\n'
        f"</svg>\n"
    )


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """An icon entry as a 32-bit DIB (what every Windows version reads for the small sizes)."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in reversed(range(size)):  # bottom-up; ARGB32 is B, G, R, A in memory
        line = memoryview(image.constScanLine(y))  # type: ignore[arg-type]
        rows.append(line.tobytes()[: size * 4])
    mask_row = b"\0" * (((size + 31) // 32) * 4)  # the alpha channel decides; mask all opaque
    return header + b"".join(rows) + mask_row * size


def ico(images: list[QImage]) -> bytes:
    """A multi-size .ico: DIB entries up to 128 px, PNG for 256 px (as Windows' own icons)."""
    blobs = [png_bytes(im) if im.width() >= 256 else dib_bytes(im) for im in images]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for im, blob in zip(images, blobs, strict=True):
        side = im.width() if im.width() < 256 else 0  # 0 means 256
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    return out + b"".join(blobs)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    glyph = glyph_path()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "app.svg").write_text(svg(glyph), encoding="utf-8")
    for size in PNG_SIZES:
        render(size, glyph).save(str(OUT / f"app-{size}.png"))
    render(256, glyph).save(str(OUT / "app.png"))
    (OUT / "app.ico").write_bytes(ico([render(s, glyph) for s in ICO_SIZES]))
    for name in sorted(p.name for p in OUT.iterdir()):
        print(OUT / name)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
