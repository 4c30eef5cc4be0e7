#!/bin/sh
# setup.sh - fetch an arm64 target (kernel build tree, vmlinuz, busybox) for
# cross-compiling and VM tests on an amd64 Debian host.
#
# Idempotent and fast when done: a stamp file per kernel ABI short-cuts it.
# Everything lands in $STAPC_ARM64_CACHE (default ~/.cache/stapc-arm64),
# never in the repository. Prints the build tree path on stdout.
#
# Recipe (Debian 12): the arm64 headers package links scripts/ and tools/ to
# /usr/lib/linux-kbuild-6.1, which holds the *host's* kbuild tools (fixdep,
# modpost) when linux-kbuild-6.1 for amd64 is installed at the same version:
# we point the extracted tree's usr/lib/linux-kbuild-6.1 at the host's. Its
# Makefile includes the -common tree by absolute path; we rewrite it to the
# extracted copy. Then `make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-`
# builds modules (the tree's Makefile asks for $(CROSS_COMPILE)gcc-12).
set -eu

CACHE=${STAPC_ARM64_CACHE:-$HOME/.cache/stapc-arm64}

# the same kernel ABI as the host's amd64 headers (same linux-kbuild version)
abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*linux-headers-\([0-9.]*-[0-9]*\)-amd64.*/\1/p')
if [ -z "$abi" ]; then
	echo "setup.sh: linux-headers-amd64 is not installed (run tests/install-deps.sh)" >&2
	exit 1
fi
flavour="$abi-arm64"
tree="$CACHE/root/usr/src/linux-headers-$flavour"
stamp="$CACHE/.done-$flavour"

if [ -f "$stamp" ] && [ -d "$tree" ]; then
	echo "$tree"
	exit 0
fi

# the cross compiler (modules, and a static stapr: libc6-dev-arm64-cross) and qemu
need_pkgs=""
for p in gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		need_pkgs="$need_pkgs $p"
done
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	apt-get update -q >&2
fi
if [ -n "$need_pkgs" ]; then
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need_pkgs >&2
fi

mkdir -p "$CACHE/debs"
cd "$CACHE/debs"
for p in "linux-headers-$flavour:arm64" "linux-headers-$abi-common" \
	 "linux-image-$flavour-unsigned:arm64" "busybox-static:arm64"; do
	base=${p%%:*}
	ls "${base}"_*.deb >/dev/null 2>&1 && continue
	if ! apt-get download "$p" >&2 2>/dev/null; then
		apt-get update -q >&2
		apt-get download "$p" >&2
	fi
done

rm -rf "$CACHE/root"
mkdir -p "$CACHE/root"
for d in "$CACHE"/debs/*.deb; do
	case $d in
	*/linux-image-*)
		# of the image's 400 MB only the kernel and the modules the VM
		# runner loads (virtio consoles for its streams)
		dpkg-deb --fsys-tarfile "$d" | tar -x -C "$CACHE/root" --wildcards \
			'./boot/*' '*/virtio_mmio.ko' '*/virtio_console.ko' ;;
	*) dpkg-deb -x "$d" "$CACHE/root" ;;
	esac
done
# host kbuild tools for scripts/ and tools/ (see the recipe above)
kbuild_dir=$(readlink "$tree/scripts" | sed 's|^\.\./\.\./lib/||; s|/scripts$||')
if [ ! -x "/usr/lib/$kbuild_dir/scripts/basic/fixdep" ]; then
	echo "setup.sh: /usr/lib/$kbuild_dir missing: install the host's ${kbuild_dir%-*}-${kbuild_dir##*-}" >&2
	exit 1
fi
mkdir -p "$CACHE/root/usr/lib"
ln -sfn "/usr/lib/$kbuild_dir" "$CACHE/root/usr/lib/$kbuild_dir"
sed -i "s|^include /usr/src/|include $CACHE/root/usr/src/|" "$tree/Makefile"
cp "$CACHE/root/boot/System.map-$flavour" "$tree/System.map"
cp "$CACHE/root/boot/vmlinuz-$flavour" "$CACHE/vmlinuz"
cp "$CACHE/root/bin/busybox" "$CACHE/busybox"
touch "$stamp"
echo "$tree"
