#!/bin/bash
# Runs inside the test VM:  recipes.sh SUBDIR   (of $VFIOPM_OUT)
#
# SUBDIR holds N.cmd files (one shell command each, extracted from the docs by
# tests/vm/30-recipes.sh). While a low-power workload loops on $VFIOPM_BDF,
# runs each command in bash, as typed at a prompt, from a scratch directory;
# tools that run until interrupted (bpftrace) get a SIGINT as from a terminal
# 8 s after they are ready (at most 68 s after start), then a SIGTERM every
# 5 s until they exit, and a SIGKILL 240 s later (symbolizing stacks at exit
# is slow under emulation on a loaded host). Saves N.out (stdout+stderr),
# N.rc, N.secs, N.term (when a SIGTERM was needed) and N.hang (where each
# thread waited) for a command that had to be killed.
set -u
dir=$VFIOPM_OUT/$1
lp=$PWD/tools/vfio-lowpower/vfio-lowpower
export PATH="$PWD/scripts/bpftrace:$PWD/tools/vfiopm-check:$PATH" BDF=$VFIOPM_BDF

# The workload logs one line per cycle, so the host can tell that the recipes
# had something to see.
(
	while :; do
		if err=$($lp -q "$VFIOPM_BDF" entry wait-d3 read wait-d3 exit \
			entry-wakeup wait-d3 read wait-wake exit sleep:100 2>&1); then
			echo ok
		else
			echo "failed: $err"
			sleep 1
		fi
	done >"$dir/workload.log"
) &
workload=$!
sleep 1

for cmd in "$dir"/*.cmd; do
	n=${cmd%.cmd}
	mkdir -p /tmp/recipe && cd /tmp/recipe || exit 1
	# Job control gives each command its own process group with SIGINT not
	# ignored (without it, background jobs ignore SIGINT), so the interrupt
	# reaches every process of a pipeline, as Ctrl-C would.
	t0=$EPOCHREALTIME
	set -m
	bash "$cmd" >"$n.out" 2>&1 </dev/null &
	pid=$!
	set +m
	# Ctrl-C 8 s after the tool is ready (bpftrace: its "Attaching N
	# probes" line, not a compiler warning; others: any output): under
	# emulation starting up can take longer than any fixed delay, and a
	# SIGINT before bpftrace installs its handler would just kill it.
	ready='.'
	grep -qE 'bpftrace|\.bt' "$cmd" && ready='^Attaching [0-9]+ probe'
	# The timer polls instead of sleeping 240 s in one go: a sleep left
	# running after the command ended would hold the VM's output pipe open
	# and keep the VM up for minutes.
	(
		exec >/dev/null 2>&1
		for _ in $(seq 120); do grep -qE "$ready" "$n.out" && break; sleep 0.5; done
		sleep 8
		# Ctrl-C. bpftrace 0.17 leaves its poll loop only when a signal
		# interrupts epoll_wait(): one that lands between two waits is lost
		# and it runs on. So a SIGTERM every 5 s while it does: it sets the
		# same flag, and unlike a second SIGINT (SIG_DFL once bpftrace prints
		# its maps) it cannot cut the output short.
		kill -INT -- -$pid || exit 0
		for i in $(seq 240); do
			sleep 1
			kill -0 $pid || exit 0
			[ $((i % 5)) = 0 ] && pkill -TERM -g $pid -x bpftrace && echo "$i" >>"$n.term"
		done
		# still there: record where each thread waits, for whoever reads the log
		for p in $(pgrep -g $pid); do
			for t in /proc/$p/task/*; do
				echo "== $p/${t##*/} $(cat $t/comm) wchan=$(cat $t/wchan)"
				cat $t/stack
			done
		done >"$n.hang" 2>&1
		kill -KILL -- -$pid
	) &
	timer=$!
	wait $pid
	echo $? >"$n.rc"
	awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN { printf "%.0f\n", a - b }' >"$n.secs"
	kill $timer 2>/dev/null
	cd - >/dev/null || exit 1
done

kill $workload
wait 2>/dev/null
exit 0
