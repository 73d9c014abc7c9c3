//! The one module that talks HTTP: sends a [`PreparedRequest`] with gloo-net and classifies the
//! answer with the pure core.
//!
//! Exactly one `fetch` per call and never a retry (contract §2: no idempotency key exists, a
//! retried POST can open a duplicate ticket). Transport failures map to the typed
//! [`SubmitError`]: `TypeError: Failed to fetch` (offline, DNS, TLS, CORS: browsers do not say
//! which) → [`SubmitError::Network`]; the time limit → [`SubmitError::Timeout`].

use gloo_net::http::Request;
use web_sys::AbortSignal;

use crate::core::error::SubmitError;
use crate::core::request::PreparedRequest;
use crate::core::response::{classify, Success};

/// Default time limit for one request, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

/// Sends `request` as a POST and classifies the answer. `timeout_ms` bounds the whole exchange
/// (headers and body) through `AbortSignal.timeout`, whose reason is a `DOMException`
/// `TimeoutError` (an `Error`, so gloo-net's conversion cannot panic).
pub async fn send(request: &PreparedRequest, timeout_ms: u32) -> Result<Success, SubmitError> {
    let signal = AbortSignal::timeout_with_u32(timeout_ms);
    let mut builder = Request::post(&request.url).abort_signal(Some(&signal));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder
        .body(request.body.clone())
        .map_err(|e| transport_error(&e))?
        .send()
        .await
        .map_err(|e| transport_error(&e))?;
    let status = response.status();
    let body = match response.text().await {
        Ok(text) => text,
        Err(e) => match transport_error(&e) {
            SubmitError::Timeout => return Err(SubmitError::Timeout),
            // The status arrived but the body broke off: classify on what we know.
            _ => String::new(),
        },
    };
    classify(status, &body)
}

/// Maps a gloo-net error to the typed error: an abort/timeout `DOMException` → `Timeout`,
/// anything else → `Network`. The error's text is not shown to the customer.
fn transport_error(error: &gloo_net::Error) -> SubmitError {
    match error {
        gloo_net::Error::JsError(js) if js.name == "TimeoutError" || js.name == "AbortError" => {
            SubmitError::Timeout
        }
        _ => SubmitError::Network,
    }
}
