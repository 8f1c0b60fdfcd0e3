#!/usr/bin/env bash
# The attestation type decides which fields the form shows: tpm asks for
# the endorsement key, symmetricKey for the keys, x509 for a certificate.
# Switching (with the picker and with Left/Right) swaps them, and text typed
# in a field that was hidden comes back with its type.
. "$(dirname "$0")/lib.sh"
e2e_setup

has_row() { field_row "$1" >/dev/null; }
lacks_row() { ! field_row "$1" >/dev/null; }

expect_rows() {	# TYPE SHOWN... -- HIDDEN...
	local type=$1 label
	shift
	wait_for_regex "Attestation type +✓ $type\$"
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		wait_until 2 "'$1' is not shown for $type" has_row "$1"
		shift
	done
	[ "${1:-}" = -- ] && shift
	for label in "$@"; do
		lacks_row "$label" || fail "'$label' is shown for $type"
	done
}

start_tui
wait_for_focus "Registration ID"
lacks_row "Endorsement key" || fail "Endorsement key shown before a type is chosen"
lacks_row "Primary key" || fail "Primary key shown before a type is chosen"

focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
type_text t
keys Enter
expect_rows tpm "Endorsement key" "Storage root key" -- "Primary key" "Secondary key" "Certificate"

# Text typed under tpm must survive a trip through the other types.
focus_field "Endorsement key"
# Enter opens the key editor (keys are pasted over lines); Esc closes it
keys Enter
wait_for_text "─ Endorsement key: "
type_text "typed-under-tpm"
keys Escape
wait_for_regex "Endorsement key +✗ typed-under-tpm"
keys Up
wait_for_focus "TPM"
keys Up
wait_for_focus "Attestation type"

keys Right
expect_rows x509 "Certificate" -- "Endorsement key" "Primary key"

keys Right
expect_rows symmetricKey "Primary key" "Secondary key" -- "Endorsement key" "Certificate"

keys Left
expect_rows x509 "Certificate" -- "Endorsement key" "Primary key"

keys Enter
wait_for_text "─ Attestation type "
type_text t
keys Enter
expect_rows tpm "Endorsement key" -- "Primary key" "Certificate"
wait_for_regex "Endorsement key +✗ typed-under-tpm"
