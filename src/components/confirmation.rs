//! Shown in place of the form once Hubsoft confirms the ticket.

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::core::response::Success;

/// Props of [`Confirmation`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConfirmationProps {
    /// The confirmed ticket.
    pub success: Success,
    /// The heading, focused on arrival so screen readers announce the result.
    #[prop_or_default]
    pub heading_ref: NodeRef,
    /// "Abrir outro chamado".
    pub on_new_ticket: Callback<()>,
}

/// The protocolo (prominent, copyable), its status and date, and a way to open another ticket.
#[function_component(Confirmation)]
pub fn confirmation(props: &ConfirmationProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let at = &props.success.atendimento;
    let on_copy = {
        let copied = copied.clone();
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
                copied.set(Some(ok));
            });
        })
    };
    let on_new = {
        let cb = props.on_new_ticket.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <section class="ac-confirmation" part="confirmation">
            <h2 class="ac-confirmation-title" tabindex="-1" ref={props.heading_ref.clone()}>
                { "Chamado aberto!" }
            </h2>
            <p>{ "Anote o número do protocolo para acompanhar o atendimento:" }</p>
            <p class="ac-protocolo" part="protocolo">
                <span class="ac-protocolo-label">{ "Protocolo " }</span>
                <strong class="ac-protocolo-value">{ at.protocolo.clone() }</strong>
            </p>
            <dl class="ac-details">
                if let Some(status) = &at.status {
                    <div><dt>{ "Situação" }</dt><dd>{ status.clone() }</dd></div>
                }
                if let Some(date) = &at.data_cadastro {
                    <div><dt>{ "Aberto em" }</dt><dd>{ date.clone() }</dd></div>
                }
            </dl>
            <div class="ac-actions">
                <button type="button" class="ac-secondary" part="copy" onclick={on_copy}>
                    { "Copiar protocolo" }
                </button>
                <button type="button" class="ac-secondary" part="new-ticket" onclick={on_new}>
                    { "Abrir outro chamado" }
                </button>
            </div>
            <p class="ac-copy-status" role="status">
                { match *copied {
                    Some(true) => "Protocolo copiado.",
                    Some(false) => "Não foi possível copiar. Selecione o número e copie manualmente.",
                    None => "",
                } }
            </p>
        </section>
    }
}
