#!/usr/bin/env bash
# A form started with no connection at all gets one from the form: F12,
# then a pasted connection string, shown only as dots. A bad string is
# refused with the parser's own message and changes nothing; the good one
# connects (the title shows its host), is saved as a profile only because
# a name was given (mode 0600), and the submit then succeeds with what
# was typed before. The key is stored nowhere else.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-switch-paste
WINDOW="┌─ Connect to a DPS "
HOST=127.0.0.1:$EMU_PORT
CONFIG=$XDG_CONFIG_HOME/dpsenroll/config.json
# The string to paste, without its line end (a shell builtin writes it:
# the key is in no process's arguments), and its key alone, for checks.
PASTE=$E2E_TMP/paste
KEYFILE=$E2E_TMP/policy-key
( umask 077
  cs=$(cat "$EMU_DATA/connection-string")
  printf '%s' "$cs" >"$PASTE"
  sed -n 's/.*SharedAccessKey=\([^;]*\).*/\1/p' "$EMU_DATA/connection-string" >"$KEYFILE" )
[ -s "$KEYFILE" ] || fail "no SharedAccessKey in dpsemu's connection string"

start_tui -e DPS_CONNECTION_STRING=
wait_for_text "new enrollment  (no DPS)"
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "Cannot reach a DPS (F12 connects to one): no connection string"

keys F12
wait_for_text "$WINDOW"
wait_for_text "Now: no DPS: no connection string"
wait_for_text "No profiles in the config file yet"
wait_for_regex "│ > Paste a connection string\.\.\."
keys Enter
wait_for_text "Paste the DPS connection string"

# A string cut short: the parser's message, nothing changes.
type_text "HostName=$HOST;SharedAccessKey=abc"
keys Enter
wait_for_text "Not connected (the connection stays as it was): the connection string"
wait_for_text "SharedAccessKeyName; copy the whole string"
wait_for_text "new enrollment (changed)  (no DPS)"
wait_for_text "$WINDOW"

keys C-u
wait_until 2 "Ctrl-U did not empty the field" _lacks_text "characters)"
paste_file "$PASTE"
wait_for_regex "(•){20,}  \([0-9]+ characters\)"
grep -qF -f "$KEYFILE" <(screen) && fail "the pasted connection string is shown"
keys Tab
type_text "emu-bench"
keys Enter
wait_for_no_text "$WINDOW"
wait_for_text "Connected to $HOST; saved as profile emu-bench in the config file"
wait_for_text "new enrollment (changed)  $HOST"
assert_eq "$(stat -c %a "$CONFIG")" 600 "mode of the config file written"
perl -MJSON::PP -e '
	local $/;
	open my $fh, "<", $ARGV[0] or exit 1;
	my $j = decode_json(<$fh>);
	open my $k, "<", $ARGV[1] or exit 1;
	my $key = <$k>;
	$key =~ s/\s+$//;
	my $cs = $j->{profiles}{"emu-bench"}{connectionString} // "";
	exit(index($cs, "SharedAccessKey=$key") >= 0 ? 0 : 1);
' "$CONFIG" "$KEYFILE" || fail "the config file has no profile emu-bench with the pasted string"

wait_for_regex "Registration ID +✓ $ID\$"
wait_for_regex "Attestation type +✓ symmetricKey\$"
keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
cli get "$ID" >/dev/null 2>&1 || fail "the enrollment is not on dpsemu after the submit"
keys Escape
keys q
wait_for_exit

# The key is in the profile asked for and nowhere else under HOME.
found=$(grep -rlF -f "$KEYFILE" "$HOME" 2>/dev/null | grep -vxF "$CONFIG")
[ -z "$found" ] || fail "the service key is stored in: $found"
