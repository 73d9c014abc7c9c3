//! The widget's behaviours as named hooks (the shape of yew's `examples/function_todomvc` and
//! the Yew realworld app), so that [`crate::components::widget::Widget`] reads like a list of
//! them. Each hook owns one concern and its effects:
//! - [`use_widget_state`]: the core's reducer, started from the host's values and the saved draft;
//! - [`use_submission`]: one request per accepted submit, its announcement and host events;
//! - [`use_draft`]: every draft save and delete (debounce, key changes, `pagehide` and
//!   `visibilitychange`, discard);
//! - [`use_host_events`], [`use_host_changes`], [`use_host_reset`], [`use_dialog`]: what the
//!   host page sees and asks for;
//! - [`use_modal`]: `mode="modal"`: the dialog opened, closed and focus returned;
//! - [`use_connectivity`]: the browser's `online`/`offline` events;
//! - [`use_field_focus`], [`use_focus_when`]: where focus goes;
//! - [`use_carried`]: what the customer did in the prerendered form before the takeover;
//! - [`use_update_effect`]: the one way to say "on every change, not on the first render";
//! - [`use_effect_on`]: yew's `use_effect_with` with its dependencies and effect boxed, which
//!   every effect of the widget goes through (one copy of yew's effect code in the bundle).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use web_sys::{HtmlDialogElement, HtmlElement};
use yew::functional::{Hook, TearDown};
use yew::prelude::*;

use crate::core::draft;
use crate::core::error::SubmitError;
use crate::core::form::{Field, FormValues};
use crate::core::i18n::I18n;
use crate::core::idempotency;
use crate::core::options::Options;
use crate::core::state::{Action, Phase, WidgetState};
use crate::host::{self, HostEvent, HostHooks};
use crate::http;
use crate::storage::{self, PendingSave};
use crate::takeover::Carried;

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

/// The widget's state handle.
pub type State = UseReducerHandle<Store>;

/// [`use_effect_on`]'s dependencies behind a trait object, compared by value.
pub struct DynDeps(Box<dyn AnyDeps>);

/// A dependency value of any `PartialEq` type, comparable with another of unknown type.
trait AnyDeps {
    fn as_any(&self) -> &dyn Any;
    fn same(&self, other: &dyn Any) -> bool;
}

impl<T: PartialEq + 'static> AnyDeps for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn same(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<T>() == Some(self)
    }
}

impl PartialEq for DynDeps {
    fn eq(&self, other: &DynDeps) -> bool {
        self.0.same(other.0.as_any())
    }
}

/// What an effect leaves to undo (a cleanup), as [`use_effect_on`] boxes it.
pub type Teardown = Box<dyn FnOnce()>;

/// yew's `use_effect_with` (run `effect` after the render whenever `deps` changed, with the
/// previous run's cleanup first and the last one on unmount), with `deps` and `effect` boxed, so
/// that yew's effect code is compiled once for every effect of the widget instead of once per
/// dependency and closure type (about 300 bytes of wasm each).
pub fn use_effect_on<T, F, D>(deps: T, effect: F) -> impl Hook<Output = ()>
where
    T: PartialEq + 'static,
    F: FnOnce(&T) -> D + 'static,
    D: TearDown,
{
    let runner: Box<dyn FnOnce(&DynDeps) -> Teardown> = Box::new(move |deps: &DynDeps| {
        let teardown = deps.0.as_any().downcast_ref::<T>().map(effect);
        Box::new(move || {
            if let Some(teardown) = teardown {
                teardown.tear_down();
            }
        })
    });
    use_effect_with(DynDeps(Box::new(deps)), runner)
}

/// Runs `effect` each time `deps` changes, but not on the first render: for what reacts to a
/// change (a host call, a new customer), not to the initial value.
#[hook]
pub fn use_update_effect<T, F>(deps: T, effect: F)
where
    T: PartialEq + 'static,
    F: FnOnce(&T) + 'static,
{
    let ran = use_ran_flag();
    use_effect_on(deps, move |deps| {
        if ran.replace(true) {
            effect(deps);
        }
    });
}

/// A flag [`use_update_effect`] sets when its effect first runs (on mount). Non-generic, so its
/// state code exists once in the bundle however many effects use it.
#[hook]
fn use_ran_flag() -> Rc<RefCell<bool>> {
    use_mut_ref(|| false)
}

/// The widget's state: the pure reducer, starting from the host's values merged with the
/// customer's saved draft (read once, on the first render) under the host's rules. After a
/// takeover of the prerendered form, what the customer typed there ([`Carried`]) takes the
/// draft's place, and nothing is announced as restored: it never left the screen.
#[hook]
pub fn use_widget_state(options: &Options, carried: Option<&Carried>) -> State {
    let options = options.clone();
    // An untouched first paint carries nothing: the customer's saved draft, if any, is shown.
    let typed = carried
        .filter(|c| !c.typed.is_empty())
        .map(|c| c.values.clone());
    let emptied: Vec<Field> = carried
        .map(|c| {
            c.typed
                .iter()
                .copied()
                .filter(|&f| c.values.get(f).is_empty())
                .collect()
        })
        .unwrap_or_default();
    use_reducer(move || {
        let from_takeover = typed.is_some();
        let saved = typed.or_else(|| storage::load(&options.draft_storage_key()));
        let mut state =
            WidgetState::with_draft(options.prefill.clone(), options.ticket_rules(), saved);
        // A field the customer emptied in the first paint stays empty (a draft's blank field
        // takes the host's value instead), unless the host locks it.
        for &field in emptied.iter() {
            state.values.set(field, String::new());
        }
        let mut state = state.with_locked(options.locked);
        state.draft_restored &= !from_takeover;
        Store(state)
    })
}

/// After a takeover of the prerendered form, once, on the first render (or, while an input
/// method is composing a word there, once it is committed or the field is left): puts the
/// widget in the first paint's place with what was typed meanwhile, the focus and the caret
/// back where the customer had them, opens the dialog if the launcher was pressed, and submits
/// if the customer already had (the reducer validates as for any submit).
#[hook]
pub fn use_carried(
    carried: Option<Rc<Carried>>,
    refs: &Rc<Vec<NodeRef>>,
    state: &State,
    dialog_open: &UseStateHandle<bool>,
) {
    let refs = refs.clone();
    let dispatcher = state.dispatcher();
    let dialog_open = dialog_open.clone();
    use_effect_on((), move |_| {
        let composing = carried
            .as_ref()
            .and_then(|first| first.painted.clone())
            .filter(|painted| painted.has_attribute("data-composing"));
        let swap = carried.map(|first| move || take_over(&first, &refs, &dispatcher, &dialog_open));
        // An input method composing a word in the first paint (phone keyboards compose each
        // word until it is committed): the swap waits for the shim's `abrir-chamado:composed`,
        // sent when the word is committed or the field left (after the press that left it), so
        // that the word is neither lost nor written twice and the press lands.
        let listener = match (swap, composing) {
            (Some(swap), Some(painted)) => {
                let swap = std::cell::Cell::new(Some(swap));
                Some(EventListener::new(
                    &painted,
                    "abrir-chamado:composed",
                    move |_| {
                        if let Some(swap) = swap.take() {
                            swap();
                        }
                    },
                ))
            }
            (swap, _) => {
                if let Some(swap) = swap {
                    swap();
                }
                None
            }
        };
        move || drop(listener)
    });
}

/// [`use_carried`]'s work: reads the first paint again and puts the widget in its place
/// ([`crate::takeover::finish`]); what was typed while the widget rendered goes into the state,
/// and into the fields now, so that the caret lands in the text; then the focus, the dialog and
/// an early submit.
fn take_over(
    first: &Carried,
    refs: &[NodeRef],
    dispatcher: &UseReducerDispatcher<Store>,
    dialog_open: &UseStateHandle<bool>,
) {
    let carried = crate::takeover::finish(first).unwrap_or_else(|| first.clone());
    for field in Field::ALL {
        let value = carried.values.get(field);
        let newly_typed = carried.typed.contains(&field) && !first.typed.contains(&field);
        if value == first.values.get(field) && !(newly_typed && value.is_empty()) {
            continue;
        }
        if let Some(node) = refs.get(field.index()) {
            if let Some(input) = node.cast::<web_sys::HtmlInputElement>() {
                input.set_value(value);
            } else if let Some(area) = node.cast::<web_sys::HtmlTextAreaElement>() {
                area.set_value(value);
            }
        }
        dispatcher.dispatch(Action::Input {
            field,
            value: value.to_owned(),
        });
    }
    if let Some((field, start, end, backward)) = carried.focus {
        if let Some(node) = refs.get(field.index()) {
            focus_node(node);
            let direction = if backward { "backward" } else { "forward" };
            if let Some(input) = node.cast::<web_sys::HtmlInputElement>() {
                let _ = input.set_selection_range_with_direction(start, end, direction);
            } else if let Some(area) = node.cast::<web_sys::HtmlTextAreaElement>() {
                let _ = area.set_selection_range_with_direction(start, end, direction);
            }
        }
    }
    // As the first paint says last: the shim drops a press the customer took back (Escape,
    // another control of the page, `reset()`) or that waited too long for the widget.
    if carried.open {
        dialog_open.set(true);
    }
    if carried.submit {
        dispatcher.dispatch(Action::Submit);
    }
}

/// Sends exactly one ticket per accepted submit (the effect runs when `state.submission`
/// changes) through [`http::file_ticket`], announces it in the `live` region, tells the host
/// (`submit`, then `success` or `error`) and hands the result to the reducer.
///
/// With the host's `idempotency_key` option on, each submit intent gets a fresh key
/// ([`http::new_idempotency_key`]); until an answer settles it (a success, or a refusal that
/// opened nothing: 4xx but 401, 409 and 429), sending the same body again (the customer's
/// confirmed resend) reuses that key, so a server that honours the key opens one ticket at most.
///
/// Each send leaves a mark in storage ([`storage::save_in_flight`]: the key and the body) until
/// its outcome is known. At mount, a mark under the draft key means a send got no answer (the
/// page was closed or reloaded, or the answer left the outcome unknown): the form says so
/// ([`Action::Interrupted`]) and its key is used again for the same body. After a change of
/// draft key, [`use_draft`] says so once that key's draft is loaded.
#[hook]
pub fn use_submission(
    state: &State,
    options: &Options,
    host: &HostHooks,
    live: &UseStateHandle<String>,
    pending: &PendingSave,
) {
    // The body (JSON) and key of the last keyed request, until an answer settles it.
    let unsettled = use_mut_ref(|| None::<(String, String)>);
    {
        // A send that got no answer, under this draft key (its mark in storage): a resend of the
        // same body reuses its key; at mount the form says the ticket may exist.
        let dispatcher = state.dispatcher();
        let unsettled = unsettled.clone();
        let mounting = use_mut_ref(|| true);
        let pending = pending.clone();
        let keyed = options.idempotency_key;
        use_effect_on(options.draft_storage_key(), move |draft_key| {
            // The intent id beside this draft: a tab that restored it sends under the same one.
            pending.adopt_intent(draft_key, keyed);
            let mark = storage::load_in_flight(draft_key);
            let found = mark.is_some();
            // A key that could not be sent as a header (storage is shared with the page's
            // scripts) is no key.
            *unsettled.borrow_mut() = mark
                .filter(|(key, _)| {
                    !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic())
                })
                .map(|(key, body)| (body, key));
            if std::mem::take(&mut *mounting.borrow_mut()) && found {
                let body = unsettled.borrow().as_ref().map(|(body, _)| body.clone());
                dispatcher.dispatch(Action::Interrupted(body));
            }
        });
    }
    // The form's latest `restarts`: a send's answer is announced only by the form it was sent
    // from (not after a change of customer or a reset meanwhile).
    let restarts = use_mut_ref(|| 0);
    *restarts.borrow_mut() = state.restarts;
    let state = state.clone();
    let options = options.clone();
    let host = host.clone();
    let live = live.clone();
    let pending = pending.clone();
    use_effect_on(state.submission, move |&id| {
        let Phase::Submitting(body) = &state.phase else {
            return;
        };
        live.set(options.i18n.text("sending"));
        host.emit(HostEvent::Submit, &host::object(&[]));
        let body = body.clone();
        let body_json = body.to_json();
        let mark = options.draft_storage_key();
        // The draft at once (not 400 ms later): a tab killed during the send finds the text
        // beside the mark; and its intent id is there before the key is made.
        pending.flush();
        let intent = pending.intent(&mark);
        let key = options.idempotency_key.then(|| {
            let mut last = unsettled.borrow_mut();
            match &*last {
                Some((sent, key)) if *sent == body_json => key.clone(),
                _ => {
                    // The draft's intent, shared with every tab that restored the draft: the
                    // same body sent from another tab carries the same key.
                    let key = intent
                        .as_deref()
                        .map_or_else(http::new_idempotency_key, |i| {
                            idempotency::key_for(i, &body_json)
                        });
                    *last = Some((body_json.clone(), key.clone()));
                    key
                }
            }
        });
        // Until the outcome is known: a page closed or reloaded meanwhile tells at the next load.
        let previous = storage::save_in_flight(&mark, key.as_deref().unwrap_or(""), &body_json);
        // What this send left in storage: after a change of customer or a reset, a later send
        // under the same draft key may have replaced them, and this one's answer must not touch
        // that one's mark or draft.
        let mark_at_send = storage::load_in_flight_raw(&mark);
        let draft_at_send = storage::load(&mark);
        let dispatcher = state.dispatcher();
        let sent_from = state.restarts;
        wasm_bindgen_futures::spawn_local(async move {
            let token_provider = host.token_provider.as_ref();
            let result = http::file_ticket(&options, token_provider, &body, key.as_deref()).await;
            if *restarts.borrow() == sent_from {
                live.set(match &result {
                    Ok(ok) => options
                        .i18n
                        .fill("sent", &[("protocolo", &ok.atendimento.protocolo)]),
                    Err(e) if e.may_have_been_created() => options.i18n.text("maybe_sent"),
                    Err(_) => options.i18n.text("not_sent"),
                });
            }
            let mark_is_ours = storage::load_in_flight_raw(&mark) == mark_at_send;
            match &result {
                // The outcome is unknown: the intent goes on (its mark too), and a resend of the
                // same body keeps its key.
                Err(e) if e.may_have_been_created() => {}
                // Settled, by a ticket or by a refusal that opened nothing: the next submit is
                // a new intent. (The key in hand is this send's unless the customer changed
                // meanwhile: another customer's is left alone.)
                Ok(_) => {
                    // Its draft too, unless it changed since (this form deletes it when it
                    // shows the ticket; after a change of customer or a reset meanwhile it
                    // shows another form).
                    if storage::load(&mark) == draft_at_send {
                        storage::remove(&mark);
                    }
                    settle(&mark, mark_is_ours, &unsettled, &body_json);
                    if let Some(intent) = &intent {
                        pending.settle_intent(&mark, intent);
                    }
                }
                Err(e) if e.settles_intent() => {
                    settle(&mark, mark_is_ours, &unsettled, &body_json);
                    if let Some(intent) = &intent {
                        pending.settle_intent(&mark, intent);
                    }
                }
                // This send did nothing (no token, offline, a 401 after the replay, 429, a
                // refusal before any work): the intent goes on with its key, and the mark is
                // what it was before this send (an earlier send's may still be unanswered).
                Err(_) if mark_is_ours => match &previous {
                    Some(raw) => storage::put_in_flight_raw(&mark, raw),
                    None => storage::remove_in_flight(&mark),
                },
                Err(_) => {}
            }
            match &result {
                Ok(ok) => host.emit(HostEvent::Success, &host::success_detail(ok)),
                Err(e) => host.emit(HostEvent::Error, &host::error_detail(e, &options.i18n)),
            }
            dispatcher.dispatch(Action::Finished {
                submission: id,
                result,
            });
        });
    });
}

/// Ends the intent of the send of `body_json` under the draft key `mark`: its mark in storage
/// goes if it is still this send's (`mark_is_ours`), and its key, if it is still the one in
/// `unsettled`.
fn settle(
    mark: &str,
    mark_is_ours: bool,
    unsettled: &RefCell<Option<(String, String)>>,
    body_json: &str,
) {
    if mark_is_ours {
        storage::remove_in_flight(mark);
    }
    let mut held = unsettled.borrow_mut();
    if held.as_ref().is_some_and(|(sent, _)| sent == body_json) {
        *held = None;
    }
}

/// The customer's draft in storage, as [`use_draft`] keeps it.
#[derive(Clone)]
pub struct Drafts {
    key: String,
    pending: PendingSave,
}

impl Drafts {
    /// Deletes the draft at once, with any save still waiting and the mark of a send in flight
    /// ("Descartar rascunho", `reset()`); returns the mark's text, if there was one.
    pub fn discard(&self) -> Option<String> {
        self.pending.discard(&self.key)
    }

    /// "Desfazer": puts back the mark of a send in flight that [`Drafts::discard`] deleted, as
    /// it was (the draft itself comes back with the values).
    pub fn restore_mark(&self, raw: &str) {
        storage::put_in_flight_raw(&self.key, raw);
    }
}

/// Owns every draft save and delete. Drafts are kept per endpoint, service and customer key
/// (never with the token, [`Options::draft_storage_key`]):
/// - what the customer types is saved 400 ms after the last change (debounced, through the
///   `pending` slot shared with the host's handle);
/// - the draft is deleted when nothing is typed (the host's values) or the ticket is open;
/// - a save still waiting is written at once under its own key when the key changes, the
///   widget goes away, the page is closed (`pagehide`) or its visibility changes (an app
///   switch on a phone);
/// - another customer (draft key) or endpoint shows that key's draft, or the host's values
///   (the service alone changing is the same customer: what was typed stays).
///
/// Returns the handle that discards the draft.
#[hook]
pub fn use_draft(state: &State, options: &Options, pending: &PendingSave) -> Drafts {
    let key = options.draft_storage_key();
    {
        // Declared before the saving effect so that, on a key change, this cleanup flushes the
        // old customer's values under the old key before anything else runs.
        let pending = pending.clone();
        use_effect_on(key.clone(), move |_| {
            // `pagehide`, and `visibilitychange` (which bubbles from the document): a phone's app
            // switch or locked screen fires only the latter, and may then kill the tab; a flush
            // when the page comes back costs nothing.
            let listeners = web_sys::window().map(|w| {
                ["pagehide", "visibilitychange"].map(|event| {
                    let pending = pending.clone();
                    EventListener::new(&w, event, move |_| pending.flush())
                })
            });
            move || {
                drop(listeners);
                pending.flush();
            }
        });
    }
    {
        let succeeded = matches!(state.phase, Phase::Succeeded(_));
        let prefill = state.prefill.clone();
        let pending = pending.clone();
        let last_key = use_mut_ref(String::new);
        use_effect_on(
            (state.values.clone(), succeeded, key.clone()),
            move |(values, succeeded, key): &(FormValues, bool, String)| {
                // Right after a key change the values are still the previous customer's: never
                // delete the new key's draft on their account (it is about to be loaded).
                let key_changed = *last_key.borrow() != *key;
                key.clone_into(&mut last_key.borrow_mut());
                let timer = if *succeeded || draft::is_pristine(values, &prefill) {
                    pending.cancel();
                    if *succeeded || !key_changed {
                        storage::remove(key);
                    }
                    // A form emptied back to the host's values ends its intent: what is typed
                    // next is a new ticket, even if it reads the same.
                    if !*succeeded && !key_changed {
                        pending.forget_intent(key);
                    }
                    None
                } else {
                    pending.set(key.clone(), draft::changes(values, &prefill));
                    Some(Timeout::new(400, move || pending.flush()))
                };
                // Dropping the timer cancels it; the pending values stay for the flush above.
                move || drop(timer)
            },
        );
    }
    {
        let dispatcher = state.dispatcher();
        let key = key.clone();
        let who = (options.endpoint.clone(), options.draft_key.clone());
        use_update_effect(who, move |_| {
            dispatcher.dispatch(Action::LoadDraft(storage::load(&key)));
            // A send of this key's that got no answer (see `use_submission`), said over its
            // draft.
            if let Some((sent_key, body)) = storage::load_in_flight(&key) {
                dispatcher.dispatch(Action::Interrupted((!sent_key.is_empty()).then_some(body)));
            }
        });
    }
    Drafts {
        key,
        pending: pending.clone(),
    }
}

/// Tells the host the widget is ready (once mounted) and each time a submit is refused by
/// validation (`invalid`, with the field names only) or because the browser is offline (`error`
/// of kind `offline`: nothing was sent).
#[hook]
pub fn use_host_events(state: &State, host: &HostHooks, i18n: &I18n) {
    {
        let host = host.clone();
        use_effect_on((), move |_| host.emit(HostEvent::Ready, &host::object(&[])));
    }
    {
        let host = host.clone();
        let i18n = i18n.clone();
        use_update_effect(state.offline_count, move |_| {
            host.emit(
                HostEvent::Error,
                &host::error_detail(&SubmitError::Offline, &i18n),
            );
        });
    }
    let host = host.clone();
    let fields: Vec<Field> = state.errors.iter().map(|(f, _)| *f).collect();
    use_update_effect(state.invalid_count, move |_| {
        host.emit(HostEvent::Invalid, &host::invalid_detail(&fields));
    });
}

/// Clears a choice the host does not offer ([`Options::unoffered`]: a service or ticket type the
/// customer picked, or a draft saved under other options, that the host no longer lists), so it
/// is never sent; the developer is told in the console and the customer is asked to choose again
/// ([`Action::Withdrawn`]).
#[hook]
pub fn use_unoffered_cleared(state: &State, options: &Options) {
    let dispatcher = state.dispatcher();
    let stale = options.unoffered(&state.values);
    use_effect_on(stale, move |stale| {
        for &field in stale {
            web_sys::console::warn_1(
                &format!(
                    "abrir-chamado: \"{}\" não oferecido pelo host; o cliente escolhe.",
                    field.key()
                )
                .into(),
            );
            dispatcher.dispatch(Action::Withdrawn(field));
        }
    });
}

/// Hands the host's values to the reducer, on mount and whenever they change: the prefill, the
/// ticket rules (fixed service, whether a type is required, `abrir_os`, `parametros`) and the
/// locked fields.
#[hook]
pub fn use_host_changes(state: &State, options: &Options) {
    let dispatcher = state.dispatcher();
    let host_values = (
        options.prefill.clone(),
        options.ticket_rules(),
        options.locked.clone(),
    );
    use_effect_on(host_values, move |(prefill, rules, locked)| {
        dispatcher.dispatch(Action::HostChanged {
            prefill: prefill.clone(),
            rules: rules.clone(),
            locked: locked.clone(),
        });
    });
}

/// The host's `reset()` (each bump of `reset_count`): deletes the draft and clears the form, at
/// once even while a ticket is being sent (a logout): that send's answer is then not shown.
#[hook]
pub fn use_host_reset(reset_count: u32, state: &State, drafts: &Drafts) {
    let dispatcher = state.dispatcher();
    let drafts = drafts.clone();
    use_update_effect(reset_count, move |_| {
        drafts.discard();
        dispatcher.dispatch(Action::Reset);
    });
}

/// `mode="modal"`: whether the dialog is open. It starts as the host's latest `open()`/`close()`
/// (`dialog`: a counter and whether to open) and follows each later call; the launcher and the
/// close button set it too.
#[hook]
pub fn use_dialog(dialog: (u32, bool)) -> UseStateHandle<bool> {
    let open = use_state(|| dialog.0 > 0 && dialog.1);
    {
        let open = open.clone();
        use_update_effect(dialog, move |&(_, wanted)| open.set(wanted));
    }
    open
}

/// `mode="modal"`: the dialog's and the launcher's elements ([`crate::components::modal`]).
#[derive(Clone, Default)]
pub struct ModalRefs {
    /// The `<dialog>`.
    pub dialog: NodeRef,
    /// The launcher button.
    pub launcher: NodeRef,
}

/// `mode="modal"` (`modal` true): opens the dialog with `showModal()` when `open` becomes true
/// and closes it when it becomes false; focus returns to the launcher when a dialog that was
/// open closes, never when the launcher first renders (the page keeps its own focus and scroll
/// position). Inline (`modal` false) it does nothing, and a later switch to modal starts afresh,
/// as if the dialog had just appeared. Declared before the widget's other effects, so that the
/// dialog is open before they move focus into it.
#[hook]
pub fn use_modal(open: bool, modal: bool) -> ModalRefs {
    let refs = ModalRefs {
        dialog: use_node_ref(),
        launcher: use_node_ref(),
    };
    // Whether the dialog has been open since the widget became modal.
    let was_open = use_mut_ref(|| false);
    {
        let refs = refs.clone();
        use_effect_on((open, modal), move |&(open, modal)| {
            if !modal {
                *was_open.borrow_mut() = false;
                return;
            }
            if let Some(dialog) = refs.dialog.cast::<HtmlDialogElement>() {
                if open && !dialog.open() {
                    let _ = dialog.show_modal();
                } else if !open && dialog.open() {
                    dialog.close();
                }
                if !open && std::mem::replace(&mut *was_open.borrow_mut(), false) {
                    if let Some(launcher) = refs.launcher.cast::<HtmlElement>() {
                        let _ = launcher.focus();
                    }
                }
            }
            if open {
                *was_open.borrow_mut() = true;
            }
        });
    }
    refs
}

/// Follows the browser's connectivity: `navigator.onLine` once mounted, then the window's
/// `online` and `offline` events (removed on unmount).
#[hook]
pub fn use_connectivity(state: &State) {
    let dispatcher = state.dispatcher();
    use_effect_on((), move |_| {
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
            [online, offline]
        });
        // Dropping the listeners removes them.
        move || drop(listeners)
    });
}

/// Moves focus to the field the reducer asks for (`focus`: the field and a counter, so the same
/// field can be focused twice); `refs` holds one element per field in [`Field::ALL`] order.
#[hook]
pub fn use_field_focus(refs: &Rc<Vec<NodeRef>>, focus: Option<(Field, u32)>) {
    let refs = refs.clone();
    use_effect_on(focus, move |focus| {
        if let Some((field, _)) = focus {
            let index = field.index();
            if let Some(r) = refs.get(index) {
                focus_node(r);
            }
        }
    });
}

/// Moves focus to `node` each time `when` becomes true (the "send again?" question, the
/// confirmation's heading).
#[hook]
pub fn use_focus_when(node: &NodeRef, when: bool) {
    let node = node.clone();
    use_effect_on(when, move |&when| {
        if when {
            focus_node(&node);
        }
    });
}

/// Moves focus to `node` when `flag` goes from true to false and the focus was lost with it
/// (the "send again?" question answered: the button that had the focus is gone, and the focus
/// would fall to the page, out of an open dialog too).
#[hook]
pub fn use_focus_when_ends(node: &NodeRef, flag: bool) {
    let node = node.clone();
    let was = use_mut_ref(|| flag);
    use_effect_on(flag, move |&flag| {
        let ended = std::mem::replace(&mut *was.borrow_mut(), flag) && !flag;
        let lost = node
            .cast::<web_sys::Node>()
            .and_then(|n| {
                wasm_bindgen::JsCast::dyn_into::<web_sys::ShadowRoot>(n.get_root_node()).ok()
            })
            .is_some_and(|root| root.active_element().is_none());
        if ended && lost {
            focus_node(&node);
        }
    });
}

fn focus_node(node: &NodeRef) {
    if let Some(el) = node.cast::<HtmlElement>() {
        let _ = el.focus();
    }
}
