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

/* str_replace(s, old, new): every occurrence of old replaced, left to
 * right; an empty old leaves s as it is.  Truncated at MAXSTRINGLEN. */
static __maybe_unused const char *stp_str_replace(char *dst, const char *s, const char *old,
						  const char *new)
{
	size_t lold = strlen(old), lnew = strlen(new), n = 0;
	const char *hit;

	if (!lold)
		return stp_strset(dst, s);
	while ((hit = strstr(s, old)) != NULL && n < MAXSTRINGLEN - 1) {
		size_t piece = min_t(size_t, hit - s, MAXSTRINGLEN - 1 - n);

		memcpy(dst + n, s, piece);
		n += piece;
		piece = min_t(size_t, lnew, MAXSTRINGLEN - 1 - n);
		memcpy(dst + n, new, piece);
		n += piece;
		s = hit + lold;
	}
	strscpy(dst + n, s, MAXSTRINGLEN - n);	/* the rest, maybe cut short */
	return dst;
}

/*
 * tokenize(input, delim): the next non-empty token.  A non-empty input
 * starts over with that string; an empty one goes on with the string of
 * the earlier call (kept in this CPU's context).  "" when none is left.
 */
static __maybe_unused const char *stp_tokenize(struct stp_context *c, char *dst, const char *input,
					       const char *delim)
{
	const char *p;
	size_t len;

	if (input[0]) {
		strscpy(c->tok_buf, input, MAXSTRINGLEN);
		c->tok_pos = 0;
	}
	p = c->tok_buf + min_t(size_t, c->tok_pos, MAXSTRINGLEN - 1);
	p += strspn(p, delim);
	len = strcspn(p, delim);
	memcpy(dst, p, len);
	dst[len] = '\0';
	c->tok_pos = p + len - c->tok_buf;
	return dst;
}

/* How text_strn writes byte ch: 1 as itself, else an escape's length. */
static inline int stp_escaped_len(unsigned char ch)
{
	if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
		return 1;
	if (strchr("\a\b\f\n\r\t\v", ch) || ch == '"' || ch == '\\')
		return 2;
	return ch > 077 ? 4 : ch > 07 ? 3 : 2;	/* \ooo, octal digits as needed */
}

static char *stp_escape_one(char *out, unsigned char ch)
{
	static const char from[] = "\a\b\f\n\r\t\v\"\\", to[] = "abfnrtv\"\\";
	const char *e = ch ? strchr(from, ch) : NULL;

	if (stp_escaped_len(ch) == 1) {
		*out++ = ch;
		return out;
	}
	*out++ = '\\';
	if (e) {
		*out++ = to[e - from];
		return out;
	}
	if (ch > 077)
		*out++ = '0' + ((ch >> 6) & 7);
	if (ch > 07)
		*out++ = '0' + ((ch >> 3) & 7);
	*out++ = '0' + (ch & 7);
	return out;
}

/*
 * text_strn(s, len, quoted): s with non-printable bytes, '"' and '\'
 * escaped, at most len bytes long (0: MAXSTRINGLEN); quoted puts it in
 * double quotes, with ... after them when it had to be cut short.
 */
static __maybe_unused const char *stp_text_strn(char *dst, const char *s, int64_t len,
						int64_t quoted)
{
	size_t limit = len <= 0 || len > MAXSTRINGLEN - 1 ? MAXSTRINGLEN - 1 : len;
	size_t need = 0, room, used = 0;
	const unsigned char *p;
	char *out = dst;

	for (p = (const unsigned char *)s; *p; p++)
		need += stp_escaped_len(*p);
	room = limit;
	if (quoted)	/* the quotes, and "..." if it does not all fit */
		room = need + 2 <= limit ? limit - 2 : limit >= 5 ? limit - 5 : 0;
	if (quoted && limit >= 2)
		*out++ = '"';
	for (p = (const unsigned char *)s; *p; p++) {
		int n = stp_escaped_len(*p);

		if (used + n > room)
			break;
		out = stp_escape_one(out, *p);
		used += n;
	}
	if (quoted && limit >= 2)
		*out++ = '"';
	if (quoted && *p && limit >= 5) {
		memcpy(out, "...", 3);
		out += 3;
	}
	*out = '\0';
	return dst;
}

/* strpos(s1, s2): where s2 first occurs in s1, from 0; -1 if nowhere */
static inline int64_t stp_strpos(const char *s1, const char *s2)
{
	const char *p = strstr(s1, s2);

	return p ? p - s1 : -1;
}

/* stringat(s, pos): the byte at pos, 0 past the end; pos must be a
 * position a string can have. */
static __maybe_unused int64_t stp_stringat(struct stp_context *c, const char *s, int64_t pos,
					   const char *where)
{
	if (pos < 0 || pos >= MAXSTRINGLEN) {
		stp_errorf(c, where, "stringat(): position %lld is out of range", (long long)pos);
		return 0;
	}
	return pos < (int64_t)strlen(s) ? (unsigned char)s[pos] : 0;
}

/* strtol(s, base): the number at the start of s, as the kernel's
 * simple_strtoll reads it (base 0: 0x.. hex, 0.. octal, else decimal). */
static __maybe_unused int64_t stp_strtol(struct stp_context *c, const char *s, int64_t base,
					 const char *where)
{
	if (base < 0 || base == 1 || base > 36) {
		stp_errorf(c, where, "strtol(): invalid base %lld", (long long)base);
		return 0;
	}
	return simple_strtoll(s, NULL, (unsigned int)base);
}

#endif
