//! The one module that talks HTTP: it owns the request's authorisation (the host's token or its
//! token provider, and the one replay after a 401), the optional `Idempotency-Key` and its
//! automatic retries, sends each attempt with gloo-net and classifies the answer with the pure
//! core.
//!
//! The body is parsed by the browser's `JSON.parse` and read into a [`Json`] by
//! [`crate::js_json`] (no `serde_json` in the bundle); text nested deeper than [`MAX_DEPTH`] is
//! refused before parsing.
//!
//! Without an idempotency key (the default): exactly one `fetch` per submit, never an automatic
//! retry (`docs/hubsoft-api.md` §2: Hubsoft knows no idempotency key, a retried POST can open a
//! duplicate ticket); only a 401 with a token provider is replayed once, since a 401 means nothing was
//! done. With a key ([`crate::core::idempotency`]): the same key on every attempt of the submit,
//! and up to [`MAX_RETRIES`] retries after a network failure or timeout, with jittered backoff,
//! all within the time limit. Transport failures map to the typed [`SubmitError`]: `TypeError:
//! Failed to fetch` (offline, DNS, TLS, CORS, a reset connection: browsers do not say which) →
//! [`SubmitError::Network`]; the time limit → [`SubmitError::Timeout`].

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use crate::core::endpoint::Token;
use crate::core::error::SubmitError;
use crate::core::idempotency::{self, attempt_limit_ms, backoff_ms, retryable, MAX_RETRIES};
use crate::core::json::{nesting_exceeds, quote_unsafe_integers, Json, MAX_DEPTH};
use crate::core::options::Options;
use crate::core::request::{build_request, NovoAtendimento, PreparedRequest};
use crate::core::response::{classify_parsed, Success};

/// Files one ticket: the whole exchange of one submit. The token is the host's fixed one, or one
/// from the host's `provider` per submit; after a 401 the provider is asked once more (with
/// `{reason: "unauthorized"}`) and the request replayed once (`docs/hubsoft-api.md` §1); a second 401 is the
/// answer. `idempotency_key` (a UUID, or `None` when the option is off) goes with every attempt,
/// the replay and the retries alike ([`send_with_retries`]). A server that echoes the token never
/// gets it shown ([`send`] redacts the whole answer).
pub async fn file_ticket(
    options: &Options,
    provider: Option<&Function>,
    body: &NovoAtendimento,
    idempotency_key: Option<&str>,
) -> Result<Success, SubmitError> {
    let mut token = match &options.token {
        Some(token) => token.clone(),
        None if provider.is_none() => {
            // Judged here, at submit, not when rendering: hosts often set the token a moment
            // after the element appears (React's useEffect).
            web_sys::console::error_1(
                &"abrir-chamado: no \"token\" or \"tokenProvider\" was set when the customer submitted"
                    .into(),
            );
            return Err(SubmitError::TokenUnavailable);
        }
        None => provide_token(provider, false, options.timeout_ms)
            .await
            .ok_or(SubmitError::TokenUnavailable)?,
    };
    let mut replayed = false;
    loop {
        let request = build_request(&options.endpoint, &token, body);
        let result = send_with_retries(&request, options.timeout_ms, &token, idempotency_key).await;
        match result {
            Err(SubmitError::Unauthorized) if options.token.is_none() && !replayed => {
                replayed = true;
                token = provide_token(provider, true, options.timeout_ms)
                    .await
                    .ok_or(SubmitError::TokenUnavailable)?;
            }
            other => return other,
        }
    }
}

/// Sends `request` once without a key. With a key, sends it again by itself after a network
/// failure or timeout, at most [`MAX_RETRIES`] times, each retry after a jittered wait
/// ([`backoff_ms`]); every attempt carries the same key, gets a share of what is left of
/// `timeout_ms` ([`attempt_limit_ms`]), and nothing is sent once the limit is reached. The last
/// failure is the answer.
async fn send_with_retries(
    request: &PreparedRequest,
    timeout_ms: u32,
    token: &Token,
    key: Option<&str>,
) -> Result<Success, SubmitError> {
    let start = js_sys::Date::now();
    let remaining = || timeout_ms.saturating_sub((js_sys::Date::now() - start) as u32);
    let mut retry = 0;
    loop {
        let limit = match key {
            Some(_) => attempt_limit_ms(remaining(), MAX_RETRIES - retry),
            None => timeout_ms,
        };
        match send(request, limit, token.expose(), key).await {
            Err(e) if key.is_some() && retryable(&e) => {
                let Some(wait) = backoff_ms(retry, js_sys::Math::random(), remaining()) else {
                    return Err(e);
                };
                sleep(wait).await;
                retry += 1;
            }
            other => return other,
        }
    }
}

/// Sends `request` as a POST (with the `Idempotency-Key` header when `key` is given) and
/// classifies the answer. `timeout_ms` (milliseconds) bounds the whole exchange, headers and
/// body: a timer aborts an `AbortController` with no reason, so the rejection is a
/// `DOMException` `AbortError` (an `Error`: gloo-net's conversion cannot panic on it). The timer
/// is cancelled when this function returns.
///
/// `secret` is the bearer token sent: every text of the answer is redacted of it
/// ([`Json::redact`]) before classification, so that a server echoing the token never gets it
/// shown, even inside a sentence that is later shortened for display.
pub async fn send(
    request: &PreparedRequest,
    timeout_ms: u32,
    secret: &str,
    key: Option<&str>,
) -> Result<Success, SubmitError> {
    let controller = AbortController::new().map_err(|_| SubmitError::Network)?;
    let _timer = {
        let controller = controller.clone();
        Timeout::new(timeout_ms, move || controller.abort())
    };
    let signal = controller.signal();
    let mut builder = Request::post(&request.url).abort_signal(Some(&signal));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(key) = key {
        builder = builder.header(idempotency::HEADER, key);
    }
    let response = builder
        .body(request.body.clone())
        .map_err(|e| transport_error(&e))?
        .send()
        .await
        .map_err(|e| transport_error(&e))?;
    let status = response.status();
    // RFC 9110 §10.2.3: delay-seconds only (an HTTP-date is left unread).
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body = match response.text().await {
        Ok(text) => text,
        Err(e) => match transport_error(&e) {
            SubmitError::Timeout => return Err(SubmitError::Timeout),
            // The status arrived but the body broke off: classify on what we know.
            _ => String::new(),
        },
    };
    let mut parsed = parse_body(&body);
    if let Some(json) = parsed.as_mut() {
        json.redact(secret);
    }
    let result = match classify_parsed(status, parsed.as_ref()) {
        Err(SubmitError::RateLimited { .. }) => Err(SubmitError::RateLimited { retry_after }),
        other => other,
    };
    if result.as_ref().is_ok_and(|s| s.unusual) {
        // The customer gets the protocolo; the developer hears that the server strays from the
        // documented answer (`docs/hubsoft-api.md` §2).
        web_sys::console::warn_1(
            &"abrir-chamado: ticket opened, but the answer's status is not \"success\"".into(),
        );
    }
    result
}

/// A fresh random key for one submit intent: the browser's `crypto.randomUUID()` (a version 4
/// UUID, RFC 9562). Pages that are not a secure context have no `randomUUID`: the key is then
/// built by [`idempotency::uuid_v4`] from `crypto.getRandomValues` (which every browser that
/// runs WebAssembly has).
pub fn new_idempotency_key() -> String {
    let window = web_sys::window();
    let crypto = window.as_ref().and_then(|w| w.crypto().ok());
    match crypto {
        Some(c) if window.is_some_and(|w| w.is_secure_context()) => c.random_uuid(),
        other => {
            let mut bytes = [0u8; 16];
            if let Some(c) = other {
                let _ = c.get_random_values_with_u8_array(&mut bytes);
            }
            idempotency::uuid_v4(bytes)
        }
    }
}

/// Calls the host's token `provider` (with `{ reason: "unauthorized" }` after a 401) and awaits
/// its answer for at most `timeout_ms` milliseconds. `None` when there is no provider, it throws,
/// rejects, does not answer in time, or gives no usable token.
async fn provide_token(
    provider: Option<&Function>,
    after_unauthorized: bool,
    timeout_ms: u32,
) -> Option<Token> {
    let provider = provider?;
    let arg = if after_unauthorized {
        let arg = Object::new();
        let _ = Reflect::set(&arg, &"reason".into(), &"unauthorized".into());
        arg.into()
    } else {
        JsValue::UNDEFINED
    };
    // Each failure is told to the ISP's developer in the console (never the token); the
    // customer sees the TokenUnavailable message.
    let fail = |why: &str| {
        web_sys::console::warn_1(&format!("abrir-chamado: tokenProvider {why}").into());
        None
    };
    // What a provider threw or rejected with is named by its `name` alone when it is an
    // `Error` ("threw (SyntaxError)"): its message, or a value that is not an `Error`, may hold
    // the token.
    let named = |why: &str, error: JsValue| {
        let name = error
            .dyn_ref::<js_sys::Error>()
            .map_or(String::new(), |e| format!(" ({})", e.name()));
        fail(&format!("{why}{name}"))
    };
    let value = match provider.call1(&JsValue::NULL, &arg) {
        Ok(value) => value,
        Err(error) => return named("threw", error),
    };
    // A provider that never settles must not lock the form: race it with a timer that
    // resolves to a marker of its own.
    let expired = JsValue::from(Object::new());
    let race = Promise::race(&Array::of2(
        &Promise::resolve(&value),
        &resolve_after(timeout_ms, &expired),
    ));
    let value = match JsFuture::from(race).await {
        Ok(value) => value,
        Err(error) => return named("rejected", error),
    };
    if value == expired {
        return fail(&format!("gave no token within {timeout_ms} ms"));
    }
    match value.as_string().and_then(|t| Token::new(&t)) {
        Some(token) => Some(token),
        None => fail("gave no usable token (a non-empty string of visible ASCII characters)"),
    }
}

/// A promise that resolves to `value` after `ms` milliseconds (`setTimeout`).
fn resolve_after(ms: u32, value: &JsValue) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_1(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
                value,
            );
        }
    })
}

/// Waits `ms` milliseconds.
async fn sleep(ms: u32) {
    let _ = JsFuture::from(resolve_after(ms, &JsValue::UNDEFINED)).await;
}

/// The body as JSON, or `None` when it is not JSON: blank, not parseable by `JSON.parse` (HTML,
/// truncated…), nested deeper than [`MAX_DEPTH`] (checked before parsing, so that reading the
/// value can never exhaust the stack), or not representable (e.g. object keys that are not
/// strings). Surrounding whitespace is trimmed first, as the native classifier does.
pub fn parse_body(text: &str) -> Option<Json> {
    let text = text.trim();
    if text.is_empty() || nesting_exceeds(text, MAX_DEPTH) {
        return None;
    }
    // `JSON.parse` stores numbers as doubles: integers beyond 2^53 (a protocolo sent as a bare
    // number) are read as strings of their exact digits instead.
    let value = js_sys::JSON::parse(&quote_unsafe_integers(text)).ok()?;
    crate::js_json::from_js(&value)
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

/// The browser path of the body (`JSON.parse` + [`crate::js_json`]) against the native one
/// (`serde_json`), in the browser.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::core::json::JsonNumber;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    /// The native path: the body text parsed by `serde_json` (as the core's native `classify`
    /// does, integers beyond 2^53 read as strings), then classified.
    fn classify(status: u16, body: &str) -> Result<Success, SubmitError> {
        let json: Option<Json> = serde_json::from_str(&quote_unsafe_integers(body.trim())).ok();
        classify_parsed(status, json.as_ref())
    }

    fn nested(open: &str, close: &str, depth: usize) -> String {
        format!("{}1{}", open.repeat(depth), close.repeat(depth))
    }

    /// `j` with every object's members sorted by key (JavaScript lists integer-like keys first).
    fn canon(j: &Json) -> Json {
        match j {
            Json::Array(items) => Json::Array(items.iter().map(canon).collect()),
            Json::Object(members) => {
                let mut m: Vec<(String, Json)> =
                    members.iter().map(|(k, v)| (k.clone(), canon(v))).collect();
                m.sort_by(|a, b| a.0.cmp(&b.0));
                Json::Object(m)
            }
            other => other.clone(),
        }
    }

    fn canon_result(r: Result<Success, SubmitError>) -> Result<Success, SubmitError> {
        r.map(|mut s| {
            s.atendimento.raw = canon(&s.atendimento.raw);
            s
        })
    }

    #[wasm_bindgen_test]
    fn browser_parsing_classifies_like_serde_json() {
        let bodies = [
            String::new(),
            "  \n ".into(),
            "<html><body>502</body></html>".into(),
            "{".into(),
            "null".into(),
            "[]".into(),
            "\"success\"".into(),
            "\u{a0}{\"status\":\"error\",\"msg\":\"espaço não-JSON em volta\"}\u{2028}".into(),
            r#"{"status":"success","msg":"Atendimento aberto. Protocolo: 1.","atendimento":{"id_atendimento":286,"protocolo":"201811061730517","tipo_atendimento":"SAC","usuario_fechamento":null,"data_cadastro":"06/11/2018","status":"Aguardando Análise","cliente":{"codigo_cliente":1204,"10":true,"2":[1.5,-3,"x"]}}}"#.into(),
            r#"{"status":"suscess","atendimento":{"id_atendimento":"1001","protocolo":"20250926160819577001","status":null}}"#.into(),
            r#"{"status":"success","atendimento":{"id_atendimento":1.5,"protocolo":"1"}}"#.into(),
            r#"{"status":"success","atendimento":{"id_atendimento":-7,"protocolo":123456789012345}}"#.into(),
            r#"{"status":"success","atendimento":{"id_atendimento":9007199254740993,"protocolo":20250926160819577001,"n":[-98765432109876543210]}}"#.into(),
            r#"{"status":"error","msg":"Favor preencher","errors":["O campo telefone é obrigatório.","O campo nome é obrigatório."]}"#.into(),
            r#"{"message":"The given data was invalid.","errors":{"telefone":["T"],"10":["D"],"nome":["N"],"9":"Nove"}}"#.into(),
            r#"{"status":"error","msg":"primeiro","msg":"último","status":"error"}"#.into(),
            r#"{"status":"error","msg":"\u00e9\n\t\"\\ 😢 \ud83d\ude22"}"#.into(),
            format!("{{\"status\":\"error\",\"msg\":\"x\",\"errors\":{}}}", nested("[", "]", 100).replace('1', "\"fundo\"")),
            nested("[", "]", MAX_DEPTH),
            nested("[", "]", MAX_DEPTH + 1),
            nested("{\"a\":", "}", MAX_DEPTH + 1),
            "[".repeat(100_000),
            format!("{{\"status\":\"error\",\"msg\":\"x\",\"errors\":{}}}", nested("[", "]", 10_000)),
        ];
        for body in &bodies {
            for status in [0, 200, 201, 400, 401, 403, 404, 418, 422, 429, 500, 502] {
                assert_eq!(
                    canon_result(classify_parsed(status, parse_body(body).as_ref())),
                    canon_result(classify(status, body)),
                    "HTTP {status}: {}",
                    body.chars().take(120).collect::<String>()
                );
            }
        }
    }

    #[wasm_bindgen_test]
    fn deep_bodies_are_refused_before_parsing() {
        assert!(parse_body(&nested("[", "]", MAX_DEPTH)).is_some());
        assert_eq!(parse_body(&nested("[", "]", MAX_DEPTH + 1)), None);
        assert_eq!(parse_body(&"[".repeat(1_000_000)), None);
        assert_eq!(parse_body(&nested("{\"a\":", "}", 1_000_000)), None);
    }

    #[wasm_bindgen_test]
    fn numbers_from_the_browser() {
        let body = parse_body(r#"{"u":286,"i":-3,"f":1.5,"z":0,"max":9007199254740991}"#).unwrap();
        let num = |k: &str| body.get(k).and_then(Json::as_number).copied();
        assert_eq!(num("u"), Some(JsonNumber::UInt(286)));
        assert_eq!(num("i"), Some(JsonNumber::Int(-3)));
        assert_eq!(num("f"), Some(JsonNumber::Float(1.5)));
        assert_eq!(num("z"), Some(JsonNumber::UInt(0)));
        assert_eq!(num("max"), Some(JsonNumber::UInt(9_007_199_254_740_991)));
    }

    /// Where `JSON.parse` reads a body differently from `serde_json` (none of it occurs in
    /// Hubsoft's documented answers): `1.0` is an integer, a number too large for a double is
    /// `Infinity` (so `null`) instead of an error, and a lone surrogate escape is read
    /// (as U+FFFD) instead of refused. Integers beyond 2^53 are read as strings of their exact
    /// digits on both paths ([`quote_unsafe_integers`]).
    #[wasm_bindgen_test]
    fn known_differences_from_serde_json() {
        let body = parse_body(r#"{"big":9007199254740993,"one":1.0,"inf":1e400,"s":"\ud800"}"#)
            .expect("JSON.parse reads it");
        assert_eq!(
            body.get("big").and_then(Json::as_str),
            Some("9007199254740993")
        );
        assert_eq!(body.get("one").and_then(Json::as_u64), Some(1));
        assert!(body.get("inf").unwrap().is_null());
        assert_eq!(body.get("s").and_then(Json::as_str), Some("\u{fffd}"));
    }
}
