//! The widget's state machine as a pure reducer (the shape of yew's `function_todomvc`).
//!
//! The Yew component only dispatches [`Action`]s and renders [`WidgetState`]; every rule about
//! what happens on typing, leaving a field, submitting and receiving the answer lives here and is
//! tested natively. The reducer is also the double-submit guard: a [`Action::Submit`] while a
//! request is in flight changes nothing, so one submit sends exactly one POST.

use super::error::SubmitError;
use super::form::{validate, validate_field, Field, FieldError, FormValues};
use super::phone;
use super::request::NovoAtendimento;
use super::response::Success;

/// Where the widget is in its life.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// The form is shown and editable.
    Editing,
    /// A request carrying this body is in flight; the form is locked.
    Submitting(NovoAtendimento),
    /// The last request failed; the form is shown, filled as it was, with the error.
    Failed(SubmitError),
    /// A ticket was opened; the confirmation replaces the form.
    Succeeded(Success),
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The customer changed a field; the value is the field's whole new raw text.
    Input(Field, String),
    /// The customer left a field (blur): validate it and show its error.
    Blur(Field),
    /// The customer asked to submit (button or Enter).
    Submit,
    /// The request numbered `.0` finished with `.1`.
    Finished(u32, Result<Success, SubmitError>),
    /// After a success: start another ticket, keeping the customer's contact details.
    NewTicket,
}

/// Everything the widget shows.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetState {
    /// What the customer typed, untouched by validation or failures.
    pub values: FormValues,
    /// Host-fixed `id_cliente_servico`; hides the service field.
    pub fixed_service: Option<u64>,
    /// Errors currently shown, one per field at most, in form order.
    pub errors: Vec<(Field, FieldError)>,
    /// Fields the server's answer named (marked invalid until edited).
    pub server_fields: Vec<Field>,
    /// Fields the customer has left at least once (errors update live on them).
    pub touched: Vec<Field>,
    /// The current phase.
    pub phase: Phase,
    /// Number of the latest request to send; bumps by one on each accepted submit. The component
    /// sends a request whenever it changes.
    pub submission: u32,
    /// A field to move focus to, with a counter so the same field can be focused twice.
    pub focus: Option<(Field, u32)>,
}

impl WidgetState {
    /// A fresh form, prefilled with `prefill` (host values).
    pub fn new(prefill: FormValues, fixed_service: Option<u64>) -> Self {
        WidgetState {
            values: prefill,
            fixed_service,
            errors: Vec::new(),
            server_fields: Vec::new(),
            touched: Vec::new(),
            phase: Phase::Editing,
            submission: 0,
            focus: None,
        }
    }

    /// Whether a request is in flight (the submit button is disabled).
    pub fn is_submitting(&self) -> bool {
        matches!(self.phase, Phase::Submitting(_))
    }

    /// The error shown for `field`, if any.
    pub fn error_for(&self, field: Field) -> Option<&FieldError> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e)
    }

    /// Whether `field` is marked invalid (own check or named by the server).
    pub fn is_invalid(&self, field: Field) -> bool {
        self.error_for(field).is_some() || self.server_fields.contains(&field)
    }

    /// The pure transition: returns the next state.
    pub fn reduce(&self, action: Action) -> WidgetState {
        let mut next = self.clone();
        match action {
            Action::Input(field, value) => {
                if next.is_submitting() || matches!(next.phase, Phase::Succeeded(_)) {
                    return next;
                }
                next.values.set(field, value);
                next.server_fields.retain(|f| *f != field);
                if next.touched.contains(&field) || next.error_for(field).is_some() {
                    next.set_field_error(field);
                }
            }
            Action::Blur(field) => {
                if next.is_submitting() || matches!(next.phase, Phase::Succeeded(_)) {
                    return next;
                }
                if !next.touched.contains(&field) {
                    next.touched.push(field);
                }
                if field == Field::Telefone {
                    // Show a valid number in the national format, "(DD) 9XXXX-XXXX" (contract §5).
                    if let Ok(p) = phone::normalize(&next.values.telefone) {
                        next.values.telefone = p.formatted();
                    }
                }
                next.set_field_error(field);
            }
            Action::Submit => match next.phase {
                Phase::Submitting(_) | Phase::Succeeded(_) => {}
                Phase::Editing | Phase::Failed(_) => {
                    next.touched = Field::ALL.to_vec();
                    match validate(&next.values, next.fixed_service) {
                        Ok(body) => {
                            next.errors.clear();
                            next.server_fields.clear();
                            next.submission = next.submission.wrapping_add(1);
                            next.phase = Phase::Submitting(body);
                        }
                        Err(errors) => {
                            let first = errors[0].0;
                            next.errors = errors;
                            next.phase = Phase::Editing;
                            next.request_focus(first);
                        }
                    }
                }
            },
            Action::Finished(id, result) => {
                if !next.is_submitting() || id != next.submission {
                    return next;
                }
                match result {
                    Ok(success) => next.phase = Phase::Succeeded(success),
                    Err(error) => {
                        next.server_fields = error.fields();
                        if let Some(&first) = next.server_fields.first() {
                            next.request_focus(first);
                        }
                        next.phase = Phase::Failed(error);
                    }
                }
            }
            Action::NewTicket => {
                if matches!(next.phase, Phase::Succeeded(_)) {
                    next.values.descricao.clear();
                    next.errors.clear();
                    next.server_fields.clear();
                    next.touched.clear();
                    next.phase = Phase::Editing;
                    next.request_focus(Field::Descricao);
                }
            }
        }
        next
    }

    fn set_field_error(&mut self, field: Field) {
        self.errors.retain(|(f, _)| *f != field);
        if let Err(e) = validate_field(field, &self.values, self.fixed_service) {
            self.errors.push((field, e));
            self.errors.sort_by_key(|(f, _)| *f);
        }
    }

    fn request_focus(&mut self, field: Field) {
        let n = self.focus.map(|(_, n)| n.wrapping_add(1)).unwrap_or(0);
        self.focus = Some((field, n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::phone::PhoneError;
    use crate::core::response::classify;

    fn filled() -> WidgetState {
        WidgetState::new(
            FormValues {
                id_cliente_servico: "11000".into(),
                nome: "Maria".into(),
                telefone: "(37) 99911-2233".into(),
                email: String::new(),
                descricao: "Sem internet".into(),
            },
            None,
        )
    }

    fn ok_body() -> Result<Success, SubmitError> {
        classify(
            200,
            r#"{"status":"success","atendimento":{"id_atendimento":7,"protocolo":"20250926160819577001"}}"#,
        )
    }

    #[test]
    fn submit_once_then_ignore_further_submits() {
        let s = filled().reduce(Action::Submit);
        assert!(s.is_submitting());
        assert_eq!(s.submission, 1);
        let again = s.reduce(Action::Submit).reduce(Action::Submit);
        assert_eq!(again, s, "a second submit while in flight changes nothing");
        let typed = s.reduce(Action::Input(Field::Nome, "Outra".into()));
        assert_eq!(typed.values.nome, "Maria", "form is locked while sending");
    }

    #[test]
    fn invalid_submit_sends_nothing_and_focuses_first_error() {
        let mut s = filled();
        s.values.nome = "  ".into();
        s.values.telefone = "9911-2233".into();
        let s = s.reduce(Action::Submit);
        assert_eq!(s.phase, Phase::Editing);
        assert_eq!(s.submission, 0);
        assert_eq!(s.focus, Some((Field::Nome, 0)));
        assert_eq!(s.error_for(Field::Nome), Some(&FieldError::Required));
        assert_eq!(
            s.error_for(Field::Telefone),
            Some(&FieldError::Phone(PhoneError::MissingDdd))
        );
        let s = s.reduce(Action::Input(Field::Nome, "M".into()));
        assert_eq!(
            s.error_for(Field::Nome),
            None,
            "fixed errors disappear while typing"
        );
        assert_eq!(s.values.telefone, "9911-2233", "values kept as typed");
    }

    #[test]
    fn blur_shows_errors_typing_before_blur_does_not() {
        let s = WidgetState::new(FormValues::default(), None)
            .reduce(Action::Input(Field::Telefone, "3799".into()));
        assert!(s.errors.is_empty());
        let s = s.reduce(Action::Blur(Field::Telefone));
        assert!(matches!(
            s.error_for(Field::Telefone),
            Some(FieldError::Phone(_))
        ));
        let s = s.reduce(Action::Input(Field::Telefone, "37999112233".into()));
        assert_eq!(s.error_for(Field::Telefone), None);
    }

    #[test]
    fn valid_phone_is_shown_formatted_after_blur() {
        let s = WidgetState::new(FormValues::default(), None)
            .reduce(Action::Input(Field::Telefone, "+55 37 999112233".into()))
            .reduce(Action::Blur(Field::Telefone));
        assert_eq!(s.values.telefone, "(37) 99911-2233");
        let s = s
            .reduce(Action::Input(Field::Telefone, "3799".into()))
            .reduce(Action::Blur(Field::Telefone));
        assert_eq!(
            s.values.telefone, "3799",
            "an invalid number is left as typed"
        );
    }

    #[test]
    fn failure_keeps_values_and_marks_server_fields() {
        let s = filled().reduce(Action::Submit);
        let err = classify(
            200,
            r#"{"status":"error","msg":"Favor preencher","errors":["O campo telefone é obrigatório."]}"#,
        );
        let s = s.reduce(Action::Finished(1, err.map(|_| unreachable!())));
        assert!(matches!(
            s.phase,
            Phase::Failed(SubmitError::Rejected { .. })
        ));
        assert_eq!(s.values, filled().values);
        assert!(s.is_invalid(Field::Telefone));
        assert_eq!(s.focus, Some((Field::Telefone, 0)));
        let s = s.reduce(Action::Input(Field::Telefone, "37999112234".into()));
        assert!(!s.is_invalid(Field::Telefone));
        let s = s.reduce(Action::Submit);
        assert_eq!(
            s.submission, 2,
            "a failed form can be sent again by the customer"
        );
    }

    #[test]
    fn stale_or_unexpected_results_are_ignored() {
        let editing = filled();
        assert_eq!(editing.reduce(Action::Finished(0, ok_body())), editing);
        let s = filled().reduce(Action::Submit);
        assert_eq!(s.reduce(Action::Finished(99, ok_body())), s);
    }

    #[test]
    fn success_then_new_ticket_keeps_contact_details() {
        let s = filled()
            .reduce(Action::Submit)
            .reduce(Action::Finished(1, ok_body()));
        let Phase::Succeeded(ok) = &s.phase else {
            panic!("{:?}", s.phase)
        };
        assert_eq!(ok.atendimento.protocolo, "20250926160819577001");
        assert_eq!(
            s.reduce(Action::Submit),
            s,
            "no submit from the confirmation"
        );
        let s = s.reduce(Action::NewTicket);
        assert_eq!(s.phase, Phase::Editing);
        assert_eq!(s.values.nome, "Maria");
        assert_eq!(s.values.descricao, "");
        assert_eq!(s.focus, Some((Field::Descricao, 0)));
    }

    #[test]
    fn fixed_service_needs_no_service_input() {
        let mut s = filled();
        s.values.id_cliente_servico.clear();
        s.fixed_service = Some(12000);
        let s = s.reduce(Action::Submit);
        let Phase::Submitting(body) = &s.phase else {
            panic!()
        };
        assert_eq!(body.id_cliente_servico, 12000);
    }
}
