// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Where vfiopm-trace's records go. A derived record (start, flags, summary,
 * histograms...) is written once, in both its renderings when recording:
 * the record file keeps its JSON line and its live-view text, so that
 * `-r FILE` shows either exactly as the live tool would have.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct vfr_writer *recw;

bool class_shown(enum vfr_class c)
{
	switch (c) {
	case VFR_C_DETAIL:
		return !env.summary;
	case VFR_C_RW_NOTE:
		return !env.summary && !env.all;
	case VFR_C_HIST:
		return env.hist;
	default:
		return true;
	}
}

/* while recording: the two renderings of the record being written */
static char *jbuf, *hbuf;
static size_t jlen, hlen;

bool out_begin(struct out *o, enum vfr_class c)
{
	o->j = o->h = NULL;
	if (recw) {
		o->j = open_memstream(&jbuf, &jlen);
		o->h = open_memstream(&hbuf, &hlen);
		if (o->j && o->h)
			return true;
		if (o->j)
			fclose(o->j);
		if (o->h)
			fclose(o->h);
		o->j = o->h = NULL;
		recw->err = recw->err ? recw->err : ENOMEM;
		return false;
	}
	if (!class_shown(c))
		return false;
	if (env.json)
		o->j = stdout;
	else
		o->h = stdout;
	return true;
}

void out_end(struct out *o, enum vfr_class c)
{
	if (!recw || !o->j)
		return;
	fclose(o->j);
	fclose(o->h);
	/* the JSON line is stored without its newline, as the event records are */
	if (jlen && jbuf[jlen - 1] == '\n')
		jlen--;
	vfr_write_text(recw, c, jbuf, jlen, hbuf, hlen);
	if (env.json && class_shown(c) && jlen) {
		fwrite(jbuf, 1, jlen, stdout);
		putchar('\n');
	}
	free(jbuf);
	free(hbuf);
	jbuf = hbuf = NULL;
}
