# Helpers for the guest scripts: sourced, not run (the working directory is
# the project tree).

# wait_state STATE [SECONDS] [DIR]: wait up to SECONDS (default 10) until the
# power_state of DIR (default $VFIOPM_BDF's) reads STATE. A deadline, not a
# count of polls: under emulation each poll costs a fork or two.
wait_state() {
	f=${3:-/sys/bus/pci/devices/$VFIOPM_BDF}/power_state
	deadline=$(($(date +%s) + ${2:-10}))
	while [ "$(cat "$f")" != "$1" ] && [ "$(date +%s)" -lt $deadline ]; do
		sleep 0.01
	done
}

# record_vfio_events KIB: tracefs ready to record every vfio:* and vfio_pci:*
# event in KIB per CPU, empty, not yet on (echo 1 >$t/tracing_on starts it).
record_vfio_events() {
	t=/sys/kernel/tracing
	echo 0 >"$t/tracing_on"
	echo "$1" >"$t/buffer_size_kb"
	echo >"$t/trace"
	echo 1 >"$t/events/vfio/enable"
	echo 1 >"$t/events/vfio_pci/enable"
}

# start_tracer OUT ERR ARGS...: vfiopm-trace ARGS in the background, its
# output in OUT; returns once its "start" record is there (60 s at most),
# with its pid in $tpid.
start_tracer() {
	tout=$1 terr=$2
	shift 2
	tools/vfiopm-trace/vfiopm-trace "$@" >"$tout" 2>"$terr" &
	tpid=$!
	i=0
	while ! grep -q '"type":"start"' "$tout" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# stop_tracer RCFILE: SIGINT to the tracer start_tracer started (it prints
# its summary), wait for it, and write its exit status to RCFILE.
stop_tracer() {
	kill -INT $tpid
	wait $tpid
	echo $? >"$1"
}
