#!/usr/bin/env bash
# make deb, then the packages as a Debian machine takes them: their
# control fields and file lists, installed with dpkg into an empty root
# (no maintainer scripts run; dependencies are a Debian 12 machine's, not
# this root's), the installed programs run from there, and removed again
# without leaving a file behind. `make fresh-check` installs them with
# apt-get on a new Debian 12 too.
. "$(dirname "$0")/../e2e/lib.sh"

MAKE=${MAKE:-make}
BUILD=${BUILD:-build}
SRC=$E2E_ROOT
command -v dpkg-deb >/dev/null || skip "no dpkg-deb (not a Debian machine)"

e2e_setup
log=$E2E_TMP/deb.log
"$MAKE" -C "$SRC" --no-print-directory BUILD="$BUILD" deb >"$log" 2>&1 \
	|| fail "make deb failed: $(tail -n 20 "$log")"
version=$(sed -n 's/^VERSION := //p' "$SRC/Makefile")
arch=$(dpkg --print-architecture)
enroll_deb=$SRC/$BUILD/deb/dpsenroll_${version}_${arch}.deb
emu_deb=$SRC/$BUILD/deb/dpsemu_${version}_${arch}.deb
for deb in "$enroll_deb" "$emu_deb"; do
	[ -f "$deb" ] || fail "make deb did not write $deb"
done

field() { dpkg-deb -f "$1" "$2"; }
assert_eq "$(field "$enroll_deb" Package)" dpsenroll "package name"
assert_eq "$(field "$enroll_deb" Version)" "$version" "package version"
for lib in libc6 libncursesw6 libcjson1 libssl3 libcurl4; do
	field "$enroll_deb" Depends | grep -q "\b$lib\b" \
		|| fail "dpsenroll does not depend on $lib: $(field "$enroll_deb" Depends)"
done
for lib in libmicrohttpd12 libsqlite3-0 libcjson1 libssl3; do
	field "$emu_deb" Depends | grep -q "\b$lib\b" \
		|| fail "dpsemu does not depend on $lib: $(field "$emu_deb" Depends)"
done

# Every file belongs to root; programs 0755, the rest 0644.
listing=$(dpkg-deb -c "$enroll_deb"; dpkg-deb -c "$emu_deb")
grep -v ' root/root ' <<<"$listing" && fail "files not owned by root/root"
grep -E '^-' <<<"$listing" | grep -v '^-rwxr-xr-x.*usr/bin/' | grep -v '^-rw-r--r--' \
	&& fail "files with modes other than 0755 (programs) and 0644"

# Installed into an empty root by dpkg, as apt would, but nowhere else.
root=$E2E_TMP/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"
for deb in "$enroll_deb" "$emu_deb"; do
	dpkg --root="$root" --force-depends --force-not-root \
		--force-script-chrootless --log=/dev/null -i "$deb" >"$log" 2>&1 \
		|| fail "dpkg -i $deb failed: $(cat "$log")"
done
for f in usr/bin/dpsenroll usr/bin/dpsemu usr/share/man/man1/dpsenroll.1.gz \
	 usr/share/man/man1/dpsemu.1.gz usr/share/dpsenroll/themes/dark.theme \
	 usr/share/bash-completion/completions/dpsenroll \
	 usr/share/zsh/vendor-completions/_dpsenroll \
	 usr/share/doc/dpsenroll/README.md usr/share/doc/dpsenroll/copyright \
	 usr/share/locale/fr/LC_MESSAGES/dpsenroll.mo \
	 usr/share/doc/dpsemu/copyright; do
	[ -f "$root/$f" ] || fail "the packages did not install /$f"
done
zcat "$root/usr/share/man/man1/dpsenroll.1.gz" | cmp -s - "$SRC/man/dpsenroll.1" \
	|| fail "the packaged manual page differs from man/dpsenroll.1"

# The packaged programs run, and know /usr as their home.
assert_eq "$("$root/usr/bin/dpsenroll" --version)" "dpsenroll $version" "packaged --version"
grep -qF /usr/share/dpsenroll "$root/usr/bin/dpsenroll" \
	|| fail "the packaged dpsenroll does not look in /usr/share/dpsenroll"
grep -qF -- "$SRC" "$root/usr/bin/dpsenroll" "$root/usr/bin/dpsemu" \
	&& fail "a packaged program holds the path of the source tree"
DPSEMU=$root/usr/bin/dpsemu
restart_emulator
DPSENROLL=$root/usr/bin/dpsenroll
echo '{"registrationId":"deb-1","attestation":{"type":"symmetricKey"}}' >"$E2E_TMP/e.json"
cli put "$E2E_TMP/e.json" >"$log" 2>&1 || fail "the packaged dpsenroll could not put to the packaged dpsemu: $(cat "$log")"
[ "$(cli get deb-1 | json_get registrationId)" = deb-1 ] || fail "the enrollment is not in the packaged dpsemu"

for pkg in dpsenroll dpsemu; do
	dpkg --root="$root" --force-not-root --force-script-chrootless \
		--log=/dev/null -r "$pkg" >"$log" 2>&1 \
		|| fail "dpkg -r $pkg failed: $(cat "$log")"
done
left=$(find "$root/usr" -type f 2>/dev/null)
[ -z "$left" ] || fail "removing the packages left files: $left"
