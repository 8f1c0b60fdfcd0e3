#!/usr/bin/env bash
# Behind a proxy: https_proxy and no_proxy are honoured, --proxy and a
# profile's "proxy" too; a proxy that wants a password or refuses the
# service's port gets its own explanation, and the service is known not
# to have seen the request. A proxy's password is never printed.
. "$(dirname "$0")/lib.sh"
e2e_setup

PROXY_LOG=$E2E_TMP/proxy.log
# start_proxy NAME [ARGS...]: a CONNECT proxy; its port in ${NAME}_PORT.
start_proxy() {
	local name=$1 portfile=$E2E_TMP/$1.port
	shift
	perl "$E2E_DIR/connect_proxy.pl" "$portfile" "$PROXY_LOG" "$@" &
	E2E_STOP_PIDS="$E2E_STOP_PIDS $!"
	wait_until "$E2E_TIMEOUT" "the $name proxy did not start" test -s "$portfile"
	printf -v "${name}_PORT" '%s' "$(cat "$portfile")"
}

start_proxy open
start_proxy locked --auth tech:s3cret-proxy-pw
start_proxy narrow --allow-port 1
proxy_lines() { grep -c "$1" "$PROXY_LOG" 2>/dev/null || true; }

echo '{"registrationId":"via-proxy","attestation":{"type":"symmetricKey"}}' >"$E2E_TMP/e.json"
out=$E2E_TMP/out

# https_proxy from the environment.
https_proxy=http://127.0.0.1:$open_PORT cli put "$E2E_TMP/e.json" >"$out" 2>&1 \
	|| fail "put through https_proxy failed: $(cat "$out")"
assert_eq "$(proxy_lines "CONNECT 127.0.0.1:$EMU_PORT 200")" 1 "CONNECTs through the proxy"
# The proxy's CONNECT is not the request: an answer through a new tunnel
# is a sure one, so a conflict is reported at once, not read back.
https_proxy=http://127.0.0.1:$open_PORT cli put "$E2E_TMP/e.json" >"$out" 2>&1
rc=$?
assert_eq "$rc" 4 "exit code of a create of an existing id through a proxy"
grep -qi "may have been applied\|read back" "$out" \
	&& fail "a 409 through a proxy was taken for a lost answer: $(cat "$out")"

# no_proxy names the host: straight there.
before=$(proxy_lines CONNECT)
https_proxy=http://127.0.0.1:$open_PORT no_proxy=127.0.0.1 cli get via-proxy >"$out" 2>&1 \
	|| fail "get with no_proxy failed: $(cat "$out")"
assert_eq "$(proxy_lines CONNECT)" "$before" "CONNECTs when no_proxy names the host"

# --proxy wins over the environment.
https_proxy=http://127.0.0.1:1 cli get via-proxy --proxy "http://127.0.0.1:$open_PORT" >"$out" 2>&1 \
	|| fail "get --proxy failed: $(cat "$out")"
assert_eq "$(proxy_lines CONNECT)" "$((before + 1))" "CONNECTs with --proxy"

# A proxy that wants a password, given none: 407 explained, nothing sent.
https_proxy=http://127.0.0.1:$locked_PORT cli delete via-proxy >"$out" 2>&1
rc=$?
assert_eq "$rc" 3 "exit code when the proxy wants a password"
grep -q "407" "$out" && grep -qi "user name and password" "$out" \
	|| fail "no word of the proxy's 407: $(cat "$out")"
grep -qi "may have been applied" "$out" && fail "a refused tunnel was taken for a lost answer: $(cat "$out")"
[ "$(cli get via-proxy | json_get registrationId)" = via-proxy ] \
	|| fail "the enrollment is gone though the proxy refused the delete"

# ... given in a profile: it works, and the password is printed nowhere.
mkdir -p "$XDG_CONFIG_HOME/dpsenroll" && chmod 700 "$XDG_CONFIG_HOME/dpsenroll"
perl -MJSON::PP -e 'print JSON::PP->new->encode({ profiles => { bench => {
	connectionString => $ENV{DPS_CONNECTION_STRING}, cacert => $ENV{DPSENROLL_CACERT},
	proxy => "http://tech:s3cret-proxy-pw\@127.0.0.1:$ARGV[0]" } } })' "$locked_PORT" \
	>"$XDG_CONFIG_HOME/dpsenroll/config.json"
chmod 600 "$XDG_CONFIG_HOME/dpsenroll/config.json"
cli get via-proxy --profile bench >"$out" 2>&1 || fail "get through the profile's proxy failed: $(cat "$out")"
assert_eq "$(proxy_lines "CONNECT 127.0.0.1:$EMU_PORT 200")" 4 "tunnels opened in all"
echo '{"registrationId":"via-proxy-2","attestation":{"type":"symmetricKey"}}' >"$E2E_TMP/e2.json"
cli put "$E2E_TMP/e2.json" --profile bench >"$out" 2>&1 || fail "put through the profile's proxy failed: $(cat "$out")"
cli put "$E2E_TMP/e2.json" --profile bench --timeout 0.001 >>"$out" 2>&1
grep -rq "s3cret-proxy-pw" "$out" "$XDG_STATE_HOME" && fail "the proxy password was printed or journaled"

# A password on the command line is visible to all: said so.
cli get via-proxy --proxy "http://tech:s3cret-proxy-pw@127.0.0.1:$locked_PORT" >"$out" 2>&1 \
	|| fail "get --proxy with credentials failed: $(cat "$out")"
grep -q "process list" "$out" || fail "no warning for a password in --proxy: $(cat "$out")"
grep -q "s3cret-proxy-pw" "$out" && fail "the warning printed the password"

# A proxy that does not allow the service's port.
https_proxy=http://127.0.0.1:$narrow_PORT cli get via-proxy >"$out" 2>&1
rc=$?
assert_eq "$rc" 3 "exit code when the proxy refuses the port"
grep -qi "proxy" "$out" || fail "a refused tunnel does not name the proxy: $(cat "$out")"
