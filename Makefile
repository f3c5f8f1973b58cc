# The two commands a new user needs (README.md): `make iso` and `make test`.
# Everything else here is a step of those two, or a developer's convenience.

BUILD_DIR ?= build
CONFIG    ?= berth.toml
OUT       ?= out
WORK      ?= work
CACHE     ?= /var/cache/berth
TEST_OUT  ?= out-test
TEST_WORK ?= work-test
GUI_TEST_OUT  ?= out-test-gui
GUI_TEST_WORK ?= work-test-gui
BERTH     := $(BUILD_DIR)/bin/berth
JOBS      ?= $(shell nproc)

.PHONY: all iso test test-unit test-iso test-gui-iso test-vm test-integration bench bench-qemu check format builder fixtures \
        host-deps host-deps-test clean distclean

all: iso

## make iso: the ISO, kernel and initrd in out/ (installs host packages, builds berth).
iso: host-deps builder
	$(BERTH) build -c $(CONFIG) -o $(OUT) -w $(WORK) --cache $(CACHE)

## make test: every test: unit, integration, and the VM tests on a freshly built test ISO.
# Each ctest run keeps its output in $(BUILD_DIR)/test-logs/; at the end (pass or fail) every
# test's time is printed, slowest first (tools/test-times.sh).
test: host-deps-test builder check
	rm -rf $(BUILD_DIR)/test-logs && mkdir -p $(BUILD_DIR)/test-logs
	cd $(BUILD_DIR) && ctest -L unit --output-on-failure -j $(JOBS) -O test-logs/unit.log
	$(MAKE) test-iso test-gui-iso
	cd $(BUILD_DIR) && status=0 && { BERTH_TEST_OUT=$(abspath $(TEST_OUT)) \
	  BERTH_TEST_GUI_OUT=$(abspath $(GUI_TEST_OUT)) ctest -LE unit --output-on-failure \
	  -j $(VM_JOBS) $(VM_RETRY) -O test-logs/vm.log || status=$$?; } && \
	  echo "Test times, slowest first:" && ../tools/test-times.sh test-logs/*.log && exit $$status

# A failed VM test fails the run. The retry (VM_RETRY='--repeat until-pass:2') was there for
# guest kernels that TCG crashed now and then; with no_timer_check none crashed in 210 boots
# under qemu 7.2 and 10.0 (BENCHMARKS.md), so a failure is the test's, not the emulator's.
VM_RETRY ?=
# VM and integration tests run side by side, two at a time (see tests/vm.cmake).
VM_JOBS ?= 2

test-unit: host-deps-test builder
	cd $(BUILD_DIR) && ctest -L unit --output-on-failure -j $(JOBS)

# The ISO the VM tests boot (fast compression; same plugins as the default build), with the
# test images from tests/fixtures on it (tests/test-iso.toml names them under build/).
test-iso: builder fixtures
	$(BERTH) build -c tests/test-iso.toml -o $(TEST_OUT) -w $(TEST_WORK) --cache $(CACHE)

# The ISO the GUI VM tests boot: the test ISO plus gui-xpra's display images (built from
# Debian packages by the plugin, cached under $(CACHE)) and the kernel modules for a screen.
test-gui-iso: builder fixtures
	$(BERTH) build -c tests/test-gui-iso.toml -o $(GUI_TEST_OUT) -w $(GUI_TEST_WORK) --cache $(CACHE)

# Test inputs made from Debian packages: the image archives, the harness's initramfs.
fixtures: builder
	sh tests/fixtures/make-fixtures.sh $(BUILD_DIR)/bin/berth-test-fixture $(BUILD_DIR)/vm-fixtures \
	  tests/fixtures/initramfs

test-vm: builder
	cd $(BUILD_DIR) && BERTH_TEST_OUT=$(abspath $(TEST_OUT)) BERTH_TEST_GUI_OUT=$(abspath $(GUI_TEST_OUT)) ctest -L vm --output-on-failure -j $(VM_JOBS) $(VM_RETRY)

test-integration: builder
	cd $(BUILD_DIR) && ctest -L integration --output-on-failure

## make bench: ISO size breakdown, build time, boot-to-docker time, idle RAM -> BENCHMARKS.md
# Measures the release build in $(OUT) (make iso first) against a bare-kernel baseline boot.
bench: host-deps-test builder fixtures
	$(BUILD_DIR)/bin/berth-bench --out-dir $(OUT) --append BENCHMARKS.md \
	  --baseline-initrd $(BUILD_DIR)/vm-fixtures/harness-initrd.img --log-dir $(BUILD_DIR)/bench-logs \
	  --image-archive $(BUILD_DIR)/vm-fixtures/busybox-image.tar --install \
	  $(foreach a,iso/hello.tar.gz iso/tools.tar.xz usb/labels.tar.zst usb/plain.tar.bz2,\
	    --import-archive $(BUILD_DIR)/vm-fixtures/import/$(a))

## make bench-qemu: the same direct boot of the test build BOOTS times under each of two qemu
# builds, side by side (tests/vm/boot_loop_main.cpp): how each boot ended (a guest kernel
# crash is counted, not retried) and the time to Docker. Needs `make test-iso` first.
BOOTS  ?= 100
QEMU_A ?= qemu-system-x86_64
QEMU_B ?= $(error set QEMU_B, e.g. to what tools/qemu-beside.sh prints)
bench-qemu: builder fixtures
	rm -rf $(BUILD_DIR)/bench-qemu && mkdir -p $(BUILD_DIR)/bench-qemu
	cp $(TEST_OUT)/vmlinuz $(TEST_OUT)/initrd.img $(BUILD_DIR)/bench-qemu/
	export BERTH_TEST_OUT=$(abspath $(BUILD_DIR)/bench-qemu); \
	  BERTH_VM_LOGS=$(abspath $(BUILD_DIR)/bench-qemu/a) $(BUILD_DIR)/bin/berth-boot-loop \
	    --qemu $(QEMU_A) --boots $(BOOTS) >$(BUILD_DIR)/bench-qemu/a.txt & \
	  BERTH_VM_LOGS=$(abspath $(BUILD_DIR)/bench-qemu/b) $(BUILD_DIR)/bin/berth-boot-loop \
	    --qemu $(QEMU_B) --boots $(BOOTS) >$(BUILD_DIR)/bench-qemu/b.txt; wait
	tail -n 1 $(BUILD_DIR)/bench-qemu/a.txt $(BUILD_DIR)/bench-qemu/b.txt

# Style gates: shellcheck on every shell file, clang-format on every C++ file.
check:
	tools/check-style.sh

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

builder: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# ccache (tools/host-deps.sh installs it) keeps compiled objects between clones: a fresh
# clone in another directory compiles from the cache (paths relative to the clone, the
# directory left out of the hash).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

host-deps:
	tools/host-deps.sh build

host-deps-test:
	tools/host-deps.sh test

clean:
	rm -rf $(BUILD_DIR) $(WORK) $(TEST_WORK)

distclean: clean
	rm -rf $(OUT) $(TEST_OUT)
