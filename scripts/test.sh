#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: lint, types, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A test-only tool: LibreOffice converts the .docx exports to PDF so the tests measure them as
# Word or WPS would print them (the demo and the app never need it).
if ! command -v soffice >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui >/dev/null
fi
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
