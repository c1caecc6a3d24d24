// SPDX-License-Identifier: GPL-2.0
/* Event names, enums and the "key=value" payload shared by all text formats. */
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "parse.h"
#include "vfiopm-contract.h"

const char *const ev_names[EV__N] = {
	[EV_NONE] = "none",
	[EV_DEV_GET] = "vfio_device_pm_get",
	[EV_DEV_PUT] = "vfio_device_pm_put",
	[EV_PCI_GET] = "vfio_pci_pm_get",
	[EV_PCI_PUT] = "vfio_pci_pm_put",
	[EV_RT_SUSPEND] = "vfio_pci_runtime_suspend",
	[EV_RT_RESUME] = "vfio_pci_runtime_resume",
	[EV_LP_ENTRY] = "vfio_pci_low_power_entry",
	[EV_LP_EXIT] = "vfio_pci_low_power_exit",
	[EV_WAKE] = "vfio_pci_wake_signal",
	[EV_SET_POWER] = "vfio_pci_set_power_state",
};
static const unsigned char ev_name_len[EV__N] = {
	4, 18, 18, 15, 15, 24, 23, 24, 23, 20, 24
};
/* the names of the event contract (vfiopm-contract.h) */
#define VALUE_NAME(value, name, id) [value] = name,
#define REASON_NAME(value, name, id, pairing) [value] = name,
const char *const op_names[OP__N] = { VFIOPM_OPS(VALUE_NAME) };
const char *const reason_names[R__N] = { VFIOPM_REASONS(REASON_NAME) };
const char *const source_names[SRC__N] = { VFIOPM_EXIT_SOURCES(VALUE_NAME) };
static const char *const dstate_names[] = { VFIOPM_DSTATES(VALUE_NAME) };


void event_init(struct event *ev)
{
	/* field by field: this runs once per line */
	ev->ts = ev->seq = 0;
	ev->line = 0;
	ev->comm[0] = ev->dev[0] = 0;
	ev->type = EV_NONE;
	ev->cmd = 0;
	ev->engaged = ev->wake_armed = ev->intx_masked = 0;
	ev->usage_count = ev->op = ev->reason = ev->ret = -1000000;
	ev->source = ev->with_wakeup = ev->from = ev->to = -1000000;
	ev->cpu = ev->pid = -1;
}

int is_vfio_name(const char *s, size_t n)
{
	return n >= 4 && !memcmp(s, "vfio", 4);
}

enum ev_type ev_type_from_name(const char *s, size_t n)
{
	const char *c = memchr(s, ':', n);

	if (c) {	/* "system:event" (perf) */
		n -= (size_t)(c + 1 - s);
		s = c + 1;
	}
	return ev_type_bare(s, n);
}

enum ev_type ev_type_bare(const char *s, size_t n)
{
	if (n < 15 || memcmp(s, "vfio_", 5))
		return EV_NONE;
	/* the four of almost every line first, by their fixed lengths */
	if (n == 15 && !memcmp(s + 5, "pci_pm_", 7)) {
		if (!memcmp(s + 12, "get", 3))
			return EV_PCI_GET;
		if (!memcmp(s + 12, "put", 3))
			return EV_PCI_PUT;
		return EV_NONE;
	}
	if (n == 18 && !memcmp(s + 5, "device_pm_", 10)) {
		if (!memcmp(s + 15, "get", 3))
			return EV_DEV_GET;
		if (!memcmp(s + 15, "put", 3))
			return EV_DEV_PUT;
		return EV_NONE;
	}
	for (int t = EV_RT_SUSPEND; t < EV__N; t++)
		if (ev_name_len[t] == n && !memcmp(ev_names[t], s, n))
			return (enum ev_type)t;
	return EV_NONE;
}

static int parse_int(const char *s, size_t n, long long *out)
{
	int neg = 0, base = 10;
	long long v = 0;
	size_t i = 0;

	if (n == 1 && s[0] >= '0' && s[0] <= '9') {	/* most values are one digit */
		*out = s[0] - '0';
		return 0;
	}
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	if (i == n || n - i > (base == 16 ? 15 : 18))	/* no signed overflow */
		return -1;
	for (; i < n; i++) {
		int d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * base + d;
	}
	*out = neg ? -v : v;
	return 0;
}

int enum_from_name(const char *const *names, int count, const char *s, size_t n)
{
	long long v;

	for (int i = 0; i < count; i++)
		if ((!n || names[i][0] == s[0]) && strlen(names[i]) == n && !memcmp(names[i], s, n))
			return i;
	if (!parse_int(s, n, &v) && v >= 0 && v < count)
		return (int)v;
	return -1;
}

static int set_int(int *dst, const char *v, size_t n, long long lo, long long hi)
{
	long long x;

	if (parse_int(v, n, &x) || x < lo || x > hi)
		return -1;
	*dst = (int)x;
	return 0;
}

static int set_bool(int *dst, const char *v, size_t n)
{
	if ((n == 4 && !memcmp(v, "true", 4)) || (n == 5 && !memcmp(v, "false", 5))) {
		*dst = n == 4;
		return 0;
	}
	return set_int(dst, v, n, 0, 1);
}

static int set_dstate(int *dst, const char *v, size_t n)
{
	int i = enum_from_name(dstate_names, 6, v, n);

	if (i >= 0) {
		*dst = i;
		return 0;
	}
	if (n == 5 && !memcmp(v, "error", 5)) {
		*dst = -1;
		return 0;
	}
	return set_int(dst, v, n, -1, 5);
}

static int set_dev(struct event *ev, const char *v, size_t vn)
{
	if (vn == 0 || vn >= DEV_LEN)
		return -1;
	memcpy(ev->dev, v, vn);
	ev->dev[vn] = 0;
	return 0;
}

static int set_cmd(struct event *ev, const char *v, size_t vn)
{
	long long x;

	if (parse_int(v, vn, &x) || x < 0 || x > 0xffffffffLL)
		return -1;
	ev->cmd = (unsigned int)x;
	return 0;
}

static int set_enum(int *dst, const char *const *names, int count, const char *v, size_t vn)
{
	return (*dst = enum_from_name(names, count, v, vn)) < 0 ? -1 : 0;
}

#define KEY(k) (kn == sizeof(k) - 1 && !memcmp(key, k, sizeof(k) - 1))

/* One key=value; unknown keys are accepted (the contract may grow). */
int event_set_field(struct event *ev, const char *key, size_t kn, const char *v, size_t vn)
{
	switch (kn ? key[0] : 0) {	/* once per field of every event: no string compare chain */
	case 'u':
		if (KEY("usage_count"))
			return set_int(&ev->usage_count, v, vn, INT32_MIN, INT32_MAX);
		break;
	case 'r':
		if (KEY("ret"))
			return set_int(&ev->ret, v, vn, INT32_MIN, INT32_MAX);
		if (KEY("reason"))
			return set_enum(&ev->reason, reason_names, R__N, v, vn);
		if (KEY("resumed_from"))	/* vfiopm-trace JSON: the state a resume left */
			return set_dstate(&ev->from, v, vn);
		break;
	case 'c':
		if (KEY("cmd"))
			return set_cmd(ev, v, vn);
		break;
	case 'o':
		if (KEY("op"))
			return set_enum(&ev->op, op_names, OP__N, v, vn);
		break;
	case 's':
		if (KEY("source"))
			return set_enum(&ev->source, source_names, SRC__N, v, vn);
		break;
	case 'w':
		if (KEY("with_wakeup"))
			return set_bool(&ev->with_wakeup, v, vn);
		if (KEY("wake_armed"))
			return set_bool(&ev->wake_armed, v, vn);
		break;
	case 'e':
		if (KEY("engaged"))
			return set_bool(&ev->engaged, v, vn);
		break;
	case 'i':
		if (KEY("intx_masked"))
			return set_bool(&ev->intx_masked, v, vn);
		break;
	case 'f':
		if (KEY("from"))
			return set_dstate(&ev->from, v, vn);
		break;
	case 't':
		if (KEY("to"))
			return set_dstate(&ev->to, v, vn);
		break;
	case 'd':
		if (KEY("dev"))
			return set_dev(ev, v, vn);
		break;
	}
	return 0;
}

const char *parse_payload(struct event *ev, const char *s, size_t n)
{
	const char *end = s + n, *p = s, *tok;

	while (p < end && *p == ' ')
		p++;
	tok = p;
	while (p < end && *p != ' ')
		p++;
	if (p == tok || memchr(tok, '=', (size_t)(p - tok)))
		return "no device name";
	if (set_dev(ev, tok, (size_t)(p - tok)))
		return "bad device name";
	while (p < end) {
		const char *k, *eq;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		k = p;
		while (p < end && *p != ' ')
			p++;
		eq = memchr(k, '=', (size_t)(p - k));
		if (!eq)
			return "field without '='";
		if (event_set_field(ev, k, (size_t)(eq - k), eq + 1, (size_t)(p - eq - 1)))
			return "bad field value";
	}
	return event_validate(ev);
}

const char *event_validate(const struct event *ev)
{
	if (!ev->dev[0])
		return "missing dev";
	if (ev->usage_count == -1000000)
		return "missing usage_count";
	switch (ev->type) {
	case EV_DEV_GET:
	case EV_DEV_PUT:
		if (ev->ret == -1000000)
			return "missing ret";
		break;
	case EV_PCI_GET:
	case EV_PCI_PUT:
		if (ev->op < 0)
			return "missing op";
		if (ev->reason < 0)
			return "missing reason";
		if (ev->ret == -1000000)
			return "missing ret";
		if ((ev->type == EV_PCI_GET) != (ev->op == OP_RESUME_AND_GET || ev->op == OP_GET_NORESUME))
			return "op does not match event";
		break;
	case EV_LP_EXIT:
		if (ev->source < 0)
			return "missing source";
		break;
	case EV_LP_ENTRY:
		if (ev->ret == -1000000)
			return "missing ret";
		break;
	default:
		break;
	}
	return NULL;
}

int valid_bdf(const char *s)
{
	static const char pat[] = "xxxx:xx:xx.o";

	if (strlen(s) != sizeof(pat) - 1)
		return 0;
	for (size_t i = 0; pat[i]; i++) {
		char c = s[i];

		if (pat[i] == 'x' && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
		if (pat[i] == 'o' && !(c >= '0' && c <= '7'))
			return 0;
		if ((pat[i] == ':' || pat[i] == '.') && c != pat[i])
			return 0;
	}
	return 1;
}

/* The 6 digits of s[n-6..n) (n >= 8), or -1: for the microseconds of ftrace's "sec.usec". */
static long long usec_digits(const char *s, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* all six at once: bytes 2..7 of the 8 that end s, each '0'..'9' */
	const uint64_t keep = 0xffffffffffff0000ULL, hi = 0xf0f0f0f0f0f0f0f0ULL & keep;
	const uint64_t zeros = 0x3030303030303030ULL & keep, sixes = 0x0606060606060606ULL & keep;
	uint64_t w;

	memcpy(&w, s + n - 8, 8);
	if ((w & hi) != zeros || ((w + sixes) & hi) != zeros)
		return -1;
	w = (w & 0x0f0f0f0f0f0f0f0fULL & keep) * 2561 >> 8;
	w = (w & 0x00ff00ff00ff00ffULL) * 6553601 >> 16;
	return (long long)((w & 0x0000ffff0000ffffULL) * 42949672960001ULL >> 32);
#else
	long long v = 0;

	for (size_t i = n - 6; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
#endif
}

/* "sec.usec" as ftrace prints it, sec of 1 to 10 digits; -1 if it is not that shape. */
static int parse_ts_usec(const char *s, size_t n, uint64_t *ns)
{
	uint64_t sec = 0;
	size_t d = n - 7;
	long long usec;

	if (n < 8 || n > 17 || s[d] != '.')
		return -1;
	for (size_t i = 0; i < d; i++) {
		unsigned c = (unsigned char)s[i] - '0';

		if (c > 9)
			return -1;
		sec = sec * 10 + c;
	}
	usec = usec_digits(s, n);
	if (usec < 0)
		return -1;
	*ns = sec * 1000000000ULL + (uint64_t)usec * 1000;
	return 0;
}

int parse_ts(const char *s, size_t n, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0;
	size_t i = 0, d = 0;

	if (!parse_ts_usec(s, n, ns))
		return 0;

	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (++d > 19)
			return -1;
		sec = sec * 10 + (uint64_t)(s[i++] - '0');
	}
	if (!d)
		return -1;
	if (i == n) {	/* an integer: nanoseconds */
		*ns = sec;
		return 0;
	}
	if (d > 10)	/* seconds * 1e9 must fit in 64 bits */
		return -1;
	if (s[i++] != '.')
		return -1;
	d = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (d < 9)
			frac = frac * 10 + (uint64_t)(s[i] - '0');
		d++;
		i++;
	}
	if (!d || i != n)
		return -1;
	for (; d < 9; d++)
		frac *= 10;
	*ns = sec * 1000000000ULL + frac;
	return 0;
}

void fmt_ts(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%llu.%06llu", (unsigned long long)(ns / 1000000000ULL),
		 (unsigned long long)(ns % 1000000000ULL / 1000));
}
