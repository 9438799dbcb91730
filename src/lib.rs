//! candor: a static site generator for data-breach and incident communication.
//!
//! A site is `site.toml` plus Markdown under `content/`. One folder a stage
//! of the pipeline, run in order by [`site::compile`]; each layer imports
//! only from the layers above it in this list (`tests/it/layers.rs` keeps it
//! so):
//!
//! 1. [`base`]: what every stage shares: diagnostics, times, fingerprints,
//!    the vocabulary (statuses, data types, regions, regimes, channels),
//!    text helpers and the atomic output folder.
//! 2. [`load`]: read `site.toml`, walk `content/`, split and read TOML front
//!    matter (in parallel), and validate: every problem collected as a
//!    [`base::diagnostics::Diagnostic`] with file:line:col and a hint.
//! 3. [`markdown`]: render Markdown to HTML and to plain text, with code
//!    highlighted.
//! 4. [`record`]: the published record: what was said, in a hash chain,
//!    against what the site says now.
//! 5. [`model`]: assemble incidents with their sorted updates and statuses,
//!    what is published now, guidance matched to incidents.
//! 6. [`render`]: Tera templates over the model: pages, Atom feeds,
//!    `status.json`, the sitemap and other machine files, and the other
//!    channels (email, letter, social posts).
//! 7. [`site`]: the orchestrator: the stages above as named, timed steps,
//!    written atomically; and the cache that lets the preview rebuild only
//!    what an edit can touch.
//! 8. The commands, side by side and never importing each other:
//!    [`check`] (`candor check`, the rules a notice is held to),
//!    [`preview`] (`candor serve` and its watcher), [`scaffold`]
//!    (`candor init`, `candor new`), [`verify`] (`candor verify-record`).
//! 9. [`cli`]: the command line.

pub mod base;
pub mod load;
pub mod markdown;
pub mod model;
pub mod record;
pub mod render;
pub mod site;

pub mod check;
#[cfg(feature = "serve")]
pub mod preview;
pub mod recipients;
pub mod scaffold;
pub mod verify;

pub mod cli;

/// The built-in theme, the starter kit and the rules, embedded at compile
/// time (part of the base layer).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
