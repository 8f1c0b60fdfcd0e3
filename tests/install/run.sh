#!/usr/bin/env bash
# `make install` as a distribution or a newcomer runs it, then the
# installed programs from where they landed: dpsenroll finds the installed
# themes and nothing of the source tree (by path or by looking), the
# manual pages are where man looks, and a DESTDIR install writes only
# under DESTDIR. MAKE and BUILD name the make and build folder in use.
. "$(dirname "$0")/../e2e/lib.sh"

MAKE=${MAKE:-make}
BUILD=${BUILD:-build}
SRC=$E2E_ROOT

e2e_setup
PREFIX_DIR=$E2E_TMP/prefix
STAGE=$E2E_TMP/stage
# Only ever created under $STAGE; its absence outside proves DESTDIR works.
STAGED_PREFIX=/opt/dpsenroll-install-check-$$

install_into() {	# LOG ARGS...: make install ARGS, quietly unless it fails
	local log=$E2E_TMP/$1
	shift
	"$MAKE" -C "$SRC" --no-print-directory BUILD="$BUILD" install "$@" \
		>"$log" 2>&1 || fail "make install $* failed: $(tail -n 20 "$log")"
}

install_into install.log PREFIX="$PREFIX_DIR"
install_into staged.log PREFIX="$STAGED_PREFIX" DESTDIR="$STAGE"
[ ! -e "$STAGED_PREFIX" ] || fail "make install DESTDIR=... wrote to $STAGED_PREFIX itself"

files="bin/dpsenroll bin/dpsemu share/man/man1/dpsenroll.1
	share/man/man1/dpsemu.1 share/doc/dpsenroll/README.md
	share/bash-completion/completions/dpsenroll
	share/zsh/site-functions/_dpsenroll
	share/locale/fr/LC_MESSAGES/dpsenroll.mo"
for t in "$SRC"/themes/*.theme; do
	files="$files share/dpsenroll/themes/${t##*/}"
done
for f in $files; do
	[ -f "$PREFIX_DIR/$f" ] || fail "make install PREFIX=... did not install $f"
	[ -f "$STAGE$STAGED_PREFIX/$f" ] || fail "make install DESTDIR=... did not install $f"
done
for page in dpsenroll.1 dpsemu.1; do
	cmp -s "$SRC/man/$page" "$PREFIX_DIR/share/man/man1/$page" \
		|| fail "the installed $page differs from man/$page"
done

# Neither the path of the source tree nor of the build folder is in an
# installed program.
build_dir=$(cd "$SRC" && cd "$BUILD" && pwd)
for bin in "$PREFIX_DIR"/bin/* "$STAGE$STAGED_PREFIX"/bin/*; do
	for path in "$SRC" "$build_dir"; do
		if grep -qF -- "$path" "$bin"; then
			fail "$bin holds the path $path"
		fi
	done
done
grep -qF -- "$PREFIX_DIR/share/dpsenroll" "$PREFIX_DIR/bin/dpsenroll" \
	|| fail "the installed dpsenroll does not know its data folder $PREFIX_DIR/share/dpsenroll"

# The installed bash completion completes with the installed program.
got=$(PATH="$PREFIX_DIR/bin:$PATH" bash --norc -c '
	. "$1"; COMP_WORDS=(dpsenroll tui --theme high); COMP_CWORD=3
	_dpsenroll; printf "%s\n" "${COMPREPLY[@]}"' _ \
	"$PREFIX_DIR/share/bash-completion/completions/dpsenroll")
[ "$got" = high-contrast ] \
	|| fail "the installed bash completion offers '$got' for --theme high"

# The installed program reads the installed French catalog.
grep -qF -- "$PREFIX_DIR/share/locale" "$PREFIX_DIR/bin/dpsenroll" \
	|| fail "the installed dpsenroll does not know its catalogs in $PREFIX_DIR/share/locale"
if has_locale fr_FR.UTF-8; then
	echo '{"registrationId": "-x", "attestation": {"type": "tpm"}}' >"$E2E_TMP/fr.json"
	said=$(LANG=fr_FR.UTF-8 "$PREFIX_DIR/bin/dpsenroll" validate "$E2E_TMP/fr.json")
	assert_contains "$said" "il commence par '-'"
else
	note "no fr_FR.UTF-8 locale: the installed catalog was checked as a file only"
fi

# The installed programs, from here on.
DPSENROLL=$PREFIX_DIR/bin/dpsenroll
DPSEMU=$PREFIX_DIR/bin/dpsemu
restart_emulator

# A theme only the installation has is found ...
sed 's/^color field-focus .*/color field-focus 201 202/' \
	"$SRC/themes/default.theme" >"$PREFIX_DIR/share/dpsenroll/themes/installed-only.theme"
start_tui -- --theme installed-only
wait_for_focus "Registration ID"
assert_screen_lacks "not found" "the installed theme was not found"
screen_escapes | grep -qF '38;5;201' \
	|| fail "the focused field is not in the colours of the installed theme (fg 201)"
keys F10
wait_for_exit

# ... and one only the source tree has is not: the installed program does
# not look there.
rm "$PREFIX_DIR/share/dpsenroll/themes/dark.theme"
start_tui -- --theme dark
wait_for_text "theme 'dark' not found"
keys F10
wait_for_exit

# man finds the pages from PATH, as man-db maps PREFIX/bin to
# PREFIX/share/man.
if command -v man >/dev/null; then
	page=$(PATH="$PREFIX_DIR/bin:$PATH" MANPATH='' man -w dpsenroll 2>&1)
	assert_eq "$page" "$PREFIX_DIR/share/man/man1/dpsenroll.1" "man -w dpsenroll with PREFIX/bin in PATH"
else
	note "man is not installed: the manual pages were checked as files only"
fi

"$MAKE" -C "$SRC" --no-print-directory BUILD="$BUILD" uninstall PREFIX="$PREFIX_DIR" \
	>"$E2E_TMP/uninstall.log" 2>&1 || fail "make uninstall failed: $(tail -n 20 "$E2E_TMP/uninstall.log")"
left=$(find "$PREFIX_DIR" -type f)
[ -z "$left" ] || fail "make uninstall left files behind: $left"
echo "ok install"
