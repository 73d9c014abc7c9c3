//! The widget's state machine as a pure reducer (the shape of yew's `function_todomvc`).
//!
//! The Yew component only dispatches [`Action`]s and renders [`WidgetState`]; every rule about
//! what happens on typing, leaving a field, submitting and receiving the answer lives here and is
//! tested natively. The reducer is also the double-submit guard: a [`Action::Submit`] while a
//! request is in flight changes nothing, so one submit sends exactly one POST.

use super::draft;
use super::error::SubmitError;
use super::form::{insert_in_field_order, parse_id, validate_field, Field, FieldError, FormValues};
use super::phone;
use super::request::NovoAtendimento;
use super::response::Success;
use super::ticket::{self, TicketRules};

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
    /// The customer changed a field.
    Input {
        /// The field changed.
        field: Field,
        /// The field's whole new raw text; for the type picker, the chosen id as text.
        value: String,
    },
    /// The customer picked one of the host's services. The pick is kept in the values
    /// (`id_cliente_servico`), so it is saved in the draft and survives host updates.
    ChooseService(u64),
    /// A choice the customer made (a service or ticket type, from the form or a draft) is no
    /// longer offered by the host: it is cleared and the customer is told to choose again
    /// ([`FieldError::Withdrawn`]); nothing is chosen in its place.
    Withdrawn(Field),
    /// The customer left a field (blur): validate it and show its error.
    Blur(Field),
    /// The customer asked to submit (button or Enter).
    Submit,
    /// A request finished.
    Finished {
        /// The [`WidgetState::submission`] number of the request.
        submission: u32,
        /// The classified answer.
        result: Result<Success, SubmitError>,
    },
    /// After a success: start another ticket, keeping the customer's contact details.
    NewTicket,
    /// The browser went online (`true`) or offline (`false`): `online`/`offline` events.
    Connectivity(bool),
    /// The customer confirmed sending again after a failure that may have opened the ticket.
    ConfirmResend,
    /// The customer chose not to send again (yet).
    CancelResend,
    /// "Descartar rascunho": back to the host's values; the widget also deletes the stored draft.
    /// What was discarded is kept in [`WidgetState::discarded`] for [`Action::UndoDiscard`].
    DiscardDraft,
    /// The widget found, at load, the mark of a send the page was closed or reloaded during
    /// (no answer came): the form says the ticket may exist, and the next submit asks first.
    /// Carries the mark's request body (JSON) when it was sent with an `Idempotency-Key`, which a
    /// resend of that same body reuses ([`WidgetState::resend_reuses_key`]).
    Interrupted(Option<String>),
    /// "Desfazer": the values the last [`Action::DiscardDraft`] removed come back (and are saved
    /// as the draft again), if nothing was changed since.
    UndoDiscard,
    /// The draft key changed (another customer, service or endpoint): start from that key's
    /// draft, if any, merged over the host's values (locked fields keep the host's values).
    LoadDraft(Option<FormValues>),
    /// The host's `reset()`: a fresh form with the host's values, whatever the phase (a request
    /// in flight goes on, but its answer is not shown).
    Reset,
    /// The host changed its options after mount. Fields the customer has not changed take the
    /// new host values; typed values stay; locked fields always show the host's value.
    HostChanged {
        /// The host's values (prefill).
        prefill: FormValues,
        /// The host's rules for the ticket (service, type, `abrir_os`, `parametros`).
        rules: TicketRules,
        /// The fields the host locks.
        locked: Vec<Field>,
    },
}

/// Everything the widget shows.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetState {
    /// What the customer typed, untouched by validation or failures.
    pub values: FormValues,
    /// The host's rules for the ticket; `rules.fixed_service` (fixed by the host or picked
    /// among its services) hides the service text field.
    pub rules: TicketRules,
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
    /// Whether the browser says it is online. Offline, a submit sends nothing and says why.
    pub online: bool,
    /// The customer is being asked whether to send again after a failure that may have opened
    /// the ticket (timeout, dropped connection): `docs/hubsoft-api.md` §2, never retry blindly.
    pub confirm_resend: bool,
    /// The host's values (prefill), restored by [`Action::DiscardDraft`].
    pub prefill: FormValues,
    /// Whether the form started from a saved draft (the widget says so and offers to discard it).
    pub draft_restored: bool,
    /// Bumps by one each time a submit is refused by validation (the host gets an `invalid`
    /// event).
    pub invalid_count: u32,
    /// Bumps by one each time a valid submit is refused because the browser is offline (nothing
    /// is sent; the host gets an `error` event of kind `offline`).
    pub offline_count: u32,
    /// Fields the host locked: shown as text, never edited, still submitted.
    pub locked: Vec<Field>,
    /// What the last "Descartar rascunho" removed (the values, whether they came from a saved
    /// draft, and the phase), offered back by "Desfazer" until the form changes in another way.
    pub discarded: Option<(FormValues, bool, Phase)>,
    /// The request body (JSON) of the last send whose outcome is unknown (a failure that may
    /// have opened the ticket, or a send the page was closed during), until an answer settles
    /// it: a resend of this same body goes under the same `Idempotency-Key`.
    pub unsettled: Option<String>,
    /// Bumps by one each time the form starts afresh for another customer (draft key) or a
    /// host's `reset()`: the answer to a send from before is not this form's to announce.
    pub restarts: u32,
}

/// The host's values with a valid phone shown in the national format, `(DD) 9XXXX-XXXX`, from
/// the start (`docs/hubsoft-api.md` §5); anything else as given.
fn formatted_prefill(mut prefill: FormValues) -> FormValues {
    if let Ok(p) = phone::normalize(&prefill.telefone) {
        prefill.telefone = p.formatted();
    }
    prefill
}

impl WidgetState {
    /// A fresh form, prefilled with `prefill` (host values), under the host's `rules`.
    pub fn new(prefill: FormValues, rules: TicketRules) -> Self {
        Self::with_draft(prefill, rules, None)
    }

    /// Sets the host's locked fields. Locked fields take the host's values (they beat drafts).
    pub fn with_locked(mut self, locked: Vec<Field>) -> Self {
        let locked = self.lockable(locked);
        for &f in &locked {
            self.values.set(f, self.prefill.get(f).to_owned());
        }
        self.draft_restored =
            self.draft_restored && !draft::is_pristine(&self.values, &self.prefill);
        self.locked = locked;
        self
    }

    /// A form that starts from a saved `draft` merged over the host's `prefill`
    /// (see [`draft::merge`]).
    pub fn with_draft(prefill: FormValues, rules: TicketRules, saved: Option<FormValues>) -> Self {
        let prefill = formatted_prefill(prefill);
        let values = match &saved {
            Some(d) => draft::merge(&prefill, d, &[]),
            None => prefill.clone(),
        };
        let draft_restored = saved.is_some() && !draft::is_pristine(&values, &prefill);
        let mut state = WidgetState {
            locked: Vec::new(),
            invalid_count: 0,
            offline_count: 0,
            draft_restored,
            prefill,
            values,
            rules,
            errors: Vec::new(),
            server_fields: Vec::new(),
            touched: Vec::new(),
            phase: Phase::Editing,
            submission: 0,
            focus: None,
            online: true,
            confirm_resend: false,
            discarded: None,
            unsettled: None,
            restarts: 0,
        };
        state.settle_service_choice();
        state
    }

    /// The customer's pick among the host's services (kept in the values, from the form or a
    /// draft) wins over the host's preselection while the host still offers it.
    fn settle_service_choice(&mut self) {
        if let Some(id) = parse_id(self.values.id_cliente_servico.trim()) {
            if self.rules.choices.contains(&id) {
                self.rules.fixed_service = Some(id);
            }
        }
    }

    /// The host's locked fields that can really be locked: a field whose host value is missing
    /// or invalid stays editable (locking it would make the form impossible to send).
    fn lockable(&self, mut locked: Vec<Field>) -> Vec<Field> {
        locked.retain(|&f| {
            f != Field::IdClienteServico
                && !self.prefill.get(f).trim().is_empty()
                && validate_field(f, &self.prefill, self.rules.fixed_service).is_ok()
        });
        locked
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

    /// Whether sending the form as it is now would go under the key of the send whose outcome is
    /// unknown ([`WidgetState::unsettled`]): the same body. Only then can the widget say that
    /// sending again cannot open a second ticket; an edited form is a new intent with a new key.
    pub fn resend_reuses_key(&self) -> bool {
        self.unsettled.as_ref().is_some_and(|sent| {
            ticket::build(&self.values, &self.rules).is_ok_and(|body| body.to_json() == *sent)
        })
    }

    /// Whether `field` is marked invalid (own check or named by the server).
    pub fn is_invalid(&self, field: Field) -> bool {
        self.error_for(field).is_some() || self.server_fields.contains(&field)
    }

    /// The pure transition: returns the next state.
    pub fn reduce(&self, action: Action) -> WidgetState {
        let mut next = self.clone();
        // "Desfazer" is offered until the form changes in another way (what it would bring
        // back could then overwrite newer text).
        if !matches!(
            action,
            Action::UndoDiscard | Action::Blur(_) | Action::Connectivity(_)
        ) {
            next.discarded = None;
        }
        match action {
            Action::ChooseService(id) => {
                if !next.is_submitting() && !matches!(next.phase, Phase::Succeeded(_)) {
                    next.rules.fixed_service = Some(id);
                    next.values.id_cliente_servico = id.to_string();
                    next.errors.retain(|(f, _)| *f != Field::IdClienteServico);
                    next.server_fields.retain(|f| *f != Field::IdClienteServico);
                }
            }
            Action::Input { field, value } => {
                if next.is_submitting()
                    || matches!(next.phase, Phase::Succeeded(_))
                    || next.locked.contains(&field)
                {
                    return next;
                }
                next.values.set(field, value);
                next.server_fields.retain(|f| *f != field);
                let over_limit = matches!(
                    validate_field(field, &next.values, next.rules.fixed_service),
                    Err(FieldError::TooLong { .. })
                );
                // Text past a limit (a paste, say) is kept and flagged at once, never cut.
                if over_limit || next.touched.contains(&field) || next.error_for(field).is_some() {
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
                    // Show a valid number in the national format, "(DD) 9XXXX-XXXX" (`docs/hubsoft-api.md` §5).
                    if let Ok(p) = phone::normalize(&next.values.telefone) {
                        next.values.telefone = p.formatted();
                    }
                }
                next.set_field_error(field);
            }
            Action::Submit => match &next.phase {
                Phase::Submitting(_) | Phase::Succeeded(_) => {}
                Phase::Failed(e) if e.may_have_been_created() => {
                    // Ask first: the previous request may have opened the ticket.
                    next.confirm_resend = true;
                }
                Phase::Editing | Phase::Failed(_) => next.try_send(),
            },
            Action::ConfirmResend => {
                if next.confirm_resend {
                    next.confirm_resend = false;
                    next.try_send();
                }
            }
            Action::CancelResend => next.confirm_resend = false,
            // The host's `reset()` (a logout, say) and another customer's draft key apply at
            // once, even while a ticket is being sent: that send's answer, when it comes, is
            // not shown (its `Finished` no longer matches), so one customer's text or result is
            // never shown to the next.
            Action::Reset => next = next.restarted(None),
            Action::HostChanged {
                prefill,
                rules,
                locked,
            } => {
                let prefill = formatted_prefill(prefill);
                for field in Field::ALL {
                    if next.values.get(field) == next.prefill.get(field) || locked.contains(&field)
                    {
                        next.values.set(field, prefill.get(field).to_owned());
                    }
                }
                next.prefill = prefill;
                next.rules = rules;
                next.settle_service_choice();
                // A service the customer was asked for (their choice withdrawn) stays asked for:
                // the host's preselection does not answer for them.
                if self.error_for(Field::IdClienteServico) == Some(&FieldError::Withdrawn)
                    && next.values.id_cliente_servico.trim().is_empty()
                    && !next.rules.choices.is_empty()
                {
                    next.rules.fixed_service = None;
                }
                let (tipo_required, fixed_service) =
                    (next.rules.tipo_required, next.rules.fixed_service);
                let locked = next.lockable(locked);
                next.errors.retain(|(f, _)| !locked.contains(f));
                if !tipo_required {
                    next.errors.retain(|(f, _)| *f != Field::IdTipoAtendimento);
                }
                next.locked = locked;
                next.errors
                    .retain(|(f, _)| *f != Field::IdClienteServico || fixed_service.is_none());
            }
            Action::Withdrawn(field) => {
                if !next.is_submitting() && !matches!(next.phase, Phase::Succeeded(_)) {
                    next.values.set(field, String::new());
                    next.errors.retain(|(f, _)| *f != field);
                    let asked = match field {
                        Field::IdClienteServico if !next.rules.choices.is_empty() => {
                            next.rules.fixed_service = None;
                            true
                        }
                        Field::IdTipoAtendimento => next.rules.tipo_required,
                        _ => false,
                    };
                    if asked {
                        insert_in_field_order(&mut next.errors, field, FieldError::Withdrawn);
                    }
                }
            }
            Action::LoadDraft(saved) => next = next.restarted(saved),
            Action::Interrupted(body) => {
                if next.phase == Phase::Editing {
                    next.phase = Phase::Failed(SubmitError::Interrupted);
                    next.unsettled = body;
                }
            }
            Action::UndoDiscard => {
                if let Some((values, restored, phase)) = next.discarded.take() {
                    if !next.is_submitting() && !matches!(next.phase, Phase::Succeeded(_)) {
                        next.values = values;
                        next.draft_restored = restored;
                        // A failure that may have opened the ticket comes back with the text,
                        // so the next submit asks first again.
                        if matches!(&phase, Phase::Failed(e) if e.may_have_been_created()) {
                            next.phase = phase;
                        }
                    }
                }
            }
            Action::DiscardDraft => {
                if !next.is_submitting() && !matches!(next.phase, Phase::Succeeded(_)) {
                    if !draft::is_pristine(&next.values, &next.prefill) {
                        next.discarded =
                            Some((next.values.clone(), next.draft_restored, next.phase.clone()));
                    }
                    next.values = next.prefill.clone();
                    next.errors.clear();
                    next.server_fields.clear();
                    next.touched.clear();
                    next.confirm_resend = false;
                    next.draft_restored = false;
                    next.phase = Phase::Editing;
                }
            }
            Action::Connectivity(online) => {
                next.online = online;
                if online && next.phase == Phase::Failed(SubmitError::Offline) {
                    next.phase = Phase::Editing;
                }
            }
            Action::Finished { submission, result } => {
                if !next.is_submitting() || submission != next.submission {
                    return next;
                }
                // As the widget's key: kept for the same body until an answer settles it (a
                // ticket, or a refusal of the body), taken by a send whose fate is unknown.
                match (&result, &next.phase) {
                    (Err(e), Phase::Submitting(body)) if e.may_have_been_created() => {
                        next.unsettled = Some(body.to_json());
                    }
                    (Err(e), _) if !e.settles_intent() => {}
                    _ => next.unsettled = None,
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
                    // The restored draft was sent: what comes next is typed anew.
                    next.draft_restored = false;
                    next.phase = Phase::Editing;
                    next.request_focus(Field::Descricao);
                }
            }
        }
        next
    }

    /// A fresh form from the host's values and `saved` draft, under the same host rules, keeping
    /// the counters the component keys effects on and the connectivity.
    fn restarted(&self, saved: Option<FormValues>) -> WidgetState {
        let fresh = WidgetState::with_draft(self.prefill.clone(), self.rules.clone(), saved)
            .with_locked(self.locked.clone());
        WidgetState {
            submission: self.submission,
            restarts: self.restarts.wrapping_add(1),
            online: self.online,
            invalid_count: self.invalid_count,
            offline_count: self.offline_count,
            ..fresh
        }
    }

    /// Validates and, when valid and online, starts a request; otherwise shows why not.
    fn try_send(&mut self) {
        self.touched = Field::ALL.to_vec();
        self.confirm_resend = false;
        match ticket::build(&self.values, &self.rules) {
            Ok(_) if !self.online => {
                self.errors.clear();
                self.offline_count = self.offline_count.wrapping_add(1);
                self.phase = Phase::Failed(SubmitError::Offline);
            }
            Ok(body) => {
                self.errors.clear();
                self.server_fields.clear();
                self.submission = self.submission.wrapping_add(1);
                self.phase = Phase::Submitting(body);
            }
            Err(errors) => {
                let first = errors[0].0;
                self.errors = errors;
                self.invalid_count = self.invalid_count.wrapping_add(1);
                if !matches!(self.phase, Phase::Failed(_)) {
                    self.phase = Phase::Editing;
                }
                self.request_focus(first);
            }
        }
    }

    fn set_field_error(&mut self, field: Field) {
        self.errors.retain(|(f, _)| *f != field);
        if let Err(e) = validate_field(field, &self.values, self.rules.fixed_service) {
            insert_in_field_order(&mut self.errors, field, e);
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
    use crate::phone::PhoneError;
    use crate::response::classify;

    fn service(fixed_service: Option<u64>) -> TicketRules {
        TicketRules {
            fixed_service,
            ..TicketRules::default()
        }
    }

    fn filled() -> WidgetState {
        WidgetState::new(
            FormValues {
                id_cliente_servico: "11000".into(),
                nome: "Maria".into(),
                telefone: "(37) 99911-2233".into(),
                email: String::new(),
                descricao: "Sem internet".into(),
                id_tipo_atendimento: String::new(),
            },
            service(None),
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
        let typed = s.reduce(Action::Input {
            field: Field::Nome,
            value: "Outra".into(),
        });
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
        let s = s.reduce(Action::Input {
            field: Field::Nome,
            value: "M".into(),
        });
        assert_eq!(
            s.error_for(Field::Nome),
            None,
            "fixed errors disappear while typing"
        );
        assert_eq!(s.values.telefone, "9911-2233", "values kept as typed");
    }

    #[test]
    fn blur_shows_errors_typing_before_blur_does_not() {
        let s = WidgetState::new(FormValues::default(), service(None)).reduce(Action::Input {
            field: Field::Telefone,
            value: "3799".into(),
        });
        assert!(s.errors.is_empty());
        let s = s.reduce(Action::Blur(Field::Telefone));
        assert!(matches!(
            s.error_for(Field::Telefone),
            Some(FieldError::Phone(_))
        ));
        let s = s.reduce(Action::Input {
            field: Field::Telefone,
            value: "37999112233".into(),
        });
        assert_eq!(s.error_for(Field::Telefone), None);
    }

    #[test]
    fn valid_phone_is_shown_formatted_after_blur() {
        let s = WidgetState::new(FormValues::default(), service(None))
            .reduce(Action::Input {
                field: Field::Telefone,
                value: "+55 37 999112233".into(),
            })
            .reduce(Action::Blur(Field::Telefone));
        assert_eq!(s.values.telefone, "(37) 99911-2233");
        let s = s
            .reduce(Action::Input {
                field: Field::Telefone,
                value: "3799".into(),
            })
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
        let s = s.reduce(Action::Finished {
            submission: 1,
            result: err.map(|_| unreachable!()),
        });
        assert!(matches!(
            s.phase,
            Phase::Failed(SubmitError::Rejected { .. })
        ));
        assert_eq!(s.values, filled().values);
        assert!(s.is_invalid(Field::Telefone));
        assert_eq!(s.focus, Some((Field::Telefone, 0)));
        let s = s.reduce(Action::Input {
            field: Field::Telefone,
            value: "37999112234".into(),
        });
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
        assert_eq!(
            editing.reduce(Action::Finished {
                submission: 0,
                result: ok_body()
            }),
            editing
        );
        let s = filled().reduce(Action::Submit);
        assert_eq!(
            s.reduce(Action::Finished {
                submission: 99,
                result: ok_body()
            }),
            s
        );
    }

    #[test]
    fn success_then_new_ticket_keeps_contact_details() {
        let s = filled().reduce(Action::Submit).reduce(Action::Finished {
            submission: 1,
            result: ok_body(),
        });
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
    fn offline_submit_sends_nothing_and_online_restores() {
        let s = filled()
            .reduce(Action::Connectivity(false))
            .reduce(Action::Submit);
        assert_eq!(s.phase, Phase::Failed(SubmitError::Offline));
        assert_eq!(s.submission, 0, "nothing sent while offline");
        assert_eq!(s.offline_count, 1, "the host is told");
        assert_eq!(s.values, filled().values);
        let s = s.reduce(Action::Connectivity(true));
        assert_eq!(s.phase, Phase::Editing);
        let s = s.reduce(Action::Submit);
        assert!(s.is_submitting());
        assert_eq!(s.submission, 1);
    }

    #[test]
    fn after_a_timeout_the_customer_is_asked_before_sending_again() {
        let s = filled().reduce(Action::Submit).reduce(Action::Finished {
            submission: 1,
            result: Err(SubmitError::Timeout),
        });
        let asked = s.reduce(Action::Submit);
        assert!(asked.confirm_resend);
        assert_eq!(asked.submission, 1, "no second POST without confirmation");
        assert!(matches!(asked.phase, Phase::Failed(SubmitError::Timeout)));
        let cancelled = asked.reduce(Action::CancelResend);
        assert!(!cancelled.confirm_resend);
        assert_eq!(cancelled.submission, 1);
        assert_eq!(
            s.reduce(Action::ConfirmResend),
            s,
            "confirming needs a question first"
        );
        let sent = asked.reduce(Action::ConfirmResend);
        assert!(sent.is_submitting());
        assert_eq!(sent.submission, 2);
        assert!(!sent.confirm_resend);
    }

    #[test]
    fn a_definite_failure_is_sent_again_without_asking() {
        let s = filled()
            .reduce(Action::Submit)
            .reduce(Action::Finished {
                submission: 1,
                result: Err(SubmitError::ServerUnavailable { status: 522 }),
            })
            .reduce(Action::Submit);
        assert!(!s.confirm_resend);
        assert_eq!(s.submission, 2);
    }

    #[test]
    fn pasting_past_a_limit_is_flagged_at_once_and_kept() {
        let long = "x".repeat(crate::form::DESCRICAO_MAX + 10);
        let s = WidgetState::new(FormValues::default(), service(None)).reduce(Action::Input {
            field: Field::Descricao,
            value: long.clone(),
        });
        assert_eq!(s.values.descricao, long, "never cut");
        assert!(matches!(
            s.error_for(Field::Descricao),
            Some(FieldError::TooLong { len, .. }) if *len == crate::form::DESCRICAO_MAX + 10
        ));
    }

    /// The host's values (Nome) and a form restored from a saved draft (a Descrição) over them.
    fn restored_draft() -> (FormValues, WidgetState) {
        let prefill = FormValues {
            nome: "Maria".into(),
            ..Default::default()
        };
        let saved = FormValues {
            descricao: "Sem sinal desde ontem".into(),
            ..Default::default()
        };
        let state = WidgetState::with_draft(prefill.clone(), service(Some(11000)), Some(saved));
        (prefill, state)
    }

    #[test]
    fn a_saved_draft_is_restored_and_can_be_discarded() {
        let (prefill, s) = restored_draft();
        assert!(s.draft_restored);
        assert_eq!(s.values.nome, "Maria");
        assert_eq!(s.values.descricao, "Sem sinal desde ontem");
        let s = s.reduce(Action::DiscardDraft);
        assert_eq!(s.values, prefill);
        assert!(!s.draft_restored);
        let same = WidgetState::with_draft(prefill.clone(), service(None), Some(prefill.clone()));
        assert!(
            !same.draft_restored,
            "a draft equal to the prefill is not announced"
        );
    }

    #[test]
    fn a_restored_draft_once_sent_is_not_restored_for_the_next_ticket() {
        let (prefill, _) = restored_draft();
        let s = WidgetState::with_draft(prefill, service(Some(11000)), Some(filled().values));
        assert!(s.draft_restored);
        let s = s.reduce(Action::Submit);
        let s = s.reduce(Action::Finished {
            submission: s.submission,
            result: ok_body(),
        });
        assert!(matches!(s.phase, Phase::Succeeded(_)), "{:?}", s.phase);
        let next = s.reduce(Action::NewTicket);
        assert!(
            !next.draft_restored,
            "the next ticket is typed anew (its send never reuses the sent draft's key)"
        );
    }

    #[test]
    fn a_discard_can_be_undone_until_the_form_changes() {
        let (prefill, start) = restored_draft();
        let typed = start.values.clone();
        let s = start.reduce(Action::DiscardDraft);
        assert_eq!(s.values, prefill);
        assert_eq!(s.discarded, Some((typed.clone(), true, Phase::Editing)));
        // A blur or the network coming and going keeps the offer.
        let s = s
            .reduce(Action::Blur(Field::Nome))
            .reduce(Action::Connectivity(false));
        let back = s.reduce(Action::UndoDiscard);
        assert_eq!(back.values, typed);
        assert!(back.draft_restored);
        assert_eq!(back.discarded, None);
        // Typing after the discard withdraws the offer: nothing newer is overwritten.
        let s = start.reduce(Action::DiscardDraft).reduce(Action::Input {
            field: Field::Descricao,
            value: "Outro problema".into(),
        });
        assert_eq!(s.discarded, None);
        let same = s.reduce(Action::UndoDiscard);
        assert_eq!(same.values.descricao, "Outro problema");
        // A failure that may have opened the ticket comes back with the text: the next submit
        // asks first.
        let failed = start.reduce(Action::Interrupted(None));
        let back = failed
            .reduce(Action::DiscardDraft)
            .reduce(Action::UndoDiscard);
        assert_eq!(back.phase, Phase::Failed(SubmitError::Interrupted));
        assert!(back.reduce(Action::Submit).confirm_resend);
        // Discarding an untouched form offers nothing to undo.
        let fresh = WidgetState::new(prefill, service(None)).reduce(Action::DiscardDraft);
        assert_eq!(fresh.discarded, None);
    }

    #[test]
    fn another_customer_while_sending_gets_their_own_form_and_never_the_answer() {
        let sending = filled().reduce(Action::Submit);
        let other = FormValues {
            descricao: "Rascunho do outro cliente".into(),
            ..FormValues::default()
        };
        let switched = sending.reduce(Action::LoadDraft(Some(other)));
        assert_eq!(switched.phase, Phase::Editing);
        assert_eq!(switched.values.descricao, "Rascunho do outro cliente");
        let late = switched.reduce(Action::Finished {
            submission: 1,
            result: ok_body(),
        });
        assert_eq!(late.phase, Phase::Editing);
        assert_eq!(late.values.descricao, "Rascunho do outro cliente");
        assert_eq!(late.restarts, sending.restarts + 1);
    }

    #[test]
    fn sending_again_reuses_the_key_only_for_the_same_body() {
        let failed = filled().reduce(Action::Submit).reduce(Action::Finished {
            submission: 1,
            result: Err(SubmitError::Timeout),
        });
        assert!(failed.resend_reuses_key(), "the same form");
        let edited = failed.reduce(Action::Input {
            field: Field::Descricao,
            value: "Sem internet. Continua sem.".into(),
        });
        assert!(
            !edited.resend_reuses_key(),
            "an edited form is a new intent"
        );
        let back = edited.reduce(Action::Input {
            field: Field::Descricao,
            value: "Sem internet".into(),
        });
        assert!(back.resend_reuses_key(), "the same body again");
        // An answer that did nothing keeps the intent; a refusal of the body ends it.
        let again = back.reduce(Action::Submit).reduce(Action::ConfirmResend);
        let nothing = again.reduce(Action::Finished {
            submission: again.submission,
            result: Err(SubmitError::Offline),
        });
        assert!(nothing.resend_reuses_key());
        let refused = nothing.reduce(Action::Submit).reduce(Action::Finished {
            submission: nothing.submission + 1,
            result: Err(SubmitError::NotFound),
        });
        assert!(!refused.resend_reuses_key());
        // After a reload: the mark's body, when it had a key.
        let fresh = filled();
        let body = ticket::build(&fresh.values, &fresh.rules)
            .unwrap()
            .to_json();
        assert!(fresh
            .reduce(Action::Interrupted(Some(body)))
            .resend_reuses_key());
        assert!(!fresh.reduce(Action::Interrupted(None)).resend_reuses_key());
    }

    #[test]
    fn reset_and_host_changes() {
        let prefill = FormValues {
            nome: "Maria".into(),
            ..Default::default()
        };
        let s = WidgetState::new(prefill.clone(), service(None))
            .reduce(Action::Input {
                field: Field::Descricao,
                value: "x".into(),
            })
            .reduce(Action::Submit);
        assert_eq!(s.invalid_count, 1);
        let changed = s.reduce(Action::HostChanged {
            prefill: FormValues {
                nome: "Maria Souza".into(),
                telefone: "37999112233".into(),
                ..Default::default()
            },
            rules: TicketRules {
                fixed_service: Some(11000),
                tipo_required: true,
                ..TicketRules::default()
            },
            locked: vec![Field::Telefone],
        });
        assert!(changed.locked.contains(&Field::Telefone) && changed.rules.tipo_required);
        assert_eq!(
            changed.values.telefone, "(37) 99911-2233",
            "locked field shows the host value (a valid phone formatted)"
        );
        assert_eq!(
            changed.values.nome, "Maria Souza",
            "untouched field follows the host"
        );
        assert_eq!(changed.values.descricao, "x", "typed value stays");
        assert_eq!(changed.rules.fixed_service, Some(11000));
        assert!(changed.error_for(Field::IdClienteServico).is_none());
        let reset = changed.reduce(Action::Reset);
        assert_eq!(reset.values.descricao, "");
        assert_eq!(reset.values.nome, "Maria Souza");
        assert!(reset.errors.is_empty());
        let sending = filled().reduce(Action::Submit);
        // A reset while sending (the portal's logout) clears the form at once, and the answer
        // that comes after is not shown.
        let cleared = sending.reduce(Action::Reset);
        assert_eq!(cleared.phase, Phase::Editing);
        assert_eq!(cleared.values, cleared.prefill);
        let late = cleared.reduce(Action::Finished {
            submission: 1,
            result: ok_body(),
        });
        assert_eq!(late.phase, Phase::Editing, "the answer is not shown");
        let done = sending
            .reduce(Action::Finished {
                submission: 1,
                result: ok_body(),
            })
            .reduce(Action::Reset);
        assert_eq!(done.phase, Phase::Editing);
        assert_eq!(done.submission, 1);
    }

    #[test]
    fn another_customers_draft_replaces_the_form() {
        let prefill = FormValues {
            nome: "Maria".into(),
            ..Default::default()
        };
        let s = WidgetState::new(prefill.clone(), service(Some(1))).reduce(Action::Input {
            field: Field::Descricao,
            value: "segredo do cliente 1".into(),
        });
        let other = s.reduce(Action::LoadDraft(None));
        assert_eq!(other.values.descricao, "", "nothing of customer 1 remains");
        assert_eq!(other.values.nome, "Maria");
        let theirs = s.reduce(Action::LoadDraft(Some(FormValues {
            descricao: "texto do cliente 2".into(),
            ..Default::default()
        })));
        assert_eq!(theirs.values.descricao, "texto do cliente 2");
        assert!(theirs.draft_restored);
    }

    #[test]
    fn locked_fields_win_and_cannot_be_edited() {
        let prefill = FormValues {
            nome: "Maria".into(),
            ..Default::default()
        };
        let saved = FormValues {
            nome: "Outra".into(),
            descricao: "x".into(),
            ..Default::default()
        };
        let s = WidgetState::with_draft(prefill, service(Some(1)), Some(saved))
            .with_locked(vec![Field::Nome]);
        assert_eq!(
            s.values.nome, "Maria",
            "host's locked value beats the draft"
        );
        assert_eq!(s.values.descricao, "x");
        let s = s.reduce(Action::Input {
            field: Field::Nome,
            value: "Hacker".into(),
        });
        assert_eq!(s.values.nome, "Maria");
    }

    #[test]
    fn a_lock_without_a_valid_host_value_is_ignored() {
        let prefill = FormValues {
            telefone: "99911-2233".into(),
            ..Default::default()
        };
        let s = WidgetState::new(prefill, service(None)).with_locked(vec![
            Field::Nome,
            Field::Telefone,
            Field::IdClienteServico,
        ]);
        assert!(s.locked.is_empty(), "{:?}", s.locked);
        let s = s.reduce(Action::Input {
            field: Field::Nome,
            value: "Maria".into(),
        });
        assert_eq!(s.values.nome, "Maria");
    }

    #[test]
    fn a_valid_host_phone_is_shown_formatted() {
        let s = WidgetState::new(
            FormValues {
                telefone: "37999112233".into(),
                ..Default::default()
            },
            service(None),
        );
        assert_eq!(s.values.telefone, "(37) 99911-2233");
        assert!(!s.draft_restored);
        // The widget re-sends the host's values after mount (and on every options change): the
        // phone stays formatted, and a new host phone is formatted too.
        let host = |tel: &str| Action::HostChanged {
            prefill: FormValues {
                telefone: tel.into(),
                ..Default::default()
            },
            rules: TicketRules::default(),
            locked: Vec::new(),
        };
        let s = s.reduce(host("37999112233"));
        assert_eq!(s.values.telefone, "(37) 99911-2233");
        let s = s.reduce(host("+55 11 98765-4321"));
        assert_eq!(s.values.telefone, "(11) 98765-4321");
        assert!(draft::is_pristine(&s.values, &s.prefill));
    }

    fn choice_of(choices: &[u64], preselected: Option<u64>) -> TicketRules {
        TicketRules {
            fixed_service: preselected,
            choices: choices.to_vec(),
            tipo_required: true,
            ..TicketRules::default()
        }
    }

    #[test]
    fn the_customers_picks_are_in_the_draft_and_survive_host_updates() {
        let s = WidgetState::new(FormValues::default(), choice_of(&[11000, 11001], None))
            .reduce(Action::ChooseService(11001))
            .reduce(Action::Input {
                field: Field::IdTipoAtendimento,
                value: "7".into(),
            });
        assert_eq!(s.values.id_cliente_servico, "11001", "saved with the draft");
        assert!(!draft::is_pristine(&s.values, &s.prefill));
        // The portal's profile request returns: telefone filled in, same services, now
        // preselecting another one. The customer's pick stays.
        let s = s.reduce(Action::HostChanged {
            prefill: FormValues {
                telefone: "37999112233".into(),
                ..Default::default()
            },
            rules: choice_of(&[11000, 11001], Some(11000)),
            locked: Vec::new(),
        });
        assert_eq!(s.rules.fixed_service, Some(11001));
        assert_eq!(s.values.id_tipo_atendimento, "7");
        // A reload: the draft brings the pick back over the host's preselection.
        let back = WidgetState::with_draft(
            FormValues::default(),
            choice_of(&[11000, 11001], Some(11000)),
            Some(s.values.clone()),
        );
        assert_eq!(back.rules.fixed_service, Some(11001));
        // A pick the host no longer offers is not made current.
        let gone = WidgetState::with_draft(
            FormValues::default(),
            choice_of(&[11000, 11002], None),
            Some(s.values.clone()),
        );
        assert_eq!(gone.rules.fixed_service, None);
    }

    #[test]
    fn a_withdrawn_choice_is_cleared_and_the_customer_told() {
        let s = WidgetState::new(
            FormValues::default(),
            choice_of(&[11000, 11001], Some(11000)),
        )
        .reduce(Action::ChooseService(11001))
        .reduce(Action::Input {
            field: Field::IdTipoAtendimento,
            value: "7".into(),
        })
        .reduce(Action::Withdrawn(Field::IdClienteServico))
        .reduce(Action::Withdrawn(Field::IdTipoAtendimento));
        assert_eq!(s.values.id_cliente_servico, "");
        assert_eq!(s.values.id_tipo_atendimento, "");
        assert_eq!(
            s.rules.fixed_service, None,
            "not the host's preselection either"
        );
        assert_eq!(
            s.errors,
            [
                (Field::IdClienteServico, FieldError::Withdrawn),
                (Field::IdTipoAtendimento, FieldError::Withdrawn)
            ]
        );
        assert!(FieldError::Withdrawn
            .message_pt(Field::IdClienteServico)
            .contains("não está mais disponível"));
        let s = s.reduce(Action::Submit);
        assert_eq!(
            s.submission, 0,
            "nothing is sent until the customer chooses"
        );
    }

    #[test]
    fn a_type_is_required_when_offered_and_services_can_be_chosen() {
        let mut s = filled();
        s.rules.tipo_required = true;
        let s = s.reduce(Action::Submit);
        assert_eq!(s.submission, 0);
        assert_eq!(
            s.error_for(Field::IdTipoAtendimento),
            Some(&FieldError::Required)
        );
        assert_eq!(s.focus, Some((Field::IdTipoAtendimento, 0)));
        let s = s
            .reduce(Action::Input {
                field: Field::IdTipoAtendimento,
                value: "109".into(),
            })
            .reduce(Action::ChooseService(11001))
            .reduce(Action::Submit);
        let Phase::Submitting(body) = &s.phase else {
            panic!("{:?}", s.phase)
        };
        assert_eq!(body.id_tipo_atendimento, Some(109));
        assert_eq!(body.id_cliente_servico, 11001);
    }

    #[test]
    fn fixed_service_needs_no_service_input() {
        let mut s = filled();
        s.values.id_cliente_servico.clear();
        s.rules.fixed_service = Some(12000);
        let s = s.reduce(Action::Submit);
        let Phase::Submitting(body) = &s.phase else {
            panic!()
        };
        assert_eq!(body.id_cliente_servico, 12000);
    }
}
