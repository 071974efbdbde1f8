# The two-CPU flood of 309 with kprobe/kretprobe: calls are paired by stack pointer, which must
# stay right while softirqs interrupt process-context traversals on both CPUs.
FLOOD_BACKEND=kprobe
. /tests/scenarios/309-rule-flood.sh
