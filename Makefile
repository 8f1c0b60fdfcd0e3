# dpsenroll: enroll devices into Azure IoT Hub DPS from a terminal.
#
#   make            build build/dpsenroll (and the tools that exist)
#   make run        install missing packages (as root), build, open dpsenroll
#   make check      install missing packages (as root), build, run every test
#   make sanitize   the whole check built with ASan + UBSan (in build-san/)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need
#   V=1             show the full commands

VERSION := 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

PKGS     := ncursesw libcurl libcjson openssl check libmicrohttpd sqlite3
DEB_PKGS := build-essential pkg-config libncurses-dev libcurl4-openssl-dev \
            libcjson-dev libssl-dev check libmicrohttpd-dev libsqlite3-dev \
            tmux openssl ca-certificates dialog libvterm-dev

pc_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pc_libs   = $(shell pkg-config --libs $(1) 2>/dev/null)

CC       ?= cc
OPTFLAGS ?= -O2 -g
CFLAGS   ?=
WFLAGS   := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
DEFS     := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DDPSENROLL_VERSION='"$(VERSION)"' \
            -DDPSENROLL_DATADIR='"$(PREFIX)/share/dpsenroll"' \
            -DDPSENROLL_SRCDIR='"$(CURDIR)"'
ifeq ($(SANITIZE),1)
OPTFLAGS := -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
endif

MODEL_PC := libcjson openssl libcurl
# dpsenroll loads libcurl when it first needs it (src/cli/curl_lazy.c).
CLI_PC   := ncursesw libcjson openssl
EMU_PC   := libmicrohttpd sqlite3 $(MODEL_PC)
TEST_PC  := check ncursesw $(MODEL_PC)
ITEST_PC := check $(MODEL_PC)

ALL_CFLAGS = $(WFLAGS) $(OPTFLAGS) $(SANFLAGS) $(DEFS) -Isrc -I. -MMD -MP \
             $(call pc_cflags,$(PKGS)) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS) -pthread

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

MODEL_SRC := $(sort $(wildcard src/model/*.c))
SYS_SRC   := $(sort $(wildcard src/sys/*.c))
DPS_SRC   := $(sort $(wildcard src/dps/*.c))
APP_SRC   := $(sort $(wildcard src/app/*.c))
# The default theme is compiled in from the same file format users edit.
THEME_GEN := $(BUILD)/gen/theme_default.c
UI_SRC    := $(sort $(wildcard ui/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
EMU_SRC   := $(sort $(wildcard src/emu/*.c)) $(EMU_EXTRA_SRC)
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
ITEST_SRC := $(sort $(wildcard tests/integration/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
MODEL_OBJ := $(call obj,$(MODEL_SRC))
SYS_OBJ   := $(call obj,$(SYS_SRC))
DPS_OBJ   := $(call obj,$(DPS_SRC))
APP_OBJ   := $(call obj,$(APP_SRC))
UI_OBJ    := $(call obj,$(UI_SRC)) $(BUILD)/obj/gen/theme_default.o
CLI_OBJ   := $(call obj,$(CLI_SRC))
EMU_OBJ   := $(call obj,$(EMU_SRC))
UNIT_OBJ  := $(call obj,$(UNIT_SRC))
ITEST_OBJ := $(call obj,$(ITEST_SRC))

LIBMODEL  := $(BUILD)/libmodel.a
LIBSYS    := $(BUILD)/libsys.a
LIBDPS    := $(BUILD)/libdps.a
LIBAPP    := $(BUILD)/libapp.a
LIBUI     := $(BUILD)/libui.a
DPSENROLL := $(BUILD)/dpsenroll
DPSEMU    := $(BUILD)/dpsemu
UNIT      := $(BUILD)/unit-tests
ITEST     := $(BUILD)/integration-tests

.PHONY: all deps libs-present run check test-all unit integration e2e bench sanitize \
        install uninstall clean
.DEFAULT_GOAL := all
# Objects made only on the way to a benchmark are kept like the others.
.SECONDARY:

all: libs-present $(DPSENROLL) $(DPSEMU)

libs-present:
	@command -v pkg-config >/dev/null && pkg-config --exists $(PKGS) || { \
	  echo "dpsenroll: build libraries are missing."; \
	  echo "Run 'make deps' (as root), or 'make run' / 'make check' which call it."; \
	  exit 1; }

# Installs only when something is missing, so it costs almost nothing after
# the first time. Without root it prints the command to run instead.
deps:
	@if command -v pkg-config >/dev/null && pkg-config --exists $(PKGS) \
	   && command -v tmux >/dev/null && command -v openssl >/dev/null \
	   && command -v dialog >/dev/null && pkg-config --exists vterm \
	   && command -v cc >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "dpsenroll: packages are missing and installing them needs root."; \
	  echo "Run: sudo apt-get update && sudo apt-get install -y $(DEB_PKGS)"; \
	  exit 1; \
	fi; \
	echo "dpsenroll: installing build packages with apt-get"; \
	apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PKGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

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

$(BUILD)/obj/gen/theme_default.o: $(THEME_GEN)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(DPSEMU): $(EMU_OBJ) $(LIBDPS) $(LIBSYS) $(LIBMODEL)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(EMU_OBJ) $(LIBDPS) \
	  $(LIBSYS) $(LIBMODEL) $(call pc_libs,$(EMU_PC))

$(ITEST): $(ITEST_OBJ) $(LIBDPS) $(LIBSYS) $(LIBMODEL)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(ITEST_OBJ) $(LIBDPS) \
	  $(LIBSYS) $(LIBMODEL) $(call pc_libs,$(ITEST_PC))

$(DPSENROLL): $(CLI_OBJ) $(LIBUI) $(LIBAPP) $(LIBDPS) $(LIBSYS) $(LIBMODEL)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIBUI) $(LIBAPP) \
	  $(LIBDPS) $(LIBSYS) $(LIBMODEL) $(call pc_libs,$(CLI_PC))

$(UNIT): $(UNIT_OBJ) $(LIBUI) $(LIBAPP) $(LIBDPS) $(LIBSYS) $(LIBMODEL)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(LIBUI) $(LIBAPP) $(LIBDPS) \
	  $(LIBSYS) $(LIBMODEL) $(call pc_libs,$(TEST_PC))

# The main job: dpsemu in the background on a free loopback port (data in
# .run/dpsemu, git-ignored) and the TUI against it; dpsemu stops when the
# TUI exits. The key reaches the TUI through its environment only.
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
	  DPSENROLL_CACERT=$(RUN_DIR)/ca.pem $(DPSENROLL) tui

check: deps
	@$(MAKE) --no-print-directory test-all

test-all: all unit $(if $(ITEST_SRC),integration) e2e

# The cli suite runs the real binary, so it comes along.
unit: $(UNIT) $(DPSENROLL)
	$(call say,TEST,unit)DPSENROLL_FIXTURES=$(abspath tests/fixtures) \
	  DPSENROLL=$(abspath $(DPSENROLL)) CK_DEFAULT_TIMEOUT=60 $(UNIT)

# Starts dpsemu itself on free loopback ports and stops it after.
integration: $(ITEST) $(DPSEMU) $(DPSENROLL)
	$(call say,TEST,integration)DPSEMU=$(abspath $(DPSEMU)) \
	  DPSENROLL=$(abspath $(DPSENROLL)) DPSENROLL_FIXTURES=$(abspath tests/fixtures) \
	  CK_DEFAULT_TIMEOUT=120 $(ITEST)

# Needs tmux; every test starts its own tmux server and dpsemu on a free port.
e2e: $(DPSENROLL) $(DPSEMU)
	$(call say,TEST,e2e)DPSENROLL=$(abspath $(DPSENROLL)) DPSEMU=$(abspath $(DPSEMU)) \
	  tests/e2e/run.sh

# Benchmarks print figures; they are not pass/fail tests. N sets the count.
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCHES   := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

BENCH_HARNESS := $(call obj,tests/integration/harness.c tests/integration/client.c \
                   tests/integration/expect.c)

# tui_bench runs dpsenroll and dialog in a pty and reads them through
# libvterm; it needs neither the harness nor dpsemu, and takes a run count
# (RUNS) rather than N.
TUI_BENCH := $(BUILD)/bench/tui_bench

$(BUILD)/obj/tests/bench/tui_bench.o: ALL_CFLAGS += $(call pc_cflags,vterm)

$(TUI_BENCH): $(BUILD)/obj/tests/bench/tui_bench.o
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pc_libs,vterm) -lutil

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BENCH_HARNESS) \
		$(LIBDPS) $(LIBSYS) $(LIBMODEL)
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pc_libs,$(ITEST_PC))

bench: $(BENCHES) $(DPSEMU) $(DPSENROLL)
	@for b in $(filter-out $(TUI_BENCH),$(BENCHES)); do echo "== $$b"; \
	  DPSEMU=$(abspath $(DPSEMU)) $$b $(N) || exit 1; done
	@echo "== $(TUI_BENCH)"; \
	  DPSENROLL=$(abspath $(DPSENROLL)) $(TUI_BENCH) $(RUNS)

sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-san SANITIZE=1 test-all

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/dpsenroll/themes \
	  $(DESTDIR)$(PREFIX)/share/doc/dpsenroll
	install -m 0755 $(DPSENROLL) $(DPSEMU) $(DESTDIR)$(PREFIX)/bin/
	for t in themes/*.theme; do [ -e "$$t" ] || continue; \
	  install -m 0644 "$$t" $(DESTDIR)$(PREFIX)/share/dpsenroll/themes/; done
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/dpsenroll/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dpsenroll $(DESTDIR)$(PREFIX)/bin/dpsemu
	rm -rf $(DESTDIR)$(PREFIX)/share/dpsenroll $(DESTDIR)$(PREFIX)/share/doc/dpsenroll

clean:
	rm -rf build build-san

-include $(MODEL_OBJ:.o=.d) $(SYS_OBJ:.o=.d) $(DPS_OBJ:.o=.d) $(CLI_OBJ:.o=.d) \
  $(EMU_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) \
  $(ITEST_OBJ:.o=.d)
