//! The client towards Hubsoft (`docs/hubsoft-api.md` §1–§3): the password-grant token with single-flight
//! renewal, the ticket POST with one refresh-and-replay after a 401, and the open-tickets lookup
//! used by reconciliation.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

use crate::config::Settings;

/// Route of the token endpoint (`docs/hubsoft-api.md` §1).
pub const OAUTH_TOKEN_PATH: &str = "/oauth/token";
/// Route that opens a ticket (`docs/hubsoft-api.md` §2).
pub const ATENDIMENTO_PATH: &str = "/api/v1/integracao/atendimento";
/// Route of a customer's tickets (`docs/hubsoft-api.md` §3).
pub const CLIENTE_ATENDIMENTO_PATH: &str = "/api/v1/integracao/cliente/atendimento";
/// Suffix Hubsoft appends to `descricao` (`docs/hubsoft-api.md` §2).
pub const API_SUFFIX: &str = " | ATENDIMENTO ABERTO VIA API";
/// A token is never kept longer than this, whatever `expires_in` says.
pub const MAX_TOKEN_AGE: Duration = Duration::from_secs(24 * 3600);

/// An answer from Hubsoft.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Whether `Content-Type` said JSON.
    pub json: bool,
    /// Body text (lossy UTF-8).
    pub body: String,
}

/// What happened to a request sent to Hubsoft.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Hubsoft answered (any status).
    Answered(Answer),
    /// The request may have reached Hubsoft but no answer came (timeout, connection lost after
    /// sending): the ticket may exist.
    Unknown,
    /// Nothing was sent (connection refused, DNS, TLS): the ticket does not exist.
    NotSent,
    /// The token could not be obtained (Hubsoft down or the credentials refused): nothing sent.
    NoToken,
}

/// A ticket found by the open-tickets lookup (`docs/hubsoft-api.md` §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The item as JSON text (the `atendimento` object to replay).
    pub item: serde_json::Value,
    /// `protocolo`.
    pub protocolo: String,
    /// `descricao_abertura` without Hubsoft's suffix.
    pub descricao: String,
}

#[derive(Clone)]
struct Cached {
    token: String,
    until: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// The Hubsoft client. Cheap to share behind an `Arc`.
pub struct Hubsoft {
    http: reqwest::Client,
    base: String,
    credentials: serde_json::Value,
    margin: Duration,
    token: RwLock<Option<Cached>>,
    fetching: Mutex<()>,
    /// The last failed grant and why, for [`GRANT_BACKOFF`].
    failed: Mutex<Option<(Instant, String)>>,
}

/// How long after a failed password grant the next one waits.
pub const GRANT_BACKOFF: Duration = Duration::from_secs(5);

impl Hubsoft {
    /// A client for the settings' base URL and credentials, with the Hubsoft timeout.
    pub fn new(settings: &Settings) -> Result<Hubsoft, String> {
        let http = reqwest::Client::builder()
            // A redirect is an answer, never followed: a 307/308 would post the password grant
            // (or a customer's ticket) again to wherever it points, past the https-only rule of
            // `hubsoft_url`.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.hubsoft_timeout)
            .connect_timeout(settings.hubsoft_timeout.min(Duration::from_secs(5)))
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| format!("http client: {e}"))?;
        Ok(Hubsoft {
            http,
            base: settings.hubsoft_url.clone(),
            credentials: serde_json::json!({
                "grant_type": "password",
                "client_id": settings.hubsoft_client_id,
                "client_secret": settings.hubsoft_client_secret,
                "username": settings.hubsoft_username,
                "password": settings.hubsoft_password,
            }),
            margin: settings.hubsoft_token_margin,
            token: RwLock::new(None),
            fetching: Mutex::new(()),
            failed: Mutex::new(None),
        })
    }

    /// A valid token: the cached one, or a new one from the password grant. Concurrent callers
    /// share one fetch (single flight): the first takes the fetch lock, the others wait for it and
    /// then find the fresh token in the cache.
    pub async fn token(&self) -> Result<String, String> {
        if let Some(t) = self.cached().await {
            return Ok(t);
        }
        let _guard = self.fetching.lock().await;
        if let Some(t) = self.cached().await {
            return Ok(t);
        }
        // A grant refused or failed a moment ago is not asked again yet: `/readyz` probes and
        // requests would otherwise send the API user's password to Hubsoft on every call
        // (and could get that user locked out).
        if let Some((at, why)) = &*self.failed.lock().await {
            if at.elapsed() < GRANT_BACKOFF {
                return Err(why.clone());
            }
        }
        let res = self.grant().await;
        *self.failed.lock().await = res.as_ref().err().map(|e| (Instant::now(), e.clone()));
        res
    }

    /// One password grant (`docs/hubsoft-api.md` §1); the token is cached.
    async fn grant(&self) -> Result<String, String> {
        let started = Instant::now();
        let res = self
            .http
            .post(format!("{}{OAUTH_TOKEN_PATH}", self.base))
            .header("Accept", "application/json")
            .json(&self.credentials)
            .send()
            .await
            .map_err(|e| format!("token request failed: {}", transport_kind(&e)))?;
        let status = res.status().as_u16();
        let body = res
            .bytes()
            .await
            .map_err(|_| "token body lost".to_owned())?;
        metrics::counter!("gateway_hubsoft_token_refreshes_total", "status" => status.to_string())
            .increment(1);
        metrics::histogram!("gateway_hubsoft_latency_seconds", "route" => "oauth_token")
            .record(started.elapsed().as_secs_f64());
        if status != 200 {
            return Err(format!(
                "Hubsoft refused the password grant (HTTP {status})"
            ));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|_| "Hubsoft's token answer is not the documented JSON".to_owned())?;
        let life = Duration::from_secs(answer.expires_in.unwrap_or(3600))
            .saturating_sub(self.margin)
            .min(MAX_TOKEN_AGE)
            .max(Duration::from_secs(1));
        *self.token.write().await = Some(Cached {
            token: answer.access_token.clone(),
            until: Instant::now() + life,
        });
        tracing::info!(expires_in = ?answer.expires_in, "hubsoft token obtained");
        Ok(answer.access_token)
    }

    /// What a failing Hubsoft might echo that must never be logged: the client secret, the API
    /// user's password, and the access token in use (when one is cached).
    pub async fn secrets(&self) -> Vec<String> {
        let mut secrets: Vec<String> = ["client_secret", "password"]
            .iter()
            .filter_map(|k| self.credentials[*k].as_str().map(str::to_owned))
            .collect();
        if let Some(c) = self.token.read().await.as_ref() {
            secrets.push(c.token.clone());
        }
        secrets
    }

    async fn cached(&self) -> Option<String> {
        self.token
            .read()
            .await
            .as_ref()
            .filter(|c| c.until > Instant::now())
            .map(|c| c.token.clone())
    }

    /// Forgets `token` if it is still the cached one (after a 401: one renewal for all the
    /// requests that saw it fail).
    async fn forget(&self, token: &str) {
        let mut guard = self.token.write().await;
        if guard.as_ref().is_some_and(|c| c.token == token) {
            *guard = None;
        }
    }

    /// Sends one authenticated request; on 401 gets a new token once and replays once (`docs/hubsoft-api.md`
    /// §1: a 401 means Hubsoft did nothing).
    async fn send(
        &self,
        route: &'static str,
        build: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Outcome {
        for attempt in 0..2 {
            let token = match self.token().await {
                Ok(t) => t,
                Err(e) => {
                    tracing::warn!(error = %e, "no hubsoft token");
                    return Outcome::NoToken;
                }
            };
            let started = Instant::now();
            let result = build(&token)
                .header("Accept", "application/json")
                .bearer_auth(&token)
                .send()
                .await;
            let res = match result {
                Ok(r) => r,
                Err(e) => {
                    metrics::histogram!("gateway_hubsoft_latency_seconds", "route" => route)
                        .record(started.elapsed().as_secs_f64());
                    tracing::warn!(route, error = transport_kind(&e), "hubsoft request failed");
                    return if e.is_connect() {
                        Outcome::NotSent
                    } else {
                        Outcome::Unknown
                    };
                }
            };
            let status = res.status().as_u16();
            let json = res
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("json"));
            let body = match res.bytes().await {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    tracing::warn!(route, error = transport_kind(&e), "hubsoft answer lost");
                    return Outcome::Unknown;
                }
            };
            metrics::histogram!("gateway_hubsoft_latency_seconds", "route" => route)
                .record(started.elapsed().as_secs_f64());
            if status == 401 && attempt == 0 {
                tracing::info!(route, "hubsoft answered 401: renewing the token once");
                self.forget(&token).await;
                continue;
            }
            return Outcome::Answered(Answer { status, json, body });
        }
        unreachable!("the loop returns on its second pass")
    }

    /// `POST /api/v1/integracao/atendimento` with `body` (already normalised JSON text).
    pub async fn open(&self, body: &str) -> Outcome {
        let url = format!("{}{ATENDIMENTO_PATH}", self.base);
        let body = body.to_owned();
        self.send("atendimento", |_| {
            self.http
                .post(&url)
                .header("Content-Type", "application/json")
                .body(body.clone())
        })
        .await
    }

    /// The open tickets of a service (`docs/hubsoft-api.md` §3: `busca=id_cliente_servico`,
    /// `apenas_pendente=sim`, newest first, up to 50). `Err` when Hubsoft cannot be asked or
    /// its answer is not the documented success.
    pub async fn open_tickets(&self, id_cliente_servico: u64) -> Result<Vec<Found>, String> {
        let url = format!("{}{CLIENTE_ATENDIMENTO_PATH}", self.base);
        let termo = id_cliente_servico.to_string();
        let outcome = self
            .send("cliente_atendimento", |_| {
                self.http.get(&url).query(&[
                    ("busca", "id_cliente_servico"),
                    ("termo_busca", termo.as_str()),
                    ("apenas_pendente", "sim"),
                    ("limit", "50"),
                    ("order_type", "desc"),
                ])
            })
            .await;
        let Outcome::Answered(a) = outcome else {
            return Err("lookup not answered".into());
        };
        if !(200..300).contains(&a.status) {
            return Err(format!("lookup answered HTTP {}", a.status));
        }
        // A protocolo sent as a bare number of 20 digits is beyond 64 bits: read as text.
        let body = abrir_chamado_core::json::quote_unsafe_integers(&a.body);
        let v: serde_json::Value =
            serde_json::from_str(&body).map_err(|_| "lookup answer is not JSON".to_owned())?;
        let status = v.get("status").and_then(|s| s.as_str()).unwrap_or("");
        if status != "success" && status != "suscess" {
            return Err("lookup answer is not a success".into());
        }
        let items = v
            .get("atendimentos")
            .and_then(|a| a.as_array())
            .cloned()
            .unwrap_or_default();
        Ok(items
            .into_iter()
            .filter_map(|item| {
                let protocolo = match item.get("protocolo")? {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => return None,
                };
                let descricao = item
                    .get("descricao_abertura")
                    .and_then(|d| d.as_str())
                    .unwrap_or("")
                    .trim();
                let descricao = descricao
                    .strip_suffix(API_SUFFIX.trim_start())
                    .map(|d| d.trim_end().trim_end_matches('|').trim_end())
                    .unwrap_or(descricao)
                    .to_owned();
                Some(Found {
                    item,
                    protocolo,
                    descricao,
                })
            })
            .collect())
    }
}

/// A transport error's kind, without the URL or any header.
fn transport_kind(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_body() || e.is_decode() {
        "body"
    } else if e.is_request() {
        "request"
    } else {
        "other"
    }
}

/// The creation time at the start of a protocolo (`YYYYMMDDhhmmss…`, `docs/hubsoft-api.md` §3, observed), in
/// Hubsoft's local time, as Unix seconds given Hubsoft's offset from UTC in minutes.
pub fn protocolo_time(protocolo: &str, utc_offset_minutes: i32) -> Option<u64> {
    let d = protocolo.get(..14)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| d[r].parse::<i64>().ok();
    let (y, mo, day, h, mi, s) = (
        n(0..4)?,
        n(4..6)?,
        n(6..8)?,
        n(8..10)?,
        n(10..12)?,
        n(12..14)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let local = days * 86_400 + h * 3600 + mi * 60 + s;
    u64::try_from(local - i64::from(utc_offset_minutes) * 60).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocolo_times() {
        // 2018-11-06 17:30:51 in Brasília (UTC−3) is 20:30:51 UTC.
        assert_eq!(protocolo_time("201811061730517", -180), Some(1_541_536_251));
        assert_eq!(
            protocolo_time("20251204162655314152", 0),
            Some(1_764_865_615)
        );
        assert_eq!(protocolo_time("2025", 0), None);
        assert_eq!(protocolo_time("20251399000000", 0), None);
    }
}
