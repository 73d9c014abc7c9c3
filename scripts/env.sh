# Sourced by the project's scripts: puts the pinned tools first on PATH.
# wasm-opt 132 comes from npm (binaryen@132) because Debian's binaryen cannot read current output.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
