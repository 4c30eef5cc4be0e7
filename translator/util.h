/* util.h - small helpers every pass uses: checked allocation, growable
 * strings, and the CPU/wall timing behind -v's "Xusr/Ysys/Zreal ms". */
#ifndef STAPC_UTIL_H
#define STAPC_UTIL_H

#include <stddef.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable, always NUL-terminated string. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_add_c_string(struct strbuf *sb, const char *s);	/* as a C literal with quotes */
void sb_free(struct strbuf *sb);

/* Read a whole file (or stdin for "-"); NULL with errno set on failure. */
char *read_file_text(const char *path);

struct pass_timer {
	double usr_ms, sys_ms, real_ms;
};
void pass_timer_start(struct pass_timer *t);
/* "Xusr/Ysys/Zreal ms" since start */
const char *pass_timer_report(const struct pass_timer *t);

#endif
