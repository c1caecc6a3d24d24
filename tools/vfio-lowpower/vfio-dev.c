// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Opening a vfio-pci device and the calls the tools make on it (vfio-dev.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "vfio-dev.h"

static int open_group(const char *bdf, const char *prog, char *path, size_t len, bool *noiommu)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		fprintf(stderr, "%s: %s: no such device or no IOMMU group\n", prog, bdf);
		return -1;
	}
	target[n] = '\0';
	snprintf(path, len, "/dev/vfio/noiommu-%s", basename(target));
	fd = open(path, O_RDWR | O_CLOEXEC);
	*noiommu = fd >= 0;
	if (fd < 0) {
		snprintf(path, len, "/dev/vfio/%s", basename(target));
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0)
		fprintf(stderr, "%s: open %s: %s (is %s bound to vfio-pci?)\n", prog, path,
			strerror(errno), bdf);
	return fd;
}

int vfio_dev_open(struct vfio_dev *d, const char *bdf, const char *prog)
{
	struct vfio_region_info config = {
		.argsz = sizeof(config), .index = VFIO_PCI_CONFIG_REGION_INDEX,
	};
	char path[PATH_MAX];
	bool noiommu;

	d->container = d->fd = -1;
	d->group = open_group(bdf, prog, path, sizeof(path), &noiommu);
	if (d->group < 0)
		return -1;
	d->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container < 0 ||
	    ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) ||
	    ioctl(d->container, VFIO_SET_IOMMU,
		  noiommu ? VFIO_NOIOMMU_IOMMU : VFIO_TYPE1v2_IOMMU)) {
		fprintf(stderr, "%s: container setup for %s: %s\n", prog, path, strerror(errno));
		vfio_dev_close(d);
		return -1;
	}
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d->fd < 0 || ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &config)) {
		fprintf(stderr, "%s: open %s: %s\n", prog, bdf, strerror(errno));
		vfio_dev_close(d);
		return -1;
	}
	d->config = (off_t)config.offset;
	return 0;
}

void vfio_dev_close(struct vfio_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->fd = d->group = d->container = -1;
}

int vfio_dev_feature(const struct vfio_dev *d, __u32 feature, const void *data, size_t len)
{
	char buf[sizeof(struct vfio_device_feature) + 16] = {};
	struct vfio_device_feature *f = (void *)buf;

	if (len > 16)
		return -EINVAL;
	f->argsz = (__u32)(sizeof(*f) + len);
	f->flags = VFIO_DEVICE_FEATURE_SET | feature;
	if (len)
		memcpy(f->data, data, len);
	return ioctl(d->fd, VFIO_DEVICE_FEATURE, f) ? -errno : 0;
}

int vfio_dev_config_read(const struct vfio_dev *d, uint16_t *vendor)
{
	return pread(d->fd, vendor, 2, d->config) == 2 ? 0 : -errno;
}

int vfio_dev_rom_write(const struct vfio_dev *d)
{
	struct vfio_region_info rom = { .argsz = sizeof(rom), .index = VFIO_PCI_ROM_REGION_INDEX };
	uint16_t zero = 0;

	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &rom))
		return -errno;
	return pwrite(d->fd, &zero, sizeof(zero), (off_t)rom.offset) == sizeof(zero) ? 0 : -errno;
}
