# -c CMD on the command line of stapc and stapr: the refusals, and that the
# command never runs when the module does not load (it cannot load here)
s() {
	echo "\$ stapc $*"
	"$STAPC" "$@" 2>&1
	echo "[exit $?]"
}
host_release=$(uname -r)
r() {
	echo "\$ stapr $*"
	"$STAPR" "$@" 2>&1 | sed "s/$host_release/HOST_RELEASE/g"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -c 'ls -l' -x 42 -e 'probe begin {}'
s -x 42 -c 'ls -l' -e 'probe begin {}'
s -c '' -e 'probe begin {}'
s -e 'probe begin {}' -c
s -p2 -c 'ls -l' -e 'probe begin { println(target()) }'
r -c
r -c ' ' fake.ko
printf 'const char m[] __attribute__((section(".modinfo"))) = "name=fake\\0vermagic=%s SMP mod_unload \\0parmtype=_stp_target:long";\n' \
	"$host_release" | gcc -x c -c -o fake.ko -
r -c 'touch ran' fake.ko _stp_target=1
# loading fails on this machine (not root, or no module support): stapr
# says why (that text depends on the machine), and the command never runs
echo "\$ stapr -c 'touch ran' fake.ko"
"$STAPR" -c 'touch ran' fake.ko 2>/dev/null
echo "[exit $?]"
sleep 0.2
[ -e ran ] && echo "the command ran" || echo "the command did not run"
