#!/bin/bash
# run.sh - arm64 cross-compiling tests: compile tests/arm64/cases/*.stp on
# this (x86-64) host against Debian's arm64 kernel tree (setup.sh fetches
# it), run them all in ONE boot of Debian's arm64 kernel under
# qemu-system-aarch64 (stapr-vm --arch arm64, a static aarch64 stapr), and
# compare each case's stdout, stderr and exit status.
#
# Usage: tests/arm64/run.sh STAPC STAPR_ARM64
# A case NAME has NAME.stp and optionally NAME.out, NAME.err, NAME.rc,
# NAME.opts (with @TOP@ and @DEBUGINFO@, the arm64 kernel's DWARF that
# tests/vm/debuginfo.sh fetches), NAME.run ($KO is set) and NAME.compile-err,
# as in tests/vm/run.sh,
# and NAME.pre: a host shell snippet run in the guest directory before
# compiling, with $TOP, $STAPC, $TREE (the arm64 build tree) and $RELEASE
# set, e.g. to cross-build a test module or program there.
# ARM64_CASES='glob' runs only the matching cases.
# ARM64_VM_CASES='glob' adds the matching cases of tests/vm/cases (written
# for x86-64 but mostly architecture-neutral; those with .pre or .host
# steps are skipped), e.g. ARM64_VM_CASES='lang_*'.
set -u
stapc=$(realpath "$1")
stapr=$(realpath "$2")
top=$(cd "$(dirname "$0")/../.." && pwd)
cases=$top/tests/arm64/cases

start=$(date +%s)
tree=$("$top/tests/arm64/setup.sh") || { echo "arm64 tests: setup.sh failed"; exit 1; }
cache=${STAPC_ARM64_CACHE:-$HOME/.cache/stapc-arm64}
release=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$tree/include/generated/utsrelease.h")
drivers=$cache/root/lib/modules/$release/kernel/drivers
echo "arm64 tests: setup took $(( $(date +%s) - start )) s"

work=$(mktemp -d /tmp/stapc-arm64test.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/guest" "$work/results"
cp "$top/tests/vm/wait-armed" "$work/guest/"
. "$top/tests/vm/lib.sh"

# ---- compile on the host -------------------------------------------------------
script=$work/guest/run-all.sh
{
	echo '#!/bin/sh'
	echo 'mkdir -p /tmp/res'
	echo 'run_case() { KO=./$1.ko; export KO; timeout 60 sh ./$1.cmd >/tmp/res/$1.out 2>/tmp/res/$1.err; echo $? >/tmp/res/$1.rc; }'
} >"$script"
vm_cases=""
start=$(date +%s)
declare -A dir_of
for stp in "$cases"/*.stp ${ARM64_VM_CASES:+"$top"/tests/vm/cases/$ARM64_VM_CASES.stp}; do
	[ -f "$stp" ] || continue
	name=$(basename "$stp" .stp)
	cdir=$(dirname "$stp")
	if [ "$cdir" = "$cases" ]; then
		# shellcheck disable=SC2254
		case "$name" in ${ARM64_CASES:-*}) ;; *) continue ;; esac
	elif [ -f "$cdir/$name.pre" ] || [ -f "$cdir/$name.host" ]; then
		echo "skip $name: host steps are not supported here"
		continue
	fi
	dir_of[$name]=$cdir
	if [ -f "$cdir/$name.pre" ]; then
		(cd "$work/guest" && TOP="$top" STAPC="$stapc" TREE="$tree" RELEASE="$release" \
			sh "$cdir/$name.pre") || { echo "FAIL $name: pre step failed"; record "$name" 1; continue; }
	fi
	opts=""
	if [ -f "$cdir/$name.opts" ]; then
		# @DEBUGINFO@: the arm64 kernel's DWARF, fetched the first time
		if grep -q @DEBUGINFO@ "$cdir/$name.opts" && [ -z "${debuginfo:-}" ]; then
			debuginfo=$("$top/tests/vm/debuginfo.sh" "$release") ||
				{ echo "arm64 tests: cannot fetch the debuginfo of $release"; exit 1; }
		fi
		opts=$(sed -e "s|@TOP@|$top|g" -e "s|@DEBUGINFO@|${debuginfo:-}|g" "$cdir/$name.opts")
	fi
	# shellcheck disable=SC2086
	(cd "$work/guest" && cp "$stp" . && "$stapc" -p4 -m "$name" -r "$tree" $opts "$name.stp" \
		>"$work/results/$name.compile.out" 2>"$work/results/$name.compile.err")
	rc=$?
	rm -f "$work/guest/$name.stp"
	if [ -f "$cdir/$name.compile-err" ]; then
		ok=0
		sed "s|@TREE@|$tree|g" "$cdir/$name.compile-err" >"$work/expected"
		compare "$name" "stapc stderr" "$work/expected" "$work/results/$name.compile.err" || ok=1
		[ "$rc" != 0 ] || { echo "FAIL $name: stapc succeeded"; ok=1; }
		[ ! -e "$work/guest/$name.ko" ] || { echo "FAIL $name: a module was left behind"; ok=1; }
		record "$name" "$ok"
		continue
	fi
	if [ "$rc" != 0 ]; then
		echo "FAIL $name: stapc exited $rc"
		sed 's/^/    /' "$work/results/$name.compile.err"
		record "$name" 1
		continue
	fi
	if ! LC_ALL=C readelf -h "$work/guest/$name.ko" | grep -q 'Machine:.*AArch64'; then
		echo "FAIL $name: $name.ko is not an AArch64 module"
		record "$name" 1
		continue
	fi
	if [ -f "$cdir/$name.run" ]; then
		cp "$cdir/$name.run" "$work/guest/$name.cmd"
	else
		echo 'stapr $KO' >"$work/guest/$name.cmd"
	fi
	echo "run_case $name" >>"$script"
	vm_cases="$vm_cases $name"
done
echo "arm64 tests: compiling took $(( $(date +%s) - start )) s"
# nothing may stay loaded after the sessions
echo "sed '/^virtio_/d' /proc/modules" >"$work/guest/a64_no_module_left_loaded.cmd"
echo 'run_case a64_no_module_left_loaded' >>"$script"
vm_cases="$vm_cases a64_no_module_left_loaded"
echo 'cd /tmp/res && tar cf - . | base64' >>"$script"

# ---- one boot runs them all ---------------------------------------------------
files=()
for f in "$work"/guest/*; do files+=(--file "$f"); done
boot() {
	start=$(date +%s)
	"$top/stapr/stapr-vm" --arch arm64 --kernel "$cache/vmlinuz" --busybox "$cache/busybox" \
		--insmod "$drivers/virtio/virtio_mmio.ko" --insmod "$drivers/char/virtio_console.ko" \
		--stapr "$stapr" --timeout 600 "${files[@]}" -- sh ./run-all.sh \
		>"$work/vm.out" 2>"$work/vm.err"
	vm_rc=$?
	echo "arm64 tests: one boot of $release ran $(echo "$vm_cases" | wc -w) cases in $(( $(date +%s) - start )) s"
	if [ "$vm_rc" != 0 ]; then
		echo "FAIL: the VM run failed (stapr-vm exit $vm_rc):"
		sed 's/^/    /' "$work/vm.err"
		echo "$pass passed, $((fail + 1)) failed"
		exit 1
	fi
	rm -rf "$work/res"
	mkdir -p "$work/res"
	base64 -d <"$work/vm.out" 2>/dev/null | tar xf - -C "$work/res" 2>/dev/null
}
# The results travel back as one base64 stream over a virtio console; a
# stream that arrives damaged (seen about once in seven boots under load, a
# transport problem, not a test result) gets one more boot, said out loud.
if ! boot; then
	cp "$work/vm.out" "${TMPDIR:-/tmp}/stapc-arm64-undecodable.out" 2>/dev/null
	echo "arm64 tests: the VM's results could not be decoded (kept in ${TMPDIR:-/tmp}/stapc-arm64-undecodable.out); booting once more"
	boot || { echo "FAIL: cannot decode the VM's results"; exit 1; }
fi

# ---- compare -----------------------------------------------------------------
for name in $vm_cases; do
	ok=0
	cdir=${dir_of[$name]:-$cases}
	expect "$cdir/$name.out" >"$work/expected"
	compare "$name" stdout "$work/expected" "$work/res/$name.out" || ok=1
	expect "$cdir/$name.err" >"$work/expected"
	compare "$name" stderr "$work/expected" "$work/res/$name.err" || ok=1
	want=0
	[ -f "$cdir/$name.rc" ] && want=$(cat "$cdir/$name.rc")
	got=$(cat "$work/res/$name.rc" 2>/dev/null)
	[ "$got" = "$want" ] || { echo "FAIL $name: exit status $got, expected $want"; ok=1; }
	record "$name" "$ok"
done
# ---- the whole pipeline in one command: stapc -p5 --vm against the arm64 tree ----
if [ -z "${ARM64_CASES:-}" ]; then
	start=$(date +%s)
	(cd "$work" && "$stapc" -p5 --vm -r "$tree" -m a64_p5_vm "$top/examples/hello.stp") \
		>"$work/p5.out" 2>"$work/p5.err"
	rc=$?
	echo "arm64 tests: stapc -p5 --vm took $(( $(date +%s) - start )) s"
	ok=0
	printf 'hello world\ntick 1\ntick 2\ntick 3\ngoodbye after 3 ticks\n' >"$work/expected"
	compare a64_p5_vm stdout "$work/expected" "$work/p5.out" || ok=1
	: >"$work/expected"
	compare a64_p5_vm stderr "$work/expected" "$work/p5.err" || ok=1
	[ "$rc" = 0 ] || { echo "FAIL a64_p5_vm: exit status $rc"; ok=1; }
	record a64_p5_vm "$ok"
fi

[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "arm64 tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
