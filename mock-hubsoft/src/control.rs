//! Test controls under `/__mock/` (not part of Hubsoft): the response queue, the request log and
//! reset, plus the middleware that records Hubsoft-route requests and replays queued responses.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

use crate::{lock, AppState, ATENDIMENTO_PATH, MAX_BODY_BYTES};

/// One canned response for `POST /__mock/queue` (send one JSON object, or a JSON array of them).
///
/// JSON shape, every field optional, unknown fields rejected with `400`:
/// `{"status":502,"body":"<html>…</html>","content_type":"text/html","delay_ms":0,"path":"/api/v1/integracao/atendimento"}`.
///
/// The next request (any method except `OPTIONS`) whose path equals `path` takes the oldest
/// matching entry instead of the normal behaviour, authentication included: the request is still
/// recorded, the mock waits `delay_ms`, then answers `status` with `body` and `Content-Type:
/// content_type` (plus the CORS header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueuedResponse {
    /// HTTP status, 100–999 (default 200).
    pub status: u16,
    /// Raw response body (default empty). In the request a non-string JSON value is accepted and
    /// stored as its compact JSON text, so `"body":{"status":"error"}` works.
    #[serde(deserialize_with = "string_or_json")]
    pub body: String,
    /// `Content-Type` of the response (default `application/json`).
    pub content_type: String,
    /// Delay before answering, in milliseconds (default 0).
    pub delay_ms: u64,
    /// Route path the entry applies to (default [`ATENDIMENTO_PATH`]); compared with the request
    /// path exactly, without the query string.
    pub path: String,
    /// A scripted fault instead of the canned answer (`status`, `body` and `content_type` are then
    /// ignored, but by `"replaced"`; omitted from listings when absent):
    /// * `"drop"`: the real handler runs (the ticket is opened), then the connection is closed
    ///   without a single response byte (a reset after the work was done);
    /// * `"late"`: the real handler runs (the ticket is opened), and its answer is sent only
    ///   after `delay_ms` (an answer that arrives past the client's time limit).
    /// * `"slow"`: the real handler runs only after `delay_ms` (a busy Hubsoft that saves the
    ///   ticket late, after a client that gave up may already have looked for it).
    /// * `"replaced"`: the real handler runs (the ticket is opened), and the canned answer
    ///   (`status`, `body`, `content_type`) is sent in place of its own after `delay_ms` (a proxy
    ///   that forwarded the request, then answered 503 or 524 itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

/// A scripted fault of a [`QueuedResponse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Run the real handler, then drop the connection without answering.
    Drop,
    /// Run the real handler, then answer after `delay_ms`.
    Late,
    /// Wait `delay_ms`, then run the real handler.
    Slow,
    /// Run the real handler, then answer the canned answer instead of its own.
    Replaced,
}

impl Default for QueuedResponse {
    fn default() -> Self {
        QueuedResponse {
            status: 200,
            body: String::new(),
            content_type: "application/json".to_owned(),
            delay_ms: 0,
            path: ATENDIMENTO_PATH.to_owned(),
            fault: None,
        }
    }
}

fn string_or_json<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// One request received on a Hubsoft route, as listed by `GET /__mock/requests`.
///
/// JSON shape: `{"method":"POST","path":"/api/v1/integracao/atendimento","query":null,
/// "headers":{"authorization":"Bearer demo-token","content-type":"application/json"},
/// "body":"{\"id_cliente_servico\":11000}","json":{"id_cliente_servico":11000}}`.
///
/// `/__mock/*` requests, `OPTIONS` requests and unknown paths are not recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// Request path, without the query string.
    pub path: String,
    /// Query string without `?`, or `null`.
    pub query: Option<String>,
    /// Headers by lower-case name; repeated headers are joined with `", "`; non-UTF-8 bytes are
    /// replaced by U+FFFD.
    pub headers: BTreeMap<String, String>,
    /// Raw body as text (lossy UTF-8; empty when there was none).
    pub body: String,
    /// The body parsed as JSON whatever the `Content-Type`, or `null` when it is not JSON.
    pub json: Option<Value>,
}

/// Middleware on the Hubsoft routes: records the request, then answers with the next matching
/// queued response if any, else runs the real handler.
pub(crate) async fn record_and_replay(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                Json(json!({ "message": "Payload Too Large" })),
            )
                .into_response()
        }
    };

    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let path = parts.uri.path().to_owned();
    lock(&state.requests).push(RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        json: serde_json::from_slice(&bytes).ok(),
    });

    let queued = {
        let mut queue = lock(&state.queue);
        queue
            .iter()
            .position(|q| q.path == path)
            .and_then(|i| queue.remove(i))
    };
    match queued {
        Some(q) if q.fault.is_some() => {
            if q.fault == Some(Fault::Slow) {
                // Spawned, so that the ticket is saved even when the client has given up and
                // closed the connection (as PHP carries on after a client leaves).
                let work = tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(q.delay_ms)).await;
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                });
                return work
                    .await
                    .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
            let res = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            if q.fault == Some(Fault::Drop) {
                // Unwinding the connection's task closes the socket before any byte of the
                // answer is written; `resume_unwind` skips the panic hook, so nothing is printed.
                std::panic::resume_unwind(Box::new("mock-hubsoft: scripted connection drop"));
            }
            tokio::time::sleep(Duration::from_millis(q.delay_ms)).await;
            if q.fault == Some(Fault::Replaced) {
                return canned(q);
            }
            res
        }
        Some(q) => {
            if q.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(q.delay_ms)).await;
            }
            canned(q)
        }
        None => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    }
}

fn canned(q: QueuedResponse) -> Response {
    let status = StatusCode::from_u16(q.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (status, q.body).into_response();
    match HeaderValue::from_str(&q.content_type) {
        Ok(ct) => {
            res.headers_mut().insert(header::CONTENT_TYPE, ct);
        }
        Err(_) => {
            res.headers_mut().remove(header::CONTENT_TYPE);
        }
    }
    res
}

fn bad_request(msg: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": msg }))).into_response()
}

/// `POST /__mock/queue`: body is a [`QueuedResponse`] object or an array of them. Replies
/// `200 {"queued":<added>,"pending":<queue length>}`, or `400 {"error":"…"}` (nothing queued) for
/// malformed JSON, unknown fields, or a status outside 100–999 / a content type that is not a
/// valid header value.
pub(crate) async fn push_queue(State(state): State<AppState>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(format!("body is not JSON: {e}")),
    };
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    let mut entries = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let entry: QueuedResponse = match serde_json::from_value(item) {
            Ok(e) => e,
            Err(e) => return bad_request(format!("entry {i}: {e}")),
        };
        if StatusCode::from_u16(entry.status).is_err() {
            return bad_request(format!("entry {i}: invalid status {}", entry.status));
        }
        if HeaderValue::from_str(&entry.content_type).is_err() {
            return bad_request(format!("entry {i}: invalid content_type"));
        }
        entries.push(entry);
    }
    let added = entries.len();
    let mut queue = lock(&state.queue);
    queue.extend(entries);
    Json(json!({ "queued": added, "pending": queue.len() })).into_response()
}

/// `GET /__mock/queue`: the pending entries, oldest first.
pub(crate) async fn list_queue(State(state): State<AppState>) -> Json<Vec<QueuedResponse>> {
    Json(lock(&state.queue).iter().cloned().collect())
}

/// `GET /__mock/requests`: the request log, oldest first.
pub(crate) async fn list_requests(State(state): State<AppState>) -> Json<Vec<RecordedRequest>> {
    Json(lock(&state.requests).clone())
}

/// `POST /__mock/reset`: clears queue and log, resets counters; replies `{"reset":true}`.
pub(crate) async fn reset(State(state): State<AppState>) -> Json<Value> {
    state.reset();
    Json(json!({ "reset": true }))
}

/// Body of `POST /__mock/clock`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClockBody {
    utc_offset_minutes: i64,
}

/// `POST /__mock/clock` `{"utc_offset_minutes":N}` (−1440 to 1440): the offset from UTC of the
/// mock's local clock, which writes `protocolo` and `data_cadastro` (Hubsoft's local time), so a
/// test can play an ISP in another zone, or a Hubsoft whose clock is off. Replies
/// `{"utc_offset_minutes":N}`, or 400 `{"error":…}`.
pub(crate) async fn set_clock(State(state): State<AppState>, body: Bytes) -> Response {
    let clock: ClockBody = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return bad_request(format!("body: {e}")),
    };
    if !(-1440..=1440).contains(&clock.utc_offset_minutes) {
        return bad_request("utc_offset_minutes must be from -1440 to 1440".into());
    }
    state.utc_offset_minutes.store(
        clock.utc_offset_minutes,
        std::sync::atomic::Ordering::SeqCst,
    );
    Json(json!({ "utc_offset_minutes": clock.utc_offset_minutes })).into_response()
}

/// Body of `POST /__mock/close`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CloseBody {
    protocolo: String,
}

/// `POST /__mock/close` `{"protocolo":"…"}`: closes that ticket as the ISP's staff would
/// ([`crate::hubsoft::close`]); `apenas_pendente=sim` no longer lists it. Replies
/// `{"closed":true}`, 404 `{"error":…}` for a protocolo the mock did not open, or 400.
pub(crate) async fn close_ticket(State(state): State<AppState>, body: Bytes) -> Response {
    let close: CloseBody = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return bad_request(format!("body: {e}")),
    };
    if crate::hubsoft::close(&state, &close.protocolo) {
        Json(json!({ "closed": true })).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no ticket with that protocolo" })),
        )
            .into_response()
    }
}
