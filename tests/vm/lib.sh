# lib.sh - what the VM test runners share (tests/vm/run.sh and
# tests/arm64/run.sh): comparing a case's output and counting results.
# Expects $work, $release (and optionally $fake_release) to be set.
pass=0
fail=0
failed_names=""

expect() {	# expected file with substitutions, or empty
	if [ -f "$1" ]; then
		sed -e "s/@FAKE_RELEASE@/${fake_release:-@FAKE_RELEASE@}/g" \
		    -e "s/@RELEASE@/$release/g" "$1"
	fi
}

compare() {	# name what expected-file actual-file
	if ! diff -u --label "expected $2" --label "actual $2" "$3" "$4" >"$work/diff" 2>&1; then
		echo "FAIL $1: $2 differs"
		sed 's/^/    /' "$work/diff"
		return 1
	fi
	return 0
}

record() {	# name ok?
	if [ "$2" = 0 ]; then
		pass=$((pass + 1))
		echo "ok   $1"
	else
		fail=$((fail + 1))
		failed_names="$failed_names $1"
	fi
}

# Build our debuginfo test module (tests/fixtures/dwarf-module, with DWARF)
# into the current directory, once: for a .pre step, sourced there.
# Usage: build_dwarf_module KBUILD_DIR [make arguments, e.g. ARCH=arm64
# CROSS_COMPILE=aarch64-linux-gnu- to cross-build].
build_dwarf_module() {
	[ -f stp_dwarf_test.ko ] && return 0
	_d=$(mktemp -d)
	_kdir=$1
	shift
	cp "$TOP"/tests/fixtures/dwarf-module/Kbuild "$TOP"/tests/fixtures/dwarf-module/stp_dwarf_test.c "$_d"/
	make -s -C "$_kdir" M="$_d" "$@" modules >"$_d"/log 2>&1 || { cat "$_d"/log; rm -rf "$_d"; return 1; }
	cp "$_d"/stp_dwarf_test.ko .
	rm -rf "$_d"
}
