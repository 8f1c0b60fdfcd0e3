#!/usr/bin/env bash
# Themes: the shipped high-contrast and monochrome themes open without a
# complaint; a theme file with a bad line is reported as FILE:LINE in the
# status line and the default theme is used instead; NO_COLOR takes every
# colour away while the default theme, without it, has colour.
. "$(dirname "$0")/lib.sh"
e2e_setup

SUMMARY=$((E2E_ROWS - 1))

no_theme_problem() {
	local s
	s=$(screen_line "$SUMMARY")
	grep -qiE 'theme|\.theme:[0-9]+|not found|cannot read' <<<"$s" &&
		fail "theme problem in the status line: '$s'"
	return 0
}

start_tui
wait_for_empty_form
no_theme_problem
fg=$(screen_colour fg) || fail "the default theme shows no foreground colour"
note "default theme: $fg"

start_tui -e NO_COLOR=1
wait_for_empty_form
no_theme_problem
# Also the colours of a window: the picker.
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
found=$(screen_colour any) && fail "NO_COLOR=1, yet the screen has colour ($found)"
keys Escape
wait_for_no_text "─ Attestation type "

start_tui -e NO_COLOR=1 -- --theme high-contrast
wait_for_empty_form
no_theme_problem
found=$(screen_colour any) && fail "NO_COLOR=1 with --theme high-contrast, yet the screen has colour ($found)"

start_tui --theme high-contrast
wait_for_empty_form
no_theme_problem
screen_colour fg >/dev/null || fail "--theme high-contrast shows no foreground colour"

start_tui --theme monochrome
wait_for_empty_form
no_theme_problem
found=$(screen_colour any) && fail "--theme monochrome has colour ($found)"

cat >"$E2E_TMP/bad.theme" <<'THEME'
color title    white blue bold
color section  purple default bold
color label    default default
THEME
start_tui --theme ./bad.theme
wait_for_empty_form
wait_for_line "$SUMMARY" "bad.theme:2:"
screen_colour fg >/dev/null || fail "after a bad theme line the screen has no colour (the default theme is not used)"

start_tui --theme no-such-theme
wait_for_empty_form
wait_for_line "$SUMMARY" "no-such-theme"
