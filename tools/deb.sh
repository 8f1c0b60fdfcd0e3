#!/usr/bin/env bash
# make deb: two Debian packages from a `make install PREFIX=/usr` into a
# staging folder: dpsenroll (the program, themes, manual page, shell
# completion, message catalogs, README) and dpsemu (the emulator and its manual page).
# Dependencies come from dpkg-shlibdeps, plus the libcurl that dpsenroll
# and dpsemu load at run time (it is not among their linked libraries).
#
#   tools/deb.sh STAGE OUTDIR VERSION
#   DEB_MAINTAINER  "Name <address>" of whoever builds the packages
set -euo pipefail
MAINTAINER=${DEB_MAINTAINER:-dpsenroll maintainers <dpsenroll@example.org>}

STAGE=$(cd "$1" && pwd)
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
VERSION=$3
ARCH=$(dpkg --print-architecture)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dpsdeb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# dpkg-shlibdeps reads debian/control from where it runs.
shlib_depends() {	# BINARY...: the Depends line for them
	mkdir -p "$WORK/shlibs/debian"
	printf 'Source: dpsenroll\n\nPackage: dpsenroll\nArchitecture: any\n' \
		>"$WORK/shlibs/debian/control"
	local line
	line=$(cd "$WORK/shlibs" && dpkg-shlibdeps -O "$@" 2>"$WORK/shlibs.err") ||
		{ echo "deb: dpkg-shlibdeps failed for $*:" >&2
		  cat "$WORK/shlibs.err" >&2; exit 1; }
	sed -n 's/^shlibs:Depends=//p' <<<"$line"
}

copyright() {	# PACKAGE
	cat <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $1

Files: *
Copyright: 2026 the dpsenroll authors
License: none-granted
 The authors have not published this program under a licence yet; the
 package is meant for the machines of the organisation that builds it.
EOF
}

changelog() {	# PACKAGE
	cat <<EOF
$1 ($VERSION) unstable; urgency=medium

  * Packaged from the source tree with make deb.

 -- $MAINTAINER  $(date -R -d @"${SOURCE_DATE_EPOCH:-0}")
EOF
}

# package NAME DESCRIPTION DEPENDS FILE...: FILEs are paths under /usr.
package() {
	local name=$1 description=$2 depends=$3 root="$WORK/$1"
	shift 3
	local f
	for f in "$@"; do
		mkdir -p "$root/$(dirname "$f")"
		cp -a "$STAGE/$f" "$root/$f"
	done
	local doc="$root/usr/share/doc/$name"
	mkdir -p "$doc" "$root/DEBIAN"
	copyright "$name" >"$doc/copyright"
	changelog "$name" | gzip -9n >"$doc/changelog.gz"
	find "$root/usr/share/man" -type f -name '*.1' -exec gzip -9n {} + 2>/dev/null || true
	find "$root/usr/bin" -type f -exec strip --strip-unneeded \
		--remove-section=.comment --remove-section=.note {} + 2>/dev/null || true
	find "$root" -type d -exec chmod 0755 {} +
	find "$root/usr" -type f ! -path '*/bin/*' -exec chmod 0644 {} +
	local size
	size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
	cat >"$root/DEBIAN/control" <<EOF
Package: $name
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $size
Depends: $depends
Section: admin
Priority: optional
Description: $description
EOF
	dpkg-deb --root-owner-group -Zxz --build "$root" \
		"$OUT/${name}_${VERSION}_${ARCH}.deb" >/dev/null
	echo "$OUT/${name}_${VERSION}_${ARCH}.deb"
}

enroll_depends="$(shlib_depends "$STAGE/usr/bin/dpsenroll"), libcurl4"
emu_depends="$(shlib_depends "$STAGE/usr/bin/dpsemu"), libcurl4"

package dpsenroll "enroll devices into Azure IoT Hub Device Provisioning Service
 A terminal form for individual enrollments (TPM, X.509, symmetric key)
 with live validation, a review of the enrollment and the device's
 registration state before an update, and scriptable commands." \
	"$enroll_depends" \
	usr/bin/dpsenroll usr/share/dpsenroll usr/share/man/man1/dpsenroll.1 \
	usr/share/bash-completion/completions/dpsenroll \
	usr/share/zsh/vendor-completions/_dpsenroll \
	usr/share/doc/dpsenroll/README.md \
	$(cd "$STAGE" && find usr/share/locale -name dpsenroll.mo 2>/dev/null)

package dpsemu "local emulator of Azure IoT Hub Device Provisioning Service
 Serves the DPS service and device APIs (api-version 2021-10-01) on
 HTTPS on the loopback interface, for practice and tests without an
 Azure account." \
	"$emu_depends" \
	usr/bin/dpsemu usr/share/man/man1/dpsemu.1
