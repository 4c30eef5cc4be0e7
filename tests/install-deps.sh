#!/bin/sh
# install-deps.sh - install every Debian package stapc's build, tests and demo need.
# Idempotent: does nothing (no apt-get at all) when everything is present.
set -eu

PACKAGES="gcc make flex bison libdw-dev libelf-dev pkg-config
linux-headers-amd64 linux-image-amd64 qemu-system-x86 busybox-static
cpio kmod bc util-linux xz-utils binutils
gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm"
# (make check-arm64: tests/arm64/setup.sh fetches the arm64 kernel itself)

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
