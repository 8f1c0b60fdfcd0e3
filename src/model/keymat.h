#ifndef DPSENROLL_MODEL_KEYMAT_H
#define DPSENROLL_MODEL_KEYMAT_H

/* Private key material: what stays on the device and must never reach a
 * field, a draft, the journal or a request. A technician pastes it by
 * accident more often than one would think (`cat device.key device.pem`),
 * so every way in looks for it here.
 *
 * In text, a key is a PEM block whose label names a private key: PRIVATE
 * KEY (PKCS#8), RSA / EC / DSA PRIVATE KEY, ENCRYPTED PRIVATE KEY, OPENSSH
 * PRIVATE KEY, ... wherever it sits (JSON escapes keep the BEGIN line
 * whole). A block runs from its BEGIN line to its END line, or to the end
 * of the text when the END line is missing (a paste cut short). Messages
 * name the block's label, never a byte of what is inside. */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/findings.h"

enum { KEYMAT_LABEL_SIZE = 48 };

struct keymat_block {
	size_t start;		/* offset of "-----BEGIN " */
	size_t end;		/* just after the END line and its line break */
	char label[KEYMAT_LABEL_SIZE];	/* "RSA PRIVATE KEY" */
};

/* The first private key block in text[from, len); false when none. */
bool keymat_next(const char *text, size_t len, size_t from,
		 struct keymat_block *b);

/* Whether NUL-terminated text holds a private key block. */
bool keymat_in_text(const char *text);

/* For a file as read: a PEM private key block, or a DER private key
 * (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8), as it is or in base64. */
bool keymat_in_data(const unsigned char *data, size_t len);

/* A copy of text (owned) without its private key blocks; text that was
 * nothing else (white space aside) becomes "". *dropped, unless NULL, is
 * how many blocks went. */
char *keymat_strip(const char *text, size_t *dropped);

/* Whether a string value or a member name below `node` (itself included,
 * not its siblings) holds a private key block. */
bool keymat_in_json(const cJSON *node);
/* Takes every private key block out of the string values and member
 * names below `node`, in place (the old strings are wiped); returns how
 * many went. */
size_t keymat_strip_json(cJSON *node);

/* The error for key material in the field at `path`: what it is (the
 * label of the first block in `text`, when there is one), that it stays on
 * the device, and what the field takes instead. Owned. */
char *keymat_message(const char *path, const char *text);

/* Append that error for text at `path`, or for every string value below
 * `value` that holds a key, at the value's path ("initialTwin.tags.x",
 * "iotHubs[1]"); a member name that holds one is reported at the object
 * that has it. */
void keymat_check_text(const char *path, const char *text,
		       struct findings *out);
void keymat_check_json(const char *path, const cJSON *value,
		       struct findings *out);

#endif
