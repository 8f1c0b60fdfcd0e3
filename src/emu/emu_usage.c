/* dpsemu --help. A table of its own, so the manual page is generated
 * from the same text (make docs). */

#include "emu/emu_usage.h"

const char emu_usage[] =
	"Usage: dpsemu --data DIR [--listen ADDR:PORT] [--linked-hubs H1,H2]\n"
	"              [--throttle N] [--registration-throttle N]\n"
	"              [--fault SPEC]... [--public] [--token-key FILE]\n\n"
	"A local Azure IoT Hub Device Provisioning Service (api-version\n"
	"2021-10-01) on HTTPS, for practice and tests.\n\n"
	"  --data DIR          where enrollments, keys and certificates live\n"
	"  --listen ADDR:PORT  default 127.0.0.1:8443; port 0 picks a free one;\n"
	"                      [::1]:PORT for IPv6\n"
	"  --public            allow --listen on an address other machines can\n"
	"                      reach, e.g. 0.0.0.0:8443 (refused without it)\n"
	"  --linked-hubs LIST  IoT hub host names devices may be assigned to\n"
	"  --throttle N        at most N service operations and N device\n"
	"                      registrations per minute; over it, 429 with\n"
	"                      Retry-After. Default 1000 each, Azure's limits;\n"
	"                      --throttle 0 turns the limit off\n"
	"  --registration-throttle N\n"
	"                      another limit for device registrations per\n"
	"                      minute (0: none)\n"
	"  --fault SPEC        inject a fault, e.g. status=503,retry-after=1,count=2\n"
	"                      (kinds: delay=MS, status=CODE, drop, malformed,\n"
	"                      oversized, continuation-loop, continuation-endless;\n"
	"                      options: count=N, retry-after=S, method=M,\n"
	"                      path=PREFIX, after)\n"
	"  --token-key FILE    also accept Authorization: Bearer tokens: HS256\n"
	"                      JWTs signed with this file's bytes (mode 0600),\n"
	"                      minted by POST /admin/token\n\n"
	"On start it writes DIR/connection-string (mode 0600) and DIR/ca.pem,\n"
	"then prints 'listening on https://ADDR:PORT'.\n";
