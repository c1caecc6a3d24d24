// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Names and the two output formats of vfiopm-trace: live lines and JSON. */
#include <stdarg.h>
#include <string.h>

#include "tool.h"
#include "vfiopm-rec.h"

/* Stock mode reports suspend/resume from the PCI core, not vfio's tracepoints. */
#define STOCK_SUSPEND VFR_STOCK_SUSPEND
#define STOCK_RESUME VFR_STOCK_RESUME

/* the names of the event contract (vfiopm-contract.h) */
#define VALUE_NAME(value, name, id) [value] = name,
#define REASON_NAME(value, name, id, pairing) [value] = name,
#define PAIRING_NAME(suffix, name) [PAIR_##suffix] = name,
static const char *const op_names[] = { VFIOPM_OPS(VALUE_NAME) };
static const char *const reason_names[] = { VFIOPM_REASONS(REASON_NAME) };
static const char *const pairing_names[PAIR_MAX] = { VFIOPM_PAIRINGS(PAIRING_NAME) };
static const char *const source_names[] = { VFIOPM_EXIT_SOURCES(VALUE_NAME) };
static const char *const dstate_names[] = { VFIOPM_DSTATES(VALUE_NAME) };
static const char *const hist_names[H_MAX] = {
	"resume latency", "suspend latency", "D3hot residency", "wake to exit", "D3cold residency",
	"D3cold resume latency",
};
static const char *const flag_names[] = {
	"underflow", "put-without-get", "held-at-suspend", "entry-at-close",
	"outside-vfio", "double-get", "get-before-trace",
};

#define NAME(tab, i) ((i) >= 0 && (size_t)(i) < sizeof(tab) / sizeof(tab[0]) && tab[i] ? tab[i] : "?")

/* the record format names the event types once (../lib/vfiopm-rec.h) */
const char *ev_name(int type) { return NAME(vfr_ev_names, type); }
const char *op_name(int op) { return NAME(op_names, op); }
const char *reason_name(int reason) { return NAME(reason_names, reason); }
const char *pairing_name(int pairing) { return NAME(pairing_names, pairing); }
const char *source_name(int source) { return NAME(source_names, source); }
const char *hist_name(int kind) { return NAME(hist_names, kind); }

const char *dstate_name(int state)
{
	if (state == -1)
		return "error";
	return NAME(dstate_names, state);
}

const char *flag_kind(__u32 flags)
{
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if ((flags & (1u << i)) && (1u << i) != FL_INCONCLUSIVE)
			return flag_names[i];
	return "other";
}

void flags_str(__u32 flags, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & (1u << i)) || len + 1 >= n)
			continue;
		len += snprintf(buf + len, n - len, "%s%s", len ? "," : "", flag_names[i]);
	}
}

struct sbuf {
	char *p;
	size_t n, len;
};

__attribute__((format(printf, 2, 3)))
static void sb(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (b->len >= b->n)
		return;
	va_start(ap, fmt);
	r = vsnprintf(b->p + b->len, b->n - b->len, fmt, ap);
	va_end(ap);
	if (r > 0)
		b->len += (size_t)r;
}

/* A JSON string: kernel names are ASCII, but escape anyway. */
static void sb_str(struct sbuf *b, const char *s)
{
	if (b->len < b->n)
		b->len += json_escape(b->p + b->len, b->n - b->len, s);
}

static bool is_stock_state(const struct event *e)
{
	return (e->type == EV_RUNTIME_SUSPEND || e->type == EV_RUNTIME_RESUME) &&
	       e->pairing == PAIR_NONE;
}

static const char *event_name(const struct event *e)
{
	if (is_stock_state(e))
		return e->type == EV_RUNTIME_SUSPEND ? STOCK_SUSPEND : STOCK_RESUME;
	return ev_name(e->type);
}

#define B(x) ((x) ? "true" : "false")

int format_json(const struct event *e, const char *site, char *buf, size_t n)
{
	struct sbuf b = { buf, n, 0 };
	char fl[128];

	sb(&b, "{\"type\":\"event\",\"ts\":%llu,\"cpu\":%d,\"pid\":%d,\"comm\":",
	   (unsigned long long)e->ts, e->cpu, e->pid);
	sb_str(&b, e->comm);
	sb(&b, ",\"event\":\"%s\",\"dev\":", event_name(e));
	sb_str(&b, e->dev);
	sb(&b, ",\"usage_count\":%d", e->usage_count);
	switch (e->type) {
	case EV_DEVICE_PM_GET:
	case EV_DEVICE_PM_PUT:
		sb(&b, ",\"cmd\":%u,\"ret\":%d", e->cmd, e->ret);
		break;
	case EV_PCI_PM_GET:
	case EV_PCI_PM_PUT:
		sb(&b, ",\"op\":\"%s\",\"reason\":\"%s\",\"ret\":%d", op_name(e->op),
		   reason_name(e->reason), e->ret);
		break;
	case EV_RUNTIME_SUSPEND:
	case EV_RUNTIME_RESUME:
		if (!is_stock_state(e))
			sb(&b, ",\"engaged\":%s,\"wake_armed\":%s,\"intx_masked\":%s",
			   B(e->engaged), B(e->wake_armed), B(e->intx_masked));
		if (e->type == EV_RUNTIME_RESUME && e->from >= 0 && e->from <= 5)
			sb(&b, ",\"resumed_from\":\"%s\"", dstate_name(e->from));
		break;
	case EV_LOW_POWER_ENTRY:
		sb(&b, ",\"with_wakeup\":%s,\"ret\":%d", B(e->with_wakeup), e->ret);
		break;
	case EV_LOW_POWER_EXIT:
		sb(&b, ",\"source\":\"%s\",\"wake_armed\":%s", source_name(e->source),
		   B(e->wake_armed));
		break;
	case EV_SET_POWER_STATE:
		sb(&b, ",\"from\":\"%s\",\"to\":\"%s\",\"ret\":%d", dstate_name(e->from),
		   dstate_name(e->to), e->ret);
		break;
	case EV_RPM_UNDERFLOW:
	case EV_FEATURE_EXIT:
		sb(&b, ",\"ret\":%d", e->ret);
		break;
	case EV_FEATURE_ENTRY:
		sb(&b, ",\"with_wakeup\":%s,\"ret\":%d", B(e->with_wakeup), e->ret);
		break;
	}
	/* derived keys (docs/json.md "vfiopm-trace records") */
	if (e->dstate >= 0 && e->dstate <= 5)
		sb(&b, ",\"dstate\":\"%s\"", dstate_name(e->dstate));
	if (e->type <= EV_PCI_PM_PUT || e->type >= EV_RPM_GET)
		sb(&b, ",\"pairing\":\"%s\"", pairing_name(e->pairing));
	if (e->latency_ns)
		sb(&b, ",\"latency_ns\":%llu", (unsigned long long)e->latency_ns);
	if (site) {
		sb(&b, ",\"site\":");
		sb_str(&b, site);
	}
	if (e->flags) {
		flags_str(e->flags, fl, sizeof(fl));
		sb(&b, ",\"flags\":\"%s\"", fl);
		if (e->stack_id >= 0)
			sb(&b, ",\"stack_id\":%d", e->stack_id);
	}
	sb(&b, "}");
	return b.len < n ? (int)b.len : -1;
}

/* The short detail column of the live view. */
static void live_detail(struct sbuf *b, const struct event *e)
{
	switch (e->type) {
	case EV_DEVICE_PM_GET:
	case EV_DEVICE_PM_PUT:
		sb(b, "ioctl 0x%x ret=%d", e->cmd, e->ret);
		break;
	case EV_PCI_PM_GET:
	case EV_PCI_PM_PUT:
		sb(b, "%s %s ret=%d", op_name(e->op), reason_name(e->reason), e->ret);
		break;
	case EV_RUNTIME_SUSPEND:
	case EV_RUNTIME_RESUME:
		if (!is_stock_state(e))
			sb(b, "engaged=%d wake_armed=%d", e->engaged, e->wake_armed);
		if (e->type == EV_RUNTIME_RESUME && e->from >= 0 && e->from <= 5)
			sb(b, "%sfrom %s", is_stock_state(e) ? "" : " ", dstate_name(e->from));
		break;
	case EV_LOW_POWER_ENTRY:
		sb(b, "%s ret=%d", e->with_wakeup ? "with_wakeup" : "plain", e->ret);
		break;
	case EV_LOW_POWER_EXIT:
		sb(b, "source=%s", source_name(e->source));
		break;
	case EV_SET_POWER_STATE:
		sb(b, "%s->%s ret=%d", dstate_name(e->from), dstate_name(e->to), e->ret);
		break;
	case EV_RPM_UNDERFLOW:
	case EV_FEATURE_EXIT:
		sb(b, "ret=%d", e->ret);
		break;
	case EV_FEATURE_ENTRY:
		sb(b, "%s ret=%d", e->with_wakeup ? "with_wakeup" : "plain", e->ret);
		break;
	case EV_ARMED_RESUME:
		sb(b, "wake eventfd armed: signalled, low power disengaged");
		break;
	}
}

int format_live(const struct event *e, const char *site, __u64 t0, char *buf, size_t n)
{
	struct sbuf b = { buf, n, 0 };
	const char *name = event_name(e);
	double t = e->ts >= t0 ? (double)(e->ts - t0) / 1e9 : 0;
	char fl[128];

	if (!strncmp(name, "vfio_", 5))
		name += 5;
	sb(&b, "%-10.6f %-12s %-22s %-6s %3d ", t, e->dev, name,
	   e->dstate >= 0 && e->dstate <= 5 ? dstate_name(e->dstate) : "-", e->usage_count);
	if (e->latency_ns)
		sb(&b, "%9.1f ", (double)e->latency_ns / 1000.0);
	else
		sb(&b, "%9s ", "-");
	sb(&b, "%-15s %-7d ", e->comm, e->pid);
	live_detail(&b, e);
	while (b.len > 0 && b.len < n && buf[b.len - 1] == ' ')	/* no detail: no padding */
		buf[--b.len] = 0;
	if (e->flags) {
		flags_str(e->flags, fl, sizeof(fl));
		sb(&b, "  !! %s [%s]", fl, pairing_name(e->pairing));
		if (site)
			sb(&b, " at %s", site);
	}
	return b.len < n ? (int)b.len : -1;
}
