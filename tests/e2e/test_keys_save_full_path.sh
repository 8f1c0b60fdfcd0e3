#!/usr/bin/env bash
# w shows the full path the keys file will have before anything is
# written: the name it offers is already the absolute path (in the folder
# dpsenroll was started from), and a relative name or one from ~ that the
# technician types is shown in full again, to write with Enter or edit.
# The file is mode 0600 wherever it lands. At 100x30 and at 80x24.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-keys-path-01
DEEP=customers/contoso/line-3/2026-12/batch-42
mkdir -p "$E2E_TMP/jig" "$E2E_TMP/$DEEP"
SAVE_TITLE="┌─ Save keys for the device "

start_tui
fill_new_form "$ID" symmetricKey
focus_field "Primary key"
keys g
wait_for_text "Generated a 64-byte key"

# The offered name, in full; Esc writes nothing.
keys w
wait_for_text "$SAVE_TITLE"
wait_for_regex "│ $E2E_TMP/$ID-keys\.json +│"
[ -e "$E2E_TMP/$ID-keys.json" ] && fail "the keys were written before Enter"
keys Escape
wait_for_no_text "$SAVE_TITLE"
[ -e "$E2E_TMP/$ID-keys.json" ] && fail "Esc wrote the keys"

# A relative name is shown in full first; Enter then writes it.
keys w
wait_for_text "$SAVE_TITLE"
keys C-u
type_text "jig/dev.json"
keys Enter
wait_for_regex "│ $E2E_TMP/jig/dev\.json +│"
wait_for_text "That is $E2E_TMP/jig/dev.json in full; Enter writes it there"
[ -e "$E2E_TMP/jig/dev.json" ] && fail "the keys were written before the full path was shown"
keys Enter
wait_for_no_text "$SAVE_TITLE"
wait_for_text "Keys written to $E2E_TMP/jig/dev.json (mode 0600)"
assert_eq "$(stat -c %a "$E2E_TMP/jig/dev.json")" 600 "mode of the key file"
assert_eq "$(json_get registrationId <"$E2E_TMP/jig/dev.json")" "$ID" "registrationId in the key file"

# ~ is the home folder.
keys w
wait_for_text "$SAVE_TITLE"
keys C-u
type_text "~/$ID.json"
keys Enter
wait_for_regex "│ $HOME/$ID\.json +│"
[ -e "$HOME/$ID.json" ] && fail "the keys were written before the full path was shown"
keys Enter
wait_for_text "Keys written to $HOME/$ID.json (mode 0600)"
assert_eq "$(stat -c %a "$HOME/$ID.json")" 600 "mode of the key file in the home folder"

# A long path is shown whole, not cut at the window's usual width.
keys w
wait_for_text "$SAVE_TITLE"
keys C-u
type_text "$DEEP/$ID-keys.json"
keys Enter
LONG=$E2E_TMP/$DEEP/$ID-keys.json
[ ${#LONG} -gt 70 ] || fail "the long path is only ${#LONG} characters"
wait_for_regex "│ $LONG +│"
keys Enter
wait_for_no_text "$SAVE_TITLE"
wait_for_text "Keys written to $E2E_TMP/customers/"
[ -f "$LONG" ] || fail "no key file at $LONG"
assert_eq "$(stat -c %a "$LONG")" 600 "mode of the key file in the long path"

# 80x24: the offered path still whole.
resize 80 24
wait_for_text "F1 Help"
keys w
wait_for_text "$SAVE_TITLE"
wait_for_regex "│ $E2E_TMP/$ID-keys\.json +│"
keys Enter
wait_for_no_text "$SAVE_TITLE"
wait_for_text "Keys written to $E2E_TMP/$ID-keys"
assert_eq "$(stat -c %a "$E2E_TMP/$ID-keys.json")" 600 "mode of the key file"
