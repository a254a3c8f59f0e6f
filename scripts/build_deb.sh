#!/usr/bin/env bash
# The Debian package of the Linux bundle: dist/sme-review-desktop_VERSION_amd64.deb
#
#   bash scripts/build_deb.sh                            # build and smoke-test the bundle first
#   BUNDLE=dist/sme-review bash scripts/build_deb.sh     # package a bundle already built
#   DEB_OUT=DIR   where the .deb goes (default dist/)
#   DEB_MAINTAINER="Name <address>"   the Maintainer field
#   LINTIAN=1     run lintian on the result (apt-get install lintian; a few minutes)
#
# Without BUNDLE the bundle is built by scripts/bundle_smoke.sh, so no .deb is made of a bundle
# that failed its smoke test. The package holds:
#   /opt/sme-review-desktop/                  the one-folder bundle as built
#   /usr/bin/sme-review                       a link to its executable (command line and app)
#   /usr/share/applications/sme-review-desktop.desktop    示范平台认定评审系统, Office;
#   /usr/share/icons/hicolor/{32x32,64x64,256x256,scalable}/apps/sme-review-desktop.{png,svg}
#   /usr/share/doc/sme-review-desktop/{copyright,changelog.gz}, /usr/share/man/man1/sme-review.1.gz
#   /usr/share/lintian/overrides/sme-review-desktop   the tags that are what a bundle is
# Depends lists the Debian packages that own every library the bundle's binaries link from the
# system (ldd, then dpkg -S), libc6 at the newest GLIBC_ symbol version they use, and the data
# packages the bundled libraries read (fontconfig-config, xkb-data, libx11-data). Built with
# dpkg-deb --build --root-owner-group.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT=$PWD

PACKAGE=sme-review-desktop
PREFIX=/opt/$PACKAGE
MAINTAINER=${DEB_MAINTAINER:-SME Review Desktop maintainers <maintainers@users.noreply.r-seed-9437e7ad.example>}
ARCH=$(dpkg --print-architecture)

STEP=""
REPORTED=""
step() {
  STEP=$*
  printf '\n== build deb: %s\n' "$STEP"
}
fail() {
  echo "BUILD DEB FAILED at step '$STEP': $*" >&2
  REPORTED=1
  exit 1
}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sme-deb.XXXXXX")
finish() {
  local code=$?
  [ "$code" -eq 0 ] || [ -n "$REPORTED" ] || echo "BUILD DEB FAILED at step '$STEP' (exit $code)" >&2
  rm -rf "$WORK"
}
trap finish EXIT

[ -x .venv/bin/python ] || bash scripts/setup.sh
# PEP 440 to Debian: 1.2.0rc1 -> 1.2.0~rc1, 1.2.0.dev3 -> 1.2.0~dev3 (both sort before 1.2.0).
PY_VERSION=$(.venv/bin/python installer/version_info.py)
VERSION=$(echo "$PY_VERSION" | sed -E 's/\.?(a|b|rc|dev)([0-9]*)/~\1\2/; s/\+/+local/')

if [ -z "${BUNDLE:-}" ]; then
  step "build and smoke-test the bundle (scripts/bundle_smoke.sh)"
  BUNDLE_OUT=$WORK/bundle bash scripts/bundle_smoke.sh
  BUNDLE=$WORK/bundle/sme-review
fi
BUNDLE=$(cd "$BUNDLE" && pwd)
[ -x "$BUNDLE/sme-review" ] || fail "no bundle at $BUNDLE (sme-review missing)"

step "lay out the package"
ROOT=$WORK/root
mkdir -p "$ROOT$PREFIX" "$ROOT/usr/bin" "$ROOT/DEBIAN"
cp -a "$BUNDLE/." "$ROOT$PREFIX/"
ln -s "$PREFIX/sme-review" "$ROOT/usr/bin/sme-review"

ICONS=sme_review_desktop/resources/icons
for size in 32 64 256; do
  install -D -m 644 "$ICONS/app-$size.png" \
    "$ROOT/usr/share/icons/hicolor/${size}x$size/apps/$PACKAGE.png"
done
install -D -m 644 "$ICONS/app.svg" "$ROOT/usr/share/icons/hicolor/scalable/apps/$PACKAGE.svg"

# The file name is the app's desktop file name (QGuiApplication.setDesktopFileName), so the
# desktop puts its windows under this entry and icon.
install -d "$ROOT/usr/share/applications"
cat >"$ROOT/usr/share/applications/$PACKAGE.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=示范平台认定评审系统
GenericName=示范平台认定评审
Comment=中小企业公共服务示范平台认定：导入申报材料、逐条审核、专家评分、公示、证书
Exec=sme-review
Icon=sme-review-desktop
Terminal=false
Categories=Office;
Keywords=示范平台;认定;评审;中小企业;
Actions=demo;

[Desktop Action demo]
Name=示范平台认定评审系统（演示数据）
Exec=sme-review --demo
EOF
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$ROOT/usr/share/applications/$PACKAGE.desktop" ||
    fail "the .desktop entry is not valid"
fi

DOC=$ROOT/usr/share/doc/$PACKAGE
install -d "$DOC" "$ROOT/usr/share/man/man1" "$ROOT/usr/share/lintian/overrides"
cat >"$DOC/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $PACKAGE
Comment: The application is proprietary software of its owner, made for a city bureau.
 The bundle in $PREFIX carries the Python runtime, Qt for Python (PySide6, LGPL-3.0) and the
 libraries the app uses, each with its licence files in $PREFIX/_internal/*.dist-info/.

Files: *
Copyright: the owners of 示范平台认定评审系统
License: LicenseRef-Proprietary
 All rights reserved. Not for redistribution outside the bureau's offices.

Files: $PREFIX/_internal/sme_review_desktop/resources/fonts/*
Copyright: 2021-2022 lxgw <calxgw2018@gmail.com>
License: OFL-1.1
 The full text is in $PREFIX/_internal/sme_review_desktop/resources/fonts/OFL-LXGWWenKai.txt
EOF
{
  echo "$PACKAGE ($VERSION) unstable; urgency=medium"
  echo
  echo "  * Package of the Linux bundle of 示范平台认定评审系统 $PY_VERSION."
  echo
  echo " -- $MAINTAINER  $(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")"
} | gzip -9n >"$DOC/changelog.gz"
cat <<EOF | gzip -9n >"$ROOT/usr/share/man/man1/sme-review.1.gz"
.TH SME-REVIEW 1 "" "$PY_VERSION" "示范平台认定评审系统"
.SH NAME
sme-review \\- 示范平台认定评审系统 (SME public service demonstration platform review)
.SH SYNOPSIS
.B sme-review
[\\fB\\-\\-demo\\fR]
.br
.B sme-review
.I command
[\\fIoptions\\fR]
.SH DESCRIPTION
Without a command,
.B sme-review
opens the desktop app (\\fB\\-\\-demo\\fR: on the demo data set).
With one, it runs that command of the command line: rounds, import of county packages,
evaluation, expert scores, decisions, publicity, notices, certificates, the register, backups.
.B sme-review \\-\\-help
lists them all.
.SH FILES
Data lives in the user's data folder (\\fI~/.local/share/sme-review-desktop\\fR), or the folder
given with \\fB\\-\\-data\\-dir\\fR or \\fBSME_REVIEW_DATA_DIR\\fR. The program is in
\\fI$PREFIX\\fR.
EOF
# Tags that are what a one-folder bundle is (lintian's pointers have no leading slash).
cat >"$ROOT/usr/share/lintian/overrides/$PACKAGE" <<EOF
# The PyInstaller one-folder bundle lives whole in $PREFIX, with its own Python, Qt and the
# libraries they need (FHS: /opt is for add-on application software packages).
$PACKAGE: dir-or-file-in-opt [${PREFIX#/}/*]
# Python's own extension modules and the libraries copied from the build machine, as built.
$PACKAGE: shared-library-lacks-prerequisites [${PREFIX#/}/*]
$PACKAGE: library-not-linked-against-libc [${PREFIX#/}/_internal/python3.11/lib-dynload/*]
# numpy's OpenBLAS breaks when stripped (see installer/sme_review.spec).
$PACKAGE: unstripped-binary-or-object [${PREFIX#/}/_internal/numpy.libs/*]
# PyInstaller's bootloader.
$PACKAGE: hardening-no-pie [${PREFIX#/}/sme-review]
# Private copies of libraries by design: the bundle is one folder, self-contained.
$PACKAGE: embedded-library * [${PREFIX#/}/*]
EOF
chmod -R u+rwX,go+rX,go-w "$ROOT"
find "$ROOT" -type d -exec chmod 755 {} +
# Libraries are loaded, not run: no execute bits (PyInstaller copies them 0755).
find "$ROOT$PREFIX" -type f -name '*.so*' -exec chmod 644 {} +

step "runtime libraries (ldd on every binary, dpkg -S on what comes from the system)"
find "$ROOT$PREFIX" -type f -print0 | while IFS= read -r -d '' f; do
  [ "$(head -c 4 "$f" | od -An -c | tr -d ' \n')" = 177ELF ] && echo "$f"
done >"$WORK/elf.txt"
echo "$(wc -l <"$WORK/elf.txt") binaries"
LIBDIRS=$(find "$ROOT$PREFIX" -name '*.so*' -printf '%h\n' | sort -u | paste -sd:)
: >"$WORK/system-libs.txt"
while IFS= read -r f; do
  LD_LIBRARY_PATH=$LIBDIRS ldd "$f" 2>/dev/null || true
done <"$WORK/elf.txt" >"$WORK/ldd.txt"
# "libfoo.so.1 => /usr/lib/.../libfoo.so.1 (0x...)": the ones outside the package; a library
# the bundle has a copy of is the bundle's, wherever ldd found it. PyInstaller copies most
# system libraries into the bundle (fontconfig, X11, CUPS, GLib...) and leaves out the ones that
# must match the machine (libc, the GL/EGL dispatchers, libxcb). Wayland's client libraries
# are no dependency: a Wayland desktop has them, and without one the Wayland plugin is never
# loaded.
missing=$(grep 'not found' "$WORK/ldd.txt" | grep -v 'libwayland-' | sort -u || true)
[ -z "$missing" ] || fail "libraries not found on this machine:
$missing"
grep -o '=> /[^ ]*' "$WORK/ldd.txt" | cut -c 4- | sort -u | while IFS= read -r lib; do
  case "$lib" in "$ROOT"/* | */libwayland-*) continue ;; esac
  if find "$ROOT$PREFIX" -name "$(basename "$lib")" | grep -q .; then continue; fi
  echo "$lib"
done >"$WORK/system-libs.txt"
while IFS= read -r lib; do
  owner=""
  real=$(readlink -f "$lib")
  for candidate in "$lib" "${lib#/usr}" "/usr$lib" "$real" "${real#/usr}" "/usr$real"; do
    owner=$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    [ -z "$owner" ] || break
  done
  [ -n "$owner" ] || fail "no Debian package owns $lib"
  echo "$owner"
done <"$WORK/system-libs.txt" | sort -u >"$WORK/packages.txt"
# Data files the bundled libraries read from the system rather than carry: fontconfig's
# configuration (/etc/fonts), the keyboard descriptions of libxkbcommon, the X11 locale data
# (compose keys). A desktop has them; a minimal system must get them.
printf '%s\n' fontconfig-config xkb-data libx11-data >>"$WORK/packages.txt"
sort -u -o "$WORK/packages.txt" "$WORK/packages.txt"
GLIBC=$(xargs -a "$WORK/elf.txt" -d '\n' objdump -T 2>/dev/null |
  grep -o 'GLIBC_[0-9.]*' | cut -d_ -f2 | sort -uV | tail -n 1)
DEPENDS=$(sed "s/^libc6\$/libc6 (>= $GLIBC)/" "$WORK/packages.txt" | paste -sd, | sed 's/,/, /g')
grep -q '^libc6$' "$WORK/packages.txt" || DEPENDS="libc6 (>= $GLIBC), $DEPENDS"
echo "Depends: $DEPENDS"

step "control file"
INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
cat >"$ROOT/DEBIAN/control" <<EOF
Package: $PACKAGE
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_SIZE
Depends: $DEPENDS
Section: misc
Priority: optional
Description: 示范平台认定评审系统 - SME demonstration platform review desktop
 An offline desktop application with which a city bureau and its expert
 reviewers run the yearly certification of SME public service demonstration
 platforms (中小企业公共服务示范平台认定): import the counties' dossiers, walk
 through every condition of the measure with its evidence, score, decide,
 publicise, print certificates and keep the register.
 .
 The program is a self-contained bundle in $PREFIX (its own
 Python and Qt); /usr/bin/sme-review is its command line and, run without a
 command, the app.
EOF
cat "$ROOT/DEBIAN/control"

step "dpkg-deb --build"
OUTDIR=${DEB_OUT:-$CHECKOUT/dist}
mkdir -p "$OUTDIR"
DEB=$(cd "$OUTDIR" && pwd)/${PACKAGE}_${VERSION}_$ARCH.deb
dpkg-deb --build --root-owner-group -Zxz "$ROOT" "$DEB" >/dev/null
dpkg-deb --info "$DEB" | sed -n '1,6p'
ls -l "$DEB"

if [ "${LINTIAN:-}" = 1 ]; then
  step "lintian (informational: it takes minutes on a 260 MB bundle)"
  lintian --info --no-tag-display-limit "$DEB" || true
fi
echo
echo "DEB OK: $DEB"
