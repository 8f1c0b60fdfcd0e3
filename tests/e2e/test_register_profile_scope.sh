#!/usr/bin/env bash
# Registering from the form uses the ID scope of the profile the form is
# connected to (named at start, or chosen later with F12), not the
# default profile's: another DPS's scope would send the device elsewhere.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-reg-scope-01
SCOPE=$(<"$EMU_DATA/id-scope")
unset DPS_ID_SCOPE
ENDPOINT=${EMU_URL#https://}
mkdir -p "$XDG_CONFIG_HOME/dpsenroll" && chmod 700 "$XDG_CONFIG_HOME/dpsenroll"
# "other" is the default and names a scope of some other DPS; "bench" is
# this emulator's.
perl -MJSON::PP -e 'print JSON::PP->new->canonical->encode({ defaultProfile => "other",
	profiles => {
	  other => { connectionString => $ENV{DPS_CONNECTION_STRING}, idScope => "0ne00OTHER0",
		     globalEndpoint => $ARGV[1], cacert => $ENV{DPSENROLL_CACERT} },
	  bench => { connectionString => $ENV{DPS_CONNECTION_STRING}, idScope => $ARGV[0],
		     globalEndpoint => $ARGV[1], cacert => $ENV{DPSENROLL_CACERT} } } })' \
	"$SCOPE" "$ENDPOINT" >"$XDG_CONFIG_HOME/dpsenroll/config.json"
chmod 600 "$XDG_CONFIG_HOME/dpsenroll/config.json"
unset DPS_CONNECTION_STRING

start_tui -- --profile bench
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "Submitted $ID"
keys Escape
keys r
wait_for_text "Register $ID as the device would?"
wait_for_text "$SCOPE"
keys y
wait_for_text "$ID is registered."
assert_eq "$(cli regstate "$ID" --profile bench | json_get status)" assigned "stored registration status"

# Started on the default profile, then switched with F12.
keys Escape
wait_for_no_text "$ID is registered."
keys F10
wait_for_exit
ID2=bench-reg-scope-02
start_tui
wait_for_text "new enrollment"
keys F12
wait_for_text "┌─ Connect to a DPS "
wait_for_regex "│ > bench "
keys Enter
wait_for_text "(profile bench)"
fill_new_form "$ID2" symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "Submitted $ID2"
keys Escape
keys r
wait_for_text "Register $ID2 as the device would?"
wait_for_text "$SCOPE"
keys y
wait_for_text "$ID2 is registered."
assert_eq "$(cli regstate "$ID2" --profile bench | json_get status)" assigned "stored registration status after F12"
