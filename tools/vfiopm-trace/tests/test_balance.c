// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests: the balance rules the BPF programs run (bpf/vfiopm-balance.h),
 * driven through sequences of gets, puts and resumes like the kernel's. The
 * outstanding-reference map is a small table here, updated the way
 * ref_get()/ref_put() in bpf/vfiopm-trace.bpf.c update the BPF map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "tool.h"
#include "vfiopm-balance.h"

#define SIM_FULL() fail_msg("simulator table full")
#include "sim.h"

#define MS 1000000ULL

static void sim_init(struct sim *m, int usage, int model)
{
	sim_start(m, 1000 * MS, model);
	m->usage = usage;
}

/* One get or put, 1 ms after the last, the real count moved as the kernel would. */
static __u32 ref(struct sim *m, bool get, int op, int reason, __u32 tid, int ret)
{
	if (get && ret == 0)
		m->usage++;
	else if (!get && ret == 0 && m->usage > 0)
		m->usage--;
	return sim_ref(m, m->now + MS, get, op, reason, tid, ret, m->usage);
}

static void suspend(struct sim *m)
{
	sim_suspend(m, m->now + MS);
}

static __u32 get(struct sim *m, int op, int reason, __u32 tid)
{
	return ref(m, true, op, reason, tid, 0);
}

static __u32 put(struct sim *m, int op, int reason, __u32 tid)
{
	return ref(m, false, op, reason, tid, 0);
}

#define IOCTL (-1)

static void test_pairings(void **state)
{
	(void)state;
	assert_int_equal(reason_pairing(0), PAIR_REGION);
	assert_int_equal(reason_pairing(2), PAIR_SESSION);
	assert_int_equal(reason_pairing(3), PAIR_LOW_POWER);
	assert_int_equal(reason_pairing(4), PAIR_LOW_POWER);
	assert_int_equal(reason_pairing(6), PAIR_BINDING);
	assert_int_equal(reason_pairing(8), PAIR_RESET);
	assert_int_equal(reason_pairing(42), PAIR_NONE);
	assert_int_equal(pairing_owner(PAIR_REGION, 7), 7);
	assert_int_equal(pairing_owner(PAIR_IOCTL, 7), 7);
	assert_int_equal(pairing_owner(PAIR_SESSION, 7), 0);
}

/* open, ioctls and reads, low power entry and exit, close: nothing flagged */
static void test_balanced_session(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 0, 0);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_ENABLE, 10), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 10), 0);
		assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 11), 0);
		assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 11), 0);
		assert_int_equal(put(&m, OP_PUT, IOCTL, 10), 0);
	}
	assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 10), 0);
	assert_int_equal(put(&m, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 10), 0);
	m.s.engaged = 1;
	assert_int_equal(put(&m, OP_PUT, IOCTL, 10), 0);
	assert_int_equal(m.usage, 0);
	assert_int_equal(sim_outstanding(&m, false), 2);	/* the open session, the engagement */
	assert_int_equal(get(&m, OP_GET_NORESUME, R_LOW_POWER_EXIT, 10), 0);
	m.s.engaged = 0;
	assert_int_equal(put(&m, OP_PUT, R_DISABLE, 10), 0);
	assert_int_equal(m.s.model, 0);
	assert_int_equal(m.s.gets, 9);
	assert_int_equal(m.s.puts, 9);
	assert_int_equal(sim_outstanding(&m, false), 0);
}

/* A region reference never dropped stays outstanding; the next get by that owner is a double get. */
static void test_leak_and_double_get(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 1, 1);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 11), 0);
	assert_int_equal(sim_outstanding(&m, false), 1);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 11), FL_DOUBLE_GET);
	/* another task's region get is its own */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 12), 0);
	/* SR-IOV holds one per VF: not a double get */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_SRIOV, 10), 0);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_SRIOV, 10), 0);
}

static void test_put_without_get(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 3, 3);
	/* the task may have been in that call when tracing began, however long ago */
	m.now += 10000 * MS;
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 11), FL_INCONCLUSIVE);
	/* once it finished a call of that pairing under tracing, it is certain */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 11), 0);
	assert_int_equal(put(&m, OP_PUT, IOCTL, 11), 0);
	assert_int_equal(put(&m, OP_PUT, IOCTL, 11), FL_NO_GET);
	/* and for every task once tracing saw the session open */
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 12), FL_INCONCLUSIVE);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_ENABLE, 10), 0);
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 13), FL_NO_GET);
	/* an open session's reference may always predate tracing */
	m.usage = 1;
	assert_int_equal(put(&m, OP_PUT, R_RESET, 10), FL_INCONCLUSIVE);
}

static void test_underflow(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 0, 0);
	assert_int_equal(ref(&m, false, OP_PUT, R_DISABLE, 10, -22) & FL_UNDERFLOW, FL_UNDERFLOW);
	assert_int_equal(m.s.model, 0);
	/*
	 * put_noidle is clamped at 0 by the PM core: the count did not move.
	 * The ENTRY runs inside an ioctl whose reference the kernel did not see
	 * here, so the count reads 0 after it: only an underflow does that.
	 */
	assert_int_equal(put(&m, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 10) & FL_UNDERFLOW, FL_UNDERFLOW);
	assert_int_equal(m.s.puts, 2);
	/* the refused put_noidle still engaged low power, in vfio's eyes: its EXIT will come */
	assert_int_equal(sim_outstanding(&m, false), 1);
}

/* A second LOW_POWER_ENTRY without EXIT; the last close while engaged. */
static void test_entry_rules(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 3, 3);	/* session, this ioctl, another thread's */
	assert_int_equal(put(&m, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 10), 0);
	m.s.engaged = 1;
	assert_int_equal(put(&m, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 10) & FL_DOUBLE_GET, FL_DOUBLE_GET);
	assert_int_equal(put(&m, OP_PUT, R_DISABLE, 10) & FL_ENTRY_AT_CLOSE, FL_ENTRY_AT_CLOSE);
}

/* The put of an inverted pairing opens it; a get with nothing open predates tracing. */
static void test_inverted_pairings(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 1, 1);
	assert_int_equal(get(&m, OP_GET_NORESUME, R_LOW_POWER_EXIT, 10), 0);
	assert_int_equal(get(&m, OP_GET_NORESUME, R_UNREGISTER, 10), 0);
	assert_int_equal(sim_outstanding(&m, false), 0);
	assert_int_equal(put(&m, OP_PUT, R_REGISTER, 10), 0);
	assert_int_equal(sim_outstanding(&m, false), 1);
	assert_int_equal(get(&m, OP_GET_NORESUME, R_UNREGISTER, 10), 0);
	assert_int_equal(sim_outstanding(&m, false), 0);
}

/*
 * docs/tracepoints.md "Ordering": a resume_and_get is counted before the
 * resume it triggers, so the resume shows the count one above the model and
 * the get's own event must not count it again.
 */
static void test_resume_counts_pending_get(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 0, 0);
	m.usage = 1;	/* the kernel counted task 11's get, then resumed */
	assert_true(model_resume(&m.s, m.usage, 11));
	model_sync(&m.s, m.usage);
	m.usage = 0;	/* ref() adds the get to the real count: it is already there */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 11), 0);
	assert_int_equal(m.s.model, 1);
	assert_int_equal(m.s.pending_tid, -1);
	/* a resume at the model's count belongs to no pending get */
	assert_false(model_resume(&m.s, m.usage, 12));
	/* another task's get after it is counted normally */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 12), 0);
	assert_int_equal(m.s.model, 2);
}

/*
 * Counts read on other CPUs are off the sum of the events in any direction
 * (docs/design.md, F1, F2): never a finding by themselves.
 */
static void test_count_snapshots_never_flag(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 3, -1);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 1), 0);
	m.usage += 2;		/* two gets on other CPUs, not logged yet */
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 1), 0);
	m.usage -= 4;		/* puts made, logged later */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 2), 0);
	assert_int_equal(put(&m, OP_PUT, IOCTL, 2), 0);
}

/* A region reference held across a suspend: its put in flight, or dropped elsewhere. */
static void test_held_at_suspend(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 1, 1);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 1), 0);
	suspend(&m);
	/* control: the owner's next event is the put, made before the suspend */
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 1), 0);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 1), 0);
	assert_int_equal(put(&m, OP_PUT, IOCTL, 1), 0);
	/* the owner does something else first: the reference was held at count 0 */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 2), 0);
	suspend(&m);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 2), FL_HELD_AT_SUSPEND);
	/* a reference got after the suspend is not concerned */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 3), 0);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 3), 0);
}

/* The session's reference at a suspend, with and without low power engaged. */
static void test_session_at_suspend(void **state)
{
	struct sim m;

	(void)state;
	sim_init(&m, 0, 0);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_ENABLE, 1), 0);
	/* control: engaged, the ENTRY cancels the session's reference */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, IOCTL, 1), 0);
	assert_int_equal(put(&m, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 1), 0);
	m.s.engaged = 1;
	assert_int_equal(put(&m, OP_PUT, IOCTL, 1), 0);
	suspend(&m);
	assert_int_equal(m.s.session_mark, 0);
	assert_int_equal(get(&m, OP_GET_NORESUME, R_LOW_POWER_EXIT, 1), 0);
	m.s.engaged = 0;
	/* not engaged: the close must already be under way */
	suspend(&m);
	assert_int_not_equal(m.s.session_mark, 0);
	assert_int_equal(put(&m, OP_PUT, R_DISABLE, 1), 0);	/* control: it was */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_ENABLE, 1), 0);
	suspend(&m);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 1), 0);
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 1), 0);
	assert_int_equal(put(&m, OP_PUT, R_DISABLE, 1), FL_HELD_AT_SUSPEND);
	/* the same with the kernel refusing that put, as it does after a stolen reference */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_ENABLE, 1), 0);
	suspend(&m);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 1), 0);
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 1), 0);
	assert_int_equal(ref(&m, false, OP_PUT, R_DISABLE, 1, -22), FL_UNDERFLOW | FL_HELD_AT_SUSPEND);
	/* the device suspends again before the close: the first suspend still counts */
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_ENABLE, 1), 0);
	suspend(&m);
	assert_int_equal(get(&m, OP_RESUME_AND_GET, R_REGION_RW, 1), 0);
	assert_int_equal(put(&m, OP_PUT, R_REGION_RW, 1), 0);
	suspend(&m);
	assert_int_equal(ref(&m, false, OP_PUT, R_DISABLE, 1, -22), FL_UNDERFLOW | FL_HELD_AT_SUSPEND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairings),
		cmocka_unit_test(test_balanced_session),
		cmocka_unit_test(test_leak_and_double_get),
		cmocka_unit_test(test_put_without_get),
		cmocka_unit_test(test_underflow),
		cmocka_unit_test(test_entry_rules),
		cmocka_unit_test(test_inverted_pairings),
		cmocka_unit_test(test_resume_counts_pending_get),
		cmocka_unit_test(test_count_snapshots_never_flag),
		cmocka_unit_test(test_held_at_suspend),
		cmocka_unit_test(test_session_at_suspend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
