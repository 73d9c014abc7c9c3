//! The widget: the form, then the confirmation. Its behaviours are named hooks
//! ([`crate::hooks`]); this component lists them and renders the state.

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use yew::prelude::*;

use super::confirmation::{confirmation, ConfirmationProps};
use super::modal::{modal, ModalProps};
use super::ticket_form::{ticket_form, TicketFormProps};
use crate::core::form::Field;
use crate::core::options::Options;
use crate::core::state::{Action, Phase};
use crate::hooks::{
    use_carried, use_connectivity, use_dialog, use_draft, use_field_focus, use_focus_when,
    use_focus_when_ends, use_host_changes, use_host_events, use_host_reset, use_modal,
    use_submission, use_unoffered_cleared, use_widget_state, ModalRefs,
};
use crate::host::HostHooks;
use crate::storage::PendingSave;
use crate::takeover::Carried;

/// Props of [`Widget`].
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// Checked host options.
    pub options: Options,
    /// The host element (events), callbacks and token provider.
    pub host: HostHooks,
    /// Bumped by the host's `reset()`.
    #[prop_or_default]
    pub reset_count: u32,
    /// The host's latest `open()`/`close()`: a counter and whether to open.
    #[prop_or_default]
    pub dialog: (u32, bool),
    /// The draft save waiting for its debounce, shared with the host's handle.
    #[prop_or_default]
    pub pending: PendingSave,
    /// What the customer did in the prerendered form this widget took over, if any.
    #[prop_or_default]
    pub carried: Option<Rc<Carried>>,
}

static NEXT_INSTANCE: AtomicU32 = AtomicU32::new(1);

/// The ticket widget: the form, then the confirmation.
#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    let options = &props.options;
    let state = use_widget_state(options, props.carried.as_deref());
    let id_prefix = use_state(|| format!("ac{}", NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed)));
    let refs: Rc<Vec<NodeRef>> = use_memo((), |_| {
        Field::ALL.iter().map(|_| NodeRef::default()).collect()
    });
    let heading_ref = use_node_ref();
    let confirm_ref = use_node_ref();
    let submit_ref = use_node_ref();
    // The polite live region: sending, sent, not sent.
    let live = use_state(String::new);
    // The confirmation's "Copiar protocolo" result (see [`ConfirmationProps::copied`]).
    let copied = use_state(|| None);
    let dialog_open = use_dialog(props.dialog);
    let modal_refs = use_modal(*dialog_open, options.modal);
    let succeeded = matches!(state.phase, Phase::Succeeded(_));

    use_submission(&state, options, &props.host, &live, &props.pending);
    use_host_events(&state, &props.host, &options.i18n);
    use_host_changes(&state, options);
    use_unoffered_cleared(&state, options);
    let drafts = use_draft(&state, options, &props.pending);
    use_host_reset(props.reset_count, &state, &drafts);
    use_connectivity(&state);
    use_field_focus(&refs, state.focus);
    use_focus_when(&confirm_ref, state.confirm_resend);
    use_focus_when_ends(&submit_ref, state.confirm_resend);
    use_focus_when(&heading_ref, succeeded);
    use_carried(props.carried.clone(), &refs, &state, &dialog_open);

    // The mark of a send in flight that the last discard deleted, for "Desfazer" to put back.
    let discarded_mark = use_mut_ref(|| None::<String>);
    let on_action = {
        let dispatcher = state.dispatcher();
        let live = live.clone();
        let i18n = options.i18n.clone();
        Callback::from(move |a: Action| {
            // Said in the polite live region: the button the customer pressed changes its name.
            // The same sentence twice is told twice: a no-break space makes it a change.
            let say = |key: &str| {
                let text = i18n.text(key);
                live.set(if *live == text { text + "\u{a0}" } else { text });
            };
            if a == Action::DiscardDraft {
                *discarded_mark.borrow_mut() = drafts.discard();
                say("draft.discarded");
            } else if a == Action::UndoDiscard {
                if let Some(raw) = discarded_mark.borrow_mut().take() {
                    drafts.restore_mark(&raw);
                }
                say("draft.restored");
            }
            dispatcher.dispatch(a)
        })
    };
    let body = match &state.phase {
        Phase::Succeeded(success) => {
            let on_new_ticket = {
                let cb = on_action.clone();
                let live = live.clone();
                Callback::from(move |_| {
                    live.set(String::new());
                    cb.emit(Action::NewTicket)
                })
            };
            confirmation(&ConfirmationProps {
                success,
                id: (state.submission, options.modal),
                heading_ref: heading_ref.clone(),
                on_new_ticket,
                i18n: &options.i18n,
                copied: copied.clone(),
            })
        }
        _ => ticket_form(&TicketFormProps {
            state: &state,
            id_prefix: &id_prefix,
            refs: &refs,
            on_action,
            confirm_ref: confirm_ref.clone(),
            submit_ref: submit_ref.clone(),
            services: &options.services,
            tipos: &options.tipos,
            i18n: &options.i18n,
            safe_resend: options.idempotency_key && state.resend_reuses_key(),
        }),
    };
    let on_open = {
        let open = dialog_open.clone();
        Callback::from(move |_| open.set(true))
    };
    let on_close = {
        let open = dialog_open.clone();
        Callback::from(move |_| open.set(false))
    };
    frame(&Frame {
        options,
        id_prefix: &id_prefix,
        dialog_open: *dialog_open,
        modal_refs: &modal_refs,
        on_open,
        on_close,
        body,
        live: (*live).clone(),
    })
}

/// What [`frame`] wraps around the widget's body.
pub struct Frame<'a> {
    /// The checked options (locale, `mode`).
    pub options: &'a Options,
    /// Prefix of element ids.
    pub id_prefix: &'a str,
    /// `mode="modal"`: whether the dialog is open.
    pub dialog_open: bool,
    /// `mode="modal"`: the dialog's and the launcher's references ([`crate::hooks::use_modal`]).
    pub modal_refs: &'a ModalRefs,
    /// `mode="modal"`: the launcher was pressed.
    pub on_open: Callback<()>,
    /// `mode="modal"`: the dialog closed.
    pub on_close: Callback<()>,
    /// The form or the confirmation.
    pub body: Html,
    /// The polite live region's text.
    pub live: String,
}

/// The widget's outer markup around its body: the `lang`-tagged wrapper, the modal launcher and
/// dialog in `mode="modal"`, and the polite live region. Shared with the prerendered first
/// paint ([`super::first_paint`]), so both lay out the same.
pub fn frame(f: &Frame) -> Html {
    let i18n = &f.options.i18n;
    let body = if f.options.modal {
        modal(&ModalProps {
            open: f.dialog_open,
            id_prefix: f.id_prefix,
            launcher_label: i18n.text("launcher").into(),
            title: i18n.text("dialog.title").into(),
            close_label: i18n.text("dialog.close").into(),
            on_open: f.on_open.clone(),
            on_close: f.on_close.clone(),
            refs: f.modal_refs,
            children: f.body.clone(),
        })
    } else {
        f.body.clone()
    };
    html! {
        <div class="ac-widget" part="widget" lang={i18n.locale.tag()}>
            { body }
            <p class="ac-visually-hidden" role="status" aria-live="polite">{ f.live.clone() }</p>
        </div>
    }
}
