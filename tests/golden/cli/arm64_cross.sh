# Cross-compiling for arm64 on this host: a missing cross compiler is named
# before kbuild runs (and nothing is left behind), and the register() error
# names the target architecture.  TOP is the repository.
tree=$TOP/tests/fixtures/kernel-tree-arm64
s() {
	"$STAPC" "$@" 2>&1 | sed -e "s|$TOP|TOP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
CROSS_COMPILE=nosuch- s -p4 -r "$tree" -m cross -e 'probe begin { exit() }'
ls cross.ko 2>/dev/null
s -p2 -r "$tree" -e 'probe kprobe.function("ksys_write") { println(register("eax")) }'
"$STAPC" --help | grep -A1 CROSS_COMPILE=
