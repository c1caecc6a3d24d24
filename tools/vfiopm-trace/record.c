// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* -w FILE: every event and derived record in the binary record format (docs/record-format.md). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "report.h"

/* The wire numbers are the format's: the tool's enum must match them. */
#define SAME_TYPE(name, value, json) _Static_assert(EV_##name == (value), "wire type " #name);
VFR_EVENT_TYPES(SAME_TYPE)
_Static_assert((int)EV_MAX == (int)VFR_EV__N, "every event type has a wire number");
_Static_assert(sizeof(((struct event *)0)->dev) == sizeof(((struct vfr_event *)0)->dev), "dev");
_Static_assert(sizeof(((struct event *)0)->comm) == sizeof(((struct vfr_event *)0)->comm), "comm");

static struct vfr_writer writer;
static const char *rec_path;

void vfr_from_event(struct vfr_event *v, const struct event *e)
{
	*v = (struct vfr_event){
		.ts = e->ts, .dev_id = e->dev_id, .latency_ns = e->latency_ns,
		.pid = e->pid, .tgid = e->tgid, .cpu = e->cpu, .usage_count = e->usage_count,
		.ret = e->ret, .cmd = e->cmd, .flags = e->flags, .stack_id = e->stack_id,
		.type = e->type, .op = e->op, .reason = e->reason, .pairing = e->pairing,
		.engaged = e->engaged, .wake_armed = e->wake_armed, .intx_masked = e->intx_masked,
		.with_wakeup = e->with_wakeup, .from = e->from, .to = e->to, .dstate = e->dstate,
		.source = e->source,
	};
	memcpy(v->dev, e->dev, sizeof(v->dev));
	memcpy(v->comm, e->comm, sizeof(v->comm));
}

void event_from_vfr(struct event *e, const struct vfr_event *v)
{
	*e = (struct event){
		.ts = v->ts, .dev_id = v->dev_id, .latency_ns = v->latency_ns,
		.pid = v->pid, .tgid = v->tgid, .cpu = v->cpu, .usage_count = v->usage_count,
		.ret = v->ret, .cmd = v->cmd, .flags = v->flags, .stack_id = v->stack_id,
		.type = v->type, .op = v->op, .reason = v->reason, .pairing = v->pairing,
		.engaged = v->engaged, .wake_armed = v->wake_armed, .intx_masked = v->intx_masked,
		.with_wakeup = v->with_wakeup, .from = v->from, .to = v->to, .dstate = v->dstate,
		.source = v->source,
	};
	memcpy(e->dev, v->dev, sizeof(e->dev));
	memcpy(e->comm, v->comm, sizeof(e->comm));
	e->dev[sizeof(e->dev) - 1] = e->comm[sizeof(e->comm) - 1] = 0;
}

int record_open(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "vfiopm-trace: -w %s: %s\n", path, strerror(errno));
		return -1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	writer = (struct vfr_writer){ .f = f };
	recw = &writer;
	rec_path = path;
	return 0;
}

static int write_failed(void)
{
	fprintf(stderr, "vfiopm-trace: writing %s: %s\n", rec_path, strerror(writer.err));
	return -1;
}

int record_header(const struct vfr_device *devs, int n, const char *blind)
{
	struct vfr_header h = {
		.ndevs = (uint16_t)n,
		.mode = full_mode ? VFR_MODE_FULL : VFR_MODE_STOCK,
		.flags = (env.stacks ? VFR_F_STACKS : 0) | (env.no_rw ? VFR_F_NO_RW : 0),
		.t0 = t0,
	};
	struct timespec now;
	struct utsname u;

	clock_gettime(CLOCK_REALTIME, &now);
	h.realtime_t0 = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	if (!uname(&u))
		snprintf(h.kernel, sizeof(h.kernel), "%s", u.release);
	snprintf(h.blind, sizeof(h.blind), "%s", blind);
	return vfr_write_header(&writer, &h, devs) ? write_failed() : 0;
}

void record_event(const struct event *e, const char *site, const char *stack)
{
	struct vfr_event v;

	vfr_from_event(&v, e);
	vfr_write_event(&writer, &v, site, stack);
}

void record_lost(__u64 ts, __u64 count)
{
	vfr_write_lost(&writer, ts, count);
}

void record_flush(void)
{
	if (recw && fflush(writer.f) && !writer.err)
		writer.err = errno;
}

int record_close(__u64 lost)
{
	int bad = vfr_write_trailer(&writer, lost, now_ns());

	bad |= fclose(writer.f) && !writer.err ? (writer.err = errno, 1) : 0;
	recw = NULL;
	if (bad || writer.err)
		return write_failed();
	fprintf(stderr, "vfiopm-trace: wrote %llu events (%llu records, %llu bytes) to %s\n",
		(unsigned long long)writer.events, (unsigned long long)writer.records + 1,
		(unsigned long long)writer.bytes, rec_path);
	return 0;
}
