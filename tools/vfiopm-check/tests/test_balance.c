// SPDX-License-Identifier: GPL-2.0
/* The balance state machine, fed events directly. */
#include "util.h"

#define DEV "0000:00:02.0"

static struct check_opts opts;
static struct checker ck;
static uint64_t now;

static int setup(void **state)
{
	(void)state;
	memset(&opts, 0, sizeof(opts));
	checker_init(&ck, &opts);
	now = 1000000000ULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	checker_free(&ck);
	return 0;
}

/* One event, 10 us after the previous one. a/b: cmd for ioctl events, op/reason for pci ones. */
static void feed(enum ev_type t, int pid, int uc, int a, int b, int ret)
{
	struct event ev;

	event_init(&ev);
	now += 10000;
	ev.ts = now;
	ev.type = t;
	ev.pid = pid;
	snprintf(ev.comm, sizeof(ev.comm), "task%d", pid);
	snprintf(ev.dev, sizeof(ev.dev), DEV);
	ev.usage_count = uc;
	ev.ret = ret;
	if (t == EV_DEV_GET || t == EV_DEV_PUT) {
		ev.cmd = (unsigned int)a;
	} else {
		ev.op = a;
		ev.reason = b;
	}
	if (t == EV_LP_EXIT)
		ev.source = SRC_IOCTL;
	checker_event(&ck, &ev);
}

/* a low-power ENTRY as the kernel makes it: inside its ioctl, count 1 then 0 */
static void entry_in_ioctl(void)
{
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_PCI_PUT, 10, 1, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 0);
	feed(EV_DEV_PUT, 10, 0, 0x3b75, 0, 0);
}

static void reg(void) { feed(EV_PCI_PUT, 1, 0, OP_PUT, R_REGISTER, 0); }
static void enable(int uc) { feed(EV_PCI_GET, 10, uc, OP_RESUME_AND_GET, R_ENABLE, 0); }
static void disable(int uc) { feed(EV_PCI_PUT, 10, uc, OP_PUT, R_DISABLE, 0); }

static void balanced_session(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_DEV_PUT, 10, 1, 0x3b75, 0, 0);
	feed(EV_PCI_GET, 11, 2, OP_RESUME_AND_GET, R_REGION_RW, 0);
	feed(EV_PCI_PUT, 11, 1, OP_PUT, R_REGION_RW, 0);
	disable(0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, 0);
	assert_int_equal(checker_verdict(&ck), 0);
}

static void leak_with_age(void **state)
{
	const struct finding *f;

	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b6e, 0, 0);
	feed(EV_DEV_GET, 12, 3, 0x3b6b, 0, 0);
	feed(EV_DEV_PUT, 12, 2, 0x3b6b, 0, 0);
	checker_finish(&ck);
	f = get_finding(&ck, F_LEAK);
	assert_non_null(f);
	assert_int_equal(f->pid, 10);
	assert_int_equal(f->pairing, PAIR_IOCTL);
	assert_string_equal(f->site, "ioctl 0x3b6e VFIO_DEVICE_SET_IRQS");
	assert_true(f->has_age);
	assert_int_equal(f->age, 20000);	/* get at +30 us, log ends at +50 us */
	assert_int_equal(checker_verdict(&ck), 1);
}

static void failed_get_takes_nothing(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 1, 0x3b75, 0, -13);
	feed(EV_PCI_GET, 10, 1, OP_RESUME_AND_GET, R_REGION_RW, -5);
	disable(0);
	checker_finish(&ck);
	assert_int_equal(checker_verdict(&ck), 0);
}

static void pairing_is_per_task(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_PCI_GET, 11, 2, OP_RESUME_AND_GET, R_REGION_RW, 0);
	feed(EV_PCI_PUT, 12, 1, OP_PUT, R_REGION_RW, 0);	/* another task's put */
	disable(0);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_UNDERFLOW));
	assert_true(has_finding(&ck, F_LEAK));
	assert_int_equal(checker_verdict(&ck), 1);
}

static void underflow_ret_is_definitive(void **state)
{
	const struct finding *f;

	(void)state;
	reg();
	enable(1);
	disable(0);
	feed(EV_DEV_PUT, 10, 0, 0x3b75, 0, -22);
	checker_lost(&ck, 5, "test loss", 1);
	checker_finish(&ck);
	f = get_finding(&ck, F_UNDERFLOW);
	assert_non_null(f);
	assert_true(f->definitive);
	assert_int_equal(checker_verdict(&ck), 1);
	/* one finding, not a second "put without get" for the same put */
	assert_int_equal(f->times, 1);
}

static void put_noidle_at_zero(void **state)
{
	(void)state;
	reg();
	enable(1);
	disable(0);
	feed(EV_PCI_PUT, 10, 0, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 0);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_UNDERFLOW));
	assert_true(get_finding(&ck, F_UNDERFLOW)->definitive);
}

static void race_is_not_a_discrepancy(void **state)
{
	(void)state;
	reg();
	enable(1);
	/* two CPUs: both gets read 3, the puts read 1 and 1 */
	feed(EV_DEV_GET, 10, 3, 0x3b75, 0, 0);
	feed(EV_PCI_GET, 11, 3, OP_RESUME_AND_GET, R_REGION_RW, 0);
	feed(EV_PCI_PUT, 11, 1, OP_PUT, R_REGION_RW, 0);
	feed(EV_DEV_PUT, 10, 1, 0x3b75, 0, 0);
	/* swapped reads */
	feed(EV_DEV_GET, 10, 3, 0x3b75, 0, 0);
	feed(EV_PCI_GET, 11, 2, OP_RESUME_AND_GET, R_REGION_RW, 0);
	feed(EV_PCI_PUT, 11, 2, OP_PUT, R_REGION_RW, 0);
	feed(EV_DEV_PUT, 10, 1, 0x3b75, 0, 0);
	disable(0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, 0);
}

static void slow_resume_is_not_a_discrepancy(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_PCI_PUT, 10, 1, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 0);
	feed(EV_DEV_PUT, 10, 0, 0x3b75, 0, 0);
	feed(EV_RT_SUSPEND, 20, 0, 0, 0, 0);
	/* a region read resumes it: its increment shows on every event until its own */
	feed(EV_RT_RESUME, 11, 1, 0, 0, 0);
	now += 20000000;
	feed(EV_WAKE, 11, 1, 0, 0, 0);
	feed(EV_PCI_GET, 11, 2, OP_GET_NORESUME, R_LOW_POWER_EXIT, 0);
	now += 20000000;
	feed(EV_LP_EXIT, 11, 2, 0, 0, 0);
	feed(EV_PCI_GET, 11, 2, OP_RESUME_AND_GET, R_REGION_RW, 0);
	feed(EV_PCI_PUT, 11, 1, OP_PUT, R_REGION_RW, 0);
	disable(0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, 0);
}

static void log_starting_at_a_resume(void **state)
{
	(void)state;
	feed(EV_RT_RESUME, 10, 1, 0, 0, 0);
	enable(1);
	for (int i = 0; i < 10; i++) {
		feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
		now += 5000000;
		feed(EV_DEV_PUT, 10, 1, 0x3b75, 0, 0);
	}
	disable(0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, 0);
}

/* An outside reference makes every count one higher: no finding before the end. */
static void snapshots_alone_never_flag(void **state)
{
	(void)state;
	reg();
	enable(1);
	for (int i = 0; i < 20; i++) {
		feed(EV_DEV_GET, 10, 3, 0x3b75, 0, 0);
		now += 5000000;
		feed(EV_DEV_PUT, 10, i & 1 ? 0 : 2, 0x3b75, 0, 0);
	}
	disable(0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, 0);
}

static void suspend(void) { feed(EV_RT_SUSPEND, 20, 0, 0, 0, 0); }

/* Task 10 engages low power while task 11 reads; the device suspends with 11's region get logged. */
static void suspend_with_region_held(void)
{
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_PCI_PUT, 10, 1, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 0);
	feed(EV_LP_ENTRY, 10, 1, 0, 0, 0);
	feed(EV_PCI_GET, 11, 1, OP_RESUME_AND_GET, R_REGION_RW, 0);
	feed(EV_DEV_PUT, 10, 1, 0x3b75, 0, 0);
	suspend();
}

/* A region reference held at a suspend: control, its put is its task's next event. */
static void region_put_in_flight_at_suspend(void **state)
{
	(void)state;
	suspend_with_region_held();
	feed(EV_PCI_PUT, 11, 0, OP_PUT, R_REGION_RW, 0);
	feed(EV_DEV_GET, 11, 1, 0x3b75, 0, 0);
	feed(EV_DEV_PUT, 11, 0, 0x3b75, 0, 0);
	checker_finish(&ck);
	assert_false(has_finding(&ck, F_HELD_AT_SUSPEND));
	assert_int_equal(checker_verdict(&ck), 0);
}

/* The same with the task doing something else first: the count was 0 while held. */
static void region_held_at_suspend(void **state)
{
	const struct finding *f;

	(void)state;
	suspend_with_region_held();
	feed(EV_DEV_GET, 11, 1, 0x3b75, 0, 0);
	f = get_finding(&ck, F_HELD_AT_SUSPEND);
	assert_non_null(f);
	assert_int_equal(f->pairing, PAIR_REGION);
	assert_int_equal(f->pid, 11);
	assert_int_equal(checker_verdict(&ck), 1);
}

/* The session at a suspend: closing (control), or held and the closer busy since. */
static void session_at_suspend(void **state)
{
	(void)state;
	reg();
	enable(1);
	suspend();
	disable(0);
	assert_false(has_finding(&ck, F_HELD_AT_SUSPEND));
	enable(1);
	suspend();
	feed(EV_PCI_GET, 10, 1, OP_RESUME_AND_GET, R_REGION_RW, 0);
	feed(EV_PCI_PUT, 10, 0, OP_PUT, R_REGION_RW, 0);
	feed(EV_PCI_PUT, 99, 0, OP_PUT, R_REGION_RW, 0);
	suspend();	/* again, before the close: the first suspend still counts */
	disable(0);
	assert_true(has_finding(&ck, F_HELD_AT_SUSPEND));
}

static void prelog_is_inconclusive(void **state)
{
	const struct finding *f;

	(void)state;
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_DEV_PUT, 10, 1, 0x3b75, 0, 0);
	disable(0);
	checker_finish(&ck);
	f = get_finding(&ck, F_PRELOG);
	assert_non_null(f);
	assert_int_equal(f->pairing, PAIR_SESSION);
	assert_int_equal(checker_verdict(&ck), 2);
}

static void entry_without_exit_at_close(void **state)
{
	(void)state;
	reg();
	enable(1);
	entry_in_ioctl();
	disable(0);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_ENTRY_AT_CLOSE));
}

static void entry_at_close_reported_once(void **state)
{
	(void)state;
	reg();
	enable(1);
	entry_in_ioctl();
	disable(0);	/* the exit never came */
	enable(1);	/* the next session enters and exits properly */
	entry_in_ioctl();
	feed(EV_PCI_GET, 10, 1, OP_GET_NORESUME, R_LOW_POWER_EXIT, 0);
	feed(EV_LP_EXIT, 10, 1, 0, 0, 0);
	disable(0);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_ENTRY_AT_CLOSE));
	assert_int_equal(get_finding(&ck, F_ENTRY_AT_CLOSE)->times, 1);
	assert_false(has_finding(&ck, F_UNDERFLOW));
}

static void low_power_cycle_balanced(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_PCI_PUT, 10, 1, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 0);
	feed(EV_LP_ENTRY, 10, 1, 0, 0, 0);
	feed(EV_DEV_PUT, 10, 0, 0x3b75, 0, 0);
	feed(EV_RT_SUSPEND, 20, 0, 0, 0, 0);
	feed(EV_RT_RESUME, 10, 1, 0, 0, 0);
	feed(EV_DEV_GET, 10, 1, 0x3b75, 0, 0);
	feed(EV_PCI_GET, 10, 2, OP_GET_NORESUME, R_LOW_POWER_EXIT, 0);
	feed(EV_LP_EXIT, 10, 2, 0, 0, 0);
	feed(EV_DEV_PUT, 10, 1, 0x3b75, 0, 0);
	disable(0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, 0);
}

/*
 * The ENTRY event fires after memory_lock is dropped: another task's EXIT
 * can be logged between one task's put_noidle and its ENTRY event.
 */
static void entry_event_after_other_tasks_exit(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_PCI_PUT, 10, 1, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 0);
	feed(EV_DEV_GET, 11, 2, 0x3b75, 0, 0);
	feed(EV_PCI_GET, 11, 3, OP_GET_NORESUME, R_LOW_POWER_EXIT, 0);
	feed(EV_LP_EXIT, 11, 3, 0, 0, 0);
	feed(EV_LP_ENTRY, 10, 3, 0, 0, 0);
	feed(EV_DEV_PUT, 10, 2, 0x3b75, 0, 0);
	feed(EV_DEV_PUT, 11, 1, 0x3b75, 0, 0);
	disable(0);
	checker_finish(&ck);
	assert_false(has_finding(&ck, F_SEQUENCE));
	assert_int_equal(checker_verdict(&ck), 0);
}

/* Control: an accepted ENTRY whose task dropped nothing is still flagged. */
static void entry_without_put_noidle(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	feed(EV_PCI_PUT, 11, 1, OP_PUT_NOIDLE, R_LOW_POWER_ENTRY, 0);
	feed(EV_LP_ENTRY, 10, 1, 0, 0, 0);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_SEQUENCE));
	assert_non_null(strstr(get_finding(&ck, F_SEQUENCE)->msg, "ENTRY accepted without its put_noidle"));
}

static void exit_without_get(void **state)
{
	(void)state;
	reg();
	enable(1);
	entry_in_ioctl();
	feed(EV_LP_EXIT, 10, 0, 0, 0, 0);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_SEQUENCE));
}

static void expect_idle(void **state)
{
	(void)state;
	opts.expect_idle = 1;
	reg();
	enable(1);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_NOT_IDLE));
	assert_int_equal(checker_verdict(&ck), 1);
}

static void open_session_is_not_a_failure(void **state)
{
	(void)state;
	reg();
	enable(1);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_OPEN_AT_END));
	assert_int_equal(checker_verdict(&ck), 0);
}

static void active_unowned(void **state)
{
	(void)state;
	feed(EV_PCI_PUT, 1, 1, OP_PUT, R_REGISTER, 0);	/* someone else holds one */
	enable(2);
	disable(1);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_ACTIVE_UNOWNED));
}

static void unbind_leaves_count(void **state)
{
	(void)state;
	reg();
	enable(1);
	disable(0);
	feed(EV_PCI_GET, 1, 1, OP_GET_NORESUME, R_UNREGISTER, 0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, 0);
}

static void unregister_without_register_is_prelog(void **state)
{
	(void)state;
	enable(1);
	disable(0);
	feed(EV_PCI_GET, 1, 1, OP_GET_NORESUME, R_UNREGISTER, 0);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_PRELOG));
	assert_int_equal(checker_verdict(&ck), 2);
}

static void lost_taints_leaks(void **state)
{
	(void)state;
	reg();
	enable(1);
	feed(EV_DEV_GET, 10, 2, 0x3b75, 0, 0);
	checker_lost(&ck, 0, "test", 3);
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_LEAK));
	assert_int_equal(checker_verdict(&ck), 2);
}

static void device_filter(void **state)
{
	static const char *const devs[] = { "0000:00:03.0", NULL };

	(void)state;
	opts.devs = devs;
	reg();
	checker_finish(&ck);
	assert_int_equal(ck.filtered, 1);
	assert_int_equal(ck.ndevs, 0);
	assert_true(has_finding(&ck, F_NO_EVENTS));
	assert_int_equal(checker_verdict(&ck), 2);
}

static void no_events(void **state)
{
	(void)state;
	checker_finish(&ck);
	assert_true(has_finding(&ck, F_NO_EVENTS));
	assert_int_equal(checker_verdict(&ck), 2);
}

static void findings_are_bounded(void **state)
{
	(void)state;
	reg();
	enable(1);
	for (int pid = 100; pid < 100 + MAX_FINDINGS + 50; pid++)
		feed(EV_PCI_PUT, pid, 1, OP_PUT, R_REGION_RW, 0);
	checker_finish(&ck);
	assert_int_equal(ck.nf, MAX_FINDINGS);
	assert_true(ck.suppressed > 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(balanced_session), T(leak_with_age), T(failed_get_takes_nothing),
		T(pairing_is_per_task), T(underflow_ret_is_definitive), T(put_noidle_at_zero),
		T(race_is_not_a_discrepancy), T(slow_resume_is_not_a_discrepancy), T(log_starting_at_a_resume),
		T(snapshots_alone_never_flag), T(region_put_in_flight_at_suspend),
		T(region_held_at_suspend), T(session_at_suspend), T(prelog_is_inconclusive),
		T(entry_without_exit_at_close), T(entry_at_close_reported_once),
		T(low_power_cycle_balanced), T(exit_without_get),
		T(entry_event_after_other_tasks_exit), T(entry_without_put_noidle),
		T(expect_idle), T(open_session_is_not_a_failure), T(active_unowned),
		T(unbind_leaves_count), T(unregister_without_register_is_prelog),
		T(lost_taints_leaks), T(device_filter), T(no_events), T(findings_are_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
