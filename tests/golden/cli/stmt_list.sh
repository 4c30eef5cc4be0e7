# -l of an absolute statement probe: guru mode lists it as written (hex
# stays hex); without -g it is refused the way pass 2 refuses it
tree=$TOP/tests/fixtures/kernel-tree
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed "s|$TOP|TOP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -r "$tree" -g -l 'kprobe.statement(0xffffffff81234567).absolute'
s -r "$tree" -g -l 'kernel.statement(4096).absolute'
s -r "$tree" -l 'kprobe.statement(0xffffffff81234567).absolute'
