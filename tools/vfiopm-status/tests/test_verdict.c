// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests: gather() and judge() on small sysfs and procfs trees made
 * here: each situation with its verdict, and its control.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "status.h"

#define BDF "0000:01:00.0"
#define PORT "0000:00:1c.0"

static char root[64];

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int n;

	n = snprintf(cmd, sizeof(cmd), "cd %s && ", root);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* A vfio-pci device behind a root port, idle, usage 0; the port has no D3cold power. */
static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/vfiopm-status-test.XXXXXX");
	assert_non_null(mkdtemp(root));
	sh("d=sys/devices/pci0000:00/" PORT "; f=$d/" BDF "; "
	   "mkdir -p $f/power $d/power $d/firmware_node sys/bus/pci/devices sys/bus/pci/drivers/vfio-pci "
	   "sys/bus/pci/drivers/pcieport proc && "
	   "ln -s ../../../devices/pci0000:00/" PORT "/" BDF " sys/bus/pci/devices/" BDF " && "
	   "ln -s ../../../devices/pci0000:00/" PORT " sys/bus/pci/devices/" PORT " && "
	   "ln -s ../../../../bus/pci/drivers/vfio-pci $f/driver && "
	   "ln -s ../../../bus/pci/drivers/pcieport $d/driver && "
	   "echo D3hot >$f/power_state; echo suspended >$f/power/runtime_status; "
	   "echo auto >$f/power/control; echo 0 >$f/power/runtime_usage; "
	   "echo 0 >$f/power/runtime_active_kids; echo 1 >$f/d3cold_allowed; "
	   "echo 10 >$f/power/runtime_active_time; echo 90 >$f/power/runtime_suspended_time; "
	   "echo D0 >$d/power_state; echo active >$d/power/runtime_status; echo auto >$d/power/control");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("cd / && rm -rf %s", root);
	return 0;
}

static void judge_now(struct verdict *v)
{
	char sys[128], proc[128];
	struct dev_status st;

	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	assert_int_equal(gather(sys, proc, BDF, &st), 0);
	judge(&st, v);
}

static bool has_reason(const struct verdict *v, const char *part)
{
	for (int i = 0; i < v->nreasons; i++)
		if (strstr(v->reasons[i], part))
			return true;
	return false;
}

#define F "sys/devices/pci0000:00/" PORT "/" BDF

static void d3hot_only_and_d3cold(void **state)
{
	struct verdict v;

	(void)state;
	judge_now(&v);
	assert_true(v.can_sleep);
	assert_false(v.d3cold_possible);
	assert_string_equal(v.text, "D3hot only: no power resources for D3cold on the slot or its ports");
	sh("touch sys/devices/pci0000:00/" PORT "/firmware_node/power_resources_D3hot");
	judge_now(&v);
	assert_true(v.can_sleep && v.d3cold_possible);
	assert_string_equal(v.text, "can reach D3cold");
	sh("echo 0 >" F "/d3cold_allowed");
	judge_now(&v);
	assert_false(v.d3cold_possible);
	assert_true(has_reason(&v, "d3cold_allowed=0"));
}

static void control_on(void **state)
{
	struct verdict v;

	(void)state;
	sh("echo on >" F "/power/control; echo 1 >" F "/power/runtime_usage");
	judge_now(&v);
	assert_false(v.can_sleep);
	assert_string_equal(v.text, "kept awake: power/control=on");
	assert_false(has_reason(&v, "not explained"));	/* control=on explains its 1 */
}

static void parent_control_on(void **state)
{
	struct verdict v;

	(void)state;
	sh("echo on >sys/devices/pci0000:00/" PORT "/power/control");
	judge_now(&v);
	assert_true(v.can_sleep);	/* D3hot still: the device itself can sleep */
	assert_true(has_reason(&v, "parent " PORT " control=on keeps the slot powered"));
	assert_false(has_reason(&v, "D3hot only: parent"));	/* no D3cold to keep from it */
}

/* The port's power resources: the port must suspend, so control=on on it forbids D3cold. */
static void parent_control_on_port_power(void **state)
{
	struct verdict v;

	(void)state;
	sh("touch sys/devices/pci0000:00/" PORT "/firmware_node/power_resources_D3hot");
	judge_now(&v);
	assert_true(v.d3cold_possible);
	assert_string_equal(v.text, "can reach D3cold");
	sh("echo on >sys/devices/pci0000:00/" PORT "/power/control");
	judge_now(&v);
	assert_true(v.can_sleep);
	assert_false(v.d3cold_possible);
	assert_string_equal(v.text, "D3hot only: parent " PORT " control=on keeps the slot powered");
	sh("echo auto >sys/devices/pci0000:00/" PORT "/power/control; "
	   "echo 0 >sys/devices/pci0000:00/" PORT "/d3cold_allowed");
	judge_now(&v);
	assert_false(v.d3cold_possible);
	assert_string_equal(v.text, "D3hot only: parent " PORT " d3cold_allowed=0: the kernel takes "
			    "the port to D3hot, not to D3cold");
	sh("echo 1 >sys/devices/pci0000:00/" PORT "/d3cold_allowed");
	judge_now(&v);
	assert_true(v.d3cold_possible);
	sh("echo on >sys/devices/pci0000:00/" PORT "/power/control");
	/* the device's own power resources do not need the port to suspend */
	sh("mkdir -p " F "/firmware_node && touch " F "/firmware_node/power_resources_D3hot");
	judge_now(&v);
	assert_true(v.d3cold_possible);
	assert_false(has_reason(&v, "D3hot only"));
}

/* A process holds the device open through its group and a device fd. */
static void open_session(void **state)
{
	struct verdict v;

	(void)state;
	sh("mkdir -p sys/kernel/iommu_groups/3 proc/812/fd && "
	   "ln -s ../../../../kernel/iommu_groups/3 " F "/iommu_group && "
	   "ln -s /dev/vfio/3 proc/812/fd/5 && ln -s 'anon_inode:[vfio-device]' proc/812/fd/6 && "
	   "echo qemu >proc/812/comm");
	judge_now(&v);	/* usage 0 with a session: low power engaged, it can sleep */
	assert_true(v.can_sleep);
	sh("echo 1 >" F "/power/runtime_usage");
	judge_now(&v);
	assert_false(v.can_sleep);
	assert_true(has_reason(&v, "the open vfio session (pid 812 qemu) has not entered low power"));
	assert_false(has_reason(&v, "not explained"));
	sh("echo 2 >" F "/power/runtime_usage");
	judge_now(&v);
	assert_true(has_reason(&v, "usage count 2, 1 reference(s) not explained by any open session"));
}

static void leaked_reference(void **state)
{
	struct verdict v;

	(void)state;
	sh("echo 1 >" F "/power/runtime_usage; echo active >" F "/power/runtime_status");
	judge_now(&v);
	assert_false(v.can_sleep);
	assert_string_equal(v.text, "kept awake: usage count 1, 1 reference(s) not explained by any open session");
}

static void children_and_siblings(void **state)
{
	struct verdict v;

	(void)state;
	sh("echo 1 >" F "/power/runtime_active_kids && "
	   "mkdir -p sys/devices/pci0000:00/" PORT "/0000:01:00.1/power && "
	   "ln -s ../../../devices/pci0000:00/" PORT "/0000:01:00.1 sys/bus/pci/devices/0000:01:00.1 && "
	   "echo active >sys/devices/pci0000:00/" PORT "/0000:01:00.1/power/runtime_status");
	judge_now(&v);
	assert_false(v.can_sleep);
	assert_true(has_reason(&v, "1 active child device(s)"));
	assert_true(has_reason(&v, "sibling 0000:01:00.1 (no driver) is active"));
}

static void not_vfio(void **state)
{
	struct verdict v;

	(void)state;
	sh("rm " F "/driver");
	judge_now(&v);
	assert_false(v.can_sleep);
	assert_string_equal(v.text, "not bound to vfio-pci (driver: none)");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(d3hot_only_and_d3cold), T(control_on), T(parent_control_on),
		T(parent_control_on_port_power), T(open_session),
		T(leaked_reference), T(children_and_siblings), T(not_vfio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
