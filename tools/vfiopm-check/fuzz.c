// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the whole pipeline (reader, detection, every parser, the
 * reorder window, the checker, all three reports) on arbitrary bytes.
 * Byte 0 picks the format and options, byte 1 the reader's buffer size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const devs[] = { "0000:00:02.0", NULL };
	static FILE *null;
	struct input_opts o;
	struct input in;
	char path[64];
	int fd;

	if (size < 2)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	memset(&o, 0, sizeof(o));
	o.force = (enum fmt)(data[0] & 3);
	o.check.expect_idle = !!(data[0] & 4);
	o.check.devs = data[0] & 8 ? devs : NULL;
	o.window_ns = data[0] & 0x40 ? 0 : 10000000;
	o.bufsize = 16 + data[1];
	o.verbose = 1;
	o.vout = null;

	fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data + 2, size - 2) != (ssize_t)(size - 2))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	input_run(&in, path, &o);
	report_human(null, &in, 1, checker_verdict(&in.ck));
	report_json(null, &in, 1, 0);
	if (!(data[0] & 0x80))
		report_junit("/dev/null", &in, 1);
	input_free(&in);
	close(fd);
	return 0;
}
