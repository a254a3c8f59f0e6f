"""Hypothesis profiles for the hostile-input tests, chosen by the environment variable
``HYPOTHESIS_PROFILE``: ``ci`` (the default: a few thousand cases in all, about two minutes) or
``nightly`` (ten times as many). Only the tests under tests/hostile use them: other tests keep
their own settings.

    HYPOTHESIS_PROFILE=nightly python -m pytest -p no:warnings tests/hostile
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

BASE = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,  # a failure prints the blob that reproduces it (@reproduce_failure)
)
SCALE = {"ci": 1, "nightly": 10}
settings.register_profile("ci", max_examples=100, **BASE)  # type: ignore[arg-type]
settings.register_profile("nightly", max_examples=1000, **BASE)  # type: ignore[arg-type]

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in SCALE:
    raise RuntimeError(f"HYPOTHESIS_PROFILE must be one of {sorted(SCALE)}, not {PROFILE!r}")


def hostile(examples: int) -> settings:
    """Settings for one test: ``examples`` cases under ``ci``, ten times as many at night."""
    return settings(settings.get_profile(PROFILE), max_examples=examples * SCALE[PROFILE])
