# kernel.trace points come from the target's trace headers (here the
# fixture tree's include/trace/events and arch/x86/include/asm/trace):
# TRACE_EVENT, DEFINE_EVENT of a class, wrapper macros with ##, conditions,
# DECLARE_TRACE; -l lists them sorted, -L with their TP_PROTO arguments.
tree=$TOP/tests/fixtures/kernel-tree
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed "s|$TOP|TOP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -r "$tree" -l 'kernel.trace("*")'
s -r "$tree" -l 'kernel.trace("sched:sched_process_*")'
s -r "$tree" -l 'kernel.trace("*_entry")'
s -r "$tree" -l 'kernel.trace("r*:sys_*")'
s -r "$tree" -L 'kernel.trace("sched_switch")'
s -r "$tree" -L 'kernel.trace("task:*")'
s -r "$tree" -l 'kernel.trace("sched:nosuch_*")'
s -r "$tree" -l 'kernel.trace("nosuch:sched_switch")'
s -r "$TOP/tests/fixtures" -l 'kernel.trace("*")'
s -r 0.0.0-no-such-release -l 'kernel.trace("sched:*")'
