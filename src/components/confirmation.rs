//! Shown in place of the form once Hubsoft confirms the ticket.

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::core::i18n::I18n;
use crate::core::response::Success;

/// Which confirmation a copy result belongs to: the widget's submission number and whether it
/// is shown in the modal dialog. A confirmation shows only its own result, so a new ticket (or
/// the same one moved between inline and modal mode) starts without one.
pub type ConfirmationId = (u32, bool);

/// The result of the last "Copiar protocolo": the confirmation it belongs to and whether the
/// clipboard took the text. Kept by [`super::widget::Widget`].
pub type CopyResult = UseStateHandle<Option<(ConfirmationId, bool)>>;

/// Props of [`confirmation`], borrowed from the widget for one render.
pub struct ConfirmationProps<'a> {
    /// The confirmed ticket.
    pub success: &'a Success,
    /// This confirmation, for [`ConfirmationProps::copied`].
    pub id: ConfirmationId,
    /// The heading, focused on arrival so screen readers announce the result.
    pub heading_ref: NodeRef,
    /// "Abrir outro chamado".
    pub on_new_ticket: Callback<()>,
    /// The texts (locale and the host's overrides).
    pub i18n: &'a I18n,
    /// The last copy result, set when the clipboard answers.
    pub copied: CopyResult,
}

/// The protocolo (prominent, copyable), its status and date, and a way to open another ticket.
/// A view function rather than a component: its one piece of state (the copy result) lives in
/// the widget, and each Yew component type adds about 1.5 KB of lifecycle code to the bundle.
pub fn confirmation(props: &ConfirmationProps) -> Html {
    let i18n = props.i18n;
    let at = &props.success.atendimento;
    let on_copy = {
        let copied = props.copied.clone();
        let id = props.id;
        let protocolo = at.protocolo.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let protocolo = protocolo.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = match web_sys::window().map(|w| w.navigator().clipboard()) {
                    Some(clipboard) => JsFuture::from(clipboard.write_text(&protocolo))
                        .await
                        .is_ok(),
                    None => false,
                };
                copied.set(Some((id, ok)));
            });
        })
    };
    let on_new = {
        let cb = props.on_new_ticket.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let copied = match *props.copied {
        Some((id, ok)) if id == props.id => Some(ok),
        _ => None,
    };
    html! {
        <section class="ac-confirmation" part="confirmation">
            <h2 class="ac-confirmation-title" tabindex="-1" ref={props.heading_ref.clone()}>
                { i18n.text("done.title") }
            </h2>
            <p>{ i18n.text("done.keep") }</p>
            <p class="ac-protocolo" part="protocolo">
                <span class="ac-protocolo-label">{ i18n.text("done.protocolo") }</span>
                <strong class="ac-protocolo-value">{ at.protocolo.clone() }</strong>
            </p>
            <dl class="ac-details">
                if let Some(status) = &at.status {
                    <div><dt>{ i18n.text("done.status") }</dt><dd>{ status.clone() }</dd></div>
                }
                if let Some(date) = &at.data_cadastro {
                    <div><dt>{ i18n.text("done.date") }</dt><dd>{ date.clone() }</dd></div>
                }
            </dl>
            <div class="ac-actions">
                <button type="button" class="ac-secondary" part="copy" onclick={on_copy}>
                    { i18n.text("done.copy") }
                </button>
                <button type="button" class="ac-secondary" part="new-ticket" onclick={on_new}>
                    { i18n.text("done.new") }
                </button>
            </div>
            <p class="ac-copy-status" role="status">
                { match copied {
                    Some(true) => i18n.text("done.copied"),
                    Some(false) => i18n.text("done.copy_failed"),
                    None => String::new(),
                } }
            </p>
        </section>
    }
}
