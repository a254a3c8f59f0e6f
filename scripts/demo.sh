#!/usr/bin/env bash
# Set up (if needed) and launch the app on the demo data set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/sme-review --demo "$@"
fi
exec .venv/bin/sme-review --demo "$@"
