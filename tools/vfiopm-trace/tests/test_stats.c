// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Unit tests: percentiles and log2 histograms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tool.h"

static void test_percentiles(void **state)
{
	struct samples s = {};

	(void)state;
	assert_int_equal(samples_pct(&s, 50), 0);
	assert_int_equal(samples_max(&s), 0);
	for (int i = 100; i >= 1; i--)
		assert_int_equal(samples_add(&s, (__u64)i), 0);
	assert_int_equal(samples_pct(&s, 50), 50);
	assert_int_equal(samples_pct(&s, 99), 99);
	assert_int_equal(samples_pct(&s, 100), 100);
	assert_int_equal(samples_pct(&s, 0), 1);
	assert_int_equal(samples_max(&s), 100);
	samples_free(&s);
	samples_add(&s, 7);
	assert_int_equal(samples_pct(&s, 99), 7);
	samples_free(&s);
}

static void test_hist_pct(void **state)
{
	__u64 slots[HIST_SLOTS] = {};

	(void)state;
	assert_int_equal(hist_pct(slots, HIST_SLOTS, 50), 0);
	slots[3] = 9;	/* 8..15 */
	slots[10] = 1;	/* 1024..2047 */
	assert_int_equal(hist_pct(slots, HIST_SLOTS, 50), 8);
	assert_int_equal(hist_pct(slots, HIST_SLOTS, 99), 1024);
}

static void test_print_hist(void **state)
{
	__u64 slots[HIST_SLOTS] = {};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	print_log2_hist(f, slots, HIST_SLOTS, "usecs");	/* empty: prints nothing */
	fflush(f);
	assert_int_equal(len, 0);
	slots[0] = 1;
	slots[2] = 4;
	print_log2_hist(f, slots, HIST_SLOTS, "usecs");
	fclose(f);
	assert_non_null(strstr(buf, "usecs               : count    distribution"));
	assert_non_null(strstr(buf, "0 -> 1          : 1        |**********"));
	assert_non_null(strstr(buf, "4 -> 7          : 4        |****************************************|"));
	assert_null(strstr(buf, "8 -> 15"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_hist_pct),
		cmocka_unit_test(test_print_hist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
