//! Classification of Hubsoft's answer to `POST /api/v1/integracao/atendimento` (`docs/hubsoft-api.md` §2).
//!
//! **Success rule** (`docs/hubsoft-api.md` §2): HTTP 2xx **and** `status` ∈ {`success`, `suscess`} **and**
//! `atendimento.id_atendimento` present; and, because the ticket certainly exists then, any 2xx
//! whose `atendimento` carries an id and a protocolo and whose `status` is not `error` (in any
//! case), marked [`Success::unusual`]. Everything else is a [`SubmitError`]. Unknown fields are
//! ignored, `null`s are normal, and `protocolo` is kept as a string (it grew from 15 to 20 digits).
//!
//! The body is parsed outside this module (in the browser by `JSON.parse`, see the widget's `http` module) and
//! classified by [`classify_parsed`]; natively, `classify` parses the text with `serde_json`
//! first.

use super::error::SubmitError;
use super::form::Field;
use super::json::Json;

/// The ticket Hubsoft opened: the fields the widget shows, plus the whole `atendimento` object as
/// received (for the host).
#[derive(Debug, Clone, PartialEq)]
pub struct Atendimento {
    /// `atendimento.id_atendimento`, as text (Hubsoft sends an integer; a string is accepted).
    pub id_atendimento: String,
    /// `atendimento.protocolo`: the ticket number the customer keeps (15 to 20+ digits).
    pub protocolo: String,
    /// `atendimento.status`, e.g. "Aguardando Análise".
    pub status: Option<String>,
    /// `atendimento.data_cadastro`, `dd/mm/yyyy` as sent.
    pub data_cadastro: Option<String>,
    /// `atendimento.tipo_atendimento`, e.g. "SAC".
    pub tipo_atendimento: Option<String>,
    /// The full `atendimento` object ([`Json::Object`]), unknown fields included.
    pub raw: Json,
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The ticket.
    pub atendimento: Atendimento,
    /// The server's `msg`, cleaned. Informational only: never parse the protocol out of it (a
    /// documented example disagrees with the field).
    pub msg: Option<String>,
    /// The answer carried the ticket but not the documented `status` (`success` or `suscess`):
    /// another letter case or spelling, none, or not a string. Worth a word to the developer.
    pub unusual: bool,
}

/// Classifies an HTTP answer whose body text is `body` (may be empty, HTML or anything): parses
/// the trimmed text with `serde_json`, integers beyond 2^53 read as strings of their digits as
/// in the browser ([`super::json::quote_unsafe_integers`]) (nesting deeper than [`super::json::MAX_DEPTH`] is not
/// JSON) and calls [`classify_parsed`]. Never panics. Native builds (and tests) only: the
/// WebAssembly build parses with the browser's `JSON.parse` instead, keeping `serde_json` out of
/// the bundle.
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn classify(status: u16, body: &str) -> Result<Success, SubmitError> {
    let json: Option<Json> =
        serde_json::from_str(&super::json::quote_unsafe_integers(body.trim())).ok();
    classify_parsed(status, json.as_ref())
}

/// Classifies an HTTP answer. `status` is the HTTP status code; `body` the parsed body, `None`
/// when the body was not JSON (empty, HTML, truncated, too deeply nested…). Pure; never panics.
pub fn classify_parsed(status: u16, body: Option<&Json>) -> Result<Success, SubmitError> {
    let object = body.filter(|j| j.as_object().is_some());
    match status {
        200..=299 => {
            let Some(obj) = object else {
                return Err(SubmitError::InvalidResponse { status });
            };
            let said = obj.get("status").and_then(Json::as_str);
            if let Some("success" | "suscess") = said {
                return success_from(obj).ok_or(SubmitError::InvalidResponse { status });
            }
            // Any other `status` (another case or spelling, none, not a string) but `error`, with
            // an `atendimento` that has an id and a protocolo: the ticket exists (`docs/hubsoft-api.md` §2),
            // so the customer gets its protocolo; `unusual` lets the widget tell the developer.
            if !said.is_some_and(|s| s.trim().eq_ignore_ascii_case("error")) {
                if let Some(success) = success_from(obj) {
                    return Ok(Success {
                        unusual: true,
                        ..success
                    });
                }
            }
            match said {
                Some(_) => Err(rejected(status, obj)),
                None if obj.get("msg").is_some() || obj.get("errors").is_some() => {
                    Err(rejected(status, obj))
                }
                None => Err(SubmitError::InvalidResponse { status }),
            }
        }
        401 => Err(SubmitError::Unauthorized),
        // The gateway's refusal of a service outside the customer's token names a form field in
        // `errors`; Hubsoft's own 403 (the API user lacks a permission) names none.
        403 => match object.map(|obj| rejected(status, obj)) {
            Some(refusal) if !refusal.fields().is_empty() => Err(refusal),
            _ => Err(SubmitError::Forbidden),
        },
        404 => Err(SubmitError::NotFound),
        422 => Err(unprocessable(object)),
        429 => Err(SubmitError::RateLimited { retry_after: None }),
        409 => Err(SubmitError::InProgress),
        500..=599 => Err(SubmitError::ServerUnavailable { status }),
        400..=499 => match object {
            Some(obj) if obj.get("status").and_then(Json::as_str) == Some("error") => {
                Err(rejected(status, obj))
            }
            _ => Err(SubmitError::HttpStatus { status }),
        },
        _ => Err(SubmitError::HttpStatus { status }),
    }
}

/// `obj` is a JSON object.
fn success_from(obj: &Json) -> Option<Success> {
    let at = obj.get("atendimento").filter(|a| a.as_object().is_some())?;
    let id_atendimento = scalar_text(at.get("id_atendimento")?)?;
    let protocolo = scalar_text(at.get("protocolo")?)?;
    let text = |k: &str| at.get(k).and_then(scalar_text);
    Some(Success {
        atendimento: Atendimento {
            id_atendimento,
            protocolo,
            status: text("status"),
            data_cadastro: text("data_cadastro"),
            tipo_atendimento: text("tipo_atendimento"),
            raw: at.clone(),
        },
        msg: obj
            .get("msg")
            .and_then(Json::as_str)
            .and_then(clean_server_text),
        unusual: false,
    })
}

/// A non-blank string (cleaned) or an integer, as text; `None` for null, blank, floats, objects.
fn scalar_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => clean_server_text(s),
        // Integers only, written without the float formatter (which the bundle never needs).
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Some(u.to_string()),
            (None, Some(i)) => Some(i.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// `obj` is a JSON object.
fn rejected(status: u16, obj: &Json) -> SubmitError {
    let (errors, keyed) = sentences(obj.get("errors"));
    SubmitError::Rejected {
        status,
        msg: obj
            .get("msg")
            .and_then(Json::as_str)
            .and_then(clean_server_text),
        errors,
        keyed,
    }
}

/// `object`, when present, is a JSON object.
fn unprocessable(object: Option<&Json>) -> SubmitError {
    let (errors, keyed) = sentences(object.and_then(|o| o.get("errors")));
    SubmitError::Unprocessable {
        msg: object
            .and_then(|o| o.get("msg"))
            .and_then(Json::as_str)
            .and_then(clean_server_text),
        errors,
        keyed,
    }
}

/// Flattens `errors` — a list of strings (Hubsoft), a map of field → list (Laravel 422), or a map
/// of field → string — into at most [`MAX_SERVER_LINES`] cleaned sentences, and lists the
/// sentences filed under a form field's key ([`Field::key`]) with that field. A map is read in
/// the byte order of its keys, not in the order received: a JavaScript object puts integer-like
/// keys first.
fn sentences(errors: Option<&Json>) -> (Vec<String>, Vec<(Field, String)>) {
    type Out = (Vec<String>, Vec<(Field, String)>);
    fn walk(v: &Json, out: &mut Out, key: Option<Field>, depth: u8) {
        if out.0.len() >= MAX_SERVER_LINES || depth > 3 {
            return;
        }
        match v {
            Json::String(s) => {
                if let Some(c) = clean_server_text(s) {
                    if let Some(f) = key {
                        out.1.push((f, c.clone()));
                    }
                    if !out.0.contains(&c) {
                        out.0.push(c);
                    }
                }
            }
            Json::Array(items) => items.iter().for_each(|i| walk(i, out, key, depth + 1)),
            Json::Object(_) => v.members_by_key().into_iter().for_each(|(k, i)| {
                let field = Field::ALL.into_iter().find(|f| f.key() == k.as_str());
                walk(i, out, field.or(key), depth + 1)
            }),
            _ => {}
        }
    }
    let mut out = (Vec::new(), Vec::new());
    if let Some(v) = errors {
        walk(v, &mut out, None, 0);
    }
    out
}

/// Most server sentences shown for one failure.
pub const MAX_SERVER_LINES: usize = 8;
/// Longest server sentence shown, in chars; longer ones are cut with `…`.
pub const MAX_SERVER_LINE_CHARS: usize = 300;

/// Cleans one server sentence for display: drops HTML tags (`<b>`, `<br/>`, `</p>`, comments;
/// with the content of `<script>` and `<style>`, which is code, not a sentence), trims, folds
/// runs of whitespace, drops control characters, keeps only the sentences before the first one
/// that shows server internals ([`shows_internals`]: a file path, a SQL error), and cuts it at
/// [`MAX_SERVER_LINE_CHARS`]. A `<` that does not start a tag (`a < b`) is kept. Returns `None`
/// for blank text, and for text whose first sentence shows internals (the caller then uses its
/// generic message).
pub fn clean_server_text(text: &str) -> Option<String> {
    // Decoded first, so that escaped markup (`&lt;b&gt;`) goes with the tags.
    let text = strip_tags(&decode_entities(text));
    let folded = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let folded = before_internals(&folded);
    if folded.is_empty() {
        return None;
    }
    if folded.chars().count() > MAX_SERVER_LINE_CHARS {
        let cut: String = folded.chars().take(MAX_SERVER_LINE_CHARS - 1).collect();
        Some(format!("{cut}…"))
    } else {
        Some(folded.to_owned())
    }
}

/// `text` (whitespace folded) up to the first sentence that [`shows_internals`], trimmed; all of
/// it when none does. A sentence ends at `.`, `!` or `?` followed by a space, or at the end.
fn before_internals(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut start = 0;
    for i in 0..=bytes.len() {
        let end = if i == bytes.len() {
            i
        } else if matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
            i + 1
        } else {
            continue;
        };
        // `start` and `end` follow an ASCII byte (or are 0 / the end): char boundaries.
        if shows_internals(&text[start..end]) {
            return text[..start].trim_end();
        }
        start = end;
    }
    text
}

/// Whether `sentence` shows server internals that must not reach the customer: a file path
/// (`/var/www/app/Models/Atendimento.php:123`, `app/Http/Kernel.php`, `C:\\inetpub\\x.aspx`, any
/// word that starts with `/` and holds another `/`), a PHP namespace (`App\\Services\\X`), or an
/// error of PHP, a database driver or a framework (`SQLSTATE[23505]`, Laravel's `(SQL: …)`,
/// PostgreSQL's `violates unique constraint` or `viola a restrição`, MySQL's `Duplicate entry`,
/// `Call to a member function …`, `Connection refused (tcp://10.0.0.5:5432)`, an
/// `…Exception`), JSON or a Python dict (a sentence that starts with `{`, or holds `{"`, `{ "`,
/// `["`, `[{`, `":"`, `": "`, `":{`, `":[` or `{'`, such as `{ "error": "internal" }`), a JWT (a
/// word that starts with `eyJ` and holds two dots), or an address a program wrote: a host and
/// port (`10.0.0.5:5432`, `api.interno.local:8080/v1`: a dotted name or an IPv4 address, `:` and
/// 2 to 5 digits), a URL with any scheme but `http` or `https` (`tcp://`, `file://`,
/// `jdbc:postgresql://`), an `http(s)` URL whose host is not a dotted name (`http://10.0.0.5/`,
/// `http://localhost/`) or that has a port or userinfo, or a query (`api?token=abc123`, which
/// may carry a secret). An `http(s)` address with a dotted name for host
/// (`https://pagar.provedor.com.br/boleto`) and an address without scheme or query
/// (`www.provedor.com.br/app/pagamento`, `provedor.com.br/app/boleto.php`) are neither paths
/// nor internals. Hubsoft's own sentences are Portuguese and name no file; a sentence taken for
/// internals by mistake only gives way to the caller's generic message.
pub fn shows_internals(sentence: &str) -> bool {
    const MARKERS: [&str; 32] = [
        "sqlstate",
        "(sql:",
        "exception",
        "syntax error",
        "violates ",
        "viola a restri",
        "unique constraint",
        "key constraint",
        "duplicate entry",
        "deadlock",
        "query failed",
        "pg_query",
        "connection refused",
        "could not connect",
        "call to a member function",
        "undefined index",
        "undefined variable",
        "undefined offset",
        "non-object",
        "fatal error",
        "stack trace",
        "typeerror",
        "ora-0",
        // JSON: an object or a list of strings or objects, a member with a string value.
        "{\"",
        "[\"",
        "[{",
        "\":\"",
        "\":{",
        "\":[",
        // JSON written with spaces (`{ "error": "internal" }`), a Python dict (`{'error': …}`).
        "{ \"",
        "\": \"",
        "{'",
    ];
    /// Extensions of code, configuration and log files, after a `.`.
    const CODE_FILES: [&str; 9] = [
        ".php", ".py", ".java", ".rb", ".asp", ".jsp", ".sql", ".log", ".inc",
    ];
    /// A dotted host: two or more labels of ASCII letters, digits and `-`.
    fn dotted(host: &str) -> bool {
        host.contains('.')
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    }
    let named = |host: &str| host.bytes().any(|b| b.is_ascii_alphabetic());
    let lower = sentence.to_ascii_lowercase();
    MARKERS.iter().any(|m| lower.contains(m))
        || lower.trim_start().starts_with('{')
        || lower.split(' ').any(|word| {
            // The word without the punctuation around it.
            let bare = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/');
            // An `http`/`https` address whose host is a dotted name (no IP, port or userinfo).
            let link = bare
                .strip_prefix("https://")
                .or(bare.strip_prefix("http://"))
                .is_some_and(|rest| {
                    let host = rest.split('/').next().unwrap_or_default();
                    dotted(host) && named(host) && !rest.contains("://")
                });
            // A dotted name or an IPv4 address, `:` and a port of 2 to 5 digits.
            let host_port = bare.split_once(':').is_some_and(|(host, port)| {
                let digits = port.bytes().take_while(u8::is_ascii_digit).count();
                dotted(host)
                    && (named(host) || host.split('.').count() == 4)
                    && (2..=5).contains(&digits)
            });
            let web = link
                || word.starts_with("www.")
                || word
                    .split('/')
                    .next()
                    .is_some_and(|host| host.contains('.') && word.contains('/'));
            (word.contains("://") && !link)
                || host_port
                || (bare.starts_with("eyj") && bare.split('.').count() > 2)
                || word
                    .split_once('?')
                    .is_some_and(|(_, query)| query.contains('='))
                || !web
                    && (word.contains('\\')
                        || (word.starts_with('/') && word[1..].contains('/'))
                        || (word.contains('/') && CODE_FILES.iter().any(|e| word.contains(e)))
                        || word.starts_with("c:/"))
        })
}

/// The character references [`decode_entities`] knows, each a name and its character,
/// `;`-separated: PHP's `htmlspecialchars` ones (the apostrophe as `&#039;` or `&#39;` too),
/// `&nbsp;`, and the Portuguese letters that `htmlentities` writes by name.
const ENTITIES: &str = "amp&;lt<;gt>;quot\";#039';#39';apos';nbsp ;aacuteá;AacuteÁ;agraveà;AgraveÀ;acircâ;AcircÂ;atildeã;AtildeÃ;eacuteé;EacuteÉ;ecircê;EcircÊ;iacuteí;IacuteÍ;oacuteó;OacuteÓ;ocircô;OcircÔ;otildeõ;OtildeÕ;uacuteú;UacuteÚ;uumlü;UumlÜ;ccedilç;CcedilÇ";

/// `text` with the HTML character references of [`ENTITIES`] decoded (a server that
/// HTML-escapes its sentences sends `pend&ecirc;ncia` or `&quot;Financeiro&quot;`); anything
/// else is kept as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let known = ENTITIES.split(';').find_map(|entry| {
            let (end, c) = entry.char_indices().last()?;
            rest.strip_prefix(&entry[..end])?
                .strip_prefix(';')
                .map(|after| (c, after))
        });
        match known {
            Some((c, after)) => {
                out.push(c);
                rest = after;
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// Elements that browsers lay out as blocks or line breaks (the HTML Standard's rendering
/// section, <https://html.spec.whatwg.org/multipage/rendering.html>): their tags separate words;
/// each between `,`.
const BLOCK_TAGS: &str = ",p,br,div,li,ul,ol,tr,td,th,table,hr,h1,h2,h3,h4,h5,h6,section,article,header,footer,nav,main,blockquote,pre,dl,dt,dd,form,address,thead,tbody,tfoot,caption,figure,figcaption,";

/// `text` without its HTML tags: a `<` followed by a letter, `/` or `!` up to the next `>` is a
/// tag. The tag of a block ([`BLOCK_TAGS`]: `<p>`, `<br>`, `</div>`, `<li>`…) becomes a space,
/// unless punctuation (`.,;:!?)`) follows it; any other tag (`<b>`, `</span>`, a comment) becomes
/// nothing, as a browser shows it (`<b>financeiro</b>.` is `financeiro.`). The content of
/// `script` and `style` elements goes with their tags.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let tag_like = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(close) = after.find('>').filter(|_| tag_like) else {
            out.push_str(&rest[..=at]);
            rest = after;
            continue;
        };
        out.push_str(&rest[..at]);
        let name = after
            .trim_start_matches('/')
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        rest = &after[close + 1..];
        if BLOCK_TAGS.contains(&[",", &name, ","].concat())
            && !rest.bytes().next().is_some_and(|b| b".,;:!?)".contains(&b))
        {
            out.push(' ');
        }
        if !after.starts_with('/') && (name == "script" || name == "style") {
            // ASCII lower-casing keeps every byte offset.
            let closing = ["</", &name].concat();
            rest = rest
                .to_ascii_lowercase()
                .find(&closing)
                .map_or("", |end| &rest[end..]);
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Field;

    const SEED_SUCCESS: &str = r#"{"status":"success","msg":"Atendimento aberto com sucesso. Anote o protocolo: 201811061730517.",
 "atendimento":{"id_atendimento":286,"protocolo":"201811061730517","tipo_atendimento":"SAC",
  "usuario_abertura":"Master","usuario_responsavel":"Master","usuario_fechamento":null,
  "data_cadastro":"06/11/2018","data_fechamento":null,"setor_responsavel":null,
  "status_fechamento":null,"motivo_fechamento":null,"status":"Aguardando Análise",
  "cliente":{"codigo_cliente":1204,"nome_razaosocial":"BIANCA COUTO","cpf_cnpj":"86214941081"}}}"#;

    #[test]
    fn html_character_references_in_server_sentences_are_decoded() {
        assert_eq!(
            clean_server_text("Cliente com pend&ecirc;ncia no setor &quot;Financeiro&quot; &amp; Cobran&ccedil;a.").as_deref(),
            Some("Cliente com pendência no setor \"Financeiro\" & Cobrança.")
        );
        assert_eq!(
            clean_server_text(
                "D&#039;&Aacute;vila &#39;&eacute;&#39; &lt;b&gt;x&lt;/b&gt; &#0; &foo; a&b; R&D &lt; 3"
            )
            .as_deref(),
            Some("D'Ávila 'é' x &#0; &foo; a&b; R&D < 3")
        );
    }

    #[test]
    fn documented_success() {
        let s = classify(200, SEED_SUCCESS).unwrap();
        assert_eq!(s.atendimento.id_atendimento, "286");
        assert_eq!(s.atendimento.protocolo, "201811061730517");
        assert_eq!(s.atendimento.status.as_deref(), Some("Aguardando Análise"));
        assert_eq!(s.atendimento.data_cadastro.as_deref(), Some("06/11/2018"));
        assert_eq!(s.atendimento.tipo_atendimento.as_deref(), Some("SAC"));
        assert_eq!(
            s.atendimento
                .raw
                .get("cliente")
                .and_then(|c| c.get("codigo_cliente"))
                .and_then(Json::as_u64),
            Some(1204)
        );
        assert!(s.msg.unwrap().starts_with("Atendimento aberto"));
    }

    #[test]
    fn twenty_digit_protocol_suscess_spelling_and_extra_fields() {
        let body = r#"{"status":"suscess","msg":"ok","atendimento":{"id_atendimento":"1001",
            "protocolo":"20250926160819577001","ordens_servico":[{"id_ordem_servico":5}],
            "descricao_abertura":"x | ATENDIMENTO ABERTO VIA API","status":null}}"#;
        let s = classify(201, body).unwrap();
        assert_eq!(s.atendimento.protocolo, "20250926160819577001");
        assert_eq!(s.atendimento.id_atendimento, "1001");
        assert_eq!(s.atendimento.status, None);
        assert_eq!(
            s.atendimento
                .raw
                .get("ordens_servico")
                .and_then(Json::as_array)
                .and_then(|o| o.first())
                .and_then(|o| o.get("id_ordem_servico"))
                .and_then(Json::as_u64),
            Some(5)
        );
    }

    #[test]
    fn bare_numbers_beyond_2_pow_53_keep_every_digit() {
        let body = r#"{"status":"success","atendimento":{"id_atendimento":9007199254740993,"protocolo":20250926160819577001}}"#;
        let s = classify(200, body).unwrap();
        assert_eq!(s.atendimento.protocolo, "20250926160819577001");
        assert_eq!(s.atendimento.id_atendimento, "9007199254740993");
        assert_eq!(
            s.atendimento.raw.get("protocolo").and_then(Json::as_str),
            Some("20250926160819577001")
        );
        let small = classify(
            200,
            r#"{"status":"success","atendimento":{"id_atendimento":286,"protocolo":201811061730517}}"#,
        )
        .unwrap();
        assert_eq!(small.atendimento.protocolo, "201811061730517");
        assert_eq!(
            small
                .atendimento
                .raw
                .get("id_atendimento")
                .and_then(Json::as_u64),
            Some(286)
        );
    }

    #[test]
    fn protocol_comes_from_the_field_not_msg() {
        let body = r#"{"status":"success","msg":"Anote o protocolo: 111.","atendimento":{"id_atendimento":1,"protocolo":"222"}}"#;
        assert_eq!(classify(200, body).unwrap().atendimento.protocolo, "222");
    }

    #[test]
    fn success_without_atendimento_or_id_is_a_failure() {
        for body in [
            r#"{"status":"success","msg":"Atendimento aberto"}"#,
            r#"{"status":"success","atendimento":null}"#,
            r#"{"status":"success","atendimento":{"protocolo":"1"}}"#,
            r#"{"status":"success","atendimento":{"id_atendimento":null,"protocolo":"1"}}"#,
            r#"{"status":"success","atendimento":{"id_atendimento":5}}"#,
            r#"[]"#,
            r#""success""#,
        ] {
            assert_eq!(
                classify(200, body),
                Err(SubmitError::InvalidResponse { status: 200 }),
                "{body}"
            );
        }
    }

    #[test]
    fn a_ticket_in_any_status_but_error_is_shown() {
        for said in [
            r#""SUCCESS""#,
            r#""Success""#,
            r#"" success ""#,
            r#""sucesso""#,
            r#""ok""#,
            r#""SUSCESS""#,
            "true",
            "1",
            "null",
            r#"{"code":"success"}"#,
        ] {
            for status in [200, 201, 202] {
                let body = format!(
                    r#"{{"status":{said},"msg":"ok","atendimento":{{"id_atendimento":1,"protocolo":"2025"}}}}"#
                );
                let s = classify(status, &body).unwrap_or_else(|e| panic!("{body}: {e:?}"));
                assert_eq!(s.atendimento.protocolo, "2025", "{body}");
                assert!(s.unusual, "{body}");
            }
        }
        let none = classify(
            200,
            r#"{"atendimento":{"id_atendimento":5,"protocolo":"1"},"msg":"Aberto"}"#,
        )
        .unwrap();
        assert!(none.unusual && none.atendimento.protocolo == "1");
        assert!(!classify(200, SEED_SUCCESS).unwrap().unusual);
        // `error` in any case is a refusal, even with an atendimento; a ticket without a protocolo
        // is not certain.
        for body in [
            r#"{"status":"ERROR","msg":"Falhou","atendimento":{"id_atendimento":1,"protocolo":"2"}}"#,
            r#"{"status":"error","atendimento":{"id_atendimento":1,"protocolo":"2"}}"#,
        ] {
            assert!(
                matches!(classify(200, body), Err(SubmitError::Rejected { .. })),
                "{body}"
            );
        }
        assert_eq!(
            classify(
                200,
                r#"{"status":"SUCCESS","atendimento":{"id_atendimento":1}}"#
            ),
            Err(SubmitError::Rejected {
                status: 200,
                msg: None,
                errors: vec![],
                keyed: vec![]
            })
        );
        assert!(classify(
            500,
            r#"{"status":"SUCCESS","atendimento":{"id_atendimento":1,"protocolo":"2"}}"#
        )
        .is_err());
    }

    #[test]
    fn success_status_with_http_error_is_a_failure() {
        assert_eq!(
            classify(500, SEED_SUCCESS),
            Err(SubmitError::ServerUnavailable { status: 500 })
        );
    }

    #[test]
    fn documented_http_200_errors() {
        let body = r#"{"status":"error","msg":"Favor preencher os campos obrigatórios de acordo com as especificações","errors":["O campo telefone é obrigatório."]}"#;
        let e = classify(200, body).unwrap_err();
        assert_eq!(
            e,
            SubmitError::Rejected {
                status: 200,
                msg: Some(
                    "Favor preencher os campos obrigatórios de acordo com as especificações".into()
                ),
                errors: vec!["O campo telefone é obrigatório.".into()],
                keyed: vec![],
            }
        );
        assert_eq!(e.fields(), vec![Field::Telefone]);

        let body = r#"{"status":"error","msg":"Os dados fornecidos são inválidos","errors":["O valor selecionado para o campo id cliente servico é inválido."]}"#;
        let e = classify(200, body).unwrap_err();
        assert_eq!(e.fields(), vec![Field::IdClienteServico]);
        assert!(e.message_pt().contains("Os dados fornecidos são inválidos"));

        let e = classify(
            200,
            r#"{"status":"error","msg":"Produto de ID 1 não encontrado"}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            SubmitError::Rejected {
                status: 200,
                msg: Some("Produto de ID 1 não encontrado".into()),
                errors: vec![],
                keyed: vec![]
            }
        );
        let e = classify(200, r#"{"status":"error","msg":"x","errors":[]}"#).unwrap_err();
        assert!(matches!(e, SubmitError::Rejected { ref errors, .. } if errors.is_empty()));
    }

    #[test]
    fn internals_are_never_carried() {
        let body = r#"{"status":"error","msg":"Erro interno","exception":"QueryException","file":"/var/www/app/Http/Controllers/X.php","line":123,"trace":[{"file":"/var/www/vendor/a.php"}]}"#;
        let e = classify(200, body).unwrap_err();
        let shown = format!("{} {:?}", e.message_pt(), e.details_pt());
        assert!(!shown.contains("/var/www"));
        assert!(!shown.contains("123"));
        assert!(!shown.contains("QueryException"));
    }

    #[test]
    fn auth_and_http_statuses() {
        assert_eq!(
            classify(401, r#"{"message":"Unauthenticated."}"#),
            Err(SubmitError::Unauthorized)
        );
        assert_eq!(classify(401, ""), Err(SubmitError::Unauthorized));
        assert_eq!(
            classify(
                403,
                r#"{"status":"error","msg":"O Usuário não possui a permissão desejada!"}"#
            ),
            Err(SubmitError::Forbidden)
        );
        assert_eq!(
            classify(404, "<html>404</html>"),
            Err(SubmitError::NotFound)
        );
        assert_eq!(
            classify(429, ""),
            Err(SubmitError::RateLimited { retry_after: None })
        );
        for s in [500, 502, 503, 504] {
            assert_eq!(
                classify(
                    s,
                    "<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>"
                ),
                Err(SubmitError::ServerUnavailable { status: s })
            );
            assert_eq!(
                classify(s, ""),
                Err(SubmitError::ServerUnavailable { status: s })
            );
        }
        assert_eq!(
            classify(418, "{}"),
            Err(SubmitError::HttpStatus { status: 418 })
        );
        assert_eq!(
            classify(301, ""),
            Err(SubmitError::HttpStatus { status: 301 })
        );
        assert!(matches!(
            classify(400, r#"{"status":"error","msg":"Requisição inválida"}"#),
            Err(SubmitError::Rejected { status: 400, .. })
        ));
    }

    #[test]
    fn laravel_422_field_map() {
        let body = r#"{"message":"The given data was invalid.","errors":{"telefone":["O campo telefone é obrigatório."],"nome":["O campo nome é obrigatório."]}}"#;
        let e = classify(422, body).unwrap_err();
        let SubmitError::Unprocessable { msg, errors, .. } = &e else {
            panic!("{e:?}")
        };
        // Laravel's English `message` is not kept: only Hubsoft's (and the gateway's) `msg`.
        assert_eq!(msg.as_deref(), None);
        assert_eq!(errors.len(), 2);
        let mut fields = e.fields();
        fields.sort();
        assert_eq!(fields, vec![Field::Nome, Field::Telefone]);
        assert!(matches!(
            classify(422, "<html>"),
            Err(SubmitError::Unprocessable { msg: None, .. })
        ));
    }

    #[test]
    fn every_error_shape_gives_each_named_field_its_sentence() {
        let cases = [
            // Hubsoft: HTTP 200, a flat list of Portuguese sentences.
            (
                200,
                r#"{"status":"error","msg":"Favor preencher","errors":["O campo e-mail deve ser um endereço válido.","O campo telefone é obrigatório.","Outro problema."]}"#,
            ),
            // Laravel 422: a map of field → list, sentences in English that do not say "campo".
            (
                422,
                r#"{"message":"The given data was invalid.","errors":{"telefone":["The telefone field is required."],"email":["Must be a valid address."]}}"#,
            ),
            // A map of field → string, under a 4xx `status:"error"` answer.
            (
                400,
                r#"{"status":"error","msg":"Inválido","errors":{"email":"Endereço inválido.","telefone":"Número inválido."}}"#,
            ),
        ];
        for (status, body) in cases {
            let e = classify(status, body).unwrap_err();
            let named = e.field_messages();
            let fields: Vec<Field> = named.iter().map(|(f, _)| *f).collect();
            assert!(
                fields.contains(&Field::Email) && fields.contains(&Field::Telefone),
                "{body}: {named:?}"
            );
            assert_eq!(fields, e.fields());
            for (_, sentence) in &named {
                assert!(
                    e.details_pt().contains(sentence),
                    "{sentence} also in the banner"
                );
            }
        }
        let e = classify(
            422,
            r#"{"errors":{"id_tipo_atendimento":["Tipo inválido."],"descricao":"Muito curta."}}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.field_messages(),
            vec![
                (Field::Descricao, "Muito curta.".to_string()),
                (Field::IdTipoAtendimento, "Tipo inválido.".to_string())
            ]
        );
    }

    #[test]
    fn non_json_200() {
        for body in [
            "",
            "   ",
            "<html><body>OK</body></html>",
            "{",
            "null",
            "Atendimento aberto",
        ] {
            assert_eq!(
                classify(200, body),
                Err(SubmitError::InvalidResponse { status: 200 }),
                "{body:?}"
            );
        }
    }

    #[test]
    fn hostile_server_text_is_carried_as_plain_text_without_its_tags() {
        let body = r#"{"status":"error","msg":"Cadastro <b>bloqueado</b><img src=x onerror=alert(1)>","errors":["<script>alert(2)</script>Telefone inválido"]}"#;
        let e = classify(200, body).unwrap_err();
        assert!(
            e.message_pt().contains("Cadastro bloqueado"),
            "{}",
            e.message_pt()
        );
        assert!(!e.message_pt().contains('<'));
        assert_eq!(e.details_pt(), vec!["Telefone inválido".to_string()]);
        // Nothing but markup: the widget's own sentence, no empty quote of the server.
        let only_tags = r#"{"status":"error","msg":"<img src=x onerror=alert(1)>"}"#;
        let e = classify(200, only_tags).unwrap_err();
        assert!(!e.message_pt().contains('<'));
        assert!(
            !e.message_pt().trim_end().ends_with(':'),
            "{}",
            e.message_pt()
        );
    }

    #[test]
    fn error_maps_are_read_in_key_order() {
        // A JavaScript object lists "10" before "nome"; the sentences keep the key order.
        let body =
            r#"{"message":"x","errors":{"telefone":["T"],"10":["D"],"nome":["N"],"9":"Nove"}}"#;
        let SubmitError::Unprocessable { errors, .. } = classify(422, body).unwrap_err() else {
            panic!()
        };
        assert_eq!(errors, ["D", "Nove", "N", "T"]);
    }

    #[test]
    fn classify_parsed_takes_the_parsed_body() {
        let parsed: Json = serde_json::from_str(SEED_SUCCESS).unwrap();
        assert_eq!(
            classify_parsed(200, Some(&parsed)),
            classify(200, SEED_SUCCESS)
        );
        assert_eq!(
            classify_parsed(200, None),
            Err(SubmitError::InvalidResponse { status: 200 })
        );
        assert_eq!(
            classify_parsed(422, None),
            Err(SubmitError::Unprocessable {
                msg: None,
                errors: vec![],
                keyed: vec![]
            })
        );
    }

    #[test]
    fn the_gateways_reasons_reach_the_customer() {
        // A Hubsoft refusal the gateway turned into 422: its `msg`, no field named.
        let e = classify(
            422,
            r#"{"status":"error","msg":"Cliente bloqueado por inadimplência","errors":[]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.message_pt(),
            "Não foi possível abrir o chamado: Cliente bloqueado por inadimplência"
        );
        // A service outside the customer's token: 403 naming the field, shown under it.
        let e = classify(
            403,
            r#"{"status":"error","msg":"Este serviço não pertence à sua conta.","errors":["O valor selecionado para o campo id cliente servico não pertence a este cliente."]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.message_pt(),
            "Não foi possível abrir o chamado: Este serviço não pertence à sua conta."
        );
        assert_eq!(e.fields(), [Field::IdClienteServico]);
        assert!(!e.may_have_been_created());
        // The gateway's own words for it.
        let e = classify(
            403,
            r#"{"status":"error","msg":"Este serviço não pertence à sua conta.","errors":["O campo serviço deve ser um dos serviços da sua conta."]}"#,
        )
        .unwrap_err();
        assert_eq!(e.fields(), [Field::IdClienteServico]);
        // Hubsoft's own 403, whose sentences name no form field, stays the API user's problem.
        assert_eq!(
            classify(
                403,
                r#"{"status":"error","msg":"O Usuário não possui a permissão desejada!","errors":["Permissão necessária: Criar atendimento"]}"#,
            ),
            Err(SubmitError::Forbidden)
        );
        // Laravel's English `message` is never the headline.
        let e = classify(
            422,
            r#"{"message":"The given data was invalid.","errors":{}}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.message_pt(),
            "Não foi possível abrir o chamado. Confira os dados e tente de novo."
        );
    }

    #[test]
    fn many_errors_are_bounded() {
        let errors: Vec<String> = (0..100).map(|i| format!("\"erro {i}\"")).collect();
        let body = format!(r#"{{"status":"error","errors":[{}]}}"#, errors.join(","));
        let SubmitError::Rejected { errors, .. } = classify(200, &body).unwrap_err() else {
            panic!()
        };
        assert_eq!(errors.len(), MAX_SERVER_LINES);
    }

    #[test]
    fn server_text_never_shows_html_tags() {
        for (sent, shown) in [
            ("<b>erro</b> no <i>cadastro</i>", Some("erro no cadastro")),
            // Inline tags add no space (none before punctuation, none inside a word); block
            // tags separate words, but not from the punctuation after them.
            ("Procure o <b>financeiro</b>.", Some("Procure o financeiro.")),
            (
                "<i>Atenção</i>: <span>ligue</span>, <em>depois</em>; (<b>já</b>)! <b>ok</b>?",
                Some("Atenção: ligue, depois; (já)! ok?"),
            ),
            ("pend<b>ê</b>ncia <a href=\"x\">aqui</a>", Some("pendência aqui")),
            (
                "<p>Primeira</p><p>Segunda</p>um<br>dois<div>três</div><ul><li>a</li><li>b</li></ul>",
                Some("Primeira Segunda um dois três a b"),
            ),
            ("Linha<BR/>. Fim<br />", Some("Linha. Fim")),
            (
                "<script>alert(1)</script><img src=x onerror=alert(2)><b>erro</b>",
                Some("erro"),
            ),
            ("linha 1<br/>linha 2<!-- x -->", Some("linha 1 linha 2")),
            (
                "<STYLE>p{}</STYLE>Telefone inválido",
                Some("Telefone inválido"),
            ),
            ("<p></p>", None),
            // Every block element of the HTML Standard's rendering section separates words.
            (
                "<section>A</section><section>B</section><article>C</article><header>D</header>\
                 <footer>E</footer><nav>F</nav><main>G</main><blockquote>H</blockquote><pre>I</pre>\
                 <dl><dt>J</dt><dd>K</dd></dl><form>L</form><address>M</address>\
                 <table><caption>N</caption><thead>O</thead><tbody>P</tbody><tfoot>Q</tfoot></table>\
                 <figure>R<figcaption>S</figcaption></figure>",
                Some("A B C D E F G H I J K L M N O P Q R S"),
            ),
            // Not tags: kept as written.
            ("a < b e c > d", Some("a < b e c > d")),
            ("valor <5", Some("valor <5")),
            ("x <y sem fim", Some("x <y sem fim")),
            // An unclosed script drops the rest; accents survive around tags.
            ("Atenção<script>é", Some("Atenção")),
        ] {
            assert_eq!(clean_server_text(sent).as_deref(), shown, "{sent}");
        }
    }

    #[test]
    fn server_text_never_shows_file_paths_or_sql_errors() {
        for (sent, shown) in [
            (
                "SQLSTATE[23505]: Unique violation in /var/www/hubsoft/app/Models/Atendimento.php:123",
                None,
            ),
            (
                "Erro em /var/www/html/app/Http/Controllers/Api/AtendimentoController.php linha 88",
                None,
            ),
            // The sentences before the first one with internals are kept.
            (
                "Não foi possível salvar o atendimento. SQLSTATE[23505]: duplicate key. (SQL: insert into atendimento)",
                Some("Não foi possível salvar o atendimento."),
            ),
            ("Falha! Ver app/Http/Kernel.php(42)", Some("Falha!")),
            (r"Erro em C:\inetpub\hubsoft\Atendimento.aspx linha 3", None),
            ("Erro em C:/hubsoft/app.py", None),
            ("Traceback em /srv/hubsoft/worker", None),
            ("Exception: Call to a member function on null", None),
            ("ERROR: duplicate key value violates unique constraint \"atendimento_pkey\"", None),
            ("Duplicate entry '37999' for key 'telefone'", None),
            ("ORA-00001: unique constraint violated", None),
            ("<b>Erro</b> em <code>/var/www/x.php</code>", None),
            // Hubsoft's own sentences, dates and fractions stay.
            (
                "O campo data deve estar no formato dd/mm/yyyy.",
                Some("O campo data deve estar no formato dd/mm/yyyy."),
            ),
            (
                "Plano 50/25 Mbps indisponível. Use e/ou o site www.exemplo.com.br/suporte.",
                Some("Plano 50/25 Mbps indisponível. Use e/ou o site www.exemplo.com.br/suporte."),
            ),
            ("Versão 1.2.3 do app.", Some("Versão 1.2.3 do app.")),
            ("Call to a member function getId() on null", None),
            ("Undefined index: id_cliente_servico", None),
            ("Fatal error: Allowed memory size of 134217728 bytes exhausted", None),
            (r"Erro: Hubsoft\Models\Atendimento not found", None),
            ("pg_query(): Query failed: ERROR: relation x does not exist", None),
            ("Connection refused (tcp://10.0.0.5:5432)", None),
            ("ERRO: duplicar valor da chave viola a restrição de unicidade", None),
            ("Falha em /hubsoft/src/Services/AtendimentoService:123", None),
            // Web addresses without scheme or query are not paths.
            (
                "Suspenso por débito. Regularize em www.provedor.com.br/app/pagamento.",
                Some("Suspenso por débito. Regularize em www.provedor.com.br/app/pagamento."),
            ),
            (
                "Baixe o app em provedor.com.br/app/download e acompanhe.",
                Some("Baixe o app em provedor.com.br/app/download e acompanhe."),
            ),
            (
                "Cliente possui restrição (constraint) financeira.",
                Some("Cliente possui restrição (constraint) financeira."),
            ),
        ] {
            assert_eq!(clean_server_text(sent).as_deref(), shown, "{sent}");
        }
    }

    #[test]
    fn server_text_never_shows_json_or_urls() {
        for (sent, shown) in [
            (r#"{"error":"internal","code":500}"#, None),
            (r#"  {"code":500}"#, None),
            (r#"[{"campo":"telefone"}]"#, None),
            (r#"["erro interno"]"#, None),
            (r#"Falha. Resposta: {"error":"internal"}"#, Some("Falha.")),
            (r#"Erro "interno":"x""#, None),
            ("Falha ao chamar https://x.provedor/api?token=abc123", None),
            ("Falha em http://10.0.0.5:8080/api", None),
            ("Falha em x.provedor/api?token=abc123", None),
            // JSON with spaces, and a Python dict.
            (r#"Falha interna: { "error": "internal", "code": 500 }"#, None),
            (r#"Resposta: "error": "internal"."#, None),
            (r#"Falha. Dados: "x":{"y":1}"#, Some("Falha.")),
            (r#"Falha. Dados: "x":[1]"#, Some("Falha.")),
            ("Erro: {'error': 'internal', 'trace': 'x'}", None),
            // A host and port without a scheme, a JWT.
            ("Falha ao conectar em 10.0.0.5:5432.", None),
            ("Falha em api.interno.local:8080/v1/atendimento", None),
            ("Falha em (db.interno:3306)", None),
            (
                "Token invalido: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
                None,
            ),
            // An http(s) address with a name for host and a path is shown; with any other
            // scheme, a query, a port, userinfo, an IP or a host without a dot it is not.
            (
                "Atendimento não aberto. Acesse https://central.provedor.com.br/app para detalhes.",
                Some("Atendimento não aberto. Acesse https://central.provedor.com.br/app para detalhes."),
            ),
            (
                "Acesse o app em https://app.provedor.com.br para acompanhar o chamado",
                Some("Acesse o app em https://app.provedor.com.br para acompanhar o chamado"),
            ),
            (
                "Cliente bloqueado. Regularize em https://pagar.provedor.com.br",
                Some("Cliente bloqueado. Regularize em https://pagar.provedor.com.br"),
            ),
            (
                "Boleto em http://www.incrivel.net.br/2via/boleto.php, ou na loja.",
                Some("Boleto em http://www.incrivel.net.br/2via/boleto.php, ou na loja."),
            ),
            ("Falha. Veja tcp://db.provedor.com.br/x", Some("Falha.")),
            ("Falha. Veja file:///etc/passwd", Some("Falha.")),
            ("Falha. Veja jdbc:postgresql://db.provedor.com.br/hub", Some("Falha.")),
            ("Falha. Veja https://x.provedor.com.br/a?token=abc", Some("Falha.")),
            ("Falha. Veja https://x.provedor.com.br:8443/", Some("Falha.")),
            ("Falha. Veja https://user:senha@x.provedor.com.br/", Some("Falha.")),
            ("Falha. Veja http://10.0.0.5/api", Some("Falha.")),
            ("Falha. Veja http://localhost/api", Some("Falha.")),
            ("Falha. Veja http://intranet/chamados", Some("Falha.")),
            ("Falha. Veja https://x.provedor.com.br/tcp://y", Some("Falha.")),
            // Quotes, brackets and a question are not JSON nor a query.
            (
                r#"Cliente com pendência no setor "Financeiro": procure a loja."#,
                Some(r#"Cliente com pendência no setor "Financeiro": procure a loja."#),
            ),
            (
                "[Financeiro] Cliente bloqueado.",
                Some("[Financeiro] Cliente bloqueado."),
            ),
            ("Pode ligar? Sim = ok.", Some("Pode ligar? Sim = ok.")),
            (
                r#"Pendência no setor "Financeiro": procure o atendimento."#,
                Some(r#"Pendência no setor "Financeiro": procure o atendimento."#),
            ),
            (
                r#"Erro no campo "descricao". Os campos "nome" e "telefone" são obrigatórios."#,
                Some(r#"Erro no campo "descricao". Os campos "nome" e "telefone" são obrigatórios."#),
            ),
            // Times, versions, references and sections are not a host and port.
            (
                "Atendimento às 14:30. Versão 1.2:10. Ref.:2024. Item 3.2:15. Lei 8.078/90.",
                Some("Atendimento às 14:30. Versão 1.2:10. Ref.:2024. Item 3.2:15. Lei 8.078/90."),
            ),
        ] {
            assert_eq!(clean_server_text(sent).as_deref(), shown, "{sent}");
        }
        let body = r#"{"status":"error","msg":"{\"error\":\"internal\",\"code\":500}"}"#;
        let e = classify(200, body).unwrap_err();
        assert!(
            matches!(e, SubmitError::Rejected { msg: None, .. }),
            "{e:?}"
        );
        assert!(!e.message_pt().contains("internal"), "{}", e.message_pt());
    }

    #[test]
    fn a_refusal_with_internals_shows_only_what_is_left() {
        let body = r#"{"status":"error","msg":"SQLSTATE[23505]: Unique violation in /var/www/hubsoft/app/Models/Atendimento.php:123","errors":["Erro em /var/www/html/app/Http/Controllers/Api/AtendimentoController.php linha 88","O campo telefone é obrigatório."]}"#;
        let SubmitError::Rejected { msg, errors, .. } = classify(200, body).unwrap_err() else {
            panic!()
        };
        assert_eq!(msg, None);
        assert_eq!(errors, ["O campo telefone é obrigatório."]);
    }

    #[test]
    fn server_text_is_cleaned_and_bounded() {
        assert_eq!(clean_server_text("  a\n\tb  "), Some("a b".into()));
        assert_eq!(clean_server_text(" \n "), None);
        let long = "é".repeat(1000);
        let cleaned = clean_server_text(&long).unwrap();
        assert_eq!(cleaned.chars().count(), MAX_SERVER_LINE_CHARS);
        assert!(cleaned.ends_with('…'));
    }

    #[test]
    fn a_success_shows_its_fields_without_tags_and_bounded() {
        let digits = "9".repeat(5000);
        let body = format!(
            r#"{{"status":"success","atendimento":{{"id_atendimento":1,"protocolo":"<b>2025</b><script>x</script>","status":"<i>Aberto</i>","tipo_atendimento":"{digits}"}}}}"#
        );
        let a = classify(200, &body).unwrap().atendimento;
        assert_eq!(a.protocolo, "2025");
        assert_eq!(a.status.as_deref(), Some("Aberto"));
        let tipo = a.tipo_atendimento.unwrap();
        assert_eq!(tipo.chars().count(), MAX_SERVER_LINE_CHARS);
        assert!(tipo.ends_with('…'));
        // A protocolo of 5000 digits, as a string or a number beyond 2^53, is cut the same way.
        for protocolo in [format!("\"{digits}\""), digits.clone()] {
            let body = format!(
                r#"{{"status":"success","atendimento":{{"id_atendimento":1,"protocolo":{protocolo}}}}}"#
            );
            let shown = classify(200, &body).unwrap().atendimento.protocolo;
            assert_eq!(
                shown.chars().count(),
                MAX_SERVER_LINE_CHARS,
                "{protocolo:.20}"
            );
            assert!(shown.ends_with('…'));
        }
        // Only tags: no protocolo to show, so not a ticket the customer can refer to.
        assert!(classify(
            200,
            r#"{"status":"success","atendimento":{"id_atendimento":1,"protocolo":"<b></b>"}}"#
        )
        .is_err());
    }

    #[test]
    fn an_echoed_token_is_redacted() {
        // As the HTTP module does it: the parsed answer is redacted, then classified.
        let mut body: Json = serde_json::from_str(
            r#"{"status":"error","msg":"Token abc.def inválido","errors":["abc.def expirou"]}"#,
        )
        .unwrap();
        body.redact("abc.def");
        let e = classify_parsed(200, Some(&body)).unwrap_err();
        let shown = format!("{} {:?}", e.message_pt(), e.details_pt());
        assert!(!shown.contains("abc.def"), "{shown}");
        assert!(shown.contains("[token]"));
    }
}
