// SPDX-License-Identifier: GPL-2.0
/* Reader, reorder window and whole-log behaviour (detection, cut logs, data dir). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "reader.h"
#include "reorder.h"
#include "util.h"

static char *tmpfile_with(const char *data, size_t n)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/vfiopm-check-test.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return path;
}

static void reader_lines(void **state)
{
	const char data[] = "one\r\ntwo\n\nthree-is-long-line\nlast";
	struct reader r;
	const char *l;
	size_t n;
	char *path = tmpfile_with(data, sizeof(data) - 1);

	(void)state;
	assert_int_equal(reader_open(&r, path, 8), 0);
	assert_int_equal(reader_next(&r, &l, &n), 1);
	assert_int_equal(n, 3);
	assert_memory_equal(l, "one", 3);
	assert_int_equal(reader_next(&r, &l, &n), 1);
	assert_memory_equal(l, "two", 3);
	assert_int_equal(reader_next(&r, &l, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(reader_next(&r, &l, &n), 1);	/* cut to the buffer */
	assert_int_equal(n, 8);
	assert_int_equal(reader_next(&r, &l, &n), 1);
	assert_memory_equal(l, "last", 4);
	assert_int_equal(reader_next(&r, &l, &n), 0);
	assert_true(r.partial_last);
	assert_int_equal(r.long_lines, 1);
	reader_close(&r);
	unlink(path);
}

static void reader_errors(void **state)
{
	struct reader r;
	const char *l;
	size_t n;

	(void)state;
	assert_int_equal(reader_open(&r, "/nonexistent/file", 64), ENOENT);
	assert_int_equal(reader_open(&r, "/", 64), 0);
	assert_int_equal(reader_next(&r, &l, &n), -1);
	assert_int_equal(r.err, EISDIR);
	reader_close(&r);
}

static void reorder_sorts(void **state)
{
	struct reorder ro;
	struct event ev;
	const struct event *out;
	uint64_t ts[] = { 100, 300, 200, 250, 1000000, 50 };
	uint64_t want[] = { 100, 200, 250, 300, 50, 1000000 };
	size_t k = 0;

	(void)state;
	assert_int_equal(reorder_init(&ro, 4, 1000), 0);
	for (size_t i = 0; i < 6; i++) {
		event_init(&ev);
		ev.ts = ts[i];
		ev.seq = i;
		if (ro.n == ro.cap)
			assert_int_equal(reorder_pop(&ro, 1)->ts, want[k++]);
		reorder_push(&ro, &ev);
		while ((out = reorder_pop(&ro, 0)))
			assert_int_equal(out->ts, want[k++]);
	}
	while ((out = reorder_pop(&ro, 1)))
		assert_int_equal(out->ts, want[k++]);
	assert_int_equal(k, 6);
	assert_int_equal(ro.late, 1);	/* 50 came after 100..300 were released */
	reorder_free(&ro);
}

#define L1 "  a-1  [000] .....  1.000010: vfio_pci_pm_put: 0000:00:02.0 usage_count=0 op=put reason=register ret=0\n"
#define L2 "  a-1  [000] .....  1.000020: vfio_pci_pm_get: 0000:00:02.0 usage_count=1 op=resume_and_get reason=enable ret=0\n"
#define L3 "  a-1  [000] .....  1.000030: vfio_pci_pm_put: 0000:00:02.0 usage_count=0 op=put reason=disable ret=0\n"

static void whole_log_balanced(void **state)
{
	struct input_opts o = default_opts();
	struct input in;

	(void)state;
	run_text(&in, &o, "# tracer: nop\n" L1 L2 "  b-2 [001] ..... 1.000025: sched_switch: x\n" L3);
	assert_int_equal(in.fmt, FMT_FTRACE);
	assert_int_equal(in.kinds[LK_EVENT], 3);
	assert_int_equal(in.kinds[LK_OTHER], 1);
	assert_int_equal(checker_verdict(&in.ck), 0);
	input_free(&in);
}

static void whole_log_out_of_order(void **state)
{
	struct input_opts o = default_opts();
	struct input in;

	(void)state;
	run_text(&in, &o, L1 L3 L2);	/* disable printed before enable: reorder fixes it */
	assert_int_equal(checker_verdict(&in.ck), 0);
	input_free(&in);
	o.window_ns = 0;
	run_text(&in, &o, L1 L3 L2);
	assert_int_equal(checker_verdict(&in.ck), 1);
	input_free(&in);
}

static void whole_log_cut(void **state)
{
	struct input_opts o = default_opts();
	struct input in;

	(void)state;
	run_text(&in, &o, "ount=0 op=put reason=register ret=0\n" L2 L3);
	assert_true(has_finding(&in.ck, F_CUT));
	assert_int_equal(checker_verdict(&in.ck), 2);
	input_free(&in);
	run_text(&in, &o, L1 L2 "  a-1  [000] .....  1.000030: vfio_pci_pm_put: 0000:00:02.0 usage_count=0 op=put reason=disable ret=0");
	assert_true(has_finding(&in.ck, F_CUT));
	assert_int_equal(checker_verdict(&in.ck), 2);
	input_free(&in);
}

static void whole_log_unknown_format(void **state)
{
	struct input_opts o = default_opts();
	struct input in;

	(void)state;
	run_text(&in, &o, "hello\nworld\n");
	assert_true(in.usage_err);
	input_free(&in);
	o.force = FMT_JSON;
	run_text(&in, &o, L1 L2);
	assert_true(in.usage_err);
	input_free(&in);
	o.force = FMT_UNKNOWN;
	run_text(&in, &o, "# only a header\n");
	assert_false(in.usage_err);
	assert_int_equal(checker_verdict(&in.ck), 2);
	input_free(&in);
}

/* Every *.balanced.* log in the data directory (crafted and golden) must pass. */
static void data_dir_balanced(void **state)
{
	const char *dir = getenv("VFIOPM_TEST_DATA");
	struct input_opts o = default_opts();
	struct dirent *de;
	DIR *d;
	int seen = 0;

	(void)state;
	if (!dir)
		skip();
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[4096];
		struct input in;

		if (!strstr(de->d_name, ".balanced."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		input_run(&in, path, &o);
		if (checker_verdict(&in.ck) != 0 || in.io_err || in.usage_err)
			fail_msg("%s: verdict %d", de->d_name, checker_verdict(&in.ck));
		input_free(&in);
		seen++;
	}
	closedir(d);
	assert_true(seen > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_lines),
		cmocka_unit_test(reader_errors),
		cmocka_unit_test(reorder_sorts),
		cmocka_unit_test(whole_log_balanced),
		cmocka_unit_test(whole_log_out_of_order),
		cmocka_unit_test(whole_log_cut),
		cmocka_unit_test(whole_log_unknown_format),
		cmocka_unit_test(data_dir_balanced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
