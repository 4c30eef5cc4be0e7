/* format.h - SystemTap printf formats, checked at compile time and turned
 * into kernel vsnprintf formats (so the runtime formats with one call and
 * can never meet %p extensions or %n). */
#ifndef STAPC_FORMAT_H
#define STAPC_FORMAT_H

#include <stddef.h>

enum format_arg {
	FARG_LONG,	/* a script long, passed as long long */
	FARG_INT,	/* a script long passed as int: '*' widths, %c */
	FARG_STRING,	/* a script string */
	FARG_BYTES,	/* %b: a long written as len raw bytes, one %c each */
	FARG_MEM,	/* %m: len bytes of kernel memory at a long address, as a %s */
	FARG_HEX,	/* %M: the same bytes in hexadecimal, as a %s */
};

struct format_spec {
	char *kernel_fmt;		/* for vsnprintf */
	enum format_arg *args;		/* what each script argument must be */
	int *lens;			/* FARG_BYTES/MEM/HEX: the byte count */
	int n_args;
	int n_mem;			/* FARG_MEM and FARG_HEX args: each needs a string temp */
};

/* Parse `fmt`.  On error returns -1 with a message in err and the byte
 * offset of the offending directive in *err_offset. */
int format_parse(const char *fmt, struct format_spec *spec,
		 char *err, size_t errlen, int *err_offset);
void format_free(struct format_spec *spec);

/* How many %m and %M a valid format has (each reads memory into a string
 * temp and can fail); 0 for an invalid one. */
int format_mem_count(const char *fmt);

#endif
