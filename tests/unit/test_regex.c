/* test_regex.c - unit tests for the regex compiler (translator/regex.c)
 * together with the kernel's matcher (runtime/stp_regex_vm.h, which is
 * plain C): which strings match, which subexpressions they capture, and
 * the errors for bad patterns. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "regex.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
#include "../../runtime/stp_regex_vm.h"

static int passed, failed;
static struct stp_regex_vm vm;

/* Run `pattern` on `s`; "groups" is what the test expects: "-" for no
 * match, else the captures joined by '|', "(unset)" for one that took
 * no part. */
static void expect(const char *pattern, const char *s, const char *groups)
{
	struct regex_prog prog;
	struct stp_regex_insn code[REGEX_MAX_INSNS];
	struct stp_regex re;
	u16 caps[2 * STP_REGEX_MAX_GROUPS];
	char err[160], got[512] = "";
	int off, i;

	if (regex_compile(pattern, &prog, err, sizeof(err), &off) != 0) {
		printf("FAIL /%s/: unexpected error %s\n", pattern, err);
		failed++;
		return;
	}
	for (i = 0; i < prog.n_insns; i++) {
		code[i].op = prog.code[i].op;
		code[i].ch = prog.code[i].ch;
		code[i].x = prog.code[i].x;
		code[i].y = prog.code[i].y;
	}
	re = (struct stp_regex){ pattern, code, (const u32 (*)[8])prog.classes,
				 prog.n_insns, prog.n_groups };
	if (!stp_regex_run(&vm, &re, s, strlen(s) + 1, caps)) {
		strcpy(got, "-");
	} else {
		for (i = 0; i < prog.n_groups; i++) {
			char *end = got + strlen(got);

			if (i)
				*end++ = '|';
			if (caps[2 * i] == STP_REGEX_UNSET || caps[2 * i + 1] == STP_REGEX_UNSET)
				strcpy(end, "(unset)");
			else
				sprintf(end, "%.*s", caps[2 * i + 1] - caps[2 * i], s + caps[2 * i]);
		}
	}
	if (strcmp(got, groups) != 0) {
		printf("FAIL /%s/ on \"%s\": got %s, expected %s\n", pattern, s, got, groups);
		failed++;
	} else {
		passed++;
	}
	regex_free(&prog);
}

static void expect_error(const char *pattern, const char *msg, int offset)
{
	struct regex_prog prog;
	char err[160];
	int off = -1;

	if (regex_compile(pattern, &prog, err, sizeof(err), &off) == 0) {
		printf("FAIL /%s/: accepted, expected error %s\n", pattern, msg);
		failed++;
		regex_free(&prog);
		return;
	}
	if (strcmp(err, msg) != 0 || off != offset) {
		printf("FAIL /%s/: error \"%s\" at %d, expected \"%s\" at %d\n",
		       pattern, err, off, msg, offset);
		failed++;
	} else {
		passed++;
	}
}

int main(void)
{
	/* literals, anywhere in the string */
	expect("abc", "xxabcxx", "abc");
	expect("abc", "ab", "-");
	expect("", "anything", "");
	/* anchors */
	expect("^ab", "abc", "ab");
	expect("^ab", "cab", "-");
	expect("bc$", "abc", "bc");
	expect("bc$", "bcd", "-");
	expect("^$", "", "");
	expect("^$", "x", "-");
	/* . and classes */
	expect("a.c", "abc", "abc");
	expect("a.c", "ac", "-");
	expect("[abc]+", "xxcabz", "cab");
	expect("[^abc]+", "abxyzc", "xyz");
	expect("[a-c0-2]+", "zzb1c2d", "b1c2");
	expect("[]a]+", "x]a]y", "]a]");
	expect("[a-]+", "x-a-y", "-a-");
	expect("[[:digit:]]+", "pid=1234;", "1234");
	expect("[[:alpha:]]+", "12abC34", "abC");
	expect("[[:upper:][:digit:]]+", "abC4Dx", "C4D");
	expect("[[:space:]]+", "a \t\nb", " \t\n");
	expect("[[:punct:]]", "ab,c", ",");
	expect("[[:xdigit:]]+", "0xBeEfz", "0");
	expect("x[[:xdigit:]]+", "0xBeEfz", "xBeEf");
	/* repetition: leftmost, then longest */
	expect("a*", "baaa", "");
	expect("a+", "baaa", "aaa");
	expect("ab?c", "ac abc", "ac");
	expect("a{2}", "aaaa", "aa");
	expect("a{2,3}", "aaaa", "aaa");
	expect("a{2,}", "aaaaa", "aaaaa");
	expect("^a{2,3}$", "aaaa", "-");
	expect("(ab){2}", "abababx", "abab|ab");
	/* alternation: the longest at the leftmost start */
	expect("a|ab", "ab", "ab");
	expect("cat|dog", "hotdog", "dog");
	expect("(a|ab)(c|bcd)", "abcd", "abcd|a|bcd");
	/* subexpressions */
	expect("([a-z]+)=([0-9]+)", "  key=42;", "key=42|key|42");
	expect("a|(b)", "a", "a|(unset)");
	expect("a|(b)", "b", "b|b");
	expect("(a*)+", "b", "|");
	expect("(a*)*", "aa", "aa|aa");
	expect("^(.*)/([^/]*)$", "/usr/bin/stapc", "/usr/bin/stapc|/usr/bin|stapc");
	/* escapes */
	expect("a\\.b", "axb a.b", "a.b");
	expect("\\(x\\)", "f(x)", "(x)");
	expect("a\\*", "aa*", "a*");
	/* nested quantifiers stay bounded: no backtracking blow-up */
	expect("(a+)+b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "-");
	expect("(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy",
	       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

	/* errors, with the offset they are about */
	expect_error("(ab", "unmatched '('", 0);
	expect_error("ab)", "unmatched ')'", 2);
	expect_error("[ab", "unmatched '['", 0);
	expect_error("*a", "nothing to repeat", 0);
	expect_error("a|+", "nothing to repeat", 2);
	expect_error("a{3,2}", "invalid repetition count", 1);
	expect_error("a{x}", "invalid repetition count", 1);
	expect_error("a{2", "unmatched '{'", 1);
	expect_error("[[:foo:]]", "unknown character class", 1);
	expect_error("[z-a]", "invalid range in a bracket expression", 2);
	expect_error("ab\\", "trailing backslash", 2);
	expect_error("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "too many subexpressions (at most 9)", 0);
	expect_error("a{200}b{200}", "regular expression too large for the matcher", 0);

	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
