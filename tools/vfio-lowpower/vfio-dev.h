/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Opening a vfio-pci device (no-IOMMU or type1 group) and the calls the tools make on it. */
#ifndef VFIO_DEV_H
#define VFIO_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>

struct vfio_dev {
	int container, group, fd;
	off_t config;		/* offset of the config-space region */
};

/* 0, or -1 with the reason on stderr, prefixed by prog. */
int vfio_dev_open(struct vfio_dev *d, const char *bdf, const char *prog);
/* Closes the device, then the group and container: the last close of a session. */
void vfio_dev_close(struct vfio_dev *d);
/* VFIO_DEVICE_FEATURE_SET of feature with len bytes of data: 0 or -errno. */
int vfio_dev_feature(const struct vfio_dev *d, __u32 feature, const void *data, size_t len);
/* The vendor ID through the config region (resumes the device): 0 or -errno. */
int vfio_dev_config_read(const struct vfio_dev *d, uint16_t *vendor);
/* A write to the ROM region, which vfio-pci refuses: the error path of a region access. */
int vfio_dev_rom_write(const struct vfio_dev *d);

#endif
