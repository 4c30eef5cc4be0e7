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
};

struct format_spec {
	char *kernel_fmt;		/* for vsnprintf */
	enum format_arg *args;		/* what each script argument must be */
	int n_args;
};

/* Parse `fmt`.  On error returns -1 with a message in err and the byte
 * offset of the offending directive in *err_offset. */
int format_parse(const char *fmt, struct format_spec *spec,
		 char *err, size_t errlen, int *err_offset);
void format_free(struct format_spec *spec);

#endif
