// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* What sysfs and procfs say about a device, its parent bridges and its slot. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "status.h"
#include "pci-sysfs.h"
#include "vfio-holders.h"

static long long read_num(const char *dir, const char *file)
{
	char buf[WORD_LEN];

	sysfs_word(dir, file, buf, sizeof(buf));
	return buf[0] ? atoll(buf) : -1;
}

static void node_at(const char *dir, const char *bdf, struct pm_node *n)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t len;

	memset(n, 0, sizeof(*n));
	snprintf(n->bdf, sizeof(n->bdf), "%s", bdf);
	snprintf(path, sizeof(path), "%s/driver", dir);
	len = readlink(path, target, sizeof(target) - 1);
	if (len > 0) {
		const char *name;

		target[len] = 0;
		name = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		if (strlen(name) < sizeof(n->driver))
			memcpy(n->driver, name, strlen(name) + 1);
	}
	sysfs_word(dir, "power_state", n->power_state, sizeof(n->power_state));
	sysfs_word(dir, "power/runtime_status", n->runtime_status, sizeof(n->runtime_status));
	sysfs_word(dir, "power/control", n->control, sizeof(n->control));
	snprintf(path, sizeof(path), "%s/firmware_node/power_resources_D3hot", dir);
	n->d3cold_power = access(path, F_OK) == 0;
	n->d3cold_allowed = (int)read_num(dir, "d3cold_allowed");
}

/* The bridges above dir, from its resolved path: every component that is a BDF. */
static void chain(const char *real, struct dev_status *st)
{
	char path[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "%s", real);
	while ((slash = strrchr(path, '/')) && st->nparents < MAX_CHAIN) {
		*slash = 0;
		slash = strrchr(path, '/');
		if (!slash || !pci_bdf_valid(slash + 1))
			break;
		node_at(path, slash + 1, &st->parents[st->nparents++]);
	}
}

/* Other functions of the same bus and device number. */
static void siblings(const char *root, const char *bdf, struct dev_status *st)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices", root);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp)) && st->nsiblings < MAX_SIBLINGS) {
		if (!pci_bdf_valid(d->d_name) || strncmp(d->d_name, bdf, 10) || !strcmp(d->d_name, bdf))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		node_at(path, d->d_name, &st->siblings[st->nsiblings++]);
	}
	closedir(dp);
}

int gather(const char *root, const char *proc, const char *bdf, struct dev_status *st)
{
	char dir[PATH_MAX], real[PATH_MAX];
	struct vfio_holder h[MAX_HOLDERS];

	memset(st, 0, sizeof(*st));
	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", root, bdf);
	if (!realpath(dir, real))
		return -1;
	node_at(real, bdf, &st->self);
	/* calls in flight only add to the count: the lowest of 10 reads over 100 ms */
	st->usage = -1;
	for (int i = 0; i < 10; i++) {
		int u = (int)read_num(real, "power/runtime_usage");

		if (u >= 0 && (st->usage < 0 || u < st->usage))
			st->usage = u;
		if (u >= 0 && i < 9)
			usleep(10000);
	}
	st->active_kids = (int)read_num(real, "power/runtime_active_kids");
	st->active_ms = read_num(real, "power/runtime_active_time");
	st->suspended_ms = read_num(real, "power/runtime_suspended_time");
	st->d3cold_allowed = (int)read_num(real, "d3cold_allowed");
	chain(real, st);
	siblings(root, bdf, st);
	st->nholders = vfio_holders(root, proc, bdf, h, MAX_HOLDERS);
	for (int i = 0; i < st->nholders; i++) {
		st->holders[i].pid = h[i].pid;
		st->holders[i].cdev = h[i].cdev;
		snprintf(st->holders[i].comm, sizeof(st->holders[i].comm), "%s", h[i].comm);
	}
	return 0;
}
