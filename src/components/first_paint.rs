//! The prerendered first paint: the widget as it looks before the customer does anything,
//! rendered to HTML at build time by Yew's server-side renderer (`cargo run --features ssr --bin
//! prerender`, run by `scripts/post-build.mjs`) from the same view functions the live widget
//! renders ([`ticket_form`], [`frame`]).
//!
//! The entry script paints this markup into the element's shadow root at once, before the
//! WebAssembly has arrived, and the build writes it as Declarative Shadow DOM snippets for pages
//! rendered on the server. The full widget then takes it over ([`crate::takeover`]).
//!
//! One markup per [`VARIANTS`] entry: the locale, whether the host fixes the service (no
//! "Serviço" field) or the customer types its number, and the mode. Options that change the form
//! beyond these (a telefone prefill, `services`, `tipos`, `locked`, `labels`) are not prerendered:
//! for them the first paint waits for the WebAssembly (element.js decides).

use yew::prelude::*;

use super::ticket_form::{ticket_form, TicketFormProps};
use super::widget::{frame, Frame};
use crate::core::form::Field;
use crate::core::json::{Json, JsonNumber};
use crate::core::options::{Options, RawOptions};
use crate::core::state::WidgetState;
use crate::hooks::ModalRefs;

/// The id prefix of prerendered markup (the live widgets use `ac1`, `ac2`…). Ids only need to be
/// unique within one shadow root.
pub const ID_PREFIX: &str = "ac0";

/// The prerendered variants: `(key, locale, service fixed by the host?, modal?)`. The key is
/// what element.js looks up: `"<locale> <inline|modal> <fixed|typed>"` (`mode="modal"` first
/// shows only the launcher, whatever the service, under `fixed`).
pub const VARIANTS: [(&str, &str, bool, bool); 9] = [
    ("pt-BR inline fixed", "pt-BR", true, false),
    ("pt-BR inline typed", "pt-BR", false, false),
    ("pt-BR modal fixed", "pt-BR", true, true),
    ("en inline fixed", "en", true, false),
    ("en inline typed", "en", false, false),
    ("en modal fixed", "en", true, true),
    ("es inline fixed", "es", true, false),
    ("es inline typed", "es", false, false),
    ("es modal fixed", "es", true, true),
];

/// The checked options of a variant: a placeholder endpoint (it does not show), the locale, a
/// fixed service or none, and the mode.
pub fn variant_options(locale: &str, fixed_service: bool, modal: bool) -> Options {
    let raw = RawOptions::read(|name| {
        Ok(match name {
            "endpoint" => Some(Json::String("https://hubsoft.invalid".into())),
            "locale" => Some(Json::String(locale.into())),
            "id_cliente_servico" if fixed_service => Some(Json::Number(JsonNumber::UInt(1))),
            "mode" if modal => Some(Json::String("modal".into())),
            _ => None,
        })
    });
    Options::from_raw(raw).unwrap_or_else(|errors| panic!("variant options: {errors:?}"))
}

/// Props of [`FirstPaint`].
#[derive(Properties, PartialEq, Clone)]
pub struct FirstPaintProps {
    /// The variant's options ([`variant_options`]).
    pub options: Options,
}

/// The widget's first render for `options`, without its behaviours (no hooks): the empty form
/// (or, in `mode="modal"`, the launcher) exactly as [`super::widget::Widget`] first renders it.
#[function_component(FirstPaint)]
pub fn first_paint(props: &FirstPaintProps) -> Html {
    let options = &props.options;
    let state = WidgetState::new(options.prefill.clone(), options.ticket_rules())
        .with_locked(options.locked.clone());
    let refs: Vec<NodeRef> = Field::ALL.iter().map(|_| NodeRef::default()).collect();
    let body = ticket_form(&TicketFormProps {
        state: &state,
        id_prefix: ID_PREFIX,
        refs: &refs,
        on_action: Callback::noop(),
        confirm_ref: NodeRef::default(),
        submit_ref: NodeRef::default(),
        services: &options.services,
        tipos: &options.tipos,
        i18n: &options.i18n,
        safe_resend: options.idempotency_key,
    });
    let modal_refs = ModalRefs::default();
    frame(&Frame {
        options,
        id_prefix: ID_PREFIX,
        dialog_open: false,
        modal_refs: &modal_refs,
        on_open: Callback::noop(),
        on_close: Callback::noop(),
        body,
        live: String::new(),
    })
}
