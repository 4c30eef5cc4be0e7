/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_string.h - script string operations on fixed MAXSTRINGLEN buffers.
 *
 * Every script string lives in a MAXSTRINGLEN array (a global, a local or a
 * temporary in the context); results longer than that are truncated, never
 * overrun.  Nothing here allocates.
 */
#ifndef STP_STRING_H
#define STP_STRING_H

/* dst = src; returns dst so it can be used as an expression. */
static inline const char *stp_strset(char *dst, const char *src)
{
	unsigned int i;

	/* script strings are short: a plain loop beats strscpy()'s setup
	 * (and FORTIFY_SOURCE's extra strnlen pass) */
	if (dst == src)
		return dst;
	for (i = 0; i < MAXSTRINGLEN - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return dst;
}

/* dst = a . b; dst may be a but must not overlap b. */
static __maybe_unused const char *stp_concat(char *dst, const char *a, const char *b)
{
	size_t la, lb;

	if (dst != a)
		strscpy(dst, a, MAXSTRINGLEN);
	la = strnlen(dst, MAXSTRINGLEN - 1);
	lb = strnlen(b, MAXSTRINGLEN - 1 - la);
	memcpy(dst + la, b, lb);
	dst[la + lb] = '\0';
	return dst;
}

/* substr(s, start, length): start is 0-based; out of range gives "". */
static inline const char *stp_substr(char *dst, const char *s, int64_t start, int64_t length)
{
	size_t len = strnlen(s, MAXSTRINGLEN);

	dst[0] = '\0';
	if (start < 0 || length <= 0 || (u64)start >= len)
		return dst;
	if ((u64)length > len - start)
		length = len - start;
	memmove(dst, s + start, length);
	dst[length] = '\0';
	return dst;
}

static __maybe_unused __printf(2, 3) const char *stp_sprintf(char *dst, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, MAXSTRINGLEN, fmt, ap);
	va_end(ap);
	return dst;
}

#endif
