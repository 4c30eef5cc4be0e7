/* getpid_loop.c - benchmark driver: time N getpid system calls and print nanoseconds per call (instructions per call under qemu -icount shift=0). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 2000000;
	long long start, elapsed;
	long i;

	if (calls <= 0) {
		fprintf(stderr, "usage: getpid_loop [CALLS]\n");
		return 2;
	}
	start = now_ns();
	for (i = 0; i < calls; i++)
		syscall(SYS_getpid);
	elapsed = now_ns() - start;
	/* two decimals, computed in integers so the static binary stays small */
	printf("%lld.%02lld ns/call over %ld calls\n", elapsed / calls,
	       (elapsed % calls) * 100 / calls, calls);
	return 0;
}
