# kitrx: the two set-up commands of the README.
#   make demo   install what is missing, build, run kitrx on the bundled example
#   make test   install what is missing, build, run every test through ctest
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps test-deps build demo test asan fuzz bench microbench clean format

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/kitrx annotate test-data/vcf/demo_gist_plasma.vcf

test: test-deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure --no-tests=error -j $(JOBS)

# ASan + UBSan build running the whole suite.
asan: test-deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKITRX_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
	    KITRX_SKIP_FUZZ_SMOKE=1 ctest --output-on-failure --no-tests=error -j $(JOBS)

# libFuzzer harnesses (clang): build and run each for FUZZ_SECONDS (docs/hardening.md).
FUZZ_SECONDS ?= 60
fuzz:
	KITRX_FUZZ_SECONDS=$(FUZZ_SECONDS) KITRX_FUZZ_BUILD=$(CURDIR)/build-fuzz JOBS=$(JOBS) \
	    tests/scripts/fuzz_smoke.sh "" $(CURDIR) $(CURDIR)/build-fuzz-run

# Side-by-side benchmark against bgzip/bcftools/samtools (minutes; generates data in bench/data).
bench: deps
	bench/run_bench.sh

# Google Benchmark microbenchmarks of the per-record hot paths.
microbench: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DKITRX_BUILD_BENCH=ON -DKITRX_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS) --target kitrx_micro_bench
	build-bench/bench/kitrx_micro_bench

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-fuzz-run

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')
