# process.function(...) without a PATH: the program of -c CMD (its first
# word, found in $PATH as a shell would), or of -x PID's process (through
# /proc/PID/exe, so only when the target is this machine); neither is an
# error at the probe point.  normalized: TMP (where the program is built),
# PID (its process id).
cat > waiter.c <<'SRC'
#include <unistd.h>
__attribute__((noinline)) int tick(int n) { return n + 1; }
int main(void)
{
	pause();
	return tick(0);
}
SRC
gcc -O1 -g -o waiter waiter.c || echo "gcc failed"
./waiter & pid=$!
s() {
	echo "\$ stapc $*" | sed -e "s|$PWD|TMP|g" -e "s|$pid|PID|g"
	"$STAPC" "$@" 2>&1 | sed -e "s|$PWD|TMP|g" -e "s|$pid|PID|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -p2 -c "$PWD/waiter --some-arg" -e 'probe process.function("tick").return { println($return) }'
PATH=$PWD:$PATH s -c "waiter" -l 'process.function("t*")'
s -p2 -x $pid -e 'probe process.function("tick") { println($n) }'
s -p3 -x $pid -e 'probe process.function("tick") { println($n) }' | grep -oE '\.pid = [^,]*'
# errors: no -c nor -x; a -c program that is nowhere; -x on another target
s -p2 -e 'probe process.function("tick") { }'
s -p2 -c "no-such-program-here x" -e 'probe process.statement("main@*:5") { }'
s -p2 -r 0.0.0-elsewhere -x $pid -e 'probe process.function("tick") { }'
kill $pid
