//! Embedding: the JavaScript API of the widget.
//!
//! Two ways in, over one implementation:
//! - the `<abrir-chamado>` custom element, loaded from the stable entry `abrir-chamado.js`
//!   (`element.js` is its shim: the entry defines it before the wasm loads, and the module's
//!   start function hands it `mount`);
//! - `mount(element, options)` from script, returning a [`WidgetHandle`] with `update`, `reset`
//!   and `destroy`.
//!
//! ```js
//! const handle = wasmBindings.mount(document.getElementById("chamado"), {
//!   endpoint: "https://api.provedor.hubsoft.com.br", // required: Hubsoft or a gateway
//!   token: tokenFromYourBackend,                       // or tokenProvider: () => fetchToken()
//!   id_cliente_servico: 11000,                         // optional: hides the "Serviço" field
//!   nome: "Maria", telefone: "37999112233", email: "", // optional prefill
//!   onSuccess: (detail) => console.log(detail.protocolo),
//! });
//! handle.destroy();
//! ```
//!
//! The widget renders into an open shadow root of `element` (created if absent), styled by the
//! element shim (`styleRoot`: the entry's stylesheet adopted as a constructable stylesheet, or
//! `abrir-chamado.css` linked without support or without the entry), so page CSS and widget CSS do not leak into each other. Bad options
//! render a configuration error in the widget and in the console, never a panic.
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, ShadowRootInit, ShadowRootMode};

use std::rc::Rc;

use crate::components::config_error::show_config_error;
use crate::components::widget::{Widget, WidgetProps};
use crate::core::endpoint::EndpointError;
use crate::core::i18n::{I18n, Locale, BUILTIN_LOCALES};
use crate::core::json::Json;
use crate::core::options::{ConfigError, Options, RawOptions, PARSED_ATTRIBUTES};
use crate::host::HostHooks;
use crate::storage::PendingSave;
use crate::takeover::Carried;

/// What a [`WidgetHandle`] renders from: the checked options (or every problem found in them)
/// and what the handle adds over time.
#[derive(Clone)]
struct MountProps {
    /// The checked host options, or every problem found in them.
    config: Result<Options, Vec<ConfigError>>,
    /// The host element, callbacks and token provider.
    host: HostHooks,
    /// Bumped by the host's `reset()`.
    reset_count: u32,
    /// The host's latest `open()`/`close()` (counter, open?), for `mode="modal"`.
    dialog: (u32, bool),
    /// The widget's draft save waiting for its debounce (the handle writes it on `destroy()`).
    pending: PendingSave,
    /// What the customer did in the prerendered form this mount took over, if any.
    carried: Option<Rc<Carried>>,
}

/// What is in the container: the widget (a yew app of [`Widget`]) or, for options it cannot work
/// with, the configuration error (plain DOM: no component machinery for a list of sentences).
enum Mounted {
    Widget(yew::AppHandle<Widget>),
    ConfigError,
}

/// A mounted widget, returned by [`mount`].
#[wasm_bindgen]
pub struct WidgetHandle {
    /// `None` once destroyed.
    app: Option<Mounted>,
    element: Element,
    /// The `<div>` the app renders into, inside the element's shadow root.
    container: Element,
    props: MountProps,
}

impl WidgetHandle {
    /// What the handle shows now, for [`settle_language`].
    fn shown(&self) -> Shown<'_> {
        match (&self.app, &self.props.config) {
            (Some(Mounted::Widget(_)), Ok(options)) => Shown::Texts(&options.i18n),
            _ => Shown::Error,
        }
    }

    /// Shows the current props: updates the widget, or switches between the widget and the
    /// configuration error (a widget replaced by the error, or the other way round, starts anew;
    /// its draft is in storage).
    fn render(&mut self) {
        let Some(app) = self.app.as_mut() else {
            return;
        };
        match (&self.props.config, app) {
            (Ok(options), Mounted::Widget(handle)) => {
                handle.update(widget_props(options, &self.props));
            }
            (Ok(options), Mounted::ConfigError) => {
                self.container.replace_children_with_node_0();
                let props = widget_props(options, &self.props);
                let handle =
                    yew::Renderer::<Widget>::with_root_and_props(self.container.clone(), props)
                        .render();
                self.app = Some(Mounted::Widget(handle));
            }
            (Err(errors), _) => {
                if let Some(Mounted::Widget(handle)) = self.app.take() {
                    handle.destroy();
                }
                show_config_error(&self.container, errors);
                self.app = Some(Mounted::ConfigError);
            }
        }
    }
}

/// The widget's props from the checked `options` and the handle's state.
fn widget_props(options: &Options, p: &MountProps) -> WidgetProps {
    WidgetProps {
        options: options.clone(),
        host: p.host.clone(),
        reset_count: p.reset_count,
        dialog: p.dialog,
        pending: p.pending.clone(),
        carried: p.carried.clone(),
    }
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Applies new options (same shape as `mount`'s). What the customer typed stays; fields
    /// still showing the host's old values take the new ones.
    pub fn update(&mut self, options: JsValue) {
        if self.app.is_some() {
            let (props, wait) = props_for(
                &self.element,
                &options,
                self.props.reset_count,
                self.shown(),
            );
            self.props = MountProps {
                dialog: self.props.dialog,
                pending: self.props.pending.clone(),
                carried: self.props.carried.clone(),
                ..props
            };
            // A configuration error stays until the texts of the widget's language are here
            // (the shim updates again then).
            if !wait {
                self.render();
            }
        }
    }

    /// Clears the form back to the host's values and deletes the draft. The draft (saved or
    /// still waiting for its debounce) is deleted at once, so a `destroy()` right after (a
    /// logout) leaves nothing; the form follows at the next render.
    pub fn reset(&mut self) {
        if self.app.is_some() {
            if let Ok(options) = &self.props.config {
                self.props.pending.discard(&options.draft_storage_key());
            } else {
                self.props.pending.cancel();
            }
            self.props.reset_count = self.props.reset_count.wrapping_add(1);
            self.render();
        }
    }

    /// `mode="modal"`: opens the dialog.
    pub fn open(&mut self) {
        self.dialog(true);
    }

    /// `mode="modal"`: closes the dialog (focus returns to the launcher).
    pub fn close(&mut self) {
        self.dialog(false);
    }

    fn dialog(&mut self, open: bool) {
        if self.app.is_some() {
            self.props.dialog = (self.props.dialog.0.wrapping_add(1), open);
            self.render();
        }
    }

    /// Writes at once a draft save still waiting for its 400 ms debounce (what the customer
    /// typed in the last moments), e.g. before the portal navigates away. `destroy()` does it too.
    #[wasm_bindgen(js_name = saveDraft)]
    pub fn save_draft(&self) {
        self.props.pending.flush();
    }

    /// Unmounts the widget and removes its container from the shadow root. A draft save still waiting is written
    /// first, synchronously, so nothing the widget writes outlives this call (a portal may
    /// clear storage right after, at logout). Calling it twice is harmless.
    pub fn destroy(&mut self) {
        self.props.pending.flush();
        if let Some(app) = self.app.take() {
            if let Mounted::Widget(handle) = app {
                handle.destroy();
            }
            // The app's delegated listeners go with it (yew patched, vendor/yew/PATCHED.md); the
            // container leaves the shadow root, which the host may reuse for a new widget.
            self.container.remove();
        }
    }
}

/// Hands the `<abrir-chamado>` element shim the widget's `mount` when the module starts (and
/// defines the element, unless the stable entry already did); elements waiting for it render.
#[wasm_bindgen(start)]
pub fn start() {
    let mount_fn = Closure::<dyn Fn(Element, JsValue) -> JsValue>::new(|element, options| {
        JsValue::from(mount(element, options))
    });
    define_element(mount_fn.as_ref().unchecked_ref());
    // Lives as long as the page: the element class keeps calling it.
    mount_fn.forget();
}

#[wasm_bindgen(module = "/src/embed/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(mount: &js_sys::Function);
    /// The texts of `locale` (`en`, `es`) in the format of the core's `i18n::catalog_text`, once
    /// the shim has loaded them; `None` before, or when they could not be loaded.
    #[wasm_bindgen(js_name = catalogText)]
    fn catalog_text(locale: &str) -> Option<String>;
    /// Whether the shim is loading the texts of `locale` (a first load, or a retry after a
    /// failure).
    #[wasm_bindgen(js_name = catalogPending)]
    fn catalog_pending(locale: &str) -> bool;
    /// Styles a shadow root (or an element that cannot host one) with the entry's stylesheet:
    /// adopted as a constructable stylesheet, or a `<link>` to `abrir-chamado.css`.
    #[wasm_bindgen(js_name = styleRoot)]
    fn style_root(root: &web_sys::Node);
}

/// Checks `options` and reports problems to the console (never with the token).
fn props_for(
    element: &Element,
    options: &JsValue,
    reset_count: u32,
    shown: Shown<'_>,
) -> (MountProps, bool) {
    let host = HostHooks::new(element.clone(), options);
    let mut config = parse_options(options, element);
    let wait = match &mut config {
        Ok(options) => settle_language(&mut options.i18n, shown),
        Err(_) => false,
    };
    if let Ok(options) = &config {
        for warning in &options.warnings {
            web_sys::console::warn_1(&format!("abrir-chamado: {warning}").into());
        }
    }
    if let Err(errors) = &config {
        let text = errors
            .iter()
            .map(ConfigError::message_pt)
            .collect::<Vec<_>>()
            .join(" ");
        web_sys::console::error_1(&format!("abrir-chamado: {text}").into());
    }
    let props = MountProps {
        config,
        host,
        reset_count,
        dialog: (0, false),
        pending: PendingSave::default(),
        carried: None,
    };
    (props, wait)
}

/// Mounts the widget in `element` with the host's `options` (a plain object: `endpoint`, `token`,
/// optional `id_cliente_servico`, `nome`, `telefone`, `email`). Returns a handle; never throws for
/// bad options (they are shown in the widget and logged with `console.error`, without the token).
#[wasm_bindgen]
pub fn mount(element: Element, options: JsValue) -> WidgetHandle {
    let (mut props, _) = props_for(&element, &options, 0, Shown::Nothing);
    // What the customer typed in the prerendered first paint, read before it is replaced.
    props.carried = element
        .shadow_root()
        .and_then(|root| crate::takeover::read(&root))
        .map(Rc::new);
    let container = container_in(&element);
    if let Some(carried) = props.carried.as_mut() {
        // The container `takeover::finish` swaps in for the first paint.
        Rc::make_mut(carried).container = Some(container.clone());
    }
    let app = match &props.config {
        Ok(options) => Mounted::Widget(
            yew::Renderer::<Widget>::with_root_and_props(
                container.clone(),
                widget_props(options, &props),
            )
            .render(),
        ),
        Err(errors) => {
            show_config_error(&container, errors);
            // The error takes the first paint's place at once: there is no form to carry what
            // was typed into (the element shim paints nothing early for the values it can tell
            // the widget would refuse).
            if let Some(carried) = &props.carried {
                crate::takeover::finish(carried);
            }
            Mounted::ConfigError
        }
    };
    WidgetHandle {
        app: Some(app),
        element,
        container,
        props,
    }
}

/// Reads the options object into checked [`Options`].
fn parse_options(options: &JsValue, element: &Element) -> Result<Options, Vec<ConfigError>> {
    // `instanceof` (caught by wasm-bindgen), not `Array.isArray`, which throws on a revoked Proxy.
    if !options.is_object() || options.is_instance_of::<js_sys::Array>() {
        return Err(vec![ConfigError::NotAnObject]);
    }
    let mut raw = RawOptions::read(|name| crate::js_json::field(options, name));
    raw.bad_attributes = bad_attributes(options);
    // Without a `locale` option (or with a blank one, as the shim reads it) the widget speaks
    // the page's language where it stands.
    let blank = matches!(&raw.locale, Some(Json::String(tag)) if tag.trim().is_empty());
    if (raw.locale.is_none() || blank) && !raw.unreadable.contains(&"locale") {
        raw.locale = page_language(element).map(Json::String);
    }
    // `parametros` is passed through as the browser serialises it (no float formatting here).
    // A getter that throws is a bad value, not an absent one.
    raw.parametros_json = match js_sys::Reflect::get(options, &"parametros".into()) {
        Err(_) => Some(Err(())),
        Ok(v) if v.is_undefined() || v.is_null() => None,
        Ok(v) => {
            let plain = v.is_object() && !v.is_instance_of::<js_sys::Array>() && !v.is_function();
            Some(
                plain
                    .then(|| js_sys::JSON::stringify(&v).ok().and_then(|t| t.as_string()))
                    .flatten()
                    // A Date or an object with toJSON may serialise to something else.
                    .filter(|text| text.starts_with('{'))
                    .ok_or(()),
            )
        }
    };
    Options::from_raw(raw).and_then(check_endpoint)
}

/// What a handle shows when new options come, for [`settle_language`].
#[derive(Clone, Copy)]
enum Shown<'a> {
    /// Nothing yet: the widget is being mounted.
    Nothing,
    /// A configuration error.
    Error,
    /// The widget, in these texts.
    Texts(&'a I18n),
}

/// The texts a widget speaks in. This build carries Portuguese only: the English or Spanish
/// texts come from the shim (`catalogText`: `abrir-chamado.en.txt`, `.es.txt`). When they are not
/// here: while the shim is still loading them (`catalogPending`; it updates the widget again once
/// the load settles), a widget keeps the language it shows, and a configuration error stays
/// (returns `true`: wait); otherwise (their load failed, or the widget is being mounted)
/// Portuguese, and `i18n` says so (`lang="pt-BR"`).
fn settle_language(i18n: &mut I18n, shown: Shown<'_>) -> bool {
    if i18n.locale == Locale::PtBr || BUILTIN_LOCALES {
        return false;
    }
    i18n.catalog = catalog_text(i18n.locale.tag()).map(Rc::from);
    if i18n.catalog.is_some() {
        return false;
    }
    let loading = catalog_pending(i18n.locale.tag());
    match shown {
        Shown::Texts(shown) if loading => {
            i18n.locale = shown.locale;
            i18n.catalog = shown.catalog.clone();
            false
        }
        Shown::Error if loading => true,
        _ => {
            i18n.locale = Locale::PtBr;
            false
        }
    }
}

/// The browser's word on `options`' endpoint: the core's URL rules are a subset of the browser's;
/// the browser's own parser has the last word (odd IPv6 literals, numeric hosts), so a URL
/// `fetch` would refuse is a configuration error now, not a "check your connection" after the
/// customer typed.
fn check_endpoint(options: Options) -> Result<Options, Vec<ConfigError>> {
    if web_sys::Url::new(options.endpoint.as_str()).is_err() {
        return Err(vec![ConfigError::BadEndpoint(EndpointError::Malformed)]);
    }
    Ok(options)
}

/// The attributes `element.js` could not read (invalid JSON, a bad boolean), which it lists in
/// the internal `invalid_attributes` key, as the names of [`PARSED_ATTRIBUTES`].
fn bad_attributes(options: &JsValue) -> Vec<&'static str> {
    let list = js_sys::Reflect::get(options, &"invalid_attributes".into()).unwrap_or_default();
    let Some(list) = list.dyn_ref::<js_sys::Array>() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|name| {
            let name = name.as_string()?;
            PARSED_ATTRIBUTES.into_iter().find(|a| *a == name)
        })
        .collect()
}

/// The language of the page where `element` stands: the `lang` attribute of its nearest
/// ancestor (itself included) that has one, looking through the shadow roots it may sit in, as
/// HTML defines an element's language. `None` when no ancestor says, or says `lang=""`
/// (unknown).
fn page_language(element: &Element) -> Option<String> {
    let mut at = element.clone();
    loop {
        if let Ok(Some(el)) = at.closest("[lang]") {
            return el
                .get_attribute("lang")
                .filter(|lang| !lang.trim().is_empty());
        }
        at = at
            .get_root_node()
            .dyn_into::<web_sys::ShadowRoot>()
            .ok()?
            .host();
    }
}

/// Returns a fresh `<div>` inside `element`'s open shadow root (created if absent), styled by
/// the shim's `styleRoot` (the entry's stylesheet adopted, or `abrir-chamado.css` linked where
/// constructable stylesheets are missing). Elements that cannot host a shadow root get the
/// `<div>` and the link directly.
fn container_in(element: &Element) -> Element {
    let document = element.owner_document().unwrap_or_else(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .expect_throw("no document")
    });
    let div = document
        .create_element("div")
        .expect_throw("create_element div");
    // `.ac-root` in the stylesheet: stops what the page's styles pass down by inheritance.
    div.set_class_name("ac-root");
    let shadow = element.shadow_root().or_else(|| {
        element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()
    });
    match shadow {
        Some(shadow) => {
            // A first paint stays until the widget has rendered (takeover::finish); anything
            // else there goes.
            let taking_over = shadow
                .query_selector(".ac-root[data-first-paint]")
                .ok()
                .flatten()
                .is_some();
            if !taking_over {
                shadow.set_inner_html("");
            }
            // Constructable stylesheets pass a strict `style-src`; where the browser lacks them
            // (iOS 15, Safari before 16.4) the shim links `abrir-chamado.css`, which
            // `style-src 'self'` (or the widget's origin) allows.
            style_root(&shadow);
            // Beside a first paint, the container stays out of the page until the widget has
            // rendered in it: `takeover::finish` puts it in the first paint's place.
            if !taking_over {
                let _ = shadow.append_child(&div);
            }
        }
        None => {
            element.set_inner_html("");
            style_root(element);
            let _ = element.append_child(&div);
        }
    }
    div
}
