// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * cputime PID...: the CPU time (user + system, every thread, in ns) each
 * process has used so far, one number a line; "-" for a process that is gone.
 * clock_getcpuclockid() reads the scheduler's sum at ns resolution, where
 * /proc/PID/stat rounds it to clock ticks (10 ms): too coarse for one loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/types.h>

int main(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: cputime PID...\n");
		return 64;
	}
	for (int i = 1; i < argc; i++) {
		clockid_t clk;
		struct timespec ts;

		if (clock_getcpuclockid((pid_t)atoi(argv[i]), &clk) || clock_gettime(clk, &ts)) {
			printf("-\n");
			ret = 1;
			continue;
		}
		printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	}
	return ret;
}
