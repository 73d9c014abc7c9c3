//! The ticket, built and validated in one place: the customer's [`FormValues`] and the host's
//! [`TicketRules`] become the finished body of `POST /api/v1/integracao/atendimento`
//! ([`NovoAtendimento`], `docs/hubsoft-api.md` §2) or the list of field errors.
//!
//! The widget's reducer calls [`build`] on submit; a gateway can call it on what it receives.

use super::form::{insert_in_field_order, parse_id, validate_field, Field, FieldError, FormValues};
use super::phone;
use super::request::NovoAtendimento;

/// What the host decides about a ticket, beyond what the customer types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketRules {
    /// The service id chosen outside the text field: fixed by the host (`id_cliente_servico`
    /// option) or picked by the customer among the host's `services`. When set, the typed
    /// `id_cliente_servico` is ignored.
    pub fixed_service: Option<u64>,
    /// The services the customer picks among (the host's `services`, unless
    /// `id_cliente_servico` is locked); empty when there is no choice. A pick among them is
    /// kept in the values (`id_cliente_servico`, so it is part of the draft) and wins over the
    /// host's preselection ([`crate::state::WidgetState`]). One service is preselected; it is
    /// asked for only when the customer had typed another contract (the host withdrew it).
    pub choices: Vec<u64>,
    /// Whether a ticket type must be chosen (the host offers `tipos`).
    pub tipo_required: bool,
    /// `abrir_os` to send, a JSON boolean (`docs/hubsoft-api.md` §2); `None` omits the key.
    pub abrir_os: Option<bool>,
    /// `parametros` to send, as the JSON text of an object, untouched (`docs/hubsoft-api.md`
    /// §2); `None` omits the key.
    pub parametros: Option<String>,
}

/// Validates every field of `values` under `rules` and returns the request body: ids as
/// integers, strings trimmed, the phone as digits only, a blank e-mail omitted, and the host's
/// `abrir_os` and `parametros`. On failure returns every field error, in form order (the first
/// is where focus goes); a required type that is missing is [`FieldError::Required`] on
/// [`Field::IdTipoAtendimento`]. Values are never rewritten.
pub fn build(
    values: &FormValues,
    rules: &TicketRules,
) -> Result<NovoAtendimento, Vec<(Field, FieldError)>> {
    let mut errors: Vec<(Field, FieldError)> = Field::ALL
        .iter()
        .filter_map(|&f| {
            validate_field(f, values, rules.fixed_service)
                .err()
                .map(|e| (f, e))
        })
        .collect();
    if rules.tipo_required && values.id_tipo_atendimento.trim().is_empty() {
        insert_in_field_order(&mut errors, Field::IdTipoAtendimento, FieldError::Required);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let id = match rules.fixed_service {
        Some(id) => id,
        None => parse_id(values.id_cliente_servico.trim())
            .ok_or_else(|| vec![(Field::IdClienteServico, FieldError::NotPositiveInteger)])?,
    };
    let telefone = phone::normalize(values.telefone.trim())
        .map_err(|e| vec![(Field::Telefone, FieldError::Phone(e))])?;
    let email = values.email.trim();
    Ok(NovoAtendimento {
        id_cliente_servico: id,
        descricao: values.descricao.trim().to_owned(),
        nome: values.nome.trim().to_owned(),
        telefone: telefone.digits().to_owned(),
        email: (!email.is_empty()).then(|| email.to_owned()),
        id_tipo_atendimento: parse_id(values.id_tipo_atendimento.trim()),
        abrir_os: rules.abrir_os,
        parametros: rules.parametros.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::filled;
    use crate::phone::PhoneError;

    #[test]
    fn valid_form_builds_trimmed_body_without_blank_email() {
        let body = build(&filled(), &TicketRules::default()).expect("valid");
        assert_eq!(body.id_cliente_servico, 11000);
        assert_eq!(body.nome, "Maria da Silva");
        assert_eq!(body.telefone, "37999112233");
        assert_eq!(body.email, None);
        assert_eq!(
            body.descricao,
            "Sem internet desde ontem.\nJá reiniciei o roteador 😢 \"duas vezes\""
        );
    }

    #[test]
    fn fixed_service_wins_and_hides_service_errors() {
        let mut v = filled();
        v.id_cliente_servico = "lixo".into();
        let body = build(
            &v,
            &TicketRules {
                fixed_service: Some(12000),
                ..TicketRules::default()
            },
        )
        .expect("valid");
        assert_eq!(body.id_cliente_servico, 12000);
    }

    #[test]
    fn every_error_is_reported_in_form_order() {
        let v = FormValues {
            id_cliente_servico: "abc".into(),
            nome: "   ".into(),
            telefone: "99911-2233".into(),
            email: "maria@".into(),
            descricao: "\n\t ".into(),
            id_tipo_atendimento: String::new(),
        };
        let errs = build(&v, &TicketRules::default()).unwrap_err();
        let fields: Vec<Field> = errs.iter().map(|(f, _)| *f).collect();
        let expected: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|f| *f != Field::IdTipoAtendimento)
            .collect();
        assert_eq!(fields, expected);
        assert_eq!(errs[0].1, FieldError::NotPositiveInteger);
        assert_eq!(errs[1].1, FieldError::Required);
        assert_eq!(errs[2].1, FieldError::Phone(PhoneError::MissingDdd));
        assert_eq!(errs[3].1, FieldError::InvalidEmail);
        assert_eq!(errs[4].1, FieldError::Required);
    }

    #[test]
    fn email_is_optional() {
        let mut v = filled();
        v.email = "   ".into();
        assert!(validate_field(Field::Email, &v, None).is_ok());
        v.email = " maria@provedor.com.br ".into();
        assert_eq!(
            build(&v, &TicketRules::default()).unwrap().email.as_deref(),
            Some("maria@provedor.com.br")
        );
    }

    #[test]
    fn a_required_type_and_the_hosts_pass_through_values() {
        let rules = TicketRules {
            tipo_required: true,
            abrir_os: Some(false),
            parametros: Some(r#"{"origem":"portal"}"#.into()),
            ..TicketRules::default()
        };
        let mut v = filled();
        v.nome.clear();
        assert_eq!(
            build(&v, &rules).unwrap_err(),
            [
                (Field::IdTipoAtendimento, FieldError::Required),
                (Field::Nome, FieldError::Required)
            ],
            "in form order"
        );
        let mut v = filled();
        v.id_tipo_atendimento = " 109 ".into();
        let body = build(&v, &rules).unwrap();
        assert_eq!(body.id_tipo_atendimento, Some(109));
        assert_eq!(body.abrir_os, Some(false));
        assert_eq!(body.parametros.as_deref(), Some(r#"{"origem":"portal"}"#));
        assert!(body
            .to_json()
            .ends_with(r#","abrir_os":false,"parametros":{"origem":"portal"}}"#));
    }
}
