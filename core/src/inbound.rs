//! A ticket body received from outside (by the gateway or the mock Hubsoft), checked with the
//! widget's own rules and normalised into a [`NovoAtendimento`].
//!
//! The widget validates in the browser ([`super::ticket::build`]); a server must never trust
//! that. [`parse`] applies the same rules to the JSON body of `POST
//! /api/v1/integracao/atendimento` (`docs/hubsoft-api.md` §2): the same limits, the same phone rules (`docs/hubsoft-api.md`
//! §5, normalised to digits), the same e-mail check, the id as an integer. Failures come back as
//! Portuguese sentences in Hubsoft's style (`"O campo telefone é obrigatório."`, `docs/hubsoft-api.md` §2
//! "Failures"), which [`super::error::field_named_in`] maps back to the form's fields, so the
//! widget marks the right field whichever server refused it.
//!
//! What is accepted for each key (any other key is ignored and never forwarded):
//!
//! | key | JSON type | rule |
//! |---|---|---|
//! | `id_cliente_servico` | integer, or a string of digits (the Hubsoft docs show `"11000"`) | 1 ..= 2^53 − 1 |
//! | `descricao`, `nome` | string | required, trimmed, at most 2000 / 120 chars |
//! | `telefone` | string, or an integer (its digits) | `docs/hubsoft-api.md` §5, sent as digits only |
//! | `email` | string or `null` | optional; blank means absent |
//! | `id_tipo_atendimento` | integer, or a string of digits, or `null` | optional |
//! | `abrir_os` | boolean or `null` | optional (`docs/hubsoft-api.md` §2: a JSON boolean) |
//! | `parametros` | object or `null` | optional, passed through as compact JSON text |

use super::form::{Field, FieldError, FormValues};
use super::json::{encode_string, Json, JsonNumber};
use super::request::NovoAtendimento;
use super::ticket::{self, TicketRules};

/// What is wrong with one key of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The value has the right JSON type but breaks a form rule (blank, too long, phone, e-mail,
    /// not a positive integer).
    Rule(FieldError),
    /// A text field holding something other than a string (or, for `telefone`, an integer).
    NotText,
    /// An id holding something other than an integer or a string of digits.
    NotInteger,
    /// `abrir_os` that is not a JSON boolean.
    NotBoolean,
    /// `parametros` that is not a JSON object.
    NotObject,
}

/// One refused key of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The body key, e.g. `"telefone"`.
    pub key: &'static str,
    /// The form field it fills; `None` for `abrir_os` and `parametros`, which have no field.
    pub field: Option<Field>,
    /// Why it was refused.
    pub problem: Problem,
}

impl Issue {
    /// One Brazilian Portuguese sentence in Hubsoft's style (`docs/hubsoft-api.md` §2), starting with
    /// `O campo <nome do campo>` so that [`super::error::field_named_in`] finds the field:
    /// `"O campo telefone é obrigatório."`, `"O campo descricao é inválido: …"`.
    pub fn sentence_pt(&self) -> String {
        let label = label(self.key);
        match &self.problem {
            Problem::Rule(FieldError::Required) => format!("O campo {label} é obrigatório."),
            Problem::Rule(e) => {
                let detail = match self.field {
                    Some(f) => e.message_pt(f),
                    None => String::new(),
                };
                format!("O campo {label} é inválido: {detail}")
            }
            Problem::NotText => format!("O campo {label} deve ser um texto."),
            Problem::NotInteger => format!("O campo {label} deve ser um número inteiro."),
            Problem::NotBoolean => format!("O campo {label} deve ser verdadeiro ou falso."),
            Problem::NotObject => format!("O campo {label} deve ser um objeto."),
        }
    }
}

/// The words Hubsoft (Laravel) uses for a key in its sentences: the key with `_` as spaces
/// (`"id cliente servico"`).
fn label(key: &str) -> String {
    key.replace('_', " ")
}

/// The `msg` that goes with a list of [`Issue`] sentences (Hubsoft's own, `docs/hubsoft-api.md` §2).
pub const MSG_INVALID: &str =
    "Favor preencher os campos obrigatórios de acordo com as especificações";

/// Checks and normalises a received ticket body. `body` is the parsed JSON; anything but an
/// object counts as an empty input (as Laravel reads it), so every required field is reported.
///
/// On success the [`NovoAtendimento`] holds trimmed strings, the phone as digits (`docs/hubsoft-api.md` §5),
/// `email` only when not blank, and only the keys listed in the module table. On failure every
/// issue is returned, in form order, then `abrir_os` and `parametros`. Pure; never panics.
pub fn parse(body: &Json) -> Result<NovoAtendimento, Vec<Issue>> {
    let empty = Json::Object(Vec::new());
    let body = if body.as_object().is_some() {
        body
    } else {
        &empty
    };
    let mut values = FormValues::default();
    let mut type_issues: Vec<Issue> = Vec::new();

    for field in Field::ALL {
        let key = field.key();
        let value = body.get(key).unwrap_or(&Json::Null);
        let is_id = matches!(field, Field::IdClienteServico | Field::IdTipoAtendimento);
        let text = match value {
            Json::Null => Some(String::new()),
            // Control characters (a NUL, which PostgreSQL refuses in text) are dropped; the
            // description keeps its line breaks and tabs.
            Json::String(s) => Some(
                s.chars()
                    .filter(|&c| {
                        !c.is_control()
                            || (field == Field::Descricao && matches!(c, '\n' | '\r' | '\t'))
                    })
                    .collect(),
            ),
            Json::Number(n) if (is_id || field == Field::Telefone) && n.as_u64().is_some() => {
                n.as_u64().map(|u| u.to_string())
            }
            // A negative integer id is a number with a broken rule, not a type error.
            Json::Number(n) if is_id && n.as_i64().is_some() => Some("0".to_owned()),
            _ => None,
        };
        match text {
            Some(t) => values.set(field, t),
            None => type_issues.push(Issue {
                key,
                field: Some(field),
                problem: if is_id {
                    Problem::NotInteger
                } else {
                    Problem::NotText
                },
            }),
        }
    }

    let abrir_os = match body.get("abrir_os") {
        None | Some(Json::Null) => None,
        Some(Json::Bool(b)) => Some(*b),
        Some(_) => {
            type_issues.push(Issue {
                key: "abrir_os",
                field: None,
                problem: Problem::NotBoolean,
            });
            None
        }
    };
    let parametros = match body.get("parametros") {
        None | Some(Json::Null) => None,
        Some(v @ Json::Object(_)) => {
            let mut out = String::new();
            write_json(v, &mut out);
            Some(out)
        }
        Some(_) => {
            type_issues.push(Issue {
                key: "parametros",
                field: None,
                problem: Problem::NotObject,
            });
            None
        }
    };

    let rules = TicketRules {
        fixed_service: None,
        choices: Vec::new(),
        tipo_required: false,
        abrir_os,
        parametros,
    };
    let checked = ticket::build(&values, &rules);
    let mut issues: Vec<Issue> = Vec::new();
    if let Err(errors) = &checked {
        for (field, error) in errors {
            if type_issues.iter().any(|i| i.field == Some(*field)) {
                continue;
            }
            issues.push(Issue {
                key: field.key(),
                field: Some(*field),
                problem: Problem::Rule(error.clone()),
            });
        }
    }
    issues.extend(type_issues);
    let order = |i: &Issue| {
        i.field
            .and_then(|f| Field::ALL.iter().position(|g| *g == f))
            .unwrap_or(Field::ALL.len() + usize::from(i.key == "parametros"))
    };
    issues.sort_by_key(order);
    match checked {
        Ok(novo) if issues.is_empty() => Ok(novo),
        _ => Err(issues),
    }
}

/// The sentences of `issues`, in order ([`Issue::sentence_pt`]).
pub fn sentences_pt(issues: &[Issue]) -> Vec<String> {
    issues.iter().map(Issue::sentence_pt).collect()
}

/// Writes `value` as compact JSON text (RFC 8259): strings through [`encode_string`], numbers
/// as `serde_json` writes them, object members in their order.
fn write_json(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(JsonNumber::UInt(n)) => out.push_str(&n.to_string()),
        Json::Number(JsonNumber::Int(n)) => out.push_str(&n.to_string()),
        // Always finite (`JsonNumber::Float`); `Display` writes plain decimal digits, valid JSON.
        Json::Number(JsonNumber::Float(f)) => out.push_str(&f.to_string()),
        Json::String(s) => encode_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_string(k, out);
                out.push(':');
                write_json(v, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::field_named_in;
    use crate::phone::PhoneError;
    use serde_json::{json, Value};

    fn j(v: Value) -> Json {
        serde_json::from_value(v).expect("json")
    }

    fn good() -> Value {
        json!({
            "id_cliente_servico": 11000,
            "descricao": "  Sem internet desde ontem 😢 ",
            "nome": " Maria ",
            "telefone": "+55 (37) 99911-2233",
            "email": "",
        })
    }

    #[test]
    fn normalises_a_valid_body() {
        let novo = parse(&j(good())).expect("valid");
        assert_eq!(novo.id_cliente_servico, 11000);
        assert_eq!(novo.descricao, "Sem internet desde ontem 😢");
        assert_eq!(novo.nome, "Maria");
        assert_eq!(novo.telefone, "37999112233");
        assert_eq!(novo.email, None);
        assert_eq!(novo.abrir_os, None);
        assert_eq!(novo.parametros, None);
    }

    #[test]
    fn control_characters_are_dropped_but_the_descriptions_line_breaks() {
        let mut v = good();
        v["descricao"] = json!("Sem internet\u{0} desde ontem.\nLuz\u{7} vermelha.\r\n\tObrigada");
        v["nome"] = json!("Ma\u{0}ria\u{1b}\n");
        let novo = parse(&j(v)).expect("valid");
        assert_eq!(
            novo.descricao,
            "Sem internet desde ontem.\nLuz vermelha.\r\n\tObrigada"
        );
        assert_eq!(novo.nome, "Maria");
    }

    #[test]
    fn ids_as_strings_optional_keys_and_unknown_keys() {
        let mut v = good();
        v["id_cliente_servico"] = json!("11001");
        v["id_tipo_atendimento"] = json!(109);
        v["abrir_os"] = json!(true);
        v["parametros"] = json!({"origem": "portal", "n": [1, 2.5, null], "s": "a\"b"});
        v["email"] = json!(" maria@provedor.com.br ");
        v["id_atendimento_status"] = json!(3);
        let novo = parse(&j(v)).expect("valid");
        assert_eq!(novo.id_cliente_servico, 11001);
        assert_eq!(novo.id_tipo_atendimento, Some(109));
        assert_eq!(novo.abrir_os, Some(true));
        assert_eq!(novo.email.as_deref(), Some("maria@provedor.com.br"));
        let p: Value = serde_json::from_str(novo.parametros.as_deref().unwrap()).unwrap();
        assert_eq!(
            p,
            json!({"origem": "portal", "n": [1, 2.5, null], "s": "a\"b"})
        );
        assert!(!novo.to_json().contains("id_atendimento_status"));
    }

    #[test]
    fn every_problem_is_reported_in_form_order_with_hubsoft_sentences() {
        let body = json!({
            "id_cliente_servico": "abc",
            "descricao": 5,
            "nome": "   ",
            "telefone": "99911-2233",
            "email": "maria@",
            "abrir_os": "false",
            "parametros": [1],
        });
        let issues = parse(&j(body)).unwrap_err();
        let keys: Vec<&str> = issues.iter().map(|i| i.key).collect();
        assert_eq!(
            keys,
            [
                "id_cliente_servico",
                "nome",
                "telefone",
                "email",
                "descricao",
                "abrir_os",
                "parametros"
            ]
        );
        assert_eq!(
            issues[0].problem,
            Problem::Rule(FieldError::NotPositiveInteger)
        );
        assert_eq!(issues[1].sentence_pt(), "O campo nome é obrigatório.");
        assert_eq!(
            issues[2].problem,
            Problem::Rule(FieldError::Phone(PhoneError::MissingDdd))
        );
        assert_eq!(issues[4].problem, Problem::NotText);
        assert_eq!(
            issues[5].sentence_pt(),
            "O campo abrir os deve ser verdadeiro ou falso."
        );
        // The widget's classifier maps each sentence back to its field.
        for issue in &issues {
            assert_eq!(
                field_named_in(&issue.sentence_pt()),
                issue.field,
                "{issue:?}"
            );
        }
    }

    #[test]
    fn non_objects_count_as_empty_input() {
        for body in [json!(null), json!([1]), json!("x"), json!({})] {
            let issues = parse(&j(body)).unwrap_err();
            let sentences = sentences_pt(&issues);
            assert_eq!(
                sentences,
                [
                    "O campo id cliente servico é obrigatório.",
                    "O campo nome é obrigatório.",
                    "O campo telefone é obrigatório.",
                    "O campo descricao é obrigatório.",
                ]
            );
        }
    }

    #[test]
    fn limits_and_numbers() {
        let mut v = good();
        v["descricao"] = json!("é".repeat(crate::form::DESCRICAO_MAX + 1));
        v["telefone"] = json!(37999112233u64);
        v["id_cliente_servico"] = json!(-3);
        let issues = parse(&j(v)).unwrap_err();
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].key, "id_cliente_servico");
        assert!(issues[1].sentence_pt().contains("apague 1"), "{issues:?}");
        let mut v = good();
        v["id_cliente_servico"] = json!(1.5);
        assert_eq!(parse(&j(v)).unwrap_err()[0].problem, Problem::NotInteger);
        let mut v = good();
        v["telefone"] = json!(37999112233u64);
        assert_eq!(parse(&j(v)).unwrap().telefone, "37999112233");
    }
}
