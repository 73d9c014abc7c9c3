//! Shown instead of the form when the host's `mount` options are wrong.

use yew::prelude::*;

use crate::core::i18n::I18n;
use crate::core::options::ConfigError;

/// A clear list of configuration problems (`errors`, in a stable order), for the ISP's developer
/// and an honest message for a customer who meets a broken page. A plain view function, not a
/// component: it has no state or hooks, and a component type would only add code to the bundle.
pub fn config_error_view(errors: &[ConfigError]) -> Html {
    html! {
        <div class="ac-config-error" role="alert" part="config-error">
            <p><strong>{ I18n::pt().text("config_error") }</strong></p>
            <ul>
                { for errors.iter().map(|e| html! { <li>{ e.message_pt() }</li> }) }
            </ul>
        </div>
    }
}
