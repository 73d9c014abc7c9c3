//! The ticket form: fields, the failure banner above the button, and the submit button.

use yew::prelude::*;

use super::choice_group::{choice_group, ChoiceGroupProps};
use super::text_field::{text_field, TextFieldProps};
use crate::core::draft;
use crate::core::error::SubmitError;
use crate::core::form::{parse_id, Field, DESCRICAO_MAX};
use crate::core::i18n::I18n;
use crate::core::options::Choice;
use crate::core::phone;
use crate::core::state::{Action, Phase, WidgetState};

/// Props of [`ticket_form`], borrowed from the widget for one render.
pub struct TicketFormProps<'a> {
    /// The state to render.
    pub state: &'a WidgetState,
    /// Prefix of element ids, unique per widget instance (e.g. `ac1`).
    pub id_prefix: &'a str,
    /// One element reference per field, in [`Field::ALL`] order, for focus management.
    pub refs: &'a [NodeRef],
    /// Receives every action.
    pub on_action: Callback<Action>,
    /// The "send again" confirmation button, focused when the question appears.
    pub confirm_ref: NodeRef,
    /// "Abrir chamado", focused when the question is answered and its buttons are gone.
    pub submit_ref: NodeRef,
    /// The host's services (none, one, or several to pick from).
    pub services: &'a [Choice],
    /// The host's ticket types (empty: no "Tipo" choice).
    pub tipos: &'a [Choice],
    /// The texts (locale and the host's overrides).
    pub i18n: &'a I18n,
    /// Sending again would go under the `Idempotency-Key` of the send whose outcome is unknown
    /// (the option is on and the form is unchanged since), so it cannot open a second ticket:
    /// the failure banner and the "send again?" question say so instead of warning.
    pub safe_resend: bool,
}

/// The form. Submitting (button or Enter) dispatches [`Action::Submit`]; the reducer decides
/// whether a request is sent. A view function rather than a component: it has no hooks of its
/// own (the state lives in [`super::widget::Widget`]), so it borrows instead of cloning.
pub fn ticket_form(props: &TicketFormProps) -> Html {
    let state = props.state;
    let i18n = props.i18n;
    let submitting = state.is_submitting();
    let onsubmit = {
        let cb = props.on_action.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit(Action::Submit);
        })
    };
    // The server's sentence about each field it named (kept until the customer edits the
    // field), shown under the field like the widget's own messages.
    let server_messages = match &state.phase {
        Phase::Failed(error) => error.field_messages(),
        _ => Vec::new(),
    };
    let error_for = |f: Field| -> Option<AttrValue> {
        state
            .error_for(f)
            .map(|e| AttrValue::from(e.message(f, i18n)))
            .or_else(|| {
                let (_, text) = server_messages.iter().find(|(g, _)| *g == f)?;
                state
                    .server_fields
                    .contains(&f)
                    .then(|| AttrValue::from(text.clone()))
            })
    };
    let field = |f: Field| -> Html {
        let index = f.index();
        if state.locked.contains(&f) {
            // Fixed by the host: shown as text, still submitted.
            let value = match (f, phone::normalize(&state.values.telefone)) {
                (Field::Telefone, Ok(p)) => p.formatted(),
                _ => state.values.get(f).to_owned(),
            };
            return html! {
                <div class="ac-field ac-locked" part="locked">
                    <span class="ac-label">{ f.label(i18n) }</span>
                    <span class="ac-locked-value">{ value }</span>
                </div>
            };
        }
        let on_input = {
            let cb = props.on_action.clone();
            Callback::from(move |v: String| cb.emit(Action::Input { field: f, value: v }))
        };
        let on_blur = {
            let cb = props.on_action.clone();
            Callback::from(move |_| cb.emit(Action::Blur(f)))
        };
        let (input_type, autocomplete, inputmode, hint) = match f {
            Field::IdClienteServico => (
                "text",
                Some("off"),
                Some("numeric"),
                Some(i18n.text("field.id_cliente_servico.hint")),
            ),
            Field::Nome => ("text", Some("name"), None, None),
            Field::Telefone => (
                "tel",
                Some("tel-national"),
                Some("tel"),
                Some(match phone::normalize(&state.values.telefone) {
                    Ok(p) => i18n.fill("field.telefone.hint_valid", &[("numero", &p.formatted())]),
                    Err(_) => i18n.text("field.telefone.hint"),
                }),
            ),
            Field::Email => (
                "email",
                Some("email"),
                Some("email"),
                Some(i18n.text("field.email.hint")),
            ),
            Field::Descricao => ("text", None, None, Some(i18n.text("field.descricao.hint"))),
            Field::IdTipoAtendimento => ("text", Some("off"), Some("numeric"), None),
        };
        text_field(&TextFieldProps {
            id: format!("{}-{}", props.id_prefix, f.key()).into(),
            name: f.key().into(),
            label: f.label(i18n).into(),
            value: state.values.get(f).to_string().into(),
            error: error_for(f),
            invalid: state.is_invalid(f),
            hint: hint.map(AttrValue::from),
            readonly: submitting,
            multiline: f == Field::Descricao,
            input_type: input_type.into(),
            autocomplete: autocomplete.map(AttrValue::Static),
            inputmode: inputmode.map(AttrValue::Static),
            counter: (f == Field::Descricao).then(|| {
                AttrValue::from(i18n.fill(
                    "counter",
                    &[
                        (
                            "n",
                            &state.values.descricao.trim().chars().count().to_string(),
                        ),
                        ("max", &DESCRICAO_MAX.to_string()),
                    ],
                ))
            }),
            required: f.required(),
            phone_mask: f == Field::Telefone,
            node_ref: props.refs.get(index).cloned().unwrap_or_default(),
            on_input,
            on_blur,
        })
    };
    let service = match props.services {
        [] if state.rules.fixed_service.is_none() => field(Field::IdClienteServico),
        [] => html! {},
        // One service, preselected; asked for (below) when the customer had typed a contract
        // before the host gave it, so it never replaces theirs silently (and stays a choice
        // once chosen).
        [only]
            if state.rules.fixed_service == Some(only.id)
                && state.values.id_cliente_servico.trim().is_empty() =>
        {
            html! {
                <p class="ac-service" part="service">
                    { i18n.text("service.named") }<strong>{ only.label.clone() }</strong>
                </p>
            }
        }
        several => {
            let cb = props.on_action.clone();
            choice_group(&ChoiceGroupProps {
                id: format!("{}-servico", props.id_prefix).into(),
                name: "id_cliente_servico".into(),
                legend: i18n.text("service.legend").into(),
                choices: several.to_vec(),
                selected: state.rules.fixed_service,
                error: error_for(Field::IdClienteServico),
                disabled: submitting,
                first_ref: props.refs.first().cloned().unwrap_or_default(),
                on_choose: Callback::from(move |id| cb.emit(Action::ChooseService(id))),
            })
        }
    };
    let tipo = if props.tipos.is_empty() {
        html! {}
    } else {
        let f = Field::IdTipoAtendimento;
        let index = f.index();
        let cb = props.on_action.clone();
        choice_group(&ChoiceGroupProps {
            id: format!("{}-tipo", props.id_prefix).into(),
            name: f.key().into(),
            legend: f.label(i18n).into(),
            choices: props.tipos.to_vec(),
            selected: parse_id(state.values.id_tipo_atendimento.trim()),
            error: error_for(f),
            disabled: submitting,
            first_ref: props.refs.get(index).cloned().unwrap_or_default(),
            on_choose: Callback::from(move |id: u64| {
                cb.emit(Action::Input {
                    field: f,
                    value: id.to_string(),
                })
            }),
        })
    };
    let on_confirm = {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::ConfirmResend))
    };
    let on_cancel = {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::CancelResend))
    };
    // Right after a discard the same button offers "Desfazer" (the same element, so the focus
    // stays on it), until the form changes in another way.
    let undoable = state.discarded.is_some();
    let on_discard = {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            cb.emit(if undoable {
                Action::UndoDiscard
            } else {
                Action::DiscardDraft
            })
        })
    };
    let question_id = format!("{}-reenviar", props.id_prefix);
    let (question, no) = if props.safe_resend {
        ("resend.question_safe", "resend.no_safe")
    } else {
        ("resend.question", "resend.no")
    };
    let resend = html! {
        if state.confirm_resend {
            <div class="ac-banner ac-question" role="group" aria-labelledby={question_id.clone()} part="resend">
                <p id={question_id.clone()} class="ac-banner-title">
                    { i18n.text(question) }
                </p>
                <div class="ac-actions">
                    <button type="button" class="ac-secondary" onclick={on_confirm}
                        ref={props.confirm_ref.clone()}>
                        { i18n.text("resend.yes") }
                    </button>
                    <button type="button" class="ac-secondary" onclick={on_cancel}>
                        { i18n.text(no) }
                    </button>
                </div>
            </div>
        }
    };
    let offline_note = html! {
        if !state.online && state.phase != Phase::Failed(SubmitError::Offline) {
            <p class="ac-banner ac-offline" part="offline" role="status">
                // While a send is under way the fields are read-only: no invitation to type.
                { i18n.text(if submitting { "offline_note.sending" } else { "offline_note" }) }
            </p>
        }
    };
    let banner = match &state.phase {
        Phase::Failed(error) => {
            let details = error.details_for(i18n, props.safe_resend);
            html! {
                <div class="ac-banner ac-banner-error" role="alert" part="error">
                    <p class="ac-banner-title">{ error.message(i18n) }</p>
                    if !details.is_empty() {
                        <ul>
                            { for details.into_iter().map(|line| html! { <li>{ line }</li> }) }
                        </ul>
                    }
                    <p>{ i18n.text("kept_note") }</p>
                </div>
            }
        }
        _ => html! {},
    };
    let error_count = state.errors.len();
    let pristine = !state.draft_restored && draft::is_pristine(&state.values, &state.prefill);
    // `method="dialog"`: this markup is also the prerendered first paint (shown before the
    // WebAssembly runs, see `crate::components::first_paint`); submitting a dialog-method form
    // outside a `<dialog>` does nothing (HTML's form submission algorithm), so an early Enter or
    // click never posts the customer's text to the page's URL. The widget's `onsubmit` prevents
    // the default anyway.
    html! {
        <form class="ac-form" part="form" method="dialog" novalidate=true {onsubmit}
            aria-busy={submitting.then_some("true")}>
            if state.draft_restored {
                <p class="ac-hint" part="draft">{ i18n.text("draft.restored") }</p>
            }
            <p class="ac-required-note">
                { i18n.text("required_note") }
            </p>
            { service }
            { tipo }
            { field(Field::Nome) }
            { field(Field::Telefone) }
            { field(Field::Email) }
            { field(Field::Descricao) }
            if error_count > 0 {
                <p class="ac-summary" part="summary">
                    { if error_count == 1 {
                        i18n.text("summary.one")
                    } else {
                        i18n.fill("summary.many", &[("n", &error_count.to_string())])
                    } }
                </p>
            }
            { offline_note }
            { banner }
            { resend }
            <div class="ac-actions">
                // `aria-disabled`, not `disabled`, while sending: a disabled button would drop
                // the focus to the page (out of an open dialog too); the reducer ignores a
                // second submit.
                <button type="submit" class="ac-submit" part="submit"
                    aria-disabled={submitting.then_some("true")} ref={props.submit_ref.clone()}>
                    { i18n.text("submit") }
                </button>
                // Always laid out, shown once there is something to discard: the form never
                // moves when the customer starts typing (or when the full widget takes over a
                // prerendered form the customer typed into).
                // Hidden by `data-pristine` rather than a class: a computed `class` would bring
                // yew's `Classes` (an index set) into the bundle.
                <button type="button" class="ac-link"
                    data-pristine={(pristine && !undoable).then_some("")}
                    onclick={on_discard} disabled={submitting}>
                    { i18n.text(if undoable { "draft.undo" } else { "draft.discard" }) }
                </button>
                if undoable {
                    <span class="ac-hint">{ i18n.text("draft.discarded") }</span>
                }
            </div>
        </form>
    }
}
