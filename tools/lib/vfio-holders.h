/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The processes holding a vfio-pci device open (vfio-holders.c), for vfiopm-trace and vfiopm-status. */
#ifndef VFIO_HOLDERS_H
#define VFIO_HOLDERS_H

#include <stdbool.h>

struct vfio_holder {
	int pid;
	bool cdev;		/* through /dev/vfio/devices/vfioN, else the group */
	char comm[24];
};

/* holders of bdf (sysfs under root, procfs at proc), at most max; -1 if proc is unreadable */
int vfio_holders(const char *root, const char *proc, const char *bdf, struct vfio_holder *h, int max);

#endif
