#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: lint, types, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
# Server mode: the store, import and scoring tests again on a throwaway PostgreSQL, installed
# from Debian's packages when missing (docs/server-mode.md; SME_SKIP_SERVER=1 skips).
bash scripts/test_server.sh
# The wheel as a user gets it: built, installed into a fresh virtualenv outside the checkout
# and driven through a round (about a minute; SME_SKIP_WHEEL=1 skips).
if [ "${SME_SKIP_WHEEL:-}" != 1 ]; then
  bash scripts/wheel_smoke.sh
fi
# The installer's bundle, built from installer/sme_review.spec and driven headless (about a
# minute and a half; SME_SKIP_BUNDLE=1 skips).
if [ "${SME_SKIP_BUNDLE:-}" != 1 ]; then
  bash scripts/bundle_smoke.sh
fi
