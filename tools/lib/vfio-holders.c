// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The processes that hold a vfio-pci device open, from procfs: an fd on the
 * device's cdev (/dev/vfio/devices/vfioN), or on its group
 * (/dev/vfio/[noiommu-]G) together with a vfio device fd
 * ("anon_inode:[vfio-device]"; 6.12 does not say which device it is).
 */
#include <ctype.h>
#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfio-holders.h"

/* The group number and cdev name of bdf, from sysfs under root ("" if none). */
static void device_nodes(const char *root, const char *bdf, char *group, size_t gl,
			 char *cdev, size_t cl)
{
	char path[256], target[256];
	struct dirent *d;
	ssize_t n;
	DIR *dir;

	group[0] = cdev[0] = 0;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/iommu_group", root, bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = 0;
		snprintf(group, gl, "%s", basename(target));
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/vfio-dev", root, bdf);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, "vfio", 4) && isdigit((unsigned char)d->d_name[4]) &&
		    strlen(d->d_name) < cl)
			memcpy(cdev, d->d_name, strlen(d->d_name) + 1);
	closedir(dir);
}

/* What pid's fds say: 1 for the group, 2 for a vfio device fd, 4 for the cdev. */
static int fd_kinds(const char *proc, const char *pid, const char *group, const char *cdev)
{
	char path[1024], target[256], want_g[64], want_n[64], want_c[64];
	struct dirent *d;
	int kinds = 0;
	ssize_t n;
	DIR *dir;

	snprintf(want_g, sizeof(want_g), "/dev/vfio/%s", group);
	snprintf(want_n, sizeof(want_n), "/dev/vfio/noiommu-%s", group);
	snprintf(want_c, sizeof(want_c), "/dev/vfio/devices/%s", cdev);
	snprintf(path, sizeof(path), "%s/%s/fd", proc, pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), "%s/%s/fd/%s", proc, pid, d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (*group && (!strcmp(target, want_g) || !strcmp(target, want_n)))
			kinds |= 1;
		else if (!strcmp(target, "anon_inode:[vfio-device]"))
			kinds |= 2;
		else if (*cdev && !strcmp(target, want_c))
			kinds |= 4;
	}
	closedir(dir);
	return kinds;
}

int vfio_holders(const char *root, const char *proc, const char *bdf, struct vfio_holder *h, int max)
{
	char group[32], cdev[32], path[512];
	struct dirent *d;
	int n = 0, kinds;
	DIR *dir;
	FILE *f;

	device_nodes(root, bdf, group, sizeof(group), cdev, sizeof(cdev));
	dir = opendir(proc);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && n < max) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		kinds = fd_kinds(proc, d->d_name, group, cdev);
		if (kinds != 3 && !(kinds & 4))
			continue;
		h[n].pid = atoi(d->d_name);
		h[n].cdev = kinds & 4;
		h[n].comm[0] = 0;
		snprintf(path, sizeof(path), "%s/%s/comm", proc, d->d_name);
		f = fopen(path, "r");
		if (f) {
			if (fgets(h[n].comm, sizeof(h[n].comm), f))
				h[n].comm[strcspn(h[n].comm, "\n")] = 0;
			fclose(f);
		}
		n++;
	}
	closedir(dir);
	return n;
}
