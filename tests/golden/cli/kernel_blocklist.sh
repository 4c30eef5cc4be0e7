# kernel.function(...) leaves out the functions stapc never probes that
# way (translator/blocklist.c: locks, atomics, traps; SystemTap has such a
# list too): a wildcard skips them, a point that matches only them is an
# error at its name (a '?' point is skipped), and kprobe.function still
# places a probe on exactly the symbol it names.  A copy of the fixture
# build tree with a few such symbols in its System.map.
cp -r "$TOP"/tests/fixtures/kernel-tree tree
cat >> tree/System.map <<'MAP'
ffffffff81e00000 T _raw_spin_lock
ffffffff81e00100 T _raw_spin_unlock_irqrestore
ffffffff81e00200 T atomic_open
ffffffff81e00300 T exc_int3
ffffffff81e00400 T vfs_readlink
MAP
s() {
	echo "\$ stapc $*"
	"$STAPC" -r "$PWD/tree" "$@" 2>&1
	echo "[exit $?]"
}
s -l 'kernel.function("*")'
s -l 'kernel.function("_raw_spin_*")'
s -p2 -e 'probe kernel.function("atomic_open") { }'
s -p2 -e 'probe kernel.function("exc_int3").return { }'
s -p2 -e 'probe kernel.function("_raw_spin_lock")?, kernel.function("vfs_read*") { }'
s -p2 -e 'probe kprobe.function("_raw_spin_lock"), kprobe.function("_raw_spin_*").return { }'
