#!/bin/sh
# compare_listing.sh - `stapc -L` against SystemTap's `stap -L` for the
# kernel functions in bench/listing_functions.txt, with the same DWARF (the
# Debian kernel's, fetched by tests/vm/debuginfo.sh): each function's
# kernel.function("F") and the statements of its body,
# kernel.statement("F@FILE:*"). Prints each line that differs and how many
# match exactly. Not a test: it needs Debian's stap (apt-get install
# systemtap) and takes a few seconds per function in stap.
#
# Usage: bench/compare_listing.sh [BUILD_DIR] [RELEASE]
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
release=${2:-$(ls /boot/vmlinuz-* | sort -V | tail -n 1 | sed 's|.*/vmlinuz-||')}
command -v stap >/dev/null || { echo "compare_listing.sh: no stap (apt-get install systemtap)"; exit 1; }
dbg=$("$here/../tests/vm/debuginfo.sh" "$release") || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lines=0 same=0 funcs=0 slines=0 ssame=0
# compare POINT: adds to $n (stap's lines) and $m (the identical ones)
compare() {
	SYSTEMTAP_DEBUGINFO_PATH=$dbg stap -r "$release" -L "$1" 2>/dev/null | sort >"$work/stap"
	"$build/stapc" -r "$release" --debuginfo-path "$dbg" -L "$1" 2>/dev/null | sort >"$work/stapc"
	n=$(wc -l <"$work/stap")
	m=$(comm -12 "$work/stap" "$work/stapc" | wc -l)
	if ! cmp -s "$work/stap" "$work/stapc"; then
		echo "== $1"
		diff "$work/stap" "$work/stapc" | grep '^[<>]'
	fi
}
for f in $(grep -v '^#' "$here/listing_functions.txt"); do
	funcs=$((funcs + 1))
	compare "kernel.function(\"$f\")"
	lines=$((lines + n))
	same=$((same + m))
	# the statements of its body, in the file stap names for it
	file=$(sed -n 's/^kernel.function("[^@]*@\([^:]*\):.*/\1/p' "$work/stap" | head -n 1)
	[ -n "$file" ] || continue
	compare "kernel.statement(\"$f@$file:*\")"
	slines=$((slines + n))
	ssame=$((ssame + m))
done
echo "$same of $lines lines of stap -L identical in stapc -L, for $funcs functions"
echo "$ssame of $slines lines of stap -L identical for their statements (kernel.statement(\"F@FILE:*\"))"
