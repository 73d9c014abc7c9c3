//! `mode="modal"`: a launcher button and a native modal `<dialog>` around the widget.
//!
//! `showModal()` makes the rest of the page inert and puts the dialog in the top layer (page CSS
//! cannot cover it); Esc closes it (the `cancel` → `close` events); Tab and Shift+Tab wrap inside
//! the dialog; focus returns to the launcher when it closes.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, ShadowRoot};
use yew::prelude::*;

use crate::hooks::ModalRefs;

/// Props of [`modal`], for one render of the widget.
pub struct ModalProps<'a> {
    /// Whether the dialog is open.
    pub open: bool,
    /// Prefix of element ids.
    pub id_prefix: &'a str,
    /// The launcher button's text.
    pub launcher_label: AttrValue,
    /// The dialog's heading.
    pub title: AttrValue,
    /// The close button's text.
    pub close_label: AttrValue,
    /// The launcher was pressed.
    pub on_open: Callback<()>,
    /// The dialog closed (close button, Esc, or script).
    pub on_close: Callback<()>,
    /// The dialog's and the launcher's elements, which [`crate::hooks::use_modal`] opens,
    /// closes and focuses.
    pub refs: &'a ModalRefs,
    /// The widget inside.
    pub children: Html,
}

/// The launcher and the dialog. A view function rather than a component: its state and its
/// effect are the widget's [`crate::hooks::use_modal`] hook, and each Yew component type adds
/// about 1.5 KB of lifecycle code to the bundle.
pub fn modal(props: &ModalProps) -> Html {
    let dialog_ref = props.refs.dialog.clone();
    let launcher_ref = props.refs.launcher.clone();
    let on_launch = {
        let cb = props.on_open.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_close_button = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    // Esc (and any other close) of the native dialog.
    let on_dialog_close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: Event| cb.emit(()))
    };
    // Keep Tab inside: from the last focusable element to the first, and back (laid-out but
    // invisible elements, such as the discard button of a pristine form, are not focusable).
    let on_keydown = {
        let dialog_ref = dialog_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            let Some(dialog) = dialog_ref.cast::<HtmlElement>() else {
                return;
            };
            let Ok(list) = dialog.query_selector_all(
                "button:not([disabled]):not([data-pristine]), input:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])",
            ) else {
                return;
            };
            let items: Vec<HtmlElement> = (0..list.length())
                .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
                .filter(|el| el.offset_parent().is_some())
                .collect();
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                return;
            };
            let active = dialog
                .get_root_node()
                .dyn_into::<ShadowRoot>()
                .ok()
                .and_then(|root| root.active_element());
            let at = |el: &HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref());
            if e.shift_key() && at(first) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && at(last) {
                e.prevent_default();
                let _ = first.focus();
            }
        })
    };
    let title_id = format!("{}-dialogo", props.id_prefix);
    html! {
        <>
            <button type="button" class="ac-submit ac-launcher" part="launcher"
                aria-haspopup="dialog" aria-expanded={props.open.to_string()}
                ref={launcher_ref} onclick={on_launch}>
                { props.launcher_label.clone() }
            </button>
            <dialog class="ac-dialog" part="dialog" aria-labelledby={title_id.clone()}
                ref={dialog_ref} onclose={on_dialog_close} onkeydown={on_keydown}>
                <div class="ac-dialog-header">
                    <h2 id={title_id} class="ac-dialog-title">{ props.title.clone() }</h2>
                    <button type="button" class="ac-secondary" part="close" onclick={on_close_button}>
                        { props.close_label.clone() }
                    </button>
                </div>
                if props.open { { props.children.clone() } }
            </dialog>
        </>
    }
}
