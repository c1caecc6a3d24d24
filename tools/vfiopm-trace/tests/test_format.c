// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Unit tests: event names, flags, JSON and live lines (docs/json.md shape). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "tool.h"

static struct event ev(int type)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.type = (__u8)type;
	e.ts = 12350001000ULL;
	e.cpu = 1;
	e.pid = 123;
	e.usage_count = 1;
	e.dstate = -1;
	e.stack_id = -1;
	strcpy(e.dev, "0000:00:02.0");
	strcpy(e.comm, "kselftest");
	return e;
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ev_name(EV_PCI_PM_GET), "vfio_pci_pm_get");
	assert_string_equal(ev_name(EV_SET_POWER_STATE), "vfio_pci_set_power_state");
	assert_string_equal(ev_name(99), "?");
	assert_string_equal(op_name(OP_PUT_NOIDLE), "put_noidle");
	assert_string_equal(reason_name(8), "reset");
	assert_string_equal(reason_name(9), "?");
	assert_string_equal(dstate_name(3), "D3hot");
	assert_string_equal(dstate_name(-1), "error");
	assert_string_equal(pairing_name(PAIR_FOREIGN), "foreign");
}

static void test_flags(void **state)
{
	char buf[128];

	(void)state;
	flags_str(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	flags_str(FL_UNDERFLOW | FL_HELD_AT_SUSPEND, buf, sizeof(buf));
	assert_string_equal(buf, "underflow,held-at-suspend");
	flags_str(FL_FOREIGN, buf, 5);	/* truncates, never overflows */
	assert_true(strlen(buf) < 5);
}

static void test_json_pm_get(void **state)
{
	struct event e = ev(EV_PCI_PM_GET);
	char buf[1024];

	(void)state;
	e.op = OP_RESUME_AND_GET;
	e.reason = 1;
	e.pairing = PAIR_SESSION;
	assert_true(format_json(&e, NULL, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
		"{\"type\":\"event\",\"ts\":12350001000,\"cpu\":1,\"pid\":123,\"comm\":\"kselftest\","
		"\"event\":\"vfio_pci_pm_get\",\"dev\":\"0000:00:02.0\",\"usage_count\":1,"
		"\"op\":\"resume_and_get\",\"reason\":\"enable\",\"ret\":0,\"pairing\":\"session\"}");
}

static void test_json_exit_and_flags(void **state)
{
	struct event e = ev(EV_LOW_POWER_EXIT);
	char buf[1024];

	(void)state;
	e.source = 1;
	e.wake_armed = 1;
	e.dstate = 0;
	format_json(&e, NULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"source\":\"wake\",\"wake_armed\":true"));
	assert_non_null(strstr(buf, "\"dstate\":\"D0\""));
	assert_null(strstr(buf, "flags"));

	e = ev(EV_PCI_PM_PUT);
	e.op = OP_PUT;
	e.reason = 2;
	e.ret = -22;
	e.flags = FL_UNDERFLOW;
	e.stack_id = 7;
	format_json(&e, "vfio_pci_core_disable+0x1c", buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"ret\":-22"));
	assert_non_null(strstr(buf, "\"site\":\"vfio_pci_core_disable+0x1c\""));
	assert_non_null(strstr(buf, "\"flags\":\"underflow\""));
	assert_non_null(strstr(buf, "\"stack_id\":7"));
}

static void test_json_escape_and_bounds(void **state)
{
	struct event e = ev(EV_WAKE_SIGNAL);
	char buf[1024], small[40];

	(void)state;
	strcpy(e.comm, "a\"b\\c\x01");
	format_json(&e, NULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"comm\":\"a\\\"b\\\\c\\u0001\""));
	assert_int_equal(format_json(&e, NULL, small, sizeof(small)), -1);
	assert_true(strlen(small) < sizeof(small));
}

static void test_stock_names(void **state)
{
	struct event e = ev(EV_RUNTIME_SUSPEND);
	char buf[1024];

	(void)state;
	e.pairing = PAIR_NONE;	/* stock mode: the PCI core's callback */
	format_json(&e, NULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"event\":\"pci_pm_runtime_suspend\""));
	assert_null(strstr(buf, "engaged"));
}

static void test_live(void **state)
{
	struct event e = ev(EV_DEVICE_PM_PUT);
	char buf[1024];

	(void)state;
	e.cmd = 0x3b75;
	e.latency_ns = 2500;
	e.ts = 3000000000ULL;
	format_live(&e, NULL, 1000000000ULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "2.000000"));
	assert_non_null(strstr(buf, "device_pm_put"));
	assert_non_null(strstr(buf, "ioctl 0x3b75 ret=0"));
	assert_non_null(strstr(buf, "2.5"));
	e.flags = FL_HELD_AT_SUSPEND;
	e.pairing = PAIR_IOCTL;
	format_live(&e, "my_module_init+0x10", 0, buf, sizeof(buf));
	assert_non_null(strstr(buf, "!! held-at-suspend [ioctl] at my_module_init+0x10"));
}

/* Details are space-separated, and a line never ends in padding. */
static void test_live_detail_spacing(void **state)
{
	struct event e = ev(EV_RUNTIME_RESUME);
	char buf[512];

	(void)state;
	e.from = -1;
	e.engaged = 1;
	e.pairing = PAIR_SESSION;	/* not the stock PCI-core callback */
	format_live(&e, NULL, 0, buf, sizeof(buf));
	assert_true(strlen(buf) > 0 && buf[strlen(buf) - 1] != ' ');
	assert_non_null(strstr(buf, "engaged=1 wake_armed=0"));
	e.from = 3;
	format_live(&e, NULL, 0, buf, sizeof(buf));
	assert_non_null(strstr(buf, "engaged=1 wake_armed=0 from D3hot"));
	e.pairing = PAIR_NONE;		/* stock: no engaged/armed, only where from */
	format_live(&e, NULL, 0, buf, sizeof(buf));
	assert_non_null(strstr(buf, "  from D3hot"));
	assert_null(strstr(buf, "engaged"));
	e = ev(EV_WAKE_SIGNAL);
	format_live(&e, NULL, 0, buf, sizeof(buf));
	assert_true(strlen(buf) > 0 && buf[strlen(buf) - 1] != ' ');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_json_pm_get),
		cmocka_unit_test(test_json_exit_and_flags),
		cmocka_unit_test(test_json_escape_and_bounds),
		cmocka_unit_test(test_stock_names),
		cmocka_unit_test(test_live_detail_spacing),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
