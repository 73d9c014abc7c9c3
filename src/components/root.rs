//! The component `mount` renders: the widget, or the configuration error.

use yew::prelude::*;

use super::config_error::ConfigErrorView;
use super::widget::Widget;
use crate::core::options::{ConfigError, Options};

/// Props of [`Root`].
#[derive(Properties, PartialEq, Clone)]
pub struct RootProps {
    /// The checked host options, or every problem found in them.
    pub config: Result<Options, Vec<ConfigError>>,
}

/// Renders [`Widget`] for good options and [`ConfigErrorView`] otherwise.
#[function_component(Root)]
pub fn root(props: &RootProps) -> Html {
    match &props.config {
        Ok(options) => html! { <Widget options={options.clone()} /> },
        Err(errors) => html! { <ConfigErrorView errors={errors.clone()} /> },
    }
}
