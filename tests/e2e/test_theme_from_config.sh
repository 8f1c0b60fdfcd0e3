#!/usr/bin/env bash
# The theme may come from the config file: {"theme": "monochrome"} in
# $XDG_CONFIG_HOME/dpsenroll/config.json (mode 0600) and no --theme gives
# a screen without colour, while the default theme, with no config, has
# colour.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
wait_for_empty_form
fg=$(screen_colour fg) || fail "the default theme shows no foreground colour"
note "default theme: $fg"

CONFIG=$XDG_CONFIG_HOME/dpsenroll/config.json
mkdir -p "$(dirname "$CONFIG")"
(umask 077 && printf '{"theme": "monochrome"}\n' >"$CONFIG")
assert_eq "$(stat -c %a "$CONFIG")" 600 "mode of the config file"

start_tui
wait_for_empty_form
assert_screen_lacks "monochrome" "the config's theme was complained about"
found=$(screen_colour any) && fail "theme monochrome from the config, yet the screen has colour ($found)"
# Also the colours of a window: the picker.
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
found=$(screen_colour any) && fail "theme monochrome from the config, yet the picker has colour ($found)"
keys Escape
wait_for_no_text "─ Attestation type "
