//! `POST /api/v1/integracao/atendimento`: the one route that opens tickets.
//!
//! In order: the portal token (401 with `WWW-Authenticate: Bearer` (RFC 6750 §3), and a
//! per-client-IP limit on tokens whose structure or signature fails → 429), the body checked
//! and normalised by `abrir_chamado_core::inbound` (422 with Hubsoft-style sentences),
//! the service scope (403, nothing sent), the ISP's policy on ticket types, service orders and
//! `parametros` ([`refused_by_policy`]: 422, nothing sent), then, with an `Idempotency-Key` (IETF
//! httpapi draft "The Idempotency-Key HTTP Header Field"), exactly one ticket per key:
//!
//! * a repeat of a finished request gets the first answer again (and opens nothing);
//! * the same key with another body → 422; a repeat while the first is running waits (bounded
//!   by the in-flight wait) and then gets its answer, or 409;
//! * when Hubsoft may have opened the ticket without saying so (timeout, connection lost, a
//!   500/502/504, an unreadable 2xx), the gateway does not resend blindly: it lists the
//!   service's tickets, open and closed, since the day before the send (`docs/hubsoft-api.md` §3,
//!   [`crate::hubsoft::Hubsoft::tickets_between`]) and looks for the same description created
//!   after the first send (the protocolo's leading `YYYYMMDDhhmmss`, at Hubsoft's offset from
//!   UTC as observed on the tickets it opens, else the configured one). Found → the original
//!   success answer. Not found while the first send is younger than `reconcile_settle_secs` →
//!   504 with `Retry-After` and nothing sent (a busy Hubsoft may still save it); not found after
//!   that → one more send under the same record (logged at WARN, counted in
//!   `gateway_second_sends_total`), but only when the lookup listed every ticket the first send
//!   could have opened and no ticket matches at another plausible offset.
//!   Otherwise, or when the lookup is impossible → 504 "could not confirm", and the key stays
//!   reserved so the next repeat reconciles again;
//! * records live 24 h (configurable) in the store, so a restart loses nothing.
//!
//! New tickets count against the per-customer rate limit (429 with `Retry-After`): the request
//! that creates a record counts, repeats of its key do not, and a request that opened nothing
//! (Hubsoft unavailable, or refusing the body) gives its count back.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use abrir_chamado_core::error::SubmitError;
use abrir_chamado_core::inbound;
use abrir_chamado_core::json::Json;
use abrir_chamado_core::request::NovoAtendimento;
use abrir_chamado_core::response;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_client_ip::{ClientIp, ClientIpSource};
use sha2::{Digest, Sha256};

use crate::auth::{now_secs, AuthError, Claims};
use crate::config::Settings;
use crate::errors::{self, ApiError};
use crate::hubsoft::{Found, Outcome, LOOKUP_LIMIT};
use crate::observe::{mask_phone, redact_internals};
use crate::store::{window_index, Record, RecordState, Store, StoreError, Versioned};
use crate::Shared;

/// Longest accepted `Idempotency-Key`, in bytes.
pub const MAX_KEY_LEN: usize = 255;
/// Clock tolerance of the reconciliation window, in seconds: a ticket whose protocolo time is
/// from this long before the first send up to this long after now matches.
pub const RECONCILE_SKEW_SECS: u64 = 120;

fn count(outcome: &'static str) {
    metrics::counter!("gateway_requests_total", "outcome" => outcome).increment(1);
}

/// The handler. The portal token is checked from the headers before any of the body is read, so
/// a request without a valid token never waits for its body; the body then has `client_timeout`
/// to arrive whole ([`read_body`]).
pub async fn atendimento(
    State(st): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    client_ip: Result<ClientIp, axum_client_ip::Rejection>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let claims = match authenticate(&st, &headers) {
        Ok(c) => c,
        Err(reason) => {
            tracing::info!(reason = reason.reason(), "portal token refused");
            let answer = if matches!(reason, AuthError::Invalid(_)) {
                let ip = client_ip.map(|ClientIp(ip)| ip).unwrap_or_else(|_| {
                    // The proxy's header is missing or unreadable: the request did not come
                    // through the configured proxy (or the proxy is misconfigured). The
                    // rejection's text quotes the header's value, which the client wrote: only
                    // the header's name is logged.
                    let source = &st.settings.client_ip_source;
                    let header = source_header(source);
                    let present = header.is_some_and(|h| headers.contains_key(h));
                    tracing::warn!(%source, header = header.unwrap_or("-"), present, "client IP not in the configured source; counting the TCP peer");
                    peer.ip()
                });
                auth_failure(&st, ip).await
            } else {
                // No token, or one the portal signed (expired, say): nothing to guess here, so
                // it neither counts toward the per-IP limit nor waits for it. Customers behind
                // one CGNAT address keep getting the 401 on which the widget renews its token.
                count("unauthorized");
                ApiError::unauthorized()
            };
            let mut res = answer.into_response();
            if res.status() == StatusCode::UNAUTHORIZED {
                // RFC 6750 §3: the scheme, and `invalid_token` when a token was sent.
                let challenge = match reason {
                    AuthError::Missing => "Bearer",
                    _ => r#"Bearer error="invalid_token""#,
                };
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(challenge),
                );
            }
            return res;
        }
    };

    let body = match read_body(&st, request).await {
        Ok(body) => body,
        Err(res) => return res,
    };
    let parsed = match serde_json::from_slice::<Json>(&body) {
        Ok(json @ Json::Object(_)) => json,
        _ => {
            count("invalid");
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "O pedido não é um objeto JSON válido (UTF-8).",
            )
            .into_response();
        }
    };
    let novo = match inbound::parse(&parsed) {
        Ok(n) => n,
        Err(issues) => {
            count("invalid");
            let fields: Vec<&str> = issues.iter().map(|i| i.key).collect();
            tracing::info!(sub = %claims.sub, ?fields, "ticket body refused");
            return ApiError {
                errors: inbound::sentences_pt(&issues),
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, inbound::MSG_INVALID)
            }
            .into_response();
        }
    };

    if !claims.servicos.contains(&novo.id_cliente_servico) {
        count("forbidden");
        tracing::warn!(sub = %claims.sub, servico = novo.id_cliente_servico, "service outside the token's servicos");
        return ApiError::forbidden().into_response();
    }

    if let Some(sentence) = refused_by_policy(&st.settings, &novo) {
        count("invalid");
        tracing::info!(sub = %claims.sub, sentence, "ticket refused by the gateway's policy");
        // The reason once, as `msg` (the widget's headline), without repeating it in `errors`.
        return ApiError {
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, sentence)
        }
        .into_response();
    }

    tracing::info!(
        sub = %claims.sub,
        servico = novo.id_cliente_servico,
        telefone = %mask_phone(&novo.telefone),
        "ticket requested"
    );

    let key = match idempotency_key(&headers) {
        Ok(k) => k,
        Err(e) => {
            count("invalid");
            return e.into_response();
        }
    };
    let response = match key {
        None => without_key(&st, &claims, &novo).await,
        Some(k) => with_key(&st, &claims, &novo, &k).await,
    };
    response.into_response()
}

/// Reads the whole body within `client_timeout` (at most half of `request_timeout`). Errors,
/// as the answer to send: 413 past `max_body_bytes` (the body limit's own answer, made JSON by
/// `json_errors`), 400 when the connection fails mid-body, and 408 with
/// [`errors::MSG_INCOMPLETE`] and `Connection: close` (RFC 9110 §15.5.9) when the body does not
/// arrive in time. Nothing has been sent to Hubsoft in any of these cases.
async fn read_body(st: &Shared, request: Request) -> Result<Bytes, Response> {
    // Within half the whole request's time limit too, so that the 408 (nothing sent) always
    // comes before the request's 504 (which says the ticket may be open).
    let limit = st
        .settings
        .client_timeout
        .min(st.settings.request_timeout / 2);
    match tokio::time::timeout(limit, Bytes::from_request(request, st)).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(rejection)) => {
            count("invalid");
            Err(rejection.into_response())
        }
        Err(_) => {
            count("incomplete");
            tracing::info!("request body not received in time; nothing sent");
            let mut res =
                ApiError::new(StatusCode::REQUEST_TIMEOUT, errors::MSG_INCOMPLETE).into_response();
            res.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            Err(res)
        }
    }
}

/// What the ISP lets its customers ask for beyond a plain ticket (the body comes from the
/// browser, so the customer controls it): a ticket type outside `allowed_tipos`,
/// `"abrir_os": true` without `allow_abrir_os`, or `parametros` without `allow_parametros`
/// gives the sentence of the 422; `None` when the ticket is within the policy.
pub fn refused_by_policy(settings: &Settings, novo: &NovoAtendimento) -> Option<&'static str> {
    if novo
        .id_tipo_atendimento
        .is_some_and(|t| !settings.allowed_tipos.contains(&t))
    {
        return Some("O tipo de atendimento escolhido não é aceito por este portal.");
    }
    if novo.abrir_os == Some(true) && !settings.allow_abrir_os {
        return Some("Este portal não abre ordens de serviço junto com o chamado.");
    }
    if novo.parametros.is_some() && !settings.allow_parametros {
        return Some("Este portal não aceita parâmetros extras no chamado.");
    }
    None
}

fn authenticate(st: &Shared, headers: &HeaderMap) -> Result<Claims, AuthError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(AuthError::Missing)?;
    let (scheme, token) = value.trim().split_once(' ').ok_or(AuthError::Missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::Missing);
    }
    st.verifier.verify(token.trim())
}

/// The request header a `client_ip_source` reads the client IP from (lower case, as HTTP/2 and
/// `http::HeaderName` write it); `None` for `ConnectInfo`, the TCP peer.
pub fn source_header(source: &ClientIpSource) -> Option<&'static str> {
    match source {
        ClientIpSource::CfConnectingIp => Some("cf-connecting-ip"),
        ClientIpSource::CloudFrontViewerAddress => Some("cloudfront-viewer-address"),
        ClientIpSource::FlyClientIp => Some("fly-client-ip"),
        ClientIpSource::RightmostForwarded => Some("forwarded"),
        ClientIpSource::RightmostXForwardedFor => Some("x-forwarded-for"),
        ClientIpSource::TrueClientIp => Some("true-client-ip"),
        ClientIpSource::XEnvoyExternalAddress => Some("x-envoy-external-address"),
        ClientIpSource::XRealIp => Some("x-real-ip"),
        _ => None,
    }
}

/// Counts a token whose structure or signature failed ([`AuthError::Invalid`]) for the client
/// (from the configured `client_ip_source`: the TCP peer, or the reverse proxy's header, grouped
/// by [`client_group`]): 401, or 429 past the per-minute limit.
async fn auth_failure(st: &Shared, ip: IpAddr) -> ApiError {
    let (idx, retry) = window_index(Duration::from_secs(60));
    let bucket = format!("authfail:{}:{idx}", client_group(ip));
    match st.store.hit(&bucket, Duration::from_secs(60)).await {
        Ok(n) if n > st.settings.auth_failures_per_minute => {
            count("rate_limited");
            metrics::counter!("gateway_rate_limited_total", "kind" => "auth_failures").increment(1);
            ApiError::too_many(
                retry,
                "Muitas tentativas com uma sessão inválida. Aguarde um pouco e tente de novo.",
            )
        }
        _ => {
            count("unauthorized");
            ApiError::unauthorized()
        }
    }
}

/// The address a per-client limit counts: an IPv4 address as is (an IPv4-mapped IPv6 address,
/// `::ffff:a.b.c.d`, as its IPv4 address), an IPv6 address by its /56 prefix, written with the
/// rest zeroed (`2001:db8:1:200::`). A subscriber line gets a /64 or, by prefix delegation, a
/// /56 (RFC 6177 §2 recommends /48 to /56 for an end site; /56 is the common delegation of
/// Brazilian ISPs) and picks any address in it, so counting single addresses, or /64s, would let
/// one client spread its attempts over many counters. Only tokens that fail their signature
/// count, so neighbours sharing a /56 lose nothing when their token has merely expired.
pub fn client_group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 72) - 1),
            )),
        },
    }
}

/// The `Idempotency-Key` header: absent → `None`; present once → 1 to [`MAX_KEY_LEN`] visible
/// ASCII characters (surrounding quotes of the draft's sf-string are removed), else 400. Two or
/// more such headers are 400 too: the request names no single intent.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let bad = || {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "O cabeçalho Idempotency-Key é inválido.",
        )
    };
    let mut all = headers.get_all("idempotency-key").iter();
    let Some(v) = all.next() else {
        return Ok(None);
    };
    if all.next().is_some() {
        return Err(bad());
    }
    let s = v.to_str().map_err(|_| bad())?.trim();
    // The draft defines the value as a structured-field string: `"…"`.
    let s = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s);
    if s.is_empty() || s.len() > MAX_KEY_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(s.to_owned()))
}

/// Counts a new ticket of `sub` in the hourly window, returning the counter's name (for
/// [`refund`]): `Err(429)` past the limit, or past [`ATTEMPTS_PER_TICKET`] times it in sends
/// of any outcome.
async fn rate_limit(st: &Shared, sub: &str) -> Result<String, ApiError> {
    let window = Duration::from_secs(3600);
    let (idx, retry) = window_index(window);
    // Counts one in `bucket`: `Err(429)` (with the `kind` label and `msg`) past `limit`.
    let hit = |bucket: String, limit: u64, kind: &'static str, msg: &'static str| async move {
        match st.store.hit(&bucket, window).await {
            Ok(n) if n > limit => {
                count("rate_limited");
                metrics::counter!("gateway_rate_limited_total", "kind" => kind).increment(1);
                Err(ApiError::too_many(retry, msg))
            }
            Ok(_) => Ok(bucket),
            Err(e) => Err(store_down(&e.0)),
        }
    };
    let per_hour = st.settings.rate_limit_per_hour;
    // Every send counts here, and is never given back: refused or failed sends reach Hubsoft
    // too, so a customer's attempts are bounded even when none opens a ticket.
    hit(
        format!("attempts:{sub}:{idx}"),
        per_hour.saturating_mul(ATTEMPTS_PER_TICKET),
        "attempts",
        "Muitas tentativas de abrir chamado nesta hora. Tente de novo mais tarde.",
    )
    .await?;
    hit(
        format!("tickets:{sub}:{idx}"),
        per_hour,
        "tickets",
        "Você já abriu muitos chamados nesta hora. Tente de novo mais tarde.",
    )
    .await
}

/// Sends to Hubsoft a customer may make per ticket of `rate_limit_per_hour`, in the same hour,
/// those that opened nothing included (refused bodies, Hubsoft unavailable): 6, so with the
/// default of 5 tickets an hour, 30 attempts.
pub const ATTEMPTS_PER_TICKET: u64 = 6;

/// Takes back the count of [`rate_limit`] in `bucket` for a request that opened nothing
/// (Hubsoft unavailable or refusing the body): only tickets use up the customer's limit.
async fn refund(st: &Shared, bucket: &str) {
    if let Err(e) = st.store.unhit(bucket).await {
        tracing::warn!(error = %e, "could not take back a rate-limit count");
    }
}

fn store_down(e: &str) -> ApiError {
    tracing::error!(error = e, "store unavailable");
    count("unavailable");
    ApiError {
        retry_after: Some(5),
        ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, errors::MSG_UNAVAILABLE)
    }
}

/// How a send (with its reconciliation) ended.
enum Settled {
    /// A definitive answer to store and return (`status`, JSON body): a success, or Hubsoft's
    /// refusal of the body (422).
    Final(u16, String),
    /// Hubsoft certainly opened nothing (refused before working, unreachable, no token).
    NotCreated(ApiError),
    /// The ticket may exist, and the lookup found no match.
    NotFound,
    /// The ticket may exist, and the lookup could not be done.
    Unconfirmed,
}

impl Settled {
    /// Whether the ticket certainly does not exist: Hubsoft refused the body, or nothing was
    /// sent. Such a request gives its rate-limit count back ([`refund`]).
    fn opened_nothing(&self) -> bool {
        match self {
            Settled::Final(status, _) => *status != 200,
            Settled::NotCreated(_) => true,
            Settled::NotFound | Settled::Unconfirmed => false,
        }
    }
}

/// One POST to Hubsoft and, when its fate is unknown, one reconciliation. `owner` is the
/// request's intent (the record's store key, or a random id without a key): the ticket opened
/// is claimed for it ([`claim`]).
async fn send_and_settle(
    st: &Shared,
    novo: &NovoAtendimento,
    sent_at: u64,
    owner: &str,
) -> Settled {
    let sent_ms = now_ms();
    let outcome = st.hubsoft.open(&novo.to_json()).await;
    let answered_ms = now_ms();
    let answer = match outcome {
        Outcome::Answered(a) => a,
        Outcome::Unknown => return reconcile(st, novo, sent_at, owner).await,
        Outcome::NotSent | Outcome::NoToken => {
            return Settled::NotCreated(ApiError::new(
                StatusCode::BAD_GATEWAY,
                errors::MSG_UNAVAILABLE,
            ))
        }
    };
    match response::classify(answer.status, &answer.body) {
        Ok(success) => {
            st.hubsoft
                .observe_clock(&success.atendimento.protocolo, sent_ms, answered_ms);
            // Claimed at once, so that another intent's reconciliation does not take it for its
            // own. That reconciliation may have come first, while Hubsoft was answering (the
            // two intents then share the ticket): said in the log, as a store failure is.
            match claim(st, &success.atendimento.protocolo, owner).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(
                    "the ticket just opened was claimed first by another intent's reconciliation"
                ),
                Err(e) => tracing::warn!(error = %e, "could not claim the ticket just opened"),
            }
            Settled::Final(200, answer.body)
        }
        Err(e) => {
            if !(200..300).contains(&answer.status) || !answer.json {
                let secrets = st.hubsoft.secrets().await;
                let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
                tracing::warn!(
                    status = answer.status,
                    body = %redact_internals(
                        &answer.body,
                        &[&novo.descricao, &novo.nome, &novo.telefone, novo.email.as_deref().unwrap_or("")],
                        &secrets,
                    ),
                    "hubsoft failure"
                );
            }
            match e {
                SubmitError::Rejected { msg, errors, .. }
                | SubmitError::Unprocessable { msg, errors, .. } => {
                    // Without a sentence of Hubsoft's: the generic one about fields when
                    // fields are named, otherwise one that claims no reason.
                    let msg = msg.unwrap_or_else(|| {
                        if errors.is_empty() {
                            crate::errors::MSG_REFUSED
                        } else {
                            inbound::MSG_INVALID
                        }
                        .to_owned()
                    });
                    Settled::Final(
                        422,
                        ApiError {
                            errors,
                            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, &msg)
                        }
                        .body(),
                    )
                }
                e if e.may_have_been_created() => reconcile(st, novo, sent_at, owner).await,
                SubmitError::Unauthorized | SubmitError::Forbidden => {
                    tracing::error!(
                        status = answer.status,
                        "hubsoft refused the gateway's API user (credentials or permission)"
                    );
                    Settled::NotCreated(ApiError::new(
                        StatusCode::BAD_GATEWAY,
                        "O gateway não tem permissão para abrir chamados no Hubsoft. Avise o provedor.",
                    ))
                }
                SubmitError::RateLimited { .. } => Settled::NotCreated(ApiError {
                    retry_after: Some(60),
                    ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, errors::MSG_UNAVAILABLE)
                }),
                _ => Settled::NotCreated(ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    errors::MSG_UNAVAILABLE,
                )),
            }
        }
    }
}

/// The store key of the claim on the ticket `protocolo` ([`claim`]).
fn claim_key(protocolo: &str) -> String {
    format!("claim:{protocolo}")
}

/// Claims the ticket `protocolo` for the intent `owner` for the idempotency TTL: `true` when it
/// is now, or already was, that intent's; `false` when another intent's request opened it or
/// found it first. Two customers' intents with the same description (or one customer's two) then
/// never share a ticket through reconciliation. Errors: the store failed.
async fn claim(st: &Shared, protocolo: &str, owner: &str) -> Result<bool, StoreError> {
    let key = claim_key(protocolo);
    let record = Record {
        fingerprint: String::new(),
        state: RecordState::Done,
        owner: owner.to_owned(),
        lease_until_ms: 0,
        sent_at: 0,
        sends: 0,
        status: 0,
        body: String::new(),
    };
    if st
        .store
        .insert_new(&key, &record, st.settings.idempotency_ttl)
        .await?
    {
        return Ok(true);
    }
    Ok(st
        .store
        .get(&key)
        .await?
        .is_some_and(|held| held.record.owner == owner))
}

/// Offsets from UTC of Brazil's time zones, in minutes: UTC−5 (Acre) to UTC−2 (Fernando de
/// Noronha). Before Hubsoft's clock has been observed ([`Hubsoft::observed_offset`]), a ticket
/// that would match under any offset of this range (widened to include the configured one, and by
/// [`OFFSET_DOUBT_MARGIN_MINUTES`]) but not under the configured one keeps the outcome unknown.
///
/// [`Hubsoft::observed_offset`]: crate::hubsoft::Hubsoft::observed_offset
pub const BRAZIL_UTC_OFFSETS_MINUTES: (i32, i32) = (-300, -120);
/// Margin around [`BRAZIL_UTC_OFFSETS_MINUTES`] for a Hubsoft clock that is off, in minutes.
pub const OFFSET_DOUBT_MARGIN_MINUTES: i32 = 30;

/// Looks for the ticket among the service's tickets, open or closed: same description,
/// protocolo time from `sent_at − skew` to `now + skew` on Hubsoft's clock (at the offset
/// observed on the tickets it opened, else the configured one), and not claimed by another intent
/// ([`claim`]: the first such ticket is claimed for `owner`).
///
/// Not found is [`Settled::NotFound`] (which may lead to one more send) only when the lookup
/// positively listed every ticket that the window may hold ([`crate::hubsoft::Lookup::covered`])
/// and, while Hubsoft's clock has not been observed, no unclaimed ticket with the same
/// description lies in that window under another plausible offset
/// ([`BRAZIL_UTC_OFFSETS_MINUTES`]); otherwise the outcome stays unknown
/// ([`Settled::Unconfirmed`]), logged at WARN.
async fn reconcile(st: &Shared, novo: &NovoAtendimento, sent_at: u64, owner: &str) -> Settled {
    let started = Instant::now();
    let configured = st.settings.hubsoft_utc_offset_minutes;
    let observed = st.hubsoft.observed_offset();
    let offset = observed.unwrap_or(configured);
    let skew = RECONCILE_SKEW_SECS as i64;
    let (from, to) = (sent_at as i64 - skew, now_secs() as i64 + skew);
    let local = |utc: i64, minutes: i32| utc + i64::from(minutes) * 60;
    // Where the first send's ticket may be on Hubsoft's clock: at the observed offset, or, before
    // any observation, at any offset Hubsoft plausibly has.
    let (low, high) = match observed {
        Some(o) => (o, o),
        None => (
            BRAZIL_UTC_OFFSETS_MINUTES.0.min(configured) - OFFSET_DOUBT_MARGIN_MINUTES,
            BRAZIL_UTC_OFFSETS_MINUTES.1.max(configured) + OFFSET_DOUBT_MARGIN_MINUTES,
        ),
    };
    let window = (local(from, offset), local(to, offset));
    let plausible = (local(from, low), local(to, high));
    let result = st
        .hubsoft
        .tickets_between(novo.id_cliente_servico, plausible.0, plausible.1)
        .await;
    let (settled, result) = match result {
        Err(e) => {
            tracing::warn!(error = %e, "reconciliation lookup failed");
            (Settled::Unconfirmed, "unreachable")
        }
        Ok(lookup) => {
            let wanted = fold_ws(&novo.descricao);
            let within =
                |f: &Found, (a, b): (i64, i64)| f.local_time.is_some_and(|t| t >= a && t <= b);
            let same: Vec<Found> = lookup
                .found
                .into_iter()
                .filter(|f| fold_ws(&f.descricao) == wanted && within(f, plausible))
                .collect();
            let mut hit = Ok(None);
            for f in same.iter().filter(|f| within(f, window)) {
                match claim(st, &f.protocolo, owner).await {
                    Ok(true) => {
                        hit = Ok(Some(f.clone()));
                        break;
                    }
                    Ok(false) => {
                        tracing::info!("a matching ticket belongs to another intent; passed over");
                    }
                    Err(e) => {
                        hit = Err(e);
                        break;
                    }
                }
            }
            match hit {
                Err(e) => {
                    tracing::warn!(error = %e, "reconciliation could not claim the ticket");
                    (Settled::Unconfirmed, "unreachable")
                }
                Ok(Some(f)) => {
                    let body = serde_json::json!({
                        "status": "success",
                        "msg": format!("Atendimento aberto com sucesso. Anote o protocolo: {}.", f.protocolo),
                        "atendimento": f.item,
                    });
                    (Settled::Final(200, body.to_string()), "found")
                }
                Ok(None) if !lookup.covered => {
                    tracing::warn!(
                        limit = LOOKUP_LIMIT,
                        "reconciliation could not list every ticket of the service created since the first send (more than two pages): its outcome stays unknown, and nothing is sent again"
                    );
                    (Settled::Unconfirmed, "incomplete")
                }
                Ok(None) => {
                    let mut doubtful = None;
                    if observed.is_none() {
                        for f in same.iter().filter(|f| !within(f, window)) {
                            let theirs = matches!(
                                st.store.get(&claim_key(&f.protocolo)).await,
                                Ok(Some(held)) if held.record.owner != owner
                            );
                            if !theirs {
                                doubtful = f.local_time;
                                break;
                            }
                        }
                    }
                    match doubtful {
                        Some(t) => {
                            // The offset that would make it match, for the log.
                            let minutes = (t - sent_at as i64) / 60;
                            tracing::warn!(
                                configured_minutes = configured,
                                would_match_at_minutes = minutes,
                                "reconciliation found a ticket with the same description that matches the first send only at another UTC offset than hubsoft_utc_offset_minutes, and Hubsoft's clock has not been observed yet: its outcome stays unknown, and nothing is sent again. Check hubsoft_utc_offset_minutes"
                            );
                            (Settled::Unconfirmed, "ambiguous")
                        }
                        None => (Settled::NotFound, "not_found"),
                    }
                }
            }
        }
    };
    metrics::counter!("gateway_reconciliations_total", "result" => result).increment(1);
    tracing::info!(
        result,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "reconciliation"
    );
    settled
}

/// Whitespace runs folded to one space, trimmed (descriptions are compared this way).
fn fold_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 504 "could not confirm". With a key (`retry_after`: `Some(seconds)`) a repeat reconciles, so
/// it is invited with `Retry-After`; without one (`None`) a repeat is a new ticket, so the answer
/// says to check first and invites nothing.
fn unconfirmed(retry_after: Option<u64>) -> Response {
    count("unconfirmed");
    let msg = match retry_after {
        Some(_) => errors::MSG_UNCONFIRMED,
        None => errors::MSG_UNCONFIRMED_WITHOUT_KEY,
    };
    ApiError {
        retry_after,
        ..ApiError::new(StatusCode::GATEWAY_TIMEOUT, msg)
    }
    .into_response()
}

fn finished(status: u16, body: String) -> Response {
    count(if status == 200 { "created" } else { "rejected" });
    errors::json_response(status, body)
}

/// Without a key: one send; a doubtful answer is reconciled once but never resent.
async fn without_key(st: &Shared, claims: &Claims, novo: &NovoAtendimento) -> Response {
    let bucket = match rate_limit(st, &claims.sub).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    // Its own intent for the claims: a request without a key is one intent.
    let owner = uuid::Uuid::new_v4().to_string();
    let settled = send_and_settle(st, novo, now_secs(), &owner).await;
    if settled.opened_nothing() {
        refund(st, &bucket).await;
    }
    match settled {
        Settled::Final(status, body) => finished(status, body),
        Settled::NotCreated(e) => {
            count("unavailable");
            e.into_response()
        }
        Settled::NotFound | Settled::Unconfirmed => unconfirmed(None),
    }
}

fn fingerprint(novo: &NovoAtendimento) -> String {
    let digest = Sha256::digest(novo.to_json().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// With a key: see the module documentation.
async fn with_key(st: &Shared, claims: &Claims, novo: &NovoAtendimento, key: &str) -> Response {
    // The length of `sub` first, so that no (sub, key) pair can spell another's record name
    // (`a` + `b:c` and `a:b` + `c` differ).
    let store_key = format!("{}:{}:{key}", claims.sub.len(), claims.sub);
    let fp = fingerprint(novo);
    let ttl = st.settings.idempotency_ttl;
    // No request outlives the request timeout, so a lease a second longer covers the holder.
    let lease = st.settings.request_timeout + Duration::from_secs(1);
    let me = uuid::Uuid::new_v4().to_string();
    // Waiting may use at most half the request's own time limit; the rest is for the work.
    let deadline = Instant::now()
        + st.settings
            .in_flight_wait
            .min(st.settings.request_timeout / 2);
    // Bounded: each pass either returns or waits 25 ms, until the deadline; a lost race on
    // insert or swap retries at once (at most a few times under contention).
    for _ in 0..10_000 {
        let current = match st.store.get(&store_key).await {
            Ok(c) => c,
            Err(e) => return store_down(&e.0).into_response(),
        };
        let Some(current) = current else {
            let record = Record {
                fingerprint: fp.clone(),
                state: RecordState::Pending,
                owner: me.clone(),
                lease_until_ms: now_ms() + lease.as_millis() as u64,
                sent_at: now_secs(),
                sends: 1,
                status: 0,
                body: String::new(),
            };
            match st.store.insert_new(&store_key, &record, ttl).await {
                Ok(true) => {
                    let raw = serde_json::to_string(&record).unwrap_or_default();
                    // Counted only by the request that created the record: repeats of the
                    // key, concurrent ones included, never use up the customer's limit.
                    let bucket = match rate_limit(st, &claims.sub).await {
                        Ok(b) => b,
                        Err(e) => {
                            if let Err(d) = st.store.swap(&store_key, &raw, None, ttl).await {
                                tracing::error!(error = %d, "could not drop a rate-limited record");
                            }
                            return e.into_response();
                        }
                    };
                    let cur = Versioned { record, raw };
                    return run_to_the_end(st, store_key, cur, novo, Some(bucket)).await;
                }
                Ok(false) => continue,
                Err(e) => return store_down(&e.0).into_response(),
            }
        };
        if current.record.fingerprint != fp {
            count("key_reused");
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Esta chave de envio (Idempotency-Key) já foi usada com outro pedido.",
            )
            .into_response();
        }
        match current.record.state {
            RecordState::Done => {
                count("replayed");
                metrics::counter!("gateway_idempotent_replays_total").increment(1);
                tracing::info!("idempotent replay");
                return errors::json_response(current.record.status, current.record.body);
            }
            RecordState::Pending if current.record.lease_until_ms > now_ms() => {
                if Instant::now() >= deadline {
                    count("conflict");
                    // Until the first request's lease ends at the latest (it then settles, or
                    // its record is taken over).
                    let left = current.record.lease_until_ms.saturating_sub(now_ms());
                    return ApiError {
                        retry_after: Some(left.div_ceil(1000).clamp(1, 60)),
                        ..ApiError::new(
                            StatusCode::CONFLICT,
                            "Este chamado ainda está sendo enviado. Aguarde um instante.",
                        )
                    }
                    .into_response();
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            RecordState::Pending | RecordState::Unknown => {
                // The first request died (restart, crash) or its fate is unknown: take the
                // record over and reconcile before anything is sent again.
                let record = Record {
                    owner: me.clone(),
                    state: RecordState::Pending,
                    lease_until_ms: now_ms() + lease.as_millis() as u64,
                    ..current.record.clone()
                };
                match st
                    .store
                    .swap(&store_key, &current.raw, Some(&record), ttl)
                    .await
                {
                    Ok(true) => {
                        let raw = serde_json::to_string(&record).unwrap_or_default();
                        let cur = Versioned { record, raw };
                        return run_to_the_end(st, store_key, cur, novo, None).await;
                    }
                    Ok(false) => continue,
                    Err(e) => return store_down(&e.0).into_response(),
                }
            }
        }
    }
    unconfirmed(Some(30))
}

/// [`run`] in a task of its own, so that a client that goes away (a page reloaded while the
/// ticket is being sent) does not cancel it half-way: the outcome is stored for the repeat that
/// will come, instead of leaving the key pending until its lease ends.
async fn run_to_the_end(
    st: &Shared,
    store_key: String,
    cur: Versioned,
    novo: &NovoAtendimento,
    counted: Option<String>,
) -> Response {
    let st = st.clone();
    let novo = novo.clone();
    let tickets = st.tickets.clone();
    let task =
        tickets.spawn(async move { run(&st, &store_key, cur, &novo, counted.as_deref()).await });
    match task.await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "the ticket's task failed");
            unconfirmed(Some(30))
        }
    }
}

/// Holds the lease of `cur`: sends (the request that created the record, `counted` in that
/// rate-limit counter) or, taking over a record whose fate is unknown (`counted` is `None`),
/// reconciles first; at most two sends in all; then stores the outcome. A request that opened
/// nothing gives its count back.
async fn run(
    st: &Shared,
    key: &str,
    mut cur: Versioned,
    novo: &NovoAtendimento,
    counted: Option<&str>,
) -> Response {
    let ttl = st.settings.idempotency_ttl;
    let sent_at = cur.record.sent_at;
    let mut settled = match counted {
        None => reconcile(st, novo, sent_at, key).await,
        Some(_) => send_and_settle(st, novo, sent_at, key).await,
    };
    // Seconds before a repeat may find the ticket sent again (`Retry-After`), when not yet.
    let mut settling = None;
    let age = now_secs().saturating_sub(sent_at);
    let settle = st.settings.reconcile_settle.as_secs();
    if matches!(settled, Settled::NotFound) && cur.record.sends < 2 {
        if age < settle {
            // A Hubsoft that timed out is usually a busy one, which may still save the first
            // request: sending again now could open a second ticket. The key stays reserved; a
            // repeat reconciles again, and sends once more only after the settle time.
            tracing::info!(
                age_secs = age,
                "no matching ticket yet: not sending again before the settle time"
            );
            settling = Some((settle - age).max(1));
        } else {
            let record = Record {
                sends: cur.record.sends + 1,
                ..cur.record.clone()
            };
            match st.store.swap(key, &cur.raw, Some(&record), ttl).await {
                Ok(true) => {
                    let raw = serde_json::to_string(&record).unwrap_or_default();
                    cur = Versioned { record, raw };
                    // The lookup listed every ticket the first send could have opened, and none
                    // is it: counted and logged at WARN, since a wrong lookup here would be a
                    // second ticket for one intent.
                    metrics::counter!("gateway_second_sends_total").increment(1);
                    tracing::warn!(
                        age_secs = age,
                        "no matching ticket: sending once more under the same key"
                    );
                    settled = send_and_settle(st, novo, sent_at, key).await;
                }
                _ => settled = Settled::Unconfirmed,
            }
        }
    }
    // An earlier send of this key had an unknown fate (this run took the record over, or sent a
    // second time): it may still open the ticket, so an answer that opened nothing now neither
    // drops the record (a repeat reconciles, and never sends a third time) nor gives the count
    // back.
    let sent_before = counted.is_none() || cur.record.sends >= 2;
    if let (true, Some(bucket), false) = (settled.opened_nothing(), counted, sent_before) {
        refund(st, bucket).await;
    }
    // Fate unknown: kept, without a lease, for a repeat to take over and reconcile.
    let unknown = || Record {
        state: RecordState::Unknown,
        lease_until_ms: 0,
        ..cur.record.clone()
    };
    let (new, response) = match settled {
        Settled::Final(status, body) => (
            Some(Record {
                state: RecordState::Done,
                status,
                body: body.clone(),
                ..cur.record.clone()
            }),
            finished(status, body),
        ),
        Settled::NotCreated(e) => {
            count("unavailable");
            (sent_before.then(unknown), e.into_response())
        }
        Settled::NotFound | Settled::Unconfirmed => {
            (Some(unknown()), unconfirmed(Some(settling.unwrap_or(30))))
        }
    };
    match st.store.swap(key, &cur.raw, new.as_ref(), ttl).await {
        Ok(true) => {}
        Ok(false) => tracing::warn!("idempotency record changed while held (lease expired)"),
        Err(e) => tracing::error!(error = %e, "could not store the idempotency record"),
    }
    response
}

#[cfg(test)]
mod tests {
    use super::client_group;
    use std::net::IpAddr;

    fn group(ip: &str) -> String {
        client_group(ip.parse::<IpAddr>().unwrap()).to_string()
    }

    #[test]
    fn ipv4_counts_per_address() {
        assert_eq!(group("203.0.113.7"), "203.0.113.7");
        assert_eq!(group("::ffff:203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn ipv6_counts_per_56_prefix() {
        assert_eq!(
            group("2001:db8:1:2aa:bbbb:cccc:dddd:eeee"),
            "2001:db8:1:200::"
        );
        assert_eq!(group("2001:db8:1:200::1"), group("2001:db8:1:2ff:ffff::"));
        assert_ne!(group("2001:db8:1:200::1"), group("2001:db8:1:300::1"));
        assert_eq!(group("::1"), "::");
    }
}
