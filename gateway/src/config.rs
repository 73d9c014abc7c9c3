//! Settings: command-line flags, environment variables and an optional TOML file.
//!
//! Precedence, highest first: a command-line flag, its environment variable, the TOML file given
//! with `--config` (`GATEWAY_CONFIG`), the default. A switch (`--demo`, `--allow-abrir-os`,
//! `--allow-parametros`) is on as a bare flag, and takes a value as `--demo=false` or from its
//! variable: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off` in any letter case, empty for off
//! ([`switch`]), so `GATEWAY_DEMO=false` turns off a file's `demo = true`. `--help` lists every
//! setting with its variable; `gateway/gateway.example.toml` documents the file. Secrets (Hubsoft
//! password and `client_secret`, the HS256 portal secret) are never printed: [`Settings`]'s
//! `Debug` hides them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum_client_ip::ClientIpSource;
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

/// The audience every portal token must carry (`aud`, RFC 7519 §4.1.3).
pub const AUDIENCE: &str = "abrir-chamado";
/// The default longest accepted portal token lifetime (`exp − iat`), in seconds.
pub const DEFAULT_MAX_LIFETIME_SECS: u64 = 3600;
/// The default number of client connections served at once (`max_connections`).
pub const DEFAULT_MAX_CONNECTIONS: usize = 2048;

/// The command line of `abrir-chamado-gateway`.
#[derive(Debug, Parser)]
#[command(
    name = "abrir-chamado-gateway",
    version,
    about = "Gateway between the abrir-chamado widget and Hubsoft: holds the Hubsoft credentials, \
             verifies customer-scoped portal tokens (JWT), and opens exactly one ticket per \
             Idempotency-Key."
)]
pub struct Cli {
    /// What to do; without a subcommand the gateway serves.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Every setting of the server.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prints a portal token (JWT) for the given claims, signed with the configured HS256 secret
    /// or with an Ed25519 private key (PEM), for demos and for testing a portal integration.
    MintToken(MintArgs),
}

/// Arguments of `mint-token`.
#[derive(Debug, Args, Clone)]
pub struct MintArgs {
    /// `sub`: the customer code.
    #[arg(long)]
    pub sub: String,
    /// `servicos`: the `id_cliente_servico` values the customer may use (comma separated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub servicos: Vec<u64>,
    /// Lifetime in seconds (`exp` − `iat`); over the gateway's `portal_jwt_max_lifetime_secs`
    /// (default 3600) a warning is printed, since such a gateway refuses the token.
    #[arg(long, default_value_t = 600)]
    pub ttl_secs: u64,
    /// Optional `nome` claim.
    #[arg(long)]
    pub nome: Option<String>,
    /// Optional `telefone` claim.
    #[arg(long)]
    pub telefone: Option<String>,
    /// Optional `email` claim.
    #[arg(long)]
    pub email: Option<String>,
    /// Sign with EdDSA using this Ed25519 private key (PKCS#8 PEM) instead of the HS256 secret.
    #[arg(long, value_name = "PEM_FILE")]
    pub ed25519_private_key: Option<PathBuf>,
}

/// The server's settings as given on the command line or in the environment (all optional here;
/// [`Settings::resolve`] fills the rest from the file and the defaults).
#[derive(Debug, Args, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SettingsArgs {
    /// TOML file with any of these settings (keys as the long flags with `_`).
    /// Accepted before or after a subcommand (`mint-token --config FILE`).
    #[arg(long, env = "GATEWAY_CONFIG", value_name = "FILE", global = true)]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8790].
    #[arg(long, env = "GATEWAY_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Hubsoft base URL, e.g. https://api.seuprovedor.hubsoft.com.br (required).
    #[arg(long, env = "HUBSOFT_URL")]
    pub hubsoft_url: Option<String>,
    /// Hubsoft OAuth client_id (password grant, `docs/hubsoft-api.md` §1).
    #[arg(long, env = "HUBSOFT_CLIENT_ID")]
    pub hubsoft_client_id: Option<String>,
    /// Hubsoft OAuth client_secret. Prefer the environment variable or the file over the flag.
    #[arg(long, env = "HUBSOFT_CLIENT_SECRET", hide_env_values = true)]
    pub hubsoft_client_secret: Option<String>,
    /// Hubsoft API user name.
    #[arg(long, env = "HUBSOFT_USERNAME")]
    pub hubsoft_username: Option<String>,
    /// Hubsoft API user password. Prefer the environment variable or the file over the flag.
    #[arg(long, env = "HUBSOFT_PASSWORD", hide_env_values = true)]
    pub hubsoft_password: Option<String>,
    /// Time limit of one request to Hubsoft, in milliseconds [default: 15000].
    #[arg(long, env = "HUBSOFT_TIMEOUT_MS")]
    pub hubsoft_timeout_ms: Option<u64>,
    /// Renew the Hubsoft token this many seconds before `expires_in` ends [default: 300]; the
    /// token is never kept longer than 24 h.
    #[arg(long, env = "HUBSOFT_TOKEN_MARGIN_SECS")]
    pub hubsoft_token_margin_secs: Option<u64>,
    /// Offset of Hubsoft's clock from UTC in minutes, for the protocolo's leading
    /// YYYYMMDDhhmmss [default: -180, Brasília].
    #[arg(long, env = "HUBSOFT_UTC_OFFSET_MINUTES", allow_hyphen_values = true)]
    pub hubsoft_utc_offset_minutes: Option<i32>,
    /// Shared secret for HS256 portal tokens (at least 32 bytes; whitespace around it is
    /// removed).
    #[arg(long, env = "PORTAL_JWT_HS256_SECRET", hide_env_values = true)]
    pub portal_jwt_hs256_secret: Option<String>,
    /// Ed25519 public key (PEM file) for EdDSA portal tokens.
    #[arg(long, env = "PORTAL_JWT_ED25519_PUBLIC_KEY", value_name = "PEM_FILE")]
    pub portal_jwt_ed25519_public_key: Option<PathBuf>,
    /// During a key rotation: the previous HS256 secret, still accepted (at least 32 bytes;
    /// needs portal_jwt_hs256_secret).
    #[arg(long, env = "PORTAL_JWT_HS256_PREVIOUS_SECRET", hide_env_values = true)]
    pub portal_jwt_hs256_previous_secret: Option<String>,
    /// During a key rotation: the previous Ed25519 public key (PEM file), still accepted (needs
    /// portal_jwt_ed25519_public_key).
    #[arg(
        long,
        env = "PORTAL_JWT_ED25519_PREVIOUS_PUBLIC_KEY",
        value_name = "PEM_FILE"
    )]
    pub portal_jwt_ed25519_previous_public_key: Option<PathBuf>,
    /// Accepted JWT algorithms, comma separated: HS256, EdDSA [default: those with a key].
    #[arg(long, env = "PORTAL_JWT_ALGORITHMS", value_delimiter = ',')]
    pub portal_jwt_algorithms: Option<Vec<String>>,
    /// Longest accepted portal token lifetime (`exp` − `iat`), in seconds [default: 3600].
    #[arg(long, env = "PORTAL_JWT_MAX_LIFETIME_SECS")]
    pub portal_jwt_max_lifetime_secs: Option<u64>,
    /// Clock leeway for `exp`, `nbf` and `iat`, in seconds [default: 30].
    #[arg(long, env = "PORTAL_JWT_LEEWAY_SECS")]
    pub portal_jwt_leeway_secs: Option<u64>,
    /// Portal origins allowed by CORS, comma separated (e.g. https://portal.seuprovedor.com.br).
    #[arg(long, env = "GATEWAY_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Option<Vec<String>>,
    /// Largest request body, in bytes [default: 16384].
    #[arg(long, env = "GATEWAY_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Time limit of a whole request to the gateway, in milliseconds [default: 45000].
    #[arg(long, env = "GATEWAY_REQUEST_TIMEOUT_MS")]
    pub request_timeout_ms: Option<u64>,
    /// Time a client has to send a request's headers, and its body (408; at most half the
    /// request timeout), and to take each part of an answer (a write it leaves blocked), in
    /// milliseconds; an idle keep-alive connection is closed
    /// after it too [default: 30000, at least 1000]. Bounds clients that trickle their headers
    /// (slowloris) or read nothing, which would otherwise hold a connection without end.
    #[arg(long, env = "GATEWAY_CLIENT_TIMEOUT_MS")]
    pub client_timeout_ms: Option<u64>,
    /// Client connections served at once; more wait in the listen backlog until one closes.
    /// Bounded at start by the open-file limit (half of it, less 64) [default: 2048, at least 1].
    #[arg(long, env = "GATEWAY_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// New tickets per customer (`sub`) per hour [default: 5].
    #[arg(long, env = "GATEWAY_RATE_LIMIT_PER_HOUR")]
    pub rate_limit_per_hour: Option<u64>,
    /// Tokens whose structure or signature fails, per client IP per minute, before 429; a token
    /// with a valid signature (expired, say) or none at all gets 401 and does not count
    /// [default: 20].
    #[arg(long, env = "GATEWAY_AUTH_FAILURES_PER_MINUTE")]
    pub auth_failures_per_minute: Option<u64>,
    /// Where the client's IP comes from, for the per-IP limit of authentication failures:
    /// ConnectInfo (the TCP peer: the gateway faces the clients itself), or the header the
    /// reverse proxy in front of it sets: RightmostXForwardedFor (nginx, HAProxy, most load
    /// balancers), RightmostForwarded (RFC 7239), XRealIp, CfConnectingIp, TrueClientIp,
    /// CloudFrontViewerAddress, FlyClientIp, XEnvoyExternalAddress [default: ConnectInfo].
    #[arg(long, env = "GATEWAY_CLIENT_IP_SOURCE")]
    pub client_ip_source: Option<String>,
    /// How long an Idempotency-Key is remembered, in seconds, 3600 to 2592000 (30 days)
    /// [default: 86400].
    #[arg(long, env = "GATEWAY_IDEMPOTENCY_TTL_SECS")]
    pub idempotency_ttl_secs: Option<u64>,
    /// How long a repeat waits for the first request with its key before 409, in milliseconds,
    /// at most half the request timeout [default: 10000].
    #[arg(long, env = "GATEWAY_IN_FLIGHT_WAIT_MS")]
    pub in_flight_wait_ms: Option<u64>,
    /// A ticket the reconciliation lookup does not find is sent once more only when the first
    /// send is at least this old, in seconds: a slow Hubsoft may still be saving it
    /// [default: 120].
    #[arg(long, env = "GATEWAY_RECONCILE_SETTLE_SECS")]
    pub reconcile_settle_secs: Option<u64>,
    /// Ticket types (`id_tipo_atendimento`) customers may choose, comma separated; a ticket
    /// with another type gets 422 [default: none, so a ticket must leave the type out and
    /// Hubsoft uses its default].
    #[arg(long, env = "GATEWAY_ALLOWED_TIPOS", value_delimiter = ',')]
    pub allowed_tipos: Option<Vec<u64>>,
    /// Accept `"abrir_os": true` (the ticket also opens a service order, a technician's
    /// visit); without it such a ticket gets 422 [default: false; also 1/0, yes/no, on/off].
    #[arg(long, env = "GATEWAY_ALLOW_ABRIR_OS", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", value_name = "BOOL", value_parser = switch)]
    pub allow_abrir_os: Option<bool>,
    /// Accept a `parametros` object and pass it to Hubsoft; without it a ticket carrying one
    /// gets 422 [default: false; also 1/0, yes/no, on/off].
    #[arg(long, env = "GATEWAY_ALLOW_PARAMETROS", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", value_name = "BOOL", value_parser = switch)]
    pub allow_parametros: Option<bool>,
    /// Folder of the embedded store (used when REDIS_URL is not set) [default: ./gateway-data].
    #[arg(long, env = "GATEWAY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Redis URL (redis://host:port/db, rediss:// for TLS); when set, the shared state lives in
    /// Redis.
    #[arg(long, env = "REDIS_URL")]
    pub redis_url: Option<String>,
    /// Log format: json or text [default: json].
    #[arg(long, env = "GATEWAY_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Demo mode: adds POST /demo/portal-token, which mints a portal token for the demo customer
    /// with a random secret of its own; refused with a portal key configured or off loopback
    /// (never use in production) [default: false; also 1/0, yes/no, on/off].
    #[arg(long, env = "GATEWAY_DEMO", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", value_name = "BOOL", value_parser = switch)]
    pub demo: Option<bool>,
}

/// Where the shared state lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSettings {
    /// The embedded store (redb) in this folder.
    Embedded(PathBuf),
    /// Redis at this URL.
    Redis(String),
}

/// The resolved settings of a running gateway.
#[derive(Clone)]
pub struct Settings {
    /// Listening address.
    pub listen: SocketAddr,
    /// Hubsoft base URL without a trailing `/`.
    pub hubsoft_url: String,
    /// OAuth password-grant credentials (`docs/hubsoft-api.md` §1).
    pub hubsoft_client_id: String,
    /// OAuth `client_secret` (secret).
    pub hubsoft_client_secret: String,
    /// API user.
    pub hubsoft_username: String,
    /// API user password (secret).
    pub hubsoft_password: String,
    /// Time limit of one Hubsoft request.
    pub hubsoft_timeout: Duration,
    /// Renewal margin before `expires_in`.
    pub hubsoft_token_margin: Duration,
    /// Hubsoft clock offset from UTC, in minutes.
    pub hubsoft_utc_offset_minutes: i32,
    /// HS256 secret (secret), if HS256 is accepted.
    pub portal_hs256_secret: Option<Vec<u8>>,
    /// Ed25519 public key PEM, if EdDSA is accepted.
    pub portal_ed25519_public_pem: Option<Vec<u8>>,
    /// The previous HS256 secret, accepted too during a rotation.
    pub portal_hs256_previous_secret: Option<Vec<u8>>,
    /// The previous Ed25519 public key PEM, accepted too during a rotation.
    pub portal_ed25519_previous_public_pem: Option<Vec<u8>>,
    /// Longest accepted token lifetime.
    pub portal_max_lifetime: Duration,
    /// Clock leeway, in seconds.
    pub portal_leeway_secs: u64,
    /// Allowed CORS origins.
    pub cors_origins: Vec<String>,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Time limit of a whole request.
    pub request_timeout: Duration,
    /// Time a client has to send a request's headers, or a ticket's body, or take a blocked
    /// write; also the idle time of a keep-alive connection.
    pub client_timeout: Duration,
    /// Client connections served at once, before the open-file bound of
    /// `server::connection_limit`.
    pub max_connections: usize,
    /// New tickets per `sub` per hour.
    pub rate_limit_per_hour: u64,
    /// Tokens whose structure or signature fails, per IP per minute.
    pub auth_failures_per_minute: u64,
    /// Where the client IP of that limit comes from: the TCP peer or a proxy's header.
    pub client_ip_source: ClientIpSource,
    /// Idempotency record lifetime.
    pub idempotency_ttl: Duration,
    /// Bounded wait for an in-flight first request.
    pub in_flight_wait: Duration,
    /// How old the first send must be before a ticket the lookup did not find is sent again.
    pub reconcile_settle: Duration,
    /// Ticket types customers may choose (empty: none).
    pub allowed_tipos: Vec<u64>,
    /// Whether `"abrir_os": true` is accepted.
    pub allow_abrir_os: bool,
    /// Whether a `parametros` object is accepted.
    pub allow_parametros: bool,
    /// Where the shared state lives.
    pub store: StoreSettings,
    /// `json` or `text`.
    pub log_format: String,
    /// Whether the demo route exists.
    pub demo: bool,
    /// Settings accepted but worth a warning in the log at start (a value that applies only in
    /// part), one sentence each.
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for Settings {
    /// Everything but the secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("hubsoft_url", &redact_userinfo(&self.hubsoft_url))
            .field("hubsoft_client_id", &self.hubsoft_client_id)
            .field("hubsoft_username", &self.hubsoft_username)
            .field("hs256", &self.portal_hs256_secret.is_some())
            .field("eddsa", &self.portal_ed25519_public_pem.is_some())
            .field(
                "previous_keys",
                &(self.portal_hs256_previous_secret.is_some()
                    || self.portal_ed25519_previous_public_pem.is_some()),
            )
            .field("cors_origins", &self.cors_origins)
            .field("client_ip_source", &self.client_ip_source)
            .field("hubsoft_timeout", &self.hubsoft_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("client_timeout", &self.client_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_connections", &self.max_connections)
            .field("rate_limit_per_hour", &self.rate_limit_per_hour)
            .field("reconcile_settle", &self.reconcile_settle)
            .field(
                "store",
                &match &self.store {
                    StoreSettings::Redis(url) => format!("Redis({})", redact_userinfo(url)),
                    other => format!("{other:?}"),
                },
            )
            .field("demo", &self.demo)
            .finish_non_exhaustive()
    }
}

/// `url` with any `user:password@` replaced by `[redacted]@`, and the query replaced by
/// `?[redacted]` (redis-rs also reads `?pass=` from `redis+unix://` URLs), for logs.
pub fn redact_userinfo(url: &str) -> String {
    let url = match url.split_once('?') {
        Some((before, _)) => format!("{before}?[redacted]"),
        None => url.to_owned(),
    };
    let url = url.as_str();
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}[redacted]{}", &url[..start], &url[start + at..]),
        None => url.to_owned(),
    }
}

/// A CORS origin as browsers send it in `Origin` (RFC 6454 serialisation: `scheme://host[:port]`,
/// lower-case, no path): a value such as `*`, a bare host, or a URL with a path could never match
/// and would refuse every browser.
fn origin(value: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "cors_origins: {value:?} is not an origin; write the portal's scheme, host and port, e.g. https://portal.seuprovedor.com.br"
        )
    };
    let url = url::Url::parse(value).map_err(|_| bad())?;
    if value.contains('*')
        || !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(bad());
    }
    // Lower-case host, default port dropped: as the browser will send it.
    Ok(url.origin().ascii_serialization())
}

/// Longest `idempotency_ttl_secs`: 30 days (a key is for one customer's retries, which come
/// within minutes; records past that only fill the store).
pub const MAX_IDEMPOTENCY_TTL_SECS: u64 = 30 * 86_400;

/// Reads the TOML file of `--config`. Errors: the file cannot be read, or is not TOML with only
/// the documented settings; one sentence naming the file, the line and column, and what is wrong
/// without any value from the file (see [`toml_error`]).
pub fn read_file(path: &Path) -> Result<SettingsArgs, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
    toml::from_str(&text)
        .map_err(|e| format!("config file {}: {}", path.display(), toml_error(&text, &e)))
}

/// A TOML error as `line L, column C: what`, without the file's text. The `toml` crate's own
/// message shows the offending line, and serde's quotes the value in backticks (`invalid type:
/// integer `98127…`, expected a string`, or `string "…"`), which may be a password or a secret:
/// the quoted parts are left out, but for the name of an unknown setting (a key, not a value).
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message();
    let what = match message.strip_prefix("unknown field `") {
        Some(rest) => {
            let name = rest.split('`').next().unwrap_or("");
            let is_name = !name.is_empty()
                && name.len() <= 64
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if is_name {
                // The rest lists the documented settings' names.
                let expected = rest.split_once(", ").map_or("", |(_, e)| e);
                format!("unknown setting `{name}`; {expected}")
            } else {
                "unknown setting".to_owned()
            }
        }
        // serde quotes a value in backticks, or a string in double quotes (`invalid type:
        // string "…", expected u64`): both are left out.
        None => message
            .lines()
            .next()
            .unwrap_or("")
            .split(['`', '"'])
            .step_by(2)
            .collect::<Vec<_>>()
            .join("…"),
    };
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("line {line}, column {column}: {what}")
        }
        None => what,
    }
}

impl Settings {
    /// Merges flags/environment (`args`) over the file named by `args.config` and the defaults,
    /// and checks the result. Errors are one sentence naming the setting.
    pub fn resolve(args: SettingsArgs) -> Result<Settings, String> {
        let file = match &args.config {
            Some(p) => read_file(p)?,
            None => SettingsArgs::default(),
        };
        macro_rules! pick {
            ($f:ident) => {
                args.$f.clone().or(file.$f.clone())
            };
        }
        let demo = pick!(demo).unwrap_or(false);
        let hubsoft_url = pick!(hubsoft_url)
            .ok_or("hubsoft_url (HUBSOFT_URL) is required")?
            .trim_end_matches('/')
            .to_owned();
        let parsed = url::Url::parse(&hubsoft_url).map_err(|_| {
            "hubsoft_url must be an absolute URL such as https://api.seuprovedor.hubsoft.com.br"
        })?;
        let loopback = match parsed.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        if parsed.query().is_some() || parsed.fragment().is_some() || !parsed.username().is_empty()
        {
            return Err(
                "hubsoft_url must be the server's base URL, without user, query or fragment".into(),
            );
        }
        match parsed.scheme() {
            "https" if parsed.host().is_some() => {}
            // The password grant would cross the network in clear text.
            "http" if loopback => {}
            _ => {
                return Err(
                    "hubsoft_url must be https:// with a host (http:// only for localhost)".into(),
                )
            }
        }
        let need = |v: Option<String>, name: &str| match v {
            Some(v) if !v.trim().is_empty() => Ok(v),
            _ => Err(format!(
                "{name} ({}) is required",
                name.to_ascii_uppercase()
            )),
        };
        let secret = portal_secret;
        let pem = |path: Option<PathBuf>, name: &str| -> Result<Option<Vec<u8>>, String> {
            match path.filter(|p| !p.as_os_str().is_empty()) {
                Some(p) => std::fs::read(&p)
                    .map(Some)
                    .map_err(|e| format!("cannot read {name} {}: {e}", p.display())),
                None => Ok(None),
            }
        };
        let hs = secret(pick!(portal_jwt_hs256_secret), "portal_jwt_hs256_secret")?;
        let ed = pem(
            pick!(portal_jwt_ed25519_public_key),
            "portal_jwt_ed25519_public_key",
        )?;
        let hs_previous = secret(
            pick!(portal_jwt_hs256_previous_secret),
            "portal_jwt_hs256_previous_secret",
        )?;
        let ed_previous = pem(
            pick!(portal_jwt_ed25519_previous_public_key),
            "portal_jwt_ed25519_previous_public_key",
        )?;
        if hs_previous.is_some() && hs.is_none() {
            return Err(
                "portal_jwt_hs256_previous_secret needs portal_jwt_hs256_secret (the new one)"
                    .into(),
            );
        }
        if ed_previous.is_some() && ed.is_none() {
            return Err("portal_jwt_ed25519_previous_public_key needs portal_jwt_ed25519_public_key (the new one)".into());
        }
        let algorithms = pick!(portal_jwt_algorithms);
        let (hs, ed) = match algorithms {
            None => (hs, ed),
            Some(list) => {
                let mut want_hs = false;
                let mut want_ed = false;
                for a in &list {
                    match a.trim() {
                        "HS256" => want_hs = true,
                        "EdDSA" => want_ed = true,
                        other => {
                            return Err(format!(
                                "portal_jwt_algorithms: {other:?} is not accepted (HS256, EdDSA)"
                            ))
                        }
                    }
                }
                if want_hs && hs.is_none() {
                    return Err("HS256 is listed but portal_jwt_hs256_secret is not set".into());
                }
                if want_ed && ed.is_none() {
                    return Err(
                        "EdDSA is listed but portal_jwt_ed25519_public_key is not set".into(),
                    );
                }
                (hs.filter(|_| want_hs), ed.filter(|_| want_ed))
            }
        };
        if demo && (hs.is_some() || ed.is_some()) {
            return Err(
                "--demo signs its demo tokens with a random secret of its own and refuses to start \
                 with a portal token key: unset portal_jwt_hs256_secret and \
                 portal_jwt_ed25519_public_key (PORTAL_JWT_HS256_SECRET, \
                 PORTAL_JWT_ED25519_PUBLIC_KEY), or drop --demo"
                    .into(),
            );
        }
        if hs.is_none() && ed.is_none() && !demo {
            return Err(
                "no portal token key: set portal_jwt_hs256_secret or portal_jwt_ed25519_public_key"
                    .into(),
            );
        }
        let store = match pick!(redis_url) {
            Some(url) if !url.trim().is_empty() => StoreSettings::Redis(url),
            _ => StoreSettings::Embedded(
                pick!(data_dir).unwrap_or_else(|| PathBuf::from("./gateway-data")),
            ),
        };
        let log_format = pick!(log_format).unwrap_or_else(|| "json".into());
        if log_format != "json" && log_format != "text" {
            return Err("log_format must be json or text".into());
        }
        let client_ip_source = match pick!(client_ip_source) {
            None => ClientIpSource::ConnectInfo,
            Some(name) => name.trim().parse().map_err(|_| {
                format!(
                    "client_ip_source: {name:?} is not one of ConnectInfo, RightmostXForwardedFor, \
                     RightmostForwarded, XRealIp, CfConnectingIp, TrueClientIp, \
                     CloudFrontViewerAddress, FlyClientIp, XEnvoyExternalAddress"
                )
            })?,
        };
        let ms = |v: Option<u64>, d: u64| Duration::from_millis(v.unwrap_or(d));
        // Values that would leave the gateway unusable or unsafe while it looks healthy.
        let at_least = |v: Option<u64>, min: u64, name: &str| match v {
            Some(v) if v < min => Err(format!("{name} must be at least {min}")),
            _ => Ok(()),
        };
        at_least(pick!(request_timeout_ms), 1000, "request_timeout_ms")?;
        at_least(pick!(hubsoft_timeout_ms), 100, "hubsoft_timeout_ms")?;
        at_least(pick!(client_timeout_ms), 1000, "client_timeout_ms")?;
        at_least(pick!(rate_limit_per_hour), 1, "rate_limit_per_hour")?;
        at_least(
            pick!(max_connections).map(|v| v as u64),
            1,
            "max_connections",
        )?;
        at_least(
            pick!(auth_failures_per_minute),
            1,
            "auth_failures_per_minute",
        )?;
        at_least(
            pick!(max_body_bytes).map(|v| v as u64),
            1024,
            "max_body_bytes",
        )?;
        let request_timeout_ms = pick!(request_timeout_ms).unwrap_or(45_000);
        if pick!(hubsoft_timeout_ms).unwrap_or(15_000) >= request_timeout_ms {
            return Err("hubsoft_timeout_ms must be shorter than request_timeout_ms (the whole request includes the lookup)".into());
        }
        if pick!(in_flight_wait_ms).is_some_and(|v| v > request_timeout_ms / 2) {
            return Err(format!(
                "in_flight_wait_ms must be at most half request_timeout_ms ({} ms)",
                request_timeout_ms / 2
            ));
        }
        let mut warnings = Vec::new();
        if let Some(client) = pick!(client_timeout_ms) {
            if client > request_timeout_ms / 2 {
                warnings.push(format!(
                    "client_timeout_ms is {client}: headers and writes get {client} ms, but a \
                     request's body gets {} ms (half request_timeout_ms, so that its 408 comes \
                     before the request's 504)",
                    request_timeout_ms / 2
                ));
            }
        }
        let settle = pick!(reconcile_settle_secs).unwrap_or(120);
        if settle > 3600 {
            return Err(
                "reconcile_settle_secs must be at most 3600 (0 sends again at once)".into(),
            );
        }
        let ttl = pick!(idempotency_ttl_secs).unwrap_or(86_400);
        if ttl < 3600
            || ttl < settle + request_timeout_ms / 1000 + 1
            || ttl > MAX_IDEMPOTENCY_TTL_SECS
        {
            return Err(format!(
                "idempotency_ttl_secs must be at least 3600, longer than reconcile_settle_secs + the request time limit ({} s), and at most {MAX_IDEMPOTENCY_TTL_SECS} (30 days)",
                settle + request_timeout_ms / 1000 + 1
            ));
        }
        if pick!(hubsoft_token_margin_secs).is_some_and(|v| v > 3600) {
            return Err("hubsoft_token_margin_secs must be at most 3600".into());
        }
        if pick!(hubsoft_utc_offset_minutes).is_some_and(|v| !(-720..=840).contains(&v)) {
            return Err(
                "hubsoft_utc_offset_minutes must be from -720 to 840 (UTC-12 to UTC+14)".into(),
            );
        }
        if pick!(portal_jwt_leeway_secs).is_some_and(|v| v > 300) {
            return Err(
                "portal_jwt_leeway_secs must be at most 300 (a clock skew, not a lifetime)".into(),
            );
        }
        if pick!(portal_jwt_max_lifetime_secs).is_some_and(|v| v == 0 || v > 86_400) {
            return Err("portal_jwt_max_lifetime_secs must be from 1 to 86400 (one day)".into());
        }
        let listen = pick!(listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8790)));
        if demo && !listen.ip().is_loopback() {
            return Err(
                "--demo hands out portal tokens to anyone: it only runs on a loopback address (listen = 127.0.0.1:…)".into(),
            );
        }
        let mut cors_origins = Vec::new();
        for o in pick!(cors_origins).unwrap_or_default() {
            let o = o.trim().trim_end_matches('/');
            if o.is_empty() {
                continue;
            }
            cors_origins.push(origin(o)?);
        }
        Ok(Settings {
            listen,
            hubsoft_url,
            hubsoft_client_id: need(pick!(hubsoft_client_id), "hubsoft_client_id")?,
            hubsoft_client_secret: need(pick!(hubsoft_client_secret), "hubsoft_client_secret")?,
            hubsoft_username: need(pick!(hubsoft_username), "hubsoft_username")?,
            hubsoft_password: need(pick!(hubsoft_password), "hubsoft_password")?,
            hubsoft_timeout: ms(pick!(hubsoft_timeout_ms), 15_000),
            hubsoft_token_margin: Duration::from_secs(
                pick!(hubsoft_token_margin_secs).unwrap_or(300),
            ),
            hubsoft_utc_offset_minutes: pick!(hubsoft_utc_offset_minutes).unwrap_or(-180),
            portal_hs256_previous_secret: hs_previous.filter(|_| hs.is_some()),
            portal_ed25519_previous_public_pem: ed_previous.filter(|_| ed.is_some()),
            portal_hs256_secret: hs,
            portal_ed25519_public_pem: ed,
            portal_max_lifetime: Duration::from_secs(
                pick!(portal_jwt_max_lifetime_secs).unwrap_or(DEFAULT_MAX_LIFETIME_SECS),
            ),
            portal_leeway_secs: pick!(portal_jwt_leeway_secs).unwrap_or(30),
            cors_origins,
            max_body_bytes: pick!(max_body_bytes).unwrap_or(16 * 1024),
            request_timeout: ms(pick!(request_timeout_ms), 45_000),
            client_timeout: ms(pick!(client_timeout_ms), 30_000),
            max_connections: pick!(max_connections).unwrap_or(DEFAULT_MAX_CONNECTIONS),
            rate_limit_per_hour: pick!(rate_limit_per_hour).unwrap_or(5),
            auth_failures_per_minute: pick!(auth_failures_per_minute).unwrap_or(20),
            client_ip_source,
            idempotency_ttl: Duration::from_secs(pick!(idempotency_ttl_secs).unwrap_or(86_400)),
            in_flight_wait: ms(pick!(in_flight_wait_ms), 10_000),
            reconcile_settle: Duration::from_secs(pick!(reconcile_settle_secs).unwrap_or(120)),
            allowed_tipos: pick!(allowed_tipos).unwrap_or_default(),
            allow_abrir_os: pick!(allow_abrir_os).unwrap_or(false),
            allow_parametros: pick!(allow_parametros).unwrap_or(false),
            store,
            log_format,
            demo,
            warnings,
        })
    }
}

/// An HS256 portal secret as configured (flag, variable or file), checked: ASCII whitespace
/// around it is removed (a Docker or Kubernetes secret written with `echo` ends with a newline),
/// and empty is unset (`Ok(None)`: Compose passes `${VAR}` of an unset variable as empty, as
/// for `REDIS_URL` and the switches); what is left must have at least 32 bytes, not counting
/// spaces (RFC 7518 §3.2: a key at least as long as the hash), else an error naming `name`.
/// Used by the gateway and by `mint-token`, so neither accepts a secret the other refuses.
pub fn portal_secret(value: Option<String>, name: &str) -> Result<Option<Vec<u8>>, String> {
    let Some(s) = value
        .as_deref()
        .map(str::trim_ascii)
        .filter(|s| !s.is_empty())
        .map(|s| s.as_bytes().to_vec())
    else {
        return Ok(None);
    };
    let visible = s.iter().filter(|b| !b.is_ascii_whitespace()).count();
    if s.len() < 32 || visible < 32 {
        return Err(format!(
            "{name} must have at least 32 bytes (not counting spaces)"
        ));
    }
    Ok(Some(s))
}

/// Reads a switch's value (flag or variable): `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`,
/// in any case; an empty value, as a Compose file's `GATEWAY_DEMO=${GATEWAY_DEMO}` passes when
/// the variable is unset, is off.
fn switch(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        _ => Err("expected true/false, 1/0, yes/no or on/off (empty is off)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> SettingsArgs {
        SettingsArgs {
            hubsoft_url: Some("https://api.seuprovedor.hubsoft.com.br".into()),
            hubsoft_client_id: Some("3".into()),
            hubsoft_client_secret: Some("client-secret".into()),
            hubsoft_username: Some("api@isp".into()),
            hubsoft_password: Some("password".into()),
            portal_jwt_hs256_secret: Some("0123456789abcdef0123456789abcdef".into()),
            ..SettingsArgs::default()
        }
    }

    fn error(edit: impl FnOnce(&mut SettingsArgs)) -> String {
        let mut a = args();
        edit(&mut a);
        match Settings::resolve(a) {
            Ok(_) => panic!("accepted"),
            Err(e) => e,
        }
    }

    #[test]
    fn cors_origins_are_origins_as_browsers_send_them() {
        let mut a = args();
        a.cors_origins = Some(vec!["HTTPS://Portal.Example.com:443/".into()]);
        let s = Settings::resolve(a).unwrap();
        assert_eq!(s.cors_origins, ["https://portal.example.com"]);
        for bad in [
            "*",
            "portal.example.com",
            "https://portal.example.com/app",
            "ftp://x.example",
            "https://*.example.com",
        ] {
            let e = error(|a| a.cors_origins = Some(vec![bad.into()]));
            assert!(e.contains("cors_origins") && e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn unsafe_or_unusable_values_stop_the_start() {
        let e = error(|a| a.hubsoft_url = Some("http://api.seuprovedor.hubsoft.com.br".into()));
        assert!(e.contains("https://"), "{e}");
        let mut a = args();
        a.hubsoft_url = Some("http://127.0.0.1:8787".into());
        assert!(Settings::resolve(a).is_ok());
        assert!(error(|a| a.hubsoft_url = Some("https://".into())).contains("hubsoft_url"));
        let e = error(|a| a.hubsoft_password = Some(" ".into()));
        assert!(e.contains("HUBSOFT_PASSWORD"), "{e}");
        let e = error(|a| {
            a.demo = Some(true);
            a.listen = Some("0.0.0.0:8790".parse().unwrap());
        });
        assert!(e.contains("--demo"), "{e}");
        assert!(error(|a| a.portal_jwt_leeway_secs = Some(100_000)).contains("leeway"));
        assert!(error(|a| a.request_timeout_ms = Some(0)).contains("request_timeout_ms"));
        assert!(error(|a| a.rate_limit_per_hour = Some(0)).contains("rate_limit_per_hour"));
        assert!(error(|a| a.max_connections = Some(0)).contains("max_connections"));
        assert!(error(|a| a.max_body_bytes = Some(0)).contains("max_body_bytes"));
        assert!(error(|a| a.idempotency_ttl_secs = Some(0)).contains("idempotency_ttl_secs"));
        // Far beyond any use, and past what an expiry in milliseconds can hold.
        for ttl in [MAX_IDEMPOTENCY_TTL_SECS + 1, 18_446_744_073_709_551] {
            assert!(error(|a| a.idempotency_ttl_secs = Some(ttl)).contains("at most 2592000"));
        }
        assert!(error(|a| a.reconcile_settle_secs = Some(999_999)).contains("reconcile_settle"));
        assert!(error(|a| a.hubsoft_timeout_ms = Some(60_000)).contains("hubsoft_timeout_ms"));
        assert!(error(|a| a.hubsoft_utc_offset_minutes = Some(99_999)).contains("utc_offset"));
        assert!(error(|a| a.hubsoft_token_margin_secs = Some(99_999)).contains("margin"));
        let e = error(|a| a.portal_jwt_hs256_secret = Some(" ".repeat(40)));
        assert!(e.contains("hs256"), "{e}");
        let e = error(|a| {
            a.portal_jwt_hs256_secret = None;
            a.portal_jwt_hs256_previous_secret = Some("x".repeat(40));
        });
        assert!(e.contains("needs portal_jwt_hs256_secret"), "{e}");
        let e = error(|a| a.portal_jwt_hs256_previous_secret = Some("short".into()));
        assert!(
            e.contains("portal_jwt_hs256_previous_secret must have"),
            "{e}"
        );
        // Empty is unset: here no key is left at all.
        let e = error(|a| a.portal_jwt_hs256_secret = Some(String::new()));
        assert!(e.contains("no portal token key"), "{e}");
        for url in [
            "https://api.example.com/?api_key=x",
            "https://user:HubPass@api.example.com",
        ] {
            let e = error(|a| a.hubsoft_url = Some(url.into()));
            assert!(e.contains("without user, query"), "{url}: {e}");
        }
        let e = error(|a| a.portal_jwt_max_lifetime_secs = Some(10_000_000));
        assert!(e.contains("max_lifetime"), "{e}");
    }

    #[test]
    fn values_that_would_apply_only_in_part_are_refused_or_warned() {
        let e = error(|a| a.in_flight_wait_ms = Some(40_000));
        assert!(
            e.contains("in_flight_wait_ms") && e.contains("22500"),
            "{e}"
        );
        let mut a = args();
        a.client_timeout_ms = Some(40_000);
        let w = Settings::resolve(a).unwrap().warnings;
        assert!(
            w.len() == 1 && w[0].contains("40000") && w[0].contains("22500"),
            "{w:?}"
        );
        assert!(Settings::resolve(args()).unwrap().warnings.is_empty());
    }

    #[test]
    fn whitespace_around_a_portal_secret_is_removed() {
        let mut a = args();
        a.portal_jwt_hs256_secret = Some(" 0123456789abcdef0123456789abcdef\r\n".into());
        let s = Settings::resolve(a).unwrap();
        assert_eq!(
            s.portal_hs256_secret.as_deref(),
            Some(&b"0123456789abcdef0123456789abcdef"[..])
        );
        // 31 bytes and a newline: too short once trimmed.
        let e = error(|a| a.portal_jwt_hs256_secret = Some(format!("{}\n", "x".repeat(31))));
        assert!(e.contains("at least 32 bytes"), "{e}");
        // The Hubsoft password is taken as written.
        let mut a = args();
        a.hubsoft_password = Some(" pass word ".into());
        assert_eq!(
            Settings::resolve(a).unwrap().hubsoft_password,
            " pass word "
        );
    }

    #[test]
    fn the_settings_log_line_holds_no_credentials_of_urls() {
        let mut a = args();
        a.redis_url = Some("redis://:S3cretRedisPass@127.0.0.1:6379/0".into());
        let text = format!("{:?}", Settings::resolve(a).unwrap());
        assert!(
            !text.contains("S3cretRedisPass") && !text.contains("HubPass"),
            "{text}"
        );
        assert!(
            text.contains("redis://[redacted]@127.0.0.1:6379/0"),
            "{text}"
        );
        assert_eq!(
            redact_userinfo("redis://127.0.0.1/0"),
            "redis://127.0.0.1/0"
        );
        assert_eq!(
            redact_userinfo("redis+unix:///tmp/r.sock?pass=UnixPw123"),
            "redis+unix:///tmp/r.sock?[redacted]"
        );
        assert_eq!(
            redact_userinfo("https://api.example.com/a@b"),
            "https://api.example.com/a@b"
        );
    }
}
