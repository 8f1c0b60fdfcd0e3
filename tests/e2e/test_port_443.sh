#!/usr/bin/env bash
# dpsemu on port 443, as some SDKs dial only that: the connection string
# gives HostName as the bare host (no ":443"), and dpsenroll reaches the
# service with it. Needs root and a free 127.0.0.1:443; otherwise skipped.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "port 443 needs root"
if (exec 3<>/dev/tcp/127.0.0.1/443) 2>/dev/null; then
	skip "something already listens on 127.0.0.1:443"
fi

e2e_setup
# e2e_cleanup stops it with SIGTERM.
restart_emulator --listen 127.0.0.1:443
assert_eq "$EMU_URL" "https://127.0.0.1:443" "address dpsemu listens on"
grep -qxF "listening on https://127.0.0.1:443" "$E2E_TMP/dpsemu.out" \
	|| fail "dpsemu printed: $(cat "$E2E_TMP/dpsemu.out")"

cs=$(cat "$EMU_DATA/connection-string")
case "$cs" in
"HostName=127.0.0.1;"*) ;;
*) fail "the connection string does not start with 'HostName=127.0.0.1;': '${cs%%;*}'" ;;
esac

out=$(DPS_CONNECTION_STRING="$(cat "$EMU_DATA/connection-string")" \
	DPSENROLL_CACERT="$EMU_DATA/ca.pem" "$DPSENROLL" query 2>&1) \
	|| fail "dpsenroll query against port 443 failed: $out"
assert_eq "$out" "[]" "dpsenroll query on an empty service"
