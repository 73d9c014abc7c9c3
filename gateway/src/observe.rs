//! Logs and metrics.
//!
//! Logs are `tracing` events, JSON lines on stderr by default, each request in a span carrying
//! its request id (`x-request-id`), method and path (never the query, headers or body). No
//! token, secret or description is ever logged; phones go through [`mask_phone`]; Hubsoft's
//! failure bodies go through [`redact_internals`].
//!
//! Metrics (Prometheus, `GET /metrics`): `gateway_requests_total{outcome}`,
//! `gateway_hubsoft_latency_seconds{route}` (histogram),
//! `gateway_hubsoft_token_refreshes_total{status}`, `gateway_idempotent_replays_total`,
//! `gateway_reconciliations_total{result}`, `gateway_second_sends_total`,
//! `gateway_rate_limited_total{kind}`; the counters
//! whose labels are known in advance are registered at zero at start ([`register_metrics`]).

use axum::http::Request;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::Span;

/// Installs the global Prometheus recorder (histogram buckets from 1 ms to 30 s) and returns its
/// handle; a second call (tests with several apps in one process) gets a handle of its own.
pub fn metrics_handle() -> PrometheusHandle {
    let builder = || {
        PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Suffix("_seconds".into()),
                &[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    30.0,
                ],
            )
            .expect("buckets are not empty")
    };
    match builder().install_recorder() {
        Ok(handle) => handle,
        Err(_) => builder().build_recorder().handle(),
    }
}

/// The `outcome` label values of `gateway_requests_total` (`ticket.rs` and `lib.rs`).
pub const REQUEST_OUTCOMES: [&str; 13] = [
    "created",
    "rejected",
    "replayed",
    "conflict",
    "key_reused",
    "unconfirmed",
    "unavailable",
    "unauthorized",
    "forbidden",
    "invalid",
    "incomplete",
    "rate_limited",
    "origin_refused",
];

/// Describes every metric and registers each counter series whose labels are known in advance
/// at zero, so that `/metrics` lists them from the start (a Prometheus `rate()` or an alert on a
/// series that does not exist yet sees nothing). Series whose label is a value only known
/// later (`gateway_hubsoft_token_refreshes_total{status}`, the latency histogram's `route`)
/// appear with their first event.
pub fn register_metrics() {
    metrics::describe_counter!(
        "gateway_requests_total",
        "Requests to the ticket route (and origin refusals), by outcome"
    );
    for outcome in REQUEST_OUTCOMES {
        metrics::counter!("gateway_requests_total", "outcome" => outcome).increment(0);
    }
    metrics::describe_histogram!(
        "gateway_hubsoft_latency_seconds",
        metrics::Unit::Seconds,
        "Time of each request to Hubsoft, by route"
    );
    metrics::describe_counter!(
        "gateway_hubsoft_token_refreshes_total",
        "Password grants sent to Hubsoft, by Hubsoft's HTTP status"
    );
    metrics::describe_counter!(
        "gateway_idempotent_replays_total",
        "Repeats of an Idempotency-Key answered with the stored answer"
    );
    metrics::counter!("gateway_idempotent_replays_total").increment(0);
    metrics::describe_counter!(
        "gateway_reconciliations_total",
        "Lookups of a ticket whose send had no answer, by result"
    );
    for result in [
        "found",
        "not_found",
        "unreachable",
        "incomplete",
        "ambiguous",
    ] {
        metrics::counter!("gateway_reconciliations_total", "result" => result).increment(0);
    }
    metrics::describe_counter!(
        "gateway_second_sends_total",
        "Keys sent to Hubsoft a second time, after a lookup that found nothing"
    );
    metrics::counter!("gateway_second_sends_total").increment(0);
    metrics::describe_counter!(
        "gateway_rate_limited_total",
        "Requests refused with 429, by limit"
    );
    for kind in ["auth_failures", "attempts", "tickets"] {
        metrics::counter!("gateway_rate_limited_total", "kind" => kind).increment(0);
    }
}

/// Starts the log subscriber: `json` lines or human `text` (coloured only when stderr is a
/// terminal), on stderr, filtered by `RUST_LOG` (default `info`).
pub fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if format == "text" {
        // Colours only on a terminal: journald and `docker logs` would show the escape codes.
        builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init()
    } else {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    };
}

/// Marks an answer of a probe (`/readyz`) for [`log_response`].
#[derive(Clone, Copy, Debug)]
pub struct Probe;

/// Logs one answer (the request's span carries its id, method and path): a server error (5xx)
/// at ERROR, but a probe's, whose cause `/readyz` logs itself once per change; anything else at
/// INFO. `status` is the HTTP status, `latency_ms` the time to the answer's head.
pub fn log_response(status: axum::http::StatusCode, latency: std::time::Duration, probe: bool) {
    let status = status.as_u16();
    let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
    if status >= 500 && !probe {
        tracing::error!(status, latency_ms, "response failed");
    } else {
        tracing::info!(status, latency_ms, "finished processing request");
    }
}

/// A condition's cause, logged when it changes: at WARN when it appears or becomes another, at
/// INFO when it clears. For probes that run every few seconds.
#[derive(Default, Debug)]
pub struct CauseLog {
    last: std::sync::Mutex<Option<String>>,
}

impl CauseLog {
    /// Records the cause found now (`None`: all is well) of the condition named `what`.
    pub fn record(&self, what: &str, cause: Option<&str>) {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.as_deref() == cause {
            return;
        }
        match cause {
            Some(cause) => tracing::warn!(what, cause, "readiness check failed"),
            None => tracing::info!(what, "readiness check passes again"),
        }
        *last = cause.map(str::to_owned);
    }
}

/// Longest `x-request-id` taken from a client, in bytes.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// Drops a client's `x-request-id` unless the request has exactly one, of 1 to
/// [`MAX_REQUEST_ID_LEN`] visible ASCII characters, so that the request-id layer generates one
/// instead: a client's id is echoed in the answer and written to every log line of the request.
pub fn accept_request_id<B>(mut req: Request<B>) -> Request<B> {
    let mut ids = req.headers().get_all("x-request-id").iter();
    let usable = match (ids.next(), ids.next()) {
        (Some(id), None) => {
            let id = id.as_bytes();
            !id.is_empty() && id.len() <= MAX_REQUEST_ID_LEN && id.iter().all(u8::is_ascii_graphic)
        }
        _ => false,
    };
    if !usable {
        req.headers_mut().remove("x-request-id");
    }
    req
}

/// The span of one HTTP request: request id, method, path.
pub fn make_span<B>(req: &Request<B>) -> Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
}

/// A phone for the logs: the DDD and the last two digits, the rest as `*`
/// (`37999112233` → `37*******33`). Anything shorter than 6 characters becomes all `*`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 6 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 2 || i >= chars.len() - 2 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// A failure body from Hubsoft, safe for the log (a failing Laravel often echoes the request and
/// its own settings). JSON and HTML escapes are undone first (`\u00e3`, `\n`, `&#039;`,
/// `&quot;`…), so that escaped text is recognised too; then the gateway's own `secrets` (the
/// client secret, the password, the access token) are replaced by `[redacted]`, and the customer's own texts (`sent`:
/// the description, name, e-mail, phone) are replaced by `[cliente]` wherever they appear, and
/// so is every word that holds one of their words of 3 or more characters; the text is cut to
/// 200 chars, and every word replaced by `[internal]` that looks like a file path or a stack
/// frame (contains `/`, `\`, `.php`, `::`, or is `#` followed by a digit), by `[redacted]` that
/// could identify someone or be a secret (4 or more digits, an `@`, a `key=value`, a run of 20 or
/// more letters, digits, `-`, `_` or `.` such as a token, the word after one ending in
/// `Bearer` or naming a secret (`token`, `password`, `senha`, `secret`…), or a `name:value`
/// whose name is one).
pub fn redact_internals(body: &str, sent: &[&str], secrets: &[&str]) -> String {
    let mut text = unescape(body);
    for secret in secrets.iter().filter(|s| s.chars().count() >= 4) {
        text = text.replace(secret, "[redacted]");
    }
    let mut theirs: Vec<String> = Vec::new();
    for s in sent
        .iter()
        .map(|s| s.trim())
        .filter(|s| s.chars().count() >= 3)
    {
        text = text.replace(s, "[cliente]");
        theirs.extend(
            s.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_lowercase),
        );
    }
    let cut: String = text.chars().take(200).collect();
    let mut after_secret_name = false;
    cut.split_whitespace()
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            let lower = bare.to_lowercase();
            let is_theirs = theirs.iter().any(|t| lower.contains(t.as_str()));
            let looks_internal = w.contains('/')
                || w.contains('\\')
                || w.contains(".php")
                || w.contains("::")
                || (w.starts_with('#') && w[1..].starts_with(|c: char| c.is_ascii_digit()));
            let looks_personal = after_secret_name
                || w.split_once(':')
                    .is_some_and(|(name, value)| !value.is_empty() && names_secret(name))
                || w.chars().filter(char::is_ascii_digit).count() >= 4
                || w.contains('@')
                || w.contains('=')
                || (bare.len() >= 20
                    && bare
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
            // `api_key = value`: a word of punctuation only keeps the next word redacted.
            let punctuation = !w.chars().any(char::is_alphanumeric);
            after_secret_name =
                lower.ends_with("bearer") || names_secret(w) || (after_secret_name && punctuation);
            if is_theirs {
                "[cliente]"
            } else if looks_internal {
                "[internal]"
            } else if looks_personal {
                "[redacted]"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `word` (its letters and digits, in any case) ends with one of [`SECRET_NAMES`].
fn names_secret(word: &str) -> bool {
    let name = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    SECRET_NAMES.iter().any(|s| name.ends_with(s))
}

/// Words that name a secret, as a word's end (`client_secret`, `access_token`, `api_key`): the
/// next word, or the value of `name:value`, is redacted.
const SECRET_NAMES: [&str; 7] = [
    "token",
    "password",
    "senha",
    "secret",
    "key",
    "authorization",
    "pass",
];

/// `text` with JSON string escapes (`\uXXXX`, `\n`, `\"`…) and HTML character references
/// (`&#039;`, `&#x27;`, `&quot;`, `&amp;`, `&lt;`, `&gt;`, `&apos;`) undone; anything else kept.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let mut step = c.len_utf8();
        let mut ch = c;
        if c == '\\' {
            match rest[1..].chars().next() {
                Some('u') => {
                    if let Some(u) = rest
                        .get(2..6)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                    {
                        ch = u;
                        step = 6;
                    }
                }
                Some('n' | 'r' | 't') => {
                    ch = ' ';
                    step = 2;
                }
                Some(e @ ('"' | '/' | '\\' | '\'')) => {
                    ch = e;
                    step = 2;
                }
                _ => {}
            }
        } else if c == '&' {
            let window = rest
                .char_indices()
                .take(10)
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8());
            if let Some(end) = rest[..window].find(';') {
                let entity = &rest[1..end];
                let decoded = match entity {
                    "quot" => Some('"'),
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "apos" => Some('\''),
                    _ => entity
                        .strip_prefix("#x")
                        .or_else(|| entity.strip_prefix("#X"))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32),
                };
                if let Some(d) = decoded {
                    ch = d;
                    step = end + 1;
                }
            }
        }
        out.push(ch);
        rest = &rest[step..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("37999112233"), "37*******33");
        assert_eq!(mask_phone("3733221100"), "37******00");
        assert_eq!(mask_phone("123"), "***");
    }

    #[test]
    fn internals_are_redacted() {
        let s = redact_internals(
            r##"{"message":"Server Error","file":"/var/www/app/Http/Kernel.php","line":12,"trace":["#0 App\\X::y()"]}"##,
            &[],
            &[],
        );
        assert!(!s.contains("/var/www"), "{s}");
        assert!(!s.contains("App\\X"), "{s}");
    }

    #[test]
    fn customer_data_and_secrets_are_redacted() {
        let page =
            "<h1>SQLSTATE[22001]</h1> insert into atendimentos (descricao, telefone) values \
                    (Sem internet desde ontem, 37999112233) maria@example.com \
                    Authorization: Bearer mock-access-1.abc client_secret=demo-secret \
                    token eyJhbGciOiJIUzI1NiJ9abcdefghij";
        let s = redact_internals(
            page,
            &["Sem internet desde ontem", "Maria", "37999112233"],
            &[],
        );
        for leaked in [
            "Sem internet",
            "37999112233",
            "maria@example.com",
            "mock-access-1.abc",
            "demo-secret",
            "eyJhbGciOiJIUzI1NiJ9",
        ] {
            assert!(!s.contains(leaked), "{leaked} in {s}");
        }
        assert!(
            s.contains("[cliente]") && s.contains("insert into atendimentos"),
            "{s}"
        );
    }
    #[test]
    fn the_gateways_own_secrets_and_named_values_are_redacted() {
        let page = "Whoops! token:abc123secretTOKENvalue password:demo-password \
                    client_secret:demo-secret senha: hunter22 api_key = k3y";
        let s = redact_internals(
            page,
            &[],
            &["demo-password", "demo-secret", "mock-access-1"],
        );
        for leaked in [
            "abc123secret",
            "demo-password",
            "demo-secret",
            "hunter22",
            "k3y",
        ] {
            assert!(!s.contains(leaked), "{leaked} in {s}");
        }
        assert!(s.starts_with("Whoops!"), "{s}");
        let s = redact_internals("senha api demo-password", &[], &["demo-password"]);
        assert!(!s.contains("demo-password"), "{s}");
    }

    #[test]
    fn escaped_echoes_of_the_customer_are_redacted_too() {
        // PHP's json_encode escapes accents and line breaks; Laravel's HTML escapes quotes.
        let json = r#"{"message":"SQLSTATE: insert (Sem conex\u00e3o desde ontem,\nJos\u00e9 Silva)","exception":"QueryException"}"#;
        let html = "<p>Jos&#233; D&#039;&#193;vila: internet &quot;LOS&quot; vermelho</p>";
        let sent = [
            "Sem conexão desde ontem, luz LOS vermelho",
            "José D'Ávila Silva",
        ];
        for page in [json, html] {
            let s = redact_internals(page, &sent, &[]);
            for leaked in ["conex", "ontem", "Silva", "vermelho", "LOS", "vila"] {
                assert!(!s.contains(leaked), "{leaked} in {s}");
            }
        }
        let s = redact_internals(
            r#"{"headers":{"Authorization":"Bearer abc.def"}}"#,
            &[],
            &[],
        );
        assert!(!s.contains("abc.def"), "{s}");
        assert_eq!(unescape(r"a\u00e3\nb &amp; &#x27;c&#39;"), "aã b & 'c'");
    }
}
