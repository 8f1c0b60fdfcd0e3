#!/bin/sh
# make compat: the official Azure IoT DPS Node SDKs against dpsemu.
#
# Installs the pinned packages of tests/compat/package-lock.json into
# COMPAT_DIR (npm ci, only when the lock file changed), starts dpsemu on
# 127.0.0.1:443 with a data folder of its own (the SDKs dial port 443 and
# nothing else), runs tests/compat/scenarios.js, and stops dpsemu.
# Arguments: scenario names (default: all).
#
# Exit: 0 when every scenario passed, or when the suite cannot run here
# (not root, port 443 taken), said with a line starting "compat: SKIP";
# 1 when a scenario failed; 2 when something around them went wrong.

set -u

here=$(cd "$(dirname "$0")" && pwd)
DPSEMU=${DPSEMU:-$here/../../build/dpsemu}
COMPAT_DIR=${COMPAT_DIR:-$here/../../build/compat}
LISTEN=127.0.0.1
# The host the SDKs dial (and the connection string names): COMPAT_HOST=
# localhost tries the name instead of the address.
HOST=${COMPAT_HOST:-$LISTEN}
# Two hubs, so that an assignment to the second one shows.
HUBS=compat-hub-1.azure-devices.net,compat-hub-2.azure-devices.net

skip() {
	echo "compat: SKIP: $*"
	exit 0
}

die() {
	echo "compat: $*" >&2
	exit 2
}

[ "$(id -u)" = 0 ] ||
	skip "the SDKs only dial port 443, and dpsemu can listen there only as root"
command -v node >/dev/null && command -v npm >/dev/null ||
	die "node and npm are missing; 'make compat-deps' installs them (as root)"
[ -x "$DPSEMU" ] || die "no dpsemu at $DPSEMU; run 'make' first"

# The packages: again only when the lock file differs from the one last
# installed, so a second run needs no network.
install_packages() {
	mkdir -p "$COMPAT_DIR" || die "cannot make $COMPAT_DIR"
	if cmp -s "$here/package-lock.json" "$COMPAT_DIR/package-lock.json" &&
	   [ -d "$COMPAT_DIR/node_modules" ]; then
		return 0
	fi
	echo "compat: installing the Node packages of tests/compat/package-lock.json"
	cp "$here/package.json" "$here/package-lock.json" "$COMPAT_DIR/" &&
	(cd "$COMPAT_DIR" && npm ci --ignore-scripts --no-audit --no-fund \
		--loglevel=error) ||
		{ rm -f "$COMPAT_DIR/package-lock.json"
		  die "npm ci failed (it needs the npm registry); see above"; }
}

install_packages

work=$(mktemp -d) || die "cannot make a temporary folder"
data=$work/data
emu_pid=
cleanup() {
	if [ -n "$emu_pid" ]; then
		kill "$emu_pid" 2>/dev/null
		wait "$emu_pid" 2>/dev/null
	fi
	cp "$work/dpsemu.log" "$COMPAT_DIR/dpsemu.log" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# No rate limit, where dpsemu has one by default: the suite is not about
# throttling. An older dpsemu refuses --throttle 0 and limits nothing.
throttle=
"$DPSEMU" --throttle 0 --help >/dev/null 2>&1 && throttle="--throttle 0"

# shellcheck disable=SC2086 # $throttle is two words or none
"$DPSEMU" --data "$data" --listen "$LISTEN:443" --linked-hubs "$HUBS" $throttle \
	>"$work/stdout" 2>"$work/dpsemu.log" &
emu_pid=$!

# Bounded wait for dpsemu to say it accepts connections, or to exit.
tries=0
until grep -q '^listening on' "$work/stdout" 2>/dev/null; do
	if ! kill -0 "$emu_pid" 2>/dev/null; then
		wait "$emu_pid" 2>/dev/null
		emu_pid=
		if grep -q 'cannot listen' "$work/dpsemu.log"; then
			skip "dpsemu cannot listen on $LISTEN:443: $(tail -n 1 "$work/dpsemu.log")"
		fi
		cat "$work/dpsemu.log" >&2
		die "dpsemu did not start"
	fi
	tries=$((tries + 1))
	[ "$tries" -le 300 ] || die "dpsemu did not start listening within 15 s"
	sleep 0.05
done

# The SDKs check the server's name against the host they dial.
case $HOST in
*[!0-9.:]*) check=-checkhost ;;
*) check=-checkip ;;
esac
openssl x509 -in "$data/server.pem" -noout "$check" "$HOST" | grep -q 'does match' ||
	die "dpsemu's certificate does not name $HOST"

echo "compat: dpsemu on https://$HOST:443${throttle:+ ($throttle)}, data in a temporary folder"
COMPAT_DATA=$data COMPAT_HOST=$HOST COMPAT_HUBS=$HUBS NODE_EXTRA_CA_CERTS=$data/ca.pem \
	NODE_PATH=$COMPAT_DIR/node_modules node "$here/scenarios.js" "$@"
rc=$?
[ "$rc" = 0 ] || echo "compat: dpsemu's log of the run: $COMPAT_DIR/dpsemu.log"
exit "$rc"
