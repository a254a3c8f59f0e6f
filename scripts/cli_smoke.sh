#!/usr/bin/env bash
# The installed program, driven headless through a small round: --version, round create,
# template, import of a county package, evaluate, decide, publicity start, the notice list (PDF
# and xlsx), certification and certificates (QR code read back when pdftoppm and zbarimg are
# there), server mode's driver, the demo data set, the integrity check, the statistics report,
# the app started offscreen, and (--snapshot) its windows rendered into PNG files and checked
# non-blank. One script for every way the app is installed: the checkout's .venv, the wheel
# (scripts/wheel_smoke.sh), the PyInstaller bundle (scripts/bundle_smoke.sh) and the .deb
# (scripts/fresh_debian_check.sh). Exits non-zero on the first failure, naming the step.
#
#   bash scripts/cli_smoke.sh [options] EXE
#     --python PY        a Python that imports sme_review_desktop: writes the county package
#                        (scripts/smoke_package.py) and gives the expected version
#                        (default: the checkout's .venv/bin/python)
#     --package DIR      a county package written beforehand, for a machine with no such Python
#     --version V        the version EXE must report (default: asked of --python)
#     --snapshot exe     render the windows with `EXE --snapshot DIR` (the bundle's entry point)
#     --snapshot python  render them with `PY -m sme_review_desktop.ui.snapshot DIR`
#     --out DIR          keep what the round wrote (PDFs, PNGs) in DIR (default: a temporary
#                        folder, removed afterwards)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CHECKOUT=$(dirname "$HERE")

PY=""
PACKAGE=""
VERSION=""
SNAPSHOT=""
KEEP=""
EXE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --python) PY=$2; shift 2 ;;
    --package) PACKAGE=$2; shift 2 ;;
    --version) VERSION=$2; shift 2 ;;
    --snapshot) SNAPSHOT=$2; shift 2 ;;
    --out) KEEP=$2; shift 2 ;;
    -*) echo "cli_smoke.sh: unknown option $1" >&2; exit 2 ;;
    *) EXE=$1; shift ;;
  esac
done
[ -n "$EXE" ] || { echo "usage: bash scripts/cli_smoke.sh [options] EXE" >&2; exit 2; }
case "$SNAPSHOT" in "" | exe | python) ;; *) echo "--snapshot exe|python" >&2; exit 2 ;; esac
if [ -z "$PY" ] && { [ -z "$PACKAGE" ] || [ -z "$VERSION" ]; }; then
  PY=$CHECKOUT/.venv/bin/python
fi
if [ "$SNAPSHOT" = python ] && [ -z "$PY" ]; then
  echo "--snapshot python needs --python" >&2
  exit 2
fi
GIVEN=$EXE
EXE=$(command -v "$EXE" || true)
case "$EXE" in /*) ;; ?*) EXE=$PWD/$EXE ;; esac
if [ -z "$EXE" ] || [ ! -x "$EXE" ]; then
  echo "CLI SMOKE FAILED: no executable $GIVEN" >&2
  exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sme-cli-smoke.XXXXXX")
OUT=${KEEP:-$WORK/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
DATA=$WORK/data
mkdir -p "$DATA"
export QT_QPA_PLATFORM=offscreen

STEP=""
REPORTED=""
step() {
  STEP=$*
  printf '\n== cli smoke: %s\n' "$STEP"
}
fail() {
  echo "CLI SMOKE FAILED at step '$STEP': $*" >&2
  REPORTED=1
  exit 1
}
finish() {
  local code=$?
  [ "$code" -eq 0 ] || [ -n "$REPORTED" ] || echo "CLI SMOKE FAILED at step '$STEP' (exit $code)" >&2
  rm -rf "$WORK"
}
trap finish EXIT
run() { "$EXE" --data-dir "$DATA" --actor 冒烟测试 "$@"; }

t0=$(date +%s)
echo "executable: $EXE"

step "sme-review --version"
if [ -z "$VERSION" ]; then
  VERSION=$("$PY" -c 'import sme_review_desktop; print(sme_review_desktop.__version__)')
fi
version=$("$EXE" --version)
echo "$version"
[ "$version" = "sme-review $VERSION" ] || fail "version '$version', expected 'sme-review $VERSION'"

step "round create"
run round create --rulebook liaocheng-2021 --name 冒烟测试 --reference-date 2026-06-30 --json |
  tee "$OUT/round.json"
grep -q '"id": 1' "$OUT/round.json" || fail "round 1 was not created"

step "template"
run template --rulebook liaocheng-2021 -o "$OUT/申报数据表.xlsx"
[ -s "$OUT/申报数据表.xlsx" ] || fail "no template written"

step "import a county package"
if [ -z "$PACKAGE" ]; then
  PACKAGE=$WORK/县区报送
  "$PY" "$HERE/smoke_package.py" "$PACKAGE"
fi
run import --round 1 "$PACKAGE" --json | tee "$OUT/import.json"
grep -q '"status": "imported"' "$OUT/import.json" || fail "the package was not imported"

step "evaluate, decide, publicise"
run evaluate --round 1 --json >"$OUT/evaluate.json"
code=$(grep -o '"uscc": "[^"]*"' "$OUT/evaluate.json" | head -n 1 | cut -d '"' -f 4)
[ -n "$code" ] || fail "evaluate listed no dossier"
echo "USCC $code"
# The package is not reviewed here (this proves the install, not the gate, which the test suite
# covers): the approval is recorded as an exception with its reason, as the record requires.
run decide --round 1 --uscc "$code" --decision approved --reason 符合认定条件 \
  --override "安装检查：未逐条审核的例外认定，仅用于冒烟测试"
run publicity start --round 1 --start 2026-09-28 --json

step "export notice"
run export notice --round 1 -o "$OUT/notice.pdf"
[ "$(head -c 4 "$OUT/notice.pdf")" = "%PDF" ] || fail "notice.pdf is not a PDF"
run export notice --round 1 -o "$OUT/notice.xlsx"
[ -s "$OUT/notice.xlsx" ] || fail "no notice xlsx"

step "certify and print certificates"
run finalize --round 1 --date 2026-10-20
run export certificates --round 1 -o "$OUT/证书.pdf"
[ "$(head -c 4 "$OUT/证书.pdf")" = "%PDF" ] || fail "证书.pdf is not a PDF"
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
  pdftoppm -png -r 200 -f 1 -l 1 "$OUT/证书.pdf" "$OUT/cert"
  # The QR code holds a signed payload: read it back and verify it against the register.
  qr=$(zbarimg --raw -q -Sdisable -Sqrcode.enable "$OUT"/cert-*1.png 2>/dev/null | head -n 1 || true)
  [ -n "$qr" ] && run certificate verify "$qr" >"$OUT/verify.json" &&
    grep -q '"valid": true' "$OUT/verify.json" ||
    fail "the certificate's QR code does not read"
  echo "QR code read back"
else
  echo "QR code not read back (no pdftoppm/zbarimg here)"
fi

step "server mode: the PostgreSQL driver loads"
# Nothing listens on port 1: the driver must load and report the refused connection in Chinese
# (a missing psycopg would be a traceback).
set +e
"$EXE" --data-dir "$WORK/server-pc" --database-url "postgresql+psycopg://u@127.0.0.1:1/x" \
  round list >"$OUT/server.log" 2>&1
set -e
cat "$OUT/server.log"
grep -q "无法打开数据库" "$OUT/server.log" || fail "server mode does not work"

step "demo data set and integrity check"
run demo --json
run round list
run check

step "statistics: numbers and the 统计报告 (matplotlib)"
run stats --round 2 --json >"$OUT/stats.json"
grep -q '"received": 12' "$OUT/stats.json" || fail "stats did not count the demo round"
run export stats --round 2 -o "$OUT/统计报告.pdf" --png-dir "$OUT/charts"
[ "$(head -c 4 "$OUT/统计报告.pdf")" = "%PDF" ] || fail "统计报告.pdf is not a PDF"
[ -s "$OUT/charts/funnel.png" ] || fail "no chart PNG"

step "the app starts (offscreen) and keeps running"
# A reviewer is named, so no welcome dialog waits for input; the window must still be up after
# a few seconds (timeout's 124), not have died of a missing Qt plugin, library or module.
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

if [ -n "$SNAPSHOT" ]; then
  step "the windows rendered offscreen (main window, a dossier's walk-through)"
  if [ "$SNAPSHOT" = exe ]; then
    "$EXE" --snapshot "$OUT/snapshot" | tee "$OUT/snapshot.txt"
  else
    "$PY" -m sme_review_desktop.ui.snapshot "$OUT/snapshot" | tee "$OUT/snapshot.txt"
  fi
  # The renderer checks each picture has colours; here, independently: a real PNG, and one
  # that does not compress to almost nothing as a blank window does (~10 KB at 1366x768).
  for png in main_window.png dossier_walkthrough.png; do
    f=$OUT/snapshot/$png
    [ -f "$f" ] || fail "no $png"
    [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
    size=$(stat -c %s "$f")
    [ "$size" -gt 50000 ] || fail "$png is $size bytes: blank?"
    echo "$f: $size bytes"
  done
fi

echo
echo "CLI SMOKE OK ($EXE, $(($(date +%s) - t0))s)"
