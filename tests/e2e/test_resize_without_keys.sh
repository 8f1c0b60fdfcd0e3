#!/usr/bin/env bash
# The terminal is resized while the form starts and draws, with no key
# pressed after: the form follows the size by itself. A resize that lands
# between a frame and the wait for input must not wait for the next key.
. "$(dirname "$0")/lib.sh"
e2e_setup

for i in $(seq 1 12); do
	start_tui
	# At once, while the form sets up its terminal and draws.
	resize 84 26
	wait_for_line 26 "F1 Help" 3
	wait_for_line 1 "dpsenroll  new enrollment" 3
	resize 100 30
	wait_for_line 30 "F1 Help" 3
done
