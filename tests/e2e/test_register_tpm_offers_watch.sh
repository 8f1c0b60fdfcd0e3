#!/usr/bin/env bash
# A TPM device cannot be registered from the bench computer: r on a TPM
# enrollment says so and offers to watch instead; y starts the watch,
# which sees the device register (simulated by the emulator's admin API,
# as the device's own TPM would).
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-tpm-reg
make_rsa_public_key "$E2E_TMP/ek.pem"

start_tui
fill_new_form "$ID" tpm
focus_field "Endorsement key"
keys o
browser_choose ek.pem
wait_for_text "┌─ TPM key "
keys Escape
wait_for_no_text "┌─ TPM key "
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "Submitted $ID"
keys Escape
wait_for_no_text "HTTP 200 OK"

keys r
wait_for_text "only the device's own TPM can register it"
wait_for_text "y: watch it"
keys y
wait_for_regex "waiting for $ID to register \\(power it on\\) 0:0[0-9]"
register_device "$ID"
wait_for_text "$ID is registered."
wait_for_regex "assignedHub +$E2E_HUB"
