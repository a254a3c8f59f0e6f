"""Timing whole processes (paired against a reference) and summarising samples.

A whole-process figure comes from the operating system's own accounting of the finished child
(``os.wait4``): wall time around it, user and system CPU, and its peak resident memory. Against
a reference, the two commands run in turn (A B A B …) after a warm-up of each, and the ratio is
taken pair by pair, so that a machine whose speed drifts (these are shared machines) still
gives a fair comparison. Quote the medians.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    max_rss_mb: float
    returncode: int


@dataclass
class Paired:
    a: list[Run] = field(default_factory=list)
    b: list[Run] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [x.wall / y.wall for x, y in zip(self.a, self.b, strict=True)]

    def median_a(self) -> float:
        return statistics.median(r.wall for r in self.a)

    def median_b(self) -> float:
        return statistics.median(r.wall for r in self.b)

    def median_ratio(self) -> float:
        return statistics.median(self.ratios)


def run_process(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    log: str | None = None,
) -> Run:
    """Run one command to its end; its output goes to ``log`` (appended) or nowhere."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    try:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command), stdout=out, stderr=out, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=child.returncode,
    )


def paired(
    a: Sequence[str],
    b: Sequence[str],
    *,
    runs: int,
    warmup: int = 1,
    env: Mapping[str, str] | None = None,
    before_a: Callable[[], None] | None = None,
    before_b: Callable[[], None] | None = None,
    log: str | None = None,
) -> Paired:
    """Time ``a`` against the reference ``b``, in turn, ``runs`` counted pairs after warm-up.

    ``before_a``/``before_b`` prepare each run (fresh output folders…) outside the timing.
    A run that fails is an error, not a figure.
    """
    result = Paired()
    for n in range(warmup + runs):
        pair = []
        for command, before in ((a, before_a), (b, before_b)):
            if before:
                before()
            run = run_process(command, env, log)
            if run.returncode != 0:
                raise RuntimeError(f"exit {run.returncode}: {' '.join(command)} (log: {log})")
            pair.append(run)
        if n >= warmup:
            result.a.append(pair[0])
            result.b.append(pair[1])
    return result


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile, nearest-rank: the value 95 % of the samples do not exceed."""
    ordered = sorted(samples)
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 n)
    return ordered[rank - 1]
