#!/usr/bin/env bash
# The tools `make bench` needs beyond scripts/setup.sh, idempotently (seconds when present):
# oha, the load generator (crates.io; it can hold a fixed request rate and reports JSON, which
# Debian's wrk cannot), and Lighthouse (npm, pinned in package.json, which scripts/setup.sh
# installs with the other npm packages; it drives Debian's Chromium, never a browser of its own).
set -euo pipefail

cd "$(dirname "$0")/.."

OHA_VERSION=1.16.0
TOOLS_TARGET="${PORTAL_CACHE:-$HOME/.cache/privacy-portal}/tools-target"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1mbench-setup:\033[0m %s\n' "$*"; }

if [ "$(oha --version 2>/dev/null || true)" != "oha $OHA_VERSION" ]; then
  # Its default features (rustls): without any TLS feature 1.16.0 does not compile.
  say "building oha $OHA_VERSION (a few minutes, once)"
  CARGO_TARGET_DIR="$TOOLS_TARGET" cargo install -q oha --version "$OHA_VERSION" --locked
fi

[ -x node_modules/.bin/lighthouse ] || {
  echo "bench-setup: node_modules/.bin/lighthouse is missing (scripts/setup.sh installs it)" >&2
  exit 1
}
command -v taskset >/dev/null || { echo "bench-setup: taskset (util-linux) is missing" >&2; exit 1; }

say "tools ready: $(oha --version), Lighthouse $(node_modules/.bin/lighthouse --version)"
