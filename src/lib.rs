//! candor: a static site generator for data-breach and incident communication.
//!
//! A site is `site.toml` plus Markdown under `content/`. The pipeline, one
//! module a stage, run in order by [`site::compile`]:
//!
//! 1. **load** ([`config`], [`content`], [`frontmatter`]): read `site.toml`,
//!    walk `content/`, split and read TOML front matter, in parallel.
//! 2. **validate** ([`content`], [`site`]): vocabularies, references between
//!    files, times with explicit offsets; every problem collected as a
//!    [`diagnostics::Diagnostic`] with file:line:col and a hint.
//! 3. **render Markdown** ([`markdown`], [`highlight`]), in parallel.
//! 4. **assemble** ([`model`]): incidents with their sorted updates and
//!    statuses, what is published now, guidance matched to incidents.
//! 5. **render templates** ([`render`]): Tera 2, site over theme over the
//!    built-in theme, in parallel.
//!    Beside the pages: Atom feeds ([`feeds`]), `status.json` ([`status`]),
//!    the sitemap, robots.txt, security.txt and `_headers` ([`meta`]); and
//!    the other channels, email, letter and social posts ([`notices`]).
//! 6. **write** ([`output`]): to a staging folder, swapped in atomically.
//!
//! Times are read and shown by [`time`]. `candor init` and `candor new`
//! live in [`scaffold`]; `candor check`, the rules a notice is held to, in
//! [`check`]; the live preview, `candor serve`, in [`serve`] and
//! [`watch`], which rebuilds only what a change can touch
//! ([`incremental`], [`fingerprint`]); the command line in [`cli`].

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod fingerprint;
pub mod frontmatter;
pub mod highlight;
pub mod incremental;
pub mod markdown;
pub mod meta;
pub mod model;
pub mod notices;
pub mod output;
pub mod plain;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod social;
pub mod status;
pub mod time;
pub mod watch;

/// The built-in theme and the starter kit, embedded at compile time.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
