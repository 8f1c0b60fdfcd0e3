#!/usr/bin/env bash
# Enter on a yes/no field flips it between true and false (Space and the
# arrows also reach "not set"); Space on a section header folds it.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
wait_for_text "new enrollment"
focus_field "IoT Edge device"
keys Enter
wait_for_regex "IoT Edge device +✓ \[x\] true"
keys Enter
wait_for_regex "IoT Edge device +✓ \[ \] false"
keys Enter
wait_for_regex "IoT Edge device +✓ \[x\] true"

keys Home Up
wait_for_regex "▶▾ Identity"
keys Space
wait_for_regex "▶▸ Identity +\(folded: Enter opens\)"
