/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* JSON strings, escaped one way for every tool (docs/json.md). */
#ifndef VFIOPM_JSON_H
#define VFIOPM_JSON_H

#include <stddef.h>
#include <stdio.h>

/* s as a quoted JSON string into buf (cut to fit, always terminated); its length */
size_t json_escape(char *buf, size_t n, const char *s);
/* s as a quoted JSON string on f */
void json_str(FILE *f, const char *s);

#endif
