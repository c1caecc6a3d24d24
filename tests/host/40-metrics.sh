#!/usr/bin/env bash
# Host tier: the Prometheus metrics. docs/metrics.md against the one list
# (tools/lib/metrics.h), with a doctored page as the control; vfiopm-status
# --prom on a sysfs tree made here passes promtool's lint (a doctored copy
# must not) and says what the tree holds; usage errors. The real scrape of
# vfiopm-trace's file is in the D3cold VM tier (tests/vm/36-d3cold.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

python3 "$top/scripts/metrics-doc.py" || tap_failed=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^| `vfiopm_wake_signals_total`' "$top/docs/metrics.md" |
	sed 's/^| `vfiopm_runtime_usage` | gauge |/| `vfiopm_runtime_usage` | counter |/' >"$tmp/metrics.md"
python3 "$top/scripts/metrics-doc.py" --doc "$tmp/metrics.md" >"$tmp/doc.tap"
check "metrics: a page missing a metric and with a wrong type fails, for both reasons (control)" \
	sh -c "test \$(grep -c '^not ok' '$tmp/doc.tap') = 2 &&
		grep -q 'missing vfiopm_wake_signals_total' '$tmp/doc.tap' &&
		grep -q 'vfiopm_runtime_usage (counter' '$tmp/doc.tap'"

tool=$top/tools/vfiopm-status/vfiopm-status
make -s -C "$top/tools/vfiopm-status" >/dev/null || { not_ok "vfiopm-status builds"; exit 1; }
command -v promtool >/dev/null || { not_ok "promtool (package prometheus) is installed"; exit 1; }
# a device held awake by power/control=on
r=$tmp/r d=$tmp/r/sys/devices/pci0000:00/0000:00:04.0
mkdir -p "$d/power" "$r/sys/bus/pci/devices" "$r/sys/bus/pci/drivers/vfio-pci" "$r/proc"
ln -s ../../../devices/pci0000:00/0000:00:04.0 "$r/sys/bus/pci/devices/0000:00:04.0"
ln -s ../../../devices/pci0000:00/0000:00:04.0 "$r/sys/bus/pci/drivers/vfio-pci/0000:00:04.0"
ln -s ../../../bus/pci/drivers/vfio-pci "$d/driver"
echo D0 >"$d/power_state"; echo active >"$d/power/runtime_status"; echo on >"$d/power/control"
echo 1 >"$d/power/runtime_usage"; echo 1 >"$d/d3cold_allowed"
echo 2500 >"$d/power/runtime_active_time"; echo 1500 >"$d/power/runtime_suspended_time"
"$tool" --root "$r" --prom >"$tmp/status.prom"
rc=$?
check "vfiopm-status --prom: exit 1 (kept awake), promtool check metrics passes" \
	sh -c "test $rc = 1 && promtool check metrics <'$tmp/status.prom'"
check "vfiopm-status --prom: the tree's values (usage 1, D0, 2.5 s active, cannot sleep)" \
	sh -c "grep -qx 'vfiopm_runtime_usage{dev=\"0000:00:04.0\"} 1' '$tmp/status.prom' &&
		grep -qx 'vfiopm_power_state{dev=\"0000:00:04.0\",state=\"D0\"} 1' '$tmp/status.prom' &&
		grep -qx 'vfiopm_runtime_active_seconds_total{dev=\"0000:00:04.0\"} 2.5' '$tmp/status.prom' &&
		grep -qx 'vfiopm_can_sleep{dev=\"0000:00:04.0\"} 0' '$tmp/status.prom'"
names=$(sed -n 's/^# TYPE \([a-z0-9_]*\) .*/\1/p' "$tmp/status.prom" | sort | tr '\n' ' ')
unknown=$(for n in $names; do grep -q "\"$n\"" "$top/tools/lib/metrics.h" || echo "$n"; done)
check "vfiopm-status --prom: every metric is one of the list ($names)" test -z "$unknown"
sed 's/^vfiopm_runtime_usage{/vfiopm_runtime_usage{dev="x",dev=/' "$tmp/status.prom" >"$tmp/doctored.prom"
check "promtool rejects a sample with a duplicate label (control)" \
	sh -c "! promtool check metrics <'$tmp/doctored.prom' >/dev/null 2>&1"
"$tool" --prom --json >/dev/null 2>&1
check "vfiopm-status: --prom with --json is a usage error (exit 64)" test $? = 64
trace=$top/tools/vfiopm-trace/vfiopm-trace
if [ -x "$trace" ]; then
	"$trace" --prom "" >/dev/null 2>&1
	check "vfiopm-trace: --prom without a file name is a usage error (exit 64)" test $? = 64
	check "vfiopm-trace --help documents --prom" sh -c "'$trace' --help 2>&1 | grep -q -- '--prom=FILE'"
fi
exit $tap_failed
