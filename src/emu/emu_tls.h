#ifndef DPSENROLL_EMU_TLS_H
#define DPSENROLL_EMU_TLS_H

/* The emulator's private CA and its server certificate for 127.0.0.1, ::1
 * and localhost, made on first start in the data folder (DIR/ca.pem for
 * clients to trust; keys mode 0600) and reused after. A server certificate
 * near its end is renewed under the same CA. */

#include <stdbool.h>

/* Fills *ca_pem, *cert_pem and *key_pem (owned; key_pem is secret). */
bool emu_tls_material(const char *dir, char **ca_pem, char **cert_pem,
		      char **key_pem, char **why);

#endif
