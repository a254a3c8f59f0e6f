#!/usr/bin/env bash
# Build the Linux one-folder bundle from installer/sme_review.spec, check that every library it
# links resolves and that its resources are in, then run it headless through scripts/cli_smoke.sh
# (--version, a round from import to certificates, server mode's driver, the demo data set, the
# statistics report, the app started offscreen and its windows rendered into PNG files).
# Prints the bundle's size and how long each part took. Exits non-zero on any failure.
#
#   bash scripts/bundle_smoke.sh            # build into a temporary folder, removed afterwards
#   BUNDLE_OUT=dist bash scripts/bundle_smoke.sh   # keep the bundle in dist/sme-review/
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ ! -x .venv/bin/python ]; then
  bash scripts/setup.sh
fi
# PyInstaller needs objdump (binutils) on Linux.
if ! command -v objdump >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends binutils
fi
.venv/bin/python -c "import PyInstaller" 2>/dev/null || .venv/bin/python -m pip install -q 'pyinstaller>=6.10,<7'

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sme-bundle.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DIST=${BUNDLE_OUT:-$WORK/dist}
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)

step() { printf '\n== %s\n' "$*"; }
fail() {
  echo "BUNDLE SMOKE FAILED: $*" >&2
  exit 1
}

step "build (PyInstaller, one folder)"
t0=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK/build" installer/sme_review.spec
t_build=$(($(date +%s) - t0))
BUNDLE=$DIST/sme-review
EXE=$BUNDLE/sme-review
[ -x "$EXE" ] || fail "no executable at $EXE"
echo "built in ${t_build}s"
du -sh "$BUNDLE"

# Nothing the bundle links against may be missing, except the Wayland client libraries: a
# Wayland desktop has them, and without one the Wayland platform plugin is never loaded.
step "libraries resolve"
missing=$(find "$BUNDLE" -name '*.so*' -type f -print0 |
  xargs -0 -n 50 env LD_LIBRARY_PATH="$BUNDLE/_internal" ldd 2>/dev/null |
  grep 'not found' | grep -v 'libwayland-' | sort -u || true)
[ -z "$missing" ] || fail "unresolved libraries:
$missing"
R=sme_review_desktop/resources
for f in $R/fonts/LXGWWenKai-Regular.ttf $R/fonts/OFL-LXGWWenKai.txt $R/docs/用户手册.md \
  $R/icons/app.png $R/rulebooks/liaocheng-2021.yaml \
  sme_review_desktop/migrations/env.py PySide6/Qt/translations/qtbase_zh_CN.qm; do
  [ -f "$BUNDLE/_internal/$f" ] || fail "not bundled: $f"
done
for unwanted in QtWebEngineCore Qt3DCore QtMultimedia QtQuick QtQml QtCharts; do
  if find "$BUNDLE" -name "*${unwanted}*" | grep -q .; then fail "bundled though unused: $unwanted"; fi
done
echo ok

# The same round as for every other way the app is installed, against the bundled executable,
# and its windows rendered offscreen through the bundle's own entry point (--snapshot).
t0=$(date +%s)
bash scripts/cli_smoke.sh --snapshot exe "$EXE"
t_smoke=$(($(date +%s) - t0))

step "summary"
du -sh "$BUNDLE"
echo "build ${t_build}s, smoke ${t_smoke}s"
echo "BUNDLE SMOKE OK"
cd "$ROOT"
