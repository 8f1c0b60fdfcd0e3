# dpsenroll: enroll devices into Azure IoT Hub DPS from a terminal.
#
#   make             build build/dpsenroll and build/dpsemu
#   make run         install missing packages (as root), build, open dpsenroll
#   make check       install missing packages (as root), build, run every test
#   make sanitize    the whole check built with ASan + UBSan (in build-san/)
#   make bench       the benchmarks (installs dialog and libvterm when missing)
#   make docs        rewrite the generated parts of the README and man pages
#   make install     PREFIX=/usr/local DESTDIR=
#   make deps        install the Debian packages the build and tests need
#   make fresh-check the two README commands in a new Debian 12 root (root)
#   make fuzz        every libFuzzer target for FUZZ_S seconds (in build-fuzz/)
#   make compat      the Azure Node SDKs against dpsemu on port 443 (root, npm)
#   make pot         rewrite po/dpsenroll.pot from the marked strings
#   NLS=0            build without translations (English only)
#   DEVELOPER=1      warnings are errors (check, sanitize and CI set it)
#   V=1              show the full commands

VERSION := 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/dpsenroll
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/dpsenroll
LOCALEDIR ?= $(PREFIX)/share/locale
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# Debian's zsh looks in vendor-completions for packages, site-functions
# for /usr/local.
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
BUILD   ?= build

PKGS     := ncursesw libcurl libcjson openssl check libmicrohttpd gnutls sqlite3
# What the build and `make check` need; perl (JSON::PP) reads the e2e
# tests' JSON, tmux drives the form.
DEB_PKGS := build-essential pkg-config libncurses-dev libcurl4-openssl-dev \
            libcjson-dev libssl-dev check libmicrohttpd-dev libgnutls28-dev libsqlite3-dev \
            tmux openssl ca-certificates perl zsh gettext locales
# Only `make bench` needs these: the form is compared with dialog, read
# through libvterm, and its work per key counted with callgrind.
BENCH_DEB_PKGS := dialog libvterm-dev valgrind

# pkg-config runs once per library and make, not once per compiler command.
$(foreach p,$(PKGS),$(eval PC_CFLAGS_$(p) := \
  $$(shell pkg-config --cflags $(p) 2>/dev/null)))
pc_cflags  = $(foreach p,$(1),$(PC_CFLAGS_$(p)))
pc_libs    = $(shell pkg-config --libs $(1) 2>/dev/null)

CC       ?= cc
OPTFLAGS ?= -O2 -g
CFLAGS   ?=
WFLAGS   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2
# A compiler newer than the code may warn about new things: that fails
# the build only for developers (and CI), not for someone just building.
ifeq ($(DEVELOPER),1)
WFLAGS   += -Werror
endif
# Translations (gettext from the C library); NLS=0 leaves them out.
NLS      ?= 1
DEFS     := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DDPSENROLL_VERSION='"$(VERSION)"' -DDPSENROLL_NLS=$(NLS)
# Debug information names sources relative to the tree, so no binary
# carries the path of the folder it was built in.
PATHMAP  := -ffile-prefix-map=$(CURDIR)=.
ifeq ($(SANITIZE),1)
OPTFLAGS := -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
endif
# The libFuzzer build (`make fuzz`): clang, everything instrumented for
# coverage and checked by ASan + UBSan.
ifeq ($(FUZZ),1)
CC       := clang
OPTFLAGS := -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
endif

# What the programs link. dpsenroll loads libcurl when it first needs it
# (src/dps/curl_lazy.c), and so does dpsemu for its one use of it.
CLI_PC   := ncursesw libcjson openssl
EMU_PC   := libmicrohttpd gnutls sqlite3 libcjson openssl
TEST_PC  := check ncursesw libcurl libcjson openssl
ITEST_PC := check libcurl libcjson openssl

# The libraries each layer may use: a layer compiles with their flags
# only. tests/layers/check_layers.sh holds the same rules and fails the
# build on an include that breaks them, which flags alone cannot do: every
# library's headers sit in /usr/include.
LAYERS            := base model sys dps app ui cli emu tools unit itest
LAYER_PC_base     := libcjson openssl
LAYER_PC_model    := libcjson openssl
LAYER_PC_sys      :=
LAYER_PC_dps      := libcurl libcjson openssl
LAYER_PC_app      := libcjson openssl
LAYER_PC_ui       := ncursesw libcjson openssl
LAYER_PC_cli      := libcjson openssl
LAYER_PC_emu      := libmicrohttpd gnutls sqlite3 libcjson openssl
LAYER_PC_tools    := ncursesw libcjson openssl
LAYER_PC_unit     := $(TEST_PC)
LAYER_PC_itest    := $(ITEST_PC)
$(foreach l,$(LAYERS),$(eval LAYER_CFLAGS_$(l) := \
  $$(call pc_cflags,$$(LAYER_PC_$(l)))))

CLI_LIBS   := $(call pc_libs,$(CLI_PC))
EMU_LIBS   := $(call pc_libs,$(EMU_PC))
TEST_LIBS  := $(call pc_libs,$(TEST_PC))
ITEST_LIBS := $(call pc_libs,$(ITEST_PC))
# Asked for only when the benchmark is built, then kept.
VTERM_CFLAGS = $(eval VTERM_CFLAGS := $(shell pkg-config --cflags vterm 2>/dev/null))$(VTERM_CFLAGS)
VTERM_LIBS   = $(eval VTERM_LIBS := $(shell pkg-config --libs vterm 2>/dev/null))$(VTERM_LIBS)

ALL_CFLAGS := -std=c11 $(WFLAGS) $(OPTFLAGS) $(SANFLAGS) $(DEFS) $(PATHMAP) \
              -Isrc -I. -MMD -MP $(CFLAGS)
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS) -pthread

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

BASE_SRC  := $(sort $(wildcard src/base/*.c))
MODEL_SRC := $(sort $(wildcard src/model/*.c))
SYS_SRC   := $(sort $(wildcard src/sys/*.c))
# The libcurl stand-ins go into dpsenroll alone; the others link libcurl.
CURL_LAZY_SRC := src/dps/curl_lazy.c
DPS_SRC   := $(filter-out $(CURL_LAZY_SRC),$(sort $(wildcard src/dps/*.c)))
APP_SRC   := $(sort $(wildcard src/app/*.c))
# The default theme is compiled in from the same file format users edit.
THEME_GEN := $(BUILD)/gen/theme_default.c
UI_SRC    := $(sort $(wildcard ui/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
EMU_SRC   := $(sort $(wildcard src/emu/*.c)) $(EMU_EXTRA_SRC)
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
ITEST_SRC := $(sort $(wildcard tests/integration/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
BASE_OBJ  := $(call obj,$(BASE_SRC))
MODEL_OBJ := $(call obj,$(MODEL_SRC))
SYS_OBJ   := $(call obj,$(SYS_SRC))
DPS_OBJ   := $(call obj,$(DPS_SRC))
CURL_LAZY_OBJ := $(call obj,$(CURL_LAZY_SRC))
# dpsemu takes one piece of src/dps: libcurl's URL parser, for the same
# webhook URL check as the client's, with libcurl loaded on first use.
EMU_DPS_OBJ := $(call obj,src/dps/url_curl.c) $(CURL_LAZY_OBJ)
APP_OBJ   := $(call obj,$(APP_SRC))
UI_OBJ    := $(call obj,$(UI_SRC)) $(BUILD)/obj/gen/theme_default.o
CLI_OBJ   := $(call obj,$(CLI_SRC))
CLI_MAIN  := $(call obj,src/cli/main.c)
EMU_OBJ   := $(call obj,$(EMU_SRC))
UNIT_OBJ  := $(call obj,$(UNIT_SRC))
ITEST_OBJ := $(call obj,$(ITEST_SRC))

LIBBASE   := $(BUILD)/libbase.a
LIBMODEL  := $(BUILD)/libmodel.a
LIBSYS    := $(BUILD)/libsys.a
LIBDPS    := $(BUILD)/libdps.a
LIBAPP    := $(BUILD)/libapp.a
LIBUI     := $(BUILD)/libui.a
DPSENROLL := $(BUILD)/dpsenroll
DPSEMU    := $(BUILD)/dpsemu
UNIT      := $(BUILD)/unit-tests
ITEST     := $(BUILD)/integration-tests
DOCGEN    := $(BUILD)/docgen

# src/paths.c twice: the binary in the build folder finds its data in
# this source tree; the one `make install` copies knows only its prefix
# (so a new PREFIX relinks that one, never build/dpsenroll).
PATHS_BUILD   := $(BUILD)/obj/src/paths-build.o
PATHS_INSTALL := $(BUILD)/install/paths.o
INSTALLED     := $(BUILD)/install/dpsenroll
PATHS_BUILD_DEFS   := -DDPSENROLL_SRCDIR='"$(CURDIR)"' \
                      -DDPSENROLL_LOCALEDIR='"$(abspath $(BUILD))/locale"'
PATHS_INSTALL_DEFS := -DDPSENROLL_DATADIR='"$(DATADIR)"' \
                      -DDPSENROLL_LOCALEDIR='"$(LOCALEDIR)"'

# What a stamp holds; it is rewritten only when that changes, and what
# depends on it is rebuilt exactly then (a new CFLAGS, compiler or PREFIX).
CFLAGS_STAMP  := $(BUILD)/stamp/cflags
LDFLAGS_STAMP := $(BUILD)/stamp/ldflags
PATHS_BUILD_STAMP   := $(BUILD)/stamp/paths-build
PATHS_INSTALL_STAMP := $(BUILD)/stamp/paths-install
$(CFLAGS_STAMP): STAMP_TEXT = $(CC) $(ALL_CFLAGS) \
  $(foreach l,$(LAYERS),$(l): $(LAYER_CFLAGS_$(l)))
$(LDFLAGS_STAMP): STAMP_TEXT = $(CC) $(ALL_LDFLAGS) $(CLI_LIBS) $(EMU_LIBS) \
                               $(TEST_LIBS) $(ITEST_LIBS)
$(PATHS_BUILD_STAMP): STAMP_TEXT = $(PATHS_BUILD_DEFS)
$(PATHS_INSTALL_STAMP): STAMP_TEXT = $(PATHS_INSTALL_DEFS)

MAN_PAGES := man/dpsenroll.1 man/dpsemu.1
DOC_FILES := README.md $(MAN_PAGES)

# The catalogs: po/LANG.po, checked in, compiled into the build folder,
# where the uninstalled program reads them. po/dpsenroll.pot lists what
# is marked in the sources that people read (not dpsemu, a stand-in for
# the service). src/dps marks what a person reads; what it also gives the
# journal keeps an English copy there (src/dps/said.h).
LINGUAS   := fr
POT       := po/dpsenroll.pot
PO_FILES  := $(foreach l,$(LINGUAS),po/$(l).po)
ifeq ($(NLS),1)
MO_FILES  := $(foreach l,$(LINGUAS),$(BUILD)/locale/$(l)/LC_MESSAGES/dpsenroll.mo)
else
MO_FILES  :=
endif
I18N_SRC   = $(sort $(wildcard src/base/*.c src/model/*.[ch] src/sys/*.c \
               src/dps/*.c src/app/*.[ch] src/cli/*.[ch] ui/*.[ch]))
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
  --keyword=ngettext:1,2 --keyword=said_ntext:2,3 --add-comments=TRANSLATORS: --add-location=file \
  --package-name=dpsenroll --package-version=$(VERSION) \
  --msgid-bugs-address=dpsenroll@example.org

.PHONY: all deps bench-deps libs-present run check test-all unit integration \
        fuzz fuzz-deps fuzz-run fuzz-corpus e2e docs docs-check install-check bench sanitize fresh-check \
        install uninstall deb deb-check clean FORCE layers layers-test \
        pot po-update nls-check
.DEFAULT_GOAL := all
# Objects made only on the way to a benchmark are kept like the others.
.SECONDARY:

all: libs-present $(DPSENROLL) $(DPSEMU) $(MO_FILES)

libs-present:
	@command -v pkg-config >/dev/null && pkg-config --exists $(PKGS) || { \
	  echo "dpsenroll: build libraries are missing."; \
	  echo "Run 'make deps' (as root), or 'make run' / 'make check' which call it."; \
	  exit 1; }

# Installs only when something is missing, so it costs almost nothing after
# the first time. Without root it prints the command to run instead.
# $(1): the packages, $(2): a shell test that is true when nothing is missing.
define install_packages
	@if $(2); then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "dpsenroll: packages are missing and installing them needs root."; \
	  echo "Run: sudo apt-get update && sudo apt-get install -y $(strip $(1))"; \
	  exit 1; \
	fi; \
	echo "dpsenroll: installing packages with apt-get: $(strip $(1))"; \
	apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1)
endef

deps:
	$(call install_packages,$(DEB_PKGS),command -v pkg-config >/dev/null \
	  && pkg-config --exists $(PKGS) && command -v tmux >/dev/null \
	  && command -v openssl >/dev/null && perl -MJSON::PP -e 1 2>/dev/null \
	  && command -v cc >/dev/null && command -v make >/dev/null \
	  && command -v zsh >/dev/null && command -v xgettext >/dev/null \
	  && command -v msgfmt >/dev/null && command -v msgmerge >/dev/null \
	  && command -v locale-gen >/dev/null)
	@tools/locale_fr.sh

$(BUILD)/locale/%/LC_MESSAGES/dpsenroll.mo: po/%.po
	@mkdir -p $(@D)
	$(call say,MSGFMT,$@)msgfmt --check -o $@.tmp $< && mv $@.tmp $@

pot:
	$(call say,GEN,$(POT))xgettext $(XGETTEXT_FLAGS) -o $(POT) $(I18N_SRC)

# New strings into po/LANG.po (then translate them there).
po-update: pot
	$(foreach p,$(PO_FILES),msgmerge --quiet --update --backup=none $(p) $(POT) &&) true

# Every marked string has a translation, and the .pot is current; the
# generated documentation stays English whatever the language.
nls-check: $(DOCGEN)
	$(call say,TEST,nls)XGETTEXT_FLAGS="$(XGETTEXT_FLAGS)" \
	  tests/nls/check_po.sh $(POT) $(PO_FILES) -- $(I18N_SRC)
	$(Q)LANG=fr_FR.UTF-8 LANGUAGE=fr $(DOCGEN) --check $(DOC_FILES)

bench-deps: deps
	$(call install_packages,$(BENCH_DEB_PKGS),command -v dialog >/dev/null \
	  && pkg-config --exists vterm && command -v valgrind >/dev/null)

$(CFLAGS_STAMP) $(LDFLAGS_STAMP) $(PATHS_BUILD_STAMP) $(PATHS_INSTALL_STAMP): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(STAMP_TEXT))' >$@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

$(BUILD)/obj/src/base/%.o:  LAYER_CFLAGS = $(LAYER_CFLAGS_base)
$(BUILD)/obj/src/model/%.o: LAYER_CFLAGS = $(LAYER_CFLAGS_model)
$(BUILD)/obj/src/sys/%.o:   LAYER_CFLAGS = $(LAYER_CFLAGS_sys)
$(BUILD)/obj/src/dps/%.o:   LAYER_CFLAGS = $(LAYER_CFLAGS_dps)
$(BUILD)/obj/src/app/%.o:   LAYER_CFLAGS = $(LAYER_CFLAGS_app)
$(BUILD)/obj/ui/%.o:        LAYER_CFLAGS = $(LAYER_CFLAGS_ui)
$(BUILD)/obj/src/cli/%.o:   LAYER_CFLAGS = $(LAYER_CFLAGS_cli)
$(BUILD)/obj/src/emu/%.o:   LAYER_CFLAGS = $(LAYER_CFLAGS_emu)
$(BUILD)/obj/tools/%.o:     LAYER_CFLAGS = $(LAYER_CFLAGS_tools)
$(BUILD)/obj/tests/unit/%.o: LAYER_CFLAGS = $(LAYER_CFLAGS_unit)
$(BUILD)/obj/tests/integration/%.o $(BUILD)/obj/tests/bench/%.o: \
	LAYER_CFLAGS = $(LAYER_CFLAGS_itest)

# Nothing compiles before the layer rules have passed on the sources.
LAYER_CHECK := tests/layers/check_layers.sh
LAYER_OK    := $(BUILD)/layers.ok

$(LAYER_OK): $(LAYER_CHECK) $(wildcard src/*.[ch] src/*/*.[ch] ui/*.[ch] tools/*.[ch])
	$(call say,CHECK,layers)$(LAYER_CHECK) . && mkdir -p $(@D) && touch $@

layers:
	$(call say,CHECK,layers)$(LAYER_CHECK) .

$(BUILD)/obj/%.o: %.c $(CFLAGS_STAMP) | $(LAYER_OK)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(LAYER_CFLAGS) -c -o $@ $<

$(PATHS_BUILD): src/paths.c $(CFLAGS_STAMP) $(PATHS_BUILD_STAMP) | $(LAYER_OK)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(PATHS_BUILD_DEFS) -c -o $@ $<

$(PATHS_INSTALL): src/paths.c $(CFLAGS_STAMP) $(PATHS_INSTALL_STAMP) | $(LAYER_OK)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(PATHS_INSTALL_DEFS) -c -o $@ $<

$(LIBBASE): $(BASE_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(LIBMODEL): $(MODEL_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(LIBSYS): $(SYS_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(LIBDPS): $(DPS_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(LIBAPP): $(APP_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(LIBUI): $(UI_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(THEME_GEN): themes/default.theme
	@mkdir -p $(@D)
	$(call say,GEN,$@){ echo '/* Made from themes/default.theme by the Makefile. */'; \
	  echo 'extern const char theme_default_text[];'; \
	  echo 'const char theme_default_text[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&\\n"/' $<; echo ';'; } > $@

$(BUILD)/obj/gen/theme_default.o: $(THEME_GEN) $(CFLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(DPSEMU): $(EMU_OBJ) $(EMU_DPS_OBJ) $(LIBSYS) $(LIBMODEL) $(LIBBASE) \
		$(LDFLAGS_STAMP)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(EMU_OBJ) $(EMU_DPS_OBJ) \
	  $(LIBSYS) $(LIBMODEL) $(LIBBASE) $(EMU_LIBS)

$(ITEST): $(ITEST_OBJ) $(LIBAPP) $(LIBDPS) $(LIBSYS) $(LIBMODEL) $(LIBBASE) \
		$(LDFLAGS_STAMP)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(ITEST_OBJ) $(LIBAPP) \
	  $(LIBDPS) $(LIBSYS) $(LIBMODEL) $(LIBBASE) $(ITEST_LIBS)

CLI_LINK := $(LIBUI) $(LIBAPP) $(LIBDPS) $(LIBSYS) $(LIBMODEL) $(LIBBASE)

$(DPSENROLL): $(CLI_OBJ) $(PATHS_BUILD) $(CURL_LAZY_OBJ) $(CLI_LINK) $(LDFLAGS_STAMP)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(PATHS_BUILD) \
	  $(CURL_LAZY_OBJ) $(CLI_LINK) $(CLI_LIBS)

$(INSTALLED): $(CLI_OBJ) $(PATHS_INSTALL) $(CURL_LAZY_OBJ) $(CLI_LINK) $(LDFLAGS_STAMP)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(PATHS_INSTALL) \
	  $(CURL_LAZY_OBJ) $(CLI_LINK) $(CLI_LIBS)

# The command line's own logic that needs no process to test: shell
# completion and the list command's output formats.
UNIT_CLI_OBJ := $(call obj,src/cli/complete.c src/cli/list_out.c)

$(UNIT): $(UNIT_OBJ) $(UNIT_CLI_OBJ) $(PATHS_BUILD) $(CLI_LINK) $(LDFLAGS_STAMP)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(UNIT_CLI_OBJ) \
	  $(PATHS_BUILD) $(CLI_LINK) $(TEST_LIBS)

# The manual pages' and README's command and key lists come from the
# tables the program itself uses (src/cli, ui/keymap.c, dpsemu's usage).
DOCGEN_OBJ := $(call obj,tools/docgen.c) $(filter-out $(CLI_MAIN),$(CLI_OBJ)) \
              $(call obj,src/emu/emu_usage.c) $(CURL_LAZY_OBJ)

$(DOCGEN): $(DOCGEN_OBJ) $(PATHS_BUILD) $(CLI_LINK) $(LDFLAGS_STAMP)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(DOCGEN_OBJ) $(PATHS_BUILD) \
	  $(CLI_LINK) $(CLI_LIBS)

docs: $(DOCGEN)
	$(call say,DOCS,$(DOC_FILES))$(DOCGEN) --write $(DOC_FILES)

docs-check: $(DOCGEN)
	$(call say,TEST,docs)$(DOCGEN) --check $(DOC_FILES)

# The main job: dpsemu in the background on a free loopback port (data in
# .run/dpsemu, git-ignored) and the TUI against it; dpsemu stops when the
# TUI exits. The key reaches the TUI through its environment only. dpsemu
# keeps its default rate limits, Azure's, as a practice ground should.
RUN_DIR := .run/dpsemu

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(RUN_DIR)
	@rm -f $(RUN_DIR)/stdout; \
	$(DPSEMU) --data $(RUN_DIR) --listen 127.0.0.1:0 >$(RUN_DIR)/stdout \
	  2>$(RUN_DIR)/dpsemu.log & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 200); do grep -q listening $(RUN_DIR)/stdout 2>/dev/null \
	  && break; sleep 0.05; done; \
	if ! grep -q listening $(RUN_DIR)/stdout; then \
	  echo "dpsemu did not start:"; cat $(RUN_DIR)/dpsemu.log; exit 1; fi; \
	DPS_CONNECTION_STRING="$$(cat $(RUN_DIR)/connection-string)" \
	  DPS_ID_SCOPE="$$(cat $(RUN_DIR)/id-scope)" \
	  DPS_GLOBAL_ENDPOINT="$$(sed -n 's|^listening on https://||p' $(RUN_DIR)/stdout)" \
	  DPSENROLL_CACERT=$(RUN_DIR)/ca.pem $(DPSENROLL) tui

check: deps
	@$(MAKE) --no-print-directory DEVELOPER=1 test-all

test-all: all layers-test unit $(if $(ITEST_SRC),integration) fuzz-corpus e2e \
          docs-check install-check deb-check nls-check

# The layer check itself, on copies of the tree with one rule broken each.
layers-test:
	$(call say,TEST,layers)tests/layers/test_layers.sh

# The cli suite runs the real binary, so it comes along; the French
# tests read the catalogs.
unit: $(UNIT) $(DPSENROLL) $(MO_FILES)
	$(call say,TEST,unit)DPSENROLL_FIXTURES=$(abspath tests/fixtures) \
	  DPSENROLL=$(abspath $(DPSENROLL)) CK_DEFAULT_TIMEOUT=60 $(UNIT)

# Starts dpsemu itself on free loopback ports and stops it after.
integration: $(ITEST) $(DPSEMU) $(DPSENROLL) $(MO_FILES)
	$(call say,TEST,integration)DPSEMU=$(abspath $(DPSEMU)) \
	  DPSENROLL=$(abspath $(DPSENROLL)) DPSENROLL_FIXTURES=$(abspath tests/fixtures) \
	  CK_DEFAULT_TIMEOUT=120 $(ITEST)

# Needs tmux; every test starts its own tmux server and dpsemu on a free
# port, so they run side by side (E2E_JOBS, default: one per core).
e2e: $(DPSENROLL) $(DPSEMU) $(MO_FILES)
	$(call say,TEST,e2e)DPSENROLL=$(abspath $(DPSENROLL)) DPSEMU=$(abspath $(DPSEMU)) \
	  tests/e2e/run.sh

# `make install` into a temporary prefix, and the installed programs run
# from there (tests/install/run.sh).
install-check: all $(INSTALLED)
	$(call say,TEST,install)MAKE="$(MAKE)" BUILD="$(BUILD)" tests/install/run.sh

# The official Azure DPS Node SDKs against dpsemu (tests/compat/run.sh):
# not part of `make check`, since it needs npm's registry and root for
# port 443. Without root it says SKIP; COMPAT_SCENARIOS= picks scenarios.
.PHONY: compat compat-deps
COMPAT_DEB_PKGS := nodejs npm

compat-deps:
	$(call install_packages,$(COMPAT_DEB_PKGS),command -v node >/dev/null \
	  && command -v npm >/dev/null)

compat: all
	@if [ "$$(id -u)" = 0 ]; then \
	  $(MAKE) --no-print-directory compat-deps || exit 1; fi; \
	DPSEMU=$(abspath $(DPSEMU)) COMPAT_DIR=$(abspath $(BUILD))/compat \
	  tests/compat/run.sh $(COMPAT_SCENARIOS)

# Benchmarks print figures; they are not pass/fail tests. N sets the count.
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCHES   := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

BENCH_HARNESS := $(call obj,tests/integration/harness.c tests/integration/client.c \
                   tests/integration/expect.c tests/bench/lib/bench_lib.c)

# tui_bench runs dpsenroll and dialog in a pty and reads them through
# libvterm; it needs neither the harness nor dpsemu, and takes a run count
# (RUNS) rather than N.
TUI_BENCH := $(BUILD)/bench/tui_bench

$(BUILD)/obj/tests/bench/tui_bench.o: tests/bench/tui_bench.c $(CFLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(LAYER_CFLAGS) $(VTERM_CFLAGS) -c -o $@ $<

$(TUI_BENCH): $(BUILD)/obj/tests/bench/tui_bench.o $(LDFLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $< $(VTERM_LIBS) -lutil

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BENCH_HARNESS) \
		$(LIBAPP) $(LIBDPS) $(LIBSYS) $(LIBMODEL) $(LIBBASE) $(LDFLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o %.a,$^) $(ITEST_LIBS)

bench: bench-deps
	@$(MAKE) --no-print-directory bench-run

.PHONY: bench-run
bench-run: $(BENCHES) $(DPSEMU) $(DPSENROLL)
	@for b in $(filter-out $(TUI_BENCH),$(BENCHES)); do echo "== $$b"; \
	  DPSEMU=$(abspath $(DPSEMU)) DPSENROLL=$(abspath $(DPSENROLL)) $$b $(N) || exit 1; done
	@echo "== $(TUI_BENCH)"; \
	  DPSEMU=$(abspath $(DPSEMU)) DPSENROLL=$(abspath $(DPSENROLL)) $(TUI_BENCH) $(RUNS)
	@echo "== tests/bench/key_cost.sh"; \
	  DPSEMU=$(abspath $(DPSEMU)) DPSENROLL=$(abspath $(DPSENROLL)) \
	  tests/bench/key_cost.sh

# Fuzzing (tests/fuzz): one target per parser of outside input, each with
# a seed corpus in tests/fuzz/corpus/NAME. Built normally, a target is a
# small program (tests/fuzz/driver.c) that replays its corpus once: that
# is `make fuzz-corpus`, part of `make check`. Built with FUZZ=1 it is a
# libFuzzer program: `make fuzz` runs each for FUZZ_S seconds.
FUZZ_S      ?= 60
FUZZ_PC     := libcurl libcjson openssl libmicrohttpd sqlite3
FUZZ_SRC    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES  := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))
FUZZ_BINS   := $(addprefix $(BUILD)/fuzz/,$(FUZZ_NAMES))
FUZZ_UTIL   := $(call obj,tests/fuzz/util.c)
FUZZ_ALL_OBJ := $(call obj,$(wildcard tests/fuzz/*.c))
# The theme parser and dpsemu's dispatch, which no library holds; taken
# from an archive, so each target links only what it calls.
LIBFUZZSUP  := $(BUILD)/libfuzzsupport.a
FUZZ_SUP_OBJ := $(call obj,ui/theme.c) $(BUILD)/obj/gen/theme_default.o \
                $(PATHS_BUILD) \
                $(filter-out $(call obj,src/emu/emu_main.c),$(EMU_OBJ))
FUZZ_LINK   := $(LIBFUZZSUP) $(LIBAPP) $(LIBDPS) $(LIBSYS) $(LIBMODEL) $(LIBBASE)
ifeq ($(FUZZ),1)
FUZZ_MAIN   :=
FUZZ_LDFLAGS := -fsanitize=fuzzer
else
FUZZ_MAIN   := $(call obj,tests/fuzz/driver.c)
FUZZ_LDFLAGS :=
endif

$(BUILD)/obj/tests/fuzz/%.o: LAYER_CFLAGS = $(call pc_cflags,$(FUZZ_PC))

$(LIBFUZZSUP): $(FUZZ_SUP_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(FUZZ_UTIL) $(FUZZ_MAIN) \
		$(FUZZ_LINK) $(LDFLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) $(FUZZ_LDFLAGS) -o $@ \
	  $(filter %.o,$^) $(FUZZ_LINK) $(call pc_libs,$(FUZZ_PC))

fuzz-corpus: $(FUZZ_BINS)
	$(call say,TEST,fuzz-corpus)for n in $(FUZZ_NAMES); do \
	  $(BUILD)/fuzz/$$n tests/fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1 || \
	  { cat $(BUILD)/fuzz/$$n.log; echo "fuzz-corpus: $$n failed"; exit 1; }; done

# clang and its libFuzzer runtime, only for `make fuzz`.
FUZZ_DEB_PKGS := clang libclang-rt-dev llvm

fuzz-deps:
	$(call install_packages,$(FUZZ_DEB_PKGS),command -v clang >/dev/null \
	  && command -v llvm-symbolizer >/dev/null \
	  && echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; return (int)n * 0; }' \
	     | clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null)

fuzz: deps fuzz-deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz FUZZ=1 fuzz-run

# New inputs a run finds go to $(BUILD)/corpus/NAME (the tree's corpus is
# only read), crashes to $(BUILD)/crash/. Every target runs; the first
# failure is reported at the end.
fuzz-run: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/crash; failed=; \
	for n in $(FUZZ_NAMES); do mkdir -p $(BUILD)/corpus/$$n; \
	  if $(BUILD)/fuzz/$$n -max_total_time=$(FUZZ_S) -timeout=10 \
	       -print_final_stats=1 -artifact_prefix=$(BUILD)/crash/$$n- \
	       $(BUILD)/corpus/$$n tests/fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1; \
	  then r=clean; else r=FAILED; failed="$$failed $$n"; fi; \
	  printf '%-18s %12s execs in %s s  %s\n' $$n \
	    "$$(sed -n 's/^stat::number_of_executed_units: *//p' $(BUILD)/fuzz/$$n.log)" \
	    $(FUZZ_S) $$r; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed (logs in $(BUILD)/fuzz/NAME.log)"; exit 1; fi

sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-san SANITIZE=1 DEVELOPER=1 test-all

# A new Debian 12 root (debootstrap, minbase plus make, gcc, git and
# ca-certificates) gets a clean clone of this tree, and runs `make check`
# and `make run` there. Needs root and Debian's package mirror; minutes.
fresh-check:
	tests/fresh/run.sh

# The shells' completion scripts, as the program prints them.
COMPLETIONS := $(BUILD)/completion/dpsenroll $(BUILD)/completion/_dpsenroll

$(BUILD)/completion/dpsenroll: $(DPSENROLL)
	@mkdir -p $(@D)
	$(call say,GEN,$@)$(DPSENROLL) completion bash >$@.tmp && mv $@.tmp $@

$(BUILD)/completion/_dpsenroll: $(DPSENROLL)
	@mkdir -p $(@D)
	$(call say,GEN,$@)$(DPSENROLL) completion zsh >$@.tmp && mv $@.tmp $@

install: all $(INSTALLED) $(COMPLETIONS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR) \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0644 $(BUILD)/completion/dpsenroll $(DESTDIR)$(BASHCOMPDIR)/dpsenroll
	install -m 0644 $(BUILD)/completion/_dpsenroll $(DESTDIR)$(ZSHCOMPDIR)/_dpsenroll
	install -m 0755 $(INSTALLED) $(DESTDIR)$(BINDIR)/dpsenroll
	install -m 0755 $(DPSEMU) $(DESTDIR)$(BINDIR)/dpsemu
	install -m 0644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	$(foreach l,$(if $(MO_FILES),$(LINGUAS)),install -d $(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES && \
	  install -m 0644 $(BUILD)/locale/$(l)/LC_MESSAGES/dpsenroll.mo \
	    $(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/dpsenroll.mo &&) true

# Debian packages (dpsenroll and dpsemu) in $(BUILD)/deb, from an
# install into a staging folder with PREFIX=/usr; lintian's findings
# follow when lintian is installed.
DEB_STAGE := $(BUILD)/deb-stage

deb: all
	rm -rf $(DEB_STAGE)
	@$(MAKE) --no-print-directory install PREFIX=/usr \
	  DESTDIR=$(abspath $(DEB_STAGE)) >/dev/null
	tools/deb.sh $(DEB_STAGE) $(BUILD)/deb $(VERSION)
	@if command -v lintian >/dev/null; then \
	  lintian --no-tag-display-limit $(BUILD)/deb/*_$(VERSION)_*.deb || true; \
	fi

deb-check: all
	$(call say,TEST,deb)MAKE="$(MAKE)" BUILD="$(BUILD)" tests/deb/run.sh

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dpsenroll $(DESTDIR)$(BINDIR)/dpsemu \
	  $(DESTDIR)$(MANDIR)/man1/dpsenroll.1 $(DESTDIR)$(MANDIR)/man1/dpsemu.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/dpsenroll $(DESTDIR)$(ZSHCOMPDIR)/_dpsenroll
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)
	rm -f $(foreach l,$(LINGUAS),$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/dpsenroll.mo)

clean:
	rm -rf build build-san build-fuzz

-include $(BASE_OBJ:.o=.d) $(CURL_LAZY_OBJ:.o=.d) \
  $(MODEL_OBJ:.o=.d) $(SYS_OBJ:.o=.d) $(DPS_OBJ:.o=.d) $(CLI_OBJ:.o=.d) \
  $(EMU_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) \
  $(ITEST_OBJ:.o=.d) $(PATHS_BUILD:.o=.d) $(PATHS_INSTALL:.o=.d) \
  $(DOCGEN_OBJ:.o=.d) $(FUZZ_ALL_OBJ:.o=.d)
