#!/usr/bin/env bash
# Set up (if needed) and open the app on the demo data set (`sme-review --demo`: straight to the
# demo round, in its own store under demo/ of the data folder).
#
# With no display (no DISPLAY or WAYLAND_DISPLAY) it says so, renders the main window and one
# dossier's walk-through offscreen into PNG files (sme_review_desktop.ui.snapshot, on the demo
# data in a temporary folder), prints their paths and exits. DEMO_OUT chooses the folder
# (default: a new one under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  out=${DEMO_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/sme-review-demo.XXXXXX")}
  echo "没有图形显示（DISPLAY、WAYLAND_DISPLAY 均未设置），无法打开窗口。"
  echo "No display here (neither DISPLAY nor WAYLAND_DISPLAY is set): rendering the app offscreen"
  echo "on the demo data instead — the main window and one dossier's walk-through — into $out"
  .venv/bin/python -m sme_review_desktop.ui.snapshot "$out"
  echo "Open these PNG files to see the app; on a desktop, bash scripts/demo.sh opens it."
  exit 0
fi
exec .venv/bin/sme-review --demo "$@"
