#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run in the guest by selftests/vm/run.sh --demo (make check-postmortem):
# the scene of postmortem/tests/pm_scene.c, controlled from the host over
# the second serial port. The console log level is lowered meanwhile so
# that no kernel message lands between the lines of the map (the runner
# still judges the whole kernel log from its dmesg dump at the end).
read -r printk </proc/sys/kernel/printk
echo 1 >/proc/sys/kernel/printk
/tests/pm_scene /dev/ttyS1
rc=$?
echo "$printk" >/proc/sys/kernel/printk
exit $rc
