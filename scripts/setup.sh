#!/usr/bin/env bash
# Set up a fresh Debian 12 machine for both README commands (scripts/demo.sh, scripts/test.sh):
# system libraries Qt needs even offscreen, a CJK font, the PDF tools the tests use, what the
# Linux bundle needs to be built (scripts/bundle_smoke.sh), then a virtualenv with the app and
# its test tools. scripts/fresh_debian_check.sh proves it on a new debootstrap root.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip
  libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  fonts-wqy-zenhei poppler-utils zbar-tools
  # a 宋/明-style TrueType face for the GB/T 9704 documents on a PC without Windows fonts
  fonts-arphic-uming
  # The bundle: PyInstaller needs objdump (binutils) and, with Debian's python3, the shared
  # libpython; it copies in every library Qt's plugins link (ldd), which must be here to be
  # found: the xcb platform plugin's X libraries and CUPS (print support).
  binutils libpython3.11 libcups2
  libx11-xcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
