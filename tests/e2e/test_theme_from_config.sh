#!/usr/bin/env bash
# The theme may come from the config file: {"theme": "monochrome"} in
# $XDG_CONFIG_HOME/dpsenroll/config.json (mode 0600) and no --theme gives
# a screen without colour, while the default theme, with no config, has
# colour.
. "$(dirname "$0")/lib.sh"
e2e_setup

# The form with its first field focused: the screen a theme paints.
form_shown() {
	wait_for_focus "Registration ID"
	wait_for_text "▾ Identity"
	wait_for_regex "^ [0-9]+ errors?, "
}

colour_in_screen() {	# fg|bg|any
	screen_escapes | find_colour_sgr "$1"
}

start_tui
form_shown
fg=$(colour_in_screen fg) || fail "the default theme shows no foreground colour"
note "default theme: $fg"

CONFIG=$XDG_CONFIG_HOME/dpsenroll/config.json
mkdir -p "$(dirname "$CONFIG")"
(umask 077 && printf '{"theme": "monochrome"}\n' >"$CONFIG")
assert_eq "$(stat -c %a "$CONFIG")" 600 "mode of the config file"

start_tui
form_shown
assert_screen_lacks "monochrome" "the config's theme was complained about"
found=$(colour_in_screen any) && fail "theme monochrome from the config, yet the screen has colour ($found)"
# Also the colours of a window: the picker.
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
found=$(colour_in_screen any) && fail "theme monochrome from the config, yet the picker has colour ($found)"
keys Escape
wait_for_no_text "─ Attestation type "
