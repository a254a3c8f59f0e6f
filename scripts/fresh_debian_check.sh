#!/usr/bin/env bash
# Proves that the README's setup works on a fresh Debian 12 and that the .deb installs, runs and
# purges cleanly. Run as root (debootstrap, chroot, mount) on a Debian 12 host:
#
#   bash scripts/fresh_debian_check.sh
#
#  1. a new root: debootstrap --variant=minbase --include=ca-certificates,git,sudo bookworm,
#     from the mirror this host's apt sources name (the downloaded packages are kept as a
#     debootstrap tarball in /var/cache/sme-review-desktop/ and reused; FRESH_NO_CACHE=1 skips
#     it), and an untouched copy of it for step 7
#  2. into it only: this host's apt sources and apt.conf.d, its pip configuration (`pip config
#     list`, local package folders it names bind-mounted read-only) and its extra CA certificates
#     (update-ca-certificates inside); /proc, /sys, /dev, /dev/pts, /dev/shm bind-mounted
#  3. the repository cloned in at the committed HEAD (uncommitted changes are not in the check)
#  4. scripts/setup.sh inside (FRESH_TESTS="tests/ui ..." also runs those tests there)
#  5. the CLI smoke (scripts/cli_smoke.sh) on the checkout's .venv, and the bundle smoke
#     (scripts/bundle_smoke.sh) inside; the full pytest is left to scripts/test.sh
#  6. scripts/build_deb.sh inside, from that bundle
#  7. in the untouched copy of the fresh root: apt-get install ./the.deb, the CLI smoke with
#     /usr/bin/sme-review, the app rendered offscreen (PNG files copied out and checked
#     non-blank), apt-get purge, and nothing left of the package
#
# Every step prints a header; a failure names the step and exits non-zero. Mounts are always
# undone (trap), then the roots removed (FRESH_KEEP=1 keeps them). FRESH_OUT (default
# /tmp/sme-fresh-check) receives the .deb and the PNG files. Takes 4 to 6.5 minutes here.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT=$PWD
T_START=$(date +%s)

SUITE=bookworm
INCLUDE=ca-certificates,git,sudo
CACHE=/var/cache/sme-review-desktop
OUT=${FRESH_OUT:-/tmp/sme-fresh-check}

STEP="start"
REPORTED=""
step() {
  STEP=$*
  printf '\n######## fresh Debian check: %s  (%ss)\n' "$STEP" "$(($(date +%s) - T_START))"
}
fail() {
  echo "FRESH DEBIAN CHECK FAILED at step '$STEP': $*" >&2
  REPORTED=1
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap, chroot and mount need it)"
grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release || echo "note: the host is not Debian 12"

WORK=$(mktemp -d /var/tmp/sme-fresh.XXXXXX)
ROOT=$WORK/root # setup.sh, the smoke tests and the .deb's build run here
BARE=$WORK/bare # the fresh root untouched, for installing the .deb

mounted_under() { # mount points below $1, deepest first
  awk -v p="$1/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
unmount_all() {
  local m
  for m in $(mounted_under "$WORK"); do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
}
finish() {
  local code=$?
  set +e
  unmount_all
  if [ -n "$(mounted_under "$WORK")" ]; then
    echo "still mounted, $WORK NOT removed:" >&2
    mounted_under "$WORK" >&2
  elif [ "${FRESH_KEEP:-}" = 1 ]; then
    echo "kept: $WORK"
  else
    rm -rf --one-file-system "$WORK"
  fi
  if [ "$code" -ne 0 ] && [ -z "$REPORTED" ]; then
    echo "FRESH DEBIAN CHECK FAILED at step '$STEP' (exit $code)" >&2
  fi
  echo "total: $(($(date +%s) - T_START))s"
}
trap finish EXIT
trap 'exit 130' INT TERM

# chroot with a clean environment: nothing of this host's shell leaks in.
in_root() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive /bin/bash -c "$*"
}

step "1. debootstrap a fresh $SUITE root"
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
fi
# The mirror: the first URI of this host's apt sources that serves the suite's main component.
MIRROR=$(
  {
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null
    echo
  } | awk -v s="$SUITE" '
    /^[[:space:]]*$/ { if (u != "" && suites ~ ("(^| )" s "( |$)")) { print u; exit } u = ""; suites = ""; next }
    tolower($1) == "uris:" { u = $2 }
    tolower($1) == "suites:" { $1 = ""; suites = $0 " " }
  '
)
if [ -z "$MIRROR" ]; then
  MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -E 's/\[[^]]*\]//' | awk -v s="$SUITE" '$1 == "deb" && $3 == s { print $2; exit }')
fi
[ -n "$MIRROR" ] || fail "no apt source for $SUITE on this host"
echo "mirror: $MIRROR"
ARCH=$(dpkg --print-architecture)
key=$(printf '%s %s %s %s' "$SUITE" "$MIRROR" "$INCLUDE" "$ARCH" | sha256sum | cut -c 1-12)
TARBALL=$CACHE/debootstrap-$SUITE-minbase-$key.tgz
DEBOOTSTRAP=(debootstrap --variant=minbase "--include=$INCLUDE" "--arch=$ARCH")
if [ "${FRESH_NO_CACHE:-}" = 1 ]; then
  "${DEBOOTSTRAP[@]}" "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -n 30 "$WORK/debootstrap.log"; fail "debootstrap failed"; }
else
  if [ ! -s "$TARBALL" ]; then
    mkdir -p "$CACHE"
    echo "downloading the packages into $TARBALL (kept for the next run)"
    # Written under a name of this run's own, then renamed: a run that dies, or one running
    # beside it, never leaves or reads half a tarball.
    "${DEBOOTSTRAP[@]}" "--make-tarball=$TARBALL.$$.part" "$SUITE" "$WORK/tarball" "$MIRROR" \
      >"$WORK/debootstrap.log" 2>&1 || {
      tail -n 30 "$WORK/debootstrap.log"
      rm -f "$TARBALL.$$.part"
      fail "debootstrap --make-tarball failed"
    }
    mv "$TARBALL.$$.part" "$TARBALL"
    rm -rf "$WORK/tarball"
  else
    echo "packages from $TARBALL"
  fi
  if ! "${DEBOOTSTRAP[@]}" "--unpack-tarball=$TARBALL" "$SUITE" "$ROOT" "$MIRROR" \
    >"$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log"
    rm -f "$TARBALL" # unusable: the next run downloads afresh
    fail "debootstrap from the cached packages failed (cache removed; run again)"
  fi
fi
in_root "$ROOT" 'command -v python3' && fail "a minbase root has no python3, this one has"
cp -a "$ROOT" "$BARE"
du -sh "$ROOT"

# Copy in this host's apt sources and apt.conf.d, its extra CA certificates; mount the kernel
# file systems. The same for both roots.
prepare_root() {
  local root=$1 f
  rm -f "$root/etc/apt/sources.list"
  rm -rf "$root/etc/apt/sources.list.d"
  mkdir -p "$root/etc/apt/sources.list.d" "$root/etc/apt/apt.conf.d"
  [ ! -f /etc/apt/sources.list ] || cp /etc/apt/sources.list "$root/etc/apt/"
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ ! -f "$f" ] || cp "$f" "$root/etc/apt/sources.list.d/"
  done
  cp -a /etc/apt/apt.conf.d/. "$root/etc/apt/apt.conf.d/"
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
  mount -t proc proc "$root/proc"
  mount --bind /sys "$root/sys"
  mount --bind /dev "$root/dev"
  mount --bind /dev/pts "$root/dev/pts"
  mount --bind /dev/shm "$root/dev/shm"
  in_root "$root" 'update-ca-certificates >/dev/null'
}

# pip's configuration as `pip config list` shows it (files and PIP_* variables) in one
# /etc/pip.conf; the local folders it names bind-mounted read-only at the same paths.
prepare_pip() {
  local root=$1 config token path
  config=$(python3 -m pip config list 2>/dev/null || pip config list 2>/dev/null || true)
  [ -n "$config" ] || return 0
  {
    echo "# pip configuration of the host (pip config list), for the fresh Debian check"
    printf '%s\n' "$config" | grep -v '^:env:' | sed -nE "s/^([a-z_-]+)\.([^=]+)='(.*)'$/\1 \2 \3/p"
    printf '%s\n' "$config" | sed -nE "s/^:env:\.([^=]+)='(.*)'$/global \1 \2/p"
  } | awk '
    NR == 1 { print; next }
    { section = $1; key = $2; $1 = ""; $2 = ""; sub(/^  /, ""); value[section, key] = $0
      if (!((section, key) in seen)) { seen[section, key] = 1; order[++n] = section SUBSEP key } }
    END { for (i = 1; i <= n; i++) { split(order[i], sk, SUBSEP); s = sk[1]
            if (s != last) { print "[" s "]"; last = s } print sk[2] " = " value[sk[1], sk[2]] } }
  ' >"$root/etc/pip.conf"
  cat "$root/etc/pip.conf"
  printf '%s\n' "$config" | sed -nE "s/^[^=]+='(.*)'$/\1/p" | tr ' ' '\n' | while IFS= read -r token; do
    path=${token#file://}
    case "$path" in /etc/ssl/* | "") continue ;; /*) ;; *) continue ;; esac
    if [ -f "$path" ]; then # a constraints or requirements file: copied
      mkdir -p "$root$(dirname "$path")"
      cp "$path" "$root$path"
    elif [ -d "$path" ]; then # a package folder or a local index (its files beside simple/)
      [ "$(basename "$path")" != simple ] || path=$(dirname "$path")
      mountpoint -q "$root$path" && continue
      mkdir -p "$root$path"
      mount --bind "$path" "$root$path"
      mount -o remount,bind,ro "$root$path"
      echo "bind-mounted read-only: $path"
    fi
  done
}

step "2. apt sources, apt.conf.d, pip configuration and CA certificates into the root"
prepare_root "$ROOT"
prepare_pip "$ROOT"
in_root "$ROOT" 'apt-get update -qq && echo "apt: ok"' || fail "apt-get update fails in the root"

step "3. clone the repository at the committed HEAD"
HEAD=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  echo "note: uncommitted changes here are not part of the check"
git clone -q --no-hardlinks "$CHECKOUT" "$ROOT/root/sme-review-desktop"
git -C "$ROOT/root/sme-review-desktop" checkout -q --detach "$HEAD"
git -C "$ROOT/root/sme-review-desktop" log -1 --format='%h %s'

step "4. scripts/setup.sh inside the root"
t0=$(date +%s)
# apt's and pip's progress goes to a log; its end is shown on failure.
in_root "$ROOT" 'cd /root/sme-review-desktop && bash scripts/setup.sh' >"$WORK/setup.log" 2>&1 || {
  tail -n 40 "$WORK/setup.log"
  fail "setup.sh failed"
}
T_SETUP=$(($(date +%s) - t0))
echo "setup.sh: ${T_SETUP}s, $(grep -c '^Setting up' "$WORK/setup.log") Debian packages set up"

if [ -n "${FRESH_TESTS:-}" ]; then
  step "4b. pytest $FRESH_TESTS inside the root"
  in_root "$ROOT" "cd /root/sme-review-desktop && .venv/bin/python -m pytest -p no:warnings $FRESH_TESTS" ||
    fail "tests failed in the fresh root"
fi

step "5a. the CLI smoke on the checkout's .venv inside the root"
in_root "$ROOT" 'cd /root/sme-review-desktop && bash scripts/cli_smoke.sh --snapshot python .venv/bin/sme-review' ||
  fail "the CLI smoke failed"

step "5b. the bundle smoke inside the root"
t0=$(date +%s)
in_root "$ROOT" 'cd /root/sme-review-desktop && BUNDLE_OUT=/root/bundle bash scripts/bundle_smoke.sh' ||
  fail "the bundle smoke failed"
T_BUNDLE=$(($(date +%s) - t0))

step "6. scripts/build_deb.sh inside the root"
in_root "$ROOT" 'cd /root/sme-review-desktop && BUNDLE=/root/bundle/sme-review DEB_OUT=/root/deb bash scripts/build_deb.sh' ||
  fail "build_deb.sh failed"
DEB=$(find "$ROOT/root/deb" -name 'sme-review-desktop_*.deb' | head -n 1)
[ -n "$DEB" ] || fail "no .deb was built"
mkdir -p "$OUT"
cp "$DEB" "$OUT/"
echo "the .deb: $OUT/$(basename "$DEB")"
# What the .deb's smoke needs and a bare root has no Python for: a county package, the version.
in_root "$ROOT" 'cd /root/sme-review-desktop && .venv/bin/python scripts/smoke_package.py /root/package >/dev/null'
VERSION=$(in_root "$ROOT" 'cd /root/sme-review-desktop && .venv/bin/python installer/version_info.py')
CHECK=$BARE/root/check
mkdir -p "$CHECK"
cp "$DEB" "$CHECK/"
cp -a "$ROOT/root/package" "$CHECK/package"
cp "$CHECKOUT/scripts/cli_smoke.sh" "$CHECK/"
unmount_all # the setup root is done with

step "7a. apt-get install ./$(basename "$DEB") in a fresh root"
prepare_root "$BARE"
in_root "$BARE" "apt-get update -qq && apt-get install -y -q /root/check/$(basename "$DEB") >/root/check/install.log 2>&1" || {
  tail -n 30 "$CHECK/install.log"
  fail "the .deb does not install"
}
grep -E '^(Setting up|Unpacking) sme-review-desktop' "$CHECK/install.log"
echo "$(grep -c '^Setting up' "$CHECK/install.log") packages set up"
in_root "$BARE" 'dpkg -s sme-review-desktop | grep -E "^(Status|Version|Depends)"'

step "7b. the CLI smoke with /usr/bin/sme-review and the app rendered offscreen"
in_root "$BARE" "bash /root/check/cli_smoke.sh --package /root/check/package --version $VERSION --snapshot exe --out /root/check/out /usr/bin/sme-review" ||
  fail "the installed program fails its smoke test"
for png in main_window.png dossier_walkthrough.png; do
  cp "$CHECK/out/snapshot/$png" "$OUT/deb-$png"
  echo "$OUT/deb-$png"
done

step "7c. apt-get purge leaves nothing"
in_root "$BARE" 'apt-get purge -y -q sme-review-desktop >/root/check/purge.log 2>&1' || {
  tail -n 20 "$CHECK/purge.log"
  fail "apt-get purge failed"
}
left=""
for path in /opt/sme-review-desktop /usr/bin/sme-review /usr/share/applications/sme-review-desktop.desktop \
  /usr/share/doc/sme-review-desktop /usr/share/man/man1/sme-review.1.gz \
  /usr/share/lintian/overrides/sme-review-desktop; do
  if [ -e "$BARE$path" ] || [ -L "$BARE$path" ]; then left="$left $path"; fi
done
icons=$(find "$BARE/usr/share" -path '*/icons/*' -name 'sme-review-desktop.*' | sed "s|^$BARE||")
[ -z "$icons" ] || left="$left $icons"
[ -z "$left" ] || fail "left after purge:$left"
in_root "$BARE" '! dpkg -s sme-review-desktop >/dev/null 2>&1' || fail "dpkg still knows the package"
echo "nothing left"

step "done"
echo "setup.sh ${T_SETUP}s, bundle smoke ${T_BUNDLE}s"
echo "FRESH DEBIAN CHECK OK"
