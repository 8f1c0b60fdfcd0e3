#!/usr/bin/env bash
# The fleet list is usable while it loads: with every page of the query
# answered late (6 s each), the first page's rows show with a count of
# what has come so far, and the keys act on them (End, the filter, the
# states of the rows on screen) before the next page is in. Then the rest
# arrive and the count becomes the total.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 300
emu_fault "delay=6000,count=2,path=/enrollments/query"

start_list
wait_for_text "loading: 100 so far" 20
wait_for_row fleet-0001 "assigned"
keys End
wait_for_regex "fleet-0100: registration failed, error 401002"
keys /
type_text failed

wait_for_row fleet-0090 "failed"
# still the first page only: the keys did not wait for the second
wait_for_text "loading: 100 so far" 1
keys Escape
wait_for_text "300 enrollments" 20
keys End
wait_for_regex "fleet-0300: registration failed"
