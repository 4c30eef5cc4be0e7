#!/bin/sh
# debuginfo.sh - fetch the DWARF of the Debian kernel RELEASE that the VM
# tests boot: vmlinux and the few modules the cases probe, extracted from
# Debian's linux-image-RELEASE-dbg (about 860 MB, fetched once and not kept).
# A RELEASE ending in -arm64 is the arm64 kernel of tests/arm64/ (800 MB).
#
# Idempotent: a stamp per release short-cuts it. Everything lands in
# $STAPC_DEBUGINFO_CACHE (default ~/.cache/stapc-debuginfo), never in the
# repository. Prints the directory to pass to --debuginfo-path on stdout.
#
# The -dbg package must be the same version as the installed linux-image,
# or the DWARF would describe another build: we ask apt for exactly that one.
set -eu

release=${1:?usage: debuginfo.sh RELEASE}
CACHE=${STAPC_DEBUGINFO_CACHE:-$HOME/.cache/stapc-debuginfo}
root="$CACHE/$release"
stamp="$root/.done"

# the modules whose DWARF the cases read (seed_xt_state: xt_state)
modules="kernel/net/netfilter/xt_state.ko"

if [ -f "$stamp" ]; then
	echo "$root/usr/lib/debug"
	exit 0
fi

case $release in
*-arm64)
	# the arm64 kernel the arm64 tests boot: its version is that of the
	# image tests/arm64/setup.sh fetched (the host runs amd64)
	image=$(ls "${STAPC_ARM64_CACHE:-$HOME/.cache/stapc-arm64}"/debs/linux-image-"$release"-unsigned_*.deb 2>/dev/null | head -n 1)
	version=$(dpkg-deb -f "$image" Version 2>/dev/null) || {
		echo "debuginfo.sh: no linux-image-$release-unsigned in the arm64 cache (run tests/arm64/setup.sh)" >&2
		exit 1
	}
	package="linux-image-$release-dbg:arm64"
	modules="" ;;
*)
	version=$(dpkg-query -W -f='${Version}' "linux-image-$release" 2>/dev/null) || {
		echo "debuginfo.sh: linux-image-$release is not installed" >&2
		exit 1
	}
	package="linux-image-$release-dbg" ;;
esac
tmp=$(mktemp -d /tmp/stapc-dbg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download "$package=$version") >&2 || {
	echo "debuginfo.sh: cannot download $package=$version" >&2
	exit 1
}
files="./usr/lib/debug/boot/vmlinux-$release"
for m in $modules; do
	files="$files ./usr/lib/debug/lib/modules/$release/$m"
done
rm -rf "$root"
mkdir -p "$root"
# shellcheck disable=SC2086
dpkg-deb --fsys-tarfile "$tmp"/linux-image-*-dbg_*.deb | tar -x -C "$root" $files
touch "$stamp"
echo "$root/usr/lib/debug"
