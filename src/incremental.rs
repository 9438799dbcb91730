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
//!   ([`crate::fingerprint`]) of everything they were made from and are
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
//! not rendered twice. `tests/incremental.rs` checks that what the preview
//! serves after a series of edits is byte for byte what a full build makes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::content::LoadCache;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::markdown::Rendered;
use crate::model::{IncidentView, UpdateView};

/// What one rebuild left for the next.
#[derive(Default)]
pub struct Cache {
    pub(crate) load: LoadCache,
    pub(crate) markdown: HashMap<Fingerprint, (Rendered, Vec<Diagnostic>)>,
    /// Page path → what it was made from, and its bytes.
    pub(crate) pages: HashMap<String, (Fingerprint, Arc<[u8]>)>,
    /// Feeds, status.json, sitemap and the other machine files, made together.
    pub(crate) machine: Option<Made>,
    /// Views as template values, by fingerprint: an incident or update
    /// that did not change is not serialised again.
    pub(crate) values: HashMap<Fingerprint, tera::Value>,
    /// Time views, for the zone named.
    pub(crate) times: (String, crate::time::Memo),
    /// Feed entries, by fingerprint.
    pub(crate) entries: HashMap<Fingerprint, Arc<[u8]>>,
    /// Each incident's feed, by incident.
    pub(crate) feeds: HashMap<String, Made>,
    /// The notices of one incident (`slug`) or update (`slug/update`).
    pub(crate) units: HashMap<String, Made>,
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

/// Files made together from one fingerprint, with their warnings.
#[derive(Clone)]
pub(crate) struct Made {
    pub fingerprint: Fingerprint,
    pub files: Vec<(String, Arc<[u8]>)>,
    pub diags: Vec<Diagnostic>,
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
        use crate::content::Changed;
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

/// The variables every page template may read from Tera's global context
/// (see `site::render_pages`).
pub(crate) const GLOBALS: &[&str] = &[
    "site",
    "incidents",
    "updates",
    "faq",
    "faq_categories",
    "guidance",
    "guidance_groups",
    "pages",
    "home",
    "faq_intro",
    "guidance_intro",
    "now",
    "has_code",
    "open_incidents",
    "recent_incidents",
    "last_resolved",
];

/// Does something with a site-wide variable's value: fingerprint it, or
/// make it a template value.
pub(crate) trait GlobalVisitor {
    type Out;
    fn visit<T: serde::Serialize + std::hash::Hash + ?Sized>(&mut self, value: &T) -> Self::Out;
}

/// The site-wide variables that are parts of the model as they are, in one
/// table for both their fingerprints and their values, so the two cannot
/// drift apart. `None` for the others (`site`, and those made from the
/// incidents or updates), which each side makes its own way.
pub(crate) fn plain_global<V: GlobalVisitor>(
    name: &str,
    model: &crate::model::Model,
    has_code: &bool,
    visitor: &mut V,
) -> Option<V::Out> {
    Some(match name {
        "faq" => visitor.visit(&model.faq),
        "faq_categories" => visitor.visit(&model.faq_categories),
        "guidance" => visitor.visit(&model.guidance),
        "guidance_groups" => visitor.visit(&model.guidance_groups),
        "pages" => visitor.visit(&model.pages),
        "home" => visitor.visit(&model.home),
        "faq_intro" => visitor.visit(&model.faq_intro),
        "guidance_intro" => visitor.visit(&model.guidance_intro),
        "now" => visitor.visit(&model.now),
        "has_code" => visitor.visit(has_code),
        _ => return None,
    })
}

struct FingerprintOf;

impl GlobalVisitor for FingerprintOf {
    type Out = Fingerprint;
    fn visit<T: serde::Serialize + std::hash::Hash + ?Sized>(&mut self, value: &T) -> Fingerprint {
        crate::fingerprint::of(value)
    }
}

/// Fingerprints of the model's parts, made once a rebuild.
pub(crate) struct Prints {
    /// The settings and the templates: what every output is made with.
    pub base: Fingerprint,
    /// Each incident view in model order, with its updates, guidance and FAQ.
    pub incidents: Vec<Fingerprint>,
    /// Each of the model's `updates`, in order.
    pub updates: Vec<Fingerprint>,
    /// Every update of every incident, by [`update_key`].
    update_fps: HashMap<Fingerprint, Fingerprint>,
    /// Template values of views, reused by fingerprint.
    pub values: Values,
    /// Each of [`GLOBALS`], in that order.
    pub globals: Vec<Fingerprint>,
}

impl Prints {
    pub fn of(
        base: Fingerprint,
        model: &crate::model::Model,
        has_code: bool,
        values: HashMap<Fingerprint, tera::Value>,
    ) -> Prints {
        use crate::fingerprint::of;
        use rayon::prelude::*;
        // Each update is hashed once, and its incident, the site's list of
        // updates, its page and its notices use that.
        let by_incident: Vec<(Fingerprint, Vec<(Fingerprint, Fingerprint)>)> = model
            .incidents
            .par_iter()
            .map(|inc| {
                let updates: Vec<(Fingerprint, Fingerprint)> = inc
                    .updates
                    .iter()
                    .chain(&inc.other_updates)
                    .map(|u| (update_key(u), of(u)))
                    .collect();
                let fps: HashMap<Fingerprint, Fingerprint> = updates.iter().copied().collect();
                let fp = incident_fingerprint(inc, |u| {
                    fps.get(&update_key(u)).copied().unwrap_or_else(|| of(u))
                });
                (fp, updates)
            })
            .collect();
        let mut update_fps = HashMap::new();
        let mut incidents = Vec::with_capacity(by_incident.len());
        for (fp, updates) in by_incident {
            incidents.push(fp);
            update_fps.extend(updates);
        }
        let updates: Vec<Fingerprint> = model
            .updates
            .iter()
            .map(|u| {
                update_fps
                    .get(&update_key(u))
                    .copied()
                    .unwrap_or_else(|| of(u))
            })
            .collect();
        let all_incidents = of(&incidents);
        let all_updates = of(&updates);
        let globals = GLOBALS
            .par_iter()
            .map(|name| match *name {
                // Made from site.toml, part of `base`.
                "site" => base,
                // Made from the incidents alone.
                "incidents" | "open_incidents" | "recent_incidents" | "last_resolved" => {
                    all_incidents
                }
                "updates" => all_updates,
                // The rest are parts of the model, as they are.
                other => plain_global(other, model, &has_code, &mut FingerprintOf)
                    // A name added to GLOBALS and to neither table: never reuse.
                    .unwrap_or_else(|| of(&std::time::SystemTime::now())),
            })
            .collect();
        Prints {
            base,
            incidents,
            updates,
            update_fps,
            values: Values {
                previous: values,
                kept: Mutex::new(HashMap::new()),
            },
            globals,
        }
    }

    /// The fingerprint of a global by name.
    pub fn global(&self, name: &str) -> Fingerprint {
        GLOBALS
            .iter()
            .position(|g| *g == name)
            .and_then(|i| self.globals.get(i).copied())
            .unwrap_or_default()
    }

    /// The fingerprint of an update view.
    pub fn update(&self, u: &UpdateView) -> Fingerprint {
        self.update_fps
            .get(&update_key(u))
            .copied()
            .unwrap_or_else(|| crate::fingerprint::of(u))
    }

    /// Of the whole model: every global, and `base`.
    pub fn model(&self) -> Fingerprint {
        crate::fingerprint::of(&(self.base, &self.globals))
    }
}

/// Template values of views, kept from one rebuild to the next by
/// fingerprint (a value is cheap to share: Tera keeps maps and lists
/// behind reference counts).
pub(crate) struct Values {
    previous: HashMap<Fingerprint, tera::Value>,
    kept: Mutex<HashMap<Fingerprint, tera::Value>>,
}

impl Values {
    /// The value of `view`, whose fingerprint is `fp`.
    pub fn get<T: serde::Serialize + ?Sized>(&self, fp: Fingerprint, view: &T) -> tera::Value {
        let value = self
            .previous
            .get(&fp)
            .cloned()
            .unwrap_or_else(|| tera::Value::from_serializable(view));
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(fp, value.clone());
        }
        value
    }

    /// The values used by this rebuild, for the next; and the rest.
    pub fn into_parts(
        self,
    ) -> (
        HashMap<Fingerprint, tera::Value>,
        HashMap<Fingerprint, tera::Value>,
    ) {
        let kept = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        (kept, self.previous)
    }
}

/// Names an update: its incident and its slug.
fn update_key(u: &UpdateView) -> Fingerprint {
    crate::fingerprint::of(&(&u.incident_slug, &u.slug))
}

/// An incident's fingerprint, with each of its updates given by
/// `update` (already hashed) rather than hashed again. Every field is
/// named, so a field added to the view cannot be left out by mistake.
fn incident_fingerprint(
    inc: &IncidentView,
    update: impl Fn(&UpdateView) -> Fingerprint,
) -> Fingerprint {
    let IncidentView {
        slug,
        title,
        url,
        permalink,
        discovered,
        occurred_start,
        occurred_end,
        severity,
        severity_label,
        data_types,
        people_affected,
        people_affected_text,
        jurisdictions,
        summary,
        draft,
        status,
        status_label,
        is_open,
        last_updated,
        next_update,
        resolved_at,
        is_recent,
        content,
        headings,
        updates,
        other_updates,
        timeline,
        guidance,
        guidance_groups,
        faq,
        extra,
    } = inc;
    let mut fp = crate::fingerprint::Fp::new();
    fp.add(slug)
        .add(title)
        .add(url)
        .add(permalink)
        .add(discovered)
        .add(occurred_start)
        .add(occurred_end)
        .add(severity)
        .add(severity_label)
        .add(data_types)
        .add(people_affected)
        .add(people_affected_text)
        .add(jurisdictions)
        .add(summary)
        .add(draft)
        .add(status)
        .add(status_label)
        .add(is_open)
        .add(last_updated)
        .add(next_update)
        .add(resolved_at)
        .add(is_recent)
        .add(content)
        .add(headings);
    for list in [updates, other_updates] {
        fp.add(&list.len());
        for u in list {
            fp.add(&update(u));
        }
    }
    fp.add(timeline)
        .add(guidance)
        .add(guidance_groups)
        .add(faq)
        .add(extra);
    fp.finish()
}
