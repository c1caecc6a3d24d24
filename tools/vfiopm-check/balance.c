// SPDX-License-Identifier: GPL-2.0
/* Balance rules: pairings, the usage-count model, and end-of-log checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"

const char *const pairing_names[P__N] = {
	"ioctl", "region_rw", "session", "low_power", "binding", "sriov", "reset",
	"usage_count", "log"
};
const char *const fkind_names[F__N] = {
	"leak", "underflow", "below_zero", "unexplained_count", "active_unowned",
	"entry_at_close", "sequence", "not_idle",
	"pre_log", "lost_events", "cut_log", "malformed", "unconfirmed_count", "no_events",
	"open_at_end"
};
const char *const severity_names[] = { "imbalance", "inconclusive", "info" };

const char *ioctl_name(unsigned int cmd)
{
	static const char *const names[] = {	/* _IO(';', 100 + n) */
		[7] = "VFIO_DEVICE_GET_INFO", [8] = "VFIO_DEVICE_GET_REGION_INFO",
		[9] = "VFIO_DEVICE_GET_IRQ_INFO", [10] = "VFIO_DEVICE_SET_IRQS",
		[11] = "VFIO_DEVICE_RESET", [12] = "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO",
		[13] = "VFIO_DEVICE_PCI_HOT_RESET", [14] = "VFIO_DEVICE_QUERY_GFX_PLANE",
		[15] = "VFIO_DEVICE_GET_GFX_DMABUF", [16] = "VFIO_DEVICE_IOEVENTFD",
		[17] = "VFIO_DEVICE_FEATURE", [18] = "VFIO_DEVICE_BIND_IOMMUFD",
		[19] = "VFIO_DEVICE_ATTACH_IOMMUFD_PT", [20] = "VFIO_DEVICE_DETACH_IOMMUFD_PT",
	};
	unsigned int nr = (cmd & 0xff) - 100;

	if ((cmd & 0xff00) != 0x3b00 || (cmd & 0xff) < 100 || nr >= sizeof(names) / sizeof(names[0]) ||
	    !names[nr])
		return "";
	return names[nr];
}

void checker_init(struct checker *ck, const struct check_opts *o)
{
	memset(ck, 0, sizeof(*ck));
	ck->o = o;
	ck->f = calloc(MAX_FINDINGS, sizeof(*ck->f));
	if (!ck->f) {
		perror("vfiopm-check");
		exit(70);
	}
}

void checker_free(struct checker *ck)
{
	for (size_t i = 0; i < ck->ndevs; i++)
		free(ck->devs[i].refs);
	free(ck->devs);
	free(ck->f);
	memset(ck, 0, sizeof(*ck));
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("vfiopm-check");
		exit(70);
	}
	return p;
}

/* Record a finding; identical ones (kind, device, site, task) are folded. */
static struct finding *add(struct checker *ck, enum fkind kind, enum severity sev,
			   const char *dev, enum pairing pr, const char *site,
			   const struct event *ev, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	for (size_t i = 0; i < ck->nf; i++) {
		f = &ck->f[i];
		if (f->kind == kind && f->pairing == pr && !strcmp(f->dev, dev ? dev : "") &&
		    !strcmp(f->site, site ? site : "") && f->pid == (ev ? ev->pid : -1)) {
			f->times++;
			return NULL;
		}
	}
	if (ck->nf == MAX_FINDINGS) {
		ck->suppressed++;
		return NULL;
	}
	f = &ck->f[ck->nf++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->sev = sev;
	f->pairing = pr;
	f->times = 1;
	f->count = -1;
	f->pid = -1;
	snprintf(f->dev, sizeof(f->dev), "%s", dev ? dev : "");
	snprintf(f->site, sizeof(f->site), "%s", site ? site : "");
	if (ev) {
		f->pid = ev->pid;
		memcpy(f->comm, ev->comm, sizeof(f->comm));
		f->ts = ev->ts;
		f->count = ev->usage_count;
		f->line = ev->line;
	}
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return f;
}

static struct dev_state *dev_get(struct checker *ck, const char *name)
{
	struct dev_state *d;

	for (size_t i = 0; i < ck->ndevs; i++)
		if (!strcmp(ck->devs[i].name, name))
			return &ck->devs[i];
	if (ck->ndevs == ck->devcap) {
		ck->devcap = ck->devcap ? ck->devcap * 2 : 8;
		ck->devs = xrealloc(ck->devs, ck->devcap * sizeof(*ck->devs));
	}
	d = &ck->devs[ck->ndevs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

static void site_of(char *buf, size_t len, enum pairing pr, unsigned int cmd)
{
	if (pr == P_IOCTL)
		snprintf(buf, len, "ioctl 0x%x%s%s", cmd, *ioctl_name(cmd) ? " " : "", ioctl_name(cmd));
	else
		snprintf(buf, len, "%s", pairing_names[pr]);
}

static struct ref *ref_find(struct dev_state *d, enum pairing pr, int pid, unsigned int cmd)
{
	for (size_t i = 0; i < d->nrefs; i++)
		if (d->refs[i].pairing == pr && d->refs[i].pid == pid && d->refs[i].cmd == cmd)
			return &d->refs[i];
	return NULL;
}

static long held(const struct dev_state *d, enum pairing pr)
{
	long n = 0;

	for (size_t i = 0; i < d->nrefs; i++)
		if (d->refs[i].pairing == pr)
			n += d->refs[i].n;
	return n;
}

/* The kernel ended this pairing (e.g. low power cannot outlive the session). */
static void ref_drop_all(struct dev_state *d, enum pairing pr)
{
	for (size_t i = 0; i < d->nrefs;)
		if (d->refs[i].pairing == pr)
			d->refs[i] = d->refs[--d->nrefs];
		else
			i++;
}

static void ref_open(struct dev_state *d, enum pairing pr, int pid, unsigned int cmd,
		     const struct event *ev)
{
	struct ref *r = ref_find(d, pr, pid, cmd);

	if (!r) {
		if (d->nrefs == d->refcap) {
			d->refcap = d->refcap ? d->refcap * 2 : 8;
			d->refs = xrealloc(d->refs, d->refcap * sizeof(*d->refs));
		}
		r = &d->refs[d->nrefs++];
		memset(r, 0, sizeof(*r));
		r->pairing = pr;
		r->pid = pid;
		r->cmd = cmd;
	}
	if (!r->n++) {	/* age counts from the oldest outstanding one */
		r->ts = ev->ts;
		r->line = ev->line;
		r->task = ev->pid;
		memcpy(r->comm, ev->comm, sizeof(r->comm));
	}
}

static int baselined(const struct dev_state *d, enum pairing pr)
{
	return pr == P_BINDING || pr == P_SRIOV ? d->base_binding : d->base_session;
}

/* Release side of a pairing: a matching open ref, or underflow, or pre-log. */
static void ref_close(struct checker *ck, struct dev_state *d, enum pairing pr, int pid,
		      unsigned int cmd, const struct event *ev, int already_flagged)
{
	struct ref *r = ref_find(d, pr, pid, cmd);
	char site[48];

	if (r && r->n > 0) {
		if (!--r->n)
			*r = d->refs[--d->nrefs];
		return;
	}
	if (already_flagged)
		return;
	site_of(site, sizeof(site), pr, cmd);
	if (!baselined(d, pr)) {
		if (!(d->prelog_mask & (1u << pr))) {
			d->prelog_mask |= 1u << pr;
			add(ck, F_PRELOG, SEV_INCONCLUSIVE, d->name, pr, site, ev,
			    "%s with no matching %s in the log: the %s started before the log "
			    "(no %s seen), cannot baseline",
			    ev_names[ev->type], pr == P_LOWPOWER || pr == P_BINDING ? "put" : "get",
			    pr == P_BINDING || pr == P_SRIOV ? "binding" : "session",
			    pr == P_BINDING || pr == P_SRIOV ? "register" : "enable or register");
		}
		return;
	}
	if (pr == P_LOWPOWER || pr == P_BINDING)
		add(ck, F_LEAK, SEV_IMBALANCE, d->name, pr, site, ev,
		    "%s get_noresume with no %s put before it: restores a reference that was "
		    "never dropped", ev->reason >= 0 ? reason_names[ev->reason] : "",
		    pr == P_LOWPOWER ? "low_power_entry" : "register");
	else
		add(ck, F_UNDERFLOW, SEV_IMBALANCE, d->name, pr, site, ev,
		    "put with no matching get (%s)", pr == P_IOCTL || pr == P_REGION ?
		    "same task" : "same device");
}

/* Usage-count model: apply the event's delta, catch underflows and unexplained moves. */
static int count_step(struct checker *ck, struct dev_state *d, const struct event *ev)
{
	int delta = 0, underflow = 0, obs = ev->usage_count;
	long off;

	switch (ev->type) {
	case EV_DEV_GET:
		delta = ev->ret == 0;
		break;
	case EV_DEV_PUT:
		underflow = ev->ret == -22;
		delta = underflow ? 0 : -1;
		break;
	case EV_PCI_GET:
		delta = ev->op == OP_GET_NORESUME || ev->ret == 0;
		break;
	case EV_PCI_PUT:
		underflow = ev->op == OP_PUT && ev->ret == -22;
		delta = underflow ? 0 : -1;
		break;
	default:
		break;
	}
	if (!d->have_model && ev->type != EV_DEV_GET && ev->type != EV_DEV_PUT &&
	    ev->type != EV_PCI_GET && ev->type != EV_PCI_PUT) {
		/* baseline from the first get or put: a runtime_resume first may already
		 * include the increment of a get whose event comes next */
		d->last_obs = obs;
		return 0;
	}
	if (!d->have_model) {
		d->have_model = 1;
		d->model = obs - delta;
		d->baseline = d->model;
		d->last_obs = obs;
	} else if (ev->type == EV_PCI_PUT && ev->op == OP_PUT_NOIDLE && obs == 0 && d->model <= 0) {
		underflow = 1;
		delta = 0;
	}
	if (underflow) {
		struct finding *f = add(ck, F_UNDERFLOW, SEV_IMBALANCE, d->name, P_COUNT,
			ev->type == EV_DEV_PUT ? "ioctl" : reason_names[ev->reason], ev,
			ev->type == EV_PCI_PUT && ev->op == OP_PUT_NOIDLE ?
			"put_noidle at usage_count 0: the count did not move (the kernel ignores "
			"it silently)" : "put returned -EINVAL: runtime PM usage count underflow");

		if (f)
			f->definitive = 1;
	} else if (d->model + delta < 0) {
		add(ck, F_BELOW_ZERO, SEV_IMBALANCE, d->name, P_COUNT, "", ev,
		    "the traced events take the usage count below zero (%ld%+d)", d->model, delta);
		d->model = 0;
		delta = 0;
	}
	d->model += delta;
	d->last_obs = obs;
	/* the get that triggered a resume shows up after it: see below */
	if (ev->type == EV_DEV_GET || (ev->type == EV_PCI_GET && ev->op == OP_RESUME_AND_GET))
		d->resuming = 0;
	else if (ev->type == EV_RT_RESUME)
		d->resuming = 1;

	/* usage_count is read after the change without a lock: racing CPUs can make one
	 * event show its neighbour's value, so only a discrepancy that persists counts */
	off = obs - d->model;
	if (!off || (off > 0 && d->resuming)) {
		/* between a runtime resume and the event of the resume_and_get that caused
		 * it, the count already includes that get: not a discrepancy */
		d->pend_n = 0;
	} else if (d->pend_n && off == d->pend_off) {
		d->pend_n++;
		if (d->pend_n >= ck->o->confirm_events ||
		    ev->ts - d->pend_ts >= ck->o->settle_ns) {	/* n >= 2 here */
			char t[32];

			fmt_ts(t, sizeof(t), d->pend_ts);
			add(ck, F_UNEXPLAINED, SEV_IMBALANCE, d->name, P_COUNT, "", ev,
			    "the traced events explain only %ld: %ld reference(s) %s outside vfio "
			    "(first seen at %s, line %ld)", d->model,
			    off > 0 ? off : -off, off > 0 ? "taken" : "dropped", t, d->pend_line);
			d->model += off;
			d->external += off;
			d->pend_n = 0;
		}
	} else {
		d->pend_off = (int)off;
		d->pend_n = 1;
		d->pend_ts = ev->ts;
		d->pend_line = ev->line;
	}
	return underflow;
}

static void pci_get(struct checker *ck, struct dev_state *d, const struct event *ev)
{
	if (ev->op == OP_RESUME_AND_GET && ev->ret != 0) {
		d->failed_gets++;
		return;
	}
	d->gets++;
	switch (ev->reason) {
	case R_REGION_RW:
		ref_open(d, P_REGION, ev->pid, 0, ev);
		break;
	case R_ENABLE:
		ref_open(d, P_SESSION, 0, 0, ev);
		d->base_session = 1;
		break;
	case R_LP_EXIT:
		ref_close(ck, d, P_LOWPOWER, 0, 0, ev, 0);
		d->lp_exit_pending = 1;
		break;
	case R_REGISTER:
	case R_UNREGISTER:
		ref_close(ck, d, P_BINDING, 0, 0, ev, 0);
		d->unregistered = 1;
		break;
	case R_SRIOV:
		ref_open(d, P_SRIOV, 0, 0, ev);
		break;
	case R_RESET:
		ref_open(d, P_RESET, 0, 0, ev);
		break;
	default:
		add(ck, F_SEQUENCE, SEV_IMBALANCE, d->name, P_COUNT, reason_names[ev->reason], ev,
		    "a get with reason %s: no release path pairs with it", reason_names[ev->reason]);
	}
}

static void lp_entry_put_seen(struct dev_state *d, int pid)
{
	if (d->n_lp_entry_tasks == LP_ENTRY_TASKS)
		d->lp_entry_overflow = 1;
	else
		d->lp_entry_tasks[d->n_lp_entry_tasks++] = pid;
}

/*
 * Whether task pid's ENTRY event has its put_noidle, which is then used
 * up. Keyed by task, not by the engaged state: that state may already be
 * gone by the time the event is written.
 */
static int lp_entry_put_taken(struct dev_state *d, int pid)
{
	for (int i = 0; i < d->n_lp_entry_tasks; i++) {
		if (d->lp_entry_tasks[i] != pid)
			continue;
		d->lp_entry_tasks[i] = d->lp_entry_tasks[--d->n_lp_entry_tasks];
		return 1;
	}
	return d->lp_entry_overflow;
}

static void pci_put(struct checker *ck, struct dev_state *d, const struct event *ev, int flagged)
{
	switch (ev->reason) {
	case R_REGION_RW:
		ref_close(ck, d, P_REGION, ev->pid, 0, ev, flagged);
		break;
	case R_DISABLE:
		if (held(d, P_LOWPOWER)) {
			add(ck, F_ENTRY_AT_CLOSE, SEV_IMBALANCE, d->name, P_LOWPOWER, "disable", ev,
			    "session closed while low power is engaged: ENTRY without EXIT or wake "
			    "(the put_noidle is never restored)");
			ref_drop_all(d, P_LOWPOWER);	/* report it once, not in every later session */
		}
		/* fallthrough */
	case R_ENABLE:
		ref_close(ck, d, P_SESSION, 0, 0, ev, flagged);
		break;
	case R_LP_ENTRY:
		if (held(d, P_LOWPOWER))
			add(ck, F_UNDERFLOW, SEV_IMBALANCE, d->name, P_LOWPOWER, "low_power_entry", ev,
			    "low_power_entry put_noidle while low power is already engaged");
		ref_open(d, P_LOWPOWER, 0, 0, ev);
		lp_entry_put_seen(d, ev->pid);
		break;
	case R_REGISTER:
		ref_open(d, P_BINDING, 0, 0, ev);
		d->base_binding = d->base_session = 1;
		d->unregistered = 0;
		break;
	case R_SRIOV:
		ref_close(ck, d, P_SRIOV, 0, 0, ev, flagged);
		break;
	case R_RESET:
		ref_close(ck, d, P_RESET, 0, 0, ev, flagged);
		break;
	default:
		add(ck, F_SEQUENCE, SEV_IMBALANCE, d->name, P_COUNT, reason_names[ev->reason], ev,
		    "a put with reason %s: no get pairs with it", reason_names[ev->reason]);
	}
}

static int wanted(const struct checker *ck, const char *dev)
{
	const char *const *p = ck->o->devs;

	if (!p || !*p)
		return 1;
	for (; *p; p++)
		if (!strcmp(*p, dev))
			return 1;
	return 0;
}

void checker_event(struct checker *ck, const struct event *ev)
{
	struct dev_state *d;
	int flagged;

	if (!wanted(ck, ev->dev)) {
		ck->filtered++;
		return;
	}
	ck->events++;
	if (!ck->have_ts) {
		ck->first_ts = ev->ts;
		ck->have_ts = 1;
	}
	if (ev->ts < ck->last_ts)
		ck->late++;
	else
		ck->last_ts = ev->ts;
	d = dev_get(ck, ev->dev);
	if (!d->events++)
		d->first_ts = ev->ts;
	if (ev->ts > d->last_ts)
		d->last_ts = ev->ts;
	/* an underflow the kernel reported needs no second "put without get" */
	flagged = count_step(ck, d, ev);

	switch (ev->type) {
	case EV_DEV_GET:
		if (ev->ret == 0) {
			d->gets++;
			ref_open(d, P_IOCTL, ev->pid, ev->cmd, ev);
		} else {
			d->failed_gets++;
		}
		break;
	case EV_DEV_PUT:
		d->puts++;
		ref_close(ck, d, P_IOCTL, ev->pid, ev->cmd, ev, flagged);
		break;
	case EV_PCI_GET:
		pci_get(ck, d, ev);
		break;
	case EV_PCI_PUT:
		d->puts++;
		pci_put(ck, d, ev, flagged);
		break;
	case EV_LP_ENTRY:
		if (!lp_entry_put_taken(d, ev->pid) && ev->ret == 0 && d->events > 1)
			add(ck, F_SEQUENCE, SEV_IMBALANCE, d->name, P_LOWPOWER, "low_power_entry", ev,
			    "low-power ENTRY accepted without its put_noidle");
		break;
	case EV_LP_EXIT:
		if (!d->lp_exit_pending) {
			if (d->events > 1)
				add(ck, F_SEQUENCE, SEV_IMBALANCE, d->name, P_LOWPOWER, "low_power_exit", ev,
				    "low power disengaged (source=%s) without its get_noresume: the "
				    "reference dropped at ENTRY is not restored",
				    source_names[ev->source]);
			else
				add(ck, F_PRELOG, SEV_INCONCLUSIVE, d->name, P_LOWPOWER, "low_power_exit", ev,
				    "log starts at a low-power exit: its get_noresume is before the log");
			ref_drop_all(d, P_LOWPOWER);	/* disengaged all the same */
		}
		d->lp_exit_pending = 0;
		break;
	case EV_RT_SUSPEND:
		d->rt = RT_SUSPENDED;
		d->resuming = 0;
		break;
	case EV_RT_RESUME:
		d->rt = RT_ACTIVE;
		break;
	default:
		break;
	}
}

/* A finding about the log itself (line, no task or count): the run is inconclusive. */
static void taint(struct checker *ck, enum fkind kind, const char *why, long line,
		  const char *what)
{
	struct event ev;

	event_init(&ev);
	ev.line = line;
	ev.pid = -1;
	ev.usage_count = -1;
	ck->tainted = 1;
	add(ck, kind, SEV_INCONCLUSIVE, NULL, P_LOG, why, &ev, "%s%s", why, what);
}

void checker_lost(struct checker *ck, uint64_t count, const char *why, long line)
{
	ck->lost_markers++;
	ck->lost_events += count;
	taint(ck, F_LOST, why, line, ": events are missing, balance cannot be asserted");
}

void checker_taint(struct checker *ck, enum fkind kind, const char *why, long line)
{
	taint(ck, kind, why, line, "");
}

static void finish_device(struct checker *ck, struct dev_state *d)
{
	long transient = 0;	/* ioctl, region, reset, sriov references */
	int session = 0, engaged = 0;

	for (size_t i = 0; i < d->nrefs; i++) {
		struct ref *r = &d->refs[i];
		struct event ev;
		char site[48], t[32];

		if (!r->n)
			continue;
		event_init(&ev);
		ev.ts = r->ts;
		ev.pid = r->task;
		ev.usage_count = d->last_obs;
		ev.line = r->line;
		memcpy(ev.comm, r->comm, sizeof(ev.comm));
		site_of(site, sizeof(site), r->pairing, r->cmd);
		fmt_ts(t, sizeof(t), ck->last_ts - r->ts);
		switch (r->pairing) {
		case P_IOCTL:
		case P_REGION:
		case P_RESET: {
			struct finding *f = add(ck, F_LEAK, SEV_IMBALANCE, d->name, r->pairing, site, &ev,
				"%ld get(s) never put; oldest is %s s old at end of log", r->n, t);

			if (f) {
				f->age = ck->last_ts - r->ts;
				f->has_age = 1;
				f->times = (uint64_t)r->n;
			}
			transient += r->n;
			break;
		}
		case P_SESSION:
		case P_SRIOV:
			session |= r->pairing == P_SESSION;
			transient += r->pairing == P_SRIOV ? r->n : 0;
			if (ck->o->expect_idle)
				add(ck, F_NOT_IDLE, SEV_IMBALANCE, d->name, r->pairing, site, &ev,
				    "--expect-idle: the %s reference taken here is still held at end "
				    "of log (%s s)", pairing_names[r->pairing], t);
			else
				add(ck, F_OPEN_AT_END, SEV_INFO, d->name, r->pairing, site, &ev,
				    "%s still open at end of log (not a leak by itself; see --expect-idle)",
				    pairing_names[r->pairing]);
			break;
		case P_LOWPOWER:
			engaged = 1;
			add(ck, F_OPEN_AT_END, SEV_INFO, d->name, r->pairing, site, &ev,
			    "low power engaged at end of log");
			break;
		default:
			break;
		}
	}
	if (d->pend_n) {
		struct event ev;

		event_init(&ev);
		ev.ts = d->pend_ts;
		ev.line = d->pend_line;
		ev.usage_count = d->last_obs;
		ev.pid = -1;
		if (d->pend_n >= 2 && d->last_ts - d->pend_ts >= ck->o->settle_ns)
			add(ck, F_UNEXPLAINED, SEV_IMBALANCE, d->name, P_COUNT, "", &ev,
			    "usage_count stays %+d off what the traced events explain over the last "
			    "%d events: reference(s) %s outside vfio", d->pend_off, d->pend_n,
			    d->pend_off > 0 ? "taken" : "dropped");
		else
			add(ck, F_UNCONFIRMED, SEV_INCONCLUSIVE, d->name, P_COUNT, "", &ev,
			    "usage_count is %+d off what the traced events explain on the last %d "
			    "event(s), too briefly to tell a race or an in-flight get from a "
			    "reference held outside vfio", d->pend_off, d->pend_n);
	}
	/* only derivable once the session start is in the log and the device is still bound */
	if (d->base_session && !d->unregistered && d->rt != RT_SUSPENDED &&
	    !transient && (!session || engaged) && d->last_obs > 0) {
		struct event ev;

		event_init(&ev);
		ev.ts = d->last_ts;
		ev.usage_count = d->last_obs;
		ev.pid = -1;
		add(ck, F_ACTIVE_UNOWNED, SEV_IMBALANCE, d->name, P_COUNT, "", &ev,
		    "usage_count=%d at end of log while vfio holds no reference: the device "
		    "cannot runtime-suspend (held outside vfio)", d->last_obs);
	}
}

void checker_finish(struct checker *ck)
{
	const char *const *p;

	for (size_t i = 0; i < ck->ndevs; i++)
		finish_device(ck, &ck->devs[i]);
	for (p = ck->o->devs; p && *p; p++) {
		size_t i;

		for (i = 0; i < ck->ndevs && strcmp(ck->devs[i].name, *p); i++)
			;
		if (i == ck->ndevs)
			add(ck, F_NO_EVENTS, SEV_INCONCLUSIVE, *p, P_LOG, "", NULL,
			    "no events for this device in the log");
	}
	if (!ck->events && !(ck->o->devs && *ck->o->devs))
		add(ck, F_NO_EVENTS, SEV_INCONCLUSIVE, NULL, P_LOG, "", NULL,
		    "no vfio runtime-PM events in the log (tracepoints not enabled?)");
}

int finding_counts(const struct checker *ck, const struct finding *f)
{
	if (f->sev == SEV_IMBALANCE)
		return f->definitive || !ck->tainted ? 1 : 2;
	return f->sev == SEV_INCONCLUSIVE ? 2 : 0;
}

static int verdict_of(const struct checker *ck, const char *dev)
{
	int imb = 0, inc = 0;

	for (size_t i = 0; i < ck->nf; i++) {
		const struct finding *f = &ck->f[i];
		int v;

		if (dev && f->dev[0] && strcmp(f->dev, dev))
			continue;
		v = finding_counts(ck, f);
		imb |= v == 1;
		inc |= v == 2;
	}
	if (ck->suppressed)
		inc = 1;
	return imb ? 1 : inc ? 2 : 0;
}

int checker_verdict(const struct checker *ck)
{
	return verdict_of(ck, NULL);
}

int device_verdict(const struct checker *ck, const char *dev)
{
	return verdict_of(ck, dev);
}
