# License Desk. `make run` opens the app on a demo store; `make test` runs every test.
# Both set up a fresh Debian machine first (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup build test run bench lint fuzz clean-demo package

setup:
	@bash scripts/setup.sh

# One debug build of the whole workspace serves the unit, CLI and end-to-end tests; the Windows
# debug build (cross-compiled with mingw-w64) serves the Windows unit tests, the Wine tests of the
# command-line flow (tests/wine) and the package tests (tests/packages: the .msi under Wine).
# The tests crate is the Linux harness that drives both builds, and the bench's floor app
# (bench/floor-app) a Linux yardstick beside the window measured under Xvfb: neither has a
# Windows build.
WINDOWS_TARGET := x86_64-pc-windows-gnu
WINDOWS_CRATES := --workspace --exclude licdesk-tests --exclude licdesk-floor-app
build: setup
	cargo build --workspace --all-targets
	cargo build --target $(WINDOWS_TARGET) $(WINDOWS_CRATES) --all-targets

test: build
	@echo "== unit, command-line and end-to-end tests"
	cargo test --workspace
	@echo "== the desk's use cases again, each on a PostgreSQL store (a throwaway cluster)"
	LICDESK_TEST_ENGINE=postgres cargo test -p licdesk-desk
	@echo "== Windows unit tests, under Wine (runner: tests/wine/run.sh)"
	cargo test --target $(WINDOWS_TARGET) $(WINDOWS_CRATES)
	@echo "== formatting"
	cargo fmt --all -- --check
	@echo "== clippy"
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target $(WINDOWS_TARGET) $(WINDOWS_CRATES) --all-targets -- -D warnings
	@echo "== unused dependencies"
	cargo machete
	@echo "make test: all tests, formatting and lints passed"

# The property ("fuzz") tests of every parser of untrusted input, with many more cases than the few
# hundred `make test` runs: `make fuzz FUZZ_CASES=100000` for more. A failure is kept as a seed in
# the crate's proptest-regressions/ and replayed first by every later run.
FUZZ_CASES ?= 20000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) cargo test -p licdesk-core --test fuzz
	PROPTEST_CASES=$(FUZZ_CASES) cargo test -p licdesk-desk --test fuzz_import

# Speed and memory figures in release mode, each beside a floor measured in the same run: one
# table, target/bench/*.json, a line added to docs/bench/history.jsonl and its plot redrawn
# (docs/bench/history.svg). Fails when a row misses its target. BENCH_ARGS, e.g.
# "--licenses 100000 --sizes 1000,10000,100000,1000000 --files 10000" or "--only listing".
# The release build lands in $$CARGO_TARGET_DIR when it is set, else in target/.
BENCH_PACKAGES := -p licdesk-app -p licdesk -p licdesk-issuer -p licdesk-floor-app -p licdesk-tests
bench: setup
	cargo build --release $(BENCH_PACKAGES) --bins
	"$${CARGO_TARGET_DIR:-target}/release/licdesk-bench" $(BENCH_ARGS)

# Formatting, clippy (Linux, and the Windows build), and no dependency a crate does not use (cargo-machete, from setup).
lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target $(WINDOWS_TARGET) $(WINDOWS_CRATES) --all-targets -- -D warnings
	cargo machete

run: setup
	@bash scripts/run.sh

# Release packages in target/package/ (or $$CARGO_TARGET_DIR/package/): the .deb of the desk and
# of the vendor tool, the Windows .msi and the vendor tool's Windows zip (scripts/package.sh).
package: setup
	@bash scripts/package.sh --profile release

clean-demo:
	rm -rf target/demo
