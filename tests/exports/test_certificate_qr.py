"""The certificate's QR code proves something: its content is signed with the bureau's Ed25519
key kept in keys/, decoded from the rendered page it verifies against the register, and any
altered character makes it invalid."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from approval_helpers import approve
from sqlalchemy import update

from sme_review_desktop.cli import main
from sme_review_desktop.errors import UserError
from sme_review_desktop.exports import cert_signing
from sme_review_desktop.exports.cert_signing import (
    BadCode,
    Payload,
    open_signed,
    sign,
    signing_key,
)
from sme_review_desktop.exports.cert_verify import read_image, verify
from sme_review_desktop.exports.certificates import write_certificates
from sme_review_desktop.models import DossierVersion
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.register.platforms import revoke
from sme_review_desktop.rounds import update_settings
from sme_review_desktop.store.backups import write_archive
from sme_review_desktop.store.database import Store

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PAYLOAD = Payload(
    "聊示范平台〔2026〕001号",
    "聊城市𠮷祥数字化转型服务平台",
    "聊城市科技创新服务中心",
    "91371500MA3C0000XY",
    date(2026, 10, 12),
    date(2029, 10, 11),
)


@pytest.fixture
def certified(demo_store: Store) -> Store:
    for row in dossier_summaries(demo_store, 1)[:3]:
        approve(demo_store, 1, row.uscc, "符合条件", "组长")
    start_publicity(demo_store, 1, date(2026, 9, 28), "秘书")
    finalize(demo_store, 1, date(2026, 10, 12), "局长")
    return demo_store


def _decode(pdf: Path, folder: Path) -> str:
    """The first page rendered at 200 dpi and its QR code read by zbarimg (QR only: the 回纹
    border looks like a DataBar symbol to zbar's other decoders)."""
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(pdf), str(folder / "page")],
        check=True,
    )
    [image] = folder.glob("page*.png")
    out = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _altered(code: str, at: int) -> str:
    """``code`` with the character at ``at`` changed to another one a scanner could read."""
    ch = code[at]
    other = B64[(B64.index(ch) + 1) % 64] if ch in B64 else ("X" if ch != "X" else "Y")
    return code[:at] + other + code[at + 1 :]


def test_the_payload_packs_short_and_round_trips() -> None:
    data = PAYLOAD.pack()
    assert Payload.unpack(data) == PAYLOAD
    as_json = json.dumps(
        {k: str(v) for k, v in PAYLOAD.__dict__.items()}, ensure_ascii=False
    ).encode()
    assert len(data) < 0.75 * len(as_json)
    with pytest.raises(ValueError):
        replace(PAYLOAD, uscc="a\x1fb").pack()


def test_every_altered_character_is_refused(tmp_path: Path) -> None:
    key = signing_key(tmp_path)
    for url in ("", "https://gxj.example.gov.cn/verify"):
        code = sign(key, PAYLOAD, url)
        assert open_signed(key.public_key(), f"  {code}\n") == PAYLOAD  # a scanner's newline
        assert code.startswith(f"{url}?c=SMEC1." if url else "SMEC1.")
        for at in range(len(code)):
            with pytest.raises(BadCode):
                open_signed(key.public_key(), _altered(code, at))
        # base64's last character has spare bits: each other spelling is refused as well
        body_end = code.rindex(".")
        for ch in B64.replace(code[body_end - 1], ""):
            with pytest.raises(BadCode):
                open_signed(key.public_key(), code[: body_end - 1] + ch + code[body_end:])
        for cut in (code[:-1], code + "A", code.replace("SMEC1.", "SMEC2."), ""):
            with pytest.raises(BadCode):
                open_signed(key.public_key(), cut)


def test_another_bureaus_key_does_not_verify(tmp_path: Path) -> None:
    ours, theirs = signing_key(tmp_path / "a"), signing_key(tmp_path / "b")
    with pytest.raises(BadCode, match="签名不符"):
        open_signed(ours.public_key(), sign(theirs, PAYLOAD))


def test_the_key_is_created_once_private_and_outside_the_database(
    certified: Store, tmp_path: Path
) -> None:
    path = cert_signing.key_path(certified.key_folder)
    assert not path.exists()
    write_certificates(certified, 1, tmp_path / "证书.pdf")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    first = path.read_bytes()
    write_certificates(certified, 1, tmp_path / "证书2.pdf")
    assert path.read_bytes() == first  # the same key: earlier certificates stay verifiable
    write_archive(certified, tmp_path / "备份.zip")
    with zipfile.ZipFile(tmp_path / "备份.zip") as archive:
        assert not [n for n in archive.namelist() if "ed25519" in n or n.startswith("keys")]
    if certified.is_sqlite:
        raw = signing_key(certified.key_folder).private_bytes_raw()
        database = (certified.data_dir / "store.sqlite3").read_bytes()
        assert first not in database and raw not in database


def test_a_damaged_key_file_is_a_clear_error(tmp_path: Path) -> None:
    path = cert_signing.key_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("not a key")
    with pytest.raises(UserError, match="已损坏"):
        signing_key(tmp_path)


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="poppler")
def test_the_printed_code_verifies_and_an_altered_one_does_not(
    certified: Store, tmp_path: Path
) -> None:
    target, _ = write_certificates(certified, 1, tmp_path / "证书.pdf")
    code = _decode(target, tmp_path)
    first = dossier_summaries(certified, 1)[0]
    result = verify(certified, code, date(2026, 10, 12))
    assert result == {
        "valid": True,
        "number": "聊示范平台〔2026〕001号",
        "platform_name": first.platform_name,
        "operator_name": first.operator_name,
        "uscc": first.uscc,
        "valid_from": "2026-10-12",
        "valid_to": "2029-10-11",
        "status": "certified",
    }
    # zxing-cpp reads the same scan (the 核验证书 dialog's image path)
    assert read_image(next(tmp_path.glob("page*.png"))) == [code]
    for at in (0, 6, len(code) // 2, len(code) - 1):
        bad = verify(certified, _altered(code, at))
        assert bad["valid"] is False and bad["reason"], at


def test_status_follows_the_register_at_its_boundaries(certified: Store, tmp_path: Path) -> None:
    key = signing_key(certified.key_folder)
    first = dossier_summaries(certified, 1)[0]
    payload = Payload(
        "聊示范平台〔2026〕001号",
        first.platform_name,
        first.operator_name,
        first.uscc,
        date(2026, 10, 12),
        date(2029, 10, 11),
    )
    code = sign(key, payload)
    assert verify(certified, code, date(2029, 10, 11))["status"] == "certified"  # last day
    assert verify(certified, code, date(2029, 10, 12))["status"] == "expired"
    revoke(certified, payload.number, date(2027, 5, 1), "虚假材料", "局长")
    assert verify(certified, code, date(2027, 4, 30))["status"] == "certified"
    assert verify(certified, code, date(2027, 5, 1))["status"] == "revoked"
    assert verify(certified, code, date(2027, 5, 1))["valid"] is True  # genuine, but revoked
    # Signed, but the register says otherwise (a number it never issued, a changed name)
    missing = verify(certified, sign(key, replace(payload, number="聊示范平台〔2026〕999号")))
    assert missing["valid"] is False and "登记簿中没有" in missing["reason"]
    with certified.write() as session:
        session.execute(
            update(DossierVersion)
            .where(DossierVersion.dossier_id == first.dossier_id)
            .values(platform_name="改过名的平台")
        )
    changed = verify(certified, code)
    assert changed["valid"] is False and "平台名称" in changed["reason"]


def test_without_the_key_nothing_verifies_and_no_key_is_made(
    certified: Store, tmp_path: Path
) -> None:
    other = signing_key(tmp_path)
    result = verify(certified, sign(other, PAYLOAD))
    assert result["valid"] is False and "没有证书签名密钥" in result["reason"]
    assert not cert_signing.key_path(certified.key_folder).exists()


def _cli(store: Store, *argv: str) -> list[str]:
    base = ["--data-dir", str(store.data_dir)]
    if not store.is_sqlite:
        base += ["--database-url", store.engine.url.render_as_string(hide_password=False)]
    return base + list(argv)


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="poppler")
def test_verify_url_goes_into_the_code_and_the_cli_checks_it(
    certified: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UserError, match="verify_url"):
        update_settings(certified, 1, {"verify_url": "javascript:alert(1)"}, "秘书")
    with pytest.raises(UserError, match="verify_url"):
        update_settings(certified, 1, {"verify_url": "https://a.cn/" + "x" * 88}, "秘书")
    url = "https://gxj.example.gov.cn/" + "v" * 73  # 100 characters: the longest accepted
    update_settings(certified, 1, {"verify_url": url}, "秘书")
    target, _ = write_certificates(certified, 1, tmp_path / "证书.pdf")
    code = _decode(target, tmp_path)
    assert code.startswith(f"{url}?c=SMEC1.")
    certified.close()
    assert main(_cli(certified, "certificate", "verify", code, "--date", "2026-10-12")) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is True and out["status"] == "certified"
    assert set(out) == {
        "valid",
        "number",
        "platform_name",
        "operator_name",
        "uscc",
        "valid_from",
        "valid_to",
        "status",
    }
    forged = code.replace("gxj.example", "gxj.examp1e")
    assert main(_cli(certified, "certificate", "verify", forged, "--date", "2026-10-12")) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is False and out["reason"]
