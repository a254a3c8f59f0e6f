"""Member names that try to hide: two members of one path, and names with bidi overrides.

A zip may hold two members of the same name (zipfile, 7-Zip and hand-made zips all allow it);
each is evidence and must be stored under a name of its own, or a reviewer sees one file where
the county sent two. A name with U+202E reads backwards; it is kept as written (the record) and
shown with the override made visible (safe_text.visible, used by every window).
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from importing.helpers import add_member, evidence_bytes, make_form, new_round
from sqlalchemy import select

from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import import_package
from sme_review_desktop.models import EvidenceFile
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.safe_text import visible


def test_two_members_of_one_path_are_both_kept_under_distinct_names(
    store: Store, tmp_path: Path
) -> None:
    form = make_form(tmp_path / "form" / "申报数据表.xlsx")
    target = tmp_path / "重复.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(target, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        add_member(zf, "平台/申报数据表.xlsx", form.read_bytes())
        add_member(zf, "平台/03_营业执照.pdf", evidence_bytes("first"))
        add_member(zf, "平台/03_营业执照.pdf", evidence_bytes("second"))
        add_member(zf, "平台/03_营业执照.PDF", evidence_bytes("third"))
        add_member(zf, "平台/03_营业执照\u202efdp.exe", evidence_bytes("rlo"))
    [package] = list(discover([target]))
    names = sorted(f.rel_path for f in package.evidence)
    assert names == sorted(
        [
            "03_营业执照.pdf",
            "03_营业执照（2）.pdf",
            "03_营业执照（3）.PDF",
            "03_营业执照\u202efdp.exe",
        ]
    )
    result = import_package(store, new_round(store), package, "测试")
    assert result.status == "imported", result.errors
    with store.read() as session:
        stored = {f.rel_path: f.blob.sha256 for f in session.scalars(select(EvidenceFile))}
    assert len(stored) == 4 and len(set(stored.values())) == 4  # four files, four contents
    assert visible("03_营业执照\u202efdp.exe") == "03_营业执照⟨U+202E⟩fdp.exe"
