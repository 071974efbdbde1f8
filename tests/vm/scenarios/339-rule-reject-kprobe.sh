# REJECT of 337 with kprobe/kretprobe: the nested OUTPUT calls are paired by stack pointer.
REJECT_BACKEND=kprobe
. /tests/scenarios/337-rule-reject.sh
