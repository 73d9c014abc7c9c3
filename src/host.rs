//! What the widget knows of its host page: the element to dispatch events on, the host's
//! callbacks and its token provider (called by [`crate::http`], which owns authorisation).
//!
//! Events are `CustomEvent`s with `bubbles` and `composed` set (so they leave the shadow root),
//! named `abrir-chamado:<name>`; the same detail goes to the matching `on<Name>` callback of the
//! `mount` options. Details never carry the token nor, for `invalid`, the customer's values.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, Element};

use crate::core::error::SubmitError;
use crate::core::form::Field;
use crate::core::i18n::I18n;
use crate::core::json::{Json, JsonNumber};
use crate::core::response::Success;

/// The host's element, callbacks and token provider. Compared by identity.
#[derive(Clone, Debug, PartialEq)]
pub struct HostHooks {
    /// The element `mount` was given (the `<abrir-chamado>` element for the custom element).
    pub element: Element,
    /// `tokenProvider`: a function returning a token string or a Promise of one.
    pub token_provider: Option<Function>,
    /// The options object, to find `onReady`, `onSubmit`, `onSuccess`, `onError`, `onInvalid`.
    pub options: JsValue,
}

/// The events of the widget, in the order a ticket goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostEvent {
    /// The widget rendered (detail: `{}`).
    Ready,
    /// A request is about to be sent (detail: `{}`).
    Submit,
    /// A ticket was opened (detail: `{protocolo, id_atendimento, atendimento}`).
    Success,
    /// A submission failed (detail: `{kind, message, status}`, `status` null without answer).
    Error,
    /// A submit was refused by validation (detail: `{fields}`, Hubsoft key names only).
    Invalid,
}

impl HostEvent {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            HostEvent::Ready => ("abrir-chamado:ready", "onReady"),
            HostEvent::Submit => ("abrir-chamado:submit", "onSubmit"),
            HostEvent::Success => ("abrir-chamado:success", "onSuccess"),
            HostEvent::Error => ("abrir-chamado:error", "onError"),
            HostEvent::Invalid => ("abrir-chamado:invalid", "onInvalid"),
        }
    }
}

impl HostHooks {
    /// Reads the token provider from `options` (a function under `tokenProvider`).
    pub fn new(element: Element, options: &JsValue) -> HostHooks {
        let token_provider = Reflect::get(options, &"tokenProvider".into())
            .ok()
            .and_then(|v| v.dyn_into::<Function>().ok());
        HostHooks {
            element,
            token_provider,
            options: options.clone(),
        }
    }

    /// Dispatches `event` with `detail` on the element and calls the matching callback. A
    /// throwing callback is reported to the console, never to the customer.
    pub fn emit(&self, event: HostEvent, detail: &JsValue) {
        let (name, callback) = event.names();
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(detail);
        if let Ok(e) = CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = self.element.dispatch_event(&e);
        }
        if let Some(f) = Reflect::get(&self.options, &callback.into())
            .ok()
            .and_then(|v| v.dyn_into::<Function>().ok())
        {
            if f.call1(&JsValue::NULL, detail).is_err() {
                web_sys::console::error_1(&format!("abrir-chamado: {callback} threw").into());
            }
        }
    }
}

/// Detail of [`HostEvent::Success`].
pub fn success_detail(success: &Success) -> JsValue {
    let at = &success.atendimento;
    object(&[
        ("protocolo", at.protocolo.as_str().into()),
        ("id_atendimento", at.id_atendimento.as_str().into()),
        ("atendimento", json_to_js(&at.raw)),
    ])
}

/// Detail of [`HostEvent::Error`].
pub fn error_detail(error: &SubmitError, i18n: &I18n) -> JsValue {
    object(&[
        ("kind", error.kind().into()),
        ("message", error.message(i18n).into()),
        (
            "status",
            error.http_status().map_or(JsValue::NULL, JsValue::from),
        ),
    ])
}

/// Detail of [`HostEvent::Invalid`]: field key names only, never values.
pub fn invalid_detail(fields: &[Field]) -> JsValue {
    let list: Array = fields.iter().map(|f| JsValue::from(f.key())).collect();
    object(&[("fields", list.into())])
}

/// A plain object from pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&obj, &(*k).into(), v);
    }
    obj.into()
}

/// Converts a [`Json`] value to the equivalent JavaScript value.
pub fn json_to_js(json: &Json) -> JsValue {
    match json {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => (*b).into(),
        Json::Number(n) => match n {
            JsonNumber::UInt(u) => (*u as f64).into(),
            JsonNumber::Int(i) => (*i as f64).into(),
            JsonNumber::Float(f) => (*f).into(),
        },
        Json::String(s) => s.as_str().into(),
        Json::Array(items) => items.iter().map(json_to_js).collect::<Array>().into(),
        Json::Object(pairs) => {
            let obj = Object::new();
            for (k, v) in pairs {
                let _ = Reflect::set(&obj, &k.as_str().into(), &json_to_js(v));
            }
            obj.into()
        }
    }
}
