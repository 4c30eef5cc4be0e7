# stmt_placeholder.sh - shared by the stmt_* VM cases, which compile
# kprobe.statement(0xffffffff8badc0de).absolute because the guest's
# addresses are only known in the guest (KASLR).
#
# On the host (a .host step):  sh stmt_placeholder.sh find KO OFFSETS N
#   writes the file offsets of the placeholder (8 bytes, little endian) in
#   KO to OFFSETS, one a line, and fails unless there are N of them; copies
#   itself next to KO for the guest.
# In the guest (a .run step):  sh ./stmt_placeholder.sh patch KO OFFSETS SYMBOL DELTA
#   writes the guest's address of SYMBOL, plus DELTA, at those offsets.
#   Kernel text is in the top 2 GiB, so only the low 4 bytes change.
case $1 in
find)
	od -An -v -tx1 -w1 "$2" | awk '
		{ b[NR - 1] = $1 }
		END {
			for (i = 0; i + 7 < NR; i++) {
				s = b[i]
				for (j = 1; j < 8; j++) s = s " " b[i + j]
				if (s == "de c0 ad 8b ff ff ff ff") print i
			}
		}' >"$3"
	[ "$(wc -l <"$3")" = "$4" ] || { echo "placeholder found $(wc -l <"$3") times, expected $4"; exit 1; }
	[ -f ./stmt_placeholder.sh ] || cp "$0" ./stmt_placeholder.sh
	;;
patch)
	addr=$(grep " $4\$" /proc/kallsyms | cut -d' ' -f1)
	case $addr in ffffffff????????) ;; *) echo "no kallsyms address for $4: '$addr'"; exit 1 ;; esac
	lo=$(( 0x$(echo "$addr" | cut -c9-16) + $5 ))
	bytes=""
	for shift in 0 8 16 24; do
		bytes="$bytes\\$(printf %o $(( (lo >> shift) & 255 )))"
	done
	for off in $(cat "$3"); do
		printf "$bytes" | dd of="$2" bs=1 seek="$off" conv=notrunc 2>/dev/null
	done
	;;
*)
	echo "usage: stmt_placeholder.sh find|patch ..."; exit 1 ;;
esac
