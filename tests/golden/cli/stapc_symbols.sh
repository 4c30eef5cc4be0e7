# kernel.function/kprobe.function wildcards expand against the target's
# symbol table (here a fixture build tree with a System.map): only text
# symbols, no compiler clones (.cold, .isra.N), no __pfx_ padding, each
# name once; -l lists, sorted.
tree=$TOP/tests/fixtures/kernel-tree
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed "s|$TOP|TOP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -r "$tree" -l 'kernel.function("tcp_*")'
s -r "$tree" -l 'kprobe.function("vfs_*").return'
s -r "$tree" -l 'kernel.function("[tu]*_r*")'
s -r "$tree" -L 'kernel.function("vfs_read")'
s -r "$tree" -p2 -e 'probe kernel.function("vfs_read*").call { n++ } probe begin { exit() }'
s -r "$tree" -l 'kernel.function("nosuch_*")'
s -r "$tree" -l 'kernel.function("tcp_memory_pressure")'
s -r 0.0.0-no-such-release -l 'kernel.function("tcp_*")'
