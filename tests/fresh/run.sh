#!/usr/bin/env bash
# make fresh-check: the README's promise, that on a fresh Debian 12 with
# only make and a C compiler `make check` and `make run` do all the set-up
# themselves, tried where nothing was installed by hand. It makes a new
# Debian 12 root (debootstrap minbase, plus make, gcc, git and
# ca-certificates), puts a clean clone of this tree's last commit in it,
# and there runs `make check`, then `make run` in tmux until the form
# shows, and quits it with F10. Then `make deb` there, and the packages
# are installed with apt-get into a copy of the new root taken before
# anything was built in it, where the packaged programs must run.
#
# Needs root (debootstrap, chroot, mounts in a private mount namespace)
# and Debian's package mirror; takes minutes. debootstrap is installed with
# apt-get when missing.
#
#   FRESH_DIR=DIR   where the root is made (default: build/fresh)
#   FRESH_KEEP=1    keep the root afterwards (it is removed otherwise)
#   DEBIAN_MIRROR   default: the first Debian archive this machine's apt
#                   uses (its sources), so the root comes from the same place
#   FRESH_RUN_WAIT  seconds `make run` may take to show the form (600)
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
FRESH=${FRESH_DIR:-$SRC/build/fresh}
ROOT=$FRESH/root
# The same new root, untouched by the build: where the packages go.
CLEAN=$FRESH/clean
LOGS=$FRESH/logs
# The machine's own archive, from its apt sources (deb822 or one-line).
apt_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$f" |
		      grep -v security | head -n 1)
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
}
MIRROR=${DEBIAN_MIRROR:-$(apt_mirror)}
[ -n "$MIRROR" ] || {
	echo "fresh-check: no Debian archive in this machine's apt sources; set DEBIAN_MIRROR" >&2
	exit 1
}
RUN_WAIT=${FRESH_RUN_WAIT:-600}
# Inside the root: where the newcomer's clone lives.
TREE=/root/dpsenroll
TMUX_SOCK=dpsenroll-fresh-$$

say() {
	echo "fresh-check: $*"
}

die() {
	say "FAILED: $*" >&2
	exit 1
}

# The mounts live in a private mount namespace of their own (see
# in_root), so nothing is left mounted on the host; the check is only a
# guard before the folder is removed.
mounted_under() {
	grep -qF -e " $ROOT/" -e " $CLEAN/" /proc/self/mounts
}

cleanup() {
	tmux -L "$TMUX_SOCK" kill-server >/dev/null 2>&1
	if [ "${FRESH_KEEP:-}" = 1 ]; then
		say "kept $ROOT (logs in $LOGS)"
	elif mounted_under; then
		say "not removing $ROOT: something is still mounted under it" >&2
	else
		rm -rf --one-file-system "$ROOT" "$CLEAN"
	fi
}

[ "$(id -u)" = 0 ] || die "needs root: debootstrap, chroot and mounts (run: sudo make fresh-check)"
for tool in git tmux unshare chroot; do
	command -v "$tool" >/dev/null || die "needs $tool on this machine"
done
if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap with apt-get"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends debootstrap; } \
		|| die "could not install debootstrap"
fi

commit=$(git -C "$SRC" rev-parse HEAD) || die "$SRC is not a git checkout"
if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
	say "note: uncommitted changes are not part of the test (it clones $commit)"
fi

mounted_under && die "something is mounted under $ROOT; unmount it first"
rm -rf --one-file-system "$ROOT" "$CLEAN" "$LOGS"
mkdir -p "$ROOT" "$LOGS" || die "cannot make $ROOT"
trap cleanup EXIT

say "debootstrap bookworm (minbase + make gcc git ca-certificates) from $MIRROR"
t0=$SECONDS
debootstrap --variant=minbase --include=make,gcc,git,ca-certificates \
	bookworm "$ROOT" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1 \
	|| die "debootstrap failed: $(tail -n 5 "$LOGS/debootstrap.log")"
say "root made in $((SECONDS - t0)) s"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
cp -a "$ROOT" "$CLEAN" || die "could not copy the new root"

git clone -q --no-local "$SRC" "$ROOT$TREE" && git -C "$ROOT$TREE" checkout -q "$commit" \
	|| die "could not clone $SRC into the root"

# in_root CMD...: runs CMD in the root as a newcomer's root shell would,
# with a clean environment, /proc and /dev mounted in a private mount
# namespace that ends with it.
cat >"$LOGS/in-root.sh" <<EOF
#!/bin/sh
root=\${IN_ROOT:-$ROOT}
mount -t proc proc "\$root/proc" || exit 1
mount --rbind /dev "\$root/dev" || exit 1
exec chroot "\$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \\
	TERM="\${TERM:-dumb}" USER=root LOGNAME=root \\
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
	/bin/sh -c 'cd $TREE && exec "\$@"' sh "\$@"
EOF
chmod +x "$LOGS/in-root.sh"
in_root() {
	unshare --mount --propagation private "$LOGS/in-root.sh" "$@"
}
in_clean() {
	IN_ROOT=$CLEAN unshare --mount --propagation private "$LOGS/in-root.sh" "$@"
}

for cmd in pkg-config tmux perl; do
	if in_root sh -c "command -v $cmd" >/dev/null 2>&1; then
		say "note: $cmd is already in the new root"
	fi
done

say "make check (log: $LOGS/check.log)"
t0=$SECONDS
in_root make check >"$LOGS/check.log" 2>&1
rc=$?
say "make check ended with status $rc in $((SECONDS - t0)) s:"
grep -E '^(100%|[0-9]+%): Checks|^[0-9]+ passed, |^skip |^FAIL |^ok install' "$LOGS/check.log" | sed 's/^/    /'
[ "$rc" = 0 ] || die "make check failed in the new root: $(tail -n 30 "$LOGS/check.log")"

say "make run in tmux, until the form shows"
t0=$SECONDS
tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s run -x 100 -y 30 \
	"unshare --mount --propagation private '$LOGS/in-root.sh' sh -c 'make run; echo EXITED \$?'" \
	|| die "tmux did not start"
tmux -L "$TMUX_SOCK" set-option -t run remain-on-exit on >/dev/null
screen() {
	tmux -L "$TMUX_SOCK" capture-pane -p -S - -E - -t run 2>/dev/null
}
until screen | grep -q 'F1 Help'; do
	if screen | grep -q '^EXITED '; then
		screen >"$LOGS/run.screen"
		die "make run ended before the form showed: $(grep -v '^$' "$LOGS/run.screen" | tail -n 20)"
	fi
	[ $((SECONDS - t0)) -lt "$RUN_WAIT" ] || {
		screen >"$LOGS/run.screen"
		die "no form within ${RUN_WAIT}s: $(grep -v '^$' "$LOGS/run.screen" | tail -n 20)"
	}
	sleep 1
done
say "the form showed after $((SECONDS - t0)) s"
screen >"$LOGS/run.screen"
tmux -L "$TMUX_SOCK" send-keys -t run F10
t1=$SECONDS
until screen | grep -q '^EXITED '; do
	[ $((SECONDS - t1)) -lt 30 ] || die "F10 did not end make run within 30 s"
	sleep 0.2
done
status=$(screen | sed -n 's/^EXITED \([0-9]*\).*/\1/p' | tail -n 1)
[ "$status" = 0 ] || die "make run ended with status $status after F10: $(screen | grep -v '^$' | tail -n 10)"
say "make run showed the form and quit with F10 (status 0)"
say "make deb, then apt-get install of the packages on the untouched root"
in_root make deb >"$LOGS/deb.log" 2>&1 || die "make deb failed: $(tail -n 20 "$LOGS/deb.log")"
mkdir -p "$CLEAN$TREE" && cp "$ROOT$TREE"/build/deb/*.deb "$CLEAN$TREE/" \
	|| die "no packages in $ROOT$TREE/build/deb"
in_clean sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends ./*.deb' \
	>"$LOGS/deb-install.log" 2>&1 \
	|| die "apt-get install of the packages failed: $(tail -n 20 "$LOGS/deb-install.log")"
in_clean sh -c 'set -e; dpsenroll --version; mkdir -p /tmp/emu
	dpsemu --data /tmp/emu --listen 127.0.0.1:0 >/tmp/emu.out 2>&1 &
	for i in $(seq 100); do grep -q listening /tmp/emu.out && break; sleep 0.1; done
	url=$(sed -n "s/^listening on //p" /tmp/emu.out)
	echo "{\"registrationId\":\"deb-1\",\"attestation\":{\"type\":\"symmetricKey\"}}" >/tmp/e.json
	DPS_CONNECTION_STRING=$(cat /tmp/emu/connection-string) \
		dpsenroll put --cacert /tmp/emu/ca.pem /tmp/e.json >/dev/null
	DPS_CONNECTION_STRING=$(cat /tmp/emu/connection-string) \
		dpsenroll get --cacert /tmp/emu/ca.pem deb-1 | grep -q deb-1
	kill $!; echo "packaged programs ran: $url"' >"$LOGS/deb-run.log" 2>&1 \
	|| die "the packaged programs did not run on a clean root: $(tail -n 20 "$LOGS/deb-run.log")"
sed 's/^/    /' "$LOGS/deb-run.log"
say "passed: make check and make run work on a new Debian 12 root, and the packages install and run on one"
