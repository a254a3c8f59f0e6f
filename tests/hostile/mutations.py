"""Strategies shared by the hostile-input tests: damaged bytes, rebuilt zips, the filesystem."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from hypothesis import strategies as st


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few bytes overwritten, cut out or inserted, or cut short."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["set", "delete", "insert", "truncate"]))
        if op == "set" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "truncate" and draw(st.booleans()):
            del data[pos:]
    return bytes(data)


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


def set_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a member declares (local header and central directory)."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
        local = info.header_offset
    name = member.encode("utf-8")
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_len = int.from_bytes(raw[central + 28 : central + 30], "little")
        if raw[central + 46 : central + 46 + name_len] == name:
            raw[central + 24 : central + 28] = (size & 0xFFFFFFFF).to_bytes(4, "little")
        central = raw.find(b"PK\x01\x02", central + 4)
    raw[local + 22 : local + 26] = (size & 0xFFFFFFFF).to_bytes(4, "little")
    return bytes(raw)


def listing(*roots: Path) -> set[str]:
    """Every name directly in ``roots`` (the tmp dir's parents, the working directory…)."""
    names = set()
    for root in roots:
        try:
            names |= {f"{root}/{p}" for p in os.listdir(root)}
        except OSError:
            continue
    return names


def tree(root: Path, skip: tuple[str, ...] = ()) -> set[str]:
    """Every path under ``root``; folders named in ``skip`` are listed but not walked."""
    found = set()
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        found |= {(rel / n).as_posix() for n in (*dirs, *files)}
        dirs[:] = [d for d in dirs if (rel / d).as_posix() not in skip]
    return found


# Fields of the zip records, as (offset, width) from each signature (APPNOTE.TXT 4.3.7-4.3.16).
ZIP_FIELDS = {
    b"PK\x03\x04": [(4, 2), (6, 2), (8, 2), (14, 4), (18, 4), (22, 4), (26, 2), (28, 2)],
    b"PK\x01\x02": [(4, 2), (6, 2), (8, 2), (10, 2), (16, 4), (20, 4), (24, 4), (28, 2), (30, 2),
                    (32, 2), (34, 2), (38, 4), (42, 4)],
    b"PK\x05\x06": [(4, 2), (6, 2), (8, 2), (10, 2), (12, 4), (16, 4), (20, 2)],
}  # fmt: skip


@st.composite
def zip_header_mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few header fields set to boundary or random values: sizes, offsets,
    name lengths, flags (encryption, UTF-8), compression methods, file modes (symlinks)."""
    raw = bytearray(seed)
    records = []
    for signature, fields in ZIP_FIELDS.items():
        pos = raw.find(signature)
        while pos != -1:
            records += [
                (pos + off, width) for off, width in fields if pos + off + width <= len(raw)
            ]
            pos = raw.find(signature, pos + 4)
    for _ in range(draw(st.integers(1, 4))):
        at, width = draw(st.sampled_from(records))
        top = (1 << (8 * width)) - 1
        old = int.from_bytes(raw[at : at + width], "little")
        value = draw(
            st.sampled_from(
                [0, 1, top, top >> 1, (old + 1) & top, max(old - 1, 0), 0xA1ED << 16 & top]
            )
            | st.integers(0, top)
        )
        raw[at : at + width] = value.to_bytes(width, "little")
    return bytes(raw)
