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
	if (dst != src)
		strscpy(dst, src, MAXSTRINGLEN);
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

#endif
