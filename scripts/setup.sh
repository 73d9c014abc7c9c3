#!/usr/bin/env bash
# Installs everything abrir-chamado needs, skipping what is already present:
#   wasm32 target, rustfmt/clippy, trunk 0.21.14, wasm-bindgen-cli 0.2.130 (also gives
#   wasm-bindgen-test-runner), Debian's chromium + chromium-driver, Debian's redis-server (the
#   gateway's Redis tests start their own on a loopback port), openssl (their TLS test's CA) and
#   wrk (scripts/bench-gateway.sh),
#   and the npm dev tools (binaryen@132 for wasm-opt, Playwright, axe-core). Nothing is
#   downloaded by Trunk itself.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

# Optional: the size-optimised release build (scripts/release-env.sh) needs nightly's rust-src and
# wasm32 target. Best effort: without them the release build falls back to stable.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    say "adding rust-src to the nightly toolchain (size-optimised release build)"
    rustup component add rust-src --toolchain nightly || say "could not add nightly rust-src; release builds use stable"
  fi
  if ! rustup target list --toolchain nightly --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown --toolchain nightly || say "could not add nightly wasm32; release builds use stable"
  fi
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  say "installing trunk 0.21.14 (about 15 minutes on 2 cores)"
  cargo install trunk --version 0.21.14 --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen 0.2.130" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli 0.2.130"
  # Not --locked: the package-registry mirror of our build machines lacks one of its locked
  # dependencies; the crate itself is pinned to the version wasm-bindgen uses (=0.2.130).
  cargo install wasm-bindgen-cli --version 0.2.130 --force
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian's chromium and chromium-driver"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium chromium-driver
fi

# The gateway's tests need a real redis-server (and openssl, for the test CA of its TLS test);
# the gateway benchmark uses wrk.
MISSING=""
command -v redis-server >/dev/null || MISSING="$MISSING redis-server"
command -v wrk >/dev/null || MISSING="$MISSING wrk"
command -v openssl >/dev/null || MISSING="$MISSING openssl"
if [ -n "$MISSING" ]; then
  say "installing Debian's$MISSING"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y $MISSING
fi

# A node_modules that is a symlink (a git worktree sharing another checkout's) is left alone:
# `npm ci` would empty the folder it points to.
if [ ! -L node_modules ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  say "installing npm dev tools (binaryen 132, Playwright, axe-core)"
  npm ci --no-audit --no-fund
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "132" ]; then
  echo "setup: wasm-opt 132 is not first on PATH ($(command -v wasm-opt))" >&2
  exit 1
fi
say "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1)"
