# Sourced before `trunk build --release`: if a nightly toolchain with rust-src and the wasm32
# target is available, the release bundle is built with a size-optimised standard library
# (-Z build-std with optimize_for_size, immediate-abort panics, no panic locations, no Debug
# formatting). This is the lever yew's own size CI uses; it cuts about 15 KB gzip. Without
# nightly the bundle is built on stable and is larger (scripts/size.mjs reports it);
# ABRIR_CHAMADO_STABLE_RELEASE=1 asks for the stable build even where nightly is available.
# Its own target dir keeps these flags from invalidating the stable builds' cache.
if [ "${ABRIR_CHAMADO_STABLE_RELEASE:-0}" != "1" ] \
  && rustup run nightly rustc --version >/dev/null 2>&1 \
  && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' \
  && rustup target list --toolchain nightly --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  export RUSTUP_TOOLCHAIN=nightly
  export CARGO_TARGET_DIR="$ROOT/target/size"
  export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
  export CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size"
  # -Zshare-generics=n: at opt-level "z" rustc shares generic instantiations between crates by
  # default; the widget's generics over the core crate's types (yew hooks, iterators) then
  # compile to larger code. Not sharing them saved 5.4 KB gzip (measured 2026-11-30).
  export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Zshare-generics=n"
  echo "release build: nightly $(rustc +nightly --version | awk '{print $2, $4}') with a size-optimised std"
elif [ "${ABRIR_CHAMADO_STABLE_RELEASE:-0}" = "1" ]; then
  echo "release build: stable toolchain (ABRIR_CHAMADO_STABLE_RELEASE=1; the bundle will be larger)"
else
  echo "release build: stable toolchain (no nightly with rust-src + wasm32 here; the bundle will be larger)"
fi
