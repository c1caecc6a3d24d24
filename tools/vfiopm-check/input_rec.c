// SPDX-License-Identifier: GPL-2.0
/*
 * vfiopm-trace's record files (-w, docs/record-format.md): each event record
 * becomes the event its JSON line would have parsed to, without the text in
 * between; a file cut short or corrupt is inconclusive, never a crash.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "input.h"
#include "vfiopm-rec.h"

static int in_range(int v, int lo, int hi)
{
	return v >= lo && v <= hi;
}

/* The fields format_json() writes for the event's type, and their checks. */
static const char *rec_fields(const struct vfr_event *v, struct event *ev)
{
	switch (ev->type) {
	case EV_DEV_GET:
	case EV_DEV_PUT:
		ev->cmd = v->cmd;
		ev->ret = v->ret;
		return NULL;
	case EV_PCI_GET:
	case EV_PCI_PUT:
		if (v->op >= OP__N || v->reason >= R__N)
			return "bad field value";
		ev->op = v->op;
		ev->reason = v->reason;
		ev->ret = v->ret;
		return NULL;
	case EV_RT_SUSPEND:
	case EV_RT_RESUME:
		ev->engaged = !!v->engaged;
		ev->wake_armed = !!v->wake_armed;
		ev->intx_masked = !!v->intx_masked;
		if (ev->type == EV_RT_RESUME && in_range(v->from, 0, 5))
			ev->from = v->from;	/* "resumed_from" */
		return NULL;
	case EV_LP_ENTRY:
		ev->with_wakeup = !!v->with_wakeup;
		ev->ret = v->ret;
		return NULL;
	case EV_LP_EXIT:
		if (v->source >= SRC__N)
			return "bad field value";
		ev->source = v->source;
		ev->wake_armed = !!v->wake_armed;
		return NULL;
	case EV_SET_POWER:
		if (!in_range(v->from, -1, 5) || !in_range(v->to, -1, 5))
			return "bad field value";
		ev->from = v->from;
		ev->to = v->to;
		ev->ret = v->ret;
		return NULL;
	default:
		return NULL;
	}
}

/* A fixed-size field, maybe without its NUL, as a C string in dst. */
static void copy_name(char *dst, const char *src, size_t n)
{
	size_t l = strnlen(src, n);

	memcpy(dst, src, l);
	dst[l] = 0;
}

/* The event type each wire type names, by its JSON name, as parse_json() would find it. */
static int wire_kind(unsigned int type, int stock, enum ev_type *t)
{
	static enum ev_type types[2][VFR_EV__N];
	static int kinds[2][VFR_EV__N], known;

	if (!known) {
		for (int st = 0; st < 2; st++) {
			for (int i = 0; i < VFR_EV__N; i++) {
				const char *name = vfr_ev_names[i];

				if (st && i == VFR_EV_RUNTIME_SUSPEND)
					name = VFR_STOCK_SUSPEND;
				if (st && i == VFR_EV_RUNTIME_RESUME)
					name = VFR_STOCK_RESUME;
				types[st][i] = ev_type_from_name(name, strlen(name));
				kinds[st][i] = types[st][i] != EV_NONE ? LK_EVENT :
					       is_vfio_name(name, strlen(name)) ? LK_UNKNOWN_VFIO : LK_OTHER;
			}
		}
		known = 1;
	}
	*t = types[stock][type];
	return kinds[stock][type];
}

static void rec_event(const struct vfr_event *v, struct parsed *out)
{
	struct event *ev = &out->ev;
	const char *why;
	/* stock mode's suspend and resume are the PCI core's, not vfio's */
	int stock = (v->type == VFR_EV_RUNTIME_SUSPEND || v->type == VFR_EV_RUNTIME_RESUME) &&
		    v->pairing == PAIR_NONE;

	event_init(ev);
	out->why = NULL;
	if (v->type >= VFR_EV__N) {
		out->kind = LK_BAD_VFIO;
		out->why = "unknown event type";
		return;
	}
	out->kind = wire_kind(v->type, stock, &ev->type);
	if (out->kind != LK_EVENT)
		return;
	ev->ts = v->ts;
	ev->cpu = v->cpu;
	ev->pid = v->pid;
	copy_name(ev->comm, v->comm, sizeof(v->comm));
	copy_name(ev->dev, v->dev, sizeof(v->dev));
	ev->usage_count = v->usage_count;
	why = rec_fields(v, ev);
	out->why = why ? why : event_validate(ev);
	out->kind = out->why ? LK_BAD_VFIO : LK_EVENT;
}

static void rec_item(struct input *in, const struct vfr_item *it)
{
	struct parsed p = { .kind = LK_META };
	char what[96] = "";

	switch (it->type) {
	case VFR_REC_EVENT:
		rec_event(it->ev, &p);
		break;
	case VFR_REC_LOST:
		p.kind = LK_LOST;
		p.lost = it->lost->count;
		p.why = "vfiopm-trace lost record";
		break;
	case VFR_REC_TEXT:	/* a summary, flag or histogram: as its JSON line would be */
		p.kind = *it->json ? LK_OTHER : LK_META;
		break;
	default:
		break;
	}
	if (!in->o->verbose) {
		input_parsed(in, &p, what, 0);
		return;
	}
	snprintf(what, sizeof(what), "record %llu%s%s", in->lines + 1,	/* what -v shows */
		 it->ev && it->ev->type < VFR_EV__N ? ": " : "",
		 it->ev && it->ev->type < VFR_EV__N ? vfr_ev_names[it->ev->type] : "");
	input_parsed(in, &p, what, strlen(what));
}

static void rec_read(struct input *in, struct vfr_reader *r)
{
	struct vfr_item it;
	int rc;

	while ((rc = vfr_next(r, &it)) > 0)
		rec_item(in, &it);
	if (rc < 0) {
		char why[200];

		snprintf(why, sizeof(why), "record file: %s", r->err);
		checker_taint(&in->ck, strstr(r->err, "cut") ? F_CUT : F_MALFORMED, why,
			      (long)in->lines);
	}
}

int input_run_record(struct input *in, const char *path, const struct input_opts *o)
{
	struct vfr_reader r;
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : NULL;
	char pre[8];
	size_t have;

	if (!f)
		return 0;	/* stdin, or an error the text reader reports */
	have = fread(pre, 1, sizeof(pre), f);
	if (!vfr_is_record(pre, have)) {
		fclose(f);
		return 0;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	input_begin(in, path, o);
	in->fmt = FMT_REC;
	if (vfr_open(&r, f, pre, have)) {
		char why[200];

		snprintf(why, sizeof(why), "record file: %s", r.err);
		checker_taint(&in->ck, strstr(r.err, "cut") ? F_CUT : F_MALFORMED, why, 0);
	} else {
		rec_read(in, &r);
	}
	vfr_close(&r);
	if (ferror(f)) {
		in->io_err = EIO;
		snprintf(in->err, sizeof(in->err), "read error");
	}
	fclose(f);
	input_end(in, 0, 0);
	return 1;
}
