//! Taking over the prerendered first paint.
//!
//! Before the WebAssembly arrives, the entry script (`src/embed/element.js`) paints the form in
//! the element's shadow root from markup rendered at build time by the same components
//! ([`crate::components::first_paint`]), or the page brings it in its own HTML as a Declarative
//! Shadow DOM snippet. The customer can read it and type into it. Just before the widget replaces
//! that markup, [`read`] takes what the customer did there ([`Carried`]); the widget starts from
//! it ([`crate::hooks::use_widget_state`], [`crate::hooks::use_carried`]).
//!
//! The prerendered container is the shadow root's `div.ac-root[data-first-paint]`; the element
//! shim marks the fields the customer typed into (`data-typed`) and, on the container, the
//! customer's early intents: `data-submit` (the form was submitted, by button or Enter) and
//! `data-open` (`mode="modal"`: the launcher was pressed); `data-composing` while an input
//! method composes a word in it (the swap then waits for the shim's `abrir-chamado:composed`,
//! [`crate::hooks::use_carried`]).
//!
//! The first paint stays on screen, and typable, while the widget renders into a container that
//! is not in the page yet: the widget's first render may yield to the browser on a slow phone,
//! and a key pressed then must land in a field. Once rendered, [`finish`] reads the first paint
//! again, puts the widget's container in its place and returns that latest reading, in the same
//! task.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

use crate::core::form::{Field, FormValues};
use crate::core::phone;

/// What the customer did in the prerendered form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Carried {
    /// The text of every field the customer typed into (found by its `name`, the Hubsoft key;
    /// the others are left empty, to take the host's values); the telefone formatted as the
    /// widget's mask formats what is typed.
    pub values: FormValues,
    /// The fields the customer typed into, in form order: an emptied one stays empty, where a
    /// field left alone takes the host's value.
    pub typed: Vec<Field>,
    /// The field that had the focus, with its selection (start, end, in UTF-16 code units as
    /// the DOM counts them, and whether it was made backwards, `selectionDirection`); `None`
    /// when focus was elsewhere.
    pub focus: Option<(Field, u32, u32, bool)>,
    /// The customer submitted the form (button or Enter) before the takeover.
    pub submit: bool,
    /// `mode="modal"`: the customer pressed the launcher before the takeover.
    pub open: bool,
    /// The button that had the focus (a selector that finds the same button in the widget: the
    /// modal's launcher or "Abrir chamado"), when no field had it.
    pub focus_button: Option<&'static str>,
    /// The prerendered container read, for [`finish`].
    pub painted: Option<Element>,
    /// The widget's container, which [`finish`] puts in the first paint's place (set by the
    /// mount once it has made it).
    pub container: Option<Element>,
}

/// The buttons of the first paint whose focus the widget keeps, as selectors.
const BUTTONS: [&str; 2] = [".ac-launcher", "button[type=submit]"];

/// Ends the takeover once the widget has rendered: reads the first paint again (what the
/// customer typed while the widget was rendering), puts the widget's container in its place,
/// focuses the widget's button that had the focus there (the field focus and caret are the
/// caller's, which owns the fields), and returns that latest reading. `None` when `carried`
/// holds no first paint still in the page.
pub fn finish(carried: &Carried) -> Option<Carried> {
    let painted = carried.painted.as_ref()?;
    let root = painted.get_root_node().dyn_into::<ShadowRoot>().ok()?;
    let latest = read(&root);
    match &carried.container {
        Some(container) => {
            let _ = painted.replace_with_with_node_1(container);
        }
        None => painted.remove(),
    }
    if let Some(selector) = latest.as_ref().and_then(|l| l.focus_button) {
        let live = [".ac-root:not([data-first-paint]) ", selector].concat();
        if let Some(button) = root
            .query_selector(&live)
            .ok()
            .flatten()
            .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    }
    latest
}

/// Reads the prerendered form in `root`, if there is one (`None` otherwise: a plain mount).
pub fn read(root: &ShadowRoot) -> Option<Carried> {
    let painted = root.query_selector(".ac-root[data-first-paint]").ok()??;
    let mut carried = Carried {
        submit: painted.has_attribute("data-submit"),
        open: painted.has_attribute("data-open"),
        focus_button: root.active_element().and_then(|active| {
            BUTTONS
                .into_iter()
                .find(|selector| active.matches(selector).unwrap_or(false))
        }),
        painted: Some(painted.clone()),
        ..Carried::default()
    };
    for field in Field::ALL {
        // Only what the customer typed; the other fields take the host's current values.
        let selector = ["[name=\"", field.key(), "\"][data-typed]"].concat();
        let Some(control) = painted.query_selector(&selector).ok().flatten() else {
            continue;
        };
        // Radio groups (services, tipos) have one input per choice: the checked one counts.
        let value = if control.get_attribute("type").as_deref() == Some("radio") {
            painted
                .query_selector(&[selector.as_str(), ":checked"].concat())
                .ok()
                .flatten()
                .and_then(|c| string_property(&c, "value"))
        } else {
            string_property(&control, "value")
        };
        carried.typed.push(field);
        if let Some(value) = value {
            carried.values.set(field, value);
        }
    }
    carried.focus = root.active_element().and_then(|active| {
        let name = active.get_attribute("name")?;
        let field = Field::ALL.into_iter().find(|f| f.key() == name)?;
        let at = |key| {
            js_sys::Reflect::get(&active, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_f64())
                .map(|v| v as u32)
        };
        let (start, end) = match (at("selectionStart"), at("selectionEnd")) {
            (Some(s), Some(e)) => (s, e),
            // Fields without a selection API (e-mail inputs): the caret goes to the end.
            _ => {
                let len = carried.values.get(field).encode_utf16().count() as u32;
                (len, len)
            }
        };
        let backward =
            string_property(&active, "selectionDirection").as_deref() == Some("backward");
        Some((field, start, end, backward))
    });
    // The telefone as the widget's mask would have shown it had it been typed there, character
    // by character, with the selection around the same characters (`phone::retype_selection`).
    let typed = std::mem::take(&mut carried.values.telefone);
    let end_of_text = typed.encode_utf16().count() as u32;
    let (start, end) = match carried.focus {
        Some((Field::Telefone, start, end, _)) => (start, end),
        _ => (end_of_text, end_of_text),
    };
    let (shown, start, end) = phone::retype_selection(&typed, start as usize, end as usize);
    carried.values.telefone = shown;
    if let Some((Field::Telefone, _, _, backward)) = carried.focus {
        carried.focus = Some((Field::Telefone, start as u32, end as u32, backward));
    }
    Some(carried)
}

fn string_property(el: &Element, key: &str) -> Option<String> {
    js_sys::Reflect::get(el.unchecked_ref(), &JsValue::from_str(key))
        .ok()?
        .as_string()
}
