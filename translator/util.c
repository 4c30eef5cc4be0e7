/* util.c - allocation, strings, file reading and pass timing for stapc. */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static void out_of_memory(void)
{
	fputs("stapc: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		out_of_memory();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		out_of_memory();
	va_end(ap);
	return p;
}

static void sb_reserve(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	sb->cap = (sb->len + extra + 1) * 2;
	sb->buf = realloc(sb->buf, sb->cap);
	if (!sb->buf)
		out_of_memory();
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_reserve(sb, n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	va_end(ap);
	sb->len += n;
}

void sb_add_c_string(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	sb_add(sb, "\"");
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\n': sb_add(sb, "\\n"); break;
		case '\t': sb_add(sb, "\\t"); break;
		case '\r': sb_add(sb, "\\r"); break;
		case '"': sb_add(sb, "\\\""); break;
		case '\\': sb_add(sb, "\\\\"); break;
		case '?': sb_add(sb, "\\?"); break;	/* no trigraphs */
		default:
			if (*p < 0x20 || *p >= 0x7f)
				sb_printf(sb, "\\%03o", *p);
			else
				sb_addn(sb, (const char *)p, 1);
		}
	}
	sb_add(sb, "\"");
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

char *read_file_text(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct strbuf sb = { 0 };
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	sb_reserve(&sb, 0);
	sb.buf[0] = '\0';	/* an empty file is an empty string */
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_addn(&sb, chunk, n);
	if (ferror(f)) {
		int saved = errno;

		if (f != stdin)
			fclose(f);
		sb_free(&sb);
		errno = saved ? saved : EIO;
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	return sb.buf;
}

static void sample(double *usr, double *sys, double *real)
{
	struct rusage ru;
	struct timespec ts;

	getrusage(RUSAGE_SELF, &ru);
	*usr = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
	*sys = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	/* children too: pass 4 is spent in make and gcc */
	getrusage(RUSAGE_CHILDREN, &ru);
	*usr += ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
	*sys += ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	*real = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void pass_timer_start(struct pass_timer *t)
{
	sample(&t->usr_ms, &t->sys_ms, &t->real_ms);
}

const char *pass_timer_report(const struct pass_timer *t)
{
	static char buf[96];
	double usr, sys, real;

	sample(&usr, &sys, &real);
	snprintf(buf, sizeof(buf), "%.0fusr/%.0fsys/%.0freal ms",
		 usr - t->usr_ms, sys - t->sys_ms, real - t->real_ms);
	return buf;
}
