#!/bin/bash
# run.sh - VM tests: compile every tests/vm/cases/*.stp with stapc against the
# Debian kernel's build tree, run them all in ONE boot of that kernel under
# qemu (stapr-vm), and compare each case's stdout, stderr and exit status
# with the expected files.
#
# A case NAME has:
#   NAME.stp          the script (compiled with: stapc -p4 -m NAME [NAME.opts] NAME.stp)
#   NAME.out          expected stdout (missing: empty)
#   NAME.err          expected stderr (missing: empty)
#   NAME.rc           expected exit status (missing: 0)
#   NAME.opts         extra stapc options, one line (@TOP@: the repository;
#                     @DEBUGINFO@: the target kernel's DWARF, fetched by
#                     tests/vm/debuginfo.sh the first time a case asks for it)
#   NAME.args         script arguments ($1/@1 ...), one line, after the script
#   NAME.run          guest shell snippet to run instead of `stapr ./NAME.ko` ($KO is set)
#   NAME.host         host shell snippet run after compiling ($KO is the module path)
#   NAME.pre          host shell snippet run in the guest directory before compiling
#                     ($TOP is the repository, $STAPC the compiler under test),
#                     e.g. to build a test module there
#   NAME.compile-err  the case must FAIL to compile with exactly this stderr;
#                     no module may be left behind, and nothing runs in the VM
# In expected files @RELEASE@ is the target kernel release and @FAKE_RELEASE@
# the same with its first character changed (see wrong_release.host).
#
# VM_CASES='glob' runs only the cases whose names match (and skips the
# stapc -p5 --vm checks unless VM_P5=1), e.g. VM_CASES='regex_*' make vm-tests.
set -u
stapc=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
cases=$top/tests/vm/cases
build=$(dirname "$stapc")

kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
[ -n "$kernel" ] || { echo "vm tests: no /boot/vmlinuz-* (install linux-image-amd64)"; exit 1; }
release=${kernel#/boot/vmlinuz-}
first=${release:0:1}
if [ "$first" = 9 ]; then fake_first=8; else fake_first=9; fi
fake_release=$fake_first${release:1}

work=$(mktemp -d /tmp/stapc-vmtest.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/guest" "$work/results"

. "$top/tests/vm/lib.sh"

# ---- compile on the host -------------------------------------------------------
script="$work/guest/run-all.sh"
{
	echo '#!/bin/sh'
	echo 'mkdir -p /tmp/res'
	# each case's wall time and the kernel log it caused are kept, so a
	# failure can be explained from CI's log alone
	# (the log is not cleared: stapr-vm checks all of it for oopses)
	# (milliseconds from /proc/uptime: busybox's date may have no %N)
	echo 'now_ms() { awk "{ printf \"%d\", \$1 * 1000 }" /proc/uptime; }'
	echo 'run_case() { KO=./$1.ko; export KO; t0=$(now_ms); n=$(dmesg | wc -l);'
	echo '	timeout 60 sh ./$1.cmd >/tmp/res/$1.out 2>/tmp/res/$1.err; echo $? >/tmp/res/$1.rc;'
	echo '	echo $(( $(now_ms) - t0 )) >/tmp/res/$1.ms; dmesg | tail -n +$((n + 1)) >/tmp/res/$1.dmesg; }'
} >"$script"

vm_cases=""
for stp in "$cases"/*.stp; do
	name=$(basename "$stp" .stp)
	# shellcheck disable=SC2254
	case "$name" in ${VM_CASES:-*}) ;; *) continue ;; esac
	opts=""
	if [ -f "$cases/$name.opts" ]; then
		if grep -q @DEBUGINFO@ "$cases/$name.opts" && [ -z "${debuginfo:-}" ]; then
			debuginfo=$("$top/tests/vm/debuginfo.sh" "$release") ||
				{ echo "vm tests: cannot fetch the debuginfo of $release"; exit 1; }
		fi
		opts=$(sed -e "s|@TOP@|$top|g" -e "s|@DEBUGINFO@|${debuginfo:-}|g" "$cases/$name.opts")
	fi
	args=""
	[ -f "$cases/$name.args" ] && args=$(cat "$cases/$name.args")
	if [ -f "$cases/$name.pre" ]; then
		(cd "$work/guest" && TOP="$top" RELEASE="$release" STAPC="$stapc" sh "$cases/$name.pre") ||
			{ echo "FAIL $name: pre step failed"; record "$name" 1; continue; }
	fi
	# shellcheck disable=SC2086
	(cd "$work/guest" && cp "$stp" . && "$stapc" -p4 -m "$name" -r "$release" $opts "$name.stp" $args \
		>"$work/results/$name.compile.out" 2>"$work/results/$name.compile.err")
	rc=$?
	if [ -f "$cases/$name.compile-err" ]; then
		ok=0
		expect "$cases/$name.compile-err" >"$work/expected"
		compare "$name" "stapc stderr" "$work/expected" "$work/results/$name.compile.err" || ok=1
		if [ "$rc" = 0 ]; then echo "FAIL $name: stapc succeeded"; ok=1; fi
		if [ -e "$work/guest/$name.ko" ]; then echo "FAIL $name: a module was left behind"; ok=1; fi
		record "$name" "$ok"
		continue
	fi
	if [ "$rc" != 0 ]; then
		echo "FAIL $name: stapc exited $rc"
		sed 's/^/    /' "$work/results/$name.compile.err"
		record "$name" 1
		continue
	fi
	if [ -f "$cases/$name.host" ]; then
		(cd "$work/guest" && KO="./$name.ko" RELEASE="$release" FAKE_RELEASE="$fake_release" \
			sh "$cases/$name.host") || { echo "FAIL $name: host step failed"; record "$name" 1; continue; }
	fi
	if [ -f "$cases/$name.run" ]; then
		cp "$cases/$name.run" "$work/guest/$name.cmd"
	else
		echo 'stapr $KO' >"$work/guest/$name.cmd"
	fi
	echo "run_case $name" >>"$script"
	vm_cases="$vm_cases $name"
	rm -f "$work/guest/$name.stp"
done
# nothing may stay loaded after the sessions
echo 'cat /proc/modules' >"$work/guest/no_module_left_loaded.cmd"
echo 'run_case no_module_left_loaded' >>"$script"
vm_cases="$vm_cases no_module_left_loaded"
echo 'cd /tmp/res && tar cf - . | base64' >>"$script"

# ---- one boot runs them all ---------------------------------------------------
files=""
for f in "$work"/guest/*; do files="$files --file $f"; done
start=$(date +%s)
# shellcheck disable=SC2086
"$build/stapr-vm" --kernel "$kernel" --timeout 600 $files -- sh ./run-all.sh \
	>"$work/vm.out" 2>"$work/vm.err"
vm_rc=$?
echo "vm tests: one boot of $release ran$(echo "$vm_cases" | wc -w | sed 's/^/ /') cases in $(( $(date +%s) - start )) s"
if [ "$vm_rc" != 0 ]; then
	echo "FAIL: the VM run failed (stapr-vm exit $vm_rc):"
	sed 's/^/    /' "$work/vm.err"
	echo "$pass passed, $((fail + 1)) failed"
	exit 1
fi
mkdir -p "$work/res"
base64 -d <"$work/vm.out" | tar xf - -C "$work/res" || { echo "FAIL: cannot decode the VM's results"; exit 1; }

# ---- compare -----------------------------------------------------------------
for name in $vm_cases; do
	ok=0
	expect "$cases/$name.out" >"$work/expected"
	compare "$name" stdout "$work/expected" "$work/res/$name.out" || ok=1
	expect "$cases/$name.err" >"$work/expected"
	compare "$name" stderr "$work/expected" "$work/res/$name.err" || ok=1
	want=0
	[ -f "$cases/$name.rc" ] && want=$(cat "$cases/$name.rc")
	got=$(cat "$work/res/$name.rc" 2>/dev/null)
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: exit status $got, expected $want"
		ok=1
	fi
	if [ "$ok" != 0 ]; then
		echo "    (the case took $(cat "$work/res/$name.ms" 2>/dev/null) ms; its kernel log:)"
		tail -n 20 "$work/res/$name.dmesg" 2>/dev/null | sed 's/^/    | /'
	fi
	record "$name" "$ok"
done
# the slowest cases, to see a creeping slowdown before it becomes a timeout
for name in $vm_cases; do echo "$(cat "$work/res/$name.ms" 2>/dev/null || echo 0) $name"; done |
	sort -rn | head -n 5 | awk '{ printf "%s%s %d ms", (NR > 1 ? ", " : "vm tests: slowest: "), $2, $1 } END { print "" }'

# ---- the whole pipeline in one command: stapc -p5 --vm ---------------------------
if [ -n "${VM_CASES:-}" ] && [ -z "${VM_P5:-}" ]; then
	[ -n "$failed_names" ] && echo "failed:$failed_names"
	echo "$pass passed, $fail failed (only VM_CASES='$VM_CASES')"
	[ "$fail" = 0 ]
	exit
fi
start=$(date +%s)
(cd "$work" && "$stapc" -p5 --vm="$kernel" -r "$release" -m p5_vm "$top/examples/hello.stp") \
	>"$work/p5.out" 2>"$work/p5.err"
rc=$?
echo "vm tests: stapc -p5 --vm took $(( $(date +%s) - start )) s (compile and one boot)"
ok=0
printf 'hello world\ntick 1\ntick 2\ntick 3\ngoodbye after 3 ticks\n' >"$work/expected"
compare stapc_p5_vm stdout "$work/expected" "$work/p5.out" || ok=1
: >"$work/expected"
compare stapc_p5_vm stderr "$work/expected" "$work/p5.err" || ok=1
[ "$rc" = 0 ] || { echo "FAIL stapc_p5_vm: exit status $rc"; ok=1; }
[ -e "$work/p5_vm.ko" ] && { echo "FAIL stapc_p5_vm: -p5 left p5_vm.ko behind"; ok=1; }
record stapc_p5_vm "$ok"

# stapc -c CMD reaches the guest's stapr: target() is the command's pid
# there, and its failure is reported after the end probe
(cd "$work" && "$stapc" -p5 --vm="$kernel" -r "$release" -m p5_vm_ccmd \
	-c "sh -c 'echo command \$\$; exit 4'" -e 'probe end { printf("target %d\n", target()) }') \
	>"$work/p5c.out" 2>"$work/p5c.err"
rc=$?
ok=0
cmd_pid=$(sed -n 's/^command //p' "$work/p5c.out")
printf 'command %s\ntarget %s\n' "${cmd_pid:-?}" "${cmd_pid:-?}" >"$work/expected"
compare stapc_p5_vm_ccmd stdout "$work/expected" "$work/p5c.out" || ok=1
printf 'WARNING: Child process exited with status 4\nPass 5: run failed.\n' >"$work/expected"
compare stapc_p5_vm_ccmd stderr "$work/expected" "$work/p5c.err" || ok=1
[ "$rc" = 1 ] || { echo "FAIL stapc_p5_vm_ccmd: exit status $rc, expected 1"; ok=1; }
record stapc_p5_vm_ccmd "$ok"

[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
