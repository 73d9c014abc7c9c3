//! Thin Yew components over the pure core, one per file. Pieces with no hooks are plain view
//! functions over a `Props` struct (each Yew component type adds about 1.5 KB of lifecycle
//! code to the bundle):
//! - [`widget::Widget`]: the one component (the app `mount` renders): lists the widget's
//!   behaviours ([`crate::hooks`]) and renders its state.
//! - [`ticket_form::ticket_form`]: the form, its error banner and the submit button (a view
//!   function).
//! - [`text_field::text_field`]: one labelled input with its error text (a view function).
//! - [`choice_group::choice_group`]: a radio group for the host's services or ticket types (a
//!   view function).
//! - [`confirmation::confirmation`]: the protocolo and what to do next (a view function; the
//!   widget keeps its copy result).
//! - [`modal::modal`]: `mode="modal"`: launcher button and native modal dialog (a view function;
//!   its effect is [`crate::hooks::use_modal`]).
//! - `first_paint::FirstPaint` (feature `ssr`): the widget's first render without behaviours,
//!   prerendered to HTML at build time for the entry script's first paint.
//! - [`config_error::show_config_error`]: what the host got wrong in `mount` options, shown
//!   instead of the widget (plain DOM, not yew).

pub mod choice_group;
pub mod config_error;
pub mod confirmation;
#[cfg(feature = "ssr")]
pub mod first_paint;
pub mod modal;
pub mod text_field;
pub mod ticket_form;
pub mod widget;
