// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Unit tests: BDF validation and the sysfs readers, on a fake tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "tool.h"

static void test_bdf(void **state)
{
	(void)state;
	assert_true(pci_bdf_valid("0000:00:04.0"));
	assert_true(pci_bdf_valid("0000:AB:1f.7"));
	assert_false(pci_bdf_valid("0000:00:04"));
	assert_false(pci_bdf_valid("00:04.0"));
	assert_false(pci_bdf_valid("0000:00:04.8"));	/* function 0-7 */
	assert_false(pci_bdf_valid("0000:00:20.0"));	/* device 0-31 */
	assert_false(pci_bdf_valid("0000:00:0g.0"));
	assert_false(pci_bdf_valid("0000:00:04.0 "));
	assert_false(pci_bdf_valid(""));
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_tree(void **state)
{
	char root[] = "/tmp/sysfs-test.XXXXXX", p[512];
	char names[MAX_DEVS][DEV_NAME_LEN];
	struct sysfs_state st;

	(void)state;
	assert_non_null(mkdtemp(root));
	assert_int_equal(vfio_pci_devices(root, names, MAX_DEVS), -1);	/* no driver */
	snprintf(p, sizeof(p), "mkdir -p %s/bus/pci/drivers/vfio-pci/0000:00:05.0 "
		 "%s/bus/pci/drivers/vfio-pci/0000:00:04.0 %s/bus/pci/drivers/vfio-pci/module "
		 "%s/bus/pci/devices/0000:00:04.0/power", root, root, root, root);
	assert_int_equal(system(p), 0);
	assert_int_equal(vfio_pci_devices(root, names, MAX_DEVS), 2);
	assert_string_equal(names[0], "0000:00:04.0");
	assert_string_equal(names[1], "0000:00:05.0");
	snprintf(p, sizeof(p), "%s/bus/pci/devices/0000:00:04.0/power_state", root);
	put(p, "D3hot\n");
	snprintf(p, sizeof(p), "%s/bus/pci/devices/0000:00:04.0/power/runtime_status", root);
	put(p, "suspended\n");
	snprintf(p, sizeof(p), "%s/bus/pci/devices/0000:00:04.0/power/runtime_usage", root);
	put(p, "2\n");
	assert_int_equal(read_sysfs_state(root, "0000:00:04.0", &st), 0);
	assert_string_equal(st.power_state, "D3hot");
	assert_string_equal(st.runtime_status, "suspended");
	assert_int_equal(st.usage, 2);
	assert_string_equal(st.control, "");
	assert_int_equal(read_sysfs_state(root, "0000:00:05.0", &st), -1);
	assert_int_equal(st.usage, -1);
	snprintf(p, sizeof(p), "rm -rf %s", root);
	assert_int_equal(system(p), 0);
}

/* A group-mode holder (group fd + device fd), a cdev holder, and a bystander. */
static void test_holders(void **state)
{
	char root[] = "/tmp/holders-test.XXXXXX", p[1024];
	struct vfio_holder h[8];
	int n;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p),
		 "cd %s && mkdir -p sys/bus/pci/devices/0000:00:05.0/vfio-dev/vfio3 "
		 "sys/kernel/iommu_groups/7 proc/100/fd proc/200/fd proc/300/fd && "
		 "ln -s ../../../kernel/iommu_groups/7 sys/bus/pci/devices/0000:00:05.0/iommu_group && "
		 "ln -s /dev/vfio/noiommu-7 proc/100/fd/3 && ln -s 'anon_inode:[vfio-device]' proc/100/fd/4 && "
		 "echo qemu >proc/100/comm && ln -s /dev/vfio/devices/vfio3 proc/200/fd/5 && "
		 "echo vmm >proc/200/comm && ln -s /dev/vfio/noiommu-7 proc/300/fd/3 && echo idle >proc/300/comm",
		 root);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/sys", root);
	{
		char proc[512];

		snprintf(proc, sizeof(proc), "%s/proc", root);
		n = vfio_holders(p, proc, "0000:00:05.0", h, 8);
	}
	assert_int_equal(n, 2);	/* 300 holds the group, not a device */
	for (int i = 0; i < n; i++) {
		assert_true(h[i].pid == 100 || h[i].pid == 200);
		assert_string_equal(h[i].comm, h[i].pid == 100 ? "qemu" : "vmm");
		assert_int_equal(h[i].cdev, h[i].pid == 200);
	}
	snprintf(p, sizeof(p), "rm -rf %s", root);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bdf),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_holders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
