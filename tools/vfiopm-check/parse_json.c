// SPDX-License-Identifier: GPL-2.0
/* vfiopm-trace --json: one flat JSON object per line (docs/json.md). */
#include <string.h>

#include "parse.h"

struct cur {
	const char *p, *end;
};

static void ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* A string into out (cap bytes, NUL-terminated); non-ASCII \u escapes become '?'. */
static int jstring(struct cur *c, char *out, size_t cap, size_t *len)
{
	size_t l = 0;

	if (c->p >= c->end || *c->p != '"')
		return -1;
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;

		if ((unsigned char)ch < 0x20)
			return -1;
		if (ch == '\\') {
			if (c->p >= c->end)
				return -1;
			ch = *c->p++;
			switch (ch) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case 'b': ch = '\b'; break;
			case 'f': ch = '\f'; break;
			case '"': case '\\': case '/': break;
			case 'u': {
				int v = 0;

				if (c->end - c->p < 4)
					return -1;
				for (int i = 0; i < 4; i++) {
					int h = hexval(*c->p++);

					if (h < 0)
						return -1;
					v = v * 16 + h;
				}
				ch = v > 0 && v < 0x80 ? (char)v : '?';
				break;
			}
			default:
				return -1;
			}
		}
		if (l + 1 >= cap)
			return -1;
		out[l++] = ch;
	}
	if (c->p >= c->end)
		return -1;
	c->p++;
	out[l] = 0;
	*len = l;
	return 0;
}

static int jskip(struct cur *c, int depth);

static int jcontainer(struct cur *c, int depth, char close)
{
	char tmp[256];
	size_t l;

	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		ws(c);
		if (close == '}') {
			if (jstring(c, tmp, sizeof(tmp), &l))
				return -1;
			ws(c);
			if (c->p >= c->end || *c->p++ != ':')
				return -1;
			ws(c);
		}
		if (jskip(c, depth + 1))
			return -1;
		ws(c);
		if (c->p >= c->end)
			return -1;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p++ == close)
			return 0;
		return -1;
	}
}

/* Skip any value (bounded nesting). */
static int jskip(struct cur *c, int depth)
{
	char tmp[256];
	size_t l;

	if (depth > 16 || c->p >= c->end)
		return -1;
	if (*c->p == '"')
		return jstring(c, tmp, sizeof(tmp), &l);
	if (*c->p == '{')
		return jcontainer(c, depth, '}');
	if (*c->p == '[')
		return jcontainer(c, depth, ']');
	{
		const char *s = c->p;

		while (c->p < c->end && strchr("+-0123456789.eEtruefalsn", *c->p))
			c->p++;
		return c->p == s ? -1 : 0;
	}
}

/* A scalar as text: string contents or the literal. */
static int jscalar(struct cur *c, char *out, size_t cap, size_t *len, int *is_str)
{
	const char *s = c->p;

	*is_str = c->p < c->end && *c->p == '"';
	if (*is_str)
		return jstring(c, out, cap, len);
	if (jskip(c, 0))
		return -1;
	if (*s == '{' || *s == '[' || (size_t)(c->p - s) >= cap)
		return 1;	/* not a scalar: ignored */
	*len = (size_t)(c->p - s);
	memcpy(out, s, *len);
	out[*len] = 0;
	return 0;
}

static int jint(const char *v, size_t n, long long *out)
{
	long long x = 0;
	size_t i = 0;
	int neg = 0;

	if (n && v[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || n - i > 18)
		return -1;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	*out = neg ? -x : x;
	return 0;
}

#define IS(k) (!strcmp(key, k))

void parse_json(const char *s, size_t n, struct parsed *out)
{
	struct cur c = { s, s + n };
	struct event *ev = &out->ev;
	char key[64], val[256], name[128] = "", type[32] = "event";
	size_t kl, vl;
	int is_str, bad = 0, have_ts = 0, have_count = 0;
	long long x, count = 0;

	out->kind = LK_META;
	out->why = NULL;
	event_init(ev);
	ws(&c);
	if (c.p == c.end)
		return;
	if (*c.p != '{')
		goto garbage;
	c.p++;
	ws(&c);
	if (c.p < c.end && *c.p == '}') {
		c.p++;
		goto done;
	}
	for (;;) {
		int r;

		ws(&c);
		if (jstring(&c, key, sizeof(key), &kl)) {
			/* over-long keys are legal JSON but never ours */
			if (c.p < c.end && *c.p == '"' && !jskip(&c, 0))
				key[0] = 0;
			else
				goto garbage;
		}
		ws(&c);
		if (c.p >= c.end || *c.p++ != ':')
			goto garbage;
		ws(&c);
		r = jscalar(&c, val, sizeof(val), &vl, &is_str);
		if (r < 0)
			goto garbage;
		if (r == 0 && !(vl == 4 && !memcmp(val, "null", 4) && !is_str)) {
			if (IS("type")) {
				if (vl >= sizeof(type))
					bad = 1;
				else
					memcpy(type, val, vl + 1);
			} else if (IS("event")) {
				if (vl >= sizeof(name))
					bad = 1;
				else
					memcpy(name, val, vl + 1);
			} else if (IS("count")) {
				if (!jint(val, vl, &x) && x >= 0) {
					count = x;
					have_count = 1;
				}
			} else if (IS("ts")) {
				if (memchr(val, '.', vl)) {	/* seconds, tolerated */
					have_ts = !parse_ts(val, vl, &ev->ts);
				} else if (!jint(val, vl, &x) && x >= 0) {
					ev->ts = (uint64_t)x;
					have_ts = 1;
				}
				bad |= !have_ts;
			} else if (IS("cpu") || IS("pid")) {
				if (jint(val, vl, &x) || x < -1 || x > 0x7fffffff)
					bad = 1;
				else if (IS("cpu"))
					ev->cpu = (int)x;
				else
					ev->pid = (int)x;
			} else if (IS("comm")) {
				size_t l = vl < COMM_LEN - 1 ? vl : COMM_LEN - 1;

				memcpy(ev->comm, val, l);
				ev->comm[l] = 0;
			} else if (event_set_field(ev, key, strlen(key), val, vl)) {
				bad = 1;
			}
		}
		ws(&c);
		if (c.p >= c.end)
			goto garbage;
		if (*c.p == ',') {
			c.p++;
			continue;
		}
		if (*c.p++ == '}')
			break;
		goto garbage;
	}
done:
	ws(&c);
	if (c.p != c.end)
		goto garbage;
	if (!strcmp(type, "lost")) {
		out->kind = LK_LOST;
		out->lost = have_count ? (uint64_t)count : 0;
		out->why = "vfiopm-trace lost record";
		return;
	}
	if (strcmp(type, "event") || !name[0]) {
		out->kind = LK_OTHER;	/* summaries, histograms, flags: not events */
		return;
	}
	ev->type = ev_type_from_name(name, strlen(name));
	if (ev->type == EV_NONE) {
		out->kind = is_vfio_name(name, strlen(name)) ? LK_UNKNOWN_VFIO : LK_OTHER;
		return;
	}
	out->why = bad ? "bad field value" : !have_ts ? "missing ts" : event_validate(ev);
	out->kind = out->why ? LK_BAD_VFIO : LK_EVENT;
	return;
garbage:
	if (find_mem(s, n, "vfio")) {
		out->kind = LK_BAD_VFIO;
		out->why = "invalid JSON in a vfio record";
	} else {
		out->kind = LK_GARBAGE;
		out->why = "invalid JSON";
	}
}
