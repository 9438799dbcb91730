//! The render layer: from the model to output files.
//!
//! - [`templates`]: the Tera templates (site over theme over built-in);
//! - [`pages`]: what pages there are, and rendering them;
//! - [`machine`]: feeds ([`feeds`]), `status.json` ([`status`]), the
//!   sitemap, robots.txt, security.txt and `_headers` ([`meta`]);
//! - [`notices`]: email, letter and social posts ([`social`]);
//! - [`prints`]: fingerprints of what each output is made from, so the
//!   preview renders again only what changed.

pub mod desk;
pub mod feeds;
pub mod machine;
pub mod meta;
pub mod notices;
pub mod pages;
pub mod prints;
pub mod social;
pub mod status;
pub mod templates;

pub use templates::Templates;
