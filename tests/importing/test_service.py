"""The import service: evidence kept byte for byte by SHA-256, batches, progress, cancelling.

dossier-format.md, "Evidence files and the materials list" and "Accepted shapes" (batch).
"""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from sme_review_desktop import demo
from sme_review_desktop.errors import NotFound
from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import import_package, import_paths
from sme_review_desktop.models import Dossier, DossierVersion, EvidenceBlob, EvidenceFile
from sme_review_desktop.review.evaluation import evaluate_round
from sme_review_desktop.review.walkthrough import load_workspace
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.evidence import EvidenceCorrupt, EvidenceStore
from sme_review_desktop.store.integrity import check_store

from .helpers import (
    LIAOCHENG,
    XIAN,
    code,
    evidence_bytes,
    evidence_of,
    form_rows,
    is_chinese,
    make_folder,
    make_form,
    new_round,
    snapshot,
    staging_leftovers,
    xls_bytes,
    zip_folder,
)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ── evidence ───────────────────────────────────────────────────────────────────


def test_evidence_is_stored_byte_for_byte_under_its_sha256(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    files = {
        "03_营业执照副本.pdf": evidence_bytes("license"),
        "06-活动照片/培训现场.png": bytes(range(256)) * 50,
        "其他/空文件.txt": b"",
    }
    folder = make_folder(tmp_path, files=files)
    (result,) = import_paths(store, rid, [folder], "测试")
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    stored = evidence_of(store, result.dossier_id)
    es = EvidenceStore(store.evidence_dir)
    for rel, data in files.items():
        _material, sha = stored[rel]
        assert sha == _sha(data)
        assert es.blob_path(sha) == store.evidence_dir / sha[:2] / sha
        assert es.blob_path(sha).read_bytes() == data
        assert es.open_verified(sha) == data
        assert es.verify(sha)
    with store.read() as session:
        sizes = {b.sha256: b.size for b in session.scalars(select(EvidenceBlob))}
        version = session.scalars(select(DossierVersion)).one()
    # The data-form workbook is kept whole beside the evidence (dossier-format: 其他工作表原样保存).
    form = (folder / "申报数据表.xlsx").read_bytes()
    assert version.form_path == "申报数据表.xlsx"
    assert version.form_sha256 == _sha(form)
    assert es.open_verified(_sha(form)) == form
    assert sizes == {_sha(d): len(d) for d in [*files.values(), form]}
    assert check_store(store).ok


def test_same_file_in_two_versions_and_two_dossiers_is_stored_once(
    store: Store, tmp_path: Path
) -> None:
    rid = new_round(store)
    shared = evidence_bytes("shared template")
    files = {"13_真实性声明.pdf": shared, "13_真实性声明(副本).pdf": shared}
    a1 = make_folder(tmp_path / "v1", "甲", n=1, files=files)
    a2 = make_folder(tmp_path / "v2", "甲", n=1, files={"（十三）真实性声明.pdf": shared})
    b1 = make_folder(tmp_path / "b", "乙", n=2, files={"13.pdf": shared})
    results = list(import_paths(store, rid, [a1, a2, b1], "测试"))
    assert [r.status for r in results] == ["imported", "new_version", "imported"]
    forms = {_sha((f / "申报数据表.xlsx").read_bytes()) for f in (a1, a2, b1)}
    blobs = {p.name for p in store.evidence_dir.glob("??/*") if p.is_file()}
    assert blobs == {_sha(shared), *forms}
    with store.read() as session:
        assert set(session.scalars(select(EvidenceBlob.sha256))) == {_sha(shared), *forms}
        rows = session.scalars(select(EvidenceFile)).all()
        assert len(rows) == 4
        assert {r.rel_path for r in rows} == {
            "13_真实性声明.pdf",
            "13_真实性声明(副本).pdf",
            "（十三）真实性声明.pdf",
            "13.pdf",
        }
        assert {r.material_number for r in rows} == {13}


def test_earlier_versions_and_their_files_stay_readable(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    v1 = make_folder(tmp_path / "v1", "甲", files={"04_审计报告.pdf": evidence_bytes("old audit")})
    v2 = make_folder(tmp_path / "v2", "甲", files={"04_审计报告.pdf": evidence_bytes("new audit")})
    r1, r2 = import_paths(store, rid, [v1, v2], "测试")
    assert r2.status == "new_version" and r1.dossier_id == r2.dossier_id
    assert r1.dossier_id is not None
    es = EvidenceStore(store.evidence_dir)
    old = evidence_of(store, r1.dossier_id, 1)["04_审计报告.pdf"][1]
    new = evidence_of(store, r1.dossier_id, 2)["04_审计报告.pdf"][1]
    assert es.open_verified(old) == evidence_bytes("old audit")
    assert es.open_verified(new) == evidence_bytes("new audit")
    ws1 = load_workspace(store, r1.dossier_id, 1)
    assert [e.rel_path for e in ws1.evidence] == ["04_审计报告.pdf"]
    assert ws1.versions == [1, 2]


def test_materials_follow_the_naming_rules(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    names = {
        "3": 3,
        "03": 3,
        "03_营业执照.pdf": 3,
        "3.审计报告.pdf": 3,
        "3-副本.pdf": 3,
        "3 扫描件.pdf": 3,
        "三、营业执照.pdf": 3,
        "(四)审计报告.pdf": 4,
        "（五）场所证明.pdf": 5,
        "06-活动照片/1.png": 6,  # the folder's number wins over the file's
        "（六）活动照片/2019-03-15培训.jpg": 6,
        "附件/07_信用报告.pdf": 7,  # an unnumbered folder: the file's own number
        "十四、凭据.pdf": 14,
        "2019年报告.pdf": None,  # a year
        "3年规划.pdf": None,  # a quantity
        "15_附件.pdf": None,  # beyond the list of 14
        "营业执照.pdf": None,  # 其他材料
    }
    files = {name: evidence_bytes(name) for name in names}
    folder = make_folder(tmp_path, files=files)
    (result,) = import_paths(store, rid, [folder], "测试")
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert {k: v[0] for k, v in evidence_of(store, result.dossier_id).items()} == names


def test_materials_numbered_against_the_rounds_measure(store: Store, tmp_path: Path) -> None:
    """西安 lists seven materials: 08_ is 其他材料 there, material 8 in 聊城."""
    files = {"08_资质.pdf": evidence_bytes("8"), "（七）声明.pdf": evidence_bytes("7")}
    lc = new_round(store, LIAOCHENG)
    xa = new_round(store, XIAN, "西安")
    (r1,) = import_paths(store, lc, [make_folder(tmp_path / "a", files=files)], "测试")
    (r2,) = import_paths(store, xa, [make_folder(tmp_path / "b", book_id=XIAN, files=files)], "t")
    assert r1.dossier_id is not None and r2.dossier_id is not None
    assert {k: v[0] for k, v in evidence_of(store, r1.dossier_id).items()} == {
        "08_资质.pdf": 8,
        "（七）声明.pdf": 7,
    }
    assert {k: v[0] for k, v in evidence_of(store, r2.dossier_id).items()} == {
        "08_资质.pdf": None,
        "（七）声明.pdf": 7,
    }


def test_a_changed_evidence_file_is_reported_on_open(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    data = evidence_bytes("original")
    folder = make_folder(tmp_path, files={"03_营业执照.pdf": data})
    (result,) = import_paths(store, rid, [folder], "测试")
    assert result.dossier_id is not None
    sha = evidence_of(store, result.dossier_id)["03_营业执照.pdf"][1]
    es = EvidenceStore(store.evidence_dir)
    es.blob_path(sha).write_bytes(data.replace(b"original", b"tampered"))
    with pytest.raises(EvidenceCorrupt) as info:
        es.open_verified(sha)
    assert "校验值不符" in info.value.message
    assert not es.verify(sha)
    report = check_store(store)
    assert not report.ok and report.evidence
    es.blob_path(sha).unlink()
    with pytest.raises(EvidenceCorrupt) as missing:
        es.open_verified(sha)
    assert "缺失" in missing.value.message


def test_reimport_restores_a_missing_blob(store: Store, tmp_path: Path) -> None:
    """A blob recorded but gone from disk is put back when the same bytes come in again."""
    rid = new_round(store)
    data = evidence_bytes("restore me")
    folder = make_folder(tmp_path, files={"03_营业执照.pdf": data})
    (first,) = import_paths(store, rid, [folder], "测试")
    assert first.status == "imported"
    es = EvidenceStore(store.evidence_dir)
    es.blob_path(_sha(data)).unlink()
    (again,) = import_paths(store, rid, [folder], "测试")
    assert again.status == "unchanged"  # the same bytes: no new version, but the file healed
    assert es.open_verified(_sha(data)) == data


# ── batches ────────────────────────────────────────────────────────────────────


def test_batch_of_thirty_packages(store: Store, tmp_path: Path) -> None:
    """24 demo dossiers in the counties' shapes, plus resubmissions and bad packages."""
    lc = new_round(store, LIAOCHENG)
    batch = tmp_path / "聊城批量"
    lc_book = get_rulebook(LIAOCHENG)
    folders = [
        demo.write_package(batch, lc_book, d, demo.LIAOCHENG_BASE, "371502") for d in demo.LIAOCHENG
    ]
    # the 西安 demo dossiers are 聊城-shaped forms too; number them apart and zip half of them
    for i, d in enumerate(demo.XIAN):
        other = demo.DemoDossier(
            d.platform, d.operator, d.county, f"MA3D{i + 1:04d}", d.why, dict(d.changes)
        )
        pkg = demo.write_package(tmp_path / "src", lc_book, other, demo.LIAOCHENG_BASE, "371503")
        if i % 2:
            zip_folder(pkg, batch / f"{pkg.name}.zip", encoding="gbk" if i % 4 == 1 else None)
        else:
            shutil.copytree(pkg, batch / pkg.name)
    # 25: a bare .xls form; 26: a bare .xlsx form
    try:
        (batch / "zz-旧表.xls").write_bytes(xls_bytes(form_rows(LIAOCHENG, 901)))
    except pytest.skip.Exception:  # no xlwt here: the batch still needs its 30th package
        make_form(batch / "zz-旧表.xlsx", n=901)
    make_form(batch / "zz-新表.xlsx", n=902)
    # 27, 28: resubmissions (补正材料) of two demo dossiers, sorted after their first version
    first = folders[1]
    shutil.copytree(first, batch / f"{first.name}（补正）")
    # (not byte for byte the first: that would be a re-run, "unchanged", not a 补正)
    (batch / f"{first.name}（补正）" / "补正说明.pdf").write_bytes(evidence_bytes("note"))
    second = folders[2]
    shutil.copytree(second, batch / f"{second.name}（补正）")
    (batch / f"{second.name}（补正）" / "04_补充审计报告.pdf").write_bytes(evidence_bytes("fix"))
    # 29: a bad check character; 30: a zip that would write outside its folder
    make_folder(batch, "zz-错码", n=903, uscc="91371502MA3C09030X")
    bad_zip = zip_folder(make_folder(tmp_path / "src", "zz-越界", n=904), batch / "zz-越界.zip")
    with __import__("zipfile").ZipFile(bad_zip, "a") as zf:
        zf.writestr("../escape.pdf", b"x")

    packages = list(discover([batch]))
    assert len(packages) == 30
    seen: list[int] = []
    results = list(
        import_paths(store, lc, [batch], "测试", on_package=lambda i, _p: seen.append(i))
    )
    assert seen == list(range(30))
    assert len(results) == 30
    statuses = [r.status for r in results]
    assert statuses.count("imported") == 26
    assert statuses.count("new_version") == 2
    assert statuses.count("rejected") == 2
    rejected = {Path(r.path).name: r.errors[0] for r in results if r.status == "rejected"}
    assert set(rejected) == {"zz-错码", "zz-越界.zip"}
    assert "统一社会信用代码" in rejected["zz-错码"]
    assert "解压到压缩包目录之外" in rejected["zz-越界.zip"]
    assert all(is_chinese(m) for m in rejected.values())
    resubmitted = [r for r in results if r.status == "new_version"]
    assert {r.platform_name for r in resubmitted} == {
        demo.LIAOCHENG[1].platform,
        demo.LIAOCHENG[2].platform,
    }
    assert all(r.version == 2 for r in resubmitted)
    assert not (tmp_path / "escape.pdf").exists()

    evaluations = evaluate_round(store, lc)
    assert len(evaluations) == 26
    by_name = {e.platform_name: e.as_json() for e in evaluations}
    assert by_name["临清轴承产业技术服务平台"]["version"] == 2
    assert by_name["临清轴承产业技术服务平台"]["overall"] == "unmet"
    assert by_name["聊城法律咨询服务平台"]["missing_materials"] == [12, 13, 14]
    with store.read() as session:
        assert len(session.scalars(select(Dossier).where(Dossier.round_id == lc)).all()) == 26
    assert staging_leftovers(store) == []
    report = check_store(store)
    assert report.ok and report.orphans == []


# ── progress, cancelling, errors ───────────────────────────────────────────────


def test_progress_reaches_the_total(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    files = {f"0{n}_材料.pdf": evidence_bytes(f"p{n}") * (n * 100) for n in range(1, 5)}
    folder = make_folder(tmp_path, files=files)
    calls: list[tuple[int, int]] = []
    (result,) = import_paths(
        store, rid, [folder], "测试", progress=lambda d, t: calls.append((d, t))
    )
    assert result.status == "imported"
    total = sum(len(d) for d in files.values())
    assert len(calls) == 4
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_cancel_mid_package_leaves_nothing(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    first = make_folder(tmp_path, "甲", n=1)
    second = make_folder(
        tmp_path, "乙", n=2, files={f"0{n}_材料.pdf": evidence_bytes(f"c{n}") for n in range(1, 6)}
    )
    (r1,) = import_paths(store, rid, [first], "测试")
    assert r1.status == "imported"
    before = snapshot(store)
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 3  # after a few evidence files are staged

    (package,) = discover([second])
    result = import_package(store, rid, package, "测试", cancelled=cancelled)
    assert result.status == "cancelled"
    assert "未导入" in result.errors[0]
    assert snapshot(store) == before
    assert staging_leftovers(store) == []


def test_cancel_stops_a_batch(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    batch = tmp_path / "批量"
    for n in range(1, 4):
        make_folder(batch, f"平台{n}", n=n)
    state = {"n": 0}

    def on_package(index: int, _package: object) -> None:
        state["n"] = index

    results = list(
        import_paths(
            store, rid, [batch], "测试", on_package=on_package, cancelled=lambda: state["n"] >= 1
        )
    )
    assert [r.status for r in results] == ["imported", "cancelled"]
    assert len(evaluate_round(store, rid)) == 1


def test_unknown_round_is_a_chinese_rejection(store: Store, tmp_path: Path) -> None:
    form = make_form(tmp_path / "f.xlsx")
    before = snapshot(store)
    (result,) = import_paths(store, 999, [form], "测试")
    assert result.status == "rejected"
    assert "999" in result.errors[0] and is_chinese(result.errors[0])
    assert snapshot(store) == before
    with pytest.raises(NotFound):
        load_workspace(store, 999)


def test_result_json_has_the_reported_fields(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    (result,) = import_paths(store, rid, [make_form(tmp_path / "f.xlsx", n=7)], "测试")
    data = result.as_json()
    assert data["status"] == "imported"
    assert data["uscc"] == code(LIAOCHENG, 7)
    assert data["platform_name"] == "测试服务平台7号"
    assert data["version"] == 1
    assert set(data) == {"path", "status", "uscc", "platform_name", "version", "errors", "warnings"}


def test_legal_form_contradicting_the_code_is_a_warning(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    form = make_form(tmp_path / "f.xlsx", n=8, legal_form="事业单位", total_assets_wan=Decimal(150))
    (result,) = import_paths(store, rid, [form], "测试")
    assert result.status == "imported"
    assert any("单位性质" in w and "企业" in w for w in result.warnings)
    assert result.dossier_id is not None
    assert load_workspace(store, result.dossier_id).warnings == result.warnings


def test_store_reopens_with_everything(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(data)
    try:
        rid = new_round(store)
        (result,) = import_paths(store, rid, [make_folder(tmp_path / "in")], "测试")
        assert result.dossier_id is not None
        expected = evidence_of(store, result.dossier_id)
    finally:
        store.close()
    again = open_store(data)
    try:
        assert evidence_of(again, result.dossier_id) == expected
        assert check_store(again).ok
    finally:
        again.close()


# ── crash safety ───────────────────────────────────────────────────────────────


def _check_consistent(data: Path, files_per_package: int) -> tuple[int, int]:
    """Reopen the store (which recovers staging) and check nothing is half there.

    Returns (dossiers, versions) found.
    """
    from sme_review_desktop.models import AuditEntry, DossierVersion

    store = open_store(data)
    try:
        assert staging_leftovers(store) == []
        report = check_store(store)
        assert report.ok, report.lines()
        assert report.orphans == []  # no evidence file without its record
        with store.read() as session:
            dossiers = session.scalars(select(Dossier)).all()
            versions = session.scalars(select(DossierVersion)).all()
            for dossier in dossiers:
                assert dossier.versions, f"dossier {dossier.id} has no version"
            for version in versions:
                assert len(version.evidence) == files_per_package, version.source_name
                assert len(version.figures) > 10
            imports = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "dossier.import")
            ).all()
            assert len(imports) == len(versions)
        return len(dossiers), len(versions)
    finally:
        store.close()


def test_killed_mid_import_leaves_no_half_made_dossier(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs SIGKILL")
    data = tmp_path / "data"
    store = open_store(data)
    rid = new_round(store)
    store.close()
    batch = tmp_path / "批量"
    per_package = 30
    for k in range(4):
        files = {
            f"{i % 14 + 1:02d}_材料{i}.pdf": os.urandom(192 * 1024) for i in range(per_package)
        }
        make_folder(batch, f"平台{k}", n=60 + k, files=files)
    command = [
        sys.executable,
        "-m",
        "sme_review_desktop.cli",
        "--data-dir",
        str(data),
        "import",
        "--round",
        str(rid),
        str(batch),
        "--json",
    ]
    staging = data / "evidence" / ".staging"
    killed_while_running = 0
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.35, 0.6):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        # wait until the import is staging evidence, then give it a little longer
        while proc.poll() is None and time.monotonic() < deadline:
            if staging.exists() and any(staging.iterdir()):
                break
            time.sleep(0.002)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_while_running += 1
        proc.wait(timeout=60)
        assert proc.stderr is not None
        stderr = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        assert "Traceback" not in stderr, stderr
        _check_consistent(data, per_package)
    assert killed_while_running >= 3  # the kills did land mid-import

    # after all that, a clean run completes the batch: every applicant has a dossier
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    dossiers, versions = _check_consistent(data, per_package)
    assert dossiers == 4 and versions >= 4
