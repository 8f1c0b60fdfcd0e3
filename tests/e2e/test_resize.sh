#!/usr/bin/env bash
# The window is resized while the registration id is being typed: at each
# size the screen is laid out for that size (title on the first line, key
# bar on the last), the text and the focus are kept and typing goes on. Too
# small a window shows a notice, and the form comes back when it grows.
. "$(dirname "$0")/lib.sh"
e2e_setup

# The form drawn for ROWS lines: key bar on the last one, nothing below.
laid_out_for() {
	local rows=$1
	_line_has "$rows" "F1 Help" && _line_has 1 " dpsenroll  " &&
		_line_matches $((rows - 1)) '^ [0-9]+ errors?, |ready to submit'
}

expect_layout() {
	wait_until "$E2E_TIMEOUT" "screen not laid out for $1x$2 (key bar not on line $2)" laid_out_for "$2"
	local w
	w=$(tm display -p -t "$E2E_SESSION" '#{pane_width}x#{pane_height}')
	assert_eq "$w" "$1x$2" "pane size"
}

# Editing: the cursor sits right after the text in the Registration ID row.
expect_editing() {
	local text=$1
	wait_for_regex "^▶ Registration ID +[✓✗ ] $text\$"
	wait_for_focus "Registration ID"
	local row col
	row=$(screen | grep -n -m 1 '^▶ Registration ID' | cut -d: -f1)
	col=$(screen_line "$row" | sed -E 's/^(▶ Registration ID +[✓✗ ] ).*/\1/' | wc -m)
	# wc -m counts the newline too: that is the cursor's 0-based column.
	local want_cursor="$((col - 1 + ${#text})),$((row - 1))"
	wait_until 2 "cursor not after '$text' (want x,y $want_cursor)" \
		_cursor_is "$want_cursor"
}

_cursor_is() {
	[ "$(tm display -p -t "$E2E_SESSION" '#{cursor_x},#{cursor_y}')" = "$1" ]
}

start_tui
expect_layout 100 30
wait_for_focus "Registration ID"
keys Enter
type_text "resize"
expect_editing "resize"

resize 120 40
expect_layout 120 40
expect_editing "resize"
type_text "-me"
expect_editing "resize-me"

resize 100 30
expect_layout 100 30
expect_editing "resize-me"

resize 60 20
wait_for_text "Terminal too small"
assert_screen_lacks "F1 Help" "the key bar is drawn in a too small window"

resize 100 30
wait_for_no_text "Terminal too small"
expect_layout 100 30
expect_editing "resize-me"
type_text "-ok"
expect_editing "resize-me-ok"
keys Enter
wait_for_regex "^▶ Registration ID +✓ resize-me-ok\$"
