#!/usr/bin/env bash
# Build the Linux one-folder bundle from installer/sme_review.spec and run it headless:
# --version, a round created, a county package imported, decided, publicised, the notice list
# exported as PDF, the demo data set loaded, the integrity check, and the app started offscreen.
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

export QT_QPA_PLATFORM=offscreen
DATA=$WORK/data
OUT=$WORK/out
mkdir -p "$DATA" "$OUT"
run() { "$EXE" --data-dir "$DATA" --actor 冒烟测试 "$@"; }

t0=$(date +%s)
step "sme-review --version"
version=$("$EXE" --version)
expected=$(.venv/bin/python installer/version_info.py)
echo "$version"
[ "$version" = "sme-review $expected" ] || fail "version '$version', expected 'sme-review $expected'"

step "round create"
run round create --rulebook liaocheng-2021 --name 冒烟测试 --reference-date 2026-06-30 --json |
  tee "$OUT/round.json"
grep -q '"id": 1' "$OUT/round.json" || fail "round 1 was not created"

step "template"
run template --rulebook liaocheng-2021 -o "$OUT/申报数据表.xlsx"
[ -s "$OUT/申报数据表.xlsx" ] || fail "no template written"

step "import a county package"
# A package as a county sends it (data form and numbered evidence PDFs), written by the demo
# generator from the checkout; the bundled executable imports it.
.venv/bin/python - "$OUT/县区报送" <<'EOF'
import sys
from pathlib import Path

from sme_review_desktop.demo import LIAOCHENG, LIAOCHENG_BASE, write_package
from sme_review_desktop.rules.rulebook import get_rulebook

folder = Path(sys.argv[1])
dossier = next(d for d in LIAOCHENG if not d.changes)  # the one that meets every condition
write_package(folder, get_rulebook("liaocheng-2021"), dossier, LIAOCHENG_BASE, "371502")
EOF
run import --round 1 "$OUT/县区报送" --json | tee "$OUT/import.json"
grep -q '"status": "imported"' "$OUT/import.json" || fail "the package was not imported"

step "evaluate, decide, publicise"
run evaluate --round 1 --json >"$OUT/evaluate.json"
code=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["dossiers"][0]["uscc"])' "$OUT/evaluate.json")
echo "USCC $code"
run decide --round 1 --uscc "$code" --decision approved
run publicity start --round 1 --start 2026-09-28 --json

step "export notice"
run export notice --round 1 -o "$OUT/notice.pdf"
[ -s "$OUT/notice.pdf" ] || fail "no notice PDF"
[ "$(head -c 4 "$OUT/notice.pdf")" = "%PDF" ] || fail "notice.pdf is not a PDF"
run export notice --round 1 -o "$OUT/notice.xlsx"
[ -s "$OUT/notice.xlsx" ] || fail "no notice xlsx"

step "certify and print certificates (the compiled QR encoder in the bundle)"
run finalize --round 1 --date 2026-10-20
run export certificates --round 1 -o "$OUT/证书.pdf"
[ "$(head -c 4 "$OUT/证书.pdf")" = "%PDF" ] || fail "证书.pdf is not a PDF"
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
  pdftoppm -png -r 200 -f 1 -l 1 "$OUT/证书.pdf" "$OUT/cert"
  zbarimg --raw -q "$OUT"/cert-*1.png 2>/dev/null | grep -q "证书编号" || fail "the certificate's QR code does not read"
fi

step "server mode: the PostgreSQL driver is in the bundle"
# Nothing listens on port 1: the driver must load and report the refused connection in Chinese
# (a missing psycopg would be a traceback).
set +e
"$EXE" --data-dir "$WORK/server-pc" --database-url "postgresql+psycopg://u@127.0.0.1:1/x" round list \
  >"$OUT/server.log" 2>&1
set -e
cat "$OUT/server.log"
grep -q "无法打开数据库" "$OUT/server.log" || fail "server mode does not work in the bundle"

step "demo data set and integrity check"
run demo --json
run round list
run check

step "statistics: numbers and the 统计报告 (matplotlib and numpy in the bundle)"
run stats --round 2 --json >"$OUT/stats.json"
grep -q '"received": 12' "$OUT/stats.json" || fail "stats did not count the demo round"
run export stats --round 2 -o "$OUT/统计报告.pdf" --png-dir "$OUT/charts"
[ "$(head -c 4 "$OUT/统计报告.pdf")" = "%PDF" ] || fail "统计报告.pdf is not a PDF"
[ -s "$OUT/charts/funnel.png" ] || fail "no chart PNG"

step "the app starts (offscreen) and keeps running"
# A reviewer is named, so no welcome dialog waits for input; the window must still be up after
# a few seconds (timeout's 124), not have died of a missing Qt plugin or module.
printf '{"reviewer_name": "冒烟测试", "bureau": "聊城"}' >"$DATA/settings.json"
set +e
timeout 8 "$EXE" --data-dir "$DATA" >"$OUT/gui.log" 2>&1
rc=$?
set -e
cat "$OUT/gui.log"
[ "$rc" -eq 124 ] || fail "the app exited with $rc instead of running"
if grep -qiE 'could not (load|find)|Traceback|ModuleNotFoundError' "$OUT/gui.log"; then
  fail "the app reported errors at start"
fi
t_smoke=$(($(date +%s) - t0))

step "summary"
du -sh "$BUNDLE"
echo "build ${t_build}s, smoke ${t_smoke}s"
echo "BUNDLE SMOKE OK"
cd "$ROOT"
