//! The ticket form: its fields, the raw values the customer typed, and client-side validation.
//!
//! Values are kept exactly as typed ([`FormValues`]); validation never rewrites them, so a failed
//! submit leaves the form as the customer left it. [`crate::ticket::build`] turns valid values into
//! the request body.

use super::i18n::I18n;
use super::phone::{self, PhoneError};

/// Maximum length of `nome`, in Unicode scalar values (chars). Hubsoft documents no limit; 120 fits
/// any real name and keeps abuse out.
pub const NOME_MAX: usize = 120;
/// Maximum length of `descricao`, in chars. Hubsoft appends ` | ATENDIMENTO ABERTO VIA API`
/// (`docs/hubsoft-api.md` §2) and documents no limit; 2000 chars is a long, readable problem report.
pub const DESCRICAO_MAX: usize = 2000;
/// Maximum length of `email`, in chars: RFC 5321 §4.5.3.1.3 limits a path to 256 octets, which
/// leaves 254 for the address.
pub const EMAIL_MAX: usize = 254;
/// Largest accepted `id_cliente_servico`: JavaScript's `Number.MAX_SAFE_INTEGER` (2^53 − 1), so the
/// id survives any JSON parser on the way.
pub const ID_MAX: u64 = 9_007_199_254_740_991;
/// Longest text accepted in an id field, in chars: [`ID_MAX`] has 16 digits.
pub const ID_TEXT_MAX: usize = 16;
/// Longest text accepted in the phone field, in chars: room for any way of typing a number
/// (`+55 (0xx37) 9 9911-2233` and the like, `docs/hubsoft-api.md` §5).
pub const TELEFONE_TEXT_MAX: usize = 40;

/// A field of the form, named after the Hubsoft body key it fills (`docs/hubsoft-api.md` §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `id_cliente_servico`: the customer's service (contract) id, a positive integer.
    IdClienteServico,
    /// `id_tipo_atendimento`: the ticket type, chosen from the host's `tipos` (`docs/hubsoft-api.md` §2,
    /// optional; required by the widget only when the host offers types).
    IdTipoAtendimento,
    /// `nome`: the person asking.
    Nome,
    /// `telefone`: a Brazilian phone number (`docs/hubsoft-api.md` §5).
    Telefone,
    /// `email`: optional e-mail address.
    Email,
    /// `descricao`: the problem, free text.
    Descricao,
}

impl Field {
    /// Every field, in the order the form shows them.
    pub const ALL: [Field; 6] = [
        Field::IdClienteServico,
        Field::IdTipoAtendimento,
        Field::Nome,
        Field::Telefone,
        Field::Email,
        Field::Descricao,
    ];

    /// The field's position in [`Field::ALL`] (the form's order), e.g. to find its element among
    /// the widget's per-field references.
    pub fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// The Hubsoft body key, e.g. `"id_cliente_servico"`; also used as the HTML `name`.
    pub fn key(self) -> &'static str {
        match self {
            Field::IdClienteServico => "id_cliente_servico",
            Field::Nome => "nome",
            Field::Telefone => "telefone",
            Field::Email => "email",
            Field::Descricao => "descricao",
            Field::IdTipoAtendimento => "id_tipo_atendimento",
        }
    }

    /// The visible label in the active locale (key `field.<key>.label`).
    pub fn label(self, i18n: &I18n) -> String {
        i18n.text(&format!("field.{}.label", self.key()))
    }

    /// Maximum length in chars, where the field has one.
    pub fn max_len(self) -> Option<usize> {
        match self {
            Field::IdClienteServico => Some(ID_TEXT_MAX),
            Field::Nome => Some(NOME_MAX),
            Field::Telefone => Some(TELEFONE_TEXT_MAX),
            Field::Email => Some(EMAIL_MAX),
            Field::Descricao => Some(DESCRICAO_MAX),
            Field::IdTipoAtendimento => Some(ID_TEXT_MAX),
        }
    }

    /// Whether the customer must fill it (all but `email` and the type, `docs/hubsoft-api.md` §2; the
    /// widget requires a type only when the host offers `tipos`).
    pub fn required(self) -> bool {
        !matches!(self, Field::Email | Field::IdTipoAtendimento)
    }
}

/// What the customer typed, untouched. Strings are raw; trimming happens only when the request is
/// built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormValues {
    /// Raw `id_cliente_servico` text (ignored when the host fixed the service).
    pub id_cliente_servico: String,
    /// Raw name.
    pub nome: String,
    /// Raw phone as typed, any format.
    pub telefone: String,
    /// Raw e-mail; blank means "not given".
    pub email: String,
    /// Raw description.
    pub descricao: String,
    /// The chosen ticket type id as text; blank when none.
    pub id_tipo_atendimento: String,
}

impl FormValues {
    /// The raw value of `field`.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::IdClienteServico => &self.id_cliente_servico,
            Field::Nome => &self.nome,
            Field::Telefone => &self.telefone,
            Field::Email => &self.email,
            Field::Descricao => &self.descricao,
            Field::IdTipoAtendimento => &self.id_tipo_atendimento,
        }
    }

    /// Replaces the raw value of `field`.
    pub fn set(&mut self, field: Field, value: String) {
        match field {
            Field::IdClienteServico => self.id_cliente_servico = value,
            Field::Nome => self.nome = value,
            Field::Telefone => self.telefone = value,
            Field::Email => self.email = value,
            Field::Descricao => self.descricao = value,
            Field::IdTipoAtendimento => self.id_tipo_atendimento = value,
        }
    }
}

/// Why a field's value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// Blank after trimming, on a required field.
    Required,
    /// `id_cliente_servico` that is not a whole number from 1 to [`ID_MAX`].
    NotPositiveInteger,
    /// Longer than the field's maximum. Text is never cut: the customer is told by how much.
    TooLong {
        /// The maximum, in chars.
        max: usize,
        /// The current length, in chars.
        len: usize,
    },
    /// An e-mail address that does not look like `local@domain.tld`.
    InvalidEmail,
    /// A phone number refused by the `docs/hubsoft-api.md` §5 rules.
    Phone(PhoneError),
    /// A choice the customer made (service, ticket type) that the host no longer offers: it was
    /// cleared and the customer must choose again.
    Withdrawn,
}

impl FieldError {
    /// One plain Brazilian Portuguese sentence for the customer.
    pub fn message_pt(&self, field: Field) -> String {
        self.message(field, &I18n::pt())
    }

    /// The customer's message in the active locale.
    pub fn message(&self, field: Field, i18n: &I18n) -> String {
        match self {
            FieldError::Required => i18n.text(&format!("required.{}", field.key())),
            FieldError::NotPositiveInteger if field == Field::IdTipoAtendimento => {
                i18n.text("error.not_integer.tipo")
            }
            FieldError::NotPositiveInteger => i18n.text("error.not_integer"),
            FieldError::Withdrawn => i18n.text(&format!("error.withdrawn.{}", field.key())),
            FieldError::TooLong { max, len } => i18n.fill(
                "error.too_long",
                &[
                    ("max", &max.to_string()),
                    ("len", &len.to_string()),
                    ("over", &len.saturating_sub(*max).to_string()),
                ],
            ),
            FieldError::InvalidEmail => i18n.text("error.email"),
            FieldError::Phone(e) => e.message(i18n),
        }
    }
}

/// Adds `(field, error)` to `errors`, a list kept in field order ([`Field::ALL`], the derived
/// `Ord`): after the entries of fields that come before it or are the same field, so that the
/// list stays in order. The same result as pushing and then stable-sorting by field, with less
/// code in the bundle than a monomorphised sort.
pub fn insert_in_field_order(
    errors: &mut Vec<(Field, FieldError)>,
    field: Field,
    error: FieldError,
) {
    let at = errors
        .iter()
        .position(|(f, _)| *f > field)
        .unwrap_or(errors.len());
    errors.insert(at, (field, error));
}

/// Checks one field. `fixed_service` is the host-supplied `id_cliente_servico`; when present the
/// service field is not shown and always valid.
pub fn validate_field(
    field: Field,
    values: &FormValues,
    fixed_service: Option<u64>,
) -> Result<(), FieldError> {
    let raw = values.get(field);
    let trimmed = raw.trim();
    if field == Field::IdClienteServico && fixed_service.is_some() {
        return Ok(());
    }
    if trimmed.is_empty() {
        return if field.required() {
            Err(FieldError::Required)
        } else {
            Ok(())
        };
    }
    if let Some(max) = field.max_len() {
        let len = trimmed.chars().count();
        if len > max {
            return Err(FieldError::TooLong { max, len });
        }
    }
    match field {
        Field::IdClienteServico | Field::IdTipoAtendimento => parse_id(trimmed)
            .map(|_| ())
            .ok_or(FieldError::NotPositiveInteger),
        Field::Telefone => phone::normalize(trimmed)
            .map(|_| ())
            .map_err(FieldError::Phone),
        Field::Email => {
            if is_plausible_email(trimmed) {
                Ok(())
            } else {
                Err(FieldError::InvalidEmail)
            }
        }
        Field::Nome | Field::Descricao => Ok(()),
    }
}

/// Parses a positive integer id (ASCII digits only, 1 ..= [`ID_MAX`]); `None` otherwise.
pub fn parse_id(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>()
        .ok()
        .filter(|&n| (1..=ID_MAX).contains(&n))
}

/// A deliberately lenient e-mail check, close to the WHATWG `input type=email` rule: one `@`, a
/// non-empty local part without spaces, and a domain of dot-separated labels (letters, digits,
/// hyphens, no label starting or ending with `-`) with at least one dot. Internationalised
/// domains typed in Unicode are accepted.
pub fn is_plausible_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || local
            .chars()
            .any(|c| c.is_whitespace() || c == '@' || c.is_control())
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| {
                    c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && !c.is_control())
                })
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid form as a customer types it (padding, formatted phone, blank e-mail), shared by
    /// the tests of the modules that validate and build on it.
    pub(crate) fn filled() -> FormValues {
        FormValues {
            id_cliente_servico: " 11000 ".into(),
            nome: "  Maria da Silva ".into(),
            telefone: "(37) 99911-2233".into(),
            email: "".into(),
            descricao: "  Sem internet desde ontem.\nJá reiniciei o roteador 😢 \"duas vezes\" "
                .into(),
            id_tipo_atendimento: String::new(),
        }
    }

    #[test]
    fn index_is_the_position_in_all() {
        for (i, f) in Field::ALL.into_iter().enumerate() {
            assert_eq!(f.index(), i, "{f:?}");
        }
    }

    #[test]
    fn ids() {
        let cases: &[(&str, Option<u64>)] = &[
            ("1", Some(1)),
            ("11000", Some(11000)),
            ("0011", Some(11)),
            ("9007199254740991", Some(ID_MAX)),
            ("9007199254740992", None),
            ("0", None),
            ("-5", None),
            ("1.5", None),
            ("1e3", None),
            ("١٢", None),
            ("", None),
            ("99999999999999999999999", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_id(text), *want, "{text:?}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "maria@provedor.com.br",
            "a.b+c@x.io",
            "joão@exemplo.com.br",
            "x@münchen.de",
        ] {
            assert!(is_plausible_email(ok), "{ok}");
        }
        for bad in [
            "maria",
            "maria@",
            "@x.com",
            "maria@localhost",
            "ma ria@x.com",
            "a@b@c.com",
            "a@-x.com",
            "a@x..com",
            ".a@x.com",
            "a..b@x.com",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn lengths_are_counted_in_chars() {
        let mut v = filled();
        v.descricao = "é".repeat(DESCRICAO_MAX);
        assert!(validate_field(Field::Descricao, &v, None).is_ok());
        v.descricao.push('é');
        assert_eq!(
            validate_field(Field::Descricao, &v, None),
            Err(FieldError::TooLong {
                max: DESCRICAO_MAX,
                len: DESCRICAO_MAX + 1
            })
        );
        v.nome = "a".repeat(NOME_MAX + 1);
        assert_eq!(
            validate_field(Field::Nome, &v, None),
            Err(FieldError::TooLong {
                max: NOME_MAX,
                len: NOME_MAX + 1
            })
        );
    }

    #[test]
    fn messages_are_portuguese_and_nonempty() {
        for f in Field::ALL {
            assert!(!FieldError::Required.message_pt(f).is_empty());
        }
        let m = FieldError::TooLong { max: 120, len: 125 }.message_pt(Field::Nome);
        assert!(
            m.contains("120") && m.contains("125") && m.contains("apague 5"),
            "{m}"
        );
    }

    #[test]
    fn a_ticket_type_that_is_not_a_positive_integer_is_named_as_a_type() {
        let tipo = FieldError::NotPositiveInteger.message_pt(Field::IdTipoAtendimento);
        assert!(tipo.contains("tipo de atendimento"), "{tipo}");
        let servico = FieldError::NotPositiveInteger.message_pt(Field::IdClienteServico);
        assert!(servico.contains("serviço"), "{servico}");
    }

    #[test]
    fn insert_in_field_order_is_push_then_stable_sort() {
        let errors = [
            (Field::Telefone, FieldError::Required),
            (Field::IdClienteServico, FieldError::NotPositiveInteger),
            (Field::Descricao, FieldError::Required),
            (Field::Telefone, FieldError::InvalidEmail),
            (Field::IdTipoAtendimento, FieldError::Withdrawn),
            (Field::Descricao, FieldError::InvalidEmail),
            (Field::Nome, FieldError::Required),
        ];
        let mut inserted = Vec::new();
        let mut sorted = Vec::new();
        for (field, error) in errors {
            insert_in_field_order(&mut inserted, field, error.clone());
            sorted.push((field, error));
            sorted.sort_by_key(|(f, _)| *f);
            assert_eq!(inserted, sorted);
        }
    }
}
