# --dump-probe-types: every probe point form stapc accepts, one a line, in
# SystemTap's notation and order (its tree of probe points depth first:
# "process" before "process(number)" before "process(string)", a form
# before its extensions).  No script is needed.
"$STAPC" --dump-probe-types
echo "[exit $?]"
