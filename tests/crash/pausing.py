"""Run the real CLI in this process, optionally freezing it at a chosen moment to be killed.

    python pausing.py MARKER POINT -- sme-review arguments…

Writes ``MARKER`` + ".ready" just before the command starts and ``MARKER`` when it reaches
``POINT``, then sleeps until the test sends SIGKILL. The product has no test hook of its own:
the points are patched in here, around the same functions the command runs.

Points (N counts from 1):
  none               never pause (the test kills at a random delay instead)
  apply:N            before the N-th dossier's scores are applied (earlier ones are flushed)
  audit:ACTION:N     after the N-th audit entry ACTION is flushed, before its commit
  commit:N           right after the N-th committed transaction
  write:FRACTION     once that fraction of a temporary output file's bytes is on disk
  replace            with the temporary output complete, before it is renamed over the target
  replace-from:TEXT  before the first os.replace of a path containing TEXT (e.g. ".restore-")
"""

from __future__ import annotations

import builtins
import os
import sys
import time
from pathlib import Path
from typing import Any

MARKER = Path(sys.argv[1])


def pause() -> None:
    MARKER.write_text(str(os.getpid()))
    while True:
        time.sleep(60)


def counting(n: int) -> Any:
    calls = 0

    def hit() -> bool:
        nonlocal calls
        calls += 1
        return calls == n

    return hit


def install(point: str) -> None:
    kind, _, arg = point.partition(":")
    if kind == "none":
        return
    if kind == "apply":
        from sme_review_desktop.scoring import entry, sheets

        hit = counting(int(arg))
        real_apply = entry.apply_scores

        def apply_scores(*args: Any, **kwargs: Any) -> None:
            if hit():
                pause()
            real_apply(*args, **kwargs)

        entry.apply_scores = apply_scores  # type: ignore[assignment]
        sheets.apply_scores = apply_scores  # type: ignore[assignment]
    elif kind == "audit":
        from sme_review_desktop.store import audit

        action, _, n = arg.partition(":")
        hit = counting(int(n))
        real_record = audit.record

        def record(session: Any, actor: str, act: str, **kwargs: Any) -> Any:
            entry = real_record(session, actor, act, **kwargs)
            if act == action and hit():
                pause()
            return entry

        audit.record = record  # type: ignore[assignment]
    elif kind == "commit":
        from sqlalchemy.orm import Session

        hit = counting(int(arg))
        real_commit = Session.commit

        def commit(self: Session) -> None:
            real_commit(self)
            if hit():
                pause()

        Session.commit = commit  # type: ignore[method-assign]
    elif kind == "write":
        fraction = float(arg)
        real_open = builtins.open

        class HalfWriter:
            def __init__(self, fh: Any) -> None:
                self.fh = fh

            def write(self, data: bytes) -> int:
                cut = int(len(data) * fraction)
                self.fh.write(data[:cut])
                self.fh.flush()
                os.fsync(self.fh.fileno())
                pause()
                return len(data)

            def __getattr__(self, name: str) -> Any:
                return getattr(self.fh, name)

        def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            fh = real_open(file, mode, *args, **kwargs)
            if "w" in mode and str(file).endswith(".part"):
                return HalfWriter(fh)
            return fh

        builtins.open = open_
    elif kind == "replace":
        real_replace = os.replace

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if str(src).endswith(".part"):
                pause()
            real_replace(src, dst, *args, **kwargs)

        os.replace = replace
    elif kind == "replace-from":
        real_replace_from = os.replace

        def replace_from(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if arg in str(src):
                pause()
            real_replace_from(src, dst, *args, **kwargs)

        os.replace = replace_from
    else:
        raise SystemExit(f"unknown point {point}")


def main() -> int:
    point = sys.argv[2]
    assert sys.argv[3] == "--"
    from sme_review_desktop import cli

    install(point)
    Path(str(MARKER) + ".ready").write_text(str(os.getpid()))
    return cli.main(sys.argv[4:])


if __name__ == "__main__":
    sys.exit(main())
