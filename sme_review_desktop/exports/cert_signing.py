"""The certificate's QR content: its facts, signed with the bureau's Ed25519 key.

The text is ``[verify_url?c=]SMEC1.<payload>.<signature>``, both base64url without padding.
The payload is a short binary record (a version byte, the two dates as days since 2000-01-01,
then number, platform, operator and code in UTF-8 separated by U+001F): about 170 bytes for a
typical certificate, where JSON of the same would be 60 % larger and make the code denser than
a phone reliably reads at 35 mm. The signature covers every character before the last dot,
the URL included, so changing any character of what the QR holds makes it invalid.

The private key is ``keys/certificate-ed25519.pem`` beside the audit key (store/keys: the data
folder, or the shared evidence folder in server mode), 0600, created on the first export; it is
never in the database or a backup, so a restored copy elsewhere cannot issue certificates.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sme_review_desktop.errors import StoreError
from sme_review_desktop.store.keys import keys_dir, publish

KEY_FILE = "certificate-ed25519.pem"
PREFIX = "SMEC1."
VERSION = 1
_EPOCH = date(2000, 1, 1)
_SEP = "\x1f"
_B64 = r"[A-Za-z0-9_-]+"
_TOKEN = re.compile(rf"{re.escape(PREFIX)}({_B64})\.({_B64})\Z")


@dataclass(frozen=True)
class Payload:
    number: str
    platform_name: str
    operator_name: str
    uscc: str
    valid_from: date
    valid_to: date

    def pack(self) -> bytes:
        fields = (self.number, self.platform_name, self.operator_name, self.uscc)
        if any(_SEP in f for f in fields):
            raise ValueError("certificate fields may not hold U+001F")
        days = [(d - _EPOCH).days for d in (self.valid_from, self.valid_to)]
        head = bytes([VERSION]) + b"".join(n.to_bytes(2, "big") for n in days)
        return head + _SEP.join(fields).encode("utf-8")

    @classmethod
    def unpack(cls, data: bytes) -> Payload:
        if len(data) < 5 or data[0] != VERSION:
            raise ValueError("unknown payload version")
        start, end = (
            _EPOCH + timedelta(days=int.from_bytes(data[i : i + 2], "big")) for i in (1, 3)
        )
        fields = data[5:].decode("utf-8").split(_SEP)
        if len(fields) != 4:
            raise ValueError("wrong number of fields")
        number, platform, operator, uscc = fields
        return cls(number, platform, operator, uscc, start, end)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    """Strict: only the one canonical spelling of the bytes is accepted (base64's last
    character has spare bits; a changed spare bit would otherwise decode to the same bytes)."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise ValueError("not canonical base64url")
    return data


def key_path(folder: Path) -> Path:
    return keys_dir(folder) / KEY_FILE


def existing_key(folder: Path) -> Ed25519PrivateKey | None:
    """The bureau's key if this PC has it (verifying never creates one)."""
    path = key_path(folder)
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"无法读取证书签名密钥 {path}：{exc.strerror or exc}") from exc
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"证书签名密钥 {path} 已损坏，无法读取。") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreError(f"证书签名密钥 {path} 不是 Ed25519 密钥。")
    return key


def signing_key(folder: Path) -> Ed25519PrivateKey:
    """The bureau's key, created (0600 in a 0700 folder) on first use; written whole to a
    private file and linked into place, so two exports starting at once agree on one key."""
    key = existing_key(folder)
    if key is not None:
        return key
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        publish(key_path(folder), pem)
    except OSError as exc:
        raise StoreError(f"无法创建证书签名密钥 {key_path(folder)}：{exc.strerror or exc}") from exc
    key = existing_key(folder)
    assert key is not None
    return key


def url_prefix(verify_url: str) -> str:
    """What goes before ``SMEC1.`` when the round has a verification page."""
    if not verify_url:
        return ""
    return verify_url + ("&" if "?" in verify_url else "?") + "c="


def sign(key: Ed25519PrivateKey, payload: Payload, verify_url: str = "") -> str:
    signed = url_prefix(verify_url) + PREFIX + _b64(payload.pack())
    return f"{signed}.{_b64(key.sign(signed.encode('utf-8')))}"


class BadCode(ValueError):
    """Why a text is not a genuine certificate code (a Chinese sentence)."""


def open_signed(public: Ed25519PublicKey, text: str) -> Payload:
    """The payload of a genuine code; BadCode for anything else, an altered character included.

    Surrounding whitespace (a scanner's newline, a pasted space) is not part of the code.
    """
    text = text.strip()
    start = text.find(PREFIX)
    match = _TOKEN.match(text, start) if start >= 0 else None
    if match is None:
        raise BadCode("不是本系统证书的二维码内容（格式不符）。")
    signed = text[: match.start(2) - 1]
    try:
        body, signature = _unb64(match.group(1)), _unb64(match.group(2))
    except (ValueError, binascii.Error):
        raise BadCode("二维码内容已被改动（编码不符）。") from None
    try:
        public.verify(signature, signed.encode("utf-8"))
    except InvalidSignature:
        raise BadCode("签名不符：二维码内容已被改动，或证书不是本局签发。") from None
    try:
        return Payload.unpack(body)
    except (ValueError, UnicodeDecodeError):  # signed but unreadable: a newer format
        raise BadCode("证书数据格式无法识别（可能由更新版本的系统签发）。") from None
