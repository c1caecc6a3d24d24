/* SPDX-License-Identifier: GPL-2.0 */
/* Reports over all inputs: human text, one JSON document, JUnit XML. */
#ifndef VFIOPM_REPORT_H
#define VFIOPM_REPORT_H

#include <stdio.h>

#include "input.h"

extern const char *const verdict_names[];

/* s escaped for XML and HTML text and attributes; bytes outside printable ASCII as '?' */
void xml_str(FILE *out, const char *s);

void report_human(FILE *out, struct input *in, size_t n, int exit_code);
void report_json(FILE *out, struct input *in, size_t n, int exit_code);
/* 0, or an errno if the file cannot be written. */
int report_junit(const char *path, struct input *in, size_t n);

#endif
