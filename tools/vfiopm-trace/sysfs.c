// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* A vfio-pci device's runtime-PM state, from sysfs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

int read_sysfs_state(const char *root, const char *bdf, struct sysfs_state *st)
{
	char dir[256], buf[32];
	int r;

	memset(st, 0, sizeof(*st));
	st->usage = -1;
	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", root, bdf);
	r = sysfs_word(dir, "power_state", st->power_state, sizeof(st->power_state));
	sysfs_word(dir, "power/runtime_status", st->runtime_status, sizeof(st->runtime_status));
	sysfs_word(dir, "power/control", st->control, sizeof(st->control));
	if (!sysfs_word(dir, "power/runtime_usage", buf, sizeof(buf)))
		st->usage = atoi(buf);
	return r;
}
