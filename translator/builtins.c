/* builtins.c - the table of translator-implemented functions. */
#include "builtins.h"

#include <string.h>

static const struct builtin builtins[] = {
	{ "print", BI_PRINT, 1, -1, TYPE_VOID },
	{ "println", BI_PRINTLN, 0, -1, TYPE_VOID },
	{ "printf", BI_PRINTF, 1, -1, TYPE_VOID },
	{ "exit", BI_EXIT, 0, 0, TYPE_VOID },
	{ NULL, 0, 0, 0, 0 },
};

const struct builtin *builtin_lookup(const char *name)
{
	const struct builtin *b;

	for (b = builtins; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

/* Levenshtein distance, small strings only. */
static int edit_distance(const char *a, const char *b)
{
	int la = strlen(a), lb = strlen(b), i, j;
	int row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		int prev = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

const char *builtin_suggest(const char *name)
{
	const struct builtin *b;
	const char *best = NULL;
	int best_d = 3;		/* farther than 2 edits is no suggestion */

	for (b = builtins; b->name; b++) {
		int d = edit_distance(name, b->name);

		if (d < best_d) {
			best_d = d;
			best = b->name;
		}
	}
	return best;
}
