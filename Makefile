# The two commands a newcomer needs: `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
MESON_OPTS ?=

.PHONY: all deps build test test-quick demo bench fuzz format clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Builds, runs every test, then the whole suite again under ASan+UBSan, then
# hull serve's tests under ThreadSanitizer.
test: deps
	@scripts/run-tests.sh $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)

# One build, no sanitizer pass: for the edit-compile-test loop.
test-quick: build
	@scripts/run-tests.sh $(BUILD)

demo: build
	@scripts/demo.sh $(BUILD)/hull

bench: build
	@bench/run-all.sh $(BUILD)/hull

# Real fuzzing with libFuzzer (clang); FUZZER=name FUZZ_SECONDS=60.
fuzz: deps
	@scripts/fuzz.sh $(FUZZ_BUILD)

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
