#!/bin/sh
# make deps: the French locale the tests of the translation run in
# (fr_FR.UTF-8), made when missing. Only root can make it; otherwise this
# says how, and those tests say they skip.
set -eu
have() { locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\{0,1\}8'; }
have && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "dpsenroll: the fr_FR.UTF-8 locale is missing (the French tests will skip)."
	echo "Run as root: sed -i 's/^# *fr_FR.UTF-8 UTF-8/fr_FR.UTF-8 UTF-8/' /etc/locale.gen && locale-gen"
	exit 0
fi
echo "dpsenroll: making the fr_FR.UTF-8 locale (locale-gen)"
gen=/etc/locale.gen
if grep -q '^# *fr_FR\.UTF-8 UTF-8' "$gen" 2>/dev/null; then
	sed -i 's/^# *fr_FR\.UTF-8 UTF-8/fr_FR.UTF-8 UTF-8/' "$gen"
elif ! grep -q '^fr_FR\.UTF-8 UTF-8' "$gen" 2>/dev/null; then
	echo 'fr_FR.UTF-8 UTF-8' >>"$gen"
fi
locale-gen >/dev/null
have || { echo "dpsenroll: locale-gen did not make fr_FR.UTF-8" >&2; exit 1; }
