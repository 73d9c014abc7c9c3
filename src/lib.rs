//! # abrir-chamado
//!
//! An embeddable widget that lets an ISP's customers open support tickets ("abrir chamado") in the
//! ISP's Hubsoft system, compiled to WebAssembly.
//!
//! - [`core`]: the pure rules (phone, validation, request, response, state), no DOM.
//! - [`http`]: the one module that talks HTTP (gloo-net): authorisation, the 401 replay, the
//!   idempotency key and its retries.
//! - [`components`]: thin Yew components over the core.
//! - [`hooks`]: the widget's behaviours (submission, drafts, host events, focus) as named hooks.
//! - [`embed`]: the JavaScript API (`mount(element, options)`).
//! - [`host`]: the host page as the widget sees it: events, callbacks, the token provider.
//! - [`js_json`]: JavaScript values (options, parsed bodies) read into the core's `Json`.
//! - [`storage`]: drafts in `localStorage` (failures swallowed).
//! - [`takeover`]: what the customer did in the prerendered first paint, carried into the widget.

#![deny(missing_docs)]

pub mod components;
pub mod embed;
pub mod hooks;
pub mod host;
pub mod http;
pub mod js_json;
pub mod storage;
pub mod takeover;

/// The pure core, re-exported under its place in the widget's module tree: the
/// `abrir-chamado-core` crate, shared with the gateway and the mock Hubsoft.
pub use abrir_chamado_core as core;

/// The allocator of the WebAssembly build: talc's dynamic WebAssembly allocator, which grows
/// linear memory as needed. It compiles to less code than std's default (dlmalloc).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
