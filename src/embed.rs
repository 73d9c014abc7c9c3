//! Embedding: the JavaScript API of the widget.
//!
//! ```js
//! const handle = wasmBindings.mount(document.getElementById("chamado"), {
//!   endpoint: "https://api.provedor.hubsoft.com.br", // required: Hubsoft or a gateway
//!   token: tokenFromYourBackend,                       // required: bearer token, memory only
//!   id_cliente_servico: 11000,                         // optional: hides the "Serviço" field
//!   nome: "Maria", telefone: "37999112233", email: "", // optional prefill
//! });
//! handle.destroy();
//! ```
//!
//! The widget renders into an open shadow root of `element` (created if absent) with its CSS as a
//! constructable stylesheet, so page CSS and widget CSS do not leak into each other. Bad options
//! render a configuration error in the widget and in the console, never a panic.

use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Element, ShadowRootInit, ShadowRootMode};

use crate::components::root::{Root, RootProps};
use crate::core::options::{ConfigError, Options, RawOptions};

/// The widget's stylesheet, applied inside the shadow root.
pub const CSS: &str = include_str!("style.css");

/// A mounted widget, returned by [`mount`].
#[wasm_bindgen]
pub struct WidgetHandle {
    app: Option<yew::AppHandle<Root>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Unmounts the widget and empties its container. Calling it twice is harmless.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

/// Mounts the widget in `element` with the host's `options` (a plain object: `endpoint`, `token`,
/// optional `id_cliente_servico`, `nome`, `telefone`, `email`). Returns a handle; never throws for
/// bad options (they are shown in the widget and logged with `console.error`, without the token).
#[wasm_bindgen]
pub fn mount(element: Element, options: JsValue) -> WidgetHandle {
    let config = parse_options(&options);
    if let Err(errors) = &config {
        let text = errors
            .iter()
            .map(ConfigError::message_pt)
            .collect::<Vec<_>>()
            .join(" ");
        web_sys::console::error_1(&format!("abrir-chamado: {text}").into());
    }
    let container = container_in(&element);
    let app = yew::Renderer::<Root>::with_root_and_props(container, RootProps { config }).render();
    WidgetHandle { app: Some(app) }
}

/// Reads the options object into checked [`Options`].
fn parse_options(options: &JsValue) -> Result<Options, Vec<ConfigError>> {
    if !options.is_object() || js_sys::Array::is_array(options) {
        return Err(vec![ConfigError::NotAnObject]);
    }
    let raw: RawOptions = serde_wasm_bindgen::from_value(options.clone())
        .map_err(|_| vec![ConfigError::NotAnObject])?;
    Options::from_raw(raw)
}

/// Returns a fresh `<div>` inside `element`'s open shadow root (created if absent), with the
/// stylesheet adopted. Elements that cannot host a shadow root get the `<div>` and a `<style>`
/// directly.
fn container_in(element: &Element) -> Element {
    let document = element.owner_document().unwrap_or_else(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .expect_throw("no document")
    });
    let div = document
        .create_element("div")
        .expect_throw("create_element div");
    let shadow = element.shadow_root().or_else(|| {
        element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()
    });
    match shadow {
        Some(shadow) => {
            shadow.set_inner_html("");
            let adopted = CssStyleSheet::new().ok().and_then(|sheet| {
                sheet.replace_sync(CSS).ok()?;
                let list = js_sys::Array::of1(&sheet);
                js_sys::Reflect::set(&shadow, &"adoptedStyleSheets".into(), &list).ok()
            });
            if adopted.is_none() {
                if let Ok(style) = document.create_element("style") {
                    style.set_text_content(Some(CSS));
                    let _ = shadow.append_child(&style);
                }
            }
            let _ = shadow.append_child(&div);
        }
        None => {
            element.set_inner_html("");
            if let Ok(style) = document.create_element("style") {
                style.set_text_content(Some(CSS));
                let _ = element.append_child(&style);
            }
            let _ = element.append_child(&div);
        }
    }
    div
}
