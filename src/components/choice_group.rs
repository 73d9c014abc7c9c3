//! A group of radio buttons for one of the host's lists (services, ticket types), as a
//! `<fieldset>` with a visible `<legend>`, error text, and `aria-invalid` on each radio with
//! `aria-describedby` naming the error text while there is one.
//!
//! The description sits on the radios, not on the fieldset: focus moved to the group after a
//! failed submit lands on a radio, and a screen reader tells a focused control its own
//! description only (WAI-ARIA 1.2, `aria-describedby`; a group's is read, if at all, when it is
//! entered, so on both it would be read twice).

use yew::prelude::*;

use crate::core::options::Choice;

/// Props of [`choice_group`]. Optional ones default to off/absent (`..Default::default()`).
#[derive(Default)]
pub struct ChoiceGroupProps {
    /// Prefix of the radios' ids; the error text is `{id}-erro`.
    pub id: AttrValue,
    /// The radios' `name` (the Hubsoft key).
    pub name: AttrValue,
    /// The visible legend.
    pub legend: AttrValue,
    /// What to choose from.
    pub choices: Vec<Choice>,
    /// The chosen id, if any.
    pub selected: Option<u64>,
    /// The error shown under the group, if any.
    pub error: Option<AttrValue>,
    /// Locked while a request is in flight.
    pub disabled: bool,
    /// The first radio, for focus management.
    pub first_ref: NodeRef,
    /// Called with the chosen id.
    pub on_choose: Callback<u64>,
}

/// A labelled radio group. A view function rather than a component (no hooks; see
/// [`super::text_field::text_field`]).
pub fn choice_group(props: &ChoiceGroupProps) -> Html {
    let error_id = format!("{}-erro", props.id);
    let invalid = props.error.is_some();
    html! {
        <fieldset class="ac-choices" part="choices">
            <legend class="ac-label">{ props.legend.clone() }</legend>
            { for props.choices.iter().enumerate().map(|(i, c)| {
                let id = format!("{}-{}", props.id, c.id);
                let choice = c.id;
                let cb = props.on_choose.clone();
                let onchange = Callback::from(move |_: Event| cb.emit(choice));
                // While a request is in flight the checked radio stays enabled (`aria-disabled`)
                // so that the focus it may have stays in the form; the others are disabled, so
                // neither a click nor an arrow key can change the choice.
                let checked = props.selected == Some(c.id);
                html! {
                    <label class="ac-choice" for={id.clone()}>
                        <input type="radio" id={id} name={props.name.clone()}
                            value={c.id.to_string()} {checked}
                            aria-invalid={invalid.to_string()}
                            aria-describedby={invalid.then(|| error_id.clone())}
                            disabled={props.disabled && !checked}
                            aria-disabled={(props.disabled && checked).then_some("true")}
                            ref={if i == 0 { props.first_ref.clone() } else { NodeRef::default() }}
                            {onchange} />
                        <span>{ c.label.clone() }</span>
                    </label>
                }
            }) }
            if let Some(error) = &props.error {
                <p id={error_id.clone()} class="ac-error-text">{ error.clone() }</p>
            }
        </fieldset>
    }
}
