// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfiopm_fault: runtime-PM faults on a vfio-pci device, for vfiopm-trace's
 * tests. Never load it on a machine you care about.
 *
 *   insmod vfiopm_fault.ko bdf=0000:00:04.0 mode=leak  # get, kept until rmmod
 *   insmod vfiopm_fault.ko bdf=0000:00:04.0 mode=put   # one extra put
 *   ... mode=put min_count=2   # the put once the count is at 2 or more (5 s at most)
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>

static char *bdf;
module_param(bdf, charp, 0444);
MODULE_PARM_DESC(bdf, "PCI device (DDDD:BB:DD.F), bound to vfio-pci");
static char *mode = "leak";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "leak: take a reference and keep it; put: drop one never taken");

static int min_count;
module_param(min_count, int, 0444);
MODULE_PARM_DESC(min_count, "put: first wait (up to 5 s) until the usage count is at least this");
static struct device *dev;
static bool holding;

/* Out of line and outside .init.text, so the call site stays in kallsyms. */
static noinline int vfiopm_fault_leak(struct device *d)
{
	return pm_runtime_get_sync(d);
}

static noinline int vfiopm_fault_put(struct device *d)
{
	return pm_runtime_put(d);
}

static int __init vfiopm_fault_init(void)
{
	int ret;

	if (!bdf)
		return -EINVAL;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, bdf);
	if (!dev)
		return -ENODEV;
	if (!strcmp(mode, "leak")) {
		ret = vfiopm_fault_leak(dev);
		holding = true;
	} else if (!strcmp(mode, "put")) {
		/* a busy workload holds references on and off: catch it holding some */
		for (int ms = 0; ms < 5000 && atomic_read(&dev->power.usage_count) < min_count; ms++)
			usleep_range(1000, 1100);
		ret = vfiopm_fault_put(dev);
	} else {
		put_device(dev);
		return -EINVAL;
	}
	dev_info(dev, "vfiopm_fault: %s: ret %d, usage count now %d\n", mode, ret,
		 atomic_read(&dev->power.usage_count));
	return 0;
}

static void __exit vfiopm_fault_exit(void)
{
	if (holding)
		pm_runtime_put(dev);
	put_device(dev);
}

module_init(vfiopm_fault_init);
module_exit(vfiopm_fault_exit);
MODULE_DESCRIPTION("Runtime-PM reference faults for vfiopm-trace tests");
MODULE_LICENSE("GPL");
