# .exported without debuginfo: the target's symbol table (here the fixture
# build tree's System.map) tells global functions ('T') from static ones
# ('t'), which is what SystemTap's .exported keeps; modules need their
# debuginfo for it.
tree=$TOP/tests/fixtures/kernel-tree
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed "s|$TOP|TOP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -r "$tree" -l 'kernel.function("tcp_*").exported'
s -r "$tree" -l 'kernel.function("tcp_v4_rcv").exported'
s -r "$tree" -p2 -e 'probe kernel.function("vfs_*").exported { }'
s -r "$tree" -l 'kernel.function("tcp_v4_send_reset").exported'
s -r "$tree" -l 'kernel.function("tcp_write*").exported'
s -r "$tree" -p2 -e 'probe kernel.function("tcp_v4_send_reset").exported ? { } probe begin { exit() }'
s -r "$tree" -l 'module("no_such_mod").function("f").exported'
s -r "$tree" -l 'kprobe.function("tcp_v4_rcv").exported'
s -r 0.0.0-no-such-release -l 'kernel.function("vfs_read").exported'
