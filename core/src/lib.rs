//! The pure core of the widget: no DOM, no network, no Yew.
//!
//! Everything here compiles and is tested natively with plain `cargo test`:
//! - [`phone`]: Brazilian phone rules (`docs/hubsoft-api.md` §5).
//! - [`form`]: the form's fields, raw values and client-side validation.
//! - [`request`]: the `POST /api/v1/integracao/atendimento` request, built and serialised.
//! - [`response`]: classification of Hubsoft's answer into success or a typed [`error::SubmitError`].
//! - [`json`]: a minimal JSON value, string escaping and a nesting guard (no `serde_json` in the
//!   bundle).
//! - [`error`]: the typed failure of a submission and its Portuguese message.
//! - [`options`]: the host's `mount` options, checked (endpoint, token, prefill).
//! - [`state`]: the widget's state machine as a pure reducer.
//! - [`i18n`]: the message table (pt-BR, en, es) and host overrides.
//! - [`draft`]: drafts saved in the browser (encoding, keys, merge with host values).
//! - [`idempotency`]: the `Idempotency-Key` header's format and the automatic retry policy.
//!
//! Facts of the Hubsoft API are cited as `docs/hubsoft-api.md` §N (in the repository).

#![deny(missing_docs)]

pub mod draft;
pub mod endpoint;
pub mod error;
pub mod form;
pub mod i18n;
pub mod idempotency;
pub mod json;
pub mod options;
pub mod phone;
pub mod redact;
pub mod request;
pub mod response;
pub mod state;
pub mod ticket;
