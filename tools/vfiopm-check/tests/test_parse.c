// SPDX-License-Identifier: GPL-2.0
/* Parsers and format detection, line by line. */
#include "util.h"

static void ftrace_trace_line(void **state)
{
	struct parsed p = parse_str(FMT_FTRACE,
		"       kselftest-123     [001] d..1.    12.345678: vfio_pci_pm_get: 0000:00:02.0 "
		"usage_count=1 op=resume_and_get reason=enable ret=0");

	(void)state;
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.type, EV_PCI_GET);
	assert_string_equal(p.ev.comm, "kselftest");
	assert_int_equal(p.ev.pid, 123);
	assert_int_equal(p.ev.cpu, 1);
	assert_int_equal(p.ev.ts, 12345678000ULL);
	assert_string_equal(p.ev.dev, "0000:00:02.0");
	assert_int_equal(p.ev.usage_count, 1);
	assert_int_equal(p.ev.op, OP_RESUME_AND_GET);
	assert_int_equal(p.ev.reason, R_ENABLE);
	assert_int_equal(p.ev.ret, 0);
}

static void ftrace_variants(void **state)
{
	/* record-tgid column, no irq-info, comm with spaces and dashes, trace-cmd padding */
	const char *lines[] = {
		"  kselftest-123   (    120) [000] .....  1.000001: vfio_device_pm_get: 0000:00:02.0 usage_count=2 cmd=0x3b75 ret=0",
		"  kselftest-123   [000]  1.000001: vfio_device_pm_get: 0000:00:02.0 usage_count=2 cmd=0x3b75 ret=0",
		"  Web Content-my-123   [000] .....  1.000001: vfio_device_pm_get: 0000:00:02.0 usage_count=2 cmd=0x3b75 ret=0",
		"       kselftest-123   [000]     1.000001: vfio_device_pm_get:   0000:00:02.0 usage_count=2 cmd=15221 ret=0",
		"       kselftest-123   [000] d..1.     1.000001: vfio_device_pm_get:   0000:00:02.0 usage_count=2 cmd=0x3b75 ret=0\r",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct parsed p = parse_str(FMT_FTRACE, lines[i]);

		assert_int_equal(p.kind, LK_EVENT);
		assert_int_equal(p.ev.type, EV_DEV_GET);
		assert_int_equal(p.ev.pid, 123);
		assert_int_equal(p.ev.cmd, 0x3b75);
		assert_int_equal(p.ev.ts, 1000001000ULL);
	}
	assert_string_equal(parse_str(FMT_FTRACE, lines[2]).ev.comm, "Web Content-my");
}

static void ftrace_markers(void **state)
{
	struct parsed p;

	(void)state;
	p = parse_str(FMT_FTRACE, "CPU:1 [LOST 42 EVENTS]");
	assert_int_equal(p.kind, LK_LOST);
	assert_int_equal(p.lost, 42);
	p = parse_str(FMT_FTRACE, "CPU:0 [3 EVENTS DROPPED]");
	assert_int_equal(p.kind, LK_LOST);
	assert_int_equal(p.lost, 3);
	p = parse_str(FMT_FTRACE, "CPU:0 [EVENTS DROPPED]");
	assert_int_equal(p.kind, LK_LOST);
	assert_int_equal(p.lost, 0);
	p = parse_str(FMT_FTRACE, "# entries-in-buffer/entries-written: 100/250   #P:2");
	assert_int_equal(p.kind, LK_LOST);
	assert_int_equal(p.lost, 150);
	p = parse_str(FMT_FTRACE, "# entries-in-buffer/entries-written: 100/100   #P:2");
	assert_int_equal(p.kind, LK_META);
	p = parse_str(FMT_FTRACE, "##### CPU 1 buffer started ####");
	assert_int_equal(p.kind, LK_LOST);
	assert_int_equal(parse_str(FMT_FTRACE, "cpus=2").kind, LK_META);
	assert_int_equal(parse_str(FMT_FTRACE, "CPU 1 is empty").kind, LK_META);
	assert_int_equal(parse_str(FMT_FTRACE, "").kind, LK_META);
	assert_int_equal(parse_str(FMT_FTRACE, "# tracer: nop").kind, LK_META);
	assert_int_equal(parse_str(FMT_FTRACE, " => vfio_pci_core_ioctl+0x53/0x90 [vfio_pci_core]").kind, LK_META);
	assert_int_equal(parse_str(FMT_PERF, "\t    ffffffffc0a1b2c3 vfio_pci_core_ioctl+0x53 ([kernel.kallsyms])").kind, LK_META);
}

static void ftrace_other_and_bad(void **state)
{
	struct parsed p;

	(void)state;
	p = parse_str(FMT_FTRACE, "  <idle>-0  [000] d.h2.  1.0: sched_wakeup: comm=a pid=1");
	assert_int_equal(p.kind, LK_OTHER);
	p = parse_str(FMT_FTRACE, "  a-1  [000] .....  1.0: vfio_pci_new_thing: 0000:00:02.0 x=1");
	assert_int_equal(p.kind, LK_UNKNOWN_VFIO);
	p = parse_str(FMT_FTRACE, "  a-1  [000] .....  1.0: vfio_pci_pm_get: 0000:00:02.0 usage_count=1 reason=enable ret=0");
	assert_int_equal(p.kind, LK_BAD_VFIO);
	assert_string_equal(p.why, "missing op");
	p = parse_str(FMT_FTRACE, "  a-1  [000] .....  1.0: vfio_pci_pm_get: 0000:00:02.0 usage_count=1 op=put reason=enable ret=0");
	assert_int_equal(p.kind, LK_BAD_VFIO);
	p = parse_str(FMT_FTRACE, "  a-1  [000] .....  1.0: vfio_pci_pm_get: 0000:00:02.0 usage_count=x op=1 reason=1 ret=0");
	assert_int_equal(p.kind, LK_BAD_VFIO);
	p = parse_str(FMT_FTRACE, "  a-1  [000] .....  1.0: vfio_pci_pm_get: 0000:00:02.0 usage_count=1 op=9 reason=1 ret=0");
	assert_int_equal(p.kind, LK_BAD_VFIO);
	/* numeric enums are accepted (raw format) */
	p = parse_str(FMT_FTRACE, "  a-1  [000] .....  1.0: vfio_pci_pm_put: 0000:00:02.0 usage_count=0 op=3 reason=3 ret=0");
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.op, OP_PUT_NOIDLE);
	assert_int_equal(p.ev.reason, R_LOW_POWER_ENTRY);
	p = parse_str(FMT_FTRACE, "age_count=1 op=put reason=region_rw ret=0");
	assert_int_equal(p.kind, LK_BAD_VFIO);
	p = parse_str(FMT_FTRACE, "hello world");
	assert_int_equal(p.kind, LK_GARBAGE);
}

static void other_events_fields(void **state)
{
	struct parsed p;

	(void)state;
	p = parse_str(FMT_FTRACE, " k-1 [000] ..... 2.5: vfio_pci_low_power_exit: 0000:00:02.0 usage_count=2 source=wake wake_armed=1");
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.source, SRC_WAKE);
	assert_int_equal(p.ev.wake_armed, 1);
	p = parse_str(FMT_FTRACE, " k-1 [000] ..... 2.5: vfio_pci_set_power_state: 0000:00:02.0 usage_count=0 from=D3hot to=D0 ret=0");
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.from, 3);
	assert_int_equal(p.ev.to, 0);
	p = parse_str(FMT_FTRACE, " k-1 [000] ..... 2.5: vfio_pci_low_power_exit: 0000:00:02.0 usage_count=2 wake_armed=1");
	assert_int_equal(p.kind, LK_BAD_VFIO);
}

static void perf_lines(void **state)
{
	struct parsed p;

	(void)state;
	p = parse_str(FMT_PERF, "       kselftest   123 [001]    12.345678: vfio_pci:vfio_pci_pm_put: 0000:00:02.0 usage_count=1 op=put_noidle reason=low_power_entry ret=0");
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.type, EV_PCI_PUT);
	assert_int_equal(p.ev.pid, 123);
	assert_string_equal(p.ev.comm, "kselftest");
	p = parse_str(FMT_PERF, "  kworker/0:1 H  100/123 [001] 12.345678901: vfio:vfio_device_pm_put: 0000:00:02.0 usage_count=1 cmd=0x3b75 ret=-11");
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.pid, 123);
	assert_int_equal(p.ev.ret, -11);
	assert_int_equal(p.ev.ts, 12345678901ULL);
	assert_string_equal(p.ev.comm, "kworker/0:1 H");
	p = parse_str(FMT_PERF, "  perf  1000 [001] 11.000000: PERF_RECORD_LOST: id:1: lost:9");
	assert_int_equal(p.kind, LK_LOST);
	assert_int_equal(p.lost, 9);
	p = parse_str(FMT_PERF, "Processed 100 events and lost 2 chunks!");
	assert_int_equal(p.kind, LK_LOST);
	p = parse_str(FMT_PERF, "  swapper     0 [000]  1.0: sched:sched_switch: prev_comm=swapper");
	assert_int_equal(p.kind, LK_OTHER);
}

static void json_lines(void **state)
{
	struct parsed p;

	(void)state;
	p = parse_str(FMT_JSON, "{\"type\":\"event\",\"ts\":12345678901,\"cpu\":1,\"pid\":123,\"comm\":\"a\\\"b\\u0041\","
		      "\"event\":\"vfio_device_pm_get\",\"dev\":\"0000:00:02.0\",\"usage_count\":2,"
		      "\"cmd\":15221,\"ret\":0,\"extra\":{\"nested\":[1,2,{\"x\":null}]},\"flag\":true}");
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.ts, 12345678901ULL);
	assert_int_equal(p.ev.cmd, 0x3b75);
	assert_string_equal(p.ev.comm, "a\"bA");
	p = parse_str(FMT_JSON, "{\"event\":\"vfio_pci_pm_put\",\"ts\":1.5,\"dev\":\"0000:00:02.0\",\"usage_count\":0,"
		      "\"op\":\"put\",\"reason\":\"disable\",\"ret\":0}");
	assert_int_equal(p.kind, LK_EVENT);
	assert_int_equal(p.ev.ts, 1500000000ULL);
	p = parse_str(FMT_JSON, "{\"type\":\"lost\",\"count\":17}");
	assert_int_equal(p.kind, LK_LOST);
	assert_int_equal(p.lost, 17);
	assert_int_equal(parse_str(FMT_JSON, "{\"type\":\"summary\",\"x\":1}").kind, LK_OTHER);
	assert_int_equal(parse_str(FMT_JSON, "{\"event\":\"sched_switch\",\"ts\":1}").kind, LK_OTHER);
	assert_int_equal(parse_str(FMT_JSON, "{\"event\":\"vfio_pci_pm_get\",\"ts\":1,\"dev\":\"0000:00:02.0\"}").kind,
			 LK_BAD_VFIO);
	assert_int_equal(parse_str(FMT_JSON, "{\"event\":\"vfio_pci_pm_get\",\"ts\":1,\"dev\":\"0000").kind,
			 LK_BAD_VFIO);
	assert_int_equal(parse_str(FMT_JSON, "{\"a\":1} trailing").kind, LK_GARBAGE);
	assert_int_equal(parse_str(FMT_JSON, "[1,2]").kind, LK_GARBAGE);
	assert_int_equal(parse_str(FMT_JSON, "").kind, LK_META);
}

static void detection(void **state)
{
	(void)state;
	assert_int_equal(detect_line("# tracer: nop", 13), FMT_FTRACE);
	assert_int_equal(detect_line("cpus=2", 6), FMT_FTRACE);
	assert_int_equal(detect_line("{\"x\":1}", 7), FMT_JSON);
	assert_int_equal(detect_line("#", 1), FMT_UNKNOWN);
	{
		const char *f = "  a-1  [000] .....  1.0: sched_wakeup: x";
		const char *p = "  a    1 [000]  1.0: sched:sched_wakeup: x";

		assert_int_equal(detect_line(f, strlen(f)), FMT_FTRACE);
		assert_int_equal(detect_line(p, strlen(p)), FMT_PERF);
	}
	assert_int_equal(detect_line("garbage", 7), FMT_UNKNOWN);
	assert_int_equal(fmt_from_name("perf"), FMT_PERF);
	assert_int_equal(fmt_from_name("xml"), FMT_UNKNOWN);
}

static void helpers(void **state)
{
	uint64_t ns;
	char buf[32];

	(void)state;
	assert_true(valid_bdf("0000:00:02.0"));
	assert_true(valid_bdf("abcd:ef:1f.7"));
	assert_false(valid_bdf("0000:00:02.8"));
	assert_false(valid_bdf("0000:00:02"));
	assert_false(valid_bdf("0000:0G:02.0"));
	assert_int_equal(parse_ts("12.5", 4, &ns), 0);
	assert_int_equal(ns, 12500000000ULL);
	assert_int_equal(parse_ts("12.", 3, &ns), -1);
	assert_int_equal(parse_ts("x", 1, &ns), -1);
	assert_int_equal(parse_ts("12345678901.5", 13, &ns), -1);	/* would overflow */
	assert_int_equal(parse_ts("1234567890123", 13, &ns), 0);	/* integer: ns */
	assert_int_equal(ns, 1234567890123ULL);
	assert_int_equal(parse_str(FMT_FTRACE, " a-1 [000] 1.0: vfio_device_pm_get: 0000:00:02.0 "
				   "usage_count=1 cmd=0xffffffffffffffffff ret=0").kind, LK_BAD_VFIO);
	fmt_ts(buf, sizeof(buf), 12345678901ULL);
	assert_string_equal(buf, "12.345678");
	assert_string_equal(ioctl_name(0x3b75), "VFIO_DEVICE_FEATURE");
	assert_string_equal(ioctl_name(0x1234), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ftrace_trace_line),
		cmocka_unit_test(ftrace_variants),
		cmocka_unit_test(ftrace_markers),
		cmocka_unit_test(ftrace_other_and_bad),
		cmocka_unit_test(other_events_fields),
		cmocka_unit_test(perf_lines),
		cmocka_unit_test(json_lines),
		cmocka_unit_test(detection),
		cmocka_unit_test(helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
