//! The host's `mount(element, options)` options, checked before anything renders.
//!
//! `options` arrives from JavaScript as a plain object; the embedding module turns it into
//! [`RawOptions`] (every value kept as loose [`Json`] so that a wrong type gets a precise message
//! instead of a generic deserialisation error) and [`Options::from_raw`] checks it. A bad option
//! gives [`ConfigError`]s that the widget shows and logs, never a panic.

use super::form::{parse_id, Field, FormValues};
use super::i18n::{I18n, Locale};
use super::json::{Json, JsonNumber, NotJson};

/// The options object as received, each value still untyped. Unknown keys are ignored; `null`
/// is the same as absent. In the browser each key in [`RawOptions::NAMES`] is read with
/// `Reflect.get` and converted by [`crate::js_json`], which gives a JavaScript number that is a
/// safe integer as an integer and any other number as a float.
#[derive(Debug, Default)]
pub struct RawOptions {
    /// Base URL of the Hubsoft server or of a gateway speaking the same contract. Required.
    pub endpoint: Option<Json>,
    /// Bearer token for `Authorization: Bearer …` (contract §1). Required.
    pub token: Option<Json>,
    /// The customer's service id: a positive integer (number or numeric string). Optional; when
    /// given the "Serviço" field is not shown.
    pub id_cliente_servico: Option<Json>,
    /// Prefill for "Nome". Optional string.
    pub nome: Option<Json>,
    /// Prefill for "Telefone". Optional string, any format (contract §5).
    pub telefone: Option<Json>,
    /// Prefill for "E-mail". Optional string.
    pub email: Option<Json>,
    /// Time limit of one request in milliseconds, 1000 to 300000. Optional; default
    /// [`DEFAULT_TIMEOUT_MS`].
    pub timeout_ms: Option<Json>,
    /// A key for the logged-in customer (e.g. the portal's customer id), so two customers on one
    /// browser never see each other's drafts. Optional string; never put the token here.
    pub draft_key: Option<Json>,
    /// Fields the host fixes: an array of field keys (`"nome"`, `"telefone"`, `"email"`,
    /// `"id_cliente_servico"`). They are shown as text, still submitted, and beat drafts.
    pub locked: Option<Json>,
    /// The customer's services: an array of `{id_cliente_servico, label}`. One: chosen silently
    /// and named in the form (an `id_cliente_servico` that differs is a configuration error);
    /// several: the customer picks (preselected: `id_cliente_servico` if it is one of them;
    /// otherwise nothing, and a warning).
    pub services: Option<Json>,
    /// Ticket types the customer may pick: an array of `{id_tipo_atendimento, label}` (the ISP's
    /// whitelist). When given, a "Tipo" choice is required and sent as `id_tipo_atendimento`.
    pub tipos: Option<Json>,
    /// `abrir_os`: a boolean passed through (contract §2). Optional.
    pub abrir_os: Option<Json>,
    /// `locale`: `pt-BR` (default), `en` or `es` (BCP 47; unknown tags fall back to `pt-BR`).
    pub locale: Option<Json>,
    /// `labels`: an object of message key → text overriding the table ([`crate::i18n`]).
    pub labels: Option<Json>,
    /// `mode`: `"inline"` (default) or `"modal"` (a launcher button opens a dialog).
    pub mode: Option<Json>,
    /// Set by the embedding layer (not read from the object) when the host gave a
    /// `tokenProvider` function: `token` is then optional.
    pub has_token_provider: bool,
    /// Set by the embedding layer: the host's `parametros` object as JSON text
    /// (`JSON.stringify`), or `Err(())` when `parametros` was given but is not a plain object.
    pub parametros_json: Option<Result<String, ()>>,
    /// Options present with a value that is not JSON (a function, a symbol, a BigInt, or nesting
    /// deeper than [`crate::json::MAX_DEPTH`]): each is reported as
    /// [`ConfigError::NotJson`].
    pub unreadable: Vec<&'static str>,
}

impl RawOptions {
    /// The keys read from the host's object, in this order.
    pub const NAMES: [&'static str; 15] = [
        "endpoint",
        "token",
        "id_cliente_servico",
        "nome",
        "telefone",
        "email",
        "timeout_ms",
        "draft_key",
        "locked",
        "services",
        "tipos",
        "abrir_os",
        "locale",
        "labels",
        "mode",
    ];

    /// Reads each of [`RawOptions::NAMES`] through `get`, which returns `Ok(None)` for an absent
    /// key, `Ok(Some(value))`, or `Err(NotJson)` for a value that is not JSON (recorded in
    /// [`RawOptions::unreadable`]). The embedding-only fields are left at their defaults.
    pub fn read(mut get: impl FnMut(&'static str) -> Result<Option<Json>, NotJson>) -> RawOptions {
        let mut raw = RawOptions::default();
        for name in RawOptions::NAMES {
            let value = get(name).unwrap_or_else(|NotJson| {
                raw.unreadable.push(name);
                None
            });
            let slot = match name {
                "endpoint" => &mut raw.endpoint,
                "token" => &mut raw.token,
                "id_cliente_servico" => &mut raw.id_cliente_servico,
                "nome" => &mut raw.nome,
                "telefone" => &mut raw.telefone,
                "email" => &mut raw.email,
                "timeout_ms" => &mut raw.timeout_ms,
                "draft_key" => &mut raw.draft_key,
                "locked" => &mut raw.locked,
                "services" => &mut raw.services,
                "tipos" => &mut raw.tipos,
                "abrir_os" => &mut raw.abrir_os,
                "locale" => &mut raw.locale,
                "labels" => &mut raw.labels,
                _ => &mut raw.mode,
            };
            *slot = value.filter(|v| !v.is_null());
        }
        raw
    }

    /// [`RawOptions::read`] from a JSON object's members (any other value reads as empty).
    pub fn from_json(object: &Json) -> RawOptions {
        RawOptions::read(|name| Ok(object.get(name).cloned()))
    }
}

/// One choice offered by the host: a service or a ticket type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// `id_cliente_servico` or `id_tipo_atendimento`.
    pub id: u64,
    /// What the customer sees, e.g. "Fibra 500 Mega – Rua das Flores, 123".
    pub label: String,
}

/// Most choices accepted in `services` or `tipos`.
pub const MAX_CHOICES: usize = 50;

/// Default time limit of one request, in milliseconds (30 s).
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Accepted range of `timeout_ms`, in milliseconds (1 s to 5 min).
pub const TIMEOUT_RANGE_MS: std::ops::RangeInclusive<u32> = 1_000..=300_000;

/// A checked endpoint: absolute `https://` URL, or `http://` on a loopback host; no credentials,
/// query or fragment; stored without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(String);

/// Why an endpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// Not an absolute `http(s)://host[:port][/path]` URL.
    Malformed,
    /// Plain `http://` to a host that is not loopback: the token would travel in clear text.
    Insecure,
}

impl Endpoint {
    /// Parses and checks `text`. Errors: [`EndpointError::Malformed`] for anything that is not
    /// `http(s)://host[:port][/path]` (user info, `?`, `#`, spaces or an empty host are refused),
    /// [`EndpointError::Insecure`] for `http://` unless the host is `localhost`, `*.localhost`,
    /// `127.0.0.0/8` or `[::1]` (loopback, RFC 6761 / RFC 1122).
    pub fn parse(text: &str) -> Result<Endpoint, EndpointError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let (secure, rest) = if lower.starts_with("https://") {
            (true, &text[8..])
        } else if lower.starts_with("http://") {
            (false, &text[7..])
        } else {
            return Err(EndpointError::Malformed);
        };
        if rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'))
        {
            return Err(EndpointError::Malformed);
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(EndpointError::Malformed);
        }
        let host = split_host(authority).ok_or(EndpointError::Malformed)?;
        if !secure && !is_loopback(host) {
            return Err(EndpointError::Insecure);
        }
        let scheme = if secure { "https://" } else { "http://" };
        let path = path.trim_end_matches('/');
        Ok(Endpoint(format!("{scheme}{authority}{path}")))
    }

    /// The endpoint without a trailing `/`, e.g. `https://api.isp.hubsoft.com.br`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `host` can be a URL host: an IPv6 literal `[…]` of hex digits, `:` and `.`; or a
/// domain (or IPv4 address) of non-empty dot-separated labels, optionally ending with a dot,
/// free of the WHATWG URL Standard's forbidden domain code points (controls, space, `#`,
/// `%`, `/`, `:`, `<`, `>`, `?`, `@`, `[`, `\`, `]`, `^`, `|`, DEL). Browsers would refuse
/// such a URL at the first `fetch`, long after the customer typed a ticket. Empty labels
/// (`a..b`) are refused too, although the URL Standard parses them: no DNS name has one.
fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.contains(':')
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && !label
                    .chars()
                    .any(|c| c.is_control() || " #%/:<>?@[\\]^|".contains(c))
        })
}
/// Returns the host of `host[:port]` / `[v6][:port]` when well formed.
fn split_host(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
        let end = stripped.find(']')?;
        let host = &authority[..end + 2];
        let after = &stripped[end + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return None,
        };
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if !valid_host(host) {
        return None;
    }
    if let Some(p) = port {
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) && p.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return None,
        }
    }
    Some(host)
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// A bearer token. Kept in memory only; its `Debug` is redacted so it can never reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Accepts a non-blank token of visible ASCII characters (`!` to `~`): RFC 6750's `b64token`
    /// and JWTs are ASCII, and a header value outside ISO-8859-1 makes `fetch` throw. Surrounding
    /// whitespace is trimmed.
    pub fn new(text: &str) -> Option<Token> {
        let t = text.trim();
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic())).then(|| Token(t.to_owned()))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// A problem with the host's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `options` is not an object.
    NotAnObject,
    /// Option `name` holds a value that is not JSON (a function, a symbol, a BigInt, or nested
    /// too deeply).
    NotJson(&'static str),
    /// `endpoint` missing or blank.
    MissingEndpoint,
    /// `endpoint` present but not a usable URL (see [`Endpoint::parse`]).
    BadEndpoint(EndpointError),
    /// `token` missing or blank.
    MissingToken,
    /// `token` contains spaces or control characters.
    BadToken,
    /// `id_cliente_servico` is not a positive integer.
    BadServiceId,
    /// `timeout_ms` is not an integer in [`TIMEOUT_RANGE_MS`].
    BadTimeout,
    /// `locked` is not an array of known field keys.
    BadLocked,
    /// `services` or `tipos` (the name) is not an array of `{id, label}` objects (1 to 50).
    BadChoices(&'static str),
    /// `abrir_os` is not a boolean.
    BadAbrirOs,
    /// `parametros` is not a plain object.
    BadParametros,
    /// `labels` is not an object whose values are texts.
    BadLabels,
    /// `id_cliente_servico` disagrees with `services`: not the one service given, or not among
    /// several while `locked` fixes it. A ticket on the wrong contract is worse than none.
    ServiceNotListed,
    /// Option `name` has the wrong type; `expected` says what it should be.
    WrongType {
        /// The option's key.
        name: &'static str,
        /// What it should be, in Portuguese.
        expected: &'static str,
    },
}

impl ConfigError {
    /// A Brazilian Portuguese sentence for the ISP's developer (shown in the widget and logged to
    /// the console). Never contains the token.
    pub fn message_pt(&self) -> String {
        match self {
            ConfigError::NotAnObject => "As opções de mount() devem ser um objeto.".into(),
            ConfigError::NotJson(name) => format!(
                "A opção \"{name}\" deve ser um valor JSON (texto, número, booleano, lista ou objeto)."
            ),
            ConfigError::MissingEndpoint => {
                "A opção \"endpoint\" é obrigatória (URL do Hubsoft ou do gateway).".into()
            }
            ConfigError::BadEndpoint(EndpointError::Malformed) => {
                "A opção \"endpoint\" deve ser uma URL absoluta, como https://api.provedor.hubsoft.com.br.".into()
            }
            ConfigError::BadEndpoint(EndpointError::Insecure) => {
                "A opção \"endpoint\" usa http:// sem criptografia; use https:// (http:// só é aceito para localhost).".into()
            }
            ConfigError::MissingToken => {
                "A opção \"token\" é obrigatória (ou \"tokenProvider\", uma função).".into()
            }
            ConfigError::BadToken => {
                "A opção \"token\" só pode conter caracteres ASCII visíveis (sem espaços, acentos ou quebras de linha).".into()
            }
            ConfigError::BadServiceId => {
                "A opção \"id_cliente_servico\" deve ser um número inteiro positivo.".into()
            }
            ConfigError::BadLocked => {
                "A opção \"locked\" deve ser uma lista de campos: \"nome\", \"telefone\", \"email\" ou \"id_cliente_servico\".".into()
            }
            ConfigError::BadChoices("services") => {
                "A opção \"services\" deve ser uma lista (de 1 a 50) de objetos {id_cliente_servico, label}.".into()
            }
            ConfigError::BadChoices(name) => format!(
                "A opção \"{name}\" deve ser uma lista (de 1 a 50) de objetos {{id_tipo_atendimento, label}}."
            ),
            ConfigError::BadAbrirOs => {
                "A opção \"abrir_os\" deve ser true ou false (um booleano, não um texto).".into()
            }
            ConfigError::BadParametros => "A opção \"parametros\" deve ser um objeto.".into(),
            ConfigError::BadLabels => {
                "A opção \"labels\" deve ser um objeto de textos, por exemplo {\"submit\": \"Enviar\"}.".into()
            }
            ConfigError::BadTimeout => {
                "A opção \"timeout_ms\" deve ser um número inteiro de 1000 a 300000 (milissegundos).".into()
            }
            ConfigError::WrongType { name, expected } => {
                format!("A opção \"{name}\" deve ser {expected}.")
            }
            ConfigError::ServiceNotListed => {
                "A opção \"id_cliente_servico\" não está entre os \"services\": o chamado iria para um contrato incerto.".into()
            }
        }
    }
}

/// Checked options: everything the widget needs to render and submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where to POST.
    pub endpoint: Endpoint,
    /// The bearer token; `None` when the host gave a `tokenProvider` instead (called at submit
    /// time by the embedding layer).
    pub token: Option<Token>,
    /// The host-fixed service id; hides the "Serviço" field.
    pub id_cliente_servico: Option<u64>,
    /// Initial form values (prefill); `id_cliente_servico` inside is empty.
    pub prefill: FormValues,
    /// Time limit of one request, in milliseconds.
    pub timeout_ms: u32,
    /// The host's customer key for drafts, if given.
    pub draft_key: Option<String>,
    /// Fields the host fixed (shown as text, still submitted).
    pub locked: Vec<Field>,
    /// The customer's services (empty: none given).
    pub services: Vec<Choice>,
    /// Ticket types the customer may pick (empty: no "Tipo" choice).
    pub tipos: Vec<Choice>,
    /// `abrir_os` to pass through.
    pub abrir_os: Option<bool>,
    /// `parametros` to pass through, as JSON text of an object.
    pub parametros: Option<String>,
    /// The active locale and the host's text overrides.
    pub i18n: I18n,
    /// `mode="modal"`: a launcher button opens the form in a dialog.
    pub modal: bool,
    /// Host values that disagree with each other but leave a form the customer can still get
    /// right (a service id not among several `services`, a locked field without a usable
    /// value): nothing is substituted, the customer chooses or types, and the widget logs each
    /// sentence (Portuguese, for the ISP's developer) with `console.warn`.
    pub warnings: Vec<String>,
}

impl Options {
    /// The `localStorage` key of this customer's draft: per endpoint, service and `draft_key`
    /// ([`super::draft::storage_key`]).
    pub fn draft_storage_key(&self) -> String {
        super::draft::storage_key(
            self.endpoint.as_str(),
            self.id_cliente_servico,
            self.draft_key.as_deref(),
        )
    }

    /// The choice fields whose value in `values` (say, from a draft saved under another
    /// configuration) is not something the host offers now: a `id_tipo_atendimento` not among
    /// `tipos` (or with no `tipos` at all), and any typed `id_cliente_servico` when `services`
    /// are given (the service then comes from the customer's pick only). Such a value is never
    /// sent: the widget clears it, says so in the console, and the customer chooses.
    pub fn unoffered(&self, values: &FormValues) -> Vec<Field> {
        let listed = |value: &str, choices: &[Choice]| {
            parse_id(value.trim()).is_some_and(|id| choices.iter().any(|c| c.id == id))
        };
        let mut out = Vec::new();
        if !values.id_cliente_servico.trim().is_empty() && !self.services.is_empty() {
            out.push(Field::IdClienteServico);
        }
        let tipo = &values.id_tipo_atendimento;
        if !tipo.trim().is_empty() && !listed(tipo, &self.tipos) {
            out.push(Field::IdTipoAtendimento);
        }
        out
    }

    /// Checks every option and returns all problems at once, in a stable order.
    pub fn from_raw(raw: RawOptions) -> Result<Options, Vec<ConfigError>> {
        let mut errors: Vec<ConfigError> = raw
            .unreadable
            .iter()
            .map(|n| ConfigError::NotJson(n))
            .collect();
        let endpoint = match opt_string(&raw.endpoint, "endpoint") {
            Err(e) => {
                errors.push(e);
                None
            }
            // An unreadable value is already reported (NotJson): not "missing" as well.
            Ok(None) if raw.unreadable.contains(&"endpoint") => None,
            Ok(None) => {
                errors.push(ConfigError::MissingEndpoint);
                None
            }
            Ok(Some(s)) => Endpoint::parse(&s)
                .map_err(|e| errors.push(ConfigError::BadEndpoint(e)))
                .ok(),
        };
        let token = match opt_string(&raw.token, "token") {
            Err(e) => {
                errors.push(e);
                None
            }
            Ok(None) => {
                if !raw.has_token_provider && !raw.unreadable.contains(&"token") {
                    errors.push(ConfigError::MissingToken);
                }
                None
            }
            Ok(Some(s)) => Token::new(&s).or_else(|| {
                errors.push(ConfigError::BadToken);
                None
            }),
        };
        let id_cliente_servico = match &raw.id_cliente_servico {
            None | Some(Json::Null) => None,
            Some(Json::Number(n)) => {
                let id = n
                    .as_u64()
                    .or_else(|| {
                        Some(n.as_f64())
                            .filter(|f| f.fract() == 0.0 && *f >= 1.0)
                            .map(|f| f as u64)
                    })
                    .and_then(|i| parse_id(&i.to_string()));
                if id.is_none() {
                    errors.push(ConfigError::BadServiceId);
                }
                id
            }
            Some(Json::String(s)) if s.trim().is_empty() => None,
            Some(Json::String(s)) => parse_id(s.trim()).or_else(|| {
                errors.push(ConfigError::BadServiceId);
                None
            }),
            Some(_) => {
                errors.push(ConfigError::BadServiceId);
                None
            }
        };
        let mut prefill = FormValues::default();
        for (name, value, slot) in [
            ("nome", &raw.nome, &mut prefill.nome),
            ("telefone", &raw.telefone, &mut prefill.telefone),
            ("email", &raw.email, &mut prefill.email),
        ] {
            match opt_string(value, name) {
                Ok(v) => *slot = v.unwrap_or_default(),
                Err(e) => errors.push(e),
            }
        }
        let timeout_ms = match &raw.timeout_ms {
            None | Some(Json::Null) => DEFAULT_TIMEOUT_MS,
            Some(j) => match match j {
                // The `timeout-ms` attribute arrives as text.
                Json::String(t) => parse_id(t.trim()),
                _ => j
                    .as_number()
                    .filter(|n| n.is_integer())
                    .and_then(|n| n.as_u64()),
            } {
                Some(ms)
                    if ms <= u64::from(u32::MAX) && TIMEOUT_RANGE_MS.contains(&(ms as u32)) =>
                {
                    ms as u32
                }
                _ => {
                    errors.push(ConfigError::BadTimeout);
                    DEFAULT_TIMEOUT_MS
                }
            },
        };
        let draft_key = opt_string(&raw.draft_key, "draft_key").unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let locked = match &raw.locked {
            None | Some(Json::Null) => Vec::new(),
            Some(j) => {
                let parsed: Option<Vec<Field>> = j.as_array().and_then(|items| {
                    items
                        .iter()
                        .map(|i| {
                            i.as_str().and_then(|k| {
                                [
                                    Field::Nome,
                                    Field::Telefone,
                                    Field::Email,
                                    Field::IdClienteServico,
                                ]
                                .into_iter()
                                .find(|f| f.key() == k)
                            })
                        })
                        .collect()
                });
                parsed.unwrap_or_else(|| {
                    errors.push(ConfigError::BadLocked);
                    Vec::new()
                })
            }
        };
        let services = choices(&raw.services, "services", "id_cliente_servico", &mut errors);
        let tipos = choices(&raw.tipos, "tipos", "id_tipo_atendimento", &mut errors);
        // Host values are never replaced by others. One service: it, unless the host's id says
        // another (a configuration error). Several: the host's id if listed; otherwise the
        // customer chooses (told to the developer), or, when `locked` fixes the id, a
        // configuration error.
        let mut warnings = Vec::new();
        let id_cliente_servico = match (services.as_slice(), id_cliente_servico) {
            ([], id) => id,
            ([only], Some(id)) if only.id != id => {
                errors.push(ConfigError::ServiceNotListed);
                None
            }
            ([only], _) => Some(only.id),
            (several, Some(id)) if !several.iter().any(|c| c.id == id) => {
                if locked.contains(&Field::IdClienteServico) {
                    errors.push(ConfigError::ServiceNotListed);
                } else {
                    warnings.push(format!(
                        "\"id_cliente_servico\" {id} não está entre os \"services\": o cliente escolhe o serviço."
                    ));
                }
                None
            }
            (_, id) => id,
        };
        // A locked field needs a usable host value; without one it stays editable.
        for &f in &locked {
            let usable = match f {
                Field::IdClienteServico => id_cliente_servico.is_some(),
                _ => {
                    !prefill.get(f).is_empty()
                        && super::form::validate_field(f, &prefill, None).is_ok()
                }
            };
            if !usable {
                warnings.push(format!(
                    "\"locked\" inclui \"{}\", mas o valor dado falta ou é inválido: o campo fica editável.",
                    f.key()
                ));
            }
        }
        let abrir_os = match &raw.abrir_os {
            None | Some(Json::Null) => None,
            Some(Json::Bool(b)) => Some(*b),
            Some(_) => {
                errors.push(ConfigError::BadAbrirOs);
                None
            }
        };
        let parametros = match raw.parametros_json {
            None => None,
            Some(Ok(text)) => Some(text),
            Some(Err(())) => {
                errors.push(ConfigError::BadParametros);
                None
            }
        };
        let locale = opt_string(&raw.locale, "locale")
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            })
            .map(|tag| Locale::parse(&tag))
            .unwrap_or_default();
        let overrides = match &raw.labels {
            None | Some(Json::Null) => Vec::new(),
            Some(j) => {
                let parsed: Option<Vec<(String, String)>> = j.as_object().and_then(|pairs| {
                    pairs
                        .iter()
                        .map(|(k, v)| v.as_str().map(|t| (k.clone(), t.to_owned())))
                        .collect()
                });
                parsed.unwrap_or_else(|| {
                    errors.push(ConfigError::BadLabels);
                    Vec::new()
                })
            }
        };
        let modal = match opt_string(&raw.mode, "mode") {
            Ok(None) => false,
            Ok(Some(m)) if m == "inline" => false,
            Ok(Some(m)) if m == "modal" => true,
            _ => {
                errors.push(ConfigError::WrongType {
                    name: "mode",
                    expected: "\"inline\" ou \"modal\"",
                });
                false
            }
        };
        match (endpoint, token) {
            (Some(endpoint), token)
                if errors.is_empty() && (token.is_some() || raw.has_token_provider) =>
            {
                Ok(Options {
                    warnings,
                    modal,
                    i18n: I18n { locale, overrides },
                    locked,
                    services,
                    tipos,
                    abrir_os,
                    parametros,
                    endpoint,
                    token,
                    id_cliente_servico,
                    prefill,
                    timeout_ms,
                    draft_key,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A string option: absent, `null` or blank → `Ok(None)`; a string → trimmed; numbers are
/// accepted for `telefone`-like values; anything else is [`ConfigError::WrongType`].
fn opt_string(value: &Option<Json>, name: &'static str) -> Result<Option<String>, ConfigError> {
    match value {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.trim().to_owned())),
        // A phone given as a whole number (`37999112233`): its decimal digits. Fractions are
        // refused below (no float formatting code in the bundle for this).
        Some(Json::Number(n)) if name == "telefone" && whole_digits(n).is_some() => {
            Ok(whole_digits(n))
        }
        Some(_) => Err(ConfigError::WrongType {
            name,
            expected: "um texto",
        }),
    }
}

/// Reads a list of `{<id_key>: positive integer, label: non-blank string}` (1 to
/// [`MAX_CHOICES`]); absent or `null` is an empty list.
fn choices(
    value: &Option<Json>,
    name: &'static str,
    id_key: &str,
    errors: &mut Vec<ConfigError>,
) -> Vec<Choice> {
    let Some(value) = value.as_ref().filter(|v| !v.is_null()) else {
        return Vec::new();
    };
    let parsed: Option<Vec<Choice>> = value
        .as_array()
        .filter(|items| (1..=MAX_CHOICES).contains(&items.len()))
        .and_then(|items| {
            items
                .iter()
                .map(|item| {
                    let id = match item.get(id_key)? {
                        Json::String(s) => parse_id(s.trim()),
                        Json::Number(n) => whole_digits(n).and_then(|d| parse_id(&d)),
                        _ => None,
                    }?;
                    let label = item.get("label")?.as_str()?.trim();
                    (!label.is_empty()).then(|| Choice {
                        id,
                        label: label.to_owned(),
                    })
                })
                .collect()
        });
    parsed.unwrap_or_else(|| {
        errors.push(ConfigError::BadChoices(name));
        Vec::new()
    })
}

/// A non-negative whole number below 10^15 as decimal digits (JavaScript numbers arrive as
/// integers or whole floats); `None` otherwise.
fn whole_digits(n: &JsonNumber) -> Option<String> {
    match *n {
        JsonNumber::UInt(u) => Some(u.to_string()),
        JsonNumber::Float(f) if (0.0..1e15).contains(&f) && f.fract() == 0.0 => {
            Some((f as u64).to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn raw(v: Value) -> RawOptions {
        RawOptions::from_json(&serde_json::from_value(v).unwrap())
    }

    #[test]
    fn read_asks_for_each_name_and_reports_values_that_are_not_json() {
        let mut asked = Vec::new();
        let raw = RawOptions::read(|name| {
            asked.push(name);
            match name {
                "endpoint" => Ok(Some(Json::String("https://a.com.br".into()))),
                "token" => Err(NotJson),
                "nome" => Ok(Some(Json::Null)),
                _ => Ok(None),
            }
        });
        assert_eq!(asked, RawOptions::NAMES);
        assert_eq!(raw.unreadable, ["token"]);
        assert_eq!(raw.nome, None, "null is the same as absent");
        let errors = Options::from_raw(raw).unwrap_err();
        assert_eq!(
            errors,
            [ConfigError::NotJson("token")],
            "not also \"missing\""
        );
        assert_eq!(
            errors[0].message_pt(),
            "A opção \"token\" deve ser um valor JSON (texto, número, booleano, lista ou objeto)."
        );
        // Unknown keys are ignored; every known key lands in its own field.
        let j: Json = serde_json::from_value(json!({
            "endpoint": "https://a.com.br", "token": "t", "mode": "modal", "outro": 1
        }))
        .unwrap();
        let o = Options::from_raw(RawOptions::from_json(&j)).unwrap();
        assert!(o.modal);
    }

    #[test]
    fn endpoints() {
        let ok = [
            (
                "https://api.isp.hubsoft.com.br",
                "https://api.isp.hubsoft.com.br",
            ),
            ("HTTPS://api.isp.com.br/", "https://api.isp.com.br"),
            (
                "https://gw.isp.com.br:8443/hub/",
                "https://gw.isp.com.br:8443/hub",
            ),
            ("http://localhost:8787", "http://localhost:8787"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("http://[::1]:9000", "http://[::1]:9000"),
            ("http://demo.localhost", "http://demo.localhost"),
            ("https://[2001:db8::1]", "https://[2001:db8::1]"),
            ("https://[::ffff:127.0.0.1]", "https://[::ffff:127.0.0.1]"),
            ("https://api.isp.com.br.", "https://api.isp.com.br."),
            (
                "https://provedor-são-joão.com.br",
                "https://provedor-são-joão.com.br",
            ),
            ("https://gw_1.isp.com.br", "https://gw_1.isp.com.br"),
        ];
        for (input, want) in ok {
            assert_eq!(Endpoint::parse(input).unwrap().as_str(), want, "{input}");
        }
        let bad = [
            ("", EndpointError::Malformed),
            ("api.isp.com.br", EndpointError::Malformed),
            ("/api", EndpointError::Malformed),
            ("ftp://x.com", EndpointError::Malformed),
            ("javascript:alert(1)", EndpointError::Malformed),
            ("https://", EndpointError::Malformed),
            ("https://user:pw@x.com", EndpointError::Malformed),
            ("https://x.com/?a=1", EndpointError::Malformed),
            ("https://x.com/#f", EndpointError::Malformed),
            ("https://x .com", EndpointError::Malformed),
            ("https://x.com:0", EndpointError::Malformed),
            ("https://x.com:99999", EndpointError::Malformed),
            ("https://x.com:abc", EndpointError::Malformed),
            ("https://[::1", EndpointError::Malformed),
            ("https://a<b>.com", EndpointError::Malformed),
            ("https://[zz]", EndpointError::Malformed),
            ("https://[]", EndpointError::Malformed),
            ("https://a..b", EndpointError::Malformed),
            ("https://.com", EndpointError::Malformed),
            ("https://x|y.com", EndpointError::Malformed),
            ("https://x%41.com", EndpointError::Malformed),
            ("https://x^.com", EndpointError::Malformed),
            ("http://api.isp.com.br", EndpointError::Insecure),
            ("http://127.0.0.1.evil.com", EndpointError::Insecure),
            ("http://10.0.0.1", EndpointError::Insecure),
            ("http://localhost.evil.com", EndpointError::Insecure),
        ];
        for (input, want) in bad {
            assert_eq!(Endpoint::parse(input), Err(want), "{input}");
        }
    }

    #[test]
    fn full_options() {
        let o = Options::from_raw(raw(json!({
            "endpoint": "https://api.isp.com.br/",
            "token": " abc ",
            "id_cliente_servico": 11000,
            "nome": " Maria ",
            "telefone": "37999112233",
            "email": null,
            "unknown": [1, 2]
        })))
        .unwrap();
        assert_eq!(o.endpoint.as_str(), "https://api.isp.com.br");
        assert_eq!(o.token.as_ref().unwrap().expose(), "abc");
        assert_eq!(o.id_cliente_servico, Some(11000));
        assert_eq!(o.prefill.nome, "Maria");
        assert_eq!(o.prefill.telefone, "37999112233");
        assert_eq!(o.prefill.email, "");
    }

    #[test]
    fn service_id_forms() {
        let base = |id: Value| {
            Options::from_raw(raw(
                json!({"endpoint":"https://a.com.br","token":"t","id_cliente_servico": id}),
            ))
        };
        assert_eq!(
            base(json!("12000")).unwrap().id_cliente_servico,
            Some(12000)
        );
        assert_eq!(
            base(json!(12000.0)).unwrap().id_cliente_servico,
            Some(12000)
        );
        assert_eq!(base(json!("")).unwrap().id_cliente_servico, None);
        for bad in [
            json!(0),
            json!(-1),
            json!(1.5),
            json!("x"),
            json!(true),
            json!([1]),
        ] {
            assert_eq!(
                base(bad.clone()).unwrap_err(),
                vec![ConfigError::BadServiceId],
                "{bad}"
            );
        }
    }

    #[test]
    fn locked_services_tipos_abrir_os_parametros() {
        let mut r = raw(json!({
            "endpoint": "https://a.com.br", "token": "t",
            "locked": ["nome", "telefone"],
            "services": [
                {"id_cliente_servico": 11000, "label": "Fibra 500"},
                {"id_cliente_servico": "11001", "label": " Loja "}
            ],
            "id_cliente_servico": 11001,
            "tipos": [{"id_tipo_atendimento": 109, "label": "Sem acesso à internet"}],
            "abrir_os": false
        }));
        r.parametros_json = Some(Ok(r#"{"origem":"portal"}"#.into()));
        let o = Options::from_raw(r).unwrap();
        assert_eq!(o.locked, vec![Field::Nome, Field::Telefone]);
        assert_eq!(o.services.len(), 2);
        assert_eq!(
            o.services[1],
            Choice {
                id: 11001,
                label: "Loja".into()
            }
        );
        assert_eq!(
            o.id_cliente_servico,
            Some(11001),
            "host's id is the default when listed"
        );
        assert_eq!(
            o.tipos,
            vec![Choice {
                id: 109,
                label: "Sem acesso à internet".into()
            }]
        );
        assert_eq!(o.abrir_os, Some(false));
        assert_eq!(o.parametros.as_deref(), Some(r#"{"origem":"portal"}"#));

        let one = Options::from_raw(raw(json!({"endpoint": "https://a.com.br", "token": "t",
            "services": [{"id_cliente_servico": 12000, "label": "Único"}]})))
        .unwrap();
        assert_eq!(one.id_cliente_servico, Some(12000));
    }

    #[test]
    fn host_values_that_disagree_are_never_replaced() {
        let two = json!([{"id_cliente_servico": 1, "label": "a"}, {"id_cliente_servico": 2, "label": "b"}]);
        let opts = |extra: Value| {
            let mut v = json!({"endpoint": "https://a.com.br", "token": "t"});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            Options::from_raw(raw(v))
        };
        // Several services, the host's id not among them: nothing preselected, a warning.
        let o = opts(json!({"id_cliente_servico": 999, "services": two})).unwrap();
        assert_eq!(o.id_cliente_servico, None, "the customer chooses");
        assert_eq!(o.warnings.len(), 1);
        assert!(o.warnings[0].contains("999"), "{:?}", o.warnings);
        // Several services and no host id: nothing preselected either (no silent first).
        let o = opts(json!({"services": two})).unwrap();
        assert_eq!(o.id_cliente_servico, None);
        assert!(o.warnings.is_empty());
        // Listed: preselected, nothing to say.
        let o = opts(json!({"id_cliente_servico": "2", "services": two})).unwrap();
        assert_eq!((o.id_cliente_servico, o.warnings.len()), (Some(2), 0));
        // One service that is not the host's id, or a locked id not among several: the form
        // cannot be trusted.
        assert_eq!(
            opts(
                json!({"id_cliente_servico": 5, "services": [{"id_cliente_servico": 6, "label": "x"}]})
            ),
            Err(vec![ConfigError::ServiceNotListed])
        );
        assert_eq!(
            opts(
                json!({"id_cliente_servico": 5, "services": two, "locked": ["id_cliente_servico"]})
            ),
            Err(vec![ConfigError::ServiceNotListed])
        );
        assert!(ConfigError::ServiceNotListed
            .message_pt()
            .contains("services"));
        // Locked fields without a usable value: said, not hidden.
        let o = opts(
            json!({"locked": ["nome", "telefone", "email", "id_cliente_servico"],
            "nome": "Maria", "telefone": "9911-2233"}),
        )
        .unwrap();
        assert_eq!(o.warnings.len(), 3, "{:?}", o.warnings);
        for key in ["\"telefone\"", "\"email\"", "\"id_cliente_servico\""] {
            assert!(
                o.warnings.iter().any(|w| w.contains(key)),
                "{key}: {:?}",
                o.warnings
            );
        }
        let o = opts(
            json!({"locked": ["nome", "telefone"], "nome": "Maria", "telefone": "37999112233"}),
        )
        .unwrap();
        assert!(o.warnings.is_empty(), "{:?}", o.warnings);
        // A draft's choice the host no longer offers is never sent.
        let draft = |servico: &str, tipo: &str| FormValues {
            id_cliente_servico: servico.into(),
            id_tipo_atendimento: tipo.into(),
            ..Default::default()
        };
        let o = opts(json!({"services": two, "tipos": [{"id_tipo_atendimento": 109, "label": "Sem internet"}]}))
            .unwrap();
        assert_eq!(o.unoffered(&draft("", "109")), vec![]);
        assert_eq!(
            o.unoffered(&draft("11000", "7")),
            vec![Field::IdClienteServico, Field::IdTipoAtendimento]
        );
        let plain = opts(json!({})).unwrap();
        assert_eq!(
            plain.unoffered(&draft("11000", "")),
            vec![],
            "typed service, no services"
        );
        assert_eq!(
            plain.unoffered(&draft("", "109")),
            vec![Field::IdTipoAtendimento]
        );

        let bad = |extra: Value| {
            let mut v = json!({"endpoint": "https://a.com.br", "token": "t"});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            Options::from_raw(raw(v)).unwrap_err()
        };
        assert_eq!(
            bad(json!({"locked": ["senha"]})),
            vec![ConfigError::BadLocked]
        );
        assert_eq!(bad(json!({"locked": "nome"})), vec![ConfigError::BadLocked]);
        assert_eq!(
            bad(json!({"services": []})),
            vec![ConfigError::BadChoices("services")]
        );
        assert_eq!(
            bad(json!({"services": [{"id_cliente_servico": 0, "label": "x"}]})),
            vec![ConfigError::BadChoices("services")]
        );
        assert_eq!(
            bad(json!({"tipos": [{"id_tipo_atendimento": 1, "label": " "}]})),
            vec![ConfigError::BadChoices("tipos")]
        );
        assert_eq!(
            bad(json!({"abrir_os": "false"})),
            vec![ConfigError::BadAbrirOs]
        );
        let mut r = raw(json!({"endpoint": "https://a.com.br", "token": "t"}));
        r.parametros_json = Some(Err(()));
        assert_eq!(
            Options::from_raw(r).unwrap_err(),
            vec![ConfigError::BadParametros]
        );
        for e in [
            ConfigError::BadLocked,
            ConfigError::BadChoices("tipos"),
            ConfigError::BadAbrirOs,
            ConfigError::BadParametros,
        ] {
            assert!(e.message_pt().starts_with("A opção"));
        }
    }

    #[test]
    fn tokens_are_visible_ascii_only() {
        assert!(Token::new(" eyJhbGciOi.J9-_~+/= ").is_some());
        for bad in [
            "",
            "a b",
            "demo-token\u{200b}",
            "tokén",
            "x€",
            "a\nb",
            "\u{7f}",
        ] {
            assert!(Token::new(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn locale_and_labels() {
        let o = Options::from_raw(raw(json!({"endpoint": "https://a.com.br", "token": "t",
            "locale": "es-AR", "labels": {"submit": "Enviar"}})))
        .unwrap();
        assert_eq!(o.i18n.locale, Locale::Es);
        assert_eq!(o.i18n.text("submit"), "Enviar");
        assert_eq!(o.i18n.text("done.title"), "¡Solicitud abierta!");
        let d = Options::from_raw(raw(
            json!({"endpoint": "https://a.com.br", "token": "t", "locale": "fr"}),
        ))
        .unwrap();
        assert_eq!(d.i18n.locale, Locale::PtBr);
        let e = Options::from_raw(raw(
            json!({"endpoint": "https://a.com.br", "token": "t", "labels": {"submit": 1}}),
        ))
        .unwrap_err();
        assert_eq!(e, vec![ConfigError::BadLabels]);
    }

    #[test]
    fn a_token_provider_makes_the_token_optional() {
        let mut r = raw(json!({"endpoint": "https://a.com.br"}));
        assert_eq!(
            Options::from_raw(r).unwrap_err(),
            vec![ConfigError::MissingToken]
        );
        r = raw(json!({"endpoint": "https://a.com.br"}));
        r.has_token_provider = true;
        assert_eq!(Options::from_raw(r).unwrap().token, None);
        r = raw(json!({"endpoint": "https://a.com.br", "token": "a b"}));
        r.has_token_provider = true;
        assert_eq!(
            Options::from_raw(r).unwrap_err(),
            vec![ConfigError::BadToken]
        );
    }

    #[test]
    fn timeout_and_draft_key() {
        let base = |extra: serde_json::Value| {
            let mut v = serde_json::json!({"endpoint": "https://a.com.br", "token": "t"});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            Options::from_raw(raw(v))
        };
        let o = base(serde_json::json!({})).unwrap();
        assert_eq!(o.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(o.draft_key, None);
        let o =
            base(serde_json::json!({"timeout_ms": 5000, "draft_key": " cliente-1204 "})).unwrap();
        assert_eq!(o.timeout_ms, 5000);
        assert_eq!(
            base(serde_json::json!({"timeout_ms": "5000"}))
                .unwrap()
                .timeout_ms,
            5000
        );
        assert_eq!(o.draft_key.as_deref(), Some("cliente-1204"));
        for bad in [
            serde_json::json!(999),
            serde_json::json!(300_001),
            serde_json::json!(1500.5),
            serde_json::json!("abc"),
            serde_json::json!(""),
            serde_json::json!(-1),
        ] {
            assert_eq!(
                base(serde_json::json!({ "timeout_ms": bad })).unwrap_err(),
                vec![ConfigError::BadTimeout],
                "{bad}"
            );
        }
    }

    #[test]
    fn every_problem_reported() {
        let errs = Options::from_raw(raw(json!({"nome": 5, "email": {"a":1}}))).unwrap_err();
        assert_eq!(
            errs,
            vec![
                ConfigError::MissingEndpoint,
                ConfigError::MissingToken,
                ConfigError::WrongType {
                    name: "nome",
                    expected: "um texto"
                },
                ConfigError::WrongType {
                    name: "email",
                    expected: "um texto"
                },
            ]
        );
        let errs = Options::from_raw(raw(
            json!({"endpoint": "http://hub.isp.com.br", "token": "a b", }),
        ))
        .unwrap_err();
        assert_eq!(
            errs,
            vec![
                ConfigError::BadEndpoint(EndpointError::Insecure),
                ConfigError::BadToken
            ]
        );
        let errs = Options::from_raw(raw(json!({"endpoint": 42, "token": ["x"]}))).unwrap_err();
        assert_eq!(errs.len(), 2);
        for e in errs {
            assert!(e.message_pt().starts_with("A opção"));
        }
    }

    #[test]
    fn numeric_telefone_and_float_ids() {
        let o = |v: Value| Options::from_raw(raw(v));
        let base = json!({"endpoint":"https://a.com.br","token":"t"});
        let with = |k: &str, v: Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        for (tel, want) in [
            (json!(37999112233u64), "37999112233"),
            (json!(37999112233.0), "37999112233"),
        ] {
            assert_eq!(o(with("telefone", tel)).unwrap().prefill.telefone, want);
        }
        for bad in [json!(1.5), json!(1e20), json!(-3)] {
            assert_eq!(
                o(with("telefone", bad.clone())).unwrap_err(),
                vec![ConfigError::WrongType {
                    name: "telefone",
                    expected: "um texto"
                }],
                "{bad}"
            );
        }
        assert_eq!(
            o(with("id_cliente_servico", json!(9007199254740991.0)))
                .unwrap()
                .id_cliente_servico,
            Some(9_007_199_254_740_991)
        );
        for bad in [
            json!(9007199254740992u64),
            json!(1e300),
            json!(-0.0),
            json!(0.5),
        ] {
            assert_eq!(
                o(with("id_cliente_servico", bad)).unwrap_err(),
                vec![ConfigError::BadServiceId]
            );
        }
    }

    #[test]
    fn messages_never_contain_the_token() {
        let errs = Options::from_raw(raw(json!({"endpoint": "x", "token": "segredo com espaço"})))
            .unwrap_err();
        for e in &errs {
            assert!(!e.message_pt().contains("segredo"));
            assert!(!format!("{e:?}").contains("segredo"));
        }
    }
}
