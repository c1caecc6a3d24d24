// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prom.h"
#include "vfiopm-contract.h"	/* VFIOPM_DSTATES: the D-state names */

#define NAME(id, name, type, labels, help) name,
#define TYPE(id, name, type, labels, help) type,
#define HELP(id, name, type, labels, help) help,
static const char *const names[M__N] = { VFIOPM_METRICS(NAME) };
static const char *const types[M__N] = { VFIOPM_METRICS(TYPE) };
static const char *const helps[M__N] = { VFIOPM_METRICS(HELP) };

const char *prom_name(enum metric_id m)
{
	return names[m];
}

void prom_power_state(FILE *f, const char *dev, const char *current)
{
#define DSTATE_NAME(value, name, id) name,
	static const char *const states[] = { VFIOPM_DSTATES(DSTATE_NAME) };
#undef DSTATE_NAME

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		prom_sample(f, names[M_POWER_STATE], !strcmp(current, states[i]),
			    "dev", dev, "state", states[i], NULL);
}

void prom_header(FILE *f, enum metric_id m)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", names[m], helps[m], names[m], types[m]);
}

/* a label value: backslash, double quote and newline escaped */
static void label_value(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

void prom_sample(FILE *f, const char *name, double value, ...)
{
	const char *k, *sep = "{";
	va_list ap;

	fputs(name, f);
	va_start(ap, value);
	while ((k = va_arg(ap, const char *))) {
		fprintf(f, "%s%s=\"", sep, k);
		label_value(f, va_arg(ap, const char *));
		fputc('"', f);
		sep = ",";
	}
	va_end(ap);
	if (*sep == ',')
		fputc('}', f);
	fprintf(f, " %.15g\n", value);
}

int prom_write_file(const char *path, void (*write)(FILE *f, void *ctx), void *ctx)
{
	char tmp[4096];
	FILE *f;
	int err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	write(f, ctx);
	if (fflush(f) || fsync(fileno(f)) || ferror(f)) {
		err = errno;
		fclose(f);
		unlink(tmp);
		errno = err;
		return -1;
	}
	if (fclose(f) || rename(tmp, path)) {
		err = errno;
		unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}
