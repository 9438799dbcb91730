//! Fingerprints of what each output is made from (see
//! [`crate::site::cache`] for how the preview uses them): each update once,
//! each incident with its updates, and each site-wide template variable.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::base::diagnostics::Diagnostic;
use crate::base::fingerprint::{self, Fingerprint};
use crate::model::{IncidentView, Model, UpdateView};

/// Files made together from one fingerprint, with their warnings.
#[derive(Clone)]
pub struct Made {
    pub fingerprint: Fingerprint,
    pub files: Vec<(String, Arc<[u8]>)>,
    pub diags: Vec<Diagnostic>,
}

/// The variables every page template may read from Tera's global context
/// (see `site::render_pages`).
pub const GLOBALS: &[&str] = &[
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
    "faq_withdrawn",
    "now",
    "has_code",
    "open_incidents",
    "recent_incidents",
    "last_resolved",
    "has_lookup",
];

/// Does something with a site-wide variable's value: fingerprint it, or
/// make it a template value.
pub trait GlobalVisitor {
    type Out;
    fn visit<T: serde::Serialize + std::hash::Hash + ?Sized>(&mut self, value: &T) -> Self::Out;
}

/// The site-wide variables that are parts of the model as they are, in one
/// table for both their fingerprints and their values, so the two cannot
/// drift apart. `None` for the others (`site`, and those made from the
/// incidents or updates), which each side makes its own way.
pub fn plain_global<V: GlobalVisitor>(
    name: &str,
    model: &Model,
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
        "faq_withdrawn" => visitor.visit(&model.faq_withdrawn),
        "now" => visitor.visit(&model.now),
        "has_code" => visitor.visit(has_code),
        // The site has a "Were you affected?" page.
        "has_lookup" => visitor.visit(&model.lookup),
        _ => return None,
    })
}

struct FingerprintOf;

impl GlobalVisitor for FingerprintOf {
    type Out = Fingerprint;
    fn visit<T: serde::Serialize + std::hash::Hash + ?Sized>(&mut self, value: &T) -> Fingerprint {
        fingerprint::of(value)
    }
}

/// Fingerprints of the model's parts, made once a rebuild.
pub struct Prints {
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
        model: &Model,
        has_code: bool,
        values: HashMap<Fingerprint, tera::Value>,
    ) -> Prints {
        use fingerprint::of;
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
                let fp = incident_fingerprint(inc, &|u| {
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
            .unwrap_or_else(|| fingerprint::of(u))
    }

    /// Of the whole model: every global, and `base`.
    pub fn model(&self) -> Fingerprint {
        fingerprint::of(&(self.base, &self.globals))
    }
}

/// Template values of views, kept from one rebuild to the next by
/// fingerprint (a value is cheap to share: Tera keeps maps and lists
/// behind reference counts).
pub struct Values {
    previous: HashMap<Fingerprint, tera::Value>,
    kept: Mutex<HashMap<Fingerprint, tera::Value>>,
}

impl Values {
    /// The value of `view`, whose fingerprint is `fp`.
    pub fn get<T: serde::Serialize + ?Sized>(&self, fp: Fingerprint, view: &T) -> tera::Value {
        self.get_with(fp, || tera::Value::from_serializable(view))
    }

    /// The value whose fingerprint is `fp`, made by `make` if it is new.
    pub fn get_with(&self, fp: Fingerprint, make: impl FnOnce() -> tera::Value) -> tera::Value {
        let value = self.previous.get(&fp).cloned().unwrap_or_else(make);
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
    fingerprint::of(&(&u.incident_slug, &u.slug))
}

/// An incident's fingerprint, with each of its updates given by
/// `update` (already hashed) rather than hashed again. Every field is
/// named, so a field added to the view cannot be left out by mistake.
fn incident_fingerprint(
    inc: &IncidentView,
    update: &dyn Fn(&UpdateView) -> Fingerprint,
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
        corrections,
        withdrawn,
        changes,
        audiences,
        involved,
        audience,
        for_audiences,
        extra,
        translation,
    } = inc;
    let mut fp = fingerprint::Fp::new();
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
        .add(corrections)
        .add(withdrawn)
        .add(changes)
        .add(audiences)
        .add(involved)
        .add(audience)
        .add(extra)
        .add(translation);
    fp.add(&for_audiences.len());
    for view in for_audiences {
        fp.add(&incident_fingerprint(view, update));
    }
    fp.finish()
}
