//! Shown instead of the form when the host's `mount` options are wrong.

use yew::prelude::*;

use crate::core::i18n::I18n;
use crate::core::options::ConfigError;

/// Props of [`ConfigErrorView`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConfigErrorProps {
    /// Every problem found, in a stable order.
    pub errors: Vec<ConfigError>,
}

/// A clear list of configuration problems, for the ISP's developer (and an honest message for a
/// customer who meets a broken page).
#[function_component(ConfigErrorView)]
pub fn config_error_view(props: &ConfigErrorProps) -> Html {
    html! {
        <div class="ac-config-error" role="alert" part="config-error">
            <p><strong>{ I18n::pt().text("config_error") }</strong></p>
            <ul>
                { for props.errors.iter().map(|e| html! { <li>{ e.message_pt() }</li> }) }
            </ul>
        </div>
    }
}
