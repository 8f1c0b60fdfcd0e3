#!/usr/bin/env bash
# A certificate whose CN cannot be a registration id ("Bench Device #7":
# spaces and '#'): the details window says why instead of offering u, and
# u leaves the registration id as typed.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-cn-01
CN="Bench Device #7"
make_ca "Bench CN CA"
make_device_cert "$CN" "$E2E_TMP/device.pem"

start_tui
fill_new_form "$ID" x509
focus_field "Certificate"
keys o
browser_choose device.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$CN +│"
wait_for_text "The CN '$CN' differs from the registration id '$ID'"
wait_for_regex "│ The CN cannot be a registration id: .*' '"
assert_screen_lacks "u: use the CN" "a CN that is not a valid registration id is offered"
keys u
# u is no key of this window: it stays open, and the id is unchanged.
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "Registration ID +[✓!] $ID\$"
