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
	spec->lens = realloc(spec->lens, sizeof(*spec->lens) * (spec->n_args + 1));
	if (!spec->args || !spec->lens) {
		fputs("stapc: out of memory\n", stderr);
		exit(1);
	}
	spec->lens[spec->n_args] = 0;
	spec->args[spec->n_args++] = a;
}

/* %b, %m, %M: what vsnprintf cannot do.  The directive written so far
 * (from conv_start in out) is replaced.  Returns an error or NULL. */
static const char *special_conversion(struct format_spec *spec, struct strbuf *out,
				      size_t conv_start, char conv, int width, int width_star,
				      int precision, int precision_star)
{
	int i;

	if (precision_star)
		return "'*' precision is not allowed here; give the length as a number";
	if (conv == 'b') {
		/* the field width is the byte count: 1, 2, 4 or 8 (default) */
		if (width_star)
			return "'*' width is not allowed with %b";
		if (width < 0)
			width = 8;
		if (width != 1 && width != 2 && width != 4 && width != 8)
			return "%b writes 1, 2, 4 or 8 bytes";
		out->len = conv_start;
		out->buf[out->len] = '\0';
		for (i = 0; i < width; i++)
			sb_add(out, "%c");
		add_arg(spec, FARG_BYTES);
		spec->lens[spec->n_args - 1] = width;
		return NULL;
	}
	/* %m and %M: the precision is the byte count, 1 by default */
	if (precision < 0)
		precision = 1;
	if (precision < 1 || precision > 1024)
		return "%m and %M read 1 to 1024 bytes";
	if (conv == 'M') {
		/* SystemTap ignores %M's field width */
		if (width_star)
			return "'*' width is not allowed with %M";
		out->len = conv_start;
		out->buf[out->len] = '\0';
		sb_add(out, "%s");
	} else {
		/* keep flags and width, drop the precision (the bytes read) */
		char *dot = strchr(out->buf + conv_start, '.');

		if (dot) {
			out->len = (size_t)(dot - out->buf);
			out->buf[out->len] = '\0';
		}
		sb_add(out, "s");
	}
	add_arg(spec, conv == 'M' ? FARG_HEX : FARG_MEM);
	spec->lens[spec->n_args - 1] = precision;
	spec->n_mem++;
	return NULL;
}

/* Remove every `flag` from the flags of the directive being written,
 * out->buf[from .. *to). */
static void drop_flag(struct strbuf *out, size_t from, size_t *to, char flag)
{
	char *f;

	while ((f = memchr(out->buf + from, flag, *to - from))) {
		memmove(f, f + 1, (size_t)(out->buf + out->len - f));	/* and the NUL */
		out->len--;
		(*to)--;
	}
}

/* Cut the numeric precision (".N") off the directive being written. */
static void drop_precision(struct strbuf *out, size_t flags_end)
{
	char *dot = strchr(out->buf + flags_end, '.');

	if (dot) {
		out->len = (size_t)(dot - out->buf);
		out->buf[out->len] = '\0';
	}
}

/*
 * Flags that the kernel's vsnprintf ignores for this conversion (as
 * SystemTap's does) but that gcc's format check rejects in the generated
 * C: drop them, the output is the same.  '0' with a precision on an
 * integer is the one case where the kernel does not ignore '0': it pads
 * to the width with zeros, which is the same as the larger of the two
 * as a width ("%08.3d" is "%08d") or as a precision ("%05.8d" is "%.8d").
 */
static void clean_flags(struct strbuf *out, size_t from, size_t to, char conv, int width,
			int precision, int width_star, int precision_star)
{
	int is_int = strchr("diuxXo", conv) != NULL;

	if (memchr(out->buf + from, '-', to - from))
		drop_flag(out, from, &to, '0');
	if (memchr(out->buf + from, '+', to - from))
		drop_flag(out, from, &to, ' ');
	if (strchr("diucs", conv))
		drop_flag(out, from, &to, '#');
	if (strchr("uxXocs", conv)) {
		drop_flag(out, from, &to, '+');
		drop_flag(out, from, &to, ' ');
	}
	if (conv == 'c' || conv == 's')
		drop_flag(out, from, &to, '0');
	if (conv == 'c' && precision >= 0 && !precision_star)
		drop_precision(out, to);
	if (is_int && precision >= 0 && memchr(out->buf + from, '0', to - from)) {
		if (!width_star && !precision_star && precision <= width)
			drop_precision(out, to);
		else
			drop_flag(out, from, &to, '0');
	}
}

int format_parse(const char *fmt, struct format_spec *spec,
		 char *err, size_t errlen, int *err_offset)
{
	struct strbuf out = { 0 };
	const char *p = fmt;

	memset(spec, 0, sizeof(*spec));
	sb_add(&out, "");
	while (*p) {
		const char *start = p, *special;
		size_t conv_start, flags_at, flags_end;
		int width, precision, width_star, precision_star;
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
		width = precision = -1;
		width_star = precision_star = 0;
		sb_add(&out, "%");
		flags_at = out.len;
		while (*p && strchr("-+ #0", *p))
			sb_addn(&out, p++, 1);
		flags_end = out.len;
		if (*p == '*') {
			sb_add(&out, "*");
			add_arg(spec, FARG_INT);
			width_star = 1;
			p++;
		} else if (*p >= '0' && *p <= '9') {
			width = (int)strtol(p, NULL, 10);
			while (*p >= '0' && *p <= '9')
				sb_addn(&out, p++, 1);
		}
		if (*p == '.') {
			sb_addn(&out, p++, 1);
			precision = 0;
			if (*p == '*') {
				sb_add(&out, "*");
				add_arg(spec, FARG_INT);
				precision_star = 1;
				p++;
			} else {
				precision = (int)strtol(p, NULL, 10);
				while (*p >= '0' && *p <= '9')
					sb_addn(&out, p++, 1);
			}
		}
		/* SystemTap accepts and ignores C length modifiers */
		while (*p && strchr("hlLjzt", *p))
			p++;
		conv = *p;
		if (conv && strchr("diuxXocs", conv))
			clean_flags(&out, flags_at, flags_end, conv, width, precision,
				    width_star, precision_star);
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
		case 'b': case 'm': case 'M':
			special = special_conversion(spec, &out, conv_start, conv, width, width_star,
						     precision, precision_star);
			if (special) {
				snprintf(err, errlen, "%s", special);
				*err_offset = (int)(start - fmt);
				sb_free(&out);
				format_free(spec);
				return -1;
			}
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
	free(spec->lens);
	memset(spec, 0, sizeof(*spec));
}

int format_mem_count(const char *fmt)
{
	struct format_spec spec;
	char err[160];
	int off, n;

	if (format_parse(fmt, &spec, err, sizeof(err), &off) != 0)
		return 0;
	n = spec.n_mem;
	format_free(&spec);
	return n;
}
