#!/usr/bin/env bash
# Benchmark (not a test) for vfiopm-trace, in one test-VM run on the patched
# kernel. Workloads, each an event class:
#   config read      `vfio-lowpower -q BDF read-loop:READS`: every config-space
#                    pread takes and drops one runtime-PM reference
#                    (vfio_pci_pm_get, vfio_pci_pm_put, rpm_resume, rpm_usage, ...)
#   low-power cycle  `vfio-lowpower -q BDF entry wait-d3 read wait-d3 exit`,
#                    CYCLES times in one process
#
# Three measurements, the first being the headline figure: the one the noise
# of an emulated guest on a shared host cannot swamp.
#
# 1. In-kernel cost (kernel.bpf_stats_enabled=1): vfiopm-trace's default view
#    and bench/floor (an empty program on every hook vfiopm-trace attaches,
#    same names) attached at the same time, so that both see exactly the same
#    events; per loop, the run count and run time of every program. Per class:
#    what each program costs per run and per operation beyond the empty program
#    on its hook, and the total against the floor's total with a 95 % interval
#    over the loops. STATS_ROUNDS rounds (tools restarted, attach order
#    swapped every round) of STATS_LOOPS loops of each class.
# 2. Userspace CPU time of the reader (bench/cputime: the tracer process's
#    CPU clock, ns) per operation and per record received, per configuration
#    and class, measured in the rounds of 3 once the reader has caught up.
# 3. Wall clock, ROUNDS interleaved rounds: each traced loop is preceded by an
#    untraced one (of 5 x READS reads), and its slowdown is its time per read over the mean of the
#    untraced loops just before and just after it (seconds apart, not a round
#    apart); per configuration the geometric mean with a 95 % t-interval over
#    the rounds; pairs of configurations compared round by round, and the
#    script says when the interval does not rank them. The order of the
#    configurations alternates every round.
# Then the event rate `vfiopm-trace --json` sustains with two loops at once.
#
#   bench/vfiopm-trace.sh [READS [ROUNDS]]   default 20000 reads per loop, 10 rounds
#   bench/vfiopm-trace.sh --report DIR READS the tables again from a run's results
#   VFIOPM_BENCH_CYCLES=N                    low-power cycles per loop (default 10)
#   VFIOPM_BENCH_STATS_ROUNDS=N              rounds of the stats phase (default 4)
#   VFIOPM_BENCH_STATS_LOOPS=N               loops of each class per stats round (default 3)
#   VFIOPM_BENCH_CONFIGS="A B ..."           only these configurations (untraced loops run anyway)
#   VFIOPM_TRACE_BASELINE=DIR                also run DIR/vfiopm-trace (an earlier
#                                            build, DIR under the project tree so the
#                                            guest sees it) as config vfiopm-trace-base
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
configs="bpf-empty vfiopm-trace vfiopm-trace-all vfiopm-trace-json-no-rw bpftrace-count vfiopm-trace-json bpftrace-print vfiopm-trace-w"
base_dir=${VFIOPM_TRACE_BASELINE:-}
[ -n "$base_dir" ] && configs="$configs vfiopm-trace-base vfiopm-trace-json-base"
configs=${VFIOPM_BENCH_CONFIGS:-$configs}
if [ "${1:-}" = --guest ]; then
	reads=$2 rounds=$3 cycles=$4 srounds=$5 sloops=$6 configs=$7 base_dir=${8:-}
	tool=tools/vfiopm-trace/vfiopm-trace
	lp=tools/vfio-lowpower/vfio-lowpower
	floor=bench/floor
	cputime=bench/cputime
	o=$VFIOPM_OUT
	bt_pm='tracepoint:vfio_pci:vfio_pci_pm_get,tracepoint:vfio_pci:vfio_pci_pm_put'
	bt_print='{ printf("%llu %s %d %s %d %d %d %d\n", nsecs, comm, tid, str(args->dev), args->usage_count, args->op, args->reason, args->ret); }'
	: >"$o/results"; : >"$o/configs"; : >"$o/notes"
	note() { echo "$*" >>"$o/notes"; echo "note: $*"; }
	if ! "$tool" --help 2>&1 | grep -Eq '(^|[[:space:]])-w[, =]'; then
		note "vfiopm-trace-w skipped: this vfiopm-trace has no -w (vfiopm-trace --help)"
		configs=$(echo " $configs " | sed 's/ vfiopm-trace-w / /')
	fi
	cmd_of() {	# cmd_of CONFIG: its ready pattern in $pat, its command in ${cmd[@]}
		case $1 in
		bpf-empty) pat=Attaching cmd=(bpftrace -e "$bt_pm { }") ;;
		vfiopm-trace) pat=TIME cmd=("$tool") ;;
		vfiopm-trace-all) pat=TIME cmd=("$tool" -a) ;;
		vfiopm-trace-json) pat='"type":"start"' cmd=("$tool" --json) ;;
		vfiopm-trace-json-no-rw) pat='"type":"start"' cmd=("$tool" --json --no-rw) ;;
		vfiopm-trace-w) pat='recording to' cmd=("$tool" -w "$o/rec.vfr") ;;
		bpftrace-print) pat=Attaching cmd=(bpftrace -e "$bt_pm $bt_print") ;;
		bpftrace-count) pat=Attaching cmd=(bpftrace -e "$bt_pm"' { @[probe, args->reason] = count(); }') ;;
		vfiopm-trace-base) pat=TIME cmd=("$base_dir/vfiopm-trace") ;;
		vfiopm-trace-json-base) pat='"type":"start"' cmd=("$base_dir/vfiopm-trace" --json) ;;
		*) return 1 ;;
		esac
	}
	for c in $configs; do	# the commands as a person would type them
		cmd_of "$c"
		printf '%s\t' "$c"
		sep=
		for a in "${cmd[@]}"; do
			case $a in *[\ \"\$\{]*) printf "%s'%s'" "$sep" "$a" ;; *) printf '%s%s' "$sep" "$a" ;; esac
			sep=' '
		done
		echo
	done >>"$o/configs"
	printf 'floor\t%s\n' "$floor" >>"$o/configs"
	loop() {	# loop NAME: one timed config-read loop, "NAME OPS_PER_S" to results
		n=$reads
		# untraced: 5 times as many reads, about a traced loop's time (a 20000-read
		# loop of 30 ms would be at the mercy of one host scheduling slice)
		[ "$1" = none ] && n=$((reads * 5))
		"$lp" -q "$VFIOPM_BDF" "read-loop:$n" 2>&1 |
			sed -n "s/.*: \([0-9]*\) ops\/s.*/$1 \1/p" >>"$o/results"
	}
	cycle_steps=$(for _ in $(seq "$cycles"); do printf 'entry wait-d3 read wait-d3 exit '; done)
	cycle() {	# cycle NAME: CYCLES low-power cycles, "cycle NAME SECONDS CYCLES OK" to results
		t0=$(date +%s.%N)
		# shellcheck disable=SC2086
		"$lp" -q "$VFIOPM_BDF" $cycle_steps >"$o/cycle.err" 2>&1
		rc=$?
		t1=$(date +%s.%N)
		echo "cycle $1 $(echo "$t0 $t1" | awk '{ printf "%.4f", $2 - $1 }') $cycles $rc" >>"$o/results"
		[ $rc = 0 ] || note "low-power cycle loop failed under $1: $(head -c 300 "$o/cycle.err")"
	}
	wait_for() {	# wait_for FILE PATTERN
		end=$(($(date +%s) + 240))
		until grep -q "$2" "$1" 2>/dev/null || [ "$(date +%s)" -ge $end ]; do sleep 0.2; done
		grep -q "$2" "$1" 2>/dev/null
	}
	records() { wc -l <"$o/cur.out"; }	# lines the reader has written so far
	settle_cpu() {	# settle_cpu PID: wait until PID's CPU clock stands (the reader caught up)
		prev=$("$cputime" "$1")
		end=$(($(date +%s) + 30))
		while [ "$(date +%s)" -lt $end ]; do
			sleep 0.3
			cur=$("$cputime" "$1") || break
			[ $((cur - prev)) -lt 3000000 ] && break	# < 1 % of the 0.3 s
			prev=$cur
		done
	}
	start() {	# start NAME: tracer NAME in the background, settled; 1 if not ready
		name=$1
		cmd_of "$name"
		rm -f "$o/rec.vfr"
		"${cmd[@]}" >"$o/cur.out" 2>&1 &
		tpid=$!
		if ! wait_for "$o/cur.out" "$pat"; then
			note "$name: not ready after 240 s (no '$pat'): $(tail -c 300 "$o/cur.out")"
			kill -INT $tpid 2>/dev/null
			wait $tpid
			return 1
		fi
		sleep 2
		warm_up
	}
	stop() { kill -INT $tpid; wait $tpid; cat "$o/cur.out" >>"$o/$name.out"; rm -f "$o/rec.vfr"; }
	measured() {	# measured NAME CLASS LOOPFN: LOOPFN under the running tracer, its CPU to results
		settle_cpu $tpid
		c0=$("$cputime" $tpid) r0=$(records)
		"$3" "$1"
		settle_cpu $tpid
		c1=$("$cputime" $tpid) r1=$(records)
		ops=$reads
		[ "$2" = cycle ] && ops=$cycles
		echo "cpu $1 $2 $ops $((c1 - c0)) $((r1 - r0))" >>"$o/results"
	}
	run_config() {
		start "$1" || return
		measured "$1" read loop
		measured "$1" cycle cycle
		stop
	}
	# untimed: what a tracer does once (kallsyms for its first stack, caches) out of the loops
	warm_up() { "$lp" -q "$VFIOPM_BDF" read-loop:1000 entry wait-d3 read wait-d3 exit >/dev/null 2>&1; }
	"$lp" -q "$VFIOPM_BDF" read-loop:2000 >/dev/null 2>&1	# warm up
	# ---- 1. in-kernel cost: floor and default view together, per loop ----
	echo "phase stats $(date +%s)" >>"$o/results"
	sysctl -qw kernel.bpf_stats_enabled=1
	snap=0
	snapshot() { snap=$((snap + 1)); bpftool -j prog show >"$o/progs.$snap.json"; }
	for s in $(seq "$srounds"); do
		# odd rounds the floor attaches first (its programs run first on each hook), even rounds last
		start_floor() {
			"$floor" >"$o/floor.$s.out" 2>&1 &
			flpid=$!
			wait_for "$o/floor.$s.out" "floor: attached" || note "floor not ready: $(tail -c 300 "$o/floor.$s.out")"
		}
		start_trace() {
			"$tool" >"$o/stats-trace.$s.out" 2>&1 &
			trpid=$!
			wait_for "$o/stats-trace.$s.out" TIME || note "vfiopm-trace not ready: $(tail -c 300 "$o/stats-trace.$s.out")"
		}
		if [ $((s % 2)) = 1 ]; then
			order='floor-first'
			start_floor
			start_trace
		else
			order='trace-first'
			start_trace
			start_floor
		fi
		sleep 2
		warm_up
		for _ in $(seq "$sloops"); do
			snapshot
			"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" >/dev/null 2>&1
			snapshot
			echo "stats $s $order read $reads $((snap - 1)) $snap" >>"$o/results"
			# shellcheck disable=SC2086
			"$lp" -q "$VFIOPM_BDF" $cycle_steps >"$o/cycle.err" 2>&1 ||
				note "low-power cycle loop failed in the stats phase: $(head -c 300 "$o/cycle.err")"
			snapshot
			echo "stats $s $order cycle $cycles $((snap - 1)) $snap" >>"$o/results"
		done
		kill -INT $flpid $trpid
		wait $flpid $trpid
	done
	sysctl -qw kernel.bpf_stats_enabled=0
	# ---- 2. and 3. interleaved rounds ----
	for r in $(seq "$rounds"); do
		echo "round $r" >>"$o/results"
		echo "phase round$r $(date +%s)" >>"$o/results"
		order=$configs
		[ $((r % 2)) = 0 ] && order=$(echo "$configs" | tr ' ' '\n' | tac | tr '\n' ' ')
		for c in $order; do
			loop none
			run_config "$c"
		done
		loop none
		cycle none
	done
	# ---- highest rate: two loops at once under --json ----
	echo "phase parallel $(date +%s)" >>"$o/results"
	name=rate
	"$tool" --json >"$o/cur.out" 2>&1 &
	tpid=$!
	wait_for "$o/cur.out" '"type":"start"'
	sleep 2
	t0=$(date +%s.%N)
	"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" >/dev/null 2>&1 &
	lpid=$!
	"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" >/dev/null 2>&1
	wait $lpid
	t1=$(date +%s.%N)
	stop
	echo "parallel $(echo "$t0 $t1" | awk -v n="$reads" '{ printf "%.0f", 2 * n / ($2 - $1) }')" >>"$o/results"
	echo "phase end $(date +%s)" >>"$o/results"
	exit 0
fi

if [ "${1:-}" = --report ]; then
	out=${2:?--report DIR READS} reads=${3:?--report DIR READS}
else
	reads=${1:-20000} rounds=${2:-10}
	cycles=${VFIOPM_BENCH_CYCLES:-10}
	srounds=${VFIOPM_BENCH_STATS_ROUNDS:-4} sloops=${VFIOPM_BENCH_STATS_LOOPS:-3}
	kdir=$("$top/scripts/build-kernel.sh" | tail -n 1) || exit 1
	out=$(mktemp -d /tmp/vfiopm-bench-trace.XXXXXX)
	hnote() { echo "warning: $*" >&2; echo "$*" >>"$out/host-notes"; }
	if ! make -s -C "$top/tools/vfiopm-trace"; then
		[ -x "$top/tools/vfiopm-trace/vfiopm-trace" ] || exit 1
		hnote "tools/vfiopm-trace does not build (above): benchmarking the binary already there, built $(date -u -r "$top/tools/vfiopm-trace/vfiopm-trace" '+%F %H:%M UTC')"
	fi
	make -s -C "$top/tools/vfio-lowpower" && make -s -C "$top/bench" || exit 1
	"$top/bench/check-hooks.sh" >>"$out/host-notes" 2>&1 || hnote "the floor does not cover vfiopm-trace's hooks (above)"
	{
		printf 'bench/vfiopm-trace.sh %s %s' "$reads" "$rounds"
		for v in VFIOPM_BENCH_CYCLES VFIOPM_BENCH_STATS_ROUNDS VFIOPM_BENCH_STATS_LOOPS VFIOPM_BENCH_CONFIGS VFIOPM_TRACE_BASELINE; do
			[ -n "${!v:-}" ] && printf ' %s=%q' "$v" "${!v}"
		done
		printf '   # %s, commit %s%s\n' "$(date -u '+%F %H:%M UTC')" "$(git -C "$top" rev-parse --short HEAD)" \
			"$(git -C "$top" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
	} >"$out/command"
	t0=$(date +%s)
	"$top/scripts/vm-run.sh" --kernel "$kdir/linux/arch/x86/boot/bzImage" --timeout 3600 \
		--out "$out" -- bench/vfiopm-trace.sh --guest "$reads" "$rounds" "$cycles" "$srounds" "$sloops" \
		"$configs" "${base_dir#"$top"/}" >/dev/null || exit 1
	echo "$(($(date +%s) - t0))" >"$out/seconds"
fi
python3 "$top/bench/report.py" "$out" "$reads"
