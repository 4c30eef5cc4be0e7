/* tapsets.h - pull in the library script files a program needs. */
#ifndef STAPC_TAPSETS_H
#define STAPC_TAPSETS_H

#include "ast.h"
#include "options.h"

/*
 * Add to prog the tapset files (from -I directories, then the standard
 * tapsets/) that define functions prog calls and does not define itself,
 * transitively.  Files are indexed by a text scan for `function NAME` and
 * only the needed ones are parsed.  Returns the parse errors (0 = ok);
 * prog->n_files counts the files parsed.
 */
int tapsets_resolve(struct program *prog, const struct options *opts,
		    const struct parse_options *po);

#endif
