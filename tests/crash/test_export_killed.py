"""SIGKILL during PDF export: the target is the old file, absent, or a whole new PDF, never torn.

A killed writer cannot remove its temporary ``.part`` file; the next export into the same folder
sweeps it away (exports/atomic.py), so nothing is left behind for long either.
"""

from __future__ import annotations

import io
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from approval_helpers import approve
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from sme_review_desktop.exports.certificates import write_certificates
from sme_review_desktop.exports.notice import write_notice
from sme_review_desktop.exports.review_report import write_review_report
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.rounds import update_settings
from sme_review_desktop.store.database import Store, open_store

from .conftest import assert_store_sound, copy_data, run_cli

ROUND = 1


@dataclass
class Bench:
    template: Path  # a finalised round: three certificates, publicity done
    uscc: str


@pytest.fixture(scope="module")
def bench(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    base = tmp_path_factory.mktemp("crash-export")
    template = copy_data(demo_template, base / "template")
    store = open_store(template)
    rows = dossier_summaries(store, ROUND)
    for row in rows[:3]:
        approve(store, ROUND, row.uscc, "符合条件", "组长")
    update_settings(store, ROUND, {"objection_contact": "中小企业科 0635-8888888"}, "秘书")
    start_publicity(store, ROUND, date(2026, 9, 28), "秘书")
    finalize(store, ROUND, date(2026, 10, 12), "局长")
    store.close()
    yield Bench(template, rows[0].uscc)
    shutil.rmtree(base, ignore_errors=True)


def _old_pdf() -> bytes:
    """An older, good PDF that sits under the target name before the export."""
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(100, 700, "an older export")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


OLD = _old_pdf()


def _whole_pdf_pages(path: Path) -> int:
    """Pages of a complete PDF; a torn one fails here (strict parsing, trailer at the end)."""
    data = path.read_bytes()
    assert data.rstrip().endswith(b"%%EOF"), path
    reader = PdfReader(io.BytesIO(data), strict=True)
    for page in reader.pages:
        page.extract_text()
    return len(reader.pages)


def _parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


COMMANDS = {
    "certificates": ["export", "certificates", "--round", str(ROUND)],
    "notice": ["export", "notice", "--round", str(ROUND)],
    "final-notice": ["export", "notice", "--round", str(ROUND), "--final"],
    "report": ["export", "report", "--round", str(ROUND), "--uscc", "{uscc}"],
}
# where each command is killed: (point, target); every point meets both kinds of target
KILLS = {
    "certificates": [("write:0.0", "existing"), ("replace", "new")],
    "notice": [("write:0.5", "existing"), ("write:0.99", "new")],
    "final-notice": [("replace", "existing"), ("write:0.5", "new")],
    "report": [("write:0.99", "existing"), ("write:0.0", "new")],
}


def _args(bench: Bench, what: str, target: Path) -> list[str]:
    return [a.format(uscc=bench.uscc) for a in COMMANDS[what]] + ["-o", str(target)]


def _export(store: Store, bench: Bench, what: str, target: Path) -> None:
    """The same export, in this process (a clean run to compare with, or the next write)."""
    if what == "certificates":
        write_certificates(store, ROUND, target)
    elif what == "report":
        write_review_report(store, ROUND, bench.uscc, target)
    else:
        write_notice(store, ROUND, target, final=what == "final-notice")


@pytest.mark.parametrize("what", sorted(COMMANDS))
def test_killed_while_writing_or_renaming(bench: Bench, tmp_path: Path, what: str) -> None:
    data = copy_data(bench.template, tmp_path / "data")
    out = tmp_path / "导出"
    out.mkdir()
    store = open_store(data)
    try:
        _export(store, bench, what, out / "参照.pdf")
        pages = _whole_pdf_pages(out / "参照.pdf")
        targets = {"existing": out / "已有.pdf", "new": out / "新文件.pdf"}
        targets["existing"].write_bytes(OLD)
        for point, kind in KILLS[what]:
            target = targets[kind]
            assert run_cli(tmp_path, data, _args(bench, what, target), point).killed
            if kind == "existing":
                assert target.read_bytes() == OLD, point  # the older good file is untouched
            else:
                assert not target.exists(), point
            # the killed writer's temporary file is there, beside the target, named for it...
            [part] = _parts(out)
            assert part.startswith(f".{target.name}."), part
            # ...until the next export into this folder, which sweeps it
            _export(store, bench, what, out / "下一次.pdf")
            assert _parts(out) == []
            assert _whole_pdf_pages(out / "下一次.pdf") == pages
        # the interrupted targets are written whole the next time
        for target in targets.values():
            _export(store, bench, what, target)
            assert _whole_pdf_pages(target) == pages
    finally:
        store.close()
    assert _parts(out) == []
    assert_store_sound(data)


def test_killed_at_random_moments_of_an_export(bench: Bench, tmp_path: Path) -> None:
    data = copy_data(bench.template, tmp_path / "data")
    out = tmp_path / "导出"
    out.mkdir()
    clean = run_cli(tmp_path, data, _args(bench, "certificates", out / "计时.pdf"))
    assert clean.returncode == 0, clean.stderr
    store = open_store(data)
    try:
        pages = {}
        for what in COMMANDS:
            _export(store, bench, what, out / f"{what}-参照.pdf")
            pages[what] = _whole_pdf_pages(out / f"{what}-参照.pdf")
        rng = random.Random(9)
        killed = 0
        for n in range(6):
            what = sorted(COMMANDS)[n % len(COMMANDS)]
            target = out / f"{what}.pdf"
            if not target.exists():
                target.write_bytes(OLD)
            before = target.read_bytes()
            delay = rng.uniform(0.2, 1.0) * clean.seconds
            killed += run_cli(tmp_path, data, _args(bench, what, target), delay=delay).killed
            if target.read_bytes() != before:
                assert _whole_pdf_pages(target) == pages[what]  # replaced: then whole
        assert killed >= 4  # most kills landed while the export ran
        _export(store, bench, "report", out / "最后.pdf")
    finally:
        store.close()
    assert _parts(out) == []  # whatever the kills left, the next export swept
    assert_store_sound(data)
