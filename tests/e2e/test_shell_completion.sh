#!/usr/bin/env bash
# Tab in bash and zsh completes commands, options, bulk modes, theme and
# profile names and file arguments, from the program's own command table.
. "$(dirname "$0")/lib.sh"
e2e_setup

mkdir -p "$E2E_TMP/bin" "$E2E_TMP/work"
ln -s "$DPSENROLL" "$E2E_TMP/bin/dpsenroll"
export PATH="$E2E_TMP/bin:$PATH"
cd "$E2E_TMP/work" || fail "no work folder"
touch enrollment-a.json enrollment-b.json notes.txt
mkdir -p "$XDG_CONFIG_HOME/dpsenroll"
chmod 700 "$XDG_CONFIG_HOME/dpsenroll"
cat >"$XDG_CONFIG_HOME/dpsenroll/config.json" <<'JSON'
{ "profiles": { "bench-north": { "connectionString": "HostName=n.example;SharedAccessKeyName=p;SharedAccessKey=AAAA" },
                "bench-south": { "connectionString": "HostName=s.example;SharedAccessKeyName=p;SharedAccessKey=AAAA" } },
  "defaultProfile": "bench-north" }
JSON
chmod 600 "$XDG_CONFIG_HOME/dpsenroll/config.json"

dpsenroll completion bash >"$E2E_TMP/dpsenroll.bash" || fail "completion bash failed"

# bash_complete WORDS...: what Tab offers for the last word (may be "").
bash_complete() {
	bash --norc -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
		_dpsenroll; printf "%s\n" "${COMPREPLY[@]}" | sort' \
		_ "$E2E_TMP/dpsenroll.bash" dpsenroll "$@"
}

expect_offers() {	# WANT WORDS...: WANT is one of the offers
	local want=$1 got
	shift
	got=$(bash_complete "$@")
	grep -qxF -- "$want" <<<"$got" \
		|| fail "bash: 'dpsenroll $*<Tab>' does not offer $want; it offers: $(echo $got)"
}

expect_only() {	# WANT WORDS...: WANT is the one offer
	local want=$1 got
	shift
	got=$(bash_complete "$@")
	[ "$got" = "$want" ] \
		|| fail "bash: 'dpsenroll $*<Tab>' offers '$(echo $got)', not just '$want'"
}

expect_only put pu
expect_only completion compl
expect_offers --if-match put --if
expect_offers --connection-string get my-id --conn
expect_offers --help bulk --he
expect_only updateIfMatchETag bulk updateI
expect_only dark tui --theme da
expect_offers default --theme d
expect_offers dark --theme d
expect_offers bench-north get x --profile bench
expect_offers bench-south get x --profile bench
expect_offers enrollment-a.json put enr
expect_offers enrollment-b.json bulk create enr
expect_offers notes.txt validate no
expect_offers enrollment-a.json get x --cacert enr
# No file for a command that takes an id, and no key ever.
[ -z "$(bash_complete get enr)" ] || fail "bash: 'dpsenroll get enr<Tab>' offers files for an id"
bash_complete get x --profile "" | grep -q "AAAA" && fail "a profile's key was offered"

# A word with shell characters is handed over as it is, never evaluated.
bash_complete put '$(touch pwned)' >/dev/null
[ ! -e pwned ] || fail "bash completion evaluated a typed word"

if command -v zsh >/dev/null; then
	dpsenroll completion zsh >"$E2E_TMP/_dpsenroll" || fail "completion zsh failed"
	zsh -n "$E2E_TMP/_dpsenroll" || fail "the zsh script does not parse"
	# zsh's completion builtins stand in for the shell's widgets here:
	# compadd prints what it is given, _files says files were asked for.
	zsh_complete() {
		zsh -f -c 'compadd() { while [[ $1 == -* ]]; do [[ $1 == -- ]] && { shift; break }; shift; done; print -l -- "$@" }
			_files() { print -- "(files)" }
			words=("$@"); CURRENT=$#
			fn=$(<"$ZSH_SCRIPT"); eval "${fn#\#compdef dpsenroll}"' \
			_ dpsenroll "$@" | sort
	}
	export ZSH_SCRIPT="$E2E_TMP/_dpsenroll"
	got=$(zsh_complete pu)
	[ "$got" = put ] || fail "zsh: 'dpsenroll pu<Tab>' offers '$got'"
	got=$(zsh_complete tui --theme hi)
	[ "$got" = high-contrast ] || fail "zsh: '--theme hi<Tab>' offers '$got'"
	got=$(zsh_complete put "")
	[ "$got" = "(files)" ] || fail "zsh: 'put <Tab>' offers '$got', not files"
else
	fail "zsh is not installed (make deps installs it)"
fi
