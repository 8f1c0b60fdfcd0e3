#ifndef DPSENROLL_MODEL_X509INFO_H
#define DPSENROLL_MODEL_X509INFO_H

/* What a technician needs to know about an X.509 certificate, read with
 * OpenSSL from PEM (one certificate or a chain), base64 of DER, or DER. */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

enum cert_format {
	CERT_FORMAT_PEM,
	CERT_FORMAT_BASE64_DER,
	CERT_FORMAT_DER,
};

struct cert_info {
	enum cert_format format;
	size_t chain_length;	/* certificates in the input; > 1: leaf chosen */
	char *subject;		/* "CN=dev-01, O=Contoso, C=US" (most specific first) */
	char *issuer;
	char *common_name;	/* subject CN, NULL when it has none */
	char *serial;		/* upper-case hex, no separators */
	char sha1[41];		/* upper-case hex thumbprints, no separators */
	char sha256[65];
	time_t not_before;
	time_t not_after;
	int version;		/* 1, 2 or 3 */
	char key_type[16];	/* "RSA", "EC", "ED25519", ... */
	int key_bits;
	char curve[32];		/* EC curve name, "" otherwise */
	bool is_ca;		/* basicConstraints CA:TRUE */
	bool self_signed;	/* its own issuer: the names match and its own
				 * key verifies its signature */
	bool key_cert_sign;	/* keyUsage lists keyCertSign */
};

/* Reads the certificate from `len` bytes. When the input is a chain, the
 * leaf (the certificate that issued none of the others) is described and
 * chain_length says how many there were. Returns true on success; on
 * failure *why is an owned message saying what was given and what is
 * expected. Free a filled info with cert_info_clear. */
bool cert_info_read(const unsigned char *data, size_t len,
		    struct cert_info *info, char **why);
void cert_info_clear(struct cert_info *info);

/* JSON for `dpsenroll certinfo`: every field above; times as
 * YYYY-MM-DDTHH:MM:SSZ. The caller owns the result. */
cJSON *cert_info_to_json(const struct cert_info *info);
/* Readable multi-line text for `certinfo --text`; the caller frees. */
char *cert_info_to_text(const struct cert_info *info);

/* The service's X509CertificateInfo object (subjectName, issuerName,
 * sha1Thumbprint, sha256Thumbprint, notBeforeUtc, notAfterUtc,
 * serialNumber, version), as the service computes it on PUT. */
cJSON *cert_info_to_service_json(const struct cert_info *info);
/* The other way (x509service.c): what the service says about a
 * certificate it holds, from the X509CertificateInfo a GET returns in
 * place of the certificate. Fills the names, CN, serial, thumbprints,
 * validity and version; the key, CA flag and format stay empty. False
 * (info cleared) when `j` holds no SHA-256 thumbprint or no readable
 * notAfterUtc. Free a filled info with cert_info_clear. */
bool cert_info_from_service_json(const cJSON *j, struct cert_info *info);

/* What a certificate is, as far as enrolling one device goes. CA:TRUE
 * alone does not make an issuing CA: `openssl req -x509` puts it in every
 * self-signed certificate it makes unless told otherwise. */
enum cert_role {
	CERT_ROLE_LEAF,		/* issued by another, not a CA */
	CERT_ROLE_SELF_SIGNED,	/* its own issuer and signs no others (no
				 * keyCertSign): fine as a device certificate */
	CERT_ROLE_ISSUING_CA,	/* keyUsage keyCertSign, or CA:TRUE issued by
				 * another CA: it issues device certificates */
};

enum cert_role cert_info_role(const struct cert_info *info);

enum cert_validity {
	CERT_VALID,
	CERT_EXPIRES_SOON,	/* valid, but for CERT_SOON_DAYS or less */
	CERT_EXPIRED,
	CERT_NOT_YET_VALID,
};

enum { CERT_SOON_DAYS = 30 };

/* Where `now` falls in the validity window, which includes both ends
 * (RFC 5280): expired only after notAfter, not yet valid only before
 * notBefore; in a window that is upside down, expired wins. *days_left,
 * unless NULL, is the whole days from now to notAfter, rounded down: 0
 * on the last day, -1 on the first day after it. */
enum cert_validity cert_info_validity(const struct cert_info *info,
				      time_t now, long *days_left);

/* Where `now` stands, in words: "valid, 120 days left", "expires soon, 8
 * days left", "EXPIRED 10 days ago", "not valid yet, starts in 3 days".
 * Days are whole days elapsed or to come, rounded down: a certificate that
 * expired 10 days and 5 hours ago "expired 10 days ago"; under one day
 * reads "less than a day" ("EXPIRED less than a day ago"). The caller
 * frees. */
char *cert_validity_text(const struct cert_info *info, time_t now);

/* "2026-11-27T08:00:00Z"; buf must hold 21 bytes. */
void format_utc(time_t t, char buf[21]);

#endif
