#!/usr/bin/env bash
# A private CA folder (--capath, or a profile's "capath") is trusted like
# --cacert; and a DPS at an IPv6 address with its own port is reached
# from the connection string alone.
. "$(dirname "$0")/lib.sh"
e2e_setup

cas=$E2E_TMP/cas
mkdir -p "$cas"
cp "$DPSENROLL_CACERT" "$cas/bench-ca.pem"
openssl rehash "$cas" 2>/dev/null || fail "openssl rehash failed"
unset DPSENROLL_CACERT
out=$E2E_TMP/out

cli query >"$out" 2>&1
rc=$?
assert_eq "$rc" 3 "exit code without the CA"
grep -qi "not trusted" "$out" || fail "an untrusted server is not said to be: $(cat "$out")"

cli query --capath "$cas" >"$out" 2>&1 || fail "query --capath failed: $(cat "$out")"
assert_eq "$(cat "$out")" "[]" "query --capath"

mkdir -p "$XDG_CONFIG_HOME/dpsenroll" && chmod 700 "$XDG_CONFIG_HOME/dpsenroll"
perl -MJSON::PP -e 'print JSON::PP->new->encode({ profiles => { bench => {
	connectionString => $ENV{DPS_CONNECTION_STRING}, capath => $ARGV[0] } } })' "$cas" \
	>"$XDG_CONFIG_HOME/dpsenroll/config.json"
chmod 600 "$XDG_CONFIG_HOME/dpsenroll/config.json"
cli query --profile bench >"$out" 2>&1 || fail "query with the profile's capath failed: $(cat "$out")"

# IPv6, where the machine has it.
restart_ipv6() {
	kill "$EMU_PID" 2>/dev/null; wait "$EMU_PID" 2>/dev/null; EMU_PID=
	start_emulator --listen '[::1]:0'
}
if ! perl -MIO::Socket::IP -e 'IO::Socket::IP->new(LocalHost => "::1", Listen => 1) or exit 1' 2>/dev/null; then
	skip "no IPv6 loopback on this machine (checked: --capath)"
fi
restart_ipv6
case $DPS_CONNECTION_STRING in
"HostName=[::1]:$EMU_PORT;"*) ;;
*) fail "dpsemu on [::1] wrote the connection string ${DPS_CONNECTION_STRING%%;*}" ;;
esac
echo '{"registrationId":"v6","attestation":{"type":"symmetricKey"}}' >"$E2E_TMP/e.json"
cli put "$E2E_TMP/e.json" >"$out" 2>&1 || fail "put over IPv6 failed: $(cat "$out")"
assert_eq "$(cli get v6 | json_get registrationId)" v6 "get over IPv6"
