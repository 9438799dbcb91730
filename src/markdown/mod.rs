//! The Markdown layer: HTML for pages ([`html`]), plain text for emails,
//! letters and `check` ([`plain`]), and code highlighting ([`highlight`]).

pub mod highlight;
pub mod html;
pub mod plain;

pub use html::{Heading, Html, Rendered, options, render, render_in};

/// Where a root-relative link (`rest` is what follows its `/`) goes: a page
/// (`faq/`, `incidents/x/`) into the page's own language tree
/// (`base_path`, `/cy/`), a file (`record.jsonl`, `feed.xml`, `logo.png`) to
/// the site's root (`root_path`), where files are published once for every
/// language. On a site in one language both paths are the same.
pub fn site_path(rest: &str, base_path: &str, root_path: &str) -> String {
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    let prefix = if last.contains('.') {
        root_path
    } else {
        base_path
    };
    format!("{prefix}{rest}")
}
