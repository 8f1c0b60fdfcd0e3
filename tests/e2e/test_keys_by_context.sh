#!/usr/bin/env bash
# Keys do what the help says where they are pressed: for a key of each
# context (the form, typing into a field, editing text, the editor, a
# one-line question, a picker, a window of text, a yes/no question, the
# connection window and its paste), the help (F1) lists it in that
# context's section, and pressing it there does what its line says.
. "$(dirname "$0")/lib.sh"
e2e_setup

HELP=
# The help's lines, read in a window large enough to show it whole and
# unwrapped: a section's title starts one column in, its keys three.
read_help() {
	resize 200 300
	keys F1
	wait_for_text "─ Keys "
	wait_for_text "In the file browser"
	HELP=$(screen | perl -CSD -Mutf8 -ne '
		if (!defined $col) { $col = $-[0] if /┌─ Keys /; next; }
		last if substr($_, $col, 1) eq "└";
		my $inner = substr($_, $col + 1);
		$inner =~ s/│.*//s;
		$inner =~ s/ +$//;
		print "$inner\n";')
	keys Escape
	wait_for_no_text "─ Keys "
	resize 100 30
	wait_for_text "F1 Help"
}

# help_says SECTION KEY WHAT: the section titled SECTION lists KEY, and
# its line starts with WHAT.
help_says() {
	perl -CSD -Mutf8 -e '
		my ($title, $key, $what) = @ARGV[0..2];
		my $in = 0;
		while (<STDIN>) {
			chomp;
			if (/^ (\S.*)$/) { $in = $1 eq $title; next; }
			exit 0 if $in && /^   \Q$key\E {2,}\Q$what\E/;
		}
		exit 1;
	' "$1" "$2" "$3" <<<"$HELP" || fail "the help's \"$1\" does not say: $2  $3"
}

# _window_has_line TITLE LINE: the window TITLE holds LINE whole.
_window_has_line() {
	window_lines "$1" | grep -qxF -- "$2"
}

start_tui
wait_for_focus "Registration ID"
read_help
[ -n "$HELP" ] || fail "the help could not be read"

# The form: End goes to the last field.
help_says "In the form" "End" "Last field"
keys End
wait_for_focus "Migrate device data"
keys Home
wait_for_focus "Registration ID"

# Typing into a field: PgDn stops typing (the text stays) and moves a
# page down, as it does in the form.
help_says "Typing into a field of the form" "PgDn" "Page down"
keys PgDn
paged=$(focused_row | sed -E 's/^▶ +//; s/  .*//')
[ -n "$paged" ] && [ "$paged" != "Registration ID" ] \
	|| fail "PgDn in the form did not move the focus"
keys Home
wait_for_focus "Registration ID"
keys Enter
type_text "bc"
keys PgDn
wait_for_focus "$paged"
keys Home
wait_for_regex "^▶ Registration ID +✓ bc\$"
# no longer typing: a letter says how to edit
type_text "x"
wait_for_text "Press Enter to edit Registration ID"
wait_for_regex "^▶ Registration ID +✓ bc\$"

# Editing text: Ctrl-A goes to the start of the line.
help_says "Editing text: a field, the editor, a one-line question, the connection string" \
	"Ctrl-A" "Go to the start of the line"
keys Enter
keys C-a
type_text "key-a"
keys Enter
wait_for_regex "^▶ Registration ID +✓ key-abc\$"

# The editor: Enter starts a new line, Tab puts in two spaces (the
# bottom border says where the cursor is).
help_says "In the editor (JSON, lists, certificates and keys)" "Tab" "Insert two spaces"
help_says "In the editor (JSON, lists, certificates and keys)" "Enter" "Start a new line"
focus_field "Twin tags"
keys Enter
wait_for_text "─ Twin tags (JSON) "
type_text "{"
keys Enter
wait_for_text " cursor 2:1 "
keys Tab
wait_for_text " cursor 2:3 "
type_text '"a": 1'
keys Enter
type_text "}"
keys Escape
wait_for_no_text "─ Twin tags (JSON) "
wait_for_regex '^▶ +Twin tags +✓ \{"a": ?1\}$'

# A yes/no question (the form has changes): y is yes, here to go on to
# the one-line question for the id; there Esc closes and nothing loads.
help_says "In a yes/no question" "y" "Yes"
help_says "In a one-line question (an id to load, where to save keys)" \
	"Esc" "Close the window (nothing changes)"
keys F5
wait_for_text "┌─ Load "
keys y
wait_for_text "Registration id:"
keys Escape
wait_for_no_text "Registration id:"
assert_screen_lacks "Loading" "Esc in the question loaded something"

# A picker: End goes to the last value, Enter takes it.
help_says "In a list of values (Enter on a field that has them)" "End" "Last in the list"
focus_field_up "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
# its rows: a value padded to its column, then what it means
last=$(window_lines "Attestation type" | grep -E '^[^ ]+ {2,}' | tail -n 1 |
	awk '{ print $1 }')
[ -n "$last" ] || fail "the picker lists no value"
keys End Enter
wait_for_no_text "─ Attestation type "
wait_for_regex "^▶ +Attestation type +✓ $last\$"

# A window of text: q closes it.
help_says "In a window of text (this help, answers, details)" "q" "Close the window"
keys m
wait_for_text "─ Messages "
keys q
wait_for_no_text "─ Messages "

# A yes/no question: n is no (the program stays, the form as it was).
help_says "In a yes/no question" "n" "No"
keys F10
wait_for_text "┌─ Quit "
keys n
wait_for_no_text "┌─ Quit "
assert_screen_lacks "EXITED" "the program ended after n"
wait_for_regex "^▶ +Attestation type +✓ $last\$"

# The connection window: Enter on the last row starts a paste, where Tab
# goes to the profile name and Esc back to the list; q closes the list.
help_says "Pasting a connection string" "Tab" "Next field"
help_says "Pasting a connection string" "Esc" "Back to the list of profiles"
help_says "In the connection window (the list of profiles)" "q" "Close the window"
keys F12
wait_for_text "┌─ Connect to a DPS "
wait_for_text "> Paste a connection string..."
keys Enter
wait_for_text "Save as profile"
type_text "abc"
wait_for_text "(3 characters)"
keys Tab
type_text "bench"
wait_until "$E2E_TIMEOUT" "the profile name did not take what was typed" \
	_window_has_line "Connect to a DPS" bench
wait_for_text "(3 characters)"
keys Escape
wait_for_no_text "Save as profile"
wait_for_text "> Paste a connection string..."
keys q
wait_for_no_text "┌─ Connect to a DPS "
assert_screen_lacks "EXITED" "q in the connection window quit the program"
