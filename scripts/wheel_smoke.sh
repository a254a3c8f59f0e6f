#!/usr/bin/env bash
# The wheel as a user gets it: built with `python -m build` (an sdist, and the wheel built from
# that sdist), installed into a fresh virtualenv outside the checkout, checked to hold the app
# and nothing else, then driven through scripts/cli_smoke.sh from a folder outside the checkout
# (--version, a round from import to certificates, the app started offscreen and its windows
# rendered into PNG files). Exits non-zero on the first failure, naming the step.
#
#   bash scripts/wheel_smoke.sh               # everything in a temporary folder, removed afterwards
#   WHEEL_OUT=dist bash scripts/wheel_smoke.sh   # keep the sdist and the wheel in dist/
#
# The fresh virtualenv gets its dependencies from the package index, as a user's does (pip's
# cache makes a second run quick). PYTHON chooses the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT=$PWD

[ -x .venv/bin/python ] || bash scripts/setup.sh
# build: the standard front end (PEP 517) that builds exactly what `pip install .` would.
.venv/bin/python -c "import build" 2>/dev/null || .venv/bin/python -m pip install -q 'build>=1.2'

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sme-wheel.XXXXXX")
STEP=""
REPORTED=""
finish() {
  local code=$?
  [ "$code" -eq 0 ] || [ -n "$REPORTED" ] || echo "WHEEL SMOKE FAILED at step '$STEP' (exit $code)" >&2
  rm -rf "$WORK"
}
trap finish EXIT
step() {
  STEP=$*
  printf '\n== wheel smoke: %s\n' "$STEP"
}
fail() {
  echo "WHEEL SMOKE FAILED at step '$STEP': $*" >&2
  REPORTED=1
  exit 1
}
t_start=$(date +%s)

step "python -m build (sdist, then the wheel from it)"
DIST=${WHEEL_OUT:-$WORK/dist}
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
version=$(.venv/bin/python -c 'import sme_review_desktop; print(sme_review_desktop.__version__)')
rm -f "$DIST/sme_review_desktop-$version"-*.whl "$DIST/sme_review_desktop-$version.tar.gz"
.venv/bin/python -m build --outdir "$DIST" . >"$WORK/build.log" 2>&1 || {
  tail -n 40 "$WORK/build.log"
  fail "the build failed"
}
WHEEL=$DIST/sme_review_desktop-$version-py3-none-any.whl
[ -f "$WHEEL" ] || fail "no wheel $WHEEL (built: $(ls "$DIST"))"
ls -l "$DIST"

step "the wheel holds the package and its resources, nothing else"
.venv/bin/python - "$WHEEL" <<'EOF'
import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
stray = [n for n in names if not n.startswith("sme_review_desktop")]
assert not stray, f"not the package: {stray[:10]}"
for needed in (
    "sme_review_desktop/ui/snapshot.py",
    "sme_review_desktop/migrations/script.py.mako",
    "sme_review_desktop/resources/rulebooks/liaocheng-2021.yaml",
    "sme_review_desktop/resources/rulebooks/xian-2018.yaml",
    "sme_review_desktop/resources/fonts/LXGWWenKai-Regular.ttf",
    "sme_review_desktop/resources/icons/app-256.png",
    "sme_review_desktop/resources/docs/用户手册.md",
):
    assert needed in names, f"missing from the wheel: {needed}"
print(f"{len(names)} files, the package only")
EOF

step "install into a fresh virtualenv outside the checkout"
cd "$WORK"
"${PYTHON:-python3}" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "$WHEEL"
where=$("$WORK/venv/bin/python" -c 'import sme_review_desktop; print(sme_review_desktop.__file__)')
echo "imported from $where"
case "$where" in
  "$WORK/venv/"*) ;;
  *) fail "sme_review_desktop imported from $where, not the new virtualenv" ;;
esac
"$WORK/venv/bin/sme-review" rulebooks --json | grep -q xian-2018 || fail "rulebooks not found"

step "the round, the app and its windows (scripts/cli_smoke.sh)"
bash "$CHECKOUT/scripts/cli_smoke.sh" --python "$WORK/venv/bin/python" --snapshot python \
  "$WORK/venv/bin/sme-review"

echo
echo "WHEEL SMOKE OK ($(basename "$WHEEL"), $(($(date +%s) - t_start))s)"
