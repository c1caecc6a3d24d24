// SPDX-License-Identifier: GPL-2.0
/*
 * Record files (vfiopm-trace -w) as vfiopm-check reads them: a whole file
 * gives the verdict of its events, and a file cut anywhere, damaged
 * anywhere or of another version is never balanced and never a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"
#include "vfiopm-rec.h"

#define DEV "0000:00:04.0"

static char path[64];

/* A session: enable get, reads (region get/put), disable put; drop one put if leak. */
static size_t write_session(const char *p, int leak, int extra_type)
{
	FILE *f = fopen(p, "wb");
	struct vfr_writer w = { .f = f };
	struct vfr_header h = { .ndevs = 1, .mode = VFR_MODE_FULL, .t0 = 1000 };
	struct vfr_device d = { .dev = DEV, .power_state = "D3hot" };
	struct vfr_event e = { .dev = DEV, .comm = "t", .pid = 5, .type = VFR_EV_PCI_PM_GET,
			       .op = OP_RESUME_AND_GET, .reason = R_ENABLE, .usage_count = 1,
			       .ts = 2000 };
	long size;

	assert_non_null(f);
	assert_int_equal(vfr_write_header(&w, &h, &d), 0);
	assert_int_equal(vfr_write_text(&w, VFR_C_ALWAYS, "{\"type\":\"start\"}", 16, "s\n", 2), 0);
	assert_int_equal(vfr_write_event(&w, &e, NULL, NULL), 0);
	for (int i = 0; i < 4; i++) {
		e = (struct vfr_event){ .dev = DEV, .comm = "t", .pid = 5, .ts = 3000 + 100 * i,
					.type = VFR_EV_PCI_PM_GET, .op = OP_RESUME_AND_GET,
					.reason = R_REGION_RW, .usage_count = 2 };
		assert_int_equal(vfr_write_event(&w, &e, "site+0x1", ""), 0);
		if (leak && i == 2)
			continue;
		e.ts += 10;
		e.type = VFR_EV_PCI_PM_PUT;
		e.op = OP_PUT;
		e.usage_count = 1;
		assert_int_equal(vfr_write_event(&w, &e, NULL, NULL), 0);
	}
	if (extra_type) {	/* a record of a later version: skipped */
		struct vfr_rec r = { 16, (uint16_t)extra_type, 0 };
		char body[8] = "future!";

		fwrite(&r, sizeof(r), 1, f);
		fwrite(body, sizeof(body), 1, f);
		w.records++;
	}
	e = (struct vfr_event){ .dev = DEV, .comm = "t", .pid = 5, .ts = 9000,
				.type = VFR_EV_PCI_PM_PUT, .op = OP_PUT, .reason = R_DISABLE,
				.usage_count = leak ? 1 : 0 };
	assert_int_equal(vfr_write_event(&w, &e, NULL, NULL), 0);
	assert_int_equal(vfr_write_trailer(&w, 0, 9999), 0);
	size = ftell(f);
	fclose(f);
	return (size_t)size;
}

static int verdict_of(const char *p, struct input *in)
{
	struct input_opts o = default_opts();
	int v;

	input_run(in, p, &o);
	v = in->io_err || in->usage_err ? -1 : checker_verdict(&in->ck);
	input_free(in);
	return v;
}

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/vfiopm-test-record.%d", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void test_whole(void **state)
{
	struct input in;

	(void)state;
	write_session(path, 0, 0);
	assert_int_equal(verdict_of(path, &in), 0);
	assert_int_equal(in.fmt, FMT_REC);
	assert_int_equal(in.kinds[LK_EVENT], 10);
	/* the control: a put left out is a leak */
	write_session(path, 1, 0);
	assert_int_equal(verdict_of(path, &in), 1);
	/* a record type from a later version is skipped, not an error */
	write_session(path, 0, 77);
	assert_int_equal(verdict_of(path, &in), 0);
}

static unsigned char *slurp(size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = malloc(1 << 16);

	assert_non_null(f);
	*n = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void spit(const unsigned char *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	fwrite(buf, 1, n, f);
	fclose(f);
}

static void test_cut_anywhere(void **state)
{
	size_t n;
	unsigned char *buf;
	struct input in;

	(void)state;
	write_session(path, 0, 0);
	buf = slurp(&n);
	for (size_t cut = 0; cut < n; cut++) {
		spit(buf, cut);
		/* shorter than the magic: not known as a record file, and not balanced either */
		assert_int_not_equal(verdict_of(path, &in), 0);
	}
	free(buf);
}

static void test_damage_anywhere(void **state)
{
	size_t n, hlen = sizeof(struct vfr_header) + sizeof(struct vfr_device);
	unsigned char *buf;
	struct input in;

	(void)state;
	write_session(path, 0, 0);
	buf = slurp(&n);
	for (size_t at = 0; at < n; at++) {
		buf[at] ^= 0xff;
		spit(buf, n);
		verdict_of(path, &in);	/* whatever it says, it says it without a crash */
		buf[at] ^= 0xff;
	}
	/* every record length damaged: corrupt, inconclusive */
	for (size_t at = hlen; at < n; at += ((struct vfr_rec *)(buf + at))->len) {
		uint32_t len = ((struct vfr_rec *)(buf + at))->len;

		((struct vfr_rec *)(buf + at))->len = 3;
		spit(buf, n);
		assert_int_equal(verdict_of(path, &in), 2);
		((struct vfr_rec *)(buf + at))->len = len;
	}
	free(buf);
}

static void test_other_version(void **state)
{
	size_t n;
	unsigned char *buf;
	struct input in;

	(void)state;
	write_session(path, 0, 0);
	buf = slurp(&n);
	((struct vfr_header *)buf)->version = 2;
	spit(buf, n);
	assert_int_equal(verdict_of(path, &in), 2);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut_anywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damage_anywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_version, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
