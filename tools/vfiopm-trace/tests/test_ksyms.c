// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Unit tests: kallsyms lookup and call-site choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tool.h"

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81100000 t bpf_trace_run2\n"
	"ffffffff81200000 t rpm_resume\n"
	"ffffffff81200800 T __pm_runtime_resume\n"
	"ffffffff81300000 t vfio_pci_pm_get\n"
	"ffffffff81300400 T vfio_pci_core_enable\n"
	"ffffffff81300900 d some_data\n"
	"ffffffff81400000 T klist_put\n"
	"ffffffffc0000000 t leak_init\t[vfiopm_fault]\n";

static struct ksyms *load(void)
{
	char path[] = "/tmp/ksyms-test.XXXXXX";
	int fd = mkstemp(path);
	struct ksyms *ks;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, kallsyms, sizeof(kallsyms) - 1), (ssize_t)sizeof(kallsyms) - 1);
	close(fd);
	ks = ksyms_load(path);
	unlink(path);
	assert_non_null(ks);
	return ks;
}

static void test_find(void **state)
{
	struct ksyms *ks = load();
	__u64 off;

	(void)state;
	assert_string_equal(ksyms_find(ks, 0xffffffff81300452ULL, &off), "vfio_pci_core_enable");
	assert_int_equal(off, 0x52);
	assert_string_equal(ksyms_find(ks, 0xffffffffc0000010ULL, &off), "leak_init");
	assert_null(ksyms_find(ks, 0x1000, &off));
	/* data symbols are not code: the address belongs to the function before */
	assert_string_equal(ksyms_find(ks, 0xffffffff81300a00ULL, &off), "vfio_pci_core_enable");
	ksyms_free(ks);
}

static void test_site(void **state)
{
	struct ksyms *ks = load();
	__u64 ips[MAX_STACK_DEPTH] = {
		0xffffffff81100010ULL, 0xffffffff81200020ULL, 0xffffffff81200830ULL,
		0xffffffff81300040ULL, 0xffffffff81300452ULL,
	};
	__u64 all_machinery[MAX_STACK_DEPTH] = { 0xffffffff81100010ULL };
	char buf[64];

	(void)state;
	assert_int_equal(pick_site(ks, ips, MAX_STACK_DEPTH, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vfio_pci_core_enable+0x52");
	assert_int_equal(pick_site(ks, all_machinery, MAX_STACK_DEPTH, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "?");
	/* a stale frame between machinery frames (guess unwinder) is skipped */
	{
		__u64 noisy[MAX_STACK_DEPTH] = {
			0xffffffff81100010ULL, 0xffffffff81200020ULL, 0xffffffff81400030ULL,
			0xffffffff81200830ULL, 0xffffffffc0000066ULL, 0xffffffff81300452ULL,
		};

		pick_site(ks, noisy, MAX_STACK_DEPTH, buf, sizeof(buf));
		assert_string_equal(buf, "leak_init+0x66");
	}
	assert_true(frame_is_machinery("__traceiter_vfio_pci_pm_get"));
	assert_false(frame_is_machinery("vfio_pci_rw"));
	ksyms_free(ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_site),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
