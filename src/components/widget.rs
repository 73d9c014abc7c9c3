//! The widget: owns the state reducer, sends the request when the reducer accepts a submit, and
//! moves focus where the state asks.

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::confirmation::Confirmation;
use super::ticket_form::TicketForm;
use crate::core::draft;
use crate::core::form::Field;
use crate::core::options::Options;
use crate::core::request::build_request;
use crate::core::state::{Action, Phase, WidgetState};
use crate::{http, storage};

impl Reducible for WidgetState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(WidgetState::reduce(&self, action))
    }
}

/// Props of [`Widget`].
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// Checked host options.
    pub options: Options,
}

static NEXT_INSTANCE: AtomicU32 = AtomicU32::new(1);

/// The ticket widget: the form, then the confirmation.
#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    // Drafts are kept per endpoint, service and customer key (never with the token).
    let draft_key = use_memo(props.options.clone(), |o| {
        draft::storage_key(
            o.endpoint.as_str(),
            o.id_cliente_servico,
            o.draft_key.as_deref(),
        )
    });
    let state = {
        let options = props.options.clone();
        let saved = storage::load(&draft_key);
        use_reducer(move || {
            WidgetState::with_draft(options.prefill, options.id_cliente_servico, saved)
        })
    };
    // The latest values, for the `pagehide` save (the debounce timer may not have fired).
    let latest = use_mut_ref(|| state.values.clone());
    *latest.borrow_mut() = state.values.clone();
    let id_prefix = use_state(|| format!("ac{}", NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed)));
    let refs = use_memo((), |_| {
        Field::ALL
            .iter()
            .map(|_| NodeRef::default())
            .collect::<Vec<_>>()
    });
    let heading_ref = use_node_ref();
    let confirm_ref = use_node_ref();
    let live = use_state(String::new);

    // Send exactly one request per accepted submit: the effect runs when `submission` changes.
    {
        let state = state.clone();
        let options = props.options.clone();
        let timeout_ms = props.options.timeout_ms;
        let live = live.clone();
        use_effect_with(state.submission, move |&id| {
            if let Phase::Submitting(body) = &state.phase {
                live.set("Enviando o chamado…".into());
                let request = build_request(&options.endpoint, &options.token, body);
                let dispatcher = state.dispatcher();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = http::send(&request, timeout_ms).await;
                    live.set(match &result {
                        Ok(ok) => {
                            format!("Chamado aberto. Protocolo {}.", ok.atendimento.protocolo)
                        }
                        Err(_) => "O chamado não foi aberto.".to_string(),
                    });
                    dispatcher.dispatch(Action::Finished(id, result));
                });
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

    // Follow the browser's connectivity (`navigator.onLine`, `online`/`offline` events).
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listeners = web_sys::window().map(|w| {
                dispatcher.dispatch(Action::Connectivity(w.navigator().on_line()));
                let on = {
                    let d = dispatcher.clone();
                    EventListener::new(&w, "online", move |_| {
                        d.dispatch(Action::Connectivity(true))
                    })
                };
                let off = EventListener::new(&w, "offline", move |_| {
                    dispatcher.dispatch(Action::Connectivity(false))
                });
                (on, off)
            });
            // Dropping the listeners removes them.
            move || drop(listeners)
        });
    }

    // Save the draft 400 ms after the last change; delete it when nothing is typed or the
    // ticket is open. Also save at once when the page is hidden or closed.
    {
        let key = draft_key.clone();
        let succeeded = matches!(state.phase, Phase::Succeeded(_));
        let prefill = state.prefill.clone();
        use_effect_with(
            (state.values.clone(), succeeded),
            move |(values, succeeded)| {
                let timer = if *succeeded || draft::is_pristine(values, &prefill) {
                    storage::remove(&key);
                    None
                } else {
                    let values = values.clone();
                    Some(Timeout::new(400, move || storage::save(&key, &values)))
                };
                move || drop(timer)
            },
        );
    }
    {
        let key = draft_key.clone();
        let latest = latest.clone();
        let prefill = state.prefill.clone();
        let succeeded = matches!(state.phase, Phase::Succeeded(_));
        use_effect_with(succeeded, move |&succeeded| {
            let listener = (!succeeded).then(|| {
                web_sys::window().map(|w| {
                    EventListener::new(&w, "pagehide", move |_| {
                        let values = latest.borrow();
                        if !draft::is_pristine(&values, &prefill) {
                            storage::save(&key, &values);
                        }
                    })
                })
            });
            move || drop(listener)
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
            html! { <Confirmation success={success.clone()} heading_ref={heading_ref.clone()} {on_new_ticket} /> }
        }
        _ => html! {
            <TicketForm state={(*state).clone()} id_prefix={AttrValue::from((*id_prefix).clone())}
                refs={(*refs).clone()} {on_action} confirm_ref={confirm_ref.clone()} />
        },
    };
    html! {
        <div class="ac-widget" part="widget" lang="pt-BR">
            { body }
            <p class="ac-visually-hidden" role="status" aria-live="polite">{ (*live).clone() }</p>
        </div>
    }
}
