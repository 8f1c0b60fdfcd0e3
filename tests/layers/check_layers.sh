#!/bin/sh
# The layer rules of DESIGN.md, checked on the includes of every source
# file: which layers' headers a layer may include, and which libraries it
# may use. A library reached through a project header counts too (a
# header of ui/ that includes ncurses brings ncurses to whoever includes
# it). The compiler cannot catch a stray include on its own: the headers
# of every library sit in /usr/include, where any file finds them.
#
# Usage: check_layers.sh [ROOT]   (ROOT: the source tree, default .)
# Prints one line per broken rule and exits 1, or exits 0 silently.
set -eu
root=${1:-.}
cd "$root"

# layer|project folders it may include|libraries it may use
# ("src" stands for the files directly in src/, which say where the data
# files are; "tools" for the programs that write the documentation from
# the program's own tables.)
rules='
tools|cli ui app dps sys model base emu|ncurses cjson openssl
ui|ui app dps sys model base|ncurses cjson openssl
src/cli|cli ui app dps sys model base|cjson openssl
src/app|app dps sys model base|cjson openssl
src/dps|dps sys model base|libcurl cjson openssl
src/sys|sys base|
src/model|model base|cjson openssl
src/base|base|cjson openssl
src/emu|emu sys model base|libmicrohttpd gnutls sqlite3 cjson openssl
src|base|
'
# Single headers a layer may take from a layer it may not include. dpsemu
# checks webhook URLs with the client's libcurl URL parser, loaded at run
# time, so that its validation stays the client's.
exceptions='
src/emu|dps/url_curl.h
'

files=$(find ui src tools -type f \( -name '*.c' -o -name '*.h' \) \
	2>/dev/null | LC_ALL=C sort)
[ -n "$files" ] || { echo "check_layers: no sources under $root" >&2; exit 2; }

# shellcheck disable=SC2086
awk -v rules="$rules" -v exceptions="$exceptions" '
function layer_of(path,    n, parts) {
	n = split(path, parts, "/")
	if (parts[1] != "src" || n == 2)
		return parts[1]
	return parts[1] "/" parts[2]
}

# The folder of a layer, as includes name it: "ui", "model".
function folder_of(layer) {
	return layer ~ /^src\// ? substr(layer, 5) : layer
}

# The library a system header belongs to, or "" for the C library and
# POSIX.
function library_of(h) {
	if (h ~ /^(ncursesw?\/|n?cursesw?\.h$|term\.h$|panel\.h$|menu\.h$|form\.h$|unctrl\.h$|termcap\.h$)/)
		return "ncurses"
	if (h ~ /^curl\//)
		return "libcurl"
	if (h ~ /^microhttpd/)
		return "libmicrohttpd"
	if (h ~ /^sqlite3/)
		return "sqlite3"
	if (h ~ /^gnutls\//)
		return "gnutls"
	if (h ~ /^cjson\// || h == "cJSON.h")
		return "cjson"
	if (h ~ /^openssl\//)
		return "openssl"
	if (h == "check.h")
		return "check"
	if (h ~ /^vterm/)
		return "libvterm"
	return ""
}

# Where a quoted include of `from` points, as a path from the root, or ""
# when the project holds no such file: the compiler looks beside `from`,
# then in src/ and in the root (-Isrc -I.), then in the system.
function resolve(name, from,    dir) {
	dir = from
	sub(/\/[^\/]*$/, "", dir)
	if ((dir "/" name) in known)
		return dir "/" name
	if (("src/" name) in known)
		return "src/" name
	if (name in known)
		return name
	return ""
}

# "model/x.h" names a project folder even when the file is not there.
function names_project(h,    top) {
	if (index(h, "/") == 0)
		return 0
	top = substr(h, 1, index(h, "/") - 1)
	return top in is_folder
}

function is_system(f, i) {
	return inc_kind[f, i] == "<" ||
	       (inc_path[f, i] == "" && !names_project(inc_name[f, i]))
}

# Libraries `f` brings in, itself or through the project headers it
# includes, as " lib lib ... "; via[f, lib] names the header that does.
function reach(f,    i, n, h, libs, more, k, parts, m) {
	if (f in reached)
		return reached[f]
	reached[f] = " "	# a cycle of headers adds nothing
	libs = " "
	n = ninc[f]
	for (i = 1; i <= n; i++) {
		h = inc_name[f, i]
		if (is_system(f, i)) {
			k = library_of(h)
			if (k != "" && index(libs, " " k " ") == 0) {
				libs = libs k " "
				via[f, k] = shown(f, i)
			}
			continue
		}
		if (inc_path[f, i] == "")
			continue
		more = reach(inc_path[f, i])
		m = split(more, parts, " ")
		for (k = 1; k <= m; k++)
			if (index(libs, " " parts[k] " ") == 0) {
				libs = libs parts[k] " "
				via[f, parts[k]] = shown(f, i)
			}
	}
	reached[f] = libs
	return libs
}

function shown(f, i) {
	return inc_kind[f, i] == "<" ? "<" inc_name[f, i] ">" \
				      : "\"" inc_name[f, i] "\""
}

function allowed(list, word) {
	return index(" " list " ", " " word " ") > 0
}

BEGIN {
	n = split(rules, lines, "\n")
	for (i = 1; i <= n; i++) {
		if (lines[i] == "")
			continue
		split(lines[i], cols, "|")
		dirs[cols[1]] = cols[2]
		libs_ok[cols[1]] = cols[3]
		is_folder[folder_of(cols[1])] = 1
	}
	n = split(exceptions, lines, "\n")
	for (i = 1; i <= n; i++) {
		if (lines[i] == "")
			continue
		split(lines[i], cols, "|")
		excepted[cols[1], cols[2]] = 1
	}
}

FNR == 1 {
	known[FILENAME] = 1
	order[++nfiles] = FILENAME
}

/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
	line = $0
	sub(/^[ \t]*#[ \t]*include[ \t]*/, "", line)
	kind = substr(line, 1, 1)
	close_char = kind == "<" ? ">" : "\""
	name = substr(line, 2)
	name = substr(name, 1, index(name, close_char) - 1)
	k = ++ninc[FILENAME]
	inc_kind[FILENAME, k] = kind
	inc_name[FILENAME, k] = name
	inc_line[FILENAME, k] = FNR
}

END {
	# Every file is known now: quoted includes can be followed.
	for (j = 1; j <= nfiles; j++)
		for (i = 1; i <= ninc[order[j]]; i++)
			if (inc_kind[order[j], i] == "\"")
				inc_path[order[j], i] = resolve(inc_name[order[j], i], order[j])
	bad = 0
	for (j = 1; j <= nfiles; j++) {
		f = order[j]
		layer = layer_of(f)
		if (!(layer in dirs)) {
			printf "%s: %s has no layer rule; add one to tests/layers/check_layers.sh\n", f, layer
			bad = 1
			continue
		}
		for (i = 1; i <= ninc[f]; i++) {
			h = inc_name[f, i]
			where = f ":" inc_line[f, i] ": "
			if (is_system(f, i)) {
				k = library_of(h)
				if (k != "" && !allowed(libs_ok[layer], k)) {
					printf "%s%s: %s may not use %s (it may use: %s)\n", where, shown(f, i), layer, k, libs_ok[layer] == "" ? "none" : libs_ok[layer]
					bad = 1
				}
				continue
			}
			p = inc_path[f, i]
			target = p != "" ? layer_of(p) : layer_of("src/" h)
			if (target != layer && target != "src" &&
			    !allowed(dirs[layer], folder_of(target)) &&
			    !((layer, h) in excepted)) {
				printf "%s\"%s\": %s may not include %s (it may include: %s)\n", where, h, layer, target, dirs[layer]
				bad = 1
				continue
			}
			# A header of this layer answers for itself, and so does
			# one that uses what its own layer may not; past that, a
			# header from below must not bring what this layer may
			# not use.
			if (target == layer || p == "")
				continue
			m = split(reach(p), brought, " ")
			for (q = 1; q <= m; q++)
				if (!allowed(libs_ok[layer], brought[q]) &&
				    allowed(libs_ok[target], brought[q])) {
					printf "%s\"%s\" brings in %s (through %s), which %s may not use\n", where, h, brought[q], via[p, brought[q]], layer
					bad = 1
				}
		}
	}
	exit bad
}
' $files
