#!/usr/bin/env bash
# The layer check on copies of this tree: it passes on the tree as it is,
# and each case breaks one rule in a copy and expects the check to fail
# with a message naming the file and the rule. Prints "ok CASE" or
# "FAIL CASE" and last "N passed, N failed"; exits 1 when any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
check="$here/check_layers.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

fresh_copy() {
	rm -rf "$work/tree"
	mkdir -p "$work/tree"
	cp -R "$top/src" "$top/ui" "$work/tree/"
	if [ -d "$top/tools" ]; then cp -R "$top/tools" "$work/tree/"; fi
}

report() {
	local name=$1 ok=$2 detail=$3
	if [ "$ok" = 1 ]; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		printf '    %s\n' "$detail"
		failed=$((failed + 1))
	fi
}

# passes NAME: the check passes on the copy, silently.
passes() {
	local out rc
	out=$("$check" "$work/tree" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		report "$1" 1 ""
	else
		report "$1" 0 "expected a pass, got exit $rc: $out"
	fi
}

# breaks NAME FILE LINE EXPECTED: FILE (in the copy) gets LINE at its end;
# the check must exit 1 and print EXPECTED (a fixed string).
breaks() {
	local name=$1 file=$2 line=$3 expected=$4 out rc
	fresh_copy
	mkdir -p "$(dirname "$work/tree/$file")"
	printf '%s\n' "$line" >>"$work/tree/$file"
	out=$("$check" "$work/tree" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && grep -qF -- "$expected" <<<"$out"; then
		report "$name" 1 ""
	else
		report "$name" 0 "expected exit 1 and '$expected', got exit $rc: $out"
	fi
}

fresh_copy
passes tree_as_it_is

breaks curses_in_app src/app/diff.c '#include <ncursesw/curses.h>' \
	'<ncursesw/curses.h>: src/app may not use ncurses'
breaks curses_in_base src/base/xalloc.c '#include <curses.h>' \
	'src/base may not use ncurses'
breaks curses_through_ui_header src/cli/main.c '#include "ui/curses.h"' \
	'"ui/curses.h" brings in ncurses (through <ncursesw/curses.h>), which src/cli may not use'
breaks curl_in_model src/model/json.c '#include <curl/curl.h>' \
	'<curl/curl.h>: src/model may not use libcurl'
breaks curl_in_base src/base/url.c '#include <curl/curl.h>' \
	'src/base may not use libcurl'
breaks curl_in_emu src/emu/emu_main.c '#include <curl/curl.h>' \
	'src/emu may not use libcurl'
breaks curl_in_cli src/cli/main.c '#include <curl/curl.h>' \
	'src/cli may not use libcurl'
breaks curl_spelled_loosely src/model/doc.c '  #  include <curl/easy.h>' \
	'src/model may not use libcurl'
breaks curses_quoted_in_model src/model/doc.c '#include "ncursesw/curses.h"' \
	'"ncursesw/curses.h": src/model may not use ncurses'
breaks curl_through_dps_header src/dps/client.h '#include <curl/curl.h>' \
	'"dps/client.h" brings in libcurl (through <curl/curl.h>), which src/app may not use'
breaks microhttpd_outside_emu src/app/journal.c '#include <microhttpd.h>' \
	'src/app may not use libmicrohttpd'
breaks sqlite_outside_emu src/dps/ops.c '#include <sqlite3.h>' \
	'src/dps may not use sqlite3'
breaks sys_includes_model src/sys/fileio.c '#include "model/json.h"' \
	'"model/json.h": src/sys may not include src/model'
breaks model_includes_app src/model/doc.c '#include "app/state.h"' \
	'"app/state.h": src/model may not include src/app'
breaks emu_includes_dps src/emu/emu_auth.c '#include "dps/client.h"' \
	'"dps/client.h": src/emu may not include src/dps'
breaks dps_includes_cli src/dps/ops.c '#include "cli/cli.h"' \
	'"cli/cli.h": src/dps may not include src/cli'
breaks top_of_src_includes_model src/paths.c '#include "model/json.h"' \
	'"model/json.h": src may not include src/model'
breaks curl_in_tools tools/docgen.c '#include <curl/curl.h>' \
	'tools may not use libcurl'
breaks new_folder_without_rule src/extra/x.c '#include <stdio.h>' \
	'src/extra has no layer rule'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
