//! The client towards Hubsoft (`docs/hubsoft-api.md` §1–§3): the password-grant token with single-flight
//! renewal, the ticket POST with one refresh-and-replay after a 401, the tickets lookup used by
//! reconciliation, and Hubsoft's clock as the protocolos of the tickets it opens show it.

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

/// A ticket found by the tickets lookup (`docs/hubsoft-api.md` §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The item as JSON text (the `atendimento` object to replay).
    pub item: serde_json::Value,
    /// `protocolo`.
    pub protocolo: String,
    /// `descricao_abertura` without Hubsoft's suffix.
    pub descricao: String,
    /// The protocolo's creation time on Hubsoft's clock ([`protocolo_local_time`]).
    pub local_time: Option<i64>,
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
    /// Hubsoft's clock as its protocolos show it.
    clock: ClockWatch,
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
            clock: ClockWatch::new(settings.hubsoft_utc_offset_minutes),
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

    /// One page of a service's tickets, open and closed (`docs/hubsoft-api.md` §3:
    /// `busca=id_cliente_servico`, `apenas_pendente=nao`, `limit` [`LOOKUP_LIMIT`], created on or
    /// from `data_inicio` to `data_fim` (`YYYY-MM-DD`, Hubsoft's local dates, inclusive), in
    /// `order`). `Err` when Hubsoft
    /// cannot be asked or its answer is not the documented success.
    async fn page(
        &self,
        id_cliente_servico: u64,
        (data_inicio, data_fim): (&str, &str),
        order: Order,
    ) -> Result<Vec<Found>, String> {
        let url = format!("{}{CLIENTE_ATENDIMENTO_PATH}", self.base);
        let termo = id_cliente_servico.to_string();
        let limit = LOOKUP_LIMIT.to_string();
        let order_type = match order {
            Order::NewestFirst => "desc",
            Order::OldestFirst => "asc",
        };
        let outcome = self
            .send("cliente_atendimento", |_| {
                self.http.get(&url).query(&[
                    ("busca", "id_cliente_servico"),
                    ("termo_busca", termo.as_str()),
                    ("apenas_pendente", "nao"),
                    ("data_inicio", data_inicio),
                    ("data_fim", data_fim),
                    ("limit", limit.as_str()),
                    ("order_type", order_type),
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
        let count = items.len();
        let found: Vec<Found> = items
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
                    local_time: protocolo_local_time(&protocolo),
                    item,
                    protocolo,
                    descricao,
                })
            })
            .collect();
        if found.len() != count {
            // An item without a protocolo cannot be placed in time: the page proves nothing.
            return Err("lookup listed an item without a protocolo".into());
        }
        Ok(found)
    }

    /// The tickets of a service that Hubsoft may have created from `from` to `to` (seconds of
    /// Hubsoft's local clock, as [`protocolo_local_time`] reads them), open or closed, and whether
    /// the lookup positively saw all of them ([`Lookup::covered`]).
    ///
    /// The listing has no page offset (`docs/hubsoft-api.md` §3), so: the newest
    /// [`LOOKUP_LIMIT`] created from the day before `from` to the day after `to`; when that page
    /// is full and does not reach back before `from`, the oldest [`LOOKUP_LIMIT`] of those days
    /// too. Between them
    /// they cover the window when one is not full, or the newest page reaches back before
    /// `from`, or the oldest page reaches past `to`, or the two pages meet ([`covers`]).
    /// `Err` when a page cannot be had.
    pub async fn tickets_between(
        &self,
        id_cliente_servico: u64,
        from: i64,
        to: i64,
    ) -> Result<Lookup, String> {
        // A day more on each side, so that a ticket created around midnight is listed whatever
        // the rounding of the window's edges.
        let (data_inicio, data_fim) = (local_date(from - 86_400), local_date(to + 86_400));
        let dates = (data_inicio.as_str(), data_fim.as_str());
        let newest = self
            .page(id_cliente_servico, dates, Order::NewestFirst)
            .await?;
        let times = |p: &[Found]| p.iter().map(|f| f.local_time).collect::<Vec<_>>();
        if covers(&times(&newest), None, from, to) {
            return Ok(Lookup {
                found: newest,
                covered: true,
            });
        }
        let oldest = self
            .page(id_cliente_servico, dates, Order::OldestFirst)
            .await?;
        let covered = covers(&times(&newest), Some(&times(&oldest)), from, to);
        let mut found = newest;
        for f in oldest {
            if !found.iter().any(|g| g.protocolo == f.protocolo) {
                found.push(f);
            }
        }
        Ok(Lookup { found, covered })
    }

    /// Takes note of Hubsoft's clock from a ticket it has just opened: `protocolo`'s time
    /// (Hubsoft's local clock) against the gateway's UTC clock halfway between `sent_ms` and
    /// `answered_ms` (Unix milliseconds). See [`ClockWatch`].
    pub fn observe_clock(&self, protocolo: &str, sent_ms: u64, answered_ms: u64) {
        self.clock.observe(protocolo, sent_ms, answered_ms);
    }

    /// Hubsoft's offset from UTC in minutes as observed on the tickets it opened (the median of
    /// the latest [`CLOCK_OBSERVATIONS`]), when it has opened one since the gateway started.
    pub fn observed_offset(&self) -> Option<i32> {
        self.clock.offset()
    }
}

/// Most items one page of the ticket lookup holds (`limit`, `docs/hubsoft-api.md` §3: 1 to 50).
pub const LOOKUP_LIMIT: usize = 50;

/// The order of a lookup page (`order_type`, `docs/hubsoft-api.md` §3), by creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `desc`.
    NewestFirst,
    /// `asc`.
    OldestFirst,
}

/// What [`Hubsoft::tickets_between`] saw.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// The tickets listed, each once (possibly outside the window too).
    pub found: Vec<Found>,
    /// Whether `found` positively holds every ticket created in the window: when `false`, a
    /// ticket of the window may exist that the lookup did not list.
    pub covered: bool,
}

/// Whether lookup pages hold every ticket created from `from` to `to` (Hubsoft's local seconds),
/// given the protocolo times of the newest-first page (`newest`) and, when one was asked, of the
/// oldest-first page (`oldest`), both from the same `data_inicio`, which is before `from`.
///
/// A page with fewer than [`LOOKUP_LIMIT`] items is every ticket since `data_inicio`. A full
/// page says something only when its items are in its order by protocolo time (an item whose
/// time cannot be read says nothing): the tickets the newest page left out are not newer than its
/// last, so when that is before `from` none of them is in the window; those the oldest page
/// left out are not older than its last, so when that is after `to` none is in the window, and
/// when it is after the newest page's last, every ticket is in one page or the other.
pub fn covers(newest: &[Option<i64>], oldest: Option<&[Option<i64>]>, from: i64, to: i64) -> bool {
    if newest.len() < LOOKUP_LIMIT {
        return true;
    }
    // The last item's time, when every item's time is known and in order.
    let edge = |page: &[Option<i64>], newest_first: bool| -> Option<i64> {
        let times: Option<Vec<i64>> = page.iter().copied().collect();
        let times = times?;
        let ordered = times.windows(2).all(|w| {
            if newest_first {
                w[0] >= w[1]
            } else {
                w[0] <= w[1]
            }
        });
        if ordered {
            times.last().copied()
        } else {
            None
        }
    };
    let newest_edge = edge(newest, true);
    if newest_edge.is_some_and(|t| t < from) {
        return true;
    }
    let Some(oldest) = oldest else {
        return false;
    };
    if oldest.len() < LOOKUP_LIMIT {
        return true;
    }
    let Some(oldest_edge) = edge(oldest, false) else {
        return false;
    };
    oldest_edge > to || newest_edge.is_some_and(|n| oldest_edge > n)
}

/// `YYYY-MM-DD` of `local` (seconds of Hubsoft's local clock since 1970-01-01 00:00 of that
/// clock), the form of the lookup's `data_inicio` (`docs/hubsoft-api.md` §3).
pub fn local_date(local: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(local)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Observations of Hubsoft's clock kept for [`ClockWatch`]'s median.
pub const CLOCK_OBSERVATIONS: usize = 9;
/// An observed offset further than this from `hubsoft_utc_offset_minutes` is logged at WARN.
pub const OFFSET_WARN_MINUTES: i32 = 2;

/// Hubsoft's clock as the tickets it opens show it: each protocolo starts with its creation time
/// on Hubsoft's local clock (`docs/hubsoft-api.md` §3, observed), and the gateway knows the UTC
/// time of the request that opened it, so their difference, rounded to the minute, is Hubsoft's
/// offset from UTC (its time zone and any error of its clock). The median of the latest
/// [`CLOCK_OBSERVATIONS`] is kept in memory, and logged at WARN, naming both values, when it
/// differs from the configured `hubsoft_utc_offset_minutes` by more than
/// [`OFFSET_WARN_MINUTES`] (once, and again when it changes).
pub struct ClockWatch {
    configured: i32,
    state: std::sync::Mutex<ClockState>,
}

#[derive(Default)]
struct ClockState {
    recent: std::collections::VecDeque<i32>,
    warned: Option<i32>,
}

impl ClockWatch {
    /// A watch with nothing observed, for the configured offset (minutes from UTC).
    pub fn new(configured: i32) -> ClockWatch {
        ClockWatch {
            configured,
            state: std::sync::Mutex::new(ClockState::default()),
        }
    }

    /// One ticket opened: `protocolo` against the middle of `sent_ms` and `answered_ms` (Unix
    /// milliseconds, UTC). A protocolo without a readable time, or an offset beyond a day, is
    /// ignored.
    pub fn observe(&self, protocolo: &str, sent_ms: u64, answered_ms: u64) {
        let Some(local) = protocolo_local_time(protocolo) else {
            return;
        };
        let utc_ms = i64::try_from(sent_ms / 2 + answered_ms / 2).unwrap_or(i64::MAX);
        let minutes = ((local * 1000 - utc_ms) as f64 / 60_000.0).round();
        if !(-1440.0..=1440.0).contains(&minutes) {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.recent.push_back(minutes as i32);
        if state.recent.len() > CLOCK_OBSERVATIONS {
            state.recent.pop_front();
        }
        let Some(observed) = median(&state.recent) else {
            return;
        };
        if (observed - self.configured).abs() > OFFSET_WARN_MINUTES {
            if state.warned != Some(observed) {
                state.warned = Some(observed);
                tracing::warn!(
                    configured_minutes = self.configured,
                    observed_minutes = observed,
                    "Hubsoft's clock is not at hubsoft_utc_offset_minutes: its protocolos say UTC{observed:+} minutes, the setting says UTC{:+} minutes; the reconciliation uses the observed offset, but set hubsoft_utc_offset_minutes (and Hubsoft's clock) right",
                    self.configured
                );
            }
        } else if state.warned.take().is_some() {
            tracing::info!(
                configured_minutes = self.configured,
                observed_minutes = observed,
                "Hubsoft's clock agrees with hubsoft_utc_offset_minutes again"
            );
        }
    }

    /// The median of the latest observations, when there is one.
    pub fn offset(&self) -> Option<i32> {
        median(&self.state.lock().unwrap_or_else(|e| e.into_inner()).recent)
    }
}

fn median(values: &std::collections::VecDeque<i32>) -> Option<i32> {
    let mut sorted: Vec<i32> = values.iter().copied().collect();
    sorted.sort_unstable();
    sorted.get(sorted.len().checked_sub(1)? / 2).copied()
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

/// The creation time at the start of a protocolo (`YYYYMMDDhhmmss…`, `docs/hubsoft-api.md` §3,
/// observed) as seconds of Hubsoft's local clock since 1970-01-01 00:00 of that clock (Unix
/// seconds as if that clock were UTC). `None` when the first 14 characters are no such time.
pub fn protocolo_local_time(protocolo: &str) -> Option<i64> {
    let d = protocolo.get(..14)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| d[r].parse::<u16>().ok();
    let month = time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::from(n(0..4)?), month, n(6..8)? as u8).ok()?;
    let at = date
        .with_hms(n(8..10)? as u8, n(10..12)? as u8, n(12..14)? as u8)
        .ok()?;
    Some(at.assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocolo_times() {
        // 2018-11-06 17:30:51 in Brasília (UTC−3) is 20:30:51 UTC.
        assert_eq!(
            protocolo_local_time("201811061730517").map(|local| local + 180 * 60),
            Some(1_541_536_251)
        );
        assert_eq!(
            protocolo_local_time("20251204162655314152"),
            Some(1_764_865_615)
        );
        assert_eq!(protocolo_local_time("2025"), None);
        assert_eq!(protocolo_local_time("20251399000000"), None);
        assert_eq!(protocolo_local_time("20250230000000"), None);
    }

    #[test]
    fn local_dates() {
        assert_eq!(local_date(1_764_865_615), "2025-12-04");
        assert_eq!(local_date(1_764_806_400 - 1), "2025-12-03");
        assert_eq!(local_date(0), "1970-01-01");
    }

    /// `n` times from `start`, one second apart, in the page's order.
    fn page(start: i64, n: usize, newest_first: bool) -> Vec<Option<i64>> {
        let mut v: Vec<Option<i64>> = (0..n as i64).map(|i| Some(start + i)).collect();
        if newest_first {
            v.reverse();
        }
        v
    }

    #[test]
    fn what_the_lookup_pages_cover() {
        let (from, to) = (1000, 2000);
        // A page that is not full is every ticket since data_inicio.
        assert!(covers(&page(1500, 49, true), None, from, to));
        // A full newest page that reaches back before the window.
        assert!(covers(&page(990, 50, true), None, from, to));
        // …that does not: the oldest page is needed.
        assert!(!covers(&page(1000, 50, true), None, from, to));
        // The oldest page is not full: everything.
        let newest = page(1400, 50, true);
        assert!(covers(&newest, Some(&page(900, 49, false)), from, to));
        // The two full pages meet: everything.
        assert!(covers(&newest, Some(&page(1360, 50, false)), from, to));
        // They do not meet (a gap of tickets between them), or only at one second that others
        // may share.
        assert!(!covers(&newest, Some(&page(1000, 50, false)), from, to));
        assert!(!covers(&newest, Some(&page(1351, 50, false)), from, to));
        // The oldest page reaches past the window.
        assert!(covers(
            &page(3000, 50, true),
            Some(&page(1960, 50, false)),
            from,
            to
        ));
        // A page out of its order, or with a time that cannot be read, proves nothing.
        let mut shuffled = page(900, 50, true);
        shuffled.swap(0, 49);
        assert!(!covers(&shuffled, None, from, to));
        let mut unreadable = page(900, 50, true);
        unreadable[3] = None;
        assert!(!covers(&unreadable, None, from, to));
        assert!(!covers(&newest, Some(&unreadable), from, to));
    }

    #[test]
    fn the_clock_is_the_median_of_the_latest_observations() {
        let watch = ClockWatch::new(-180);
        assert_eq!(watch.offset(), None);
        // Opened at 2025-12-04 16:26:55 on Hubsoft's clock, answered around 20:26:50 UTC: UTC−4.
        let utc_ms = (1_764_865_615 + 4 * 3600 - 5) * 1000;
        watch.observe("20251204162655314152", utc_ms - 200, utc_ms + 200);
        assert_eq!(watch.offset(), Some(-240));
        // One slow answer does not move the median.
        watch.observe("20251204162655314153", utc_ms, utc_ms + 600_000);
        watch.observe("20251204162655314154", utc_ms, utc_ms);
        assert_eq!(watch.offset(), Some(-240));
        // Nonsense is ignored.
        watch.observe("abc", utc_ms, utc_ms);
        watch.observe("20251204162655", 0, 0);
        assert_eq!(watch.offset(), Some(-240));
    }
}
