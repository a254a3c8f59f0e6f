"""The certificates' reference: reportlab drawing one line of text on each of N pages.

The same bundled TrueType font the certificates use, embedded (subset) as they are, so the
comparison measures the certificate's own drawing (frame, paragraphs, QR code) and the app's
start-up, not the cost of embedding a CJK font.

    python benchmarks/ref_certificates.py OUT.pdf 500
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = (
    Path(__file__).resolve().parent.parent
    / "sme_review_desktop"
    / "resources"
    / "fonts"
    / "LXGWWenKai-Regular.ttf"
)


def main() -> None:
    target, pages = sys.argv[1], int(sys.argv[2])
    pdfmetrics.registerFont(TTFont("WenKai", str(FONT)))
    canvas = Canvas(target, pagesize=landscape(A4))
    for n in range(pages):
        canvas.setFont("WenKai", 20)
        canvas.drawString(72, 300, f"示范平台证书第{n + 1}页")
        canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    main()
