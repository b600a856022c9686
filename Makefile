# lsrmon — plain Makefile.  `make` builds ./lsrmon; `make check` installs any
# missing Debian package, builds and runs every test; SANITIZE=1 builds the
# same with ASan+UBSan into build/san/ (tests then run that binary);
# SANITIZE=thread builds with ThreadSanitizer into build/tsan/ (make check
# builds and runs tests/tools/crew_race there);
# `make fuzz` builds the libFuzzer targets (clang) into build/fuzz/, `make
# fuzz-ci` runs each for FUZZ_SECONDS, `make soak` runs the 8-hour case.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/lsrmon
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := ncursesw libserialport liblo inih cairo

SANITIZE ?= 0
# OPT is the build's own optimisation; SAN_FLAGS (the sanitizers) go on
# every compile and link line after the user's CFLAGS/LDFLAGS, so an
# environment CFLAGS="-O2 -g" never drops -fsanitize from the compile step
# while the link step keeps it.
ifeq ($(SANITIZE),1)
BUILD := build/san
OPT := -O1
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
BIN := $(BUILD)/lsrmon
else ifeq ($(SANITIZE),thread)
# ThreadSanitizer: the threads that share the detector's work
# (tests/tools/crew_race.c, tests/e2e/crew_race.sh).
BUILD := build/tsan
OPT := -O1
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
BIN := $(BUILD)/lsrmon
else ifeq ($(SANITIZE),fuzz)
# The fuzz build: the core instrumented for libFuzzer, under ASan+UBSan.
BUILD := build/fuzz
CC := clang
OPT := -O1
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
BIN := $(BUILD)/lsrmon
else
BUILD := build/rel
OPT := -O2
SAN_FLAGS :=
BIN := lsrmon
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# -D_GNU_SOURCE: ncursesw's cflags set _XOPEN_SOURCE=600, which hides pipe2,
# ppoll and friends (docs/api-notes.md, B0).  The warning flags come after
# CFLAGS so that no CFLAGS turns them off.
CFLAGS ?= $(OPT) -g
# The layers (src/README): each folder is on the include path, and
# tests/e2e/layers.sh checks from the compiler's own dependency lists which
# folder's headers each folder includes.
LAYERS := src src/signal src/judge src/source src/sink src/ui
INCLUDES := $(patsubst %,-I%,$(LAYERS)) -Idrivers
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DLSR_DATADIR='"$(DATADIR)"' $(INCLUDES) \
	$(PKG_CFLAGS) $(CFLAGS) $(SAN_FLAGS) -Wall -Wextra -Wpedantic -Werror -MMD -MP
ALL_LDFLAGS = $(CFLAGS) $(LDFLAGS) $(SAN_FLAGS)
LIBS = $(PKG_LIBS) -ledf -lpthread -lm

CORE_SRC := $(filter-out src/main.c,$(foreach d,$(LAYERS),$(wildcard $(d)/*.c))) $(wildcard drivers/*.c)
CORE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CORE_SRC))
MAIN_OBJ := $(BUILD)/src/main.o
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(UNIT_SRC))
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))
RUNNER := $(BUILD)/run_tests

DEB_PACKAGES := gcc make pkg-config libncurses-dev libserialport-dev liblo-dev \
	liblo-tools libedf-dev libinih-dev check libcairo2-dev tmux socat \
	biosig-tools python3-mne poppler-utils clang libclang-rt-14-dev valgrind \
	puredata-core

.PHONY: show-cflags all check demo deps tests fixtures bench evaluate install uninstall clean fuzz fuzz-ci fuzz-targets soak

all: $(BIN)

$(BIN): $(MAIN_OBJ) $(BUILD)/core.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/core.a: $(CORE_OBJ)
	@rm -f $@
	@echo "AR $@"
	@ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

# One Check runner: every tests/unit/*.c defines `Suite *suite_<name>(void)`;
# the list is generated so adding a suite never touches a shared file.
$(BUILD)/tests/suites.inc: $(UNIT_SRC)
	@mkdir -p $(dir $@)
	@grep -ho '^Suite \*suite_[a-z0-9_]*(void)' $(UNIT_SRC) /dev/null | \
		sed 's/^Suite \*\(suite_[a-z0-9_]*\)(void)/SUITE(\1)/' | sort > $@.tmp
	@mv $@.tmp $@

$(BUILD)/tests/run_tests.o: tests/run_tests.c $(BUILD)/tests/suites.inc
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) -I$(BUILD)/tests -c -o $@ $<

$(RUNNER): $(BUILD)/tests/run_tests.o $(UNIT_OBJ) $(BUILD)/core.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS)

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/core.a
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/core.a $(LIBS)

# Benchmarks (tests/bench/README.md): `make bench` runs the release build;
# each tests/bench/*.c is a standalone program linked with the core, and
# `make tests` builds them too, so that a change of the core's interfaces
# cannot leave `make bench` broken unnoticed.
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BIN := $(patsubst tests/bench/%.c,build/rel/bench/%,$(BENCH_SRC))

tests: $(BIN) $(RUNNER) $(TOOLS) $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/core.a
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/core.a $(LIBS)

bench:
	$(MAKE) SANITIZE=0 lsrmon $(BENCH_BIN) build/rel/tools/edflib_copy
	LSRMON=$(abspath lsrmon) LSR_BUILD=$(abspath build/rel) bash tests/bench/run

# libFuzzer targets, one per parser: tests/fuzz/fuzz_<name>.c.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 30

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(BUILD)/core.a
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/core.a $(LIBS)

fuzz-targets: $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_NAMES))

fuzz:
	$(MAKE) SANITIZE=fuzz fuzz-targets

# Each target for FUZZ_SECONDS from its seed corpus (copied: CI never
# writes into the tree); any crash, leak or UB report fails.
fuzz-ci: fuzz
	@set -e; for t in $(FUZZ_NAMES); do \
		d=$$(mktemp -d); cp tests/fuzz/corpus/$$t/* $$d/ 2>/dev/null || true; \
		echo "fuzz-ci: $$t for $(FUZZ_SECONDS) s"; \
		(cd $$d && ASAN_OPTIONS=detect_leaks=1 $(abspath build/fuzz/fuzz)/$$t \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=1024 \
			-print_final_stats=1 $$d >$$d.log 2>&1) || \
			{ tail -60 $$d.log; rm -rf $$d $$d.log; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $$d.log; \
		rm -rf $$d $$d.log; done

# The simulated 8-hour case (tests/soak.sh; SOAK_SECONDS shortens it).
soak: tests
	LSRMON=$(abspath $(BIN)) LSR_BUILD=$(abspath $(BUILD)) SANITIZE=$(SANITIZE) \
		bash tests/soak.sh $${SOAK_SECONDS:-28800}

# Fixtures too big to commit, recorded from the simulated patient with fixed
# seeds (fixtures/README); each its own target, so -j makes them in parallel.
FIXTURE_GEN := classic persistent stim-failure noisy partial
FIXTURES := $(patsubst %,$(BUILD)/fixtures/%.bdf,$(FIXTURE_GEN))

fixtures: $(FIXTURES)

$(BUILD)/fixtures/%.bdf: fixtures/gen.sh fixtures/mkfix.py $(BIN)
	@echo "GEN $@"
	@LSRMON=$(abspath $(BIN)) bash fixtures/gen.sh build $(BUILD)/fixtures $*

# Installs what is missing, and says what (through sudo -n when not root).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

check: deps
	$(MAKE) tests fixtures
	@if [ "$(SANITIZE)" = 0 ]; then $(MAKE) SANITIZE=thread build/tsan/tools/crew_race; fi
	LSRMON=$(abspath $(BIN)) LSR_BUILD=$(abspath $(BUILD)) SANITIZE=$(SANITIZE) \
		bash tests/run-all

demo: deps
	$(MAKE) all
	./$(BIN)

# The detector's error rates over the simulated population
# (tests/eval/README.md): always the release build; EVAL_PATIENTS per
# course, EVAL_SEED picks the set, EVAL_JOBS runs in parallel.
EVAL_PATIENTS ?= 300
EVAL_SEED ?= 1
EVAL_JOBS ?= 2
evaluate: deps
	$(MAKE) SANITIZE=0 lsrmon build/rel/tools/simtruth
	/usr/bin/python3 tests/eval/evaluate.py --lsrmon $(abspath lsrmon) \
		--simtruth $(abspath build/rel/tools/simtruth) --patients $(EVAL_PATIENTS) \
		--seed $(EVAL_SEED) --jobs $(EVAL_JOBS) --results tests/eval/RESULTS.md

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)/layouts
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/lsrmon
	for m in man/*.[157]; do \
		s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 644 layouts/*.ini $(DESTDIR)$(DATADIR)/layouts/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lsrmon
	for m in man/*.[157]; do \
		s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build lsrmon

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# The compile flags, for checks that run the preprocessor themselves
# (tests/e2e/layers.sh).
show-cflags:
	@echo $(ALL_CFLAGS)
