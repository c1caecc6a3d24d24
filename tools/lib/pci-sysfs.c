// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci-sysfs.h"

bool pci_bdf_valid(const char *s)
{
	static const char shape[] = "hhhh:hh:hh.h";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'h' ? !isxdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	}
	return s[11] >= '0' && s[11] <= '7' && strtoul(s + 8, NULL, 16) < 32;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int vfio_pci_devices(const char *sys, char names[][PCI_BDF_LEN], int max)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/bus/pci/drivers/vfio-pci", sys);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && n < max)
		if (pci_bdf_valid(d->d_name))
			memcpy(names[n++], d->d_name, PCI_BDF_LEN);
	closedir(dir);
	qsort(names, (size_t)n, PCI_BDF_LEN, name_cmp);
	return n;
}

int sysfs_word(const char *dir, const char *file, char *buf, size_t n)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	buf[0] = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return ok ? 0 : -1;
}
