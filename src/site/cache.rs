//! Incremental rebuilds, for the preview.
//!
//! `candor build` runs every stage over every file. `candor serve` keeps a
//! [`Cache`] between rebuilds and skips the work whose inputs did not
//! change, so that a saved edit is served in milliseconds at any size:
//!
//! - **load**: a file whose size, inode and times are as they were is not
//!   read again, and a file whose text is as it was is not parsed again;
//! - **Markdown**: a body with the same text, file and first line renders to
//!   the same HTML and the same warnings;
//! - **pages, notices and machine files** remember the fingerprint
//!   ([`crate::base::fingerprint`]) of everything they were made from and are
//!   rendered again only when it changes.
//!
//! A page's fingerprint covers the templates and site settings (a change to
//! any template or to `site.toml` renders everything again), the page's own
//! values (its update, its incident with all of that incident's updates,
//! its title and address), and each site-wide value its template can read:
//! Tera reports the top-level variables a template and everything it
//! extends or includes use, and a theme that dumps the whole context or
//! defines components is taken to read everything. So an edited update
//! renders again its own page, its incident's page and that incident's other
//! update pages (they show its timeline), the home page, the feeds and
//! status.json, and its own notices, and nothing else.
//!
//! The model is always assembled whole (a few milliseconds at 1,000
//! updates): what a page shows is never computed from a stale view, only
//! not rendered twice. `tests/it/incremental.rs` checks that what the preview
//! serves after a series of edits is byte for byte what a full build makes.

use std::collections::HashMap;
use std::sync::Arc;

use crate::base::diagnostics::Diagnostic;
use crate::base::fingerprint::Fingerprint;
use crate::load::walk::{Changed, LoadCache};
use crate::markdown::Rendered;
use crate::render::prints::Made;

/// What one rebuild left for the next.
#[derive(Default)]
pub struct Cache {
    pub(crate) load: LoadCache,
    pub(crate) markdown: MarkdownCache,
    /// Each body's placeholder lines, with the text they were found in.
    pub(crate) placeholders: crate::load::validate::Placeholders,
    /// Each page as last made, and each incident's pages.
    pub(crate) pages: crate::render::pages::PageCache,
    /// Feeds, status.json, sitemap and the other machine files, made together.
    pub(crate) machine: Option<crate::render::machine::SiteWide>,
    /// Views as template values, by fingerprint: an incident or update
    /// that did not change is not serialised again.
    pub(crate) values: HashMap<Fingerprint, tera::Value>,
    /// Time views, for the zone named.
    pub(crate) times: (String, crate::base::time::Memo),
    /// Feed entries, by fingerprint.
    pub(crate) entries: HashMap<Fingerprint, Arc<[u8]>>,
    /// Each incident's feed, by incident.
    pub(crate) feeds: HashMap<String, Made>,
    /// The notices of one incident (`slug`) or update (`slug/update`).
    pub(crate) units: HashMap<String, Made>,
    /// Each incident's regulator drafts and desk pack, by incident.
    pub(crate) desk: crate::render::desk::Kept,
    /// Each update's view, with what it was made from.
    pub(crate) views: crate::model::Views,
    /// Each page's anchors, for the links check.
    pub(crate) anchors: crate::site::links::KeptAnchors,
    /// Each body's broken links, for the links check.
    pub(crate) links: crate::site::links::KeptLinks,
    /// The published record as last read, and what the site said.
    pub(crate) record: crate::record::Cache,
    /// What the last rebuild did.
    pub stats: Stats,
    /// The pages the last rebuild rendered, and the notice units (an
    /// incident's slug, or `incident/update`).
    pub(crate) rendered_pages: Vec<String>,
    pub(crate) rendered_units: Vec<String>,
    /// What the last rebuild replaced, to be freed off the rebuild's path
    /// (freeing a large site's last model takes milliseconds).
    pub garbage: Vec<Box<dyn Send>>,
}

/// Each body's HTML, by file and first line, for the site's address.
#[derive(Default)]
pub struct MarkdownCache {
    pub(crate) base_path: String,
    pub(crate) bodies: HashMap<(String, usize), KeptBody>,
}

/// A body's text (kept alive, so the same address is the same text), its
/// HTML and its warnings.
pub struct KeptBody {
    pub(crate) text: Arc<str>,
    pub(crate) rendered: Arc<Rendered>,
    pub(crate) diags: Arc<[Diagnostic]>,
}

/// How much of the site the last rebuild had to redo.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Content files read, parsed, and in all.
    pub files_read: usize,
    pub files_parsed: usize,
    pub files: usize,
    /// Markdown bodies rendered, and in all.
    pub markdown_rendered: usize,
    pub markdown: usize,
    /// Pages rendered, and in all.
    pub pages_rendered: usize,
    pub pages: usize,
    /// Notice units (an incident's or an update's email, letter and posts)
    /// rendered, and in all.
    pub notices_rendered: usize,
    pub notices: usize,
    /// Whether the feeds, status.json and sitemap were made again.
    pub machine_rendered: bool,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Say which paths (from the site's folder) changed since the last
    /// rebuild, as a watcher saw them: the next rebuild looks at no other
    /// file. `None`: not known, look at everything.
    pub fn changed(&mut self, paths: Option<Vec<std::path::PathBuf>>) {
        // What was not yet used (the last rebuild failed before loading)
        // still counts.
        self.load.changed = match (std::mem::take(&mut self.load.changed), paths) {
            (Changed::Paths(mut pending), Some(more)) => {
                pending.extend(more);
                Changed::Paths(pending)
            }
            (Changed::Nothing, Some(more)) => Changed::Paths(more),
            _ => Changed::Unknown,
        };
    }

    /// The pages the last rebuild rendered (output paths, sorted).
    pub fn rendered_pages(&self) -> &[String] {
        &self.rendered_pages
    }

    /// The notice units the last rebuild rendered (`incident` or
    /// `incident/update`, sorted).
    pub fn rendered_notices(&self) -> &[String] {
        &self.rendered_units
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} pages and {} of {} notices rendered, {} of {} files read",
            self.pages_rendered,
            self.pages,
            self.notices_rendered,
            self.notices,
            self.files_read,
            self.files
        )
    }
}
