//! `mock-hubsoft`: an HTTP mock of the parts of the **Hubsoft** integration API that the
//! `abrir-chamado` widget uses, for the demo page and for end-to-end tests.
//!
//! The facts it imitates are those of `docs/hubsoft-api.md` (sections §N):
//!
//! | route | section | notes |
//! |---|---|---|
//! | `POST /oauth/token` | §1 | OAuth2 password grant, JSON (or form) body |
//! | `POST /api/v1/integracao/atendimento` | §2 | opens a ticket; validation errors are **HTTP 200** |
//! | `GET /api/v1/integracao/configuracao/tipo_atendimento` | §2 | ticket types |
//! | `GET /api/v1/integracao/cliente/atendimento` | §3 | the tickets this mock opened, by `busca` (`id_cliente_servico`, `codigo_cliente`, `protocolo`), newest last unless `order_type=desc`; `apenas_pendente` (`sim`, the default: open ones only), `data_inicio`/`data_fim` (YYYY-MM-DD, on the creation date), `limit` 1–50; `status` spelled `suscess` as documented |
//!
//! Not part of Hubsoft, for tests only (see [`QueuedResponse`] and [`RecordedRequest`]):
//!
//! | route | effect |
//! |---|---|
//! | `POST /__mock/queue` | appends one [`QueuedResponse`] (JSON object) or several (JSON array) to a FIFO; replies `{"queued":N,"pending":M}` |
//! | `GET /__mock/queue` | the pending [`QueuedResponse`]s, as a JSON array |
//! | `GET /__mock/requests` | every request received on the Hubsoft routes, in order, as a JSON array of [`RecordedRequest`] |
//! | `POST /__mock/reset` | clears the queue, the request log and the opened tickets, resets `id_atendimento` to 1000 and the clock to Brasília time (the protocol sequence goes on: a protocolo is never given twice); replies `{"reset":true}` |
//! | `POST /__mock/clock` | `{"utc_offset_minutes":-240}`: the offset from UTC of the mock's clock (Hubsoft's local time in `protocolo` and `data_cadastro`; default −180, Brasília), −1440 to 1440, for an ISP in another zone or a Hubsoft whose clock is off; replies `{"utc_offset_minutes":N}` |
//! | `POST /__mock/close` | `{"protocolo":"…"}`: closes that ticket as staff would (`status` "Resolvido", `data_fechamento` today), so `apenas_pendente=sim` no longer lists it; replies `{"closed":true}`, or 404 `{"error":…}` for an unknown protocolo |
//!
//! Queued entries can also script faults (`"fault":"drop"`: open the ticket, then close the
//! connection without answering; `"fault":"late"`: open it and answer after `delay_ms`;
//! `"fault":"slow"`: open it only after `delay_ms`; `"fault":"replaced"`: open it, then answer
//! the entry's own `status` and `body`, as a proxy that failed after forwarding); a plain entry with a large `delay_ms` is a
//! Hubsoft that answers past the caller's time limit, and
//! `{"status":502,"content_type":"text/html","body":"<html>…"}` is nginx's failure page.
//!
//! A ticket body that passes the Laravel format rules is then checked with the widget's own
//! rules (`abrir_chamado_core::inbound`: phone DDD, lengths, e-mail), whose sentences come back
//! in the same HTTP 200 `status:"error"` shape.
//!
//! # Demo credentials
//!
//! * OAuth password grant: `client_id` [`DEMO_CLIENT_ID`] (`"3"`), `client_secret`
//!   [`DEMO_CLIENT_SECRET`] (`"demo-secret"`), `username` [`DEMO_USERNAME`] (`"api@demo.isp"`),
//!   `password` [`DEMO_PASSWORD`] (`"demo-password"`).
//! * The static bearer token [`DEMO_TOKEN`] (`"demo-token"`) is always valid; tokens issued by
//!   `/oauth/token` are valid for the life of the process (they survive `/__mock/reset`).
//!
//! # Demo data
//!
//! Service (contract) ids and their customers are in [`DEMO_SERVICES`]; ticket types in
//! [`TIPOS_ATENDIMENTO`].
//!
//! # CORS
//!
//! Every response (success, error, 401, 404, `/__mock/*`, static files) carries
//! `Access-Control-Allow-Origin: *`. Any `OPTIONS` request is answered `204 No Content` with
//! `Access-Control-Allow-Methods: GET, POST, OPTIONS`,
//! `Access-Control-Allow-Headers: authorization, content-type, accept` and
//! `Access-Control-Max-Age: 600`; `OPTIONS` requests are never recorded and never consume the queue.
//!
//! # Laravel-like request parsing
//!
//! Like Laravel, a body is read as JSON only when `Content-Type` contains `/json` or `+json`, and as a
//! form when it is `application/x-www-form-urlencoded`; any other body (or malformed JSON) counts as
//! an empty input, so the required-field errors come back. On the atendimento route strings are
//! trimmed and blank strings count as missing (Laravel's `TrimStrings` and
//! `ConvertEmptyStringsToNull`).

#![deny(missing_docs)]

mod clock;
mod control;
mod hubsoft;

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::services::ServeDir;

pub use control::{Fault, QueuedResponse, RecordedRequest};

/// OAuth `client_id` accepted by `POST /oauth/token` (`docs/hubsoft-api.md` §1 uses `"3"` in its example).
pub const DEMO_CLIENT_ID: &str = "3";
/// OAuth `client_secret` accepted by `POST /oauth/token`.
pub const DEMO_CLIENT_SECRET: &str = "demo-secret";
/// API user name accepted by `POST /oauth/token`.
pub const DEMO_USERNAME: &str = "api@demo.isp";
/// API user password accepted by `POST /oauth/token`.
pub const DEMO_PASSWORD: &str = "demo-password";
/// Static bearer token that is always accepted (`Authorization: Bearer demo-token`); the demo page
/// uses it so that no OAuth credentials ever reach a browser (`docs/hubsoft-api.md` §1, "Security").
pub const DEMO_TOKEN: &str = "demo-token";

/// Route of the token endpoint (`docs/hubsoft-api.md` §1).
pub const OAUTH_TOKEN_PATH: &str = "/oauth/token";
/// Route that opens a ticket (`docs/hubsoft-api.md` §2); the default target of queued responses.
pub const ATENDIMENTO_PATH: &str = "/api/v1/integracao/atendimento";
/// Route listing a customer's tickets (`docs/hubsoft-api.md` §3).
pub const CLIENTE_ATENDIMENTO_PATH: &str = "/api/v1/integracao/cliente/atendimento";
/// Route listing the ticket types (`docs/hubsoft-api.md` §2, `id_tipo_atendimento`).
pub const TIPO_ATENDIMENTO_PATH: &str = "/api/v1/integracao/configuracao/tipo_atendimento";

/// First `id_atendimento` handed out after start or `/__mock/reset`; each successful ticket gets
/// the next integer.
pub const FIRST_ID_ATENDIMENTO: u64 = 1000;

/// One customer service (contract) of the made-up demo data: the target of
/// `id_cliente_servico`, with the customer it belongs to (the `cliente` object of a success reply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoService {
    /// The service id to send as `id_cliente_servico`.
    pub id_cliente_servico: i64,
    /// `cliente.codigo_cliente` in the success reply.
    pub codigo_cliente: u64,
    /// `cliente.nome_razaosocial` in the success reply.
    pub nome_razaosocial: &'static str,
    /// `cliente.cpf_cnpj` in the success reply (digits only; a CPF has 11, a CNPJ 14).
    pub cpf_cnpj: &'static str,
}

/// The services the mock knows. Any other `id_cliente_servico` gets
/// `"O valor selecionado para o campo id cliente servico é inválido."`.
pub const DEMO_SERVICES: &[DemoService] = &[
    DemoService {
        id_cliente_servico: 11000,
        codigo_cliente: 1204,
        nome_razaosocial: "MARIA DA SILVA SOUZA",
        cpf_cnpj: "12345678909",
    },
    DemoService {
        id_cliente_servico: 11001,
        codigo_cliente: 1204,
        nome_razaosocial: "MARIA DA SILVA SOUZA",
        cpf_cnpj: "12345678909",
    },
    DemoService {
        id_cliente_servico: 12000,
        codigo_cliente: 1300,
        nome_razaosocial: "JOÃO PEREIRA LIMA",
        cpf_cnpj: "98765432100",
    },
    DemoService {
        id_cliente_servico: 13000,
        codigo_cliente: 1400,
        nome_razaosocial: "PROVEDOR EXEMPLO LTDA",
        cpf_cnpj: "11222333000181",
    },
];

/// The ticket types (`id_tipo_atendimento`, `descricao`) served by the tipo_atendimento route.
/// A ticket opened with one of these ids reports its `descricao` as `tipo_atendimento`; without
/// `id_tipo_atendimento` the type is [`DEFAULT_TIPO_ATENDIMENTO`]; any other id is an error.
pub const TIPOS_ATENDIMENTO: &[(i64, &str)] = &[
    (109, "SEM ACESSO A INTERNET"),
    (110, "INTERNET LENTA"),
    (111, "FINANCEIRO"),
];

/// `tipo_atendimento` of a ticket opened without `id_tipo_atendimento` (`docs/hubsoft-api.md` §2: "default is
/// the ISP's SAC type").
pub const DEFAULT_TIPO_ATENDIMENTO: &str = "SAC";

/// Largest request body read, in bytes (1 MiB); larger bodies get `413`.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Settings of one mock instance. [`Config::default`] gives the documented demo credentials and
/// no static directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Accepted OAuth `client_id` (default [`DEMO_CLIENT_ID`]).
    pub client_id: String,
    /// Accepted OAuth `client_secret` (default [`DEMO_CLIENT_SECRET`]).
    pub client_secret: String,
    /// Accepted API user name (default [`DEMO_USERNAME`]).
    pub username: String,
    /// Accepted API user password (default [`DEMO_PASSWORD`]).
    pub password: String,
    /// Bearer token that is always valid (default [`DEMO_TOKEN`]).
    pub demo_token: String,
    /// When set, files under this directory are served at `/` (e.g. the built widget, so that
    /// end-to-end tests load it from the same origin). Unknown paths then get ServeDir's empty
    /// `404`; without it they get `404 {"message":"Not Found."}`.
    pub serve_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret: DEMO_CLIENT_SECRET.to_owned(),
            username: DEMO_USERNAME.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            demo_token: DEMO_TOKEN.to_owned(),
            serve_dir: None,
        }
    }
}

/// State shared by all requests of one [`app`].
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) queue: Mutex<VecDeque<QueuedResponse>>,
    pub(crate) requests: Mutex<Vec<RecordedRequest>>,
    pub(crate) tokens: Mutex<HashSet<String>>,
    pub(crate) next_id: AtomicU64,
    pub(crate) protocol_seq: AtomicU64,
    pub(crate) token_seq: AtomicU64,
    /// Every ticket opened since start or reset, oldest first.
    pub(crate) tickets: Mutex<Vec<hubsoft::OpenedTicket>>,
    /// The offset of the mock's local clock from UTC, in minutes (`protocolo`, `data_cadastro`).
    pub(crate) utc_offset_minutes: AtomicI64,
}

pub(crate) type AppState = Arc<Shared>;

impl Shared {
    fn new(config: Config) -> Self {
        Shared {
            config,
            queue: Mutex::new(VecDeque::new()),
            requests: Mutex::new(Vec::new()),
            tokens: Mutex::new(HashSet::new()),
            next_id: AtomicU64::new(FIRST_ID_ATENDIMENTO),
            protocol_seq: AtomicU64::new(1),
            token_seq: AtomicU64::new(1),
            tickets: Mutex::new(Vec::new()),
            utc_offset_minutes: AtomicI64::new(clock::BRASILIA_OFFSET_MINUTES),
        }
    }

    /// Clears queue and log, resets `id_atendimento` and the clock to Brasília time (issued
    /// tokens stay valid). The
    /// protocol sequence goes on: a protocolo is unique for the life of the mock, as Hubsoft's
    /// are (the gateway claims each ticket by its protocolo).
    pub(crate) fn reset(&self) {
        lock(&self.queue).clear();
        lock(&self.requests).clear();
        lock(&self.tickets).clear();
        self.next_id.store(FIRST_ID_ATENDIMENTO, Ordering::SeqCst);
        self.utc_offset_minutes
            .store(clock::BRASILIA_OFFSET_MINUTES, Ordering::SeqCst);
    }
}

/// Locks a mutex, ignoring poisoning (a panicking handler must not wedge the mock).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Builds the whole mock as an [`axum::Router`] (Hubsoft routes, `/__mock/*` controls, CORS,
/// optional static files). Each call has its own state (queue, log, counters), so tests can drive
/// independent instances with `tower::ServiceExt::oneshot`; clones of the returned router share it.
pub fn app(config: Config) -> Router {
    let serve_dir = config.serve_dir.clone();
    let state: AppState = Arc::new(Shared::new(config));

    let hubsoft = Router::new()
        .route(OAUTH_TOKEN_PATH, post(hubsoft::oauth_token))
        .route(ATENDIMENTO_PATH, post(hubsoft::abrir_atendimento))
        .route(TIPO_ATENDIMENTO_PATH, get(hubsoft::tipos_atendimento))
        .route(CLIENTE_ATENDIMENTO_PATH, get(hubsoft::cliente_atendimento))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            control::record_and_replay,
        ));

    let controls = Router::new()
        .route("/queue", post(control::push_queue).get(control::list_queue))
        .route("/requests", get(control::list_requests))
        .route("/reset", post(control::reset))
        .route("/clock", post(control::set_clock))
        .route("/close", post(control::close_ticket));

    let router = Router::new().merge(hubsoft).nest("/__mock", controls);
    let router = match serve_dir {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => router.fallback(not_found),
    };
    router.layer(middleware::from_fn(cors)).with_state(state)
}

/// `404 {"message":"Not Found."}` for unknown paths when no static directory is served.
async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({ "message": "Not Found." })),
    )
        .into_response()
}

/// Answers every `OPTIONS` with `204` and the preflight headers, and adds
/// `Access-Control-Allow-Origin: *` to every other response.
async fn cors(req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        let mut res = StatusCode::NO_CONTENT.into_response();
        let h = res.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type, accept"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        return res;
    }
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}
