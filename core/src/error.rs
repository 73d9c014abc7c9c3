//! The typed failure of a submission, with the message the customer sees.
//!
//! Produced by [`super::response::classify_parsed`] (from an HTTP status and parsed body) and
//! by the HTTP module (network failure, timeout). Server text that is shown (`msg`, `errors[]`)
//! is carried as plain strings and rendered as text, never as HTML; internals such as `file`,
//! `line` and `trace` are never read (`docs/hubsoft-api.md` §2 "Failures").

use super::form::Field;
use super::i18n::I18n;

/// Why a ticket was not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// Hubsoft refused the ticket with `{"status":"error","msg":…,"errors":[…]}`, usually with HTTP
    /// 200 (`docs/hubsoft-api.md` §2: 38 of 38 captured error examples). `msg` and `errors` are cleaned server
    /// text; `errors` may be empty.
    Rejected {
        /// HTTP status of the answer (200 in every captured example).
        status: u16,
        /// The server's `msg`, if any.
        msg: Option<String>,
        /// The server's `errors[]` sentences.
        errors: Vec<String>,
        /// Sentences filed under a field's key in an `errors` map (`{"telefone": ["…"]}`), with
        /// that field: the key names the field even when the sentence does not.
        keyed: Vec<(Field, String)>,
    },
    /// HTTP 422: a Laravel-style `{"message":…,"errors":{"campo":["…"]}}` (never observed from
    /// Hubsoft; handled anyway, `docs/hubsoft-api.md` §2), or the gateway's refusal of a body
    /// (`{"msg":…,"errors":[…]}`). Laravel's `message` is English and not kept.
    Unprocessable {
        /// The server's `msg` (Hubsoft's and the gateway's Portuguese reason), if any.
        msg: Option<String>,
        /// Every sentence of the `errors` map, flattened in order.
        errors: Vec<String>,
        /// Sentences filed under a field's key in the `errors` map, with that field.
        keyed: Vec<(Field, String)>,
    },
    /// HTTP 401: the token is missing, expired or revoked (`docs/hubsoft-api.md` §1).
    Unauthorized,
    /// HTTP 403: the API user lacks a permission. Not token expiry (`docs/hubsoft-api.md` §1).
    Forbidden,
    /// HTTP 404: wrong endpoint or a gateway without this route.
    NotFound,
    /// HTTP 429: too many requests.
    RateLimited {
        /// The answer's `Retry-After` in seconds, when it gave one as a number (RFC 9110
        /// §10.2.3; the gateway sends it with its hourly limit).
        retry_after: Option<u64>,
    },
    /// HTTP 409: a server that honours `Idempotency-Key` (the gateway) is still working on the
    /// first request with the same key (IETF httpapi draft "The Idempotency-Key HTTP Header
    /// Field", §2.6 "concurrent requests"). That request may open the ticket.
    InProgress,
    /// HTTP 5xx, whatever the body (often HTML from nginx, `docs/hubsoft-api.md` §2).
    ServerUnavailable {
        /// The HTTP status, 500–599.
        status: u16,
    },
    /// Any other non-2xx status.
    HttpStatus {
        /// The HTTP status.
        status: u16,
    },
    /// A 2xx answer that is not JSON, or JSON without a success `atendimento.id_atendimento`.
    /// The ticket may or may not exist.
    InvalidResponse {
        /// The HTTP status, 200–299.
        status: u16,
    },
    /// `fetch` failed: offline, DNS, TLS, CORS or a dropped connection. Browsers do not say which.
    Network,
    /// No answer within the time limit; the request may have reached the server.
    Timeout,
    /// The browser is offline (`navigator.onLine` false): nothing was sent.
    Offline,
    /// A ticket was being sent and no answer came to the page (it was closed or reloaded, or the
    /// answer left the outcome unknown): the widget found the mark of that send when it loaded
    /// again. The ticket may exist.
    Interrupted,
    /// The host's `tokenProvider` threw, rejected or gave no usable token: nothing was sent (or,
    /// after a 401, nothing more).
    TokenUnavailable,
}

impl SubmitError {
    /// A stable, machine-readable name for the kind of failure (for host events and tests):
    /// `rejected`, `unprocessable`, `unauthorized`, `forbidden`, `not_found`, `rate_limited`,
    /// `server_unavailable`, `http_status`, `invalid_response`, `network`, `timeout`, `offline`,
    /// `token_unavailable`.
    pub fn kind(&self) -> &'static str {
        match self {
            SubmitError::Rejected { .. } => "rejected",
            SubmitError::Unprocessable { .. } => "unprocessable",
            SubmitError::Unauthorized => "unauthorized",
            SubmitError::Forbidden => "forbidden",
            SubmitError::NotFound => "not_found",
            SubmitError::RateLimited { .. } => "rate_limited",
            SubmitError::InProgress => "in_progress",
            SubmitError::ServerUnavailable { .. } => "server_unavailable",
            SubmitError::HttpStatus { .. } => "http_status",
            SubmitError::InvalidResponse { .. } => "invalid_response",
            SubmitError::Network => "network",
            SubmitError::Timeout => "timeout",
            SubmitError::Offline => "offline",
            SubmitError::Interrupted => "interrupted",
            SubmitError::TokenUnavailable => "token_unavailable",
        }
    }

    /// The HTTP status, when an answer arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            SubmitError::Rejected { status, .. }
            | SubmitError::ServerUnavailable { status }
            | SubmitError::HttpStatus { status }
            | SubmitError::InvalidResponse { status } => Some(*status),
            SubmitError::Unprocessable { .. } => Some(422),
            SubmitError::Unauthorized => Some(401),
            SubmitError::Forbidden => Some(403),
            SubmitError::NotFound => Some(404),
            SubmitError::RateLimited { .. } => Some(429),
            SubmitError::InProgress => Some(409),
            SubmitError::Network
            | SubmitError::Timeout
            | SubmitError::Offline
            | SubmitError::Interrupted
            | SubmitError::TokenUnavailable => None,
        }
    }

    /// Whether the ticket may exist even though we report a failure (no idempotency key exists,
    /// `docs/hubsoft-api.md` §2): the customer should check before sending again. A network failure counts:
    /// browsers report a connection dropped after sending exactly like one that never connected.
    /// So does every 5xx but the few that say the request never reached the application: a 500
    /// may come after the ticket was inserted (a notification, a log failing); a proxy's 502,
    /// 503 or 504 (nginx, Envoy's "upstream reset before headers") and Cloudflare's 520 and 524
    /// may come after the application did its work. Only 501 and 505 (RFC 9110 §15.6.2, §15.6.6:
    /// the request was not understood) and Cloudflare's 521, 522, 523, 525 and 526 (no
    /// connection or no TLS to the origin) are answered before any work.
    pub fn may_have_been_created(&self) -> bool {
        match self {
            SubmitError::Timeout
            | SubmitError::Network
            | SubmitError::Interrupted
            | SubmitError::InProgress
            | SubmitError::InvalidResponse { .. } => true,
            SubmitError::ServerUnavailable { status } => {
                !matches!(status, 501 | 505 | 521 | 522 | 523 | 525 | 526)
            }
            _ => false,
        }
    }

    /// Whether this answer settles the intent it answers, as a ticket would: a refusal of the
    /// body (Hubsoft's `status: error`, 422, 403, 404, another 4xx) opened nothing, and sending
    /// the same body again would be refused again. The next submit is a new intent, with a new
    /// `Idempotency-Key`. Any other failure leaves the intent, and its key, as they were; so do
    /// 408 (the request did not arrive whole, RFC 9110 §15.5.9: the gateway's "nada foi
    /// enviado") and 425 (too early, RFC 8470 §5.2), which say nothing of the body and follow
    /// sends whose fate may be unknown.
    pub fn settles_intent(&self) -> bool {
        match self {
            SubmitError::Rejected { status, .. } | SubmitError::HttpStatus { status } => {
                !matches!(status, 408 | 425)
            }
            SubmitError::Unprocessable { .. } | SubmitError::Forbidden | SubmitError::NotFound => {
                true
            }
            _ => false,
        }
    }

    /// The headline shown to the customer, in Brazilian Portuguese.
    pub fn message_pt(&self) -> String {
        self.message(&I18n::pt())
    }

    /// The headline in the active locale (keys `submit_error.*`). Server text (`msg`) is
    /// quoted as received.
    pub fn message(&self, i18n: &I18n) -> String {
        let status = self.http_status().unwrap_or(0).to_string();
        match self {
            SubmitError::Rejected { msg: Some(m), .. } => {
                i18n.fill("submit_error.rejected_msg", &[("msg", m)])
            }
            SubmitError::Rejected { msg: None, .. } => i18n.text("submit_error.rejected"),
            // "The highlighted details" only when a field is actually named (and so
            // highlighted); otherwise the gateway's reason (`msg`), when it gave one.
            SubmitError::Unprocessable { msg: Some(m), .. } if self.fields().is_empty() => {
                i18n.fill("submit_error.rejected_msg", &[("msg", m)])
            }
            SubmitError::Unprocessable { .. } if self.fields().is_empty() => {
                i18n.text("submit_error.rejected")
            }
            SubmitError::Unprocessable { .. } => i18n.text("submit_error.unprocessable"),
            SubmitError::Unauthorized => i18n.text("submit_error.unauthorized"),
            SubmitError::Forbidden => i18n.text("submit_error.forbidden"),
            SubmitError::NotFound => i18n.text("submit_error.not_found"),
            // A wait of two minutes to two hours is said in minutes (rounded up): "a few
            // minutes" can be most of an hour with the gateway's hourly limit.
            SubmitError::RateLimited {
                retry_after: Some(secs),
            } if (120..=7200).contains(secs) => i18n.fill(
                "submit_error.rate_limited_for",
                &[("minutos", &secs.div_ceil(60).to_string())],
            ),
            SubmitError::RateLimited { .. } => i18n.text("submit_error.rate_limited"),
            SubmitError::InProgress => i18n.text("submit_error.in_progress"),
            SubmitError::ServerUnavailable { .. } => {
                i18n.fill("submit_error.server_unavailable", &[("status", &status)])
            }
            SubmitError::HttpStatus { .. } => {
                i18n.fill("submit_error.http_status", &[("status", &status)])
            }
            SubmitError::InvalidResponse { .. } => i18n.text("submit_error.invalid_response"),
            SubmitError::Network => i18n.text("submit_error.network"),
            SubmitError::Timeout => i18n.text("submit_error.timeout"),
            SubmitError::Offline => i18n.text("submit_error.offline"),
            SubmitError::Interrupted => i18n.text("submit_error.interrupted"),
            SubmitError::TokenUnavailable => i18n.text("submit_error.token_unavailable"),
        }
    }

    /// Extra lines under the headline, in Brazilian Portuguese.
    pub fn details_pt(&self) -> Vec<String> {
        self.details(&I18n::pt())
    }

    /// Extra lines under the headline: the server's sentences (as text) and, where the ticket
    /// may exist, a warning to check before sending again (in the active locale).
    pub fn details(&self, i18n: &I18n) -> Vec<String> {
        self.details_for(i18n, false)
    }

    /// [`SubmitError::details`] for a widget whose requests carry an `Idempotency-Key`
    /// (`safe_resend`): where the ticket may exist, the last line says that sending again is
    /// safe (`submit_error.maybe_created_safe`) instead of warning about a duplicate.
    pub fn details_for(&self, i18n: &I18n, safe_resend: bool) -> Vec<String> {
        let mut lines = match self {
            SubmitError::Rejected { errors, .. } | SubmitError::Unprocessable { errors, .. } => {
                errors.clone()
            }
            _ => Vec::new(),
        };
        if self.may_have_been_created() {
            lines.push(i18n.text(if safe_resend {
                "submit_error.maybe_created_safe"
            } else {
                "submit_error.maybe_created"
            }));
        }
        lines
    }

    /// Form fields named by the server, in the order named: by a sentence ("O campo telefone é
    /// obrigatório.") or by the key a sentence is filed under (`{"errors":{"telefone":[…]}}`), so
    /// the form can mark them too.
    pub fn fields(&self) -> Vec<Field> {
        self.field_messages().into_iter().map(|(f, _)| f).collect()
    }

    /// The server's sentence about each field it names (the first one, for a field named twice),
    /// in the order named: the form shows it under the field, as its own validation messages.
    pub fn field_messages(&self) -> Vec<(Field, String)> {
        let mut out: Vec<(Field, String)> = Vec::new();
        if let SubmitError::Rejected { errors, keyed, .. }
        | SubmitError::Unprocessable { errors, keyed, .. } = self
        {
            let named = errors
                .iter()
                .filter_map(|e| Some((field_named_in(e)?, e.clone())));
            for (f, e) in keyed.iter().cloned().chain(named) {
                if !out.iter().any(|(g, _)| *g == f) {
                    out.push((f, e));
                }
            }
        }
        out
    }
}

/// Recognises the field a Laravel-style sentence is about: "O campo telefone …", "o campo id
/// cliente servico …", "O campo e-mail …", "campo descrição", "campo id tipo atendimento", the
/// gateway's "O campo serviço …", and Laravel's English "The telefone field …". `None` when no
/// field is named.
pub fn field_named_in(sentence: &str) -> Option<Field> {
    // ASCII lowering is enough: Laravel sentences start with an upper-case ASCII letter and the
    // field names are written in lower case (and it keeps Unicode case tables out of the bundle).
    let lower = sentence.to_ascii_lowercase();
    let at = lower
        .find("campo ")
        .map(|at| at + 6)
        .or_else(|| lower.find("the ").map(|at| at + 4))?;
    let rest: String = lower[at..]
        .chars()
        .map(|c| match c {
            '_' => ' ',
            'ç' => 'c',
            'ã' | 'á' => 'a',
            'é' | 'ê' => 'e',
            other => other,
        })
        .collect();
    let table: [(&str, Field); 8] = [
        ("id cliente servico", Field::IdClienteServico),
        ("servico", Field::IdClienteServico),
        ("id tipo atendimento", Field::IdTipoAtendimento),
        ("descricao", Field::Descricao),
        ("nome", Field::Nome),
        ("telefone", Field::Telefone),
        ("e-mail", Field::Email),
        ("email", Field::Email),
    ];
    table
        .iter()
        .find(|(name, _)| rest.starts_with(name))
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn a_422_speaks_of_highlighted_details_only_when_a_field_is_named() {
        let none = SubmitError::Unprocessable {
            msg: None,
            errors: vec!["Algo deu errado.".into()],
            keyed: vec![],
        };
        assert_eq!(
            none.message_pt(),
            "Não foi possível abrir o chamado. Confira os dados e tente de novo."
        );
        let named = SubmitError::Unprocessable {
            msg: None,
            errors: vec!["O campo telefone é obrigatório.".into()],
            keyed: vec![],
        };
        assert_eq!(named.fields(), [Field::Telefone]);
        assert!(named.message_pt().contains("Confira os dados destacados"));
    }

    #[test]
    fn fields_named_by_laravel_sentences() {
        let cases = [
            ("O campo telefone é obrigatório.", Some(Field::Telefone)),
            (
                "O campo id cliente servico é obrigatório.",
                Some(Field::IdClienteServico),
            ),
            (
                "O valor selecionado para o campo id cliente servico é inválido.",
                Some(Field::IdClienteServico),
            ),
            ("O campo descrição é obrigatório.", Some(Field::Descricao)),
            ("O campo nome é obrigatório.", Some(Field::Nome)),
            (
                "O campo e-mail deve ser um endereço válido.",
                Some(Field::Email),
            ),
            (
                "O campo email deve ser um endereço de e-mail válido.",
                Some(Field::Email),
            ),
            (
                "O campo id tipo atendimento é inválido.",
                Some(Field::IdTipoAtendimento),
            ),
            ("The telefone field is required.", Some(Field::Telefone)),
            (
                "The e-mail must be a valid email address.",
                Some(Field::Email),
            ),
            ("Produto de ID 1 não encontrado", None),
            ("", None),
        ];
        for (s, want) in cases {
            assert_eq!(field_named_in(s), want, "{s}");
        }
    }

    #[test]
    fn kinds_statuses_and_messages() {
        let all = [
            SubmitError::Rejected {
                status: 200,
                msg: None,
                errors: vec![],
                keyed: vec![],
            },
            SubmitError::Unprocessable {
                msg: None,
                errors: vec![],
                keyed: vec![],
            },
            SubmitError::Unauthorized,
            SubmitError::Forbidden,
            SubmitError::NotFound,
            SubmitError::RateLimited { retry_after: None },
            SubmitError::ServerUnavailable { status: 502 },
            SubmitError::HttpStatus { status: 418 },
            SubmitError::InvalidResponse { status: 200 },
            SubmitError::Network,
            SubmitError::Timeout,
            SubmitError::Offline,
            SubmitError::Interrupted,
            SubmitError::InProgress,
            SubmitError::TokenUnavailable,
        ];
        let kinds: std::collections::HashSet<_> = all.iter().map(|e| e.kind()).collect();
        assert_eq!(kinds.len(), all.len(), "kinds are distinct");
        for e in &all {
            let m = e.message_pt();
            assert!(!m.is_empty());
            assert!(!m.contains('<'), "{m}");
        }
        assert!(SubmitError::RateLimited { retry_after: None }
            .message_pt()
            .contains("Aguarde"));
        assert!(SubmitError::RateLimited {
            retry_after: Some(2087)
        }
        .message_pt()
        .contains("cerca de 35 minutos"));
        assert!(SubmitError::RateLimited {
            retry_after: Some(u64::MAX)
        }
        .message_pt()
        .contains("Aguarde alguns minutos"));
        assert!(SubmitError::Timeout.may_have_been_created());
        assert!(SubmitError::Interrupted.may_have_been_created());
        assert!(SubmitError::Network.may_have_been_created());
        assert!(!SubmitError::Offline.may_have_been_created());
        assert!(!SubmitError::Unauthorized.may_have_been_created());
        for (status, maybe) in [
            (500, true),
            (502, true),
            (503, true),
            (504, true),
            (520, true),
            (524, true),
            (501, false),
            (505, false),
            (521, false),
            (522, false),
            (523, false),
            (525, false),
            (526, false),
        ] {
            let e = SubmitError::ServerUnavailable { status };
            assert_eq!(e.may_have_been_created(), maybe, "{status}");
        }
        assert!(SubmitError::Timeout.details_pt()[0].contains("pode ter sido aberto"));
        assert_eq!(SubmitError::Forbidden.http_status(), Some(403));
        assert_eq!(SubmitError::Network.http_status(), None);
    }

    #[test]
    fn a_refusal_of_the_body_settles_the_intent_but_a_request_that_did_not_arrive_does_not() {
        let rejected = |status| SubmitError::Rejected {
            status,
            msg: Some("x".into()),
            errors: vec![],
            keyed: vec![],
        };
        assert!(rejected(200).settles_intent());
        assert!(rejected(400).settles_intent());
        assert!(SubmitError::NotFound.settles_intent());
        assert!(SubmitError::HttpStatus { status: 418 }.settles_intent());
        // The gateway's 408 "nada foi enviado", and a 425.
        assert!(!rejected(408).settles_intent());
        assert!(!SubmitError::HttpStatus { status: 408 }.settles_intent());
        assert!(!SubmitError::HttpStatus { status: 425 }.settles_intent());
        assert!(!SubmitError::Timeout.settles_intent());
        assert!(!SubmitError::RateLimited { retry_after: None }.settles_intent());
    }

    #[test]
    fn with_an_idempotency_key_sending_again_is_said_to_be_safe() {
        for locale in [Locale::PtBr, Locale::En, Locale::Es] {
            let i18n = I18n {
                locale,
                ..I18n::pt()
            };
            for e in [
                SubmitError::Timeout,
                SubmitError::Network,
                SubmitError::ServerUnavailable { status: 502 },
            ] {
                let warned = e.details_for(&i18n, false);
                let safe = e.details_for(&i18n, true);
                assert_eq!(warned, e.details(&i18n));
                assert_eq!(warned.len(), 1);
                assert_eq!(safe, [i18n.text("submit_error.maybe_created_safe")]);
                assert_ne!(safe, warned);
            }
            // Nothing to say when the ticket cannot exist.
            assert!(SubmitError::Offline.details_for(&i18n, true).is_empty());
        }
        let safe = SubmitError::Timeout.details_for(&I18n::pt(), true);
        assert!(safe[0].contains("com segurança") && !safe[0].contains("confira"));
    }
}
