// SPDX-License-Identifier: GPL-2.0
/* Residency per D-state from suspend/resume events (residency.c). */
#include "residency.h"
#include "util.h"

static struct event at(uint64_t ts, int from)
{
	struct event ev;

	event_init(&ev);
	ev.ts = ts;
	ev.from = from;
	return ev;
}

static void split_by_state_resumed_from(void **state)
{
	struct residency r = { 0 };
	struct event e;

	(void)state;
	e = at(100, -1), residency_suspend(&r, &e);
	e = at(400, DSTATE_D3HOT), residency_resume(&r, &e);
	e = at(500, -1), residency_suspend(&r, &e);
	e = at(1500, DSTATE_D3COLD), residency_resume(&r, &e);
	residency_end(&r, 2000);
	assert_int_equal(r.ns[RES_D3HOT], 300);
	assert_int_equal(r.ns[RES_D3COLD], 1000);
	assert_int_equal(r.n[RES_D3HOT], 1);
	assert_int_equal(r.n[RES_D3COLD], 1);
	assert_int_equal(r.n[RES_UNKNOWN], 0);
	assert_true(residency_has_states(&r));
	assert_false(r.open);
}

/* ftrace logs: the resume does not say where from; the time is not guessed */
static void unnamed_state_is_unknown(void **state)
{
	struct residency r = { 0 };
	struct event e;

	(void)state;
	e = at(100, -1000000), residency_suspend(&r, &e);
	e = at(300, -1000000), residency_resume(&r, &e);
	residency_end(&r, 300);
	assert_int_equal(r.ns[RES_UNKNOWN], 200);
	assert_int_equal(r.ns[RES_D3HOT] + r.ns[RES_D3COLD], 0);
	assert_false(residency_has_states(&r));
}

/* a resume whose suspend is before the log, or was lost, adds no time */
static void resume_without_suspend_adds_nothing(void **state)
{
	struct residency r = { 0 };
	struct event e;

	(void)state;
	e = at(50, DSTATE_D3COLD), residency_resume(&r, &e);
	assert_int_equal(r.n[RES_D3COLD], 0);
	/* two suspends in a row: the resume between them was lost; time from the second */
	e = at(100, -1), residency_suspend(&r, &e);
	e = at(200, -1), residency_suspend(&r, &e);
	e = at(250, DSTATE_D3HOT), residency_resume(&r, &e);
	assert_int_equal(r.ns[RES_D3HOT], 50);
	assert_int_equal(r.suspends, 2);
	assert_int_equal(r.resumes, 2);
}

static void open_at_end(void **state)
{
	struct residency r = { 0 };
	struct event e;

	(void)state;
	e = at(100, -1), residency_suspend(&r, &e);
	residency_end(&r, 900);
	assert_true(r.open);
	assert_int_equal(r.open_ns, 800);
	assert_int_equal(r.n[RES_UNKNOWN] + r.n[RES_D3HOT] + r.n[RES_D3COLD], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_by_state_resumed_from),
		cmocka_unit_test(unnamed_state_is_unknown),
		cmocka_unit_test(resume_without_suspend_adds_nothing),
		cmocka_unit_test(open_at_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
