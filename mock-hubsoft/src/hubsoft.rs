//! The imitated Hubsoft routes (`docs/hubsoft-api.md` §1 and §2).

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use abrir_chamado_core::inbound;
use abrir_chamado_core::json::Json;
use axum::body::Bytes;
use axum::extract::Query;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json as Axum;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::clock::DateTime;
use crate::{lock, AppState, DEFAULT_TIPO_ATENDIMENTO, DEMO_SERVICES, TIPOS_ATENDIMENTO};

/// `msg` of a validation failure (`docs/hubsoft-api.md` §2, captured).
const MSG_FILL: &str = "Favor preencher os campos obrigatórios de acordo com as especificações";
/// `msg` of an existence failure (`docs/hubsoft-api.md` §2, captured).
const MSG_INVALID: &str = "Os dados fornecidos são inválidos";
/// Token lifetime reported by `/oauth/token`, in seconds (30 days; `docs/hubsoft-api.md` §1).
const EXPIRES_IN: u64 = 2_592_000;

// ---------------------------------------------------------------------------------------------
// Request input, Laravel style

/// Reads the request input like Laravel: JSON when `Content-Type` contains `/json` or `+json`,
/// form fields when it is `application/x-www-form-urlencoded`, otherwise nothing. Malformed JSON
/// and non-object JSON also give an empty map.
fn input(headers: &HeaderMap, body: &[u8]) -> Map<String, Value> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.contains("/json") || ct.contains("+json") {
        match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        parse_form(&String::from_utf8_lossy(body))
    } else {
        Map::new()
    }
}

/// Parses `a=1&b=x+y%21` into string values (later keys win).
fn parse_form(s: &str) -> Map<String, Value> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), Value::String(percent_decode(v)))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("0");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Laravel's `TrimStrings` + `ConvertEmptyStringsToNull` on the top-level values.
fn trim_strings(map: &mut Map<String, Value>) {
    for v in map.values_mut() {
        if let Value::String(s) = v {
            let t = s.trim();
            *v = if t.is_empty() {
                Value::Null
            } else {
                Value::String(t.to_owned())
            };
        }
    }
}

/// A value that counts as present for Laravel's `required` (not missing, not null, not an empty
/// array or object).
fn present<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    match map.get(key)? {
        Value::Null => None,
        Value::Array(a) if a.is_empty() => None,
        Value::Object(o) if o.is_empty() => None,
        v => Some(v),
    }
}

/// Laravel's `integer` (PHP `FILTER_VALIDATE_INT`): a JSON integer, a float without fraction, or
/// a string `[+-]?(0|[1-9][0-9]*)` that fits in 64 bits.
fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => {
            let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
            let canonical = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'));
            if canonical {
                s.parse().ok()
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Laravel's `boolean`: `true`, `false`, `0`, `1`, `"0"`, `"1"`.
fn as_laravel_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) if s == "0" => Some(false),
        Value::String(s) if s == "1" => Some(true),
        _ => None,
    }
}

/// `telefone`: 10 or 11 ASCII digits (a JSON integer is read as its digits, like PHP would).
fn as_phone(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_u64() => n.to_string(),
        _ => return None,
    };
    ((10..=11).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// A plausible e-mail: `local@domain.tld`, no whitespace, one `@`, a dot inside the domain.
fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A ticket request that passed the format rules.
struct Ticket {
    id_cliente_servico: i64,
    descricao: String,
    id_tipo_atendimento: Option<i64>,
}

/// Applies the format rules in field order; on failure returns the flat list of messages.
fn validate(input: &Map<String, Value>) -> Result<Ticket, Vec<String>> {
    let mut errors = Vec::new();
    let required = |key: &str, label: &str, errors: &mut Vec<String>| {
        let v = present(input, key).cloned();
        if v.is_none() {
            errors.push(format!("O campo {label} é obrigatório."));
        }
        v
    };

    let id = required("id_cliente_servico", "id cliente servico", &mut errors).and_then(|v| {
        let id = as_integer(&v);
        if id.is_none() {
            errors.push("O campo id cliente servico deve ser um número inteiro.".to_owned());
        }
        id
    });

    let string = |key: &str, errors: &mut Vec<String>| {
        required(key, key, errors).and_then(|v| match v {
            Value::String(s) => Some(s),
            _ => {
                errors.push(format!("O campo {key} deve ser uma string."));
                None
            }
        })
    };
    let descricao = string("descricao", &mut errors);
    let nome = string("nome", &mut errors);

    let telefone = required("telefone", "telefone", &mut errors).and_then(|v| {
        let t = as_phone(&v);
        if t.is_none() {
            errors.push("O campo telefone deve conter apenas números com DDD.".to_owned());
        }
        t
    });

    if let Some(v) = present(input, "email") {
        if !matches!(v, Value::String(s) if looks_like_email(s)) {
            errors.push("O campo email deve ser um endereço de e-mail válido.".to_owned());
        }
    }

    let id_tipo_atendimento = present(input, "id_tipo_atendimento").and_then(|v| {
        let t = as_integer(v);
        if t.is_none() {
            errors.push("O campo id tipo atendimento deve ser um número inteiro.".to_owned());
        }
        t
    });

    if let Some(v) = present(input, "abrir_os") {
        if as_laravel_bool(v).is_none() {
            errors.push("O campo abrir os deve ser verdadeiro ou falso.".to_owned());
        }
    }

    match (id, descricao, nome, telefone) {
        (Some(id_cliente_servico), Some(descricao), Some(_), Some(_)) if errors.is_empty() => {
            Ok(Ticket {
                id_cliente_servico,
                descricao,
                id_tipo_atendimento,
            })
        }
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------------------------
// Responses

fn unauthenticated() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Axum(json!({ "message": "Unauthenticated." })),
    )
        .into_response()
}

fn error_200(msg: &str, errors: Vec<String>) -> Response {
    Axum(json!({ "status": "error", "msg": msg, "errors": errors })).into_response()
}

fn oauth_error(status: StatusCode, error: &str, description: &str, hint: Option<&str>) -> Response {
    let mut body = json!({
        "error": error,
        "error_description": description,
        "message": description,
    });
    if let Some(hint) = hint {
        body["hint"] = json!(hint);
    }
    (status, Axum(body)).into_response()
}

/// Whether `Authorization: Bearer <token>` names the demo token or an issued one.
fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return false;
    };
    let token = token.trim();
    scheme.eq_ignore_ascii_case("bearer")
        && !token.is_empty()
        && (token == state.config.demo_token || lock(&state.tokens).contains(token))
}

/// An unguessable-enough, unique token: a sequence number plus 128 hashed bits.
fn new_token(state: &AppState, prefix: &str) -> String {
    let seq = state.token_seq.fetch_add(1, Ordering::SeqCst);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut out = format!("{prefix}{seq}.");
    for round in 0..2u64 {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(seq);
        h.write_u128(nanos);
        h.write_u64(round);
        let _ = write!(out, "{:016x}", h.finish());
    }
    out
}

fn as_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /oauth/token` (`docs/hubsoft-api.md` §1). Password grant with the [`crate::Config`] credentials:
/// * ok → `200 {"access_token","expires_in":2592000,"refresh_token","token_type":"Bearer"}`;
/// * `grant_type` missing or not `password` → `400 unsupported_grant_type`;
/// * `client_id`/`username`/`password` missing → `400 invalid_request` (with a `hint`);
/// * wrong `client_id`/`client_secret` → `401 invalid_client` (Laravel Passport's answer);
/// * wrong `username`/`password` → `401 invalid_credentials` (`docs/hubsoft-api.md` §1).
pub(crate) async fn oauth_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let input = input(&headers, &body);
    let field = |k: &str| as_text(input.get(k));
    let cfg = &state.config;

    if field("grant_type").as_deref() != Some("password") {
        let d = "The authorization grant type is not supported by the authorization server.";
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            d,
            Some("Check that all required parameters have been provided"),
        );
    }
    let invalid_request = |param: &str| {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is missing a required parameter, includes an invalid parameter value, \
             includes a parameter more than once, or is otherwise malformed.",
            Some(&format!("Check the `{param}` parameter")),
        )
    };
    let Some(client_id) = field("client_id") else {
        return invalid_request("client_id");
    };
    if client_id != cfg.client_id || field("client_secret").as_deref() != Some(&cfg.client_secret) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
            None,
        );
    }
    let Some(username) = field("username") else {
        return invalid_request("username");
    };
    let Some(password) = field("password") else {
        return invalid_request("password");
    };
    if username != cfg.username || password != cfg.password {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "The user credentials were incorrect.",
            None,
        );
    }

    let access_token = new_token(&state, "mock-access-");
    let refresh_token = new_token(&state, "mock-refresh-");
    lock(&state.tokens).insert(access_token.clone());
    Axum(json!({
        "access_token": access_token,
        "expires_in": EXPIRES_IN,
        "refresh_token": refresh_token,
        "token_type": "Bearer",
    }))
    .into_response()
}

/// `cliente` of a success reply.
#[derive(Serialize)]
struct Cliente {
    codigo_cliente: u64,
    nome_razaosocial: &'static str,
    cpf_cnpj: &'static str,
}

/// `atendimento` of a success reply (`docs/hubsoft-api.md` §2, plus `descricao_abertura`).
#[derive(Serialize)]
struct Atendimento {
    id_atendimento: u64,
    protocolo: String,
    tipo_atendimento: &'static str,
    usuario_abertura: &'static str,
    usuario_responsavel: Option<String>,
    usuario_fechamento: Option<String>,
    data_cadastro: String,
    data_fechamento: Option<String>,
    setor_responsavel: Option<String>,
    status_fechamento: Option<String>,
    motivo_fechamento: Option<String>,
    status: &'static str,
    descricao_abertura: String,
    cliente: Cliente,
}

/// Whole success reply.
#[derive(Serialize)]
struct Aberto {
    status: &'static str,
    msg: String,
    atendimento: Atendimento,
}

/// `POST /api/v1/integracao/atendimento` (`docs/hubsoft-api.md` §2): `401` without a valid bearer token;
/// otherwise always HTTP 200 with `status` `error` (format errors, then unknown service/type) or
/// `success` with a new ticket.
pub(crate) async fn abrir_atendimento(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthenticated();
    }
    let mut input = input(&headers, &body);
    trim_strings(&mut input);
    let ticket = match validate(&input) {
        Ok(t) => t,
        Err(errors) => return error_200(MSG_FILL, errors),
    };
    // Then the widget's own rules, shared through the core crate (phone DDD, lengths, e-mail).
    // `abrir_os` already passed Laravel's more lenient `boolean` rule (1, "0", …).
    let mut shared_rules = input.clone();
    shared_rules.remove("abrir_os");
    let parsed: Option<Json> = serde_json::from_value(Value::Object(shared_rules)).ok();
    if let Err(issues) = inbound::parse(parsed.as_ref().unwrap_or(&Json::Null)) {
        return error_200(MSG_FILL, inbound::sentences_pt(&issues));
    }

    let mut errors = Vec::new();
    let service = DEMO_SERVICES
        .iter()
        .find(|s| s.id_cliente_servico == ticket.id_cliente_servico);
    if service.is_none() {
        errors.push("O valor selecionado para o campo id cliente servico é inválido.".to_owned());
    }
    let tipo = match ticket.id_tipo_atendimento {
        None => Some(DEFAULT_TIPO_ATENDIMENTO),
        Some(id) => {
            let found = TIPOS_ATENDIMENTO.iter().find(|(t, _)| *t == id);
            if found.is_none() {
                errors.push(
                    "O valor selecionado para o campo id tipo atendimento é inválido.".to_owned(),
                );
            }
            found.map(|(_, name)| *name)
        }
    };
    let (Some(service), Some(tipo)) = (service, tipo) else {
        return error_200(MSG_INVALID, errors);
    };

    let now = DateTime::now_at(state.utc_offset_minutes.load(Ordering::SeqCst));
    let seq = state.protocol_seq.fetch_add(1, Ordering::SeqCst) % 1_000_000;
    let protocolo = format!("{}{seq:06}", now.compact());
    let id_atendimento = state.next_id.fetch_add(1, Ordering::SeqCst);
    let descricao_abertura = format!("{} | ATENDIMENTO ABERTO VIA API", ticket.descricao);
    lock(&state.tickets).push(OpenedTicket {
        id_cliente_servico: service.id_cliente_servico,
        codigo_cliente: service.codigo_cliente,
        protocolo: protocolo.clone(),
        created: now.yyyymmdd(),
        closed: false,
        item: json!({
            "id_atendimento": id_atendimento,
            "protocolo": protocolo,
            "descricao_abertura": descricao_abertura,
            "tipo_atendimento": tipo,
            "status": "Aguardando Análise",
            "data_cadastro": now.dd_mm_yyyy(),
            "data_fechamento": null,
            "cliente": {
                "codigo_cliente": service.codigo_cliente,
                "nome_razaosocial": service.nome_razaosocial,
                "cpf_cnpj": service.cpf_cnpj,
            },
            "servico": {
                "id_cliente_servico": service.id_cliente_servico.to_string(),
                "nome": "Fibra",
                "status": "Serviço Habilitado",
                "status_prefixo": "servico_habilitado",
            },
            "ordens_servico": [],
        }),
    });

    Axum(Aberto {
        status: "success",
        msg: format!("Atendimento aberto com sucesso. Anote o protocolo: {protocolo}."),
        atendimento: Atendimento {
            id_atendimento,
            protocolo,
            tipo_atendimento: tipo,
            usuario_abertura: "API",
            usuario_responsavel: None,
            usuario_fechamento: None,
            data_cadastro: now.dd_mm_yyyy(),
            data_fechamento: None,
            setor_responsavel: None,
            status_fechamento: None,
            motivo_fechamento: None,
            status: "Aguardando Análise",
            descricao_abertura,
            cliente: Cliente {
                codigo_cliente: service.codigo_cliente,
                nome_razaosocial: service.nome_razaosocial,
                cpf_cnpj: service.cpf_cnpj,
            },
        },
    })
    .into_response()
}

/// One entry of `tipos_atendimento`.
#[derive(Serialize)]
struct Tipo {
    id_tipo_atendimento: i64,
    descricao: &'static str,
}

/// Reply of the tipo_atendimento route.
#[derive(Serialize)]
struct Tipos {
    status: &'static str,
    msg: &'static str,
    tipos_atendimento: Vec<Tipo>,
}

/// `GET /api/v1/integracao/configuracao/tipo_atendimento` (`docs/hubsoft-api.md` §2): `401` without a valid
/// bearer token, else `{"status":"success","msg":"Dados consultados com sucesso","tipos_atendimento":[…]}`.
pub(crate) async fn tipos_atendimento(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthenticated();
    }
    Axum(Tipos {
        status: "success",
        msg: "Dados consultados com sucesso",
        tipos_atendimento: TIPOS_ATENDIMENTO
            .iter()
            .map(|&(id_tipo_atendimento, descricao)| Tipo {
                id_tipo_atendimento,
                descricao,
            })
            .collect(),
    })
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        let m = parse_form("a=1&b=x+y%21&c=%C3%A9&d&e=%zz&f=%4");
        assert_eq!(m["a"], "1");
        assert_eq!(m["b"], "x y!");
        assert_eq!(m["c"], "é");
        assert_eq!(m["d"], "");
        assert_eq!(m["e"], "%zz");
        assert_eq!(m["f"], "%4");
    }

    #[test]
    fn integers_like_php() {
        for ok in [
            json!(11000),
            json!("11000"),
            json!("-3"),
            json!(11000.0),
            json!("0"),
        ] {
            assert!(as_integer(&ok).is_some(), "{ok}");
        }
        for bad in [
            json!("011000"),
            json!("11.5"),
            json!(11.5),
            json!("abc"),
            json!(true),
        ] {
            assert!(as_integer(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("maria@example.com.br"));
        for bad in [
            "maria",
            "maria@",
            "@x.com",
            "a b@x.com",
            "a@x",
            "a@.x",
            "a@x.",
            "a@@x.com",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}

/// A ticket opened by the mock, kept for the `cliente/atendimento` lookup (`docs/hubsoft-api.md` §3).
pub(crate) struct OpenedTicket {
    /// The service it was opened on.
    pub(crate) id_cliente_servico: i64,
    /// The service's customer.
    pub(crate) codigo_cliente: u64,
    /// Its protocolo.
    pub(crate) protocolo: String,
    /// Its creation date in the mock's local time, `yyyymmdd` (for `data_inicio`/`data_fim`).
    pub(crate) created: String,
    /// Closed by [`close`]: `apenas_pendente=sim` leaves it out.
    pub(crate) closed: bool,
    /// The item as the lookup lists it.
    pub(crate) item: Value,
}

/// Closes the ticket `protocolo` as the ISP's staff would: `status` "Resolvido",
/// `data_fechamento` today (the mock's local date). `false` when the mock did not open it.
pub(crate) fn close(state: &AppState, protocolo: &str) -> bool {
    let today = DateTime::now_at(state.utc_offset_minutes.load(Ordering::SeqCst));
    let mut tickets = lock(&state.tickets);
    let Some(t) = tickets.iter_mut().find(|t| t.protocolo == protocolo) else {
        return false;
    };
    t.closed = true;
    t.item["status"] = json!("Resolvido");
    t.item["data_fechamento"] = json!(today.dd_mm_yyyy());
    true
}

/// Query of the lookup (`docs/hubsoft-api.md` §3).
#[derive(serde::Deserialize)]
pub(crate) struct Busca {
    busca: Option<String>,
    termo_busca: Option<String>,
    limit: Option<usize>,
    order_type: Option<String>,
    apenas_pendente: Option<String>,
    data_inicio: Option<String>,
    data_fim: Option<String>,
}

/// A `YYYY-MM-DD` date as `yyyymmdd` (comparable as text), or `None`.
fn query_date(d: &str) -> Option<String> {
    let d = d.trim();
    let ok = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    ok.then(|| d.replace('-', ""))
}

/// `GET /api/v1/integracao/cliente/atendimento` (`docs/hubsoft-api.md` §3): `401` without a valid bearer
/// token; `busca` one of `id_cliente_servico`, `codigo_cliente`, `protocolo` with `termo_busca`
/// (else HTTP 200 `status:"error"`); `apenas_pendente` `sim` (default: tickets not closed with
/// `/__mock/close`) or `nao` (all); `data_inicio`, `data_fim` `YYYY-MM-DD` bound the creation
/// date (in the mock's local time, inclusive; another format is an error). `limit` 1–50
/// (default 20), `order_type` `asc` (default, oldest first) or `desc`. Answer
/// `{"status":"suscess","msg":"Dados consultados com sucesso","atendimentos":[…]}`.
pub(crate) async fn cliente_atendimento(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Busca>,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthenticated();
    }
    let termo = q.termo_busca.unwrap_or_default();
    let termo = termo.trim();
    let matches: Box<dyn Fn(&OpenedTicket) -> bool> = match q.busca.as_deref() {
        Some("id_cliente_servico") => Box::new(|t| t.id_cliente_servico.to_string() == termo),
        Some("codigo_cliente") => Box::new(|t| t.codigo_cliente.to_string() == termo),
        Some("protocolo") => Box::new(|t| t.protocolo == termo),
        _ => {
            return error_200(
                MSG_FILL,
                vec!["O valor selecionado para o campo busca é inválido.".to_owned()],
            )
        }
    };
    if termo.is_empty() {
        return error_200(
            MSG_FILL,
            vec!["O campo termo busca é obrigatório.".to_owned()],
        );
    }
    let mut bounds = Vec::with_capacity(2);
    for (text, name) in [(&q.data_inicio, "data inicio"), (&q.data_fim, "data fim")] {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => bounds.push(None),
            Some(text) => match query_date(text) {
                Some(d) => bounds.push(Some(d)),
                None => {
                    return error_200(
                        MSG_FILL,
                        vec![format!("O campo {name} não corresponde ao formato Y-m-d.")],
                    )
                }
            },
        }
    }
    let (from, to) = (bounds[0].take(), bounds[1].take());
    let pending_only = q.apenas_pendente.as_deref().map(str::trim) != Some("nao");
    let mut items: Vec<Value> = lock(&state.tickets)
        .iter()
        .filter(|t| matches(t))
        .filter(|t| !(pending_only && t.closed))
        .filter(|t| from.as_ref().is_none_or(|f| t.created >= *f))
        .filter(|t| to.as_ref().is_none_or(|e| t.created <= *e))
        .map(|t| t.item.clone())
        .collect();
    if q.order_type.as_deref() == Some("desc") {
        items.reverse();
    }
    items.truncate(q.limit.unwrap_or(20).clamp(1, 50));
    Axum(json!({
        "status": "suscess",
        "msg": "Dados consultados com sucesso",
        "atendimentos": items,
    }))
    .into_response()
}
