//! The Markdown layer: HTML for pages ([`html`]), plain text for emails,
//! letters and `check` ([`plain`]), and code highlighting ([`highlight`]).

pub mod highlight;
pub mod html;
pub mod plain;

pub use html::{Heading, Html, Rendered, options, render};
