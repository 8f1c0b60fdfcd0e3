#!/usr/bin/env bash
# In the file browser the technician types rather than scrolls: the start
# of a name lists the names that start so and Tab completes it; a path
# from the folder shown, from / or from ~ goes there, and Enter opens the
# file; a path that leads nowhere says so and keeps the window; Backspace
# erases, and with nothing typed goes up. At 80x24, the smallest the
# form takes.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-typed-01
FAR=bench-typed-far
HOMECN=bench-typed-home
CERTS=$E2E_TMP/bench/certs
mkdir -p "$CERTS/old" "$E2E_TMP/elsewhere" "$HOME"
make_self_signed_cert "$ID" "$CERTS/$ID.pem" "$E2E_TMP/$ID.key"
make_self_signed_cert "$FAR" "$E2E_TMP/elsewhere/$FAR.pem" "$E2E_TMP/$FAR.key"
make_self_signed_cert "$HOMECN" "$HOME/$HOMECN.crt" "$E2E_TMP/$HOMECN.key"
cp "$CERTS/$ID.pem" "$CERTS/gateway.crt"

start_tui
resize 80 24
fill_new_form "$ID" x509
focus_field "Certificate"

# The start of a name, then Tab for a folder and for a file.
keys o
wait_for_browser_in "$E2E_TMP"
browser_lists "bench/"
browser_lists "elsewhere/"
type_text "be"
wait_for_text "Go to: be"
browser_lists "bench/"
browser_lacks "elsewhere/"
keys Tab
wait_for_text "Go to: bench/"
wait_for_browser_in "$E2E_TMP/bench"
type_text "c"
keys Tab
wait_for_text "Go to: bench/certs/"
wait_for_browser_in "$CERTS"
browser_lists "$ID.pem"
browser_lists "gateway.crt"
type_text "g"
wait_for_text "Go to: bench/certs/g"
browser_lacks "$ID.pem"
keys BSpace
browser_lists "$ID.pem"
type_text "bench-t"
keys Tab
wait_for_text "Go to: bench/certs/$ID.pem"
keys Enter
wait_for_no_text "┌─ Open a file: "
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$ID +│"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until "

# A path from /, typed in full; Backspace with nothing typed goes up.
keys o
wait_for_text "┌─ Open a file: "
keys C-u
wait_for_text "Go to: type a name"
keys BSpace
wait_for_regex "┌─ Open a file: /[^ ]* ─"
type_text "$E2E_TMP/elsewhere/$FAR.pem"
keys Enter
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$FAR +│"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$FAR, until "

# A path from ~: the folder is listed as it is typed; Enter on a folder
# goes there.
keys o
wait_for_text "┌─ Open a file: "
type_text "~/"
wait_for_browser_in "$HOME"
browser_lists "$HOMECN.crt"
type_text "z"
wait_for_text "(no name here starts so"
keys BSpace
wait_for_text "Go to: ~/ "
keys Enter
wait_for_browser_in "$HOME"
wait_for_text "Go to: type a name"
browser_choose "$HOMECN.crt"
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$HOMECN +│"
keys Escape
wait_for_no_text "┌─ Certificate "

# A path that leads nowhere: said, and the window stays.
keys o
wait_for_text "┌─ Open a file: "
type_text "/no/such/place.pem"
keys Enter
wait_for_text "No such file or folder: /no/such/place.pem"
wait_for_text "┌─ Open a file: "
keys Escape
wait_for_no_text "┌─ Open a file: "
wait_for_regex "^▶ +Certificate +. CN=$HOMECN, until "
