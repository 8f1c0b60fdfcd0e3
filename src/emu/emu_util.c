#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "base/b64.h"
#include "base/xalloc.h"
#include "emu/emu.h"

void
emu_timestamp(char buf[40])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	long ticks = ts.tv_nsec / 100;	/* the service keeps 100 ns units */
	if (ticks) {
		n += (size_t)snprintf(buf + n, 40 - n, ".%07ld", ticks);
		while (buf[n - 1] == '0')
			n--;
	}
	buf[n++] = 'Z';
	buf[n] = '\0';
}

void
emu_new_guid(char buf[37])
{
	unsigned char b[16];
	if (RAND_bytes(b, sizeof(b)) != 1)
		memset(b, 0, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
emu_new_etag(void)
{
	char guid[37], quoted[40];
	emu_new_guid(guid);
	snprintf(quoted, sizeof(quoted), "\"%s\"", guid);
	return b64_encode((const unsigned char *)quoted, strlen(quoted));
}

char *
emu_lower(const char *s)
{
	char *out = xstrdup(s);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}
