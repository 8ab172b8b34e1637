#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: each tool is skipped when the
# version already on the machine is the one we want. Only the package registries are used
# (crates.io, Debian, npm); see ../shared/TOOLCHAIN.md for why each tool is obtained this way.
set -euo pipefail

cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
: "${WASM_BINDGEN_VERSION:?Cargo.lock names no wasm-bindgen version}"
TOOLS_TARGET="${PORTAL_CACHE:-$HOME/.cache/privacy-portal}/tools-target"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# Unpacks a crate's source from the registry without naming any host: a failed
# `cargo install --locked` leaves the sources unpacked under ~/.cargo/registry/src.
crate_source() {
  local name=$1 version=$2 dir
  dir=$(ls -d "$HOME"/.cargo/registry/src/*/"$name-$version" 2>/dev/null | head -n1 || true)
  if [ -z "$dir" ]; then
    cargo install "$name" --version "$version" --locked --no-track --root "$(mktemp -d)" \
      >/dev/null 2>&1 || true
    dir=$(ls -d "$HOME"/.cargo/registry/src/*/"$name-$version" 2>/dev/null | head -n1 || true)
  fi
  [ -n "$dir" ] || { echo "could not unpack $name $version from the registry" >&2; exit 1; }
  local scratch
  scratch=$(mktemp -d)
  cp -r "$dir" "$scratch/"
  echo "$scratch/$name-$version"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "building cargo-leptos $CARGO_LEPTOS_VERSION with no_downloads (about 12 minutes, once)"
  src=$(crate_source cargo-leptos "$CARGO_LEPTOS_VERSION")
  # Its lock pins cargo-util-schemas 0.14.2, which needs a newer rustc than ours.
  (cd "$src" && cargo update -q -p cargo-util-schemas --precise 0.14.1 &&
    CARGO_TARGET_DIR="$TOOLS_TARGET" CARGO_PROFILE_RELEASE_LTO=false \
      CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install -q --path . --locked --features no_downloads)
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  src=$(crate_source wasm-bindgen-cli "$WASM_BINDGEN_VERSION")
  # Its lock names a webpki-roots version the registry no longer serves.
  (cd "$src" && cargo update -q -p webpki-roots --precise 1.0.10 &&
    CARGO_TARGET_DIR="$TOOLS_TARGET" cargo install -q --path . --locked)
fi

if ! cargo nextest --version >/dev/null 2>&1; then
  say "installing cargo-nextest (one process per test)"
  cargo install -q cargo-nextest --locked
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium for the browser tests"
  apt_get=(apt-get); [ "$(id -u)" = 0 ] || apt_get=(sudo apt-get)
  "${apt_get[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq chromium >/dev/null
fi

# npm packages: binaryen's wasm-opt (Debian's breaks hydration), playwright-core, and axe-core
# for the browser tests' accessibility check.
# cargo-leptos puts ./node_modules/.bin first on PATH.
stamp=node_modules/.portal-lock.sha256
if ! sha256sum -c --status "$stamp" 2>/dev/null; then
  say "installing npm packages (wasm-opt, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json > "$stamp"
fi

say "tools ready: $(cargo leptos --version), $(wasm-bindgen --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}'), chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null || echo present)"
