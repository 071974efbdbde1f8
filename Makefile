# skbtracer-iptables: one static binary with its BPF object embedded.
# `make` builds ./skbtracer-iptables; `make test` runs every test; `make help` lists targets.

OUTPUT ?= build
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
BTF ?= /sys/kernel/btf/vmlinux
ARGS ?=

HOST_ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ARCH ?= $(HOST_ARCH)
VMLINUX_DIR := vmlinux/$(ARCH)
NAME := skbtracer-iptables
BIN := $(NAME)

# Cross build (make ARCH=arm64 on x86-64): Debian's cross compiler and :arm64 libraries
# (scripts/install-deps.sh arm64), output in build/arm64/skbtracer-iptables.
ifneq ($(ARCH),$(HOST_ARCH))
CROSS_COMPILE ?= $(if $(filter arm64,$(ARCH)),aarch64-linux-gnu-)
CC := $(CROSS_COMPILE)gcc
OUTPUT := build/$(ARCH)
BIN := $(OUTPUT)/$(NAME)
endif

CFLAGS ?= -g -O2
override CFLAGS += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -I$(OUTPUT) -Isrc
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wextra -Werror \
	-Wno-unused-parameter -I$(VMLINUX_DIR) -Isrc
LDLIBS := -lbpf -lelf -lz -lzstd -lpcap
LDFLAGS ?= -static

USER_SRCS := src/options.c src/format.c src/btf_probe.c src/tracer.c src/privileges.c \
	src/system_iptables.c src/xt_blob.c src/xt_fetch.c src/rules.c \
	src/nft_ruleset.c src/nft_fetch.c src/nft_trace_switch.c src/event_queue.c src/lost.c \
	src/pcap_expr.c src/netns.c src/record.c src/render_text.c src/json_writer.c \
	src/render_json.c src/summary.c src/netns_names.c src/group.c src/ksyms.c \
	src/drop_reason.c src/xt_recseq.c src/printable.c
USER_OBJS := $(patsubst src/%.c,$(OUTPUT)/%.o,$(USER_SRCS))

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all clean install uninstall test test-kernels test-unit test-host test-vm test-asan \
	test-fuzz fuzz demo bench bench-reader run vmlinux check help

all: $(BIN)

$(OUTPUT):
	$(Q)mkdir -p $@

$(OUTPUT)/%.tmp.bpf.o: src/%.bpf.c src/skbtracer.h src/pcap_run.h $(wildcard src/*.bpf.h) \
		       $(VMLINUX_DIR)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# The same programs for kernels without bpf_loop (before 5.17): a bounded rule walk; and for
# kernels with bpf_rdonly_cast (6.2+): plain loads where the others probe-read.
$(OUTPUT)/skbtracer_noloop.tmp.bpf.o: BPF_VARIANT := -DNO_BPF_LOOP
$(OUTPUT)/skbtracer_typed.tmp.bpf.o: BPF_VARIANT := -DTYPED_READS
$(OUTPUT)/skbtracer_noloop.tmp.bpf.o $(OUTPUT)/skbtracer_typed.tmp.bpf.o: src/skbtracer.bpf.c \
		src/skbtracer.h src/pcap_run.h $(wildcard src/*.bpf.h) $(VMLINUX_DIR)/vmlinux.h \
		| $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(BPF_VARIANT) -c $< -o $@

# bpftool's linker drops the DWARF the skeleton would otherwise embed.
$(OUTPUT)/%.bpf.o: $(OUTPUT)/%.tmp.bpf.o
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(OUTPUT)/tracer.o: $(OUTPUT)/skbtracer.skel.h $(OUTPUT)/skbtracer_noloop.skel.h \
	$(OUTPUT)/skbtracer_typed.skel.h

$(OUTPUT)/main.o $(OUTPUT)/pcap_no_dbus.o $(USER_OBJS): $(OUTPUT)/%.o: src/%.c $(wildcard src/*.h) \
		| $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# Static: pcap_no_dbus.o stands in for libpcap's D-Bus capture source (see the file).
$(BIN): $(OUTPUT)/main.o $(USER_OBJS) $(OUTPUT)/pcap_no_dbus.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Regenerate the checked-in kernel type header from a BTF file (make vmlinux BTF=path).
vmlinux:
	$(Q)mkdir -p $(VMLINUX_DIR)
	$(BPFTOOL) btf dump file $(BTF) format c > $(VMLINUX_DIR)/vmlinux.h

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/$(NAME)
	install -D -m 0644 man/$(NAME).8 $(DESTDIR)$(PREFIX)/share/man/man8/$(NAME).8
	install -D -m 0644 completions/$(NAME).bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/$(NAME)
	install -D -m 0644 completions/_$(NAME) $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$(NAME)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/$(NAME) $(DESTDIR)$(PREFIX)/share/man/man8/$(NAME).8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/$(NAME) \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$(NAME)

# Install what is missing (as root), build, trace: sudo make run ARGS="--proto icmp"
run:
	$(Q)scripts/install-deps.sh build
	$(Q)$(MAKE) --no-print-directory $(BIN)
	./$(BIN) $(ARGS)

# Unit tests: no root, no kernel.
UNIT_SRCS := $(wildcard tests/unit/*.c)
$(OUTPUT)/unit-tests: $(UNIT_SRCS) $(USER_OBJS) $(wildcard tests/unit/*.h) | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit $(UNIT_SRCS) $(USER_OBJS) $(LDLIBS) -o $@

# BTF fixtures for prototype detection, compiled from tiny C files.
$(OUTPUT)/fixture-%.o: tests/unit/fixtures/%.c | $(OUTPUT)
	$(call msg,FIXTURE,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -c $< -o $@

FIXTURES := $(patsubst tests/unit/fixtures/%.c,$(OUTPUT)/fixture-%.o,$(wildcard tests/unit/fixtures/*.c))

test-unit: $(OUTPUT)/unit-tests $(FIXTURES)
	$(Q)$(OUTPUT)/unit-tests $(OUTPUT)

# Host BPF tests (root): the running kernel's verifier on every program.
$(OUTPUT)/load-tests: tests/host/load_tests.c $(USER_OBJS) | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< $(USER_OBJS) $(LDLIBS) -o $@

$(OUTPUT)/fetch-tests: tests/host/fetch_tests.c tests/host/host_test.h $(USER_OBJS) | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< $(USER_OBJS) $(LDLIBS) -o $@

$(OUTPUT)/drop-tests: tests/host/drop_tests.c tests/host/host_test.h $(OUTPUT)/skbtracer.skel.h \
		     $(USER_OBJS) | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< $(USER_OBJS) $(LDLIBS) -o $@

$(OUTPUT)/nft-tests: tests/host/nft_tests.c tests/host/host_test.h $(USER_OBJS) | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< $(USER_OBJS) $(LDLIBS) -o $@

# The filter-expression interpreter alone, run with BPF_PROG_TEST_RUN against libpcap's.
$(OUTPUT)/pcap_test.tmp.bpf.o: tests/host/pcap_test.bpf.c src/pcap_run.h $(VMLINUX_DIR)/vmlinux.h \
			       | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# The tracking table alone, run with BPF_PROG_TEST_RUN.
$(OUTPUT)/track_test.tmp.bpf.o: tests/host/track_test.bpf.c tests/host/track_test.h \
				$(wildcard src/*.bpf.h) src/skbtracer.h $(VMLINUX_DIR)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/track-tests: tests/host/track_tests.c tests/host/host_test.h tests/host/track_test.h \
		       $(OUTPUT)/track_test.skel.h | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< $(LDLIBS) -o $@

PCAP_TEST_SRCS := tests/host/pcap_tests.c tests/host/pcap_oracle.c
$(OUTPUT)/pcap-tests: $(PCAP_TEST_SRCS) tests/host/pcap_oracle.h tests/unit/pcap_packets.h \
		      $(OUTPUT)/pcap_test.skel.h $(USER_OBJS) | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(PCAP_TEST_SRCS) $(USER_OBJS) $(LDLIBS) -o $@

test-host: $(OUTPUT)/load-tests $(OUTPUT)/fetch-tests $(OUTPUT)/nft-tests $(OUTPUT)/pcap-tests \
	   $(OUTPUT)/drop-tests $(OUTPUT)/track-tests
	$(Q)$(OUTPUT)/load-tests
	$(Q)$(OUTPUT)/drop-tests
	$(Q)$(OUTPUT)/track-tests
	$(Q)$(OUTPUT)/fetch-tests
	$(Q)$(OUTPUT)/nft-tests
	$(Q)$(OUTPUT)/pcap-tests

# Sanitizer builds (clang, dynamically linked): ASan+UBSan tests and libFuzzer targets.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS = $(filter-out -O% -static,$(CFLAGS)) -O1
ASAN_DIR := $(OUTPUT)/asan
FUZZ_DIR := $(OUTPUT)/fuzz
ASAN_OBJS := $(patsubst src/%.c,$(ASAN_DIR)/%.o,$(USER_SRCS))
FUZZ_OBJS := $(patsubst src/%.c,$(FUZZ_DIR)/%.o,$(USER_SRCS))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60

$(ASAN_DIR) $(FUZZ_DIR):
	$(Q)mkdir -p $@

$(ASAN_DIR)/tracer.o $(FUZZ_DIR)/tracer.o: $(OUTPUT)/skbtracer.skel.h \
	$(OUTPUT)/skbtracer_noloop.skel.h $(OUTPUT)/skbtracer_typed.skel.h

$(ASAN_DIR)/main.o $(ASAN_OBJS): $(ASAN_DIR)/%.o: src/%.c $(wildcard src/*.h) | $(ASAN_DIR)
	$(call msg,CC-ASAN,$@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(FUZZ_OBJS): $(FUZZ_DIR)/%.o: src/%.c $(wildcard src/*.h) | $(FUZZ_DIR)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(ASAN_DIR)/$(BIN): $(ASAN_DIR)/main.o $(ASAN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CLANG) $(SAN_FLAGS) $^ $(LDLIBS) -o $@

$(ASAN_DIR)/unit-tests: $(UNIT_SRCS) $(ASAN_OBJS) tests/unit/test.h | $(ASAN_DIR)
	$(call msg,LINK,$@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(SAN_FLAGS) -Itests/unit $(UNIT_SRCS) $(ASAN_OBJS) $(LDLIBS) -o $@

$(ASAN_DIR)/%-tests: tests/host/%_tests.c tests/host/host_test.h $(ASAN_OBJS) | $(ASAN_DIR)
	$(call msg,LINK,$@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(SAN_FLAGS) $< $(ASAN_OBJS) $(LDLIBS) -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) tests/fuzz/fuzz.h | $(FUZZ_DIR)
	$(call msg,LINK,$@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer -Itests/fuzz $< $(FUZZ_OBJS) \
		$(LDLIBS) -o $@

# Unit, host BPF, fetch, CLI and CLI-matrix tests built with ASan+UBSan; any report fails.
test-asan: $(ASAN_DIR)/unit-tests $(ASAN_DIR)/load-tests $(ASAN_DIR)/fetch-tests \
	   $(ASAN_DIR)/$(BIN) $(FIXTURES)
	$(Q)tests/asan.sh $(ASAN_DIR) $(OUTPUT)

# Every tests/fuzz/fuzz_*.c for FUZZ_SECONDS each, from its corpus in tests/fuzz/corpus/.
fuzz: $(FUZZ_TARGETS)
	$(Q)tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

test-fuzz: $(FUZZ_TARGETS)
	$(Q)tests/fuzz/run.sh $(FUZZ_DIR) 10

test-vm: $(BIN)
	$(Q)tests/vm/run.sh ./$(BIN)

# Everything, with one summary line; installs what is missing when run as root.
test:
	$(Q)tests/run-all.sh

# The same with every VM scenario on every kernel (5.10, 6.1, 6.12), not only the smoke set.
test-kernels:
	$(Q)tests/run-all.sh --all-kernels

demo: $(BIN)
	$(Q)tests/vm/run.sh --demo ./$(BIN)

# The empty fentry+fexit and kprobe+kretprobe pairs the VM bench compares the tool with.
$(OUTPUT)/empty_probe.tmp.bpf.o: bench/empty_probe.bpf.c $(VMLINUX_DIR)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/empty-probe: bench/empty_probe.c $(OUTPUT)/empty_probe.skel.h | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(LDLIBS) -o $@

# What rule attribution and filtered-out calls cost, measured in the VM (see bench/*.sh).
bench: $(BIN) $(OUTPUT)/empty-probe
	$(Q)VM_BUILD=$(OUTPUT)/vm-bench VM_BENCH_PROBE=$(OUTPUT)/empty-probe \
		tests/vm/run.sh --bench ./$(BIN)

# The reader's formatting rate, no kernel: synthetic events through record/render to /dev/null.
$(OUTPUT)/reader-rate: bench/reader_rate.c $(USER_OBJS) | $(OUTPUT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< $(USER_OBJS) $(LDLIBS) -o $@

bench-reader: $(OUTPUT)/reader-rate
	$(Q)$(OUTPUT)/reader-rate

check:
	clang-format --dry-run --Werror src/*.c src/*.h tests/unit/*.c tests/unit/*.h tests/host/*.c \
		tests/host/*.h tests/fuzz/*.c tests/fuzz/*.h bench/*.c

clean:
	rm -rf $(OUTPUT) $(BIN)

help:
	@echo 'make            build ./$(BIN) (static, BPF object embedded)'
	@echo 'make run ARGS=  install what is missing, build and trace (root)'
	@echo 'make test       install what is missing and run every test (VM: all on 6.1, smoke on 5.10, 6.12)'
	@echo 'make test-kernels  the same with every VM scenario on 5.10, 6.1 and 6.12'
	@echo 'make test-unit | test-host | test-vm   one suite'
	@echo 'make test-asan  unit, host and CLI tests under ASan+UBSan (clang, dynamic)'
	@echo 'make test-fuzz  every libFuzzer target for 10 s (tests/fuzz/fuzz_*.c)'
	@echo 'make fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)   every libFuzzer target for that long'
	@echo 'make demo       the tracer in a qemu VM, for kernels that cannot be traced'
	@echo 'make bench      rule attribution and filtered-out call costs, measured in the VM'
	@echo 'make bench-reader  lines per second the reader formats (text, JSON), no kernel'
	@echo 'make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)'
	@echo 'make vmlinux    BTF=$(BTF): regenerate $(VMLINUX_DIR)/vmlinux.h'
	@echo 'make check      clang-format check'
