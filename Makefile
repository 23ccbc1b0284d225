# License Desk. `make run` opens the app on a demo store; `make test` runs every test.
# Both set up a fresh Debian machine first (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup build test run bench lint clean-demo

setup:
	@bash scripts/setup.sh

# One debug build of the whole workspace serves the unit, CLI and end-to-end tests.
build: setup
	cargo build --workspace --all-targets

test: build
	@echo "== unit, command-line and end-to-end tests"
	cargo test --workspace
	@echo "== formatting"
	cargo fmt --all -- --check
	@echo "== clippy"
	cargo clippy --workspace --all-targets -- -D warnings
	@echo "make test: all tests, formatting and lints passed"

# Speed and memory figures in release mode, each beside a floor measured in the same run.
# BENCH_ARGS, e.g. "--licenses 100000 --sizes 1000,10000,100000,1000000 --files 10000".
bench: setup
	cargo build --release -p licdesk-app -p licdesk -p licdesk-issuer -p licdesk-tests --bins
	target/release/licdesk-bench $(BENCH_ARGS)

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

run: setup
	@bash scripts/run.sh

clean-demo:
	rm -rf target/demo
