/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* PCI addresses and vfio-pci devices in sysfs, for every tool. */
#ifndef VFIOPM_PCI_SYSFS_H
#define VFIOPM_PCI_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#define PCI_BDF_LEN 16		/* "DDDD:BB:DD.F", its NUL, rounded up */

/* DDDD:BB:DD.F, hex of either case, device 0-31, function 0-7 */
bool pci_bdf_valid(const char *s);
/* The devices bound to vfio-pci under sys (normally "/sys"), sorted; -1 without the driver. */
int vfio_pci_devices(const char *sys, char names[][PCI_BDF_LEN], int max);
/* The first line of dir/file into buf, without its newline; 0, or -1 (buf empty). */
int sysfs_word(const char *dir, const char *file, char *buf, size_t n);

#endif
