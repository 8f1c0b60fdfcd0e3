#!/usr/bin/env bash
# A key typed into one field can change what another row says: the
# registration id decides whether the certificate's CN matches. Typing
# draws only the echo when nothing else changed, so every row that did
# change must still be redrawn, key by key, with no other key pressed.
. "$(dirname "$0")/lib.sh"
e2e_setup

CN=bench-cn-42
make_ca "Bench Partner CA"
make_device_cert "$CN" "$E2E_TMP/device.pem"

start_tui
fill_new_form bench-cn-4 x509
focus_field "Certificate"
keys o
browser_choose device.pem
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_text "0 errors, 1 warning"

focus_field_up "Registration ID"
keys Enter End
type_text 2
# The id is now the CN: the id row's mark, its message line and the
# summary bar all change on this key, while still typing.
wait_for_regex "Registration ID +✓ bench-cn-42$"
wait_for_text "ready to submit"
assert_screen_lacks "1 warning" "the summary still counts the warning"
type_text x
wait_for_regex "Registration ID +! bench-cn-42x$"
wait_for_text "0 errors, 1 warning"
wait_for_regex "^ +.*CN.*bench-cn-42"
keys BSpace
wait_for_regex "Registration ID +✓ bench-cn-42$"
wait_for_text "ready to submit"
