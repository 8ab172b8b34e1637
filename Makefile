# Two commands for a new user: `make run` and `make test`. Both install what they need first
# (scripts/setup.sh, idempotent: seconds when everything is there).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

# Cargo's output lives outside the clone so later runs are incremental; cargo-leptos writes the
# site (wasm, js, css, favicon) to target/site in the clone.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/privacy-portal/target
PORTAL := $(CARGO_TARGET_DIR)/release/portal
SIM := $(CARGO_TARGET_DIR)/release/provider-sim
export PORTAL_BIN := $(PORTAL)
export PROVIDER_SIM_BIN := $(SIM)
# The key the stand-in wants and the portal's defaults send (refused in production).
STAND_IN_KEY := stand-in-key-for-local-runs
export PORTAL_SITE_ROOT := target/site
# cargo-leptos compiles the leptos crate with this set (read by `option_env!`: without it the page
# asks for `portal_bg.wasm`, which does not exist). Plain cargo commands (`cargo bench`, examples)
# get it too, or they recompile leptos without it and relink the release `portal` into one whose
# pages cannot hydrate.
export LEPTOS_OUTPUT_NAME := portal

.PHONY: run test setup build lint unit-test e2e bench fuzz clean

## make run: set up, build, and serve the portal on http://127.0.0.1:3000 with SQLite and the
## demo accounts (README), beside the stand-in provider on http://127.0.0.1:3100. Ctrl-C stops both.
run: build
	$(PORTAL) seed-demo
	$(SIM) --api-key $(STAND_IN_KEY) --seed-demo & sim=$$!; \
	trap 'kill $$sim 2>/dev/null || true' EXIT; \
	APP_SITE_ROOT=$(PORTAL_SITE_ROOT) $(PORTAL) serve

## make test: set up, then every check and test: format, clippy, unit/integration, browser.
test: setup lint unit-test e2e

setup:
	@scripts/setup.sh

build: setup
	cargo leptos build --release --precompress
	cargo build --release --locked -p provider-sim

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown --locked -- -D warnings

unit-test: setup
	@[ -n "$${TEST_POSTGRES_URL:-}" ] || echo "note: TEST_POSTGRES_URL is not set: the PostgreSQL tests will be SKIPPED"
	cargo nextest run --workspace --locked

e2e: build
	node --test --test-concurrency=1 end2end/

## make bench: the performance report, every figure measured side by side in one run (not tests;
## a missed goal does not fail it): the policy page and "Mijn gegevens" against a raw axum handler
## serving the same bytes, two instances on PostgreSQL against one, a sign-in storm, the export of
## 100,000 records, the bytes shipped, Lighthouse. The server is pinned to core 0, the load
## generator (oha) to core 1. Needs PostgreSQL (BENCH_POSTGRES_URL, an administrator's URL;
## default postgres://postgres@127.0.0.1:5432/postgres). Prints a Markdown table; also in
## target/bench/report.md. See bench/run.mjs for its settings (BENCH_SECONDS, ...).
bench: build
	@scripts/bench-setup.sh
	cargo build --release --locked -p server --example raw_baseline
	cargo bench --locked -p server --bench export --no-run
	RAW_BASELINE_BIN=$(CARGO_TARGET_DIR)/release/examples/raw_baseline node bench/run.mjs

## make fuzz: every fuzz target in fuzz/ (server function bodies, the provider's answers, the
## configuration, the domain's parsers, request headers) for FUZZ_SECONDS each (default 600);
## fails on a crash, whose input is kept in fuzz/artifacts/<target>/. Also FUZZ_TARGETS,
## FUZZ_PARALLEL, FUZZ_SANITIZER (scripts/fuzz.sh). Installs cargo-fuzz from crates.io if missing.
fuzz:
	@scripts/fuzz.sh

clean:
	rm -rf target node_modules
	cargo clean
