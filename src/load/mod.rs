//! The load layer: `site.toml` ([`config`]), front matter
//! ([`frontmatter`]), the content model and the walk of `content/`
//! ([`content`]), one reader per kind of file ([`items`]), and the checks
//! that need more than one file ([`validate`]).

mod audiences;
pub mod config;
pub mod content;
pub mod frontmatter;
pub mod i18n;
pub mod items;
pub mod translate;
pub mod validate;
pub mod walk;
