# The two commands: `make demo` (the seed scenario, live) and `make check` (every test).
# Both install what is missing first (scripts/deps.sh).

BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_MATRIX ?= build-matrix
JOBS       ?= 2
CTEST_ARGS ?=
C_FILES     = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find src tests bench -name '*.[ch]')

# CMake's generated makefiles nest three deep: without this every build prints dozens of
# "Entering directory" lines.
MAKEFLAGS += --no-print-directory

.PHONY: all deps build build-pgcdc build-asan check check-matrix check-unit demo format format-check clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DPGCDC_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# The program alone (no tests, no benchmark tools): what the demo needs.
build-pgcdc: deps
	@cmake -S . -B $(BUILD) -DPGCDC_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) --target pgcdc

build-asan: deps
	@cmake -S . -B $(BUILD_ASAN) -DPGCDC_WERROR=ON -DPGCDC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(BUILD_ASAN) -j$(JOBS)

format:
	@clang-format -i $(C_FILES)

format-check:
	@clang-format --dry-run --Werror $(C_FILES) && echo "format-check: clean"

# Sanitizer build first (unit + integration under ASan/UBSan), then the normal build with
# valgrind; the last line is CTest's summary of the normal build.
check: build build-asan format-check
	@echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer ($(BUILD_ASAN))"
	@cd $(BUILD_ASAN) && ctest --output-on-failure -j$(JOBS) -LE "valgrind|slow" $(CTEST_ARGS)
	@echo "== tests, valgrind included ($(BUILD))"
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) $(CTEST_ARGS)

# Every integration test on PostgreSQL 14, 16, 17 and 18 besides 15 (long: not part of check).
check-matrix: deps
	@cmake -S . -B $(BUILD_MATRIX) -DPGCDC_WERROR=ON -DPGCDC_PG_MATRIX=ON >/dev/null
	@cmake --build $(BUILD_MATRIX) -j$(JOBS)
	@cd $(BUILD_MATRIX) && ctest --output-on-failure -j$(JOBS) -L integration $(CTEST_ARGS)

check-unit: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -L unit

demo: build-pgcdc
	@scripts/demo.sh $(BUILD)/pgcdc

clean:
	@rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_MATRIX)
