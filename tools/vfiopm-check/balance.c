// SPDX-License-Identifier: GPL-2.0
/*
 * Balance rules: pairings, the suspend and close points where the count is
 * known, and end-of-log checks. Each finding is decided by a rule of
 * vfiopm-rules.h, shared with vfiopm-trace (docs/design.md, "Balance rules").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"

#define PAIRING_NAME(suffix, name) [PAIR_##suffix] = name,
const char *const pairing_names[P__N] = {
	VFIOPM_PAIRINGS(PAIRING_NAME)
	[P_COUNT] = "usage_count", [P_LOG] = "log",
};
const char *const fkind_names[F__N] = {
	"leak", "underflow", "held_at_suspend", "active_unowned",
	"entry_at_close", "sequence", "not_idle",
	"pre_log", "lost_events", "cut_log", "malformed", "no_events",
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
	for (size_t i = 0; i < ck->ndevs; i++) {
		free(ck->devs[i].refs);
		free(ck->devs[i].since_mark);
	}
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
			   const char *dev, int pr, const char *site,
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

static void site_of(char *buf, size_t len, int pr, unsigned int cmd)
{
	if (pr == PAIR_IOCTL)
		snprintf(buf, len, "ioctl 0x%x%s%s", cmd, *ioctl_name(cmd) ? " " : "", ioctl_name(cmd));
	else
		snprintf(buf, len, "%s", pairing_names[pr]);
}

/* Per-task pairings are keyed by thread alone: it makes one call at a time. */
static struct ref *ref_find(struct dev_state *d, int pr, int pid)
{
	for (size_t i = 0; i < d->nrefs; i++)
		if (d->refs[i].pairing == pr && d->refs[i].pid == pid)
			return &d->refs[i];
	return NULL;
}

static void ref_remove(struct dev_state *d, struct ref *r)
{
	if (r->held_at_suspend)
		d->n_held_at_suspend--;
	*r = d->refs[--d->nrefs];
}

static long held(const struct dev_state *d, int pr)
{
	long n = 0;

	for (size_t i = 0; i < d->nrefs; i++)
		if (d->refs[i].pairing == pr)
			n += d->refs[i].n;
	return n;
}

/* The kernel ended this pairing (e.g. low power cannot outlive the session). */
static void ref_drop_all(struct dev_state *d, int pr)
{
	for (size_t i = 0; i < d->nrefs;)
		if (d->refs[i].pairing == pr)
			ref_remove(d, &d->refs[i]);
		else
			i++;
}

static void ref_open(struct dev_state *d, int pr, int pid, unsigned int cmd,
		     const struct event *ev)
{
	struct ref *r = ref_find(d, pr, pid);

	if (!r) {
		if (d->nrefs == d->refcap) {
			d->refcap = d->refcap ? d->refcap * 2 : 8;
			d->refs = xrealloc(d->refs, d->refcap * sizeof(*d->refs));
		}
		r = &d->refs[d->nrefs++];
		memset(r, 0, sizeof(*r));
		r->pairing = pr;
		r->pid = pid;
	}
	if (!r->n++) {	/* age counts from the oldest outstanding one */
		r->cmd = cmd;
		r->ts = ev->ts;
		r->line = ev->line;
		r->task = ev->pid;
		memcpy(r->comm, ev->comm, sizeof(r->comm));
	}
}

static int baselined(const struct dev_state *d, int pr)
{
	return pr == PAIR_BINDING || pr == PAIR_SRIOV ? d->base_binding : d->base_session;
}

/* Release side of a pairing: a matching open ref, or underflow, or pre-log. */
static void ref_close(struct checker *ck, struct dev_state *d, int pr, int pid,
		      unsigned int cmd, const struct event *ev, int already_flagged)
{
	struct ref *r = ref_find(d, pr, pid);
	char site[48];

	if (r && r->n > 0) {
		if (!--r->n)
			ref_remove(d, r);
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
			    ev_names[ev->type], rule_inverted(pr) ? "put" : "get",
			    pr == PAIR_BINDING || pr == PAIR_SRIOV ? "binding" : "session",
			    pr == PAIR_BINDING || pr == PAIR_SRIOV ? "register" : "enable or register");
		}
		return;
	}
	if (rule_inverted(pr))
		add(ck, F_LEAK, SEV_IMBALANCE, d->name, pr, site, ev,
		    "%s get_noresume with no %s put before it: restores a reference that was "
		    "never dropped", ev->reason >= 0 ? reason_names[ev->reason] : "",
		    pr == PAIR_LOW_POWER ? "low_power_entry" : "register");
	else
		add(ck, F_UNDERFLOW, SEV_IMBALANCE, d->name, pr, site, ev,
		    "put with no matching get (%s)", rule_per_task(pr) ?
		    "same task" : "same device");
}

/* A put the kernel refused (rule_put_underflows): definitive, even in a lossy log. */
static int kernel_underflow(struct checker *ck, struct dev_state *d, const struct event *ev)
{
	int noidle = ev->type == EV_PCI_PUT && ev->op == OP_PUT_NOIDLE;
	struct finding *f;

	if (ev->type != EV_DEV_PUT && ev->type != EV_PCI_PUT)
		return 0;
	if (!rule_put_underflows(ev->type == EV_DEV_PUT ? OP_PUT : ev->op,
				 ev->type == EV_DEV_PUT ? -1 : ev->reason, ev->ret, ev->usage_count))
		return 0;
	f = add(ck, F_UNDERFLOW, SEV_IMBALANCE, d->name, P_COUNT,
		ev->type == EV_DEV_PUT ? "ioctl" : reason_names[ev->reason], ev,
		noidle ? "put_noidle left usage_count at 0 inside its own ioctl: the count did not "
			 "move (the kernel ignores it silently)" :
			 "put returned -EINVAL: runtime PM usage count underflow");
	if (f)
		f->definitive = 1;
	return 1;
}

/* Whether ev is the put that releases per-task reference r. */
static int releases(const struct ref *r, const struct event *ev)
{
	if (r->pairing == PAIR_IOCTL)
		return ev->type == EV_DEV_PUT;
	return ev->type == EV_PCI_PUT && ev->reason == R_REGION_RW;
}

/*
 * At a runtime suspend the count was 0 (rule_held_at_suspend): every per-task
 * reference held must have its put in flight, and the session's, unless low
 * power cancels it, must be closing (rule_session_must_close).
 */
static void suspend_point(struct dev_state *d)
{
	for (size_t i = 0; i < d->nrefs; i++) {
		struct ref *r = &d->refs[i];

		if (r->n > 0 && rule_per_task(r->pairing) && !r->held_at_suspend) {
			r->held_at_suspend = 1;
			d->n_held_at_suspend++;
		}
	}
	/* an open mark is kept: the earliest suspend is the strictest test */
	if (!d->session_mark &&
	    rule_session_must_close(held(d, PAIR_SESSION), held(d, PAIR_LOW_POWER))) {
		d->session_mark = 1;
		d->n_since_mark = 0;
	}
}

static void held_at_suspend(struct checker *ck, struct dev_state *d, const struct ref *r,
			    const struct event *ev, const char *what)
{
	char site[48];

	site_of(site, sizeof(site), r->pairing, r->cmd);
	add(ck, F_HELD_AT_SUSPEND, SEV_IMBALANCE, d->name, r->pairing, site, ev,
	    "the device runtime-suspended while %s held this reference (taken at line %ld): "
	    "its put did not come next, so a reference was dropped that vfio did not own",
	    what, r->line);
}

/* Before ev of task ev->pid: references of that task held at the last suspend. */
static void owner_event(struct checker *ck, struct dev_state *d, const struct event *ev)
{
	for (size_t i = 0; d->n_held_at_suspend && i < d->nrefs; i++) {
		struct ref *r = &d->refs[i];

		if (!r->held_at_suspend || r->pid != ev->pid)
			continue;
		r->held_at_suspend = 0;
		d->n_held_at_suspend--;
		if (rule_held_at_suspend(1, releases(r, ev)))
			held_at_suspend(ck, d, r, ev, "its task");
	}
}

static int seen_since_mark(const struct dev_state *d, int pid)
{
	for (size_t i = 0; i < d->n_since_mark; i++)
		if (d->since_mark[i] == pid)
			return 1;
	return 0;
}

/* The session's mark: the disable put is checked, every other event's task noted. */
static void session_event(struct checker *ck, struct dev_state *d, const struct event *ev)
{
	struct ref *r;

	if (!d->session_mark)
		return;
	if (ev->type == EV_PCI_PUT && ev->reason == R_DISABLE) {
		d->session_mark = 0;
		r = ref_find(d, PAIR_SESSION, 0);
		if (r && rule_session_held_at_suspend(1, seen_since_mark(d, ev->pid)))
			held_at_suspend(ck, d, r, ev, "the open session");
		return;
	}
	if (seen_since_mark(d, ev->pid))
		return;
	if (d->n_since_mark == d->since_cap) {
		d->since_cap = d->since_cap ? d->since_cap * 2 : 8;
		d->since_mark = xrealloc(d->since_mark, d->since_cap * sizeof(*d->since_mark));
	}
	d->since_mark[d->n_since_mark++] = ev->pid;
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
		ref_open(d, PAIR_REGION, ev->pid, 0, ev);
		break;
	case R_ENABLE:
		ref_open(d, PAIR_SESSION, 0, 0, ev);
		d->base_session = 1;
		break;
	case R_LOW_POWER_EXIT:
		ref_close(ck, d, PAIR_LOW_POWER, 0, 0, ev, 0);
		d->lp_exit_pending = 1;
		break;
	case R_REGISTER:
	case R_UNREGISTER:
		ref_close(ck, d, PAIR_BINDING, 0, 0, ev, 0);
		d->unregistered = 1;
		break;
	case R_SRIOV:
		ref_open(d, PAIR_SRIOV, 0, 0, ev);
		break;
	case R_RESET:
		ref_open(d, PAIR_RESET, 0, 0, ev);
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
		ref_close(ck, d, PAIR_REGION, ev->pid, 0, ev, flagged);
		break;
	case R_DISABLE:
		if (held(d, PAIR_LOW_POWER)) {
			add(ck, F_ENTRY_AT_CLOSE, SEV_IMBALANCE, d->name, PAIR_LOW_POWER, "disable", ev,
			    "session closed while low power is engaged: ENTRY without EXIT or wake "
			    "(the put_noidle is never restored)");
			ref_drop_all(d, PAIR_LOW_POWER);	/* report it once, not in every later session */
		}
		/* fallthrough */
	case R_ENABLE:
		ref_close(ck, d, PAIR_SESSION, 0, 0, ev, flagged);
		break;
	case R_LOW_POWER_ENTRY:
		if (held(d, PAIR_LOW_POWER))
			add(ck, F_UNDERFLOW, SEV_IMBALANCE, d->name, PAIR_LOW_POWER, "low_power_entry", ev,
			    "low_power_entry put_noidle while low power is already engaged");
		ref_open(d, PAIR_LOW_POWER, 0, 0, ev);
		lp_entry_put_seen(d, ev->pid);
		break;
	case R_REGISTER:
		ref_open(d, PAIR_BINDING, 0, 0, ev);
		d->base_binding = d->base_session = 1;
		d->unregistered = 0;
		break;
	case R_SRIOV:
		ref_close(ck, d, PAIR_SRIOV, 0, 0, ev, flagged);
		break;
	case R_RESET:
		ref_close(ck, d, PAIR_RESET, 0, 0, ev, flagged);
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
	if (ck->o->observe)
		ck->o->observe(ck->o->observe_ctx, ev);
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
	flagged = kernel_underflow(ck, d, ev);
	d->last_obs = ev->usage_count;
	owner_event(ck, d, ev);
	session_event(ck, d, ev);

	switch (ev->type) {
	case EV_DEV_GET:
		if (ev->ret == 0) {
			d->gets++;
			ref_open(d, PAIR_IOCTL, ev->pid, ev->cmd, ev);
		} else {
			d->failed_gets++;
		}
		break;
	case EV_DEV_PUT:
		d->puts++;
		ref_close(ck, d, PAIR_IOCTL, ev->pid, ev->cmd, ev, flagged);
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
			add(ck, F_SEQUENCE, SEV_IMBALANCE, d->name, PAIR_LOW_POWER, "low_power_entry", ev,
			    "low-power ENTRY accepted without its put_noidle");
		break;
	case EV_LP_EXIT:
		if (!d->lp_exit_pending) {
			if (d->events > 1)
				add(ck, F_SEQUENCE, SEV_IMBALANCE, d->name, PAIR_LOW_POWER, "low_power_exit", ev,
				    "low power disengaged (source=%s) without its get_noresume: the "
				    "reference dropped at ENTRY is not restored",
				    source_names[ev->source]);
			else
				add(ck, F_PRELOG, SEV_INCONCLUSIVE, d->name, PAIR_LOW_POWER, "low_power_exit", ev,
				    "log starts at a low-power exit: its get_noresume is before the log");
			ref_drop_all(d, PAIR_LOW_POWER);	/* disengaged all the same */
		}
		d->lp_exit_pending = 0;
		break;
	case EV_RT_SUSPEND:
		d->rt = RT_SUSPENDED;
		suspend_point(d);
		residency_suspend(&d->res, ev);
		break;
	case EV_RT_RESUME:
		d->rt = RT_ACTIVE;
		residency_resume(&d->res, ev);
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

	residency_end(&d->res, ck->last_ts);

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
		case PAIR_IOCTL:
		case PAIR_REGION:
		case PAIR_RESET: {
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
		case PAIR_SESSION:
		case PAIR_SRIOV:
			session |= r->pairing == PAIR_SESSION;
			transient += r->pairing == PAIR_SRIOV ? r->n : 0;
			if (ck->o->expect_idle)
				add(ck, F_NOT_IDLE, SEV_IMBALANCE, d->name, r->pairing, site, &ev,
				    "--expect-idle: the %s reference taken here is still held at end "
				    "of log (%s s)", pairing_names[r->pairing], t);
			else
				add(ck, F_OPEN_AT_END, SEV_INFO, d->name, r->pairing, site, &ev,
				    "%s still open at end of log (not a leak by itself; see --expect-idle)",
				    pairing_names[r->pairing]);
			break;
		case PAIR_LOW_POWER:
			engaged = 1;
			add(ck, F_OPEN_AT_END, SEV_INFO, d->name, r->pairing, site, &ev,
			    "low power engaged at end of log");
			break;
		default:
			break;
		}
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
