#!/usr/bin/env bash
# The catalogs are whole and current: po/dpsenroll.pot holds exactly the
# strings the sources mark (xgettext run again into a temporary file),
# and every po/LANG.po translates each of them, none fuzzy, none left
# empty, none gone from the sources, and passes msgfmt --check.
#
#   check_po.sh POT PO... -- SOURCE...   (XGETTEXT_FLAGS from the Makefile)
set -euo pipefail
pot=$1
shift
pos=()
while [ "$1" != -- ]; do
	pos+=("$1")
	shift
done
shift
for tool in xgettext msgfmt msgattrib; do
	command -v "$tool" >/dev/null || { echo "FAIL nls: $tool is missing (make deps installs gettext)"; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dpsnls.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0
bad() { echo "FAIL nls: $*"; failed=1; }

# The msgids of a catalog as written there (a msgid over several lines
# joined into one), one a line; plural forms by their singular. Entries
# are picked by msgattrib's OPTIONS.
msgids() {	# FILE [OPTIONS...]
	local file=$1
	shift
	msgattrib --no-wrap --no-obsolete "$@" "$file" | awk '
		function flush() { if (inid && id != "") print id; inid = 0; id = "" }
		/^msgid "/ { flush(); inid = 1; s = $0; sub(/^msgid "/, "", s); sub(/"$/, "", s); id = s; next }
		inid && /^"/ { s = $0; sub(/^"/, "", s); sub(/"$/, "", s); id = id s; next }
		{ flush() }
		END { flush() }'
}

ids() {
	msgids "$1" | LC_ALL=C sort -u
}

# shellcheck disable=SC2086
xgettext $XGETTEXT_FLAGS -o "$tmp/now.pot" "$@"
ids "$tmp/now.pot" >"$tmp/now"
ids "$pot" >"$tmp/pot"
if ! cmp -s "$tmp/now" "$tmp/pot"; then
	bad "$pot is not what the sources mark; run 'make po-update' and translate what is new:"
	LC_ALL=C comm -23 "$tmp/now" "$tmp/pot" | sed 's/^/  marked, not in the .pot: /'
	LC_ALL=C comm -13 "$tmp/now" "$tmp/pot" | sed 's/^/  in the .pot, no longer marked: /'
fi

for po in "${pos[@]}"; do
	msgfmt --check -o /dev/null "$po" 2>"$tmp/msgfmt" || bad "$po: msgfmt --check: $(cat "$tmp/msgfmt")"
	ids "$po" >"$tmp/po"
	LC_ALL=C comm -23 "$tmp/now" "$tmp/po" >"$tmp/missing"
	[ ! -s "$tmp/missing" ] || { bad "$po lacks strings the sources mark:"; sed 's/^/  /' "$tmp/missing"; }
	LC_ALL=C comm -13 "$tmp/now" "$tmp/po" >"$tmp/extra"
	[ ! -s "$tmp/extra" ] || { bad "$po holds strings no longer marked (make po-update):"; sed 's/^/  /' "$tmp/extra"; }
	msgids "$po" --untranslated >"$tmp/untranslated"
	[ ! -s "$tmp/untranslated" ] || { bad "$po leaves strings untranslated:"; sed 's/^/  /' "$tmp/untranslated"; }
	msgids "$po" --only-fuzzy >"$tmp/fuzzy"
	[ ! -s "$tmp/fuzzy" ] || { bad "$po has fuzzy translations (check them, then drop the fuzzy mark):"; sed 's/^/  /' "$tmp/fuzzy"; }
	# A plural entry with one form translated and the other empty.
	msgattrib --no-wrap --no-obsolete "$po" | grep -B3 '^msgstr\[[0-9]\] ""$' >"$tmp/plural" || true
	[ ! -s "$tmp/plural" ] || { bad "$po has a plural form left empty:"; sed 's/^/  /' "$tmp/plural"; }
done
[ "$failed" = 0 ] || exit 1
echo "ok nls ($(wc -l <"$tmp/now") strings, ${#pos[@]} language(s))"
