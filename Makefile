# Makefile - the one entry point: build, `make check`, `make demo`, `make install`.
#
#   make            build build/stapc and build/stapr
#   make check      install dependencies, build, run every test (unit, golden,
#                   sanitizer builds, VM tests in the Debian kernel under qemu,
#                   the arm64 cross-compiling tests)
#   make demo       install dependencies, build, compile examples/hello.stp and
#                   run it with stapr in a throwaway VM
#   make check-arm64  cross-compile for arm64 and run those modules in an arm64 VM
#   make bench      probe cost (guest instructions), pass-4 time, module size
#   make install    PREFIX=/usr/local DESTDIR=

CC ?= gcc
CFLAGS ?= -O2 -g
PREFIX ?= /usr/local
BUILD := build

STD_FLAGS := -std=gnu11 -Wall -Wextra -Werror
DATADIR := $(PREFIX)/share/stapc
INCLUDES := -Iparser -Itranslator -I$(BUILD)/gen
ALL_CFLAGS := $(STD_FLAGS) $(INCLUDES) $(CFLAGS) -DSTAPC_DATADIR='"$(DATADIR)"'
# flex/bison output trips a few warnings that are theirs, not ours
GEN_CFLAGS := -Wno-unused-function -Wno-sign-compare -Wno-unused-parameter

PARSER_SRCS := $(wildcard parser/*.c)
GEN_SRCS := $(BUILD)/gen/lexer.c $(BUILD)/gen/grammar.c
TRANSLATOR_SRCS := $(filter-out translator/main.c,$(wildcard translator/*.c))
STAPR_SRCS := $(wildcard stapr/*.c)

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps check demo install clean unit golden vm-tests bench fuzz fuzz-elaborate \
	stapr-arm64 check-arm64
all: $(BUILD)/stapc $(BUILD)/stapr $(BUILD)/stapr-vm

# ---- generated parser -------------------------------------------------------

$(BUILD)/gen/grammar.c $(BUILD)/gen/grammar.h: parser/grammar.y
	@mkdir -p $(BUILD)/gen
	bison -Wall -Werror -d -o $(BUILD)/gen/grammar.c $<

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h: parser/lexer.l $(BUILD)/gen/grammar.h
	@mkdir -p $(BUILD)/gen
	flex -o $(BUILD)/gen/lexer.c --header-file=$(BUILD)/gen/lexer.h $<

# ---- stapc --------------------------------------------------------------------
# Objects are built per variant: normal ($(BUILD)/obj) and sanitized ($(BUILD)/asan).

define variant
$(1)_OBJS := $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(notdir $$(PARSER_SRCS) $$(TRANSLATOR_SRCS))) \
	$(BUILD)/$(1)/lexer.o $(BUILD)/$(1)/grammar.o

$(BUILD)/$(1)/%.o: parser/%.c parser/*.h | $(BUILD)/gen/grammar.h $(BUILD)/gen/lexer.h
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $(2) -c -o $$@ $$<

$(BUILD)/$(1)/%.o: translator/%.c translator/*.h parser/*.h
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $(2) -c -o $$@ $$<

$(BUILD)/$(1)/%.o: $(BUILD)/gen/%.c parser/*.h
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $$(GEN_CFLAGS) $(2) -Iparser -c -o $$@ $$<

$(BUILD)/$(1)/lexer.o: $(BUILD)/gen/grammar.h
endef

$(eval $(call variant,obj,))
$(eval $(call variant,asan,$(SAN_FLAGS)))

# debuginfo (translator/dwarf_*.c) is read with libdw and libelf
DW_LIBS := $(shell pkg-config --libs libdw 2>/dev/null || echo -ldw -lelf)

$(BUILD)/stapc: $(obj_OBJS) $(BUILD)/obj/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(DW_LIBS)

$(BUILD)/asan/stapc: $(asan_OBJS) $(BUILD)/asan/main.o
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(DW_LIBS)

# ---- stapr (static: it is copied into the VM's initramfs) ---------------------

$(BUILD)/stapr: $(STAPR_SRCS) stapr/*.h runtime/transport_protocol.h
	@mkdir -p $(BUILD)
	$(CC) $(STD_FLAGS) -Iruntime $(CFLAGS) -static -o $@ $(STAPR_SRCS)

# next to stapr, which runs it for --vm (a copy, kept up to date)
$(BUILD)/stapr-vm: stapr/stapr-vm
	@mkdir -p $(BUILD)
	cp stapr/stapr-vm $@

# the same loader for an arm64 target, with the cross compiler (tests/arm64/)
ARM64_CC ?= aarch64-linux-gnu-gcc
stapr-arm64: $(BUILD)/arm64/stapr
$(BUILD)/arm64/stapr: $(STAPR_SRCS) stapr/*.h runtime/transport_protocol.h
	@mkdir -p $(BUILD)/arm64
	$(ARM64_CC) $(STD_FLAGS) -Iruntime $(CFLAGS) -static -o $@ $(STAPR_SRCS)

$(BUILD)/asan/stapr: $(STAPR_SRCS) stapr/*.h runtime/transport_protocol.h
	@mkdir -p $(BUILD)/asan
	$(CC) $(STD_FLAGS) -Iruntime $(CFLAGS) $(SAN_FLAGS) -o $@ $(STAPR_SRCS)

# ---- tests ----------------------------------------------------------------------

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/asan/%,$(wildcard tests/unit/*.c))

$(BUILD)/asan/test_%: tests/unit/test_%.c $(asan_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(DW_LIBS)

# stapr's -c command handling, with real child processes (no kernel needed)
$(BUILD)/asan/test_command: tests/unit/test_command.c stapr/command.c stapr/command.h
	@mkdir -p $(BUILD)/asan
	$(CC) $(STD_FLAGS) $(CFLAGS) $(SAN_FLAGS) -Istapr -o $@ tests/unit/test_command.c stapr/command.c

deps:
	tests/install-deps.sh

unit: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do echo "== $$t"; $$t || exit 1; done

# golden tests run the sanitized stapc, so every userspace path is checked
# under ASan/UBSan as well
golden: $(BUILD)/asan/stapc $(BUILD)/asan/stapr
	tests/golden/run.sh $(BUILD)/asan/stapc $(BUILD)/asan/stapr

vm-tests: all
	tests/vm/run.sh $(BUILD)/stapc

# arm64 cross-compiling: fetch the arm64 target (tests/arm64/setup.sh, cached
# in ~/.cache/stapc-arm64), compile there, run in qemu-system-aarch64
check-arm64: all stapr-arm64
	tests/arm64/run.sh $(BUILD)/stapc $(BUILD)/arm64/stapr

check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) golden
	$(MAKE) vm-tests
	$(MAKE) check-arm64

demo: deps
	$(MAKE) all
	tests/demo.sh $(BUILD)

# libFuzzer over pass 1 (needs clang and its runtime: clang, libclang-rt-14-dev)
FUZZ_SECONDS ?= 120
fuzz: $(BUILD)/gen/lexer.c $(BUILD)/gen/grammar.c
	clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -Iparser -I$(BUILD)/gen \
		-Wno-unused-function -o $(BUILD)/fuzz_parser tests/parse/fuzz/fuzz_parser.c \
		$(PARSER_SRCS) $(GEN_SRCS)
	mkdir -p $(BUILD)/fuzz-corpus
	$(BUILD)/fuzz_parser -close_fd_mask=2 -max_total_time=$(FUZZ_SECONDS) \
		-dict=tests/parse/fuzz/stap.dict $(BUILD)/fuzz-corpus tests/parse/ok tests/parse/ko

# libFuzzer over pass 2 (aliases, conditions, overloads, binding, types)
fuzz-elaborate: $(BUILD)/gen/lexer.c $(BUILD)/gen/grammar.c
	clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -Iparser -Itranslator \
		-I$(BUILD)/gen -DSTAPC_DATADIR='"$(DATADIR)"' -Wno-unused-function \
		-o $(BUILD)/fuzz_elaborate tests/parse/fuzz/fuzz_elaborate.c \
		$(PARSER_SRCS) $(GEN_SRCS) $(TRANSLATOR_SRCS)
	mkdir -p $(BUILD)/fuzz-elaborate-corpus
	$(BUILD)/fuzz_elaborate -close_fd_mask=3 -max_total_time=$(FUZZ_SECONDS) \
		-dict=tests/parse/fuzz/stap.dict $(BUILD)/fuzz-elaborate-corpus \
		tests/sem/ok tests/sem/ko

# figures and ratios against baselines measured in the same run (~1 min)
bench: all
	bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/runtime $(DESTDIR)$(DATADIR)/tapsets
	install -m 755 $(BUILD)/stapc $(BUILD)/stapr stapr/stapr-vm $(DESTDIR)$(PREFIX)/bin/
	install -m 644 runtime/*.h $(DESTDIR)$(DATADIR)/runtime/
	install -m 644 tapsets/*.stp tapsets/README.md $(DESTDIR)$(DATADIR)/tapsets/

clean:
	rm -rf $(BUILD)
