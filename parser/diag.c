/* diag.c - error and warning reporting in SystemTap's message layout. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Known source texts, so a message can quote the offending line.  Kept in
 * a growable array reachable from a static pointer: LeakSanitizer does not
 * count it as a leak even if diag_reset() is never called. */
struct source {
	char *file;
	const char *text;
};

static struct source *sources;
static int n_sources, cap_sources;
static int error_count;
static int warnings_enabled = 1;

/* Messages already printed, by a 64-bit hash of their whole text and
 * place: one probe body copied for many probe points (elaborate_split.c)
 * would otherwise say the same thing once per copy.  SystemTap prints each
 * distinct message once too. */
static unsigned long long *seen;
static int n_seen, cap_seen;

void diag_add_source(const char *file, const char *text)
{
	if (!file || !text)
		return;
	/* A file parsed twice keeps only its newest text. */
	for (int i = 0; i < n_sources; i++) {
		if (strcmp(sources[i].file, file) == 0) {
			sources[i].text = text;
			return;
		}
	}
	if (n_sources == cap_sources) {
		int ncap = cap_sources ? cap_sources * 2 : 8;
		struct source *ns = realloc(sources, ncap * sizeof(*ns));
		if (!ns)
			return;	/* messages just lose their source quote */
		sources = ns;
		cap_sources = ncap;
	}
	char *copy = strdup(file);
	if (!copy)
		return;
	sources[n_sources].file = copy;
	sources[n_sources].text = text;
	n_sources++;
}

static const char *find_source(const char *file)
{
	if (!file)
		return NULL;
	for (int i = n_sources - 1; i >= 0; i--)
		if (strcmp(sources[i].file, file) == 0)
			return sources[i].text;
	return NULL;
}

/* Append c to buf (size bytes, NUL-terminated) with escaping for
 * non-printables; returns the new length or -1 when out of room. */
static int put_escaped(char *buf, int len, int size, unsigned char c)
{
	char tmp[8];
	const char *s = tmp;

	switch (c) {
	case '\n': s = "\\n"; break;
	case '\t': s = "\\t"; break;
	case '\r': s = "\\r"; break;
	default:
		if (c < 0x20 || c >= 0x7f)
			snprintf(tmp, sizeof(tmp), "\\%03o", c);
		else {
			tmp[0] = (char)c;
			tmp[1] = '\0';
		}
	}
	int n = (int)strlen(s);
	if (len + n >= size)
		return -1;
	memcpy(buf + len, s, n + 1);
	return len + n;
}

void diag_describe_token(const struct token_ref *tok, char *buf, int size)
{
	const char *what;

	if (size <= 0)
		return;
	buf[0] = '\0';
	if (!tok)
		return;
	switch (tok->cls) {
	case TOKC_EOF:
		snprintf(buf, size, "end of input");
		return;
	case TOKC_EMBEDDED:
		snprintf(buf, size, "embedded-code");
		return;
	case TOKC_IDENT: what = "identifier"; break;
	case TOKC_KEYWORD: what = "keyword"; break;
	case TOKC_OPERATOR: what = "operator"; break;
	case TOKC_STRING: what = "string"; break;
	case TOKC_NUMBER: what = "number"; break;
	default: what = "token"; break;
	}
	int len = snprintf(buf, size, "%s '", what);
	if (len < 0 || len >= size)
		return;
	/* Keep room for "...'" so an overlong value is visibly cut short. */
	int limit = size - 5;
	const unsigned char *p = (const unsigned char *)(tok->text ? tok->text : "");
	for (; *p; p++) {
		int nl = limit > len ? put_escaped(buf, len, limit, *p) : -1;
		if (nl < 0) {
			if (len + 4 < size)
				strcpy(buf + len, "...");
			len = (int)strlen(buf);
			break;
		}
		len = nl;
	}
	if (len + 1 < size) {
		buf[len] = '\'';
		buf[len + 1] = '\0';
	}
}

/* Print the quoted source line and a caret under tok's column. */
static void print_source(const struct token_ref *tok)
{
	const char *text = find_source(tok->loc.file);
	if (!text || tok->loc.line < 1)
		return;
	const char *p = text;
	for (int line = 1; line < tok->loc.line; line++) {
		p = strchr(p, '\n');
		if (!p)
			return;
		p++;
	}
	size_t len = strcspn(p, "\n");
	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (len == 0)
		return;	/* nothing worth quoting */

	fprintf(stderr, "     source: %.*s\n", (int)len, p);
	fputs("             ", stderr);
	/* Reproduce tabs so the caret lines up however the terminal expands
	 * them; UTF-8 continuation bytes take no column on screen. */
	for (int i = 0; i < tok->loc.col - 1 && (size_t)i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\t')
			fputc('\t', stderr);
		else if ((c & 0xc0) != 0x80)
			fputc(' ', stderr);
	}
	fputs("^\n", stderr);
}

static unsigned long long hash_text(unsigned long long h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;	/* ends each part */
}

static int seen_before(const char *kind, const char *msg, const struct token_ref *tok)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	int i;

	h = hash_text(h, kind);
	h = hash_text(h, msg);
	if (tok) {
		char place[64];

		snprintf(place, sizeof(place), "%d:%d", tok->loc.line, tok->loc.col);
		h = hash_text(h, tok->loc.file ? tok->loc.file : "");
		h = hash_text(h, place);
	}
	for (i = 0; i < n_seen; i++)
		if (seen[i] == h)
			return 1;
	if (n_seen == cap_seen) {
		unsigned long long *grown;

		cap_seen = cap_seen ? 2 * cap_seen : 16;
		grown = realloc(seen, cap_seen * sizeof(*seen));
		if (!grown)
			abort();
		seen = grown;
	}
	seen[n_seen++] = h;
	return 0;
}

/* returns 0 when the message was said before and is not said again */
static int report(const char *kind, const struct token_ref *tok,
		  const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (seen_before(kind, msg, tok))
		return 0;
	fprintf(stderr, "%s: %s\n", kind, msg);
	if (tok) {
		char desc[256];
		diag_describe_token(tok, desc, sizeof(desc));
		fprintf(stderr, "        at: %s at %s:%d:%d\n", desc,
			tok->loc.file ? tok->loc.file : "<input>",
			tok->loc.line, tok->loc.col);
		print_source(tok);
	}
	fflush(stderr);
	return 1;
}

void diag_error(const char *kind, const struct token_ref *tok, const char *fmt, ...)
{
	va_list ap;
	int said;

	va_start(ap, fmt);
	said = report(kind, tok, fmt, ap);
	va_end(ap);
	error_count += said;	/* "N semantic errors." counts what was said */
}

void diag_warning(const struct token_ref *tok, const char *fmt, ...)
{
	if (!warnings_enabled)
		return;
	va_list ap;
	va_start(ap, fmt);
	report("WARNING", tok, fmt, ap);
	va_end(ap);
}

int diag_error_count(void)
{
	return error_count;
}

void diag_set_warnings(int enabled)
{
	warnings_enabled = enabled;
}

void diag_reset(void)
{
	for (int i = 0; i < n_sources; i++)
		free(sources[i].file);
	free(sources);
	sources = NULL;
	n_sources = cap_sources = 0;
	free(seen);
	seen = NULL;
	n_seen = cap_seen = 0;
	error_count = 0;
	warnings_enabled = 1;
}
