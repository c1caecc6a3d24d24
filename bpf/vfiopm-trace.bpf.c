// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfiopm-trace: runtime-PM usage count of vfio-pci devices.
 *
 * Full mode: tp_btf on the vfio:* / vfio_pci:* tracepoints of the vfiopm
 * kernel series (docs/tracepoints.md). Stock mode: rpm:* tracepoints limited
 * to vfio-pci devices, plus fentry/fexit where the kernel allows. The loader
 * picks programs per kernel by probing BTF and tracefs.
 */
#include "vfiopm-core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "vfiopm-trace.h"
#include "vfiopm-balance.h"

#define RPM_ASYNC	0x01
#define RPM_GET_PUT	0x04

const volatile int targ_tgid = 0;
const volatile bool filter_dev = false;
const volatile bool stock_mode = false;
/* balanced region/ioctl get/put: counted, emitted only where power state moves */
const volatile bool quiet_rw = false;
/* pci_config_pm_runtime_put(), from kallsyms: its get is invisible (docs/design.md, F4) */
const volatile __u64 config_put_lo = 0;
const volatile __u64 config_put_hi = 0;
/*
 * Frames walked for the site of a vfio get/put: the program, bpf_trace_run,
 * __traceiter_* when another probe (ftrace, perf) is on the tracepoint too,
 * vfio's helper that holds the tracepoint, then its caller, the site; one
 * more for a trampoline on the helper. The walk is most of a get's cost,
 * frame by frame; --stacks wants them all.
 */
const volatile __u32 site_frames = SITE_DEPTH;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u64);
	__type(value, struct dev_state);
} devs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[DEV_NAME_LEN]);
	__type(value, u8);
} dev_filter SEC(".maps");

/* usage counts read from sysfs by the loader just before attaching */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[DEV_NAME_LEN]);
	__type(value, int);
} seed SEC(".maps");

/* LRU: per-task entries stay (count 0) for the next call; dead tasks age out */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, struct ref_key);
	__type(value, struct ref_val);
} refs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct rpm_stash);
} stash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 4096);
	__type(key, u32);
	__uint(value_size, MAX_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct hist_key);
	__type(value, struct hist);
} hists SEC(".maps");

/* bits.bpf.h of libbpf-tools */
static __always_inline u32 log2u(u32 v)
{
	u32 r, shift;

	r = (v > 0xFFFF) << 4; v >>= r;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline u32 log2l(u64 v)
{
	u32 hi = v >> 32;

	return hi ? log2u(hi) + 32 : log2u(v);
}

static __always_inline void hist_add(u64 dev_id, u32 kind, u64 ns)
{
	struct hist_key k = { .dev_id = dev_id, .kind = kind };
	static const struct hist zero;
	struct hist *h;
	u32 slot = log2l(ns / 1000);	/* microseconds */

	h = bpf_map_lookup_elem(&hists, &k);
	if (!h) {
		bpf_map_update_elem(&hists, &k, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &k);
		if (!h)
			return;
	}
	if (slot >= HIST_SLOTS)
		slot = HIST_SLOTS - 1;
	/* older verifiers (6.1) lose the bound clang keeps on a copy */
	barrier_var(slot);
	slot &= HIST_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->sum_ns, ns);
}

/*
 * dev and vdev are BTF pointers (tracepoint and fentry arguments): direct
 * loads, which cost much less than bpf_probe_read_kernel on the hot path.
 */
static __always_inline int usage_of(struct device *dev)
{
	return dev->power.usage_count.counter;
}

static __always_inline bool is_vfio_pci(struct device *dev)
{
	char drv[9] = {};
	const char *name = BPF_CORE_READ(dev, driver, name);

	if (!name || bpf_probe_read_kernel_str(drv, sizeof(drv), name) < 0)
		return false;
	return drv[0] == 'v' && drv[1] == 'f' && drv[2] == 'i' && drv[3] == 'o' &&
	       drv[4] == '-' && drv[5] == 'p' && drv[6] == 'c' && drv[7] == 'i' &&
	       drv[8] == 0;
}

/*
 * The state of a device, created on first sight. Devices that are not traced
 * (other drivers, -d filter) are cached with watched=0 so that the rpm:*
 * programs, which fire for every device, cost one lookup.
 */
static __always_inline struct dev_state *dev_get(struct device *dev, bool check_driver)
{
	u64 id = (u64)dev;
	struct dev_state *s = bpf_map_lookup_elem(&devs, &id);
	struct dev_state init = {};
	int *seed_count;

	if (s)
		return s->watched ? s : NULL;
	bpf_probe_read_kernel_str(init.name, sizeof(init.name), BPF_CORE_READ(dev, kobj.name));
	init.watched = 1;
	if (check_driver && !is_vfio_pci(dev))
		init.watched = 0;
	if (filter_dev && !bpf_map_lookup_elem(&dev_filter, init.name))
		init.watched = 0;
	seed_count = bpf_map_lookup_elem(&seed, init.name);
	/* unknown without a seed: the first event syncs it */
	init.model = seed_count ? *seed_count : -1;
	init.pending_tid = -1;
	init.dstate = -1;
	init.resumed_from = -1;
	bpf_map_update_elem(&devs, &id, &init, BPF_NOEXIST);
	s = bpf_map_lookup_elem(&devs, &id);
	return s && s->watched ? s : NULL;
}

static __always_inline struct device *vdev_dev(struct vfio_pci_core_device *vdev)
{
	return &vdev->pdev->dev;
}

/*
 * Waking the reader for every event costs more than the event: wake it when
 * 256 KiB are waiting; its 100 ms poll timeout drains the rest.
 */
static __always_inline void submit(struct event *e)
{
	long pending = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, pending > (256 << 10) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline bool task_wanted(void)
{
	return !targ_tgid || (bpf_get_current_pid_tgid() >> 32) == targ_tgid;
}

/* A new event of the device, filled from its state; NULL (and counted) when the ring is full. */
static __always_inline struct event *ev_open(struct dev_state *s, struct device *dev, u8 type,
					     int usage)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	u64 pt = bpf_get_current_pid_tgid();
	u32 zero = 0;
	u64 *cnt;

	if (!e) {
		cnt = bpf_map_lookup_elem(&lost, &zero);
		if (cnt)
			*cnt += 1;
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));	/* ring buffer memory is not zeroed */
	e->ts = bpf_ktime_get_ns();
	e->dev_id = (u64)dev;
	e->pid = (u32)pt;
	e->tgid = pt >> 32;
	e->cpu = bpf_get_smp_processor_id();
	e->type = type;
	e->usage_count = usage;
	e->engaged = s->engaged;
	e->wake_armed = s->wake_armed;
	e->dstate = s->dstate;
	e->stack_id = -1;
	__builtin_memcpy(e->dev, s->name, DEV_NAME_LEN);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/* A new outstanding-reference slot: count 1 for a get, -1 for an inverted pairing's put. */
static __always_inline void slot_insert(const struct ref_key *k, u32 tid, const u64 *ips, u32 cmd,
					u64 now, int count)
{
	struct ref_val nv = {};

	nv.ts = now;
	__builtin_memcpy(nv.ips, ips, sizeof(nv.ips));
	nv.pid = tid;
	nv.count = count;
	nv.cmd = cmd;
	bpf_get_current_comm(nv.comm, sizeof(nv.comm));
	bpf_map_update_elem(&refs, k, &nv, BPF_ANY);
}

/* A get in the balance model: the owner's slot, memleak-style. */
static __always_inline u32 ref_get(u64 id, u32 pairing, u64 owner, u32 tid, const u64 *ips,
				   u32 cmd, u64 now, u64 *age)
{
	struct ref_key k = { .dev_id = id, .owner = owner, .pairing = pairing };
	struct ref_val *v = bpf_map_lookup_elem(&refs, &k);
	int act;
	u32 flags = slot_get(v, pairing, now, age, &act);

	if (act == SLOT_FILL && v) {	/* in place: no map update on the hot path */
		v->cmd = cmd;
		__builtin_memcpy(v->ips, ips, sizeof(v->ips));
	} else if (act == SLOT_DELETE) {
		bpf_map_delete_elem(&refs, &k);
	} else if (act == SLOT_CREATE) {
		slot_insert(&k, tid, ips, cmd, now, 1);
	}
	return flags;
}

static __always_inline u32 ref_put(struct dev_state *s, u64 id, u32 pairing, u64 owner, u32 tid,
				   const u64 *ips, u64 now, u64 *age)
{
	struct ref_key k = { .dev_id = id, .owner = owner, .pairing = pairing };
	struct ref_val *v = bpf_map_lookup_elem(&refs, &k);
	int act;
	u32 flags = slot_put(v, pairing, owner, now, s->session_seen, age, &act);

	if (act == SLOT_DELETE) {
		bpf_map_delete_elem(&refs, &k);
	} else if (act == SLOT_CREATE) {
		slot_insert(&k, tid, ips, 0, now, -1);
	}
	return flags;
}

/*
 * A vfio get or put made through the PM core (resume_and_get, put) claims
 * the rpm get/put its task made just before (and its frames), and marks the
 * task as a vfio task. get_noresume and put_noidle claim nothing: they make
 * no rpm event, and a low-power exit's get_noresume may run in the resume
 * callback of someone else's get (a module's, a sysfs reader's), in that
 * task. Returns the task's record (NULL if the map is full) and, in
 * prev_event, its last event on the device.
 */
static __always_inline struct rpm_stash *task_claim(u32 tid, u64 id, u64 *ips, bool claims,
						     u64 now, u64 *prev_event)
{
	static const struct rpm_stash fresh;	/* not on the stack: on_ref's is full */
	struct rpm_stash *st = bpf_map_lookup_elem(&stash, &tid);

	*prev_event = 0;
	if (!st) {
		bpf_map_update_elem(&stash, &tid, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&stash, &tid);
		if (!st)
			return NULL;
	}
	if (st->ev_dev == id)
		*prev_event = st->last_event;
	st->ev_dev = id;
	st->last_event = now;
	if (!claims)
		return st;
	st->vfio_task = 1;
	if (st->pending && st->dev_id == id) {
		__builtin_memcpy(ips, st->ips, sizeof(st->ips));
		st->pending = 0;
	}
	return st;
}

static __always_inline u32 site_bytes(void)
{
	u32 n = site_frames;

	return (n > SITE_DEPTH ? SITE_DEPTH : n) * sizeof(u64);
}

/* One get or put: the pairing, the rules of vfiopm-rules.h and the event. */
static __always_inline int on_ref(void *ctx, struct device *dev, u8 type, bool get, u8 op,
				  u8 reason, u32 pairing, u32 cmd, int ret)
{
	u64 id = (u64)dev, now = bpf_ktime_get_ns(), age = 0, lat = 0, prev_event;
	u32 tid = (u32)bpf_get_current_pid_tgid(), flags = 0;
	struct dev_state *s = dev_get(dev, false);
	int usage = usage_of(dev), stack_id = -1;
	u64 ips[SITE_DEPTH] = {};
	u64 owner = pairing_owner(pairing, tid);
	struct rpm_stash *st;
	struct event *e;

	if (!s)
		return 0;
	/*
	 * Engagement follows the put_noidle / get_noresume, made under
	 * memory_lock; the ENTRY event comes after the lock is dropped and may
	 * follow another task's EXIT (docs/design.md, F3).
	 */
	if (pairing == PAIR_LOW_POWER)
		s->engaged = !get;
	/* get_noresume and put_noidle are inline: no rpm event, take the frames here */
	if (op == OP_GET_NORESUME || op == OP_PUT_NOIDLE) {
		bpf_get_stack(ctx, ips, site_bytes(), 0);
		st = task_claim(tid, id, ips, false, now, &prev_event);
	} else {
		st = task_claim(tid, id, ips, true, now, &prev_event);
		/* every reference names where it was taken (a vfio task's rpm get is not stashed) */
		if (get && ret == 0 && !ips[0])
			bpf_get_stack(ctx, ips, site_bytes(), 0);
	}
	flags |= task_held_check(st, s, id, pairing, get);

	if (get) {
		/* the get a resume already counted: its latency is the wake's */
		if (ret == 0 && model_get(s, op, tid) && s->ts_wake_req) {
			lat = now - s->ts_wake_req;
			hist_add(id, s->resumed_from == DSTATE_D3COLD ? H_RESUME_D3COLD : H_RESUME, lat);
			s->ts_wake_req = 0;
		}
		if (ret == 0)
			flags |= ref_get(id, pairing, owner, tid, ips, cmd, now, &age);
	} else {
		flags |= model_put(s, op, reason, ret, usage);
		/* a put the kernel refused still closes vfio's pairing: no second finding */
		flags |= ref_put(s, id, pairing, owner, tid, ips, now, &age) &
			 (flags & FL_UNDERFLOW ? ~FL_NO_GET : ~0u);
		if (reason == R_DISABLE)
			flags |= session_close_check(s, prev_event);
		if (usage == 0)
			s->ts_idle = now;
	}
	if (st && rule_per_task((int)pairing) && (!get || ret == 0))
		task_held_move(st, id, get, now);
	session_seen_by(s, get, reason, ret);
	model_sync(s, usage);
	if (flags & ~FL_INCONCLUSIVE) {
		s->flagged++;
		stack_id = bpf_get_stackid(ctx, &stacks, 0);
	}

	/* a quiet get still shows when it woke the device, a put when it let it idle */
	if (!flags && quiet_rw && (pairing == PAIR_REGION || pairing == PAIR_IOCTL) &&
	    !(get ? lat : usage == 0))
		return 0;
	if (!flags && !task_wanted())
		return 0;
	e = ev_open(s, dev, type, usage);
	if (!e)
		return 0;
	e->flags = flags;
	e->op = op;
	e->reason = reason;
	e->pairing = pairing;
	e->ret = ret;
	e->cmd = cmd;
	e->stack_id = stack_id;
	e->latency_ns = get ? lat : age;
	submit(e);
	return 0;
}

SEC("tp_btf/vfio_device_pm_get")
int BPF_PROG(vfio_device_pm_get, struct vfio_device *vd, unsigned int cmd, int ret)
{
	return on_ref(ctx, vd->dev, EV_DEVICE_PM_GET, true, OP_RESUME_AND_GET,
		      0xff, PAIR_IOCTL, cmd, ret);
}

SEC("tp_btf/vfio_device_pm_put")
int BPF_PROG(vfio_device_pm_put, struct vfio_device *vd, unsigned int cmd, int ret)
{
	return on_ref(ctx, vd->dev, EV_DEVICE_PM_PUT, false, OP_PUT,
		      0xff, PAIR_IOCTL, cmd, ret);
}

SEC("tp_btf/vfio_pci_pm_get")
int BPF_PROG(vfio_pci_pm_get, struct vfio_pci_core_device *vdev, int op, int reason, int ret)
{
	return on_ref(ctx, vdev_dev(vdev), EV_PCI_PM_GET, true, op, reason,
		      reason_pairing(reason), 0, ret);
}

SEC("tp_btf/vfio_pci_pm_put")
int BPF_PROG(vfio_pci_pm_put, struct vfio_pci_core_device *vdev, int op, int reason, int ret)
{
	return on_ref(ctx, vdev_dev(vdev), EV_PCI_PM_PUT, false, op, reason,
		      reason_pairing(reason), 0, ret);
}

static __always_inline struct event *state_event(struct device *dev, struct dev_state *s,
						 u8 type, u32 flags)
{
	if (!flags && !task_wanted() && type != EV_RUNTIME_SUSPEND && type != EV_RUNTIME_RESUME)
		return NULL;
	return ev_open(s, dev, type, usage_of(dev));
}

static __always_inline int read_dstate(struct vfio_pci_core_device *vdev)
{
	return BPF_CORE_READ(vdev, pdev, current_state);
}

static __always_inline void fill_pm(struct event *e, struct vfio_pci_core_device *vdev)
{
	e->engaged = BPF_CORE_READ(vdev, pm_runtime_engaged);
	e->wake_armed = !!BPF_CORE_READ(vdev, pm_wake_eventfd_ctx);
	e->intx_masked = BPF_CORE_READ(vdev, pm_intx_masked);
}

/*
 * vfio's suspend and resume callbacks: the count check, the D-state reached
 * and the event, still to be submitted (NULL when not shown or no room).
 */
static __always_inline struct event *pm_event(struct vfio_pci_core_device *vdev,
					      struct device *dev, struct dev_state *s, u8 type,
					      int usage, u64 lat)
{
	struct event *e;

	s->dstate = read_dstate(vdev);
	e = state_event(dev, s, type, 0);
	model_sync(s, usage);
	if (!e)
		return NULL;
	fill_pm(e, vdev);
	e->latency_ns = lat;
	return e;
}

static __always_inline void suspended(struct dev_state *s, u64 id, u64 now)
{
	s->suspends++;
	s->suspended = 1;
	s->ts_suspend = now;
	if (s->ts_idle) {
		hist_add(id, H_SUSPEND, now - s->ts_idle);
		s->ts_idle = 0;
	}
}

static __always_inline u64 resumed(struct dev_state *s, u64 id, u64 now)
{
	u64 res = 0;

	s->resumes++;
	s->resumed_from = s->dstate;
	if (s->suspended && s->ts_suspend) {
		res = now - s->ts_suspend;
		s->lowpower_ns += res;
		if (s->dstate == DSTATE_D3COLD)
			s->d3cold_ns += res;
		hist_add(id, s->dstate == DSTATE_D3COLD ? H_RESIDENCY_D3COLD : H_RESIDENCY, res);
	}
	s->suspended = 0;
	s->ts_suspend = 0;
	s->ts_resume = now;
	return res;
}

static __always_inline struct ref_val *session_ref(u64 id)
{
	struct ref_key k = { .dev_id = id, .owner = 0, .pairing = PAIR_SESSION };

	return bpf_map_lookup_elem(&refs, &k);
}

SEC("tp_btf/vfio_pci_runtime_suspend")
int BPF_PROG(vfio_pci_runtime_suspend, struct vfio_pci_core_device *vdev)
{
	struct device *dev = vdev_dev(vdev);
	struct dev_state *s = dev_get(dev, false);
	u64 now = bpf_ktime_get_ns(), lat = s && s->ts_idle ? now - s->ts_idle : 0;
	struct event *e;

	if (!s)
		return 0;
	suspended(s, (u64)dev, now);
	session_mark_at_suspend(s, session_ref((u64)dev), now);
	e = pm_event(vdev, dev, s, EV_RUNTIME_SUSPEND, usage_of(dev), lat);
	if (e)
		submit(e);
	return 0;
}

SEC("tp_btf/vfio_pci_runtime_resume")
int BPF_PROG(vfio_pci_runtime_resume, struct vfio_pci_core_device *vdev)
{
	struct device *dev = vdev_dev(vdev);
	struct dev_state *s = dev_get(dev, false);
	u32 tid = (u32)bpf_get_current_pid_tgid();
	int usage = usage_of(dev), from;
	u64 now = bpf_ktime_get_ns(), res;
	struct rpm_stash *st;
	struct event *e;

	if (!s)
		return 0;
	from = s->dstate;
	res = resumed(s, (u64)dev, now);
	if (model_resume(s, usage, tid)) {
		st = bpf_map_lookup_elem(&stash, &tid);
		s->ts_wake_req = st && st->dev_id == (u64)dev && now - st->ts < 1000000000ULL ?
				 st->ts : now;
	}
	e = pm_event(vdev, dev, s, EV_RUNTIME_RESUME, usage, res);
	if (!e)
		return 0;
	e->from = from;
	submit(e);
	return 0;
}

SEC("tp_btf/vfio_pci_low_power_entry")
int BPF_PROG(vfio_pci_low_power_entry, struct vfio_pci_core_device *vdev, bool with_wakeup,
	     int ret)
{
	struct device *dev = vdev_dev(vdev);
	struct dev_state *s = dev_get(dev, false);
	struct event *e;

	if (!s)
		return 0;
	if (ret == 0) {
		s->entries++;
		s->wake_armed = with_wakeup;
	}
	e = state_event(dev, s, EV_LOW_POWER_ENTRY, 0);
	if (!e)
		return 0;
	e->with_wakeup = with_wakeup;
	e->ret = ret;
	submit(e);
	return 0;
}

SEC("tp_btf/vfio_pci_low_power_exit")
int BPF_PROG(vfio_pci_low_power_exit, struct vfio_pci_core_device *vdev, int source)
{
	struct device *dev = vdev_dev(vdev);
	struct dev_state *s = dev_get(dev, false);
	u64 now = bpf_ktime_get_ns(), lat = 0;
	struct event *e;

	if (!s)
		return 0;
	s->exits++;
	s->engaged = 0;
	if (source == 1 && s->ts_resume) {
		lat = now - s->ts_resume;
		hist_add((u64)dev, H_WAKE_EXIT, lat);
	}
	e = state_event(dev, s, EV_LOW_POWER_EXIT, 0);
	s->wake_armed = 0;
	if (!e)
		return 0;
	e->source = source;
	e->wake_armed = !!BPF_CORE_READ(vdev, pm_wake_eventfd_ctx);
	e->latency_ns = lat;
	submit(e);
	return 0;
}

SEC("tp_btf/vfio_pci_wake_signal")
int BPF_PROG(vfio_pci_wake_signal, struct vfio_pci_core_device *vdev)
{
	struct device *dev = vdev_dev(vdev);
	struct dev_state *s = dev_get(dev, false);
	struct event *e;

	if (!s)
		return 0;
	s->wakes++;
	e = state_event(dev, s, EV_WAKE_SIGNAL, 0);
	if (e)
		submit(e);
	return 0;
}

SEC("tp_btf/vfio_pci_set_power_state")
int BPF_PROG(vfio_pci_set_power_state, struct vfio_pci_core_device *vdev, int from, int to,
	     int ret)
{
	struct device *dev = vdev_dev(vdev);
	struct dev_state *s = dev_get(dev, false);
	struct event *e;

	if (!s)
		return 0;
	if (ret == 0)
		s->dstate = to;
	e = state_event(dev, s, EV_SET_POWER_STATE, 0);
	if (!e)
		return 0;
	e->from = from;
	e->to = to;
	e->ret = ret;
	submit(e);
	return 0;
}

/*
 * Stock mode: the reason and owner of a reference are not visible, so gets
 * and puts pair per task. The stack is taken for a task's oldest unpaired get
 * only: a config-space read inside an open session costs a lookup.
 */
static __always_inline void task_ref(void *ctx, u64 id, u32 tid, bool get, u64 now)
{
	struct ref_key k = { .dev_id = id, .owner = tid, .pairing = PAIR_TASK };
	struct ref_val *v = bpf_map_lookup_elem(&refs, &k);
	u64 ips[SITE_DEPTH] = {};

	if (v) {
		v->count += get ? 1 : -1;
		if (get && v->count == 1) {
			v->ts = now;
			bpf_get_stack(ctx, v->ips, sizeof(v->ips), 0);
		}
		return;
	}
	if (get)
		bpf_get_stack(ctx, ips, sizeof(ips), 0);
	slot_insert(&k, tid, ips, 0, now, get ? 1 : -1);
}

/* A put made by pci_config_pm_runtime_put(): a sysfs config reader's, paired. */
static __always_inline bool from_config_put(const u64 *ips)
{
	if (!config_put_lo)
		return false;
	for (int i = 0; i < SITE_DEPTH; i++)
		if (ips[i] >= config_put_lo && ips[i] < config_put_hi)
			return true;
	return false;
}

/*
 * rpm:* with RPM_GET_PUT: a usage-count get (rpm_resume) or put (rpm_idle,
 * rpm_suspend, rpm_usage). In full mode the vfio event that follows in the
 * same task takes the stash (and its stack); what is left was done outside
 * vfio, and the loader reports it. In stock mode these are the events.
 */
static __always_inline int on_rpm(void *ctx, struct device *dev, int flags, bool get)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct rpm_stash st = {}, *old;
	struct dev_state *s;
	struct event *e;
	int usage;
	u64 now;

	if (!(flags & RPM_GET_PUT))
		return 0;
	if (!stock_mode) {
		old = bpf_map_lookup_elem(&stash, &tid);
		if (old && old->vfio_task) {
			/* vfio's own: its event follows; only a wake request's time is needed */
			if (get && dev->power.runtime_status >= RPM_SUSPENDED) {
				old->ts = bpf_ktime_get_ns();
				old->dev_id = (u64)dev;
			}
			return 0;
		}
		s = dev_get(dev, true);
		if (!s)
			return 0;
		/* a get and its put with no vfio event between: balanced, not vfio's */
		if (old && old->pending && !get && old->kind == STASH_GET &&
		    old->dev_id == (u64)dev) {
			old->pending = 0;
			return 0;
		}
		st.ts = bpf_ktime_get_ns();
		st.dev_id = (u64)dev;
		bpf_get_stack(ctx, st.ips, sizeof(st.ips), 0);
		if (!get && from_config_put(st.ips)) {
			s->config_puts++;
			return 0;
		}
		st.kind = get ? STASH_GET : STASH_PUT;
		st.pending = 1;
		st.resuming = get && dev->power.runtime_status >= RPM_SUSPENDED;
		bpf_get_current_comm(st.comm, sizeof(st.comm));
		bpf_map_update_elem(&stash, &tid, &st, BPF_ANY);
		return 0;
	}
	s = dev_get(dev, true);
	if (!s)
		return 0;
	usage = usage_of(dev);
	now = bpf_ktime_get_ns();
	if (get) {
		s->gets++;
		if (s->suspended)
			s->ts_wake_req = now;
	} else {
		s->puts++;
		if (usage == 0)
			s->ts_idle = now;
	}
	model_sync(s, usage);
	task_ref(ctx, (u64)dev, tid, get, now);
	if (!task_wanted() || (quiet_rw && usage > 0))
		return 0;
	e = ev_open(s, dev, get ? EV_RPM_GET : EV_RPM_PUT, usage);
	if (!e)
		return 0;
	e->pairing = PAIR_NONE;
	submit(e);
	return 0;
}

SEC("tp_btf/rpm_resume")
int BPF_PROG(rpm_resume, struct device *dev, int flags)
{
	return on_rpm(ctx, dev, flags, true);
}

SEC("tp_btf/rpm_idle")
int BPF_PROG(rpm_idle, struct device *dev, int flags)
{
	return on_rpm(ctx, dev, flags, false);
}

SEC("tp_btf/rpm_suspend")
int BPF_PROG(rpm_suspend, struct device *dev, int flags)
{
	return on_rpm(ctx, dev, flags, false);
}

SEC("tp_btf/rpm_usage")
int BPF_PROG(rpm_usage, struct device *dev, int flags)
{
	return on_rpm(ctx, dev, flags, false);
}

/*
 * The state a resume starts from, read before the PCI core powers the
 * device up. It can be deeper than the state the suspend reached: behind a
 * port with the power resources, the device suspends to D3hot, and the
 * port's later D3cold takes everything below it there.
 */
SEC("fentry/pci_pm_runtime_resume")
int BPF_PROG(pci_pm_runtime_resume_entry, struct device *dev)
{
	u64 id = (u64)dev;
	struct dev_state *s = bpf_map_lookup_elem(&devs, &id);
	struct pci_dev *pdev = container_of(dev, struct pci_dev, dev);
	int state;

	if (!s || !s->watched)
		return 0;
	state = BPF_CORE_READ(pdev, current_state);
	if (state == DSTATE_D3COLD && s->dstate != DSTATE_D3COLD) {
		s->d3cold_suspends++;
		s->dstate = state;
	}
	return 0;
}

/* Stock mode: the PCI core's runtime-PM callbacks give suspend/resume and D-state. */
SEC("fexit/pci_pm_runtime_suspend")
int BPF_PROG(pci_pm_runtime_suspend, struct device *dev, int ret)
{
	struct dev_state *s = dev_get(dev, true);
	struct pci_dev *pdev = container_of(dev, struct pci_dev, dev);
	u64 now = bpf_ktime_get_ns(), lat;
	struct event *e;

	if (!s || ret)
		return 0;
	lat = s->ts_idle ? now - s->ts_idle : 0;
	if (stock_mode)
		suspended(s, (u64)dev, now);
	else
		lat = now - s->ts_suspend;	/* D3 transition after vfio's callback */
	s->dstate = BPF_CORE_READ(pdev, current_state);
	if (s->dstate == DSTATE_D3COLD)
		s->d3cold_suspends++;
	if (!task_wanted() && !stock_mode)
		return 0;
	e = ev_open(s, dev, EV_RUNTIME_SUSPEND, usage_of(dev));
	if (!e)
		return 0;
	e->pairing = PAIR_NONE;
	e->latency_ns = lat;
	submit(e);
	return 0;
}

SEC("fexit/pci_pm_runtime_resume")
int BPF_PROG(pci_pm_runtime_resume, struct device *dev, int ret)
{
	struct dev_state *s = dev_get(dev, true);
	u64 now = bpf_ktime_get_ns(), res;
	struct event *e;

	if (!s || !stock_mode || ret)
		return 0;
	if (s->ts_wake_req) {
		hist_add((u64)dev, s->dstate == DSTATE_D3COLD ? H_RESUME_D3COLD : H_RESUME,
			 now - s->ts_wake_req);
		s->ts_wake_req = 0;
	}
	e = ev_open(s, dev, EV_RUNTIME_RESUME, usage_of(dev));
	if (!e)
		return 0;
	e->pairing = PAIR_NONE;
	e->from = s->dstate;	/* set when it suspended */
	res = resumed(s, (u64)dev, now);
	s->dstate = 0;
	e->dstate = 0;
	e->latency_ns = res;
	submit(e);
	return 0;
}

/* An extra pm_runtime_put() at count 0 returns -EINVAL before any rpm:* event. */
SEC("fexit/__pm_runtime_idle")
int BPF_PROG(pm_runtime_idle_exit, struct device *dev, int rpmflags, int ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct rpm_stash st = {}, *old;
	struct dev_state *s;
	struct event *e;

	if (ret != -BAL_EINVAL || !(rpmflags & RPM_GET_PUT))
		return 0;
	s = dev_get(dev, true);
	if (!s)
		return 0;
	if (!stock_mode) {
		/* vfio's own put reports its underflow; the loader reports the rest */
		old = bpf_map_lookup_elem(&stash, &tid);
		if (old && old->vfio_task)
			return 0;
		st.ts = bpf_ktime_get_ns();
		st.dev_id = (u64)dev;
		bpf_get_stack(ctx, st.ips, sizeof(st.ips), 0);
		st.kind = STASH_UNDERFLOW;
		st.pending = 1;
		bpf_get_current_comm(st.comm, sizeof(st.comm));
		bpf_map_update_elem(&stash, &tid, &st, BPF_ANY);
		return 0;
	}
	s->flagged++;
	e = ev_open(s, dev, EV_RPM_UNDERFLOW, usage_of(dev));
	if (!e)
		return 0;
	e->flags = FL_UNDERFLOW;
	e->pairing = PAIR_FOREIGN;
	e->ret = ret;
	e->stack_id = bpf_get_stackid(ctx, &stacks, 0);
	submit(e);
	return 0;
}

/*
 * Stock mode, where the vfio functions are in BTF and traceable: the
 * low-power feature ioctls, and resumes that will signal the wake eventfd.
 */
#define VFIO_DEVICE_FEATURE_MASK	0xffff
#define VFIO_DEVICE_FEATURE_SET		(1 << 17)

SEC("fexit/vfio_pci_core_ioctl_feature")
int BPF_PROG(vfio_pci_core_ioctl_feature, struct vfio_device *vd, u32 flags, void *arg,
	     unsigned long argsz, int ret)
{
	struct device *dev = vd->dev;
	u32 feature = flags & VFIO_DEVICE_FEATURE_MASK;
	struct dev_state *s;
	struct event *e;

	if (!(flags & VFIO_DEVICE_FEATURE_SET) || feature < 3 || feature > 5)
		return 0;
	s = dev_get(dev, true);
	if (!s)
		return 0;
	if (ret == 0 && feature != 5) {
		s->entries++;
		s->engaged = 1;
		s->wake_armed = feature == 4;
	} else if (ret == 0) {
		s->exits++;
		s->engaged = 0;
		s->wake_armed = 0;
	}
	if (!task_wanted())
		return 0;
	e = ev_open(s, dev, feature == 5 ? EV_FEATURE_EXIT : EV_FEATURE_ENTRY, usage_of(dev));
	if (!e)
		return 0;
	e->pairing = PAIR_NONE;
	e->with_wakeup = feature == 4;
	e->ret = ret;
	submit(e);
	return 0;
}

SEC("fentry/vfio_pci_core_runtime_resume")
int BPF_PROG(vfio_pci_core_runtime_resume, struct device *dev)
{
	struct vfio_pci_core_device *vdev = BPF_CORE_READ(dev, driver_data);
	struct dev_state *s = dev_get(dev, true);
	struct event *e;

	if (!s || !vdev || !BPF_CORE_READ(vdev, pm_wake_eventfd_ctx))
		return 0;
	/* the callback signals the eventfd and disengages: one wake */
	s->wakes++;
	s->exits++;
	s->engaged = 0;
	s->wake_armed = 0;
	e = ev_open(s, dev, EV_ARMED_RESUME, usage_of(dev));
	if (!e)
		return 0;
	e->pairing = PAIR_NONE;
	e->wake_armed = 1;
	submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
