//! `abrir-chamado-gateway`: the small backend between the abrir-chamado widget and Hubsoft.
//!
//! Hubsoft has no customer-scoped tokens: its only token comes from a password grant with the
//! ISP's `client_secret` and an API user who can read every customer. The gateway keeps those
//! credentials, accepts short-lived **portal tokens** (JWT) that the ISP's portal signs for the
//! logged-in customer, and speaks the same atendimento contract as Hubsoft, so the widget's
//! `endpoint` can point at it unchanged.
//!
//! | route | what |
//! |---|---|
//! | `POST /api/v1/integracao/atendimento` | opens a ticket (`docs/hubsoft-api.md` §2), with a portal token and an optional `Idempotency-Key` |
//! | `GET /healthz` | the process is up |
//! | `GET /readyz` | a Hubsoft token can be obtained and the store answers and takes a write |
//! | `GET /metrics` | Prometheus text format |
//! | `POST /demo/portal-token` | only with `--demo`: a portal token for the demo customer |
//!
//! Modules: [`config`] (settings), [`auth`] (portal tokens), [`hubsoft`] (the Hubsoft client),
//! [`store`] (idempotency records and counters, embedded or Redis), [`ticket`] (the ticket route:
//! validation, scope, rate limit, idempotency, reconciliation), [`errors`] (JSON error answers),
//! [`observe`] (logs and metrics).

#![deny(missing_docs)]

pub mod auth;
pub mod config;
pub mod errors;
pub mod hubsoft;
pub mod observe;
pub mod server;
pub mod store;
pub mod ticket;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use tower::util::MapRequestLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{SigningKey, Verifier};
use crate::config::{Settings, StoreSettings};
use crate::errors::ApiError;
use crate::hubsoft::Hubsoft;
use crate::store::{AnyStore, EmbeddedStore, RedisStore, Store};

/// The demo customer of `POST /demo/portal-token` (the mock Hubsoft's customer 1204).
pub const DEMO_SUB: &str = "1204";
/// The demo customer's services (the mock Hubsoft's 11000 and 11001).
pub const DEMO_SERVICOS: [u64; 2] = [11000, 11001];

/// Everything a request handler needs.
pub struct AppState {
    /// The resolved settings.
    pub settings: Settings,
    /// Portal token verifier.
    pub verifier: Verifier,
    /// Hubsoft client.
    pub hubsoft: Hubsoft,
    /// Shared state.
    pub store: AnyStore,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// The tasks that send tickets (`ticket::run_to_the_end`), awaited at shutdown.
    pub tickets: tokio_util::task::TaskTracker,
    /// The causes `/readyz` found last, logged when they change.
    pub readiness: Readiness,
}

/// What `/readyz` found last, each logged at WARN when it changes (a probe every few seconds
/// would otherwise repeat one line without end) and at INFO when it clears.
#[derive(Default)]
pub struct Readiness {
    /// Why no Hubsoft token could be obtained.
    pub hubsoft: observe::CauseLog,
    /// Why the store failed.
    pub store: observe::CauseLog,
    /// How far this host's clock is from Redis's, beyond [`store::MAX_CLOCK_SKEW`].
    pub clock: observe::CauseLog,
}

/// Shared handle to the [`AppState`].
pub type Shared = Arc<AppState>;

/// Opens the configured store (the embedded file, or a Redis connection).
pub async fn open_store(settings: &Settings) -> Result<AnyStore, String> {
    match &settings.store {
        StoreSettings::Embedded(dir) => EmbeddedStore::open(dir)
            .map(AnyStore::Embedded)
            .map_err(|e| format!("embedded store in {}: {e}", dir.display())),
        StoreSettings::Redis(url) => RedisStore::connect(url)
            .await
            .map(AnyStore::Redis)
            .map_err(|e| format!("Redis at {}: {e}", config::redact_userinfo(url))),
    }
}

/// Builds the state (store, Hubsoft client, verifier, metrics recorder).
pub async fn state(settings: Settings) -> Result<Shared, String> {
    let store = open_store(&settings).await?;
    let readiness = Readiness::default();
    if let AnyStore::Redis(redis) = &store {
        for warning in redis.setting_warnings().await {
            tracing::warn!("{warning}");
        }
        readiness
            .clock
            .record("clock", clock_cause(redis).await.as_deref());
    }
    Ok(Arc::new(AppState {
        readiness,
        verifier: Verifier::new(&settings)?,
        hubsoft: Hubsoft::new(&settings)?,
        store,
        metrics: {
            let handle = observe::metrics_handle();
            observe::register_metrics();
            handle
        },
        tickets: tokio_util::task::TaskTracker::new(),
        settings,
    }))
}

/// The whole gateway as an axum router (routes and every layer).
pub fn app(state: Shared) -> Router {
    let s = &state.settings;
    let mut router = Router::new()
        .route(hubsoft::ATENDIMENTO_PATH, post(ticket::atendimento))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render_metrics));
    if s.demo {
        router = router.route("/demo/portal-token", post(demo_token));
    }
    let origins: Vec<HeaderValue> = s
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER, HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600));
    let x_request_id = HeaderName::from_static("x-request-id");
    router
        .fallback(not_found)
        // `max_body_bytes` is the one limit on bodies: the layer refuses a larger
        // `Content-Length` at once and cuts a longer chunked body, and the extractors' own
        // default (2 MiB) is replaced by the same value.
        .layer(DefaultBodyLimit::max(s.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(s.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            s.request_timeout,
        ))
        .layer(middleware::from_fn(json_errors))
        .layer(cors)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_origins,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(observe::make_span)
                .on_response(|res: &Response, latency: Duration, _: &tracing::Span| {
                    let probe = res.extensions().get::<observe::Probe>().is_some();
                    observe::log_response(res.status(), latency, probe);
                })
                // Server errors are logged by `on_response`, but a failed probe's.
                .on_failure(()),
        )
        .layer(s.client_ip_source.clone().into_extension())
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        .layer(MapRequestLayer::new(
            observe::accept_request_id::<axum::body::Body>,
        ))
        .with_state(state)
}

/// Serves `app` on `listener` (HTTP/1.1, hyper; see [`server`]), at most `max_connections`
/// connections at once (bounded by the open-file limit: [`server::connection_limit`]), until
/// `shutdown` resolves:
/// requests in flight finish and answer first, other connections are closed, and tickets still
/// being sent for a client that went away are finished and stored.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Shared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let AnyStore::Embedded(store) = &state.store {
        let store = store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                if let Err(e) = store.purge_expired().await {
                    tracing::warn!(error = %e, "purge of expired records failed");
                }
            }
        });
    }
    if let AnyStore::Redis(store) = &state.store {
        tokio::spawn(store.clone().keep_alive());
    }
    let client_timeout = state.settings.client_timeout;
    let configured = state.settings.max_connections;
    let files = server::file_limit();
    let max_connections = server::connection_limit(configured, files);
    if max_connections < configured {
        tracing::warn!(
            configured,
            max_connections,
            open_files = files,
            "max_connections lowered to fit the open-file limit: (open_files - 64) / 2, at least 1 \
             (two files per connection); raise the limit (ulimit -n, systemd LimitNOFILE=, \
             docker run --ulimit nofile=) to serve more at once"
        );
    }
    tracing::info!(max_connections, open_files = files, "connection limit");
    let tickets = state.tickets.clone();
    let ticket_time = state.settings.request_timeout;
    server::serve(
        listener,
        app(state),
        client_timeout,
        max_connections,
        shutdown,
    )
    .await;
    // Tickets whose client went away are still being sent: their outcome is stored before the
    // process ends (each is bounded by the Hubsoft and store time limits; the wait too).
    tickets.close();
    if tokio::time::timeout(ticket_time, tickets.wait())
        .await
        .is_err()
    {
        tracing::warn!("stopping with tickets still being sent; a repeat reconciles them");
    }
    Ok(())
}

/// `404` in the JSON error shape.
async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Endereço não encontrado.")
}

/// `GET /healthz`: `{"status":"ok"}` while the process runs.
async fn healthz() -> Response {
    json_ok(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz`: 200 when a Hubsoft token is obtainable and the store answers and takes a write,
/// else 503 in the JSON error shape naming what fails.
///
/// What fails is logged at WARN when it changes, not on every probe, and a failed probe's 503
/// is logged at INFO like any answer. With Redis it also compares this host's clock with
/// Redis's `TIME` and warns (once per change) beyond [`store::MAX_CLOCK_SKEW`]; that does not
/// fail the probe.
async fn readyz(State(st): State<Shared>) -> Response {
    let token = st.hubsoft.token().await;
    let store = st.store.ping().await;
    let ready = &st.readiness;
    ready
        .hubsoft
        .record("Hubsoft token", token.as_ref().err().map(String::as_str));
    ready
        .store
        .record("store", store.as_ref().err().map(|e| e.0.as_str()));
    if let (AnyStore::Redis(redis), Ok(())) = (&st.store, &store) {
        ready
            .clock
            .record("clock", clock_cause(redis).await.as_deref());
    }
    let mut res = readiness_answer(&st, token.is_ok(), store.is_ok());
    res.extensions_mut().insert(observe::Probe);
    res
}

/// Why this host's clock and Redis's differ by more than [`store::MAX_CLOCK_SKEW`], if they do.
async fn clock_cause(redis: &RedisStore) -> Option<String> {
    let skew = redis.clock_skew_ms().await.ok()?;
    (skew.unsigned_abs() > store::MAX_CLOCK_SKEW.as_millis() as u64).then(|| {
        format!(
            "this host's clock is {} s off Redis's TIME (more than {} s): gateway hosts \
             sharing one Redis need synchronised clocks (NTP), or leases and the reconciliation \
             window go wrong",
            // Whole seconds: the text is logged again only when it changes.
            skew / 1000,
            store::MAX_CLOCK_SKEW.as_secs()
        )
    })
}

/// The `/readyz` answer.
fn readiness_answer(st: &AppState, token: bool, store: bool) -> Response {
    if token && store {
        return json_ok(
            serde_json::json!({ "status": "ok", "hubsoft": "ok", "store": st.store.kind() }),
        );
    }
    let mut errors = Vec::new();
    if !token {
        errors.push("Não foi possível obter um token do Hubsoft.".to_owned());
    }
    if !store {
        errors.push("O armazenamento do gateway não responde.".to_owned());
    }
    ApiError {
        errors,
        ..ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "O gateway não está pronto.",
        )
    }
    .into_response()
}

/// `GET /metrics`: Prometheus text exposition.
async fn render_metrics(State(st): State<Shared>) -> Response {
    let mut res = st.metrics.render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    res
}

/// `POST /demo/portal-token` (only with `--demo`): `{"token":"…"}`, an HS256 portal token for the
/// demo customer [`DEMO_SUB`] with [`DEMO_SERVICOS`], valid 10 minutes. This is what a portal's
/// own backend does after checking the customer's session.
async fn demo_token(State(st): State<Shared>) -> Response {
    let Some(secret) = st.settings.portal_hs256_secret.clone() else {
        return ApiError::new(StatusCode::NOT_FOUND, "Endereço não encontrado.").into_response();
    };
    let mut claims = auth::claims_for(DEMO_SUB, DEMO_SERVICOS.to_vec(), 600);
    claims.nome = Some("Maria da Silva Souza".into());
    match auth::mint(&claims, &SigningKey::Hs256(secret)) {
        Ok(token) => {
            let mut res = json_ok(serde_json::json!({ "token": token }));
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(_) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Falha ao gerar o token.")
            .into_response(),
    }
}

fn json_ok(v: serde_json::Value) -> Response {
    let mut res = v.to_string().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// Refuses (403, JSON) any request whose `Origin` is not in the CORS allow-list, preflights
/// included. Requests without `Origin` (servers, tools) pass: they still need a portal token.
async fn refuse_origins(State(st): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let allowed = origin
            .to_str()
            .is_ok_and(|o| st.settings.cors_origins.iter().any(|a| a == o));
        if !allowed {
            metrics::counter!("gateway_requests_total", "outcome" => "origin_refused").increment(1);
            return ApiError::new(StatusCode::FORBIDDEN, "Origem não permitida.").into_response();
        }
    }
    next.run(req).await
}

/// Turns every error answer that is not JSON (the body limit's 413, the timeout's 408, axum's
/// extractor rejections) into the JSON error shape with a Portuguese `msg`, keeping the original
/// answer's headers but its `Content-Type` and `Content-Length`: `Allow` on a 405 (RFC 9110
/// §15.5.6), `Retry-After`, and the like.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let err = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, errors::MSG_TOO_LARGE)
        }
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
            ApiError::new(StatusCode::GATEWAY_TIMEOUT, errors::MSG_TIMEOUT)
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Método não permitido.")
        }
        s if s.is_client_error() => ApiError::new(s, "Pedido inválido."),
        s => ApiError::new(s, errors::MSG_UNAVAILABLE),
    };
    let mut json = err.into_response();
    let own = json.headers().clone();
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && !own.contains_key(name)
        {
            json.headers_mut().append(name.clone(), value.clone());
        }
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error answer that is not JSON, with headers of its own, as a layer or an extractor
    /// rejection gives it.
    async fn plain_503() -> Response {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (header::RETRY_AFTER, "7"),
                (header::CONTENT_TYPE, "text/plain"),
            ],
            "busy",
        )
            .into_response()
    }

    #[tokio::test]
    async fn json_errors_keeps_the_original_headers() {
        let app = Router::new()
            .route("/", get(plain_503))
            .layer(middleware::from_fn(json_errors));
        let request = axum::http::Request::get("/")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = tower::ServiceExt::oneshot(app, request).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()[header::RETRY_AFTER], "7");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            res.headers().get_all(header::CONTENT_TYPE).iter().count(),
            1
        );
        let body = axum::body::to_bytes(res.into_body(), 4096).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["status"], "error");
        assert_eq!(v["msg"], errors::MSG_UNAVAILABLE);
    }
}
