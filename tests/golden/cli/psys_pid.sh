# -L of the syscall probes (their variables); process(PID) forms:
# .syscall (that process, no file needed), and .function/.statement
# through /proc/PID/exe, which only works when the target is this machine.  A program of ours built here waits in pause();
# normalized: TMP (where it is built), PID (its process id).
cat > sleeper.c <<'SRC'
#include <unistd.h>
__attribute__((noinline)) int tick(int n) { return n + 1; }
int main(void)
{
	pause();
	return tick(0);
}
SRC
gcc -O1 -g -o sleeper sleeper.c || echo "gcc failed"
./sleeper & pid=$!
s() {
	echo "\$ stapc $*" | sed -e "s|$PWD|TMP|g" -e "s|($pid)|(PID)|g"
	"$STAPC" "$@" 2>&1 | sed -e "s|$PWD|TMP|g" -e "s|($pid)|(PID)|g" -e "s|/$pid/|/PID/|g" -e "s|process $pid |process PID |g" \
		-e "s|= $pid,|= PID,|" -e "s|'$pid'|'PID'|"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -L "process($pid).syscall.return"
s -L "process.syscall"
s -L "process($pid).function(\"tick\")"
s -l "process($pid).statement(\"main@*:5\")"
# the generated tables name the process
s -p3 -e "probe process($pid).syscall { println(\$syscall) } probe process($pid).function(\"tick\").return { println(\$return) }" | grep -oE '\.(pid|path) = [^,]*'
# errors: not a process id, no such process, a target that is not this machine
s -p2 -e "probe process(1).syscall { println(\$syscall) }"
s -p2 -e "probe process(4194305).function(\"main\") { }"
s -p2 -e "probe process(4194305).function(\"main\")? { } probe begin { }"
s -p2 -r 0.0.0-elsewhere -e "probe process($pid).function(\"tick\") { }"
s -p2 -r 0.0.0-elsewhere -e "probe process($pid).syscall { println(\$syscall) }"
kill $pid
