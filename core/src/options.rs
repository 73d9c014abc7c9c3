//! The host's `mount(element, options)` options, checked before anything renders.
//!
//! `options` arrives from JavaScript as a plain object; the embedding module turns it into
//! [`RawOptions`] (every value kept as loose [`Json`] so that a wrong type gets a precise message
//! instead of a generic deserialisation error) and [`Options::from_raw`] checks it. A bad option
//! gives [`ConfigError`]s that the widget shows and logs, never a panic.

pub use super::endpoint::{Endpoint, EndpointError, Token};
use super::form::{parse_id, Field, FormValues};
use super::i18n::{I18n, Locale};
use super::json::{Json, JsonNumber, NotJson};
use super::ticket::TicketRules;

/// The options object as received, each value still untyped. Unknown keys are ignored; `null`
/// is the same as absent. In the browser each JSON option of [`OPTION_NAMES`] is read with
/// `Reflect.get` and converted by the widget's `js_json` module, which gives a JavaScript number that is a
/// safe integer as an integer and any other number as a float.
#[derive(Debug, Default)]
pub struct RawOptions {
    /// Base URL of the Hubsoft server or of a gateway speaking the same contract. Required.
    pub endpoint: Option<Json>,
    /// Bearer token for `Authorization: Bearer …` (`docs/hubsoft-api.md` §1), visible ASCII
    /// only ([`Token::new`]). Needed at submit (or a `tokenProvider`), not to render: a missing
    /// token is not a configuration error.
    pub token: Option<Json>,
    /// The customer's service id: a positive integer (number or numeric string). Optional; when
    /// given the "Serviço" field is not shown.
    pub id_cliente_servico: Option<Json>,
    /// Prefill for "Nome". Optional string.
    pub nome: Option<Json>,
    /// Prefill for "Telefone". Optional string, any format (`docs/hubsoft-api.md` §5).
    pub telefone: Option<Json>,
    /// Prefill for "E-mail". Optional string.
    pub email: Option<Json>,
    /// Time limit of one request in milliseconds, within [`TIMEOUT_RANGE_MS`]. Optional; default
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
    /// `abrir_os`: a boolean passed through (`docs/hubsoft-api.md` §2). Optional.
    pub abrir_os: Option<Json>,
    /// `locale`: `pt-BR` (default), `en` or `es` (BCP 47; unknown tags fall back to `pt-BR`).
    pub locale: Option<Json>,
    /// `labels`: an object of message key → text overriding the table ([`crate::i18n`]).
    pub labels: Option<Json>,
    /// `mode`: `"inline"` (default) or `"modal"` (a launcher button opens a dialog).
    pub mode: Option<Json>,
    /// `idempotency_key`: whether each submit carries an `Idempotency-Key` header (see
    /// [`read_idempotency_key`] for the accepted values). Optional; off by default.
    pub idempotency_key: Option<Json>,
    /// `loading`: when the custom element loads the WebAssembly, in the spirit of HTML's
    /// `<img loading>`: `"eager"` (default) at once, `"lazy"` when the element comes near the
    /// viewport or on the customer's first focus, pointer or key in it. Read by the element
    /// shim (`src/embed/element.js`); checked here so a bad value is a configuration error.
    pub loading: Option<Json>,
    /// Set by the embedding layer: the `<abrir-chamado>` attributes whose text could not be read
    /// ([`ConfigError::BadAttribute`]).
    pub bad_attributes: Vec<&'static str>,
    /// Set by the embedding layer: the host's `parametros` object as JSON text
    /// (`JSON.stringify`), or `Err(())` when `parametros` was given but is not a plain object.
    pub parametros_json: Option<Result<String, ()>>,
    /// Options present with a value that is not JSON (a function, a symbol, a BigInt, or nesting
    /// deeper than [`crate::json::MAX_DEPTH`]): each is reported as
    /// [`ConfigError::NotJson`].
    pub unreadable: Vec<&'static str>,
}

/// How an option's value is read from the host's options object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A JSON value, read into [`RawOptions`] by [`RawOptions::read`].
    Json,
    /// A function (`tokenProvider`), read by the embedding layer.
    Function,
    /// An object passed through as its JSON text (`parametros`), serialised by the embedding
    /// layer into [`RawOptions::parametros_json`].
    JsonText,
}

/// One option of the widget and the names it goes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionName {
    /// The key in the `mount(element, options)` object, e.g. `"id_cliente_servico"`.
    pub option: &'static str,
    /// The `<abrir-chamado>` attribute carrying it, e.g. `"id-cliente-servico"`, if any.
    pub attribute: Option<&'static str>,
    /// The `<abrir-chamado>` property carrying it, e.g. `"abrirOs"`, if any.
    pub property: Option<&'static str>,
    /// How its value is read.
    pub kind: OptionKind,
}

const fn name(
    option: &'static str,
    attribute: Option<&'static str>,
    property: Option<&'static str>,
    kind: OptionKind,
) -> OptionName {
    OptionName {
        option,
        attribute,
        property,
        kind,
    }
}

/// Every option, once: the Rust reader ([`RawOptions::read`]), the custom element's
/// attributes and properties (`src/embed/element.js`) and the README's tables follow this list
/// (`core/tests/option_names.rs` checks the last two). The `theme` attribute is not an option:
/// only the stylesheet reads it.
pub const OPTION_NAMES: [OptionName; 19] = {
    use OptionKind::{Function, Json, JsonText};
    [
        name("endpoint", Some("endpoint"), None, Json),
        name("token", Some("token"), Some("token"), Json),
        name("tokenProvider", None, Some("tokenProvider"), Function),
        name("id_cliente_servico", Some("id-cliente-servico"), None, Json),
        name("nome", Some("nome"), None, Json),
        name("telefone", Some("telefone"), None, Json),
        name("email", Some("email"), None, Json),
        name("timeout_ms", Some("timeout-ms"), None, Json),
        name("draft_key", Some("draft-key"), None, Json),
        name("locked", Some("locked"), Some("locked"), Json),
        name("services", Some("services"), Some("services"), Json),
        name("tipos", Some("tipos"), Some("tipos"), Json),
        name("abrir_os", Some("abrir-os"), Some("abrirOs"), Json),
        name(
            "parametros",
            Some("parametros"),
            Some("parametros"),
            JsonText,
        ),
        name("locale", Some("locale"), None, Json),
        name("labels", Some("labels"), Some("labels"), Json),
        name("mode", Some("mode"), None, Json),
        name("idempotency_key", Some("idempotency-key"), None, Json),
        name("loading", Some("loading"), None, Json),
    ]
};

/// The [`OptionKind::Json`] options of [`OPTION_NAMES`], in table order: what
/// [`RawOptions::read`] asks for. Computed at compile time, so only these names (not the
/// attribute and property names) are in the bundle.
pub const JSON_OPTIONS: [&str; 17] = {
    let mut out = [""; 17];
    let (mut i, mut n) = (0, 0);
    while i < OPTION_NAMES.len() {
        if matches!(OPTION_NAMES[i].kind, OptionKind::Json) {
            out[n] = OPTION_NAMES[i].option;
            n += 1;
        }
        i += 1;
    }
    assert!(
        n == out.len(),
        "JSON_OPTIONS has the length of the Json entries"
    );
    out
};

/// The `<abrir-chamado>` attributes that carry a rich option as JSON text, and the boolean
/// `abrir-os`: the ones the element reads with `JSON.parse` (or as a boolean) and may report
/// as [`ConfigError::BadAttribute`]. Each is an attribute of [`OPTION_NAMES`] (a test checks it).
pub const PARSED_ATTRIBUTES: [&str; 6] = [
    "services",
    "tipos",
    "locked",
    "labels",
    "parametros",
    "abrir-os",
];

impl RawOptions {
    /// The slot of the JSON option `name`, or `None` for a name that has none (every
    /// [`OptionKind::Json`] entry of [`OPTION_NAMES`] has one; a test checks it).
    fn slot(&mut self, name: &str) -> Option<&mut Option<Json>> {
        Some(match name {
            "endpoint" => &mut self.endpoint,
            "token" => &mut self.token,
            "id_cliente_servico" => &mut self.id_cliente_servico,
            "nome" => &mut self.nome,
            "telefone" => &mut self.telefone,
            "email" => &mut self.email,
            "timeout_ms" => &mut self.timeout_ms,
            "draft_key" => &mut self.draft_key,
            "locked" => &mut self.locked,
            "services" => &mut self.services,
            "tipos" => &mut self.tipos,
            "abrir_os" => &mut self.abrir_os,
            "locale" => &mut self.locale,
            "labels" => &mut self.labels,
            "mode" => &mut self.mode,
            "idempotency_key" => &mut self.idempotency_key,
            "loading" => &mut self.loading,
            _ => return None,
        })
    }

    /// Reads each of [`JSON_OPTIONS`] (the [`OptionKind::Json`] options, in table order) through
    /// `get`, which returns `Ok(None)` for an absent key, `Ok(Some(value))`, or `Err(NotJson)`
    /// for a value that is not JSON (recorded in [`RawOptions::unreadable`]). The
    /// embedding-only fields are left at their defaults.
    pub fn read(mut get: impl FnMut(&'static str) -> Result<Option<Json>, NotJson>) -> RawOptions {
        let mut raw = RawOptions::default();
        for name in JSON_OPTIONS {
            let value = get(name).unwrap_or_else(|NotJson| {
                raw.unreadable.push(name);
                None
            });
            if let Some(slot) = raw.slot(name) {
                *slot = value.filter(|v| !v.is_null());
            }
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
    /// The `<abrir-chamado>` attribute `name` holds invalid JSON (`services`, `tipos`,
    /// `locked`, `labels`, `parametros`) or, for the boolean `abrir-os`, a value other than
    /// none, `""`, `"true"` or `"false"`.
    BadAttribute(&'static str),
    /// `token` is not a non-blank run of visible ASCII characters ([`Token::new`]).
    BadToken,
    /// `id_cliente_servico` is not a positive integer.
    BadServiceId,
    /// `timeout_ms` is not an integer in [`TIMEOUT_RANGE_MS`].
    BadTimeout,
    /// `locked` is not an array of known field keys.
    BadLocked,
    /// `services` or `tipos` (the name) is not an array of 1 to [`MAX_CHOICES`] `{id, label}`
    /// objects.
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
                "A opção \"endpoint\" deve ser uma URL absoluta, como https://api.provedor.hubsoft.com.br, sem usuário, senha, consulta (?) nem fragmento (#).".into()
            }
            ConfigError::BadEndpoint(EndpointError::Insecure) => {
                "A opção \"endpoint\" usa http:// sem criptografia; use https:// (http:// só é aceito para localhost).".into()
            }
            ConfigError::BadAttribute("abrir-os") => {
                "O atributo \"abrir-os\" deve estar ausente (não), vazio ou \"true\" (sim), ou \"false\".".into()
            }
            ConfigError::BadAttribute(name) => format!(
                "O atributo \"{name}\" não é um JSON válido; use aspas simples em volta e aspas duplas dentro, por exemplo {name}='[…]' ou {name}='{{…}}'."
            ),
            ConfigError::BadToken => {
                "A opção \"token\" só pode conter caracteres ASCII visíveis (sem espaços, acentos ou quebras de linha).".into()
            }
            ConfigError::BadServiceId => {
                "A opção \"id_cliente_servico\" deve ser um número inteiro positivo.".into()
            }
            ConfigError::BadLocked => {
                "A opção \"locked\" deve ser uma lista de campos: \"nome\", \"telefone\", \"email\" ou \"id_cliente_servico\".".into()
            }
            // The limits are written out (a test checks them against MAX_CHOICES and
            // TIMEOUT_RANGE_MS): formatting them at run time costs bundle size for nothing.
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
    /// Whether each submit intent carries an `Idempotency-Key` header, is retried automatically
    /// after a network failure or timeout, and may be sent again safely
    /// ([`super::idempotency`]).
    pub idempotency_key: bool,
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
    /// `tipos` (or with no `tipos` at all), and an `id_cliente_servico` not among `services`
    /// when they are given (the host removed the service the customer picked). Such a value is never
    /// sent: the widget clears it, says so in the console, and the customer chooses.
    pub fn unoffered(&self, values: &FormValues) -> Vec<Field> {
        let listed = |value: &str, choices: &[Choice]| {
            parse_id(value.trim()).is_some_and(|id| choices.iter().any(|c| c.id == id))
        };
        let mut out = Vec::new();
        let service = &values.id_cliente_servico;
        if !service.trim().is_empty()
            && !self.services.is_empty()
            && !listed(service, &self.services)
        {
            out.push(Field::IdClienteServico);
        }
        let tipo = &values.id_tipo_atendimento;
        if !tipo.trim().is_empty() && !listed(tipo, &self.tipos) {
            out.push(Field::IdTipoAtendimento);
        }
        out
    }

    /// The host's rules for the ticket: the fixed service, whether a type is required (the host
    /// offers `tipos`), and `abrir_os` and `parametros` to send.
    pub fn ticket_rules(&self) -> TicketRules {
        TicketRules {
            fixed_service: self.id_cliente_servico,
            choices: if !self.services.is_empty() && !self.locked.contains(&Field::IdClienteServico)
            {
                self.services.iter().map(|c| c.id).collect()
            } else {
                Vec::new()
            },
            tipo_required: !self.tipos.is_empty(),
            abrir_os: self.abrir_os,
            parametros: self.parametros.clone(),
        }
    }

    /// Checks every option and returns all problems at once, in a stable order (the order of
    /// the readers below).
    pub fn from_raw(raw: RawOptions) -> Result<Options, Vec<ConfigError>> {
        let mut errors: Vec<ConfigError> = raw
            .unreadable
            .iter()
            .map(|n| ConfigError::NotJson(n))
            .chain(
                raw.bad_attributes
                    .iter()
                    .map(|a| ConfigError::BadAttribute(a)),
            )
            .collect();
        let e = &mut errors;
        let endpoint = read_endpoint(&raw, e);
        let token = read_token(&raw, e);
        let host_service = read_service_id(&raw.id_cliente_servico, e);
        let prefill = read_prefill(&raw, e);
        let timeout_ms = read_timeout(&raw.timeout_ms, e);
        let draft_key = keep(opt_string(&raw.draft_key, "draft_key"), e).flatten();
        let locked = read_locked(&raw.locked, e);
        let services = read_choices(&raw.services, "services", "id_cliente_servico", e);
        let tipos = read_choices(&raw.tipos, "tipos", "id_tipo_atendimento", e);
        let mut warnings = Vec::new();
        let id_cliente_servico =
            default_service(host_service, &services, &locked, e, &mut warnings);
        warn_unusable_locks(&locked, &prefill, id_cliente_servico, &mut warnings);
        let abrir_os = read_abrir_os(&raw.abrir_os, e);
        let parametros = read_parametros(raw.parametros_json, e);
        let locale = keep(opt_string(&raw.locale, "locale"), e)
            .flatten()
            .map(|tag| Locale::parse(&tag))
            .unwrap_or_default();
        let overrides = read_labels(&raw.labels, e);
        let modal = read_modal(&raw.mode, e);
        read_loading(&raw.loading, e);
        let idempotency_key = keep(read_idempotency_key(&raw.idempotency_key), e).unwrap_or(false);
        match (endpoint, token) {
            (Some(endpoint), token) if errors.is_empty() => Ok(Options {
                warnings,
                idempotency_key,
                modal,
                i18n: I18n {
                    locale,
                    overrides,
                    catalog: None,
                },
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
            }),
            _ => Err(errors),
        }
    }
}

/// `Ok(value)` as `Some(value)`; an error is recorded and gives `None`.
fn keep<T>(result: Result<T, ConfigError>, errors: &mut Vec<ConfigError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// `endpoint`: required, checked by [`Endpoint::parse`]. An unreadable value is already reported
/// ([`ConfigError::NotJson`]), not "missing" as well.
fn read_endpoint(raw: &RawOptions, errors: &mut Vec<ConfigError>) -> Option<Endpoint> {
    match keep(opt_string(&raw.endpoint, "endpoint"), errors)? {
        None if raw.unreadable.contains(&"endpoint") => None,
        None => {
            errors.push(ConfigError::MissingEndpoint);
            None
        }
        Some(text) => keep(
            Endpoint::parse(&text).map_err(ConfigError::BadEndpoint),
            errors,
        ),
    }
}

/// `token`: checked by [`Token::new`] when given. A missing token (with no `tokenProvider`
/// either) is not a configuration error: frameworks often set it a moment after the first
/// render, and it is needed only at submit, where its absence is reported
/// ([`crate::error::SubmitError::TokenUnavailable`]).
fn read_token(raw: &RawOptions, errors: &mut Vec<ConfigError>) -> Option<Token> {
    keep(opt_string(&raw.token, "token"), errors)?
        .and_then(|text| keep(Token::new(&text).ok_or(ConfigError::BadToken), errors))
}

/// `id_cliente_servico`: a positive integer up to [`crate::form::ID_MAX`], as a number (a whole
/// float counts) or numeric text; blank text is absent.
fn read_service_id(value: &Option<Json>, errors: &mut Vec<ConfigError>) -> Option<u64> {
    let id = match value {
        None | Some(Json::Null) => return None,
        Some(Json::String(s)) if s.trim().is_empty() => return None,
        Some(Json::String(s)) => parse_id(s.trim()),
        Some(Json::Number(n)) => n
            .as_u64()
            .or_else(|| {
                Some(n.as_f64())
                    .filter(|f| f.fract() == 0.0 && *f >= 1.0)
                    .map(|f| f as u64)
            })
            .and_then(|i| parse_id(&i.to_string())),
        Some(_) => None,
    };
    keep(id.ok_or(ConfigError::BadServiceId), errors)
}

/// `nome`, `telefone` and `email`: the prefill, each an optional string.
fn read_prefill(raw: &RawOptions, errors: &mut Vec<ConfigError>) -> FormValues {
    let mut prefill = FormValues::default();
    for (name, value, slot) in [
        ("nome", &raw.nome, &mut prefill.nome),
        ("telefone", &raw.telefone, &mut prefill.telefone),
        ("email", &raw.email, &mut prefill.email),
    ] {
        if let Some(v) = keep(opt_string(value, name), errors) {
            *slot = v.unwrap_or_default();
        }
    }
    prefill
}

/// `timeout_ms`: an integer in [`TIMEOUT_RANGE_MS`], as a number or as text (the `timeout-ms`
/// attribute); absent is [`DEFAULT_TIMEOUT_MS`].
fn read_timeout(value: &Option<Json>, errors: &mut Vec<ConfigError>) -> u32 {
    let ms = match value {
        None | Some(Json::Null) => return DEFAULT_TIMEOUT_MS,
        Some(Json::String(t)) => parse_id(t.trim()),
        Some(j) => j
            .as_number()
            .filter(|n| n.is_integer())
            .and_then(|n| n.as_u64()),
    };
    let ms = ms
        .and_then(|ms| u32::try_from(ms).ok())
        .filter(|ms| TIMEOUT_RANGE_MS.contains(ms))
        .ok_or(ConfigError::BadTimeout);
    keep(ms, errors).unwrap_or(DEFAULT_TIMEOUT_MS)
}

/// `locked`: an array of field keys among `nome`, `telefone`, `email`, `id_cliente_servico`.
fn read_locked(value: &Option<Json>, errors: &mut Vec<ConfigError>) -> Vec<Field> {
    const LOCKABLE: [Field; 4] = [
        Field::Nome,
        Field::Telefone,
        Field::Email,
        Field::IdClienteServico,
    ];
    let Some(value) = value.as_ref().filter(|v| !v.is_null()) else {
        return Vec::new();
    };
    let parsed: Option<Vec<Field>> = value.as_array().and_then(|items| {
        items
            .iter()
            .map(|i| {
                i.as_str()
                    .and_then(|k| LOCKABLE.into_iter().find(|f| f.key() == k))
            })
            .collect()
    });
    keep(parsed.ok_or(ConfigError::BadLocked), errors).unwrap_or_default()
}

/// The service the form starts with. Host values are never replaced by others: with no
/// `services`, the host's id; with one, that one, unless the host's id says another (a
/// configuration error); with several, the host's id if listed, else none (the customer
/// chooses; a warning), or a configuration error when `locked` fixes the unlisted id.
fn default_service(
    host: Option<u64>,
    services: &[Choice],
    locked: &[Field],
    errors: &mut Vec<ConfigError>,
    warnings: &mut Vec<String>,
) -> Option<u64> {
    match (services, host) {
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
    }
}

/// A locked field needs a usable host value; without one it stays editable (see
/// `WidgetState`), and the developer is told.
fn warn_unusable_locks(
    locked: &[Field],
    prefill: &FormValues,
    service: Option<u64>,
    warnings: &mut Vec<String>,
) {
    for &f in locked {
        let usable = match f {
            Field::IdClienteServico => service.is_some(),
            _ => {
                !prefill.get(f).is_empty() && super::form::validate_field(f, prefill, None).is_ok()
            }
        };
        if !usable {
            warnings.push(format!(
                "\"locked\" inclui \"{}\", mas o valor dado falta ou é inválido: o campo fica editável.",
                f.key()
            ));
        }
    }
}

/// `abrir_os`: a JSON boolean (`docs/hubsoft-api.md` §2; the text `"false"` is refused).
fn read_abrir_os(value: &Option<Json>, errors: &mut Vec<ConfigError>) -> Option<bool> {
    match value {
        None | Some(Json::Null) => None,
        Some(Json::Bool(b)) => Some(*b),
        Some(_) => keep(Err(ConfigError::BadAbrirOs), errors),
    }
}

/// `parametros`: the JSON text of a plain object, as the embedding layer serialised it.
fn read_parametros(
    value: Option<Result<String, ()>>,
    errors: &mut Vec<ConfigError>,
) -> Option<String> {
    keep(value?.map_err(|()| ConfigError::BadParametros), errors)
}

/// `labels`: an object of message key → text.
fn read_labels(value: &Option<Json>, errors: &mut Vec<ConfigError>) -> Vec<(String, String)> {
    let Some(value) = value.as_ref().filter(|v| !v.is_null()) else {
        return Vec::new();
    };
    let parsed: Option<Vec<(String, String)>> = value.as_object().and_then(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| v.as_str().map(|t| (k.clone(), t.to_owned())))
            .collect()
    });
    keep(parsed.ok_or(ConfigError::BadLabels), errors).unwrap_or_default()
}

/// `mode`: `"inline"` (or absent) or `"modal"`; `true` for modal.
fn read_modal(value: &Option<Json>, errors: &mut Vec<ConfigError>) -> bool {
    let modal = match opt_string(value, "mode") {
        Ok(None) => Ok(false),
        Ok(Some(m)) if m == "inline" => Ok(false),
        Ok(Some(m)) if m == "modal" => Ok(true),
        _ => Err(ConfigError::WrongType {
            name: "mode",
            expected: "\"inline\" ou \"modal\"",
        }),
    };
    keep(modal, errors).unwrap_or(false)
}

/// `loading`: `"eager"`, `"lazy"` (in any case) or absent. The element shim acts on it; the widget only
/// checks it, so a misspelt value is reported instead of silently loading eagerly.
fn read_loading(value: &Option<Json>, errors: &mut Vec<ConfigError>) {
    let loading = match opt_string(value, "loading") {
        Ok(None) => Ok(()),
        // Case-insensitive, as HTML's enumerated attributes (`<img loading>`).
        Ok(Some(m)) if m.eq_ignore_ascii_case("eager") || m.eq_ignore_ascii_case("lazy") => Ok(()),
        _ => Err(ConfigError::WrongType {
            name: "loading",
            expected: "\"eager\" ou \"lazy\"",
        }),
    };
    keep(loading, errors);
}

/// Reads `idempotency_key`, a boolean option that also arrives as the text of the
/// `idempotency-key` attribute: absent, `null`, `false` or `"false"` → off; `true`, `"true"` or
/// `""` (the attribute present without a value) → on. Anything else (`"sim"`, `"TRUE"`, `1`…)
/// is [`ConfigError::WrongType`].
pub fn read_idempotency_key(value: &Option<Json>) -> Result<bool, ConfigError> {
    match value {
        None | Some(Json::Null) => Ok(false),
        Some(Json::Bool(on)) => Ok(*on),
        Some(Json::String(s)) if s.is_empty() || s == "true" => Ok(true),
        Some(Json::String(s)) if s == "false" => Ok(false),
        Some(_) => Err(ConfigError::WrongType {
            name: "idempotency_key",
            expected: "true ou false",
        }),
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

/// `services` or `tipos` (`name`): a list of `{<id_key>: positive integer, label: non-blank
/// string}`, 1 to [`MAX_CHOICES`] long; absent or `null` is an empty list.
fn read_choices(
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
        let json_names: Vec<&str> = OPTION_NAMES
            .iter()
            .filter(|n| n.kind == OptionKind::Json)
            .map(|n| n.option)
            .collect();
        assert_eq!(asked, json_names);
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
    fn every_json_option_has_a_slot_and_an_unknown_name_has_none() {
        let mut raw = RawOptions::default();
        for entry in OPTION_NAMES {
            assert_eq!(
                raw.slot(entry.option).is_some(),
                entry.kind == OptionKind::Json,
                "{}",
                entry.option
            );
        }
        assert!(raw.slot("outro").is_none());
        let mut options: Vec<&str> = OPTION_NAMES.iter().map(|n| n.option).collect();
        options.sort_unstable();
        options.dedup();
        assert_eq!(options.len(), OPTION_NAMES.len(), "each option once");
    }

    #[test]
    fn an_endpoint_refused_for_its_user_query_or_fragment_says_what_is_not_allowed() {
        for text in [
            "https://user:SENHA@api.exemplo.com.br",
            "https://api.exemplo.com.br/?token=SEGREDO",
            "https://api.exemplo.com.br/#frag",
        ] {
            let error = ConfigError::BadEndpoint(Endpoint::parse(text).unwrap_err());
            let message = error.message_pt();
            assert!(
                message.contains("sem usuário, senha, consulta (?) nem fragmento (#)"),
                "{text}: {message}"
            );
            assert!(!message.contains("SENHA") && !message.contains("SEGREDO"));
        }
    }

    #[test]
    fn config_messages_state_the_limits_of_the_constants() {
        assert_eq!(
            ConfigError::BadChoices("tipos").message_pt(),
            format!("A opção \"tipos\" deve ser uma lista (de 1 a {MAX_CHOICES}) de objetos {{id_tipo_atendimento, label}}.")
        );
        assert!(ConfigError::BadChoices("services")
            .message_pt()
            .contains(&format!("(de 1 a {MAX_CHOICES})")));
        assert!(ConfigError::BadTimeout.message_pt().contains(&format!(
            "de {} a {}",
            TIMEOUT_RANGE_MS.start(),
            TIMEOUT_RANGE_MS.end()
        )));
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
    fn a_missing_token_is_judged_at_submit_not_when_rendering() {
        // Frameworks set the token (or provider) a moment after the first render.
        let r = raw(json!({"endpoint": "https://a.com.br"}));
        assert_eq!(Options::from_raw(r).unwrap().token, None);
        let r = raw(json!({"endpoint": "https://a.com.br", "token": "a b"}));
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
    fn the_parsed_attributes_are_attributes_of_the_table() {
        for name in PARSED_ATTRIBUTES {
            assert!(
                OPTION_NAMES.iter().any(|n| n.attribute == Some(name)),
                "{name}"
            );
        }
    }

    #[test]
    fn an_unreadable_attribute_is_named() {
        let mut r = raw(json!({"endpoint": "https://a.com.br"}));
        r.bad_attributes = vec!["services", "abrir-os"];
        let errs = Options::from_raw(r).unwrap_err();
        assert_eq!(
            errs,
            [
                ConfigError::BadAttribute("services"),
                ConfigError::BadAttribute("abrir-os")
            ]
        );
        assert!(errs[0]
            .message_pt()
            .starts_with("O atributo \"services\" não é um JSON válido"));
        assert!(errs[1].message_pt().contains("\"false\""));
    }

    #[test]
    fn every_problem_reported() {
        let errs = Options::from_raw(raw(json!({"nome": 5, "email": {"a":1}}))).unwrap_err();
        assert_eq!(
            errs,
            vec![
                ConfigError::MissingEndpoint,
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
    fn loading_is_eager_or_lazy() {
        let with = |v: Value| {
            let mut o = json!({ "endpoint": "https://a.com.br", "token": "t" });
            o["loading"] = v;
            Options::from_raw(raw(o))
        };
        for good in ["eager", "lazy", "", "Lazy", " EAGER "] {
            assert!(with(json!(good)).is_ok(), "{good}");
        }
        for bad in [json!("soon"), json!("lazy-ish"), json!(true)] {
            assert_eq!(
                with(bad.clone()).unwrap_err(),
                vec![ConfigError::WrongType {
                    name: "loading",
                    expected: "\"eager\" ou \"lazy\""
                }],
                "{bad}"
            );
        }
    }

    #[test]
    fn idempotency_key_is_off_unless_asked_for() {
        let with = |v: Option<Value>| {
            let mut o = json!({"endpoint": "https://a.com.br", "token": "t"});
            if let Some(v) = v {
                o["idempotency_key"] = v;
            }
            Options::from_raw(raw(o))
        };
        assert!(!with(None).unwrap().idempotency_key, "off by default");
        for (value, on) in [
            (json!(null), false),
            (json!(false), false),
            (json!("false"), false),
            (json!(true), true),
            (json!("true"), true),
            (json!(""), true),
        ] {
            assert_eq!(
                with(Some(value.clone())).unwrap().idempotency_key,
                on,
                "{value}"
            );
        }
        for bad in [
            json!("sim"),
            json!("1"),
            json!("TRUE"),
            json!(" true"),
            json!(1),
            json!([true]),
            json!({}),
        ] {
            let errors = with(Some(bad.clone())).unwrap_err();
            assert_eq!(
                errors,
                [ConfigError::WrongType {
                    name: "idempotency_key",
                    expected: "true ou false"
                }],
                "{bad}"
            );
            assert_eq!(
                errors[0].message_pt(),
                "A opção \"idempotency_key\" deve ser true ou false."
            );
        }
    }

    #[test]
    fn one_service_never_silently_replaces_a_contract_the_customer_typed() {
        use crate::state::{Action, WidgetState};
        let o = Options::from_raw(raw(json!({"endpoint": "https://a.com.br", "token": "t",
            "services": [{"id_cliente_servico": 11000, "label": "Fibra 300"}]})))
        .unwrap();
        let rules = o.ticket_rules();
        assert_eq!(
            (rules.fixed_service, rules.choices.clone()),
            (Some(11000), vec![11000])
        );
        // Nothing typed: the one service, preselected.
        let fresh = WidgetState::new(FormValues::default(), rules.clone());
        assert_eq!(fresh.rules.fixed_service, Some(11000));
        assert!(o.unoffered(&fresh.values).is_empty());
        // The customer typed 11001 before the portal gave its one service: not replaced, asked.
        let typed = FormValues {
            id_cliente_servico: "11001".into(),
            ..Default::default()
        };
        let s = WidgetState::new(FormValues::default(), TicketRules::default())
            .reduce(Action::Input {
                field: Field::IdClienteServico,
                value: typed.id_cliente_servico.clone(),
            })
            .reduce(Action::HostChanged {
                prefill: FormValues::default(),
                rules,
                locked: Vec::new(),
            });
        assert_eq!(o.unoffered(&s.values), vec![Field::IdClienteServico]);
        let s = s.reduce(Action::Withdrawn(Field::IdClienteServico));
        assert_eq!(s.rules.fixed_service, None, "asked, not replaced");
        assert_eq!(
            s.error_for(Field::IdClienteServico),
            Some(&crate::form::FieldError::Withdrawn)
        );
        assert_eq!(s.reduce(Action::Submit).submission, 0, "nothing sent");
        // A later host change (the portal's `tipos` arriving, say) does not answer for them.
        let s = s.reduce(Action::HostChanged {
            prefill: FormValues {
                nome: "Maria".into(),
                ..Default::default()
            },
            rules: o.ticket_rules(),
            locked: Vec::new(),
        });
        assert_eq!(s.rules.fixed_service, None, "still asked");
        assert_eq!(
            s.error_for(Field::IdClienteServico),
            Some(&crate::form::FieldError::Withdrawn)
        );
        let s = s.reduce(Action::ChooseService(11000));
        assert_eq!(s.rules.fixed_service, Some(11000));
        assert!(s.error_for(Field::IdClienteServico).is_none());
        // The same contract typed: nothing to ask.
        let same = WidgetState::with_draft(
            FormValues::default(),
            o.ticket_rules(),
            Some(FormValues {
                id_cliente_servico: "11000".into(),
                ..Default::default()
            }),
        );
        assert!(o.unoffered(&same.values).is_empty());
        assert_eq!(same.rules.fixed_service, Some(11000));
        // Locked by the host: the host's service, no choice.
        let locked = Options::from_raw(raw(json!({"endpoint": "https://a.com.br", "token": "t",
            "id_cliente_servico": 11000, "locked": ["id_cliente_servico"],
            "services": [{"id_cliente_servico": 11000, "label": "Fibra 300"}]})))
        .unwrap();
        assert!(locked.ticket_rules().choices.is_empty());
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
