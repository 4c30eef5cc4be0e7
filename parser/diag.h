/* diag.h - the one channel every pass reports errors and warnings through.
 *
 * Messages follow SystemTap's layout so users recognise them:
 *
 *   parse error: expected ';' or '}'
 *           at: identifier 'x' at hello.stp:3:5
 *        source:     x = 1
 *                    ^
 *
 * A pass reports as many errors as it sensibly can, then the driver checks
 * diag_error_count() and stops between passes.  diag never exits.
 */
#ifndef STAPC_DIAG_H
#define STAPC_DIAG_H

#include "ast.h"

/* Remember a file's text so messages can quote its lines.  The text must
 * stay alive until the end of the run. */
void diag_add_source(const char *file, const char *text);

/* kind: "parse error", "semantic error", "WARNING".  tok may be NULL for
 * messages with no location.  Errors go to stderr and are counted. */
void diag_error(const char *kind, const struct token_ref *tok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(const struct token_ref *tok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "identifier 'x'", "operator '+'", "end of input" */
void diag_describe_token(const struct token_ref *tok, char *buf, int size);

int diag_error_count(void);
void diag_set_warnings(int enabled);	/* -w turns them off */
void diag_reset(void);			/* for unit tests */

#endif
