# Helpers for the guest scripts: sourced, not run (the working directory is
# the project tree).

# wait_state STATE [SECONDS]: wait up to SECONDS (default 10) until
# $VFIOPM_BDF's power_state reads STATE.
wait_state() {
	i=0
	while [ "$(cat "/sys/bus/pci/devices/$VFIOPM_BDF/power_state")" != "$1" ] &&
		[ $i -lt $((${2:-10} * 100)) ]; do
		sleep 0.01
		i=$((i + 1))
	done
}
