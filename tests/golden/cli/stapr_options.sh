# stapr's command line and its refusals that need no kernel: usage errors,
# missing or malformed modules, a module for another kernel release.
host_release=$(uname -r)
r() {
	echo "\$ stapr $*"
	"$STAPR" "$@" 2>&1 | sed "s/$host_release/HOST_RELEASE/g"
	echo "[exit ${PIPESTATUS[0]}]"
}
# a minimal relocatable ELF with the .modinfo a kernel module carries
fake_module() {	# file vermagic-release
	printf 'const char m[] __attribute__((section(".modinfo"))) = "name=fake\\0vermagic=%s SMP mod_unload \\0parmtype=count:long";\n' "$2" |
		gcc -x c -c -o "$1" -
}
r
r --bogus
r -V
r -o
r /nonexistent/x.ko
printf 'not an elf at all' >notelf.ko
r notelf.ko
head -c 40 "$STAPR" >truncated.ko
r truncated.ko
fake_module other.ko 0.0.0-other
r other.ko
r other.ko count=1
fake_module this.ko "$host_release"
r --no-release-check other.ko nosuch=1
r this.ko 'count=a"b'
