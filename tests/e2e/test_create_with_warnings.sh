#!/usr/bin/env bash
# A create whose form holds warnings asks first, as an update's review
# does: F2 lists them (an expired certificate, a CN that is not the
# registration id); n goes back with nothing sent and the form as it was;
# y creates the enrollment.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-warn-01
CN=bench-warn-cn
make_ca "Bench Warn CA" -addext "keyUsage=critical,keyCertSign,cRLSign"
# Valid for one day in 2020.
make_expired_device_cert "$CN" "$E2E_TMP/expired.pem"
THUMB=$(cert_thumbprint "$E2E_TMP/expired.pem")

start_tui
fill_new_form "$ID" x509
focus_field "Certificate"
keys o
browser_choose expired.pem
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +! CN=$CN, until 2020-01-02 EXPIRED\$"
wait_for_text "0 errors, 2 warnings"

# F2 asks first and lists both warnings.
keys F2
wait_for_text "┌─ Create with warnings? "
wait_for_text "The form holds 2 warnings:"
wait_for_regex "│ ! Certificate: the certificate expired on 2020-01-02"
wait_for_regex "│ ! Registration ID: the certificate's CN is '$CN'"
wait_for_text "y: create it"

# n: back, nothing sent, nothing lost.
keys n
wait_for_no_text "┌─ Create with warnings? "
wait_for_regex "^▶ +Certificate +! CN=$CN, until 2020-01-02 EXPIRED\$"
wait_for_regex "^  Registration ID +! $ID\$"
[ "$(emu_log_count "^PUT /enrollments/")" -eq 0 ] || fail "n sent the enrollment"
cli get "$ID" >/dev/null 2>&1 && fail "n created the enrollment $ID"

# Esc is n too.
keys F2
wait_for_text "┌─ Create with warnings? "
keys Escape
wait_for_no_text "┌─ Create with warnings? "
[ "$(emu_log_count "^PUT /enrollments/")" -eq 0 ] || fail "Esc sent the enrollment"

# y: created as it is.
keys F2
wait_for_text "┌─ Create with warnings? "
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
stored=$(cli get "$ID") || fail "dpsenroll get $ID failed after y"
assert_eq "$(json_get attestation.x509.clientCertificates.primary.info.sha256Thumbprint <<<"$stored")" \
	"$THUMB" "SHA-256 thumbprint stored"
[ "$(emu_log_count "^PUT /enrollments/")" -eq 1 ] || fail "dpsenroll did not send exactly one PUT"
