# Sourced before `trunk build --release`. With the nightly toolchain the project was tested with
# (its `rustc --version` is recorded in rust-toolchain-size.txt), rust-src and the wasm32 target,
# the release bundle is built with a size-optimised standard library (-Z build-std with
# optimize_for_size, immediate-abort panics, no panic locations, no Debug formatting, every
# function inlinable across crates): the levers yew's own size CI uses, plus one; about 27 KB
# gzip less than stable. Otherwise (no nightly, or another nightly, whose unstable flags may
# behave differently) it warns and builds on stable, which gives a larger bundle.
# ABRIR_CHAMADO_STABLE_RELEASE=1 asks for the stable build even where nightly is there.
# The build kind is written to target/release-kind for scripts/size.mjs, which applies that
# kind's budget. The nightly build has its own target dir, so its flags never invalidate the
# stable builds' cache.
expected_nightly="$(cat "$ROOT/rust-toolchain-size.txt")"
found_nightly="$(rustup run nightly rustc --version 2>/dev/null || true)"
mkdir -p "$ROOT/target"
if [ "${ABRIR_CHAMADO_STABLE_RELEASE:-0}" = "1" ]; then
  echo "release build: stable toolchain (ABRIR_CHAMADO_STABLE_RELEASE=1; the bundle will be larger)"
  echo stable > "$ROOT/target/release-kind"
elif [ -z "$found_nightly" ]; then
  echo "release build: WARNING: no nightly toolchain; building on stable (the bundle will be larger)." >&2
  echo "  The size-optimised build was tested with: $expected_nightly" >&2
  echo stable > "$ROOT/target/release-kind"
elif [ "$found_nightly" != "$expected_nightly" ]; then
  echo "release build: WARNING: nightly is '$found_nightly', not the tested '$expected_nightly';" >&2
  echo "  building on stable (the bundle will be larger). Update rust-toolchain-size.txt after" >&2
  echo "  checking the new nightly's bundle with ./scripts/test.sh." >&2
  echo stable > "$ROOT/target/release-kind"
elif ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' \
  || ! rustup target list --toolchain nightly --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "release build: WARNING: nightly lacks rust-src or the wasm32 target; building on stable." >&2
  echo stable > "$ROOT/target/release-kind"
else
  export RUSTUP_TOOLCHAIN=nightly
  export CARGO_TARGET_DIR="$ROOT/target/size"
  export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
  export CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size"
  # -Zcross-crate-inline-threshold=always: every function (the core crate's and std's too) is
  # available for inlining into the crate that calls it, as if it were one crate: 105.1 KB gzip
  # instead of 117.9 KB with the default threshold (measured 2026-11-30; `=never` gives 119.2).
  export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Zcross-crate-inline-threshold=always"
  echo "release build: $found_nightly with a size-optimised std"
  echo size-optimised > "$ROOT/target/release-kind"
fi
# wasm-opt (binaryen 132) runs its passes on one thread: a fresh-clone test run once saw it die
# of SIGSEGV on a wasm it optimises without fault when run again (a crash that did not come back
# in 14 runs; binaryen's thread pool is the likeliest cause, not proven). On one thread the output
# is byte-for-byte the same and, on these 2-core machines, as fast (10.6 s either way).
export BINARYEN_CORES=1
