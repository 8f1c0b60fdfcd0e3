#!/usr/bin/env bash
# A technician creates a symmetric-key enrollment from the empty form: types
# the registration id, picks symmetricKey in the attestation type picker and
# submits. The service generates the keys, so the answer must show them with
# the warning to store them, and the enrollment must exist afterwards.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-e2e-001

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"

keys Enter
type_text "$ID"
wait_for_regex "^▶ Registration ID +✓ $ID"
keys Enter

focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
wait_for_text "symmetricKey"
# Down to symmetricKey, counting rows in the picker's own order.
picker=$(screen | grep -E '│ (\(not set\)|none|tpm|x509|symmetricKey) ' | sed -E 's/.*│ ([^ ]+).*/\1/')
pos=$(grep -nx symmetricKey <<<"$picker" | cut -d: -f1)
[ -n "$pos" ] || fail "symmetricKey is not in the picker"
for ((i = 1; i < pos; i++)); do keys Down; done
keys Enter
wait_for_no_text "─ Attestation type "
wait_for_regex "Attestation type +✓ symmetricKey"
wait_for_text "Primary key"
wait_for_text "✓ ready to submit"

keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "The service generated these keys. Store them now"
wait_for_text "primary key"
wait_for_text "secondary key"
wait_for_text "editing $ID"
wait_for_text "Submitted $ID"

out=$(cli get "$ID") || fail "dpsenroll get $ID failed: $out"
# The keys shown are the ones the service stored, both of them.
stored=$(cli keys "$ID") || fail "dpsenroll keys $ID failed"
shown=$(screen | grep -oE '[A-Za-z0-9+/]{40,}={0,2}')
for which in primaryKey secondaryKey; do
	key=$(json_get "symmetricKey.$which" <<<"$stored")
	[ -n "$key" ] || fail "dpsenroll keys $ID has no $which"
	# the key goes to grep on its input, never in its arguments
	grep -qxF -f <(printf '%s\n' "$key") <<<"$shown" ||
		fail "the stored $which is not on screen"
done
assert_eq "$(json_get registrationId <<<"$out")" "$ID" "registrationId from get"
assert_eq "$(json_get attestation.type <<<"$out")" symmetricKey "attestation type from get"
[ "$(emu_log_count "^PUT /enrollments/$ID 200")" -eq 1 ] || fail "dpsemu did not log exactly one PUT of $ID"

keys Escape
wait_for_no_text "HTTP 200 OK"

# The form's news names keys of the form (v, r): the fleet list, where
# they do other things, does not show it; back in the form it is there.
keys F11
wait_for_text "Fleet list"
wait_for_regex "^▶  $ID "
assert_screen_lacks "Submitted $ID" "the fleet list's status line"
keys Escape
wait_for_text "Submitted $ID"
