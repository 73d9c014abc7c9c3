#!/usr/bin/env bash
# Runs every check and test of abrir-chamado, installing what is missing first:
#   1. cargo fmt --check; clippy -D warnings on the native and wasm32 targets, and on the
#      build-time prerender (feature ssr)
#   2. native tests (pure core, mock server, gateway over loopback HTTP with its own
#      redis-server): cargo test --workspace
#   3. component tests in headless Chromium: wasm-bindgen-test
#   4. end-to-end tests: `trunk build --release`, served by mock-hubsoft (and, for the gateway
#      spec, abrir-chamado-gateway in front of it), driven by Playwright in Debian's Chromium
#   5. the bundle size report (scripts/size.mjs)
#   (also: node --test of the build scripts, and `tsc -p types`, which checks the shipped
#   TypeScript declarations against a typed usage file)
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format"
cargo fmt --all --check
step "clippy (native)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm32)"
cargo clippy -p abrir-chamado --all-targets --target wasm32-unknown-unknown -- -D warnings
step "clippy (the build-time prerender: feature ssr)"
cargo clippy -p abrir-chamado --features ssr --all-targets -- -D warnings
step "native tests"
cargo test --workspace
step "component tests (wasm-bindgen-test, headless Chromium)"
cargo test -p abrir-chamado --target wasm32-unknown-unknown
step "build scripts (node --test)"
node --test scripts/
step "TypeScript declarations (tsc on types/usage.tsx)"
npx tsc -p types
step "release build (trunk build --release)"
(source scripts/release-env.sh && trunk build --release)
cargo build -p mock-hubsoft -p abrir-chamado-gateway
step "end-to-end tests (Playwright, Chromium, mock-hubsoft)"
# Two free ports for the mock and the gateway (unless given), so that two runs on one machine
# (two checkouts) do not collide; the defaults, 8797 and 8798, are for running one spec by hand.
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
export E2E_PORT="${E2E_PORT:-$(free_port)}"
export E2E_GATEWAY_PORT="${E2E_GATEWAY_PORT:-$(free_port)}"
while [ "$E2E_GATEWAY_PORT" = "$E2E_PORT" ]; do E2E_GATEWAY_PORT="$(free_port)"; done
echo "mock-hubsoft on 127.0.0.1:$E2E_PORT, gateway on 127.0.0.1:$E2E_GATEWAY_PORT"
npx playwright test
step "bundle size"
node scripts/size.mjs
