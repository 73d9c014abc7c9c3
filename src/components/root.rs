//! The component `mount` renders: the widget, or the configuration error.

use std::rc::Rc;

use yew::prelude::*;

use super::config_error::config_error_view;
use super::widget::Widget;
use crate::core::options::{ConfigError, Options};
use crate::host::HostHooks;
use crate::storage::PendingSave;
use crate::takeover::Carried;

/// Props of [`Root`].
#[derive(Properties, PartialEq, Clone)]
pub struct RootProps {
    /// The checked host options, or every problem found in them.
    pub config: Result<Options, Vec<ConfigError>>,
    /// The host element, callbacks and token provider.
    pub host: HostHooks,
    /// Bumped by the host's `reset()`.
    pub reset_count: u32,
    /// The host's latest `open()`/`close()` (counter, open?), for `mode="modal"`.
    pub dialog: (u32, bool),
    /// The widget's draft save waiting for its debounce (the handle writes it on `destroy()`).
    pub pending: PendingSave,
    /// What the customer did in the prerendered form this mount took over, if any.
    pub carried: Option<Rc<Carried>>,
}

/// Renders [`Widget`] for good options and [`config_error_view`] otherwise.
#[function_component(Root)]
pub fn root(props: &RootProps) -> Html {
    // A configuration error takes the first paint's place at once: there is no form to carry
    // what was typed into (the element shim paints nothing early for the values it can tell
    // the widget would refuse).
    let carried = props.carried.clone();
    let failed = props.config.is_err();
    crate::hooks::use_effect_on((), move |_| {
        if let (true, Some(carried)) = (failed, carried) {
            crate::takeover::finish(&carried);
        }
    });
    match &props.config {
        Ok(options) => html! {
            <Widget options={options.clone()} host={props.host.clone()} reset_count={props.reset_count}
                dialog={props.dialog} pending={props.pending.clone()}
                carried={props.carried.clone()} />
        },
        Err(errors) => config_error_view(errors),
    }
}
