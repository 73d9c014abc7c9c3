//! The widget: owns the state reducer, sends the request when the reducer accepts a submit, and
//! moves focus where the state asks.

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::confirmation::Confirmation;
use super::modal::Modal;
use super::ticket_form::{ticket_form, TicketFormProps};
use crate::core::draft;
use crate::core::error::SubmitError;
use crate::core::form::Field;
use crate::core::options::Options;
use crate::core::request::{build_request, NovoAtendimento};
use crate::core::response::Success;
use crate::core::state::{Action, Phase, WidgetState};
use crate::host::{self, HostEvent, HostHooks};
use crate::http;
use crate::storage::{self, PendingSave};

/// The core's [`WidgetState`] as a yew reducer: each [`Action`] goes through the pure
/// [`WidgetState::reduce`].
#[derive(PartialEq)]
pub struct Store(WidgetState);

impl std::ops::Deref for Store {
    type Target = WidgetState;

    fn deref(&self) -> &WidgetState {
        &self.0
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(self.0.reduce(action)))
    }
}

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
}

static NEXT_INSTANCE: AtomicU32 = AtomicU32::new(1);

/// Sends one ticket and classifies the answer. With the host's fixed token: one request. With
/// a token provider: one token per submit, and after a 401 one new token
/// (`{reason: "unauthorized"}`) and one replay (contract §1); a second 401 is the answer. A
/// server that echoes the token never gets it shown (`http::send` redacts the whole answer).
async fn file_ticket(
    options: &Options,
    host: &HostHooks,
    body: &NovoAtendimento,
) -> Result<Success, SubmitError> {
    let provided = options.token.is_none();
    let mut token = match &options.token {
        Some(token) => token.clone(),
        None => host
            .provide_token(false, options.timeout_ms)
            .await
            .ok_or(SubmitError::TokenUnavailable)?,
    };
    let mut replayed = false;
    loop {
        let request = build_request(&options.endpoint, &token, body);
        let result = http::send(&request, options.timeout_ms, token.expose()).await;
        match result {
            Err(SubmitError::Unauthorized) if provided && !replayed => {
                replayed = true;
                token = host
                    .provide_token(true, options.timeout_ms)
                    .await
                    .ok_or(SubmitError::TokenUnavailable)?;
            }
            other => return other,
        }
    }
}

/// The ticket widget: the form, then the confirmation.
#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    // Drafts are kept per endpoint, service and customer key (never with the token).
    let draft_key = props.options.draft_storage_key();
    let state = {
        let options = props.options.clone();
        let key = draft_key.clone();
        // Read once, on the first render (the initialiser runs only then).
        use_reducer(move || {
            Store(
                WidgetState::with_draft(
                    options.prefill.clone(),
                    options.ticket_rules(),
                    storage::load(&key),
                )
                .with_locked(options.locked),
            )
        })
    };
    let id_prefix = use_state(|| format!("ac{}", NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed)));
    let refs = use_memo((), |_| {
        Field::ALL
            .iter()
            .map(|_| NodeRef::default())
            .collect::<Vec<_>>()
    });
    let heading_ref = use_node_ref();
    // `mode="modal"`: whether the dialog is open; the host's open()/close() drive it too.
    let dialog_open = use_state(|| false);
    {
        let dialog_open = dialog_open.clone();
        use_effect_with(props.dialog, move |&(count, open)| {
            if count > 0 {
                dialog_open.set(open);
            }
        });
    }
    let confirm_ref = use_node_ref();
    let live = use_state(String::new);

    // Send exactly one request per accepted submit: the effect runs when `submission` changes.
    // With a token provider, a 401 gets one new token and one replay (contract §1); never more.
    {
        let state = state.clone();
        let options = props.options.clone();
        let host = props.host.clone();
        let live = live.clone();
        use_effect_with(state.submission, move |&id| {
            if let Phase::Submitting(body) = &state.phase {
                live.set(options.i18n.text("sending"));
                host.emit(HostEvent::Submit, &host::object(&[]));
                let body = body.clone();
                let dispatcher = state.dispatcher();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = file_ticket(&options, &host, &body).await;
                    live.set(match &result {
                        Ok(ok) => options
                            .i18n
                            .fill("sent", &[("protocolo", &ok.atendimento.protocolo)]),
                        Err(e) if e.may_have_been_created() => options.i18n.text("maybe_sent"),
                        Err(_) => options.i18n.text("not_sent"),
                    });
                    match &result {
                        Ok(ok) => host.emit(HostEvent::Success, &host::success_detail(ok)),
                        Err(e) => {
                            host.emit(HostEvent::Error, &host::error_detail(e, &options.i18n))
                        }
                    }
                    dispatcher.dispatch(Action::Finished {
                        submission: id,
                        result,
                    });
                });
            }
        });
    }

    // A choice the host does not offer (a draft saved under other options) is never sent:
    // cleared, told to the developer; the customer chooses.
    {
        let dispatcher = state.dispatcher();
        let stale = props.options.unoffered(&state.values);
        use_effect_with(stale, move |stale| {
            for &field in stale {
                web_sys::console::warn_1(
                    &format!(
                        "abrir-chamado: \"{}\" não oferecido pelo host; o cliente escolhe.",
                        field.key()
                    )
                    .into(),
                );
                dispatcher.dispatch(Action::Input {
                    field,
                    value: String::new(),
                });
            }
        });
    }

    // Tell the host when a submit was refused by validation (field names only).
    {
        let host = props.host.clone();
        let fields: Vec<Field> = state.errors.iter().map(|(f, _)| *f).collect();
        use_effect_with(state.invalid_count, move |&count| {
            if count > 0 {
                host.emit(HostEvent::Invalid, &host::invalid_detail(&fields));
            }
        });
    }

    // Host option changes after mount, and the host's reset().
    {
        let dispatcher = state.dispatcher();
        let o = &props.options;
        let host_values = (o.prefill.clone(), o.ticket_rules(), o.locked.clone());
        use_effect_with(host_values, move |(prefill, rules, locked)| {
            dispatcher.dispatch(Action::HostChanged {
                prefill: prefill.clone(),
                rules: rules.clone(),
                locked: locked.clone(),
            });
        });
    }
    {
        let dispatcher = state.dispatcher();
        let key = draft_key.clone();
        let submitting = state.is_submitting();
        use_effect_with(props.reset_count, move |&count| {
            // A reset during a request is ignored by the reducer; keep the draft then too.
            if count > 0 && !submitting {
                storage::remove(&key);
                dispatcher.dispatch(Action::Reset);
            }
        });
    }

    // Move focus where the reducer asked (first invalid field, description of a new ticket).
    {
        let refs = refs.clone();
        use_effect_with(state.focus, move |focus| {
            if let Some((field, _)) = focus {
                let index = Field::ALL.iter().position(|f| f == field).unwrap_or(0);
                if let Some(el) = refs.get(index).and_then(|r| r.cast::<HtmlElement>()) {
                    let _ = el.focus();
                }
            }
        });
    }

    // Save the draft 400 ms after the last change (debounced); delete it when nothing is typed
    // or the ticket is open. A save still pending when the key changes or the widget goes away
    // is written at once under its own key, so nothing typed is lost on unmount or a quick
    // options change. (The page being hidden or closed saves at once too, below.)
    let pending = props.pending.clone();
    {
        // Declared before the saving effect so that, on a key change, this cleanup flushes the
        // old customer's values under the old key before anything else runs.
        let pending = pending.clone();
        use_effect_with(draft_key.clone(), move |_| move || pending.flush());
    }
    {
        let key = draft_key.clone();
        let succeeded = matches!(state.phase, Phase::Succeeded(_));
        let prefill = state.prefill.clone();
        let pending = pending.clone();
        let last_key = use_mut_ref(String::new);
        use_effect_with(
            (state.values.clone(), succeeded, key),
            move |(values, succeeded, key)| {
                // Right after a key change the values are still the previous customer's: never
                // delete the new key's draft on their account (it is about to be loaded).
                let key_changed = *last_key.borrow() != *key;
                key.clone_into(&mut last_key.borrow_mut());
                let timer = if *succeeded || draft::is_pristine(values, &prefill) {
                    pending.cancel();
                    if *succeeded || !key_changed {
                        storage::remove(key);
                    }
                    None
                } else {
                    pending.set(key.clone(), values.clone());
                    Some(Timeout::new(400, move || pending.flush()))
                };
                // Dropping the timer cancels it; the pending values stay for the flush above.
                move || drop(timer)
            },
        );
    }
    // Another customer (draft key) or another endpoint: show that key's draft, or the host's
    // values. (The service alone changing is the same customer: what was typed stays.)
    {
        let dispatcher = state.dispatcher();
        let key = draft_key.clone();
        let who = (
            props.options.endpoint.clone(),
            props.options.draft_key.clone(),
        );
        let first = use_mut_ref(|| true);
        use_effect_with(who, move |_| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                dispatcher.dispatch(Action::LoadDraft(storage::load(&key)));
            }
        });
    }
    // Once mounted: tell the host the widget is ready; follow the browser's connectivity
    // (`navigator.onLine`, `online`/`offline` events); and write a pending draft at once when the
    // page is hidden or closed (under its own key). One effect, one set of window listeners.
    {
        let host = props.host.clone();
        let dispatcher = state.dispatcher();
        let pending = pending.clone();
        use_effect_with((), move |_| {
            host.emit(HostEvent::Ready, &host::object(&[]));
            let listeners = web_sys::window().map(|w| {
                dispatcher.dispatch(Action::Connectivity(w.navigator().on_line()));
                let online = {
                    let d = dispatcher.clone();
                    EventListener::new(&w, "online", move |_| {
                        d.dispatch(Action::Connectivity(true))
                    })
                };
                let offline = EventListener::new(&w, "offline", move |_| {
                    dispatcher.dispatch(Action::Connectivity(false))
                });
                let pagehide = EventListener::new(&w, "pagehide", move |_| pending.flush());
                [online, offline, pagehide]
            });
            // Dropping the listeners removes them.
            move || drop(listeners)
        });
    }

    // Focus the "send again?" question when it appears.
    {
        let confirm_ref = confirm_ref.clone();
        use_effect_with(state.confirm_resend, move |&asking| {
            if asking {
                if let Some(el) = confirm_ref.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }

    // Announce and focus the confirmation.
    {
        let heading_ref = heading_ref.clone();
        let succeeded = matches!(state.phase, Phase::Succeeded(_));
        use_effect_with(succeeded, move |&succeeded| {
            if succeeded {
                if let Some(el) = heading_ref.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }

    let on_action = {
        let dispatcher = state.dispatcher();
        let key = draft_key.clone();
        Callback::from(move |a: Action| {
            if a == Action::DiscardDraft {
                storage::remove(&key);
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
            html! { <Confirmation success={success.clone()} heading_ref={heading_ref.clone()} {on_new_ticket}
            i18n={props.options.i18n.clone()} /> }
        }
        _ => ticket_form(&TicketFormProps {
            state: &state,
            id_prefix: &id_prefix,
            refs: &refs,
            on_action,
            confirm_ref: confirm_ref.clone(),
            services: &props.options.services,
            tipos: &props.options.tipos,
            i18n: &props.options.i18n,
        }),
    };
    let body = if props.options.modal {
        let i18n = &props.options.i18n;
        let on_open = {
            let open = dialog_open.clone();
            Callback::from(move |_| open.set(true))
        };
        let on_close = {
            let open = dialog_open.clone();
            Callback::from(move |_| open.set(false))
        };
        html! {
            <Modal open={*dialog_open} id_prefix={AttrValue::from((*id_prefix).clone())}
                launcher_label={i18n.text("launcher")} title={i18n.text("dialog.title")}
                close_label={i18n.text("dialog.close")} {on_open} {on_close}>
                { body }
            </Modal>
        }
    } else {
        body
    };
    html! {
        <div class="ac-widget" part="widget" lang={props.options.i18n.locale.tag()}>
            { body }
            <p class="ac-visually-hidden" role="status" aria-live="polite">{ (*live).clone() }</p>
        </div>
    }
}
