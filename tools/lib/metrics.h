/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Every Prometheus metric vfiopm exports, once: X(id, name, type, labels,
 * help). vfiopm-trace --prom and vfiopm-status --prom write from this list,
 * and docs/metrics.md is checked against it (tests/host/40-metrics.sh).
 * Names and labels are stable: a change is a new name.
 */
#ifndef VFIOPM_METRICS_H
#define VFIOPM_METRICS_H

#define VFIOPM_METRICS(X)							\
	X(INFO, "vfiopm_info", "gauge", "tool,mode,kernel",			\
	  "Always 1; labels: tool, mode (full, stock, sysfs) and kernel release") \
	X(SUSPENDS, "vfiopm_suspends_total", "counter", "dev",			\
	  "Runtime suspends of the device since the tracer started")		\
	X(RESUMES, "vfiopm_resumes_total", "counter", "dev",			\
	  "Runtime resumes of the device since the tracer started")		\
	X(WAKES, "vfiopm_wake_signals_total", "counter", "dev",			\
	  "Wake eventfd signals (LOW_POWER_ENTRY_WITH_WAKEUP) since the tracer started") \
	X(ENTRIES, "vfiopm_low_power_entries_total", "counter", "dev,kind",	\
	  "Accepted low-power entries, by kind (plain, wakeup)")		\
	X(EXITS, "vfiopm_low_power_exits_total", "counter", "dev,source",	\
	  "Low-power exits, by source (ioctl, wake, disable)")			\
	X(STATE_SECONDS, "vfiopm_state_seconds_total", "counter", "dev,state",	\
	  "Seconds in each power state (D0, D3hot, D3cold) since the tracer started") \
	X(RESUME_LATENCY, "vfiopm_resume_latency_seconds", "histogram", "dev,from", \
	  "From a get that had to wake the device to the device resumed, by the state resumed from") \
	X(USAGE, "vfiopm_runtime_usage", "gauge", "dev",			\
	  "The device's runtime PM usage count (power/runtime_usage)")		\
	X(FLAGGED, "vfiopm_flagged_total", "counter", "dev,kind",		\
	  "References flagged, by kind (underflow, put-without-get, leak, ...)") \
	X(LOST, "vfiopm_lost_events_total", "counter", "",			\
	  "Events the tracer lost; any makes its verdicts inconclusive")	\
	X(POWER_STATE, "vfiopm_power_state", "gauge", "dev,state",		\
	  "1 for the device's current power_state, 0 for the others")		\
	X(ACTIVE_SECONDS, "vfiopm_runtime_active_seconds_total", "counter", "dev", \
	  "power/runtime_active_time, in seconds")				\
	X(SUSPENDED_SECONDS, "vfiopm_runtime_suspended_seconds_total", "counter", "dev", \
	  "power/runtime_suspended_time, in seconds")				\
	X(CAN_SLEEP, "vfiopm_can_sleep", "gauge", "dev",			\
	  "1 when nothing keeps the device awake (vfiopm-status verdict)")	\
	X(D3COLD_POSSIBLE, "vfiopm_d3cold_possible", "gauge", "dev",		\
	  "1 when the platform can put the device in D3cold now")		\
	X(OPEN_SESSIONS, "vfiopm_open_sessions", "gauge", "dev",		\
	  "Processes holding the device open through vfio")

#define VFIOPM_METRIC_ID(id, name, type, labels, help) M_##id,
enum metric_id { VFIOPM_METRICS(VFIOPM_METRIC_ID) M__N };
#undef VFIOPM_METRIC_ID

#endif
