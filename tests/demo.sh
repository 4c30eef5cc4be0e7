#!/bin/sh
# demo.sh - `make demo`: compile examples/hello.stp for the Debian kernel
# installed for the test VM, then run it there with stapr.
set -eu
build=${1:-build}
kernel=$(ls /boot/vmlinuz-* | sort -V | tail -n 1)
release=${kernel#/boot/vmlinuz-}
top=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== stapc -v -p4 -m hello -r $release examples/hello.stp"
(cd "$work" && "$top/$build/stapc" -v -p4 -m hello -r "$release" "$top/examples/hello.stp")
echo "== stapr --vm $kernel hello.ko   (boots $release under qemu, ~10-20 s)"
"$build/stapr" --vm "$kernel" "$work/hello.ko"
