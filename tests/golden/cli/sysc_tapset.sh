# the syscall tapset (tapsets/syscalls.stp over nd_syscalls.stp): one
# alias and its variables; syscall.* over a kernel whose symbol table has
# only some entry points (the others are skipped: their kprobes are
# optional); a system call the target does not have; arm64 leaves out
# the calls it has no entry point for
sysc=$TOP/tests/fixtures/kernel-tree-sysc
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed -E "s|$TOP|TOP|g; s/[0-9]+usr\/[0-9]+sys\/[0-9]+real/T/"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -r "$sysc" -p2 -e 'probe syscall.openat { printf("%s(%s)\n", name, argstr) }
probe syscall.openat.return { printf("%s = %s\n", name, retstr) }'
s -r "$sysc" -p2 -e 'probe syscall.* { print(argstr) } probe syscall.*.return { print(retstr) }'
s -r "$sysc" -L 'syscall.*'
s -r "$sysc" -p2 -e 'probe syscall.open { print(argstr) }'
s -r "$sysc" -p2 -e 'probe nd_syscall.mkdir { println(pathname, mode) }'
s -r "$TOP/tests/fixtures/kernel-tree-arm64" -p2 -e 'probe syscall.mkdir { print(argstr) }'
# a call the tapset lacks, made optional: the other point stays
s -r "$sysc" -p2 -e 'probe syscall.getuid ?, syscall.kill { print(argstr) }'
# against the entry points of Debian's 6.1.0-57-amd64 (its System.map's
# __x64_sys_* lines, from the -dbg package): every alias resolves, one
# kprobe per call and per return, and all the helpers elaborate
deb=$TOP/tests/fixtures/kernel-tree-sysc-debian
echo "\$ stapc -r DEB -v -p2 syscall.* syscall.*.return"
"$STAPC" -r "$deb" -v -p2 -e 'probe syscall.* { print(argstr) } probe syscall.*.return { print(retstr) }' 2>&1 >/dev/null |
	sed -E 's/[0-9]+usr\/[0-9]+sys\/[0-9]+real/T/'
echo "\$ stapc -r DEB -L 'syscall.*' | wc -l"
"$STAPC" -r "$deb" -L 'syscall.*' | wc -l
echo "\$ stapc -r DEB -L 'nd_syscall.*.return' | wc -l"
"$STAPC" -r "$deb" -L 'nd_syscall.*.return' | wc -l
