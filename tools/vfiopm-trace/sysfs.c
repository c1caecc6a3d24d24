// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* vfio-pci devices and their runtime-PM state, from sysfs. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* DDDD:BB:DD.F, lowercase or uppercase hex */
bool bdf_valid(const char *s)
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

int vfio_devices(const char *root, char names[][DEV_NAME_LEN], int max)
{
	char path[256];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/bus/pci/drivers/vfio-pci", root);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && n < max) {
		if (!bdf_valid(d->d_name))
			continue;
		memcpy(names[n++], d->d_name, 13);	/* bdf_valid: 12 chars */
	}
	closedir(dir);
	qsort(names, n, DEV_NAME_LEN, name_cmp);
	return n;
}

static int read_word(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	int ok;

	buf[0] = 0;
	if (!f)
		return -1;
	ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return ok ? 0 : -1;
}

int read_sysfs_state(const char *root, const char *bdf, struct sysfs_state *st)
{
	char path[256], buf[32];
	int r;

	memset(st, 0, sizeof(*st));
	st->usage = -1;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/power_state", root, bdf);
	r = read_word(path, st->power_state, sizeof(st->power_state));
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/power/runtime_status", root, bdf);
	read_word(path, st->runtime_status, sizeof(st->runtime_status));
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/power/control", root, bdf);
	read_word(path, st->control, sizeof(st->control));
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/power/runtime_usage", root, bdf);
	if (!read_word(path, buf, sizeof(buf)))
		st->usage = atoi(buf);
	return r;
}
