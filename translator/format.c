/* format.c - parse SystemTap printf formats and translate them to the
 * kernel's vsnprintf dialect. */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void add_arg(struct format_spec *spec, enum format_arg a)
{
	spec->args = realloc(spec->args, sizeof(*spec->args) * (spec->n_args + 1));
	if (!spec->args) {
		fputs("stapc: out of memory\n", stderr);
		exit(1);
	}
	spec->args[spec->n_args++] = a;
}

int format_parse(const char *fmt, struct format_spec *spec,
		 char *err, size_t errlen, int *err_offset)
{
	struct strbuf out = { 0 };
	const char *p = fmt;

	memset(spec, 0, sizeof(*spec));
	sb_add(&out, "");
	while (*p) {
		const char *start = p;
		size_t conv_start;
		char conv;

		if (*p != '%') {
			sb_addn(&out, p++, 1);
			continue;
		}
		p++;
		if (*p == '%') {
			sb_add(&out, "%%");
			p++;
			continue;
		}
		conv_start = out.len;
		sb_add(&out, "%");
		while (*p && strchr("-+ #0", *p))
			sb_addn(&out, p++, 1);
		if (*p == '*') {
			sb_add(&out, "*");
			add_arg(spec, FARG_INT);
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				sb_addn(&out, p++, 1);
		}
		if (*p == '.') {
			sb_addn(&out, p++, 1);
			if (*p == '*') {
				sb_add(&out, "*");
				add_arg(spec, FARG_INT);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					sb_addn(&out, p++, 1);
			}
		}
		/* SystemTap accepts and ignores C length modifiers */
		while (*p && strchr("hlLjzt", *p))
			p++;
		conv = *p;
		switch (conv) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			sb_printf(&out, "ll%c", conv == 'i' ? 'd' : conv);
			add_arg(spec, FARG_LONG);
			break;
		case 'c':
			sb_add(&out, "c");
			add_arg(spec, FARG_INT);
			break;
		case 's':
			sb_add(&out, "s");
			add_arg(spec, FARG_STRING);
			break;
		case 'p':
			/* SystemTap prints pointers as 0x and 16 hex digits */
			out.len = conv_start;
			out.buf[out.len] = '\0';
			sb_add(&out, "0x%016llx");
			add_arg(spec, FARG_LONG);
			break;
		case '\0':
			snprintf(err, errlen, "incomplete conversion at the end of the format");
			*err_offset = (int)(start - fmt);
			sb_free(&out);
			format_free(spec);
			return -1;
		default:
			if (conv < 0x20 || conv >= 0x7f)
				snprintf(err, errlen, "invalid format conversion at byte %d", (int)(p - fmt));
			else if (strchr("bmM", conv))
				snprintf(err, errlen, "format conversion '%%%c' is not supported yet", conv);
			else
				snprintf(err, errlen, "invalid format conversion '%%%c'", conv);
			*err_offset = (int)(start - fmt);
			sb_free(&out);
			format_free(spec);
			return -1;
		}
		p++;
	}
	spec->kernel_fmt = out.buf;
	return 0;
}

void format_free(struct format_spec *spec)
{
	free(spec->kernel_fmt);
	free(spec->args);
	memset(spec, 0, sizeof(*spec));
}
