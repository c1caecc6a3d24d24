/* SPDX-License-Identifier: GPL-2.0 */
/* Line parsers: each turns one input line (no newline) into a struct parsed. */
#ifndef VFIOPM_PARSE_H
#define VFIOPM_PARSE_H

#include "event.h"

/* FMT_REC: vfiopm-trace -w record files, read by input_run_record(), not line by line */
enum fmt { FMT_UNKNOWN, FMT_FTRACE, FMT_PERF, FMT_JSON, FMT_REC };
extern const char *const fmt_names[];

/* The common "comm-pid [cpu] flags ts: name: payload" shape (ftrace, trace-cmd, perf). */
struct text_hdr {
	const char *comm, *name, *payload;
	size_t comm_len, name_len, payload_len;
	int pid, cpu;
	uint64_t ts;
};
/* perf: "comm tid [cpu]" (or "comm pid/tid"); ftrace: "comm-pid [(tgid)] [cpu] flags". */
int text_header(const char *s, size_t n, int perf, struct text_hdr *h);
/* Fill out->ev from a parsed header; sets kind to EVENT, OTHER, UNKNOWN_VFIO or BAD_VFIO. */
void text_event(const struct text_hdr *h, struct parsed *out);
/* text_header() then text_event() in one scan of the line; -1 (out untouched) if no header. */
int text_line(const char *s, size_t n, int perf, struct parsed *out);
/* ev_type_from_name() of a name without "system:". */
enum ev_type ev_type_bare(const char *s, size_t n);
/* A line that failed to parse: BAD_VFIO if it looks like one of ours, else GARBAGE. */
void text_unparsed(const char *s, size_t n, struct parsed *out);
const char *find_mem(const char *s, size_t n, const char *needle);
/* Strips leading blanks and trailing blanks and \r from the line *s, *n. */
void text_trim(const char **s, size_t *n);

void parse_ftrace(const char *s, size_t n, struct parsed *out);
void parse_perf(const char *s, size_t n, struct parsed *out);
void parse_json(const char *s, size_t n, struct parsed *out);
void parse_line(enum fmt f, const char *s, size_t n, struct parsed *out);

/* Format of a log from one of its lines; FMT_UNKNOWN if this line does not tell. */
enum fmt detect_line(const char *s, size_t n);
enum fmt fmt_from_name(const char *s);

#endif
