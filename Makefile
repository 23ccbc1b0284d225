# License Desk. `make run` opens the app on a demo store; `make test` runs every test.
# Both set up a fresh Debian machine first (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup build test run lint clean-demo

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

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

run: setup
	@bash scripts/run.sh

clean-demo:
	rm -rf target/demo
