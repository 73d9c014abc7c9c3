//! One labelled field: `<label>`, `<input>` or `<textarea>`, hint and error text, wired for
//! assistive technology (`aria-invalid`, `aria-describedby`).

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::core::phone;

/// Props of [`text_field`]. Optional ones default to off/absent (`..Default::default()`).
#[derive(Default)]
pub struct TextFieldProps {
    /// The element id; the error text is `{id}-erro`, the hint `{id}-dica`.
    pub id: AttrValue,
    /// The HTML `name` (the Hubsoft key).
    pub name: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The current raw value.
    pub value: AttrValue,
    /// The error shown under the field, if any.
    pub error: Option<AttrValue>,
    /// Marks the field invalid even without an own message (named by the server).
    pub invalid: bool,
    /// A hint shown under the label.
    pub hint: Option<AttrValue>,
    /// Read-only while a request is in flight: nothing typed after the press is left out of the
    /// ticket, and the focus stays where the customer is (a disabled field would drop it to
    /// the page).
    pub readonly: bool,
    /// A `<textarea>` instead of an `<input>`.
    pub multiline: bool,
    /// The input `type` (`text`, `tel`, `email`).
    pub input_type: AttrValue,
    /// The `autocomplete` token (WHATWG autofill), e.g. `name`, `tel-national`, `email`.
    pub autocomplete: Option<AttrValue>,
    /// The `inputmode`, e.g. `tel`, `email`, `numeric`.
    pub inputmode: Option<AttrValue>,
    /// A character counter shown under the field (e.g. "120 de 2000 caracteres"). There is no
    /// `maxlength`: the browser would cut pasted text silently; the core flags it instead.
    pub counter: Option<AttrValue>,
    /// Format a Brazilian phone as it is typed, keeping the caret in place
    /// ([`crate::core::phone::reformat_with_caret`]); IME composition is left alone while it
    /// lasts, and a valid number is formatted when the field is left.
    pub phone_mask: bool,
    /// Whether the field is required (sets `aria-required`).
    pub required: bool,
    /// The element, for focus management.
    pub node_ref: NodeRef,
    /// Called with the whole new value on each `input` event.
    pub on_input: Callback<String>,
    /// Called when the field loses focus.
    pub on_blur: Callback<()>,
}

/// A labelled input or textarea. A view function rather than a component: it has no hooks, and
/// each Yew component type adds about 1.5 KB of lifecycle code to the bundle.
pub fn text_field(props: &TextFieldProps) -> Html {
    let error_id = format!("{}-erro", props.id);
    let hint_id = format!("{}-dica", props.id);
    let counter_id = format!("{}-contador", props.id);
    let invalid = props.invalid || props.error.is_some();
    let described: Vec<&str> = [
        props.hint.as_ref().map(|_| hint_id.as_str()),
        props.counter.as_ref().map(|_| counter_id.as_str()),
        props.error.as_ref().map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let describedby = (!described.is_empty()).then(|| described.join(" "));
    let on_blur = {
        let cb = props.on_blur.clone();
        Callback::from(move |e: FocusEvent| {
            // Leaving the field for the submit button: the submit validates everything anyway,
            // and an error appearing now would push the button away between press and release,
            // swallowing the click.
            let to_submit = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.get_attribute("type").as_deref() == Some("submit"));
            if !to_submit {
                cb.emit(())
            }
        })
    };
    let control = if props.multiline {
        let cb = props.on_input.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(el.value());
        });
        html! {
            <textarea id={props.id.clone()} name={props.name.clone()} class="ac-input"
                value={props.value.clone()} rows="5"
                aria-invalid={invalid.to_string()} aria-describedby={describedby}
                aria-required={props.required.then_some("true")}
                readonly={props.readonly}
                ref={props.node_ref.clone()} {oninput} onblur={on_blur} />
        }
    } else {
        let cb = props.on_input.clone();
        let mask = props.phone_mask;
        let previous = props.value.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let typed = el.value();
            // Autofill and scripts may dispatch a plain `Event("input")`: check before reading
            // InputEvent-only properties (reading them on a plain Event would throw).
            let input_event = e.dyn_ref::<web_sys::InputEvent>();
            if !mask || input_event.is_some_and(|ie| ie.is_composing()) {
                cb.emit(typed);
                return;
            }
            let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
            let input_type = input_event.map(|ie| ie.input_type());
            let edit = phone::PhoneEdit::from_input_type(input_type.as_deref());
            let (shown, at) = phone::reformat_with_caret(&previous, &typed, caret, edit);
            if shown != typed {
                // Write the DOM now and put the caret back; Yew then finds nothing to change.
                el.set_value(&shown);
                let at = at as u32;
                let _ = el.set_selection_range(at, at);
            }
            cb.emit(shown);
        });
        // A number an input method composed (left alone while composing; Chromium sends no
        // `input` after `compositionend`) is formatted when the field is left, if it is valid.
        // The `input` handler above runs again with a plain event, which it reads as the whole
        // value replaced (formatted only if it is a valid number, else kept as written).
        let on_blur = if mask {
            Callback::from(move |e: FocusEvent| {
                let init = web_sys::CustomEventInit::new();
                init.set_bubbles(true);
                if let Ok(input) = web_sys::CustomEvent::new_with_event_init_dict("input", &init) {
                    let el: web_sys::Element = e.target_unchecked_into();
                    let _ = el.dispatch_event(&input);
                }
                on_blur.emit(e)
            })
        } else {
            on_blur
        };
        html! {
            <input id={props.id.clone()} name={props.name.clone()} class="ac-input"
                type={props.input_type.clone()} value={props.value.clone()}
                autocomplete={props.autocomplete.clone()} inputmode={props.inputmode.clone()}
                aria-invalid={invalid.to_string()} aria-describedby={describedby}
                aria-required={props.required.then_some("true")}
                readonly={props.readonly}
                ref={props.node_ref.clone()} {oninput} onblur={on_blur} />
        }
    };
    html! {
        <div class="ac-field" part="field">
            <label for={props.id.clone()} class="ac-label">{ props.label.clone() }</label>
            if let Some(hint) = &props.hint {
                <p id={hint_id.clone()} class="ac-hint">{ hint.clone() }</p>
            }
            { control }
            if let Some(counter) = &props.counter {
                <p id={counter_id.clone()} class="ac-hint ac-counter">{ counter.clone() }</p>
            }
            if let Some(error) = &props.error {
                <p id={error_id.clone()} class="ac-error-text">{ error.clone() }</p>
            }
        </div>
    }
}
