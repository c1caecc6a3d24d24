/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Prometheus text exposition (version 0.0.4), as node_exporter's textfile collector reads it. */
#ifndef VFIOPM_PROM_H
#define VFIOPM_PROM_H

#include <stdio.h>

#include "metrics.h"

/* The HELP and TYPE lines of a metric; once per metric, before its samples. */
void prom_header(FILE *f, enum metric_id m);
/* name{labels} value; labels is "k","v",... NULL-terminated, values escaped here. */
void prom_sample(FILE *f, const char *name, double value, ...) __attribute__((sentinel));
const char *prom_name(enum metric_id m);
/* vfiopm_power_state for dev: 1 for the state named current, 0 for every other D-state */
void prom_power_state(FILE *f, const char *dev, const char *current);
/*
 * Write path atomically: write(f, ctx) into path.tmp.PID, fsync, rename.
 * 0, or -1 with errno (the old file is left as it was).
 */
int prom_write_file(const char *path, void (*write)(FILE *f, void *ctx), void *ctx);

#endif
