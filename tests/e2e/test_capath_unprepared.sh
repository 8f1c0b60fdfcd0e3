#!/usr/bin/env bash
# --capath that cannot work says what to do about it: a folder whose CA
# was copied in but never prepared with 'openssl rehash' (the usual
# slip) is named, not answered with "pass --cacert"; a --capath that is
# no folder (a missing one, or the CA file itself) is a usage error
# before anything is sent.
. "$(dirname "$0")/lib.sh"
e2e_setup

cas=$E2E_TMP/cas
mkdir -p "$cas"
cp "$DPSENROLL_CACERT" "$cas/bench-ca.pem"
ca_file=$DPSENROLL_CACERT
unset DPSENROLL_CACERT
out=$E2E_TMP/out

cli query --capath "$cas" >"$out" 2>&1
assert_eq $? 3 "exit code with a folder not rehashed"
grep -q "the --capath folder" "$out" && grep -q "openssl rehash DIR" "$out" \
	|| fail "a folder not rehashed is not explained: $(cat "$out")"

cli query --capath "$E2E_TMP/no-such-folder" >"$out" 2>&1
assert_eq $? 2 "exit code with a --capath that does not exist"
grep -q -- "--capath $E2E_TMP/no-such-folder is not a folder" "$out" \
	|| fail "a missing --capath is not named: $(cat "$out")"

cli query --capath "$ca_file" >"$out" 2>&1
assert_eq $? 2 "exit code with a --capath naming a file"
grep -q "one CA with --cacert" "$out" \
	|| fail "a CA file given to --capath does not point to --cacert: $(cat "$out")"

openssl rehash "$cas" 2>/dev/null || fail "openssl rehash failed"
cli query --capath "$cas" >"$out" 2>&1 || fail "query --capath failed once rehashed: $(cat "$out")"
