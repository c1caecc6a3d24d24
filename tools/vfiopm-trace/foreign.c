// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * References taken and dropped outside vfio (docs/design.md, "Balance rules",
 * foreign references). A get and its put by the same task are information;
 * a get is a finding once held longer than RULE_FOREIGN_HOLD_NS or at exit;
 * a put with no get seen is a finding only once the device shows the harm of
 * a dropped reference (an underflow, or a reference held at a suspend),
 * since in a correct kernel an invisible get_noresume can precede it.
 */
#include <string.h>
#include <bpf/bpf.h>

#include "report.h"
#include "vfiopm-rules.h"

#define MAX_FOREIGN 256

struct foreign {
	char dev[DEV_NAME_LEN];
	__u32 tid;
	int kind;		/* STASH_GET: held; STASH_PUT: unpaired put */
	bool flagged;
	struct rpm_stash st;
};

static struct foreign refs[MAX_FOREIGN];
static int nrefs;

static void print_foreign(const struct foreign *f, const char *flag, const char *why)
{
	char sitebuf[160];
	const char *site = site_of_ips(f->st.ips, SITE_DEPTH, sitebuf, sizeof(sitebuf));
	const char *dir = f->kind == STASH_GET ? "get" : "put";
	double t = f->st.ts >= t0 ? (double)(f->st.ts - t0) / 1e9 : 0.0;
	struct out o;

	if (!out_begin(&o, flag ? VFR_C_FLAG : VFR_C_DETAIL))
		return;
	if (o.j) {
		fprintf(o.j, "{\"type\":\"%s\",\"ts\":%llu,", flag ? "flag" : "foreign",
			(unsigned long long)f->st.ts);
		if (flag)
			fprintf(o.j, "\"flag\":\"%s\",", flag);
		fprintf(o.j, "\"dev\":");
		json_str(o.j, f->dev);
		fprintf(o.j, ",\"pairing\":\"foreign\",\"direction\":\"%s\",\"why\":", dir);
		json_str(o.j, why);
		fprintf(o.j, ",\"pid\":%u,\"comm\":", f->tid);
		json_str(o.j, f->st.comm);
		fprintf(o.j, ",\"site\":");
		json_str(o.j, site ? site : "?");
		if (flag)
			json_stack_ips(o.j, f->st.ips, SITE_DEPTH);
		fprintf(o.j, "}\n");
	}
	if (o.h) {
		fprintf(o.h, "%-10.6f %-12s %-22s %s %s outside vfio by %s/%u at %s: %s\n", t, f->dev,
			f->kind == STASH_GET ? "rpm_get" : "rpm_put", flag ? "!! outside-vfio" : "  ",
			dir, f->st.comm, f->tid, site ? site : "?", why);
		if (flag && env.stacks)
			print_stack_ips(o.h, f->st.ips, SITE_DEPTH, "        ");
	}
	out_end(&o, flag ? VFR_C_FLAG : VFR_C_DETAIL);
}

static void flag(struct foreign *f, const char *why)
{
	struct dev_user *du = dev_user(f->dev);

	if (f->flagged)
		return;
	f->flagged = true;
	flag_count(du, "outside-vfio");
	print_foreign(f, "outside-vfio", why);
}

static void drop(int i)
{
	refs[i] = refs[--nrefs];
}

static struct foreign *add(const char *dev, __u32 tid, const struct rpm_stash *st)
{
	struct foreign *f;

	if (nrefs == MAX_FOREIGN)	/* oldest info goes first: keep the findings */
		drop(0);
	f = &refs[nrefs++];
	memset(f, 0, sizeof(*f));
	snprintf(f->dev, sizeof(f->dev), "%s", dev);
	f->tid = tid;
	f->kind = st->kind;
	f->st = *st;
	return f;
}

static void underflow(__u32 tid, const struct rpm_stash *st, const char *dev)
{
	struct foreign f = { .tid = tid, .kind = STASH_PUT, .st = *st };
	struct dev_user *du = dev_user(dev);

	snprintf(f.dev, sizeof(f.dev), "%s", dev);
	flag_count(du, "underflow");
	print_foreign(&f, "underflow", "put at count 0, refused by the kernel (-EINVAL)");
	foreign_count_finding(dev);
}

/* An rpm get or put that no vfio event claimed. */
void foreign_seen(__u32 tid, const struct rpm_stash *st)
{
	char dev[DEV_NAME_LEN];
	struct dev_user *du;
	struct foreign *f;

	dev_name_of(st->dev_id, dev);
	du = dev_user(dev);
	if (st->kind == STASH_UNDERFLOW) {
		underflow(tid, st, dev);
		return;
	}
	if (st->kind == STASH_GET) {
		du->foreign_gets++;
		print_foreign(add(dev, tid, st), NULL, "taken");
		return;
	}
	du->foreign_puts++;
	for (int i = 0; i < nrefs; i++) {
		if (refs[i].kind != STASH_GET || refs[i].tid != tid || strcmp(refs[i].dev, dev))
			continue;
		f = &refs[i];
		print_foreign(f, NULL, "released");
		drop(i);
		return;
	}
	f = add(dev, tid, st);
	if (du->count_finding)
		flag(f, "put with no get seen, on a device whose count went wrong");
	else
		print_foreign(f, NULL, "put with no get seen (a get_noresume is invisible)");
}

/*
 * Whether the vfio event of f's task claimed it after all, later than the
 * scan expected (a resume slower than the wait): then it was vfio's.
 */
static bool claimed_late(const struct foreign *f)
{
	struct rpm_stash st;

	return !bpf_map_lookup_elem(fds.stash, &f->tid, &st) && st.ts == f->st.ts && !st.pending;
}

/* Gets held too long, or at exit, are findings. */
void foreign_age_check(__u64 now, bool final)
{
	for (int i = 0; i < nrefs; i++) {
		struct foreign *f = &refs[i];

		if (f->kind != STASH_GET || f->flagged)
			continue;
		if (claimed_late(f)) {
			dev_user(f->dev)->foreign_gets--;
			drop(i--);
			continue;
		}
		if (final)
			flag(f, "still held at exit");
		else if (now - f->st.ts > RULE_FOREIGN_HOLD_NS)
			flag(f, "held longer than 1 s");
	}
}

/* The device's count went wrong: unpaired puts outside vfio are the suspects. */
void foreign_count_finding(const char *dev)
{
	dev_user(dev)->count_finding = true;
	for (int i = 0; i < nrefs; i++)
		if (refs[i].kind == STASH_PUT && !strcmp(refs[i].dev, dev))
			flag(&refs[i], "put with no get seen, on a device whose count went wrong");
}

int foreign_held(const char *dev)
{
	int n = 0;

	for (int i = 0; i < nrefs; i++)
		n += refs[i].kind == STASH_GET && !strcmp(refs[i].dev, dev);
	return n;
}
