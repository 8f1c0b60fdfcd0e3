#!/usr/bin/env bash
# A proxy that is down (nothing listens at its port) is named as the
# proxy, whether it came from --proxy or https_proxy: the technician is
# sent to check the proxy, not the service or dpsemu, which never saw
# the request.
. "$(dirname "$0")/lib.sh"
e2e_setup

echo '{"registrationId":"proxy-down","attestation":{"type":"symmetricKey"}}' >"$E2E_TMP/e.json"
out=$E2E_TMP/out

check_named() {
	local how=$1 rc=$2
	assert_eq "$rc" 3 "exit code with the proxy down ($how)"
	grep -q "the proxy cannot be reached" "$out" \
		|| fail "the proxy that is down ($how) is not named: $(cat "$out")"
	grep -q "is the service (or dpsemu) running" "$out" \
		&& fail "the service is blamed for the proxy ($how): $(cat "$out")"
	grep -q "s3cret-proxy-pw" "$out" && fail "the proxy's password was printed ($how)"
	return 0
}

cli put "$E2E_TMP/e.json" --proxy http://127.0.0.1:1 >"$out" 2>&1
check_named "--proxy" $?
https_proxy=http://tech:s3cret-proxy-pw@127.0.0.1:1 cli put "$E2E_TMP/e.json" >"$out" 2>&1
check_named "https_proxy" $?
cli get proxy-down >"$out" 2>&1
assert_eq $? 1 "exit code of a get of what was never sent"

# The service itself down, no proxy: the service is named, as before.
DPS_CONNECTION_STRING="${DPS_CONNECTION_STRING/HostName=127.0.0.1:$EMU_PORT/HostName=127.0.0.1:1}" \
	https_proxy=http://127.0.0.1:1 no_proxy=127.0.0.1 \
	cli get proxy-down --retries 0 >"$out" 2>&1
assert_eq $? 3 "exit code with the service down"
grep -q "is the service (or dpsemu) running" "$out" \
	|| fail "the service that is down is not named: $(cat "$out")"
if grep -q "the proxy cannot be reached" "$out"; then
	fail "no_proxy named the host, yet the proxy is blamed: $(cat "$out")"
fi
