//! Assemble: from loaded content and rendered Markdown to the [`Model`].
//!
//! This is where "published" is decided (drafts and scheduled updates are
//! left out unless asked for), an incident's status is taken from its latest
//! published update, timelines are sorted newest first, and guidance is
//! matched to incidents by data type and region.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use super::*;
use crate::base::text;
use crate::base::time::Clock;
use crate::base::vocab::{Word, goes_to};
use crate::load::config::Config;
use crate::load::content::{Content, Correction, Incident, Intro, Update};
use crate::load::translate;
use crate::record::{History, said};

/// Which items are published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Visibility {
    pub now: Timestamp,
    /// `--drafts` (and the preview): drafts and scheduled updates are shown, marked.
    pub include_drafts: bool,
}

impl Visibility {
    fn shows(&self, draft: bool) -> bool {
        self.include_drafts || !draft
    }

    fn shows_update(&self, u: &Update) -> bool {
        self.shows(u.draft) && (self.include_drafts || u.at <= self.now)
    }
}

/// What every part of the assembly reads.
struct Ctx<'a> {
    config: &'a Config,
    clock: &'a Clock,
    vis: Visibility,
    history: &'a History,
    lang: Option<&'a Translations<'a>>,
}

/// Assembling the site in one of its other languages.
pub struct Translations<'a> {
    /// The keys ([`translate::item_key`]) of what is translated.
    pub translated: &'a std::collections::HashSet<String>,
    /// The site's own language, which untranslated items are in.
    pub original_lang: &'a str,
}

impl Ctx<'_> {
    /// What a page in another language says of item `key` (published
    /// record id `record`, at `path` under the site's root).
    fn translation(&self, key: &str, record: Option<&str>, path: &str) -> Translated {
        let lang = self.lang?;
        let words = &self.clock.strings;
        let name = words.language_name(lang.original_lang);
        let original_url = format!("{}{path}", self.config.root_path);
        let note = |missing: bool, text: &str| {
            Some(Arc::new(TranslationNote {
                missing,
                outdated: !missing,
                text: words.fill(text, &[("language", name)]),
                link: words.fill("translation.read_original", &[("language", name)]),
                original_url: original_url.clone(),
                original_lang: lang.original_lang.to_string(),
            }))
        };
        if !lang.translated.contains(key) {
            return note(true, "translation.missing");
        }
        // Out of date: the original's words changed after the translation's.
        let id = record?;
        let original = self.history.changed.get(id)?;
        let own = self
            .history
            .changed
            .get(&translate::translated_id(id, &self.clock.strings.lang))?;
        if original > own {
            return note(false, "translation.outdated");
        }
        None
    }

    fn view(&self, t: Timestamp) -> Time {
        self.clock.view(t)
    }

    /// A time the record wrote (RFC 3339), in the site's zone.
    fn recorded(&self, iso: &str) -> Option<Time> {
        iso.parse::<Timestamp>().ok().map(|t| self.view(t))
    }

    /// The corrections of what the record calls `id`, newest first, each
    /// with the change it records.
    fn corrections(&self, id: &str, list: &[Correction]) -> Vec<CorrectionView> {
        let mut views: Vec<CorrectionView> = list
            .iter()
            .map(|c| CorrectionView {
                at: self.view(c.at),
                note: c.note.clone(),
                changes: self.history.change(id, &said::note(c)).to_vec(),
            })
            .collect();
        views.sort_by_key(|v| std::cmp::Reverse(v.at.epoch));
        views
    }

    /// What was withdrawn under `prefix` (`incidents/x/`, `faq/`), newest
    /// withdrawal first, leaving out what this build shows again.
    fn withdrawn(&self, prefix: &str, shown: &[&str]) -> Vec<WithdrawnView> {
        let mut views: Vec<WithdrawnView> = self
            .history
            .withdrawn
            .values()
            .filter_map(|w| {
                let slug = w.id.strip_prefix(prefix).filter(|s| !s.contains('/'))?;
                if shown.contains(&slug) {
                    return None;
                }
                let path = format!("{prefix}{slug}/");
                Some(WithdrawnView {
                    slug: slug.to_string(),
                    title: w.title.clone(),
                    url: self.config.url(&path),
                    permalink: self.config.permalink(&path),
                    anchor: format!("update-{slug}"),
                    published: self.recorded(&w.published),
                    at: self.recorded(&w.notice.at)?,
                    note: w.notice.note.clone(),
                })
            })
            .collect();
        views.sort_by(|a, b| {
            b.at.epoch
                .cmp(&a.at.epoch)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        views
    }
}

pub fn assemble(
    config: &Config,
    clock: &Clock,
    content: &Content,
    rendered: RenderedContent,
    vis: Visibility,
    history: &History,
    kept: Option<&mut Views>,
) -> Model {
    let cx = Ctx {
        config,
        clock,
        vis,
        history,
        lang: None,
    };
    assemble_with(&cx, content, rendered, kept)
}

/// In the preview: each update's view, with what it was made from, so
/// that a rebuild makes again only the views of updates that changed
/// (at 10,000 updates, making them all took 13 ms of every rebuild).
#[derive(Default)]
pub struct Views {
    /// What every view reads besides its update and incident: the
    /// settings, the clock's zone and words ([`Views::context`]).
    context: Option<crate::base::fingerprint::Fingerprint>,
    /// By the address of the update (kept alive in the entry, so that the
    /// same address is the same update).
    by_update: HashMap<usize, KeptView>,
}

struct KeptView {
    update: Arc<Update>,
    rendered: Arc<Rendered>,
    /// The incident's slug, title and discovery time.
    incident: crate::base::fingerprint::Fingerprint,
    view: Arc<UpdateView>,
}

impl Views {
    /// The fingerprint of what every update's view reads from the site:
    /// the whole configuration (its address, links; serialised, since its
    /// words are in hash maps that print in any order) and its words, the
    /// clock's zone and words, and whether drafts are shown.
    pub fn context(
        config: &Config,
        clock: &Clock,
        vis: Visibility,
    ) -> crate::base::fingerprint::Fingerprint {
        // Not serialisable (it always is): a context never seen again.
        let settings = serde_json::to_string(config)
            .unwrap_or_else(|_| format!("{:?}", std::time::Instant::now()));
        crate::base::fingerprint::of(&(
            settings,
            config.words.fingerprint,
            &clock.tz_name,
            clock.strings.fingerprint,
            vis.include_drafts,
        ))
    }

    /// Starts a rebuild in `context`: nothing made in another is kept.
    pub fn enter(&mut self, context: crate::base::fingerprint::Fingerprint) {
        if self.context != Some(context) {
            self.by_update.clear();
            self.context = Some(context);
        }
    }

    fn reuse(
        &self,
        u: &Arc<Update>,
        r: &Arc<Rendered>,
        incident: crate::base::fingerprint::Fingerprint,
        now: Timestamp,
    ) -> Option<Arc<UpdateView>> {
        let k = self.by_update.get(&(Arc::as_ptr(u) as usize))?;
        let same = Arc::ptr_eq(&k.update, u)
            && Arc::ptr_eq(&k.rendered, r)
            && k.incident == incident
            && k.view.scheduled == (u.at > now);
        same.then(|| Arc::clone(&k.view))
    }
}

fn incident_key(inc: &Incident) -> crate::base::fingerprint::Fingerprint {
    crate::base::fingerprint::of(&(&inc.slug, &inc.title, inc.discovered))
}

/// [`assemble`] in one of the site's other languages: each view says
/// whether it is translated, and whether its translation is out of date.
pub fn assemble_in(
    config: &Config,
    clock: &Clock,
    content: &Content,
    rendered: RenderedContent,
    vis: Visibility,
    history: &History,
    lang: Option<&Translations>,
) -> Model {
    let cx = Ctx {
        config,
        clock,
        vis,
        history,
        lang,
    };
    assemble_with(&cx, content, rendered, None)
}

fn assemble_with(
    cx: &Ctx,
    content: &Content,
    rendered: RenderedContent,
    kept: Option<&mut Views>,
) -> Model {
    // Guidance and FAQ first: incidents link to them.
    let guidance = guidance_views(cx, content, &rendered);
    let faq = faq_views(cx, content, &rendered);
    let (incidents, updates) = incident_views(cx, content, &rendered, &guidance, &faq, kept);
    let faq_withdrawn = {
        let shown: Vec<&str> = faq.iter().map(|f| f.slug.as_str()).collect();
        cx.withdrawn("faq/", &shown)
    };
    Model {
        incidents,
        updates,
        faq_categories: faq_categories(&faq),
        faq,
        guidance_groups: group_guidance(&guidance, &cx.clock.strings),
        guidance,
        pages: page_views(cx, content, &rendered),
        home: intro(&content.home, rendered.home.as_deref()),
        faq_intro: intro(&content.faq_intro, rendered.faq_intro.as_deref()),
        guidance_intro: intro(&content.guidance_intro, rendered.guidance_intro.as_deref()),
        faq_withdrawn,
        now: cx.view(cx.vis.now),
        lookup: content.lookup,
        translations: Vec::new(),
    }
}

fn labelled(cx: &Ctx, ids: &[DataType]) -> Vec<Labelled> {
    let words = &cx.clock.strings;
    ids.iter()
        .map(|&id| Labelled {
            id,
            label: words.data_type(id).to_string(),
        })
        .collect()
}

fn intro(i: &Intro, r: Option<&Rendered>) -> IntroView {
    IntroView {
        title: i.title.clone(),
        description: i.description.clone(),
        content: r.map(|r| r.html.clone()).unwrap_or_default(),
    }
}

/// Published guidance: everyone's first, then by region, weight and title.
fn guidance_views(
    cx: &Ctx,
    content: &Content,
    rendered: &RenderedContent,
) -> Vec<Arc<GuidanceView>> {
    let mut guidance: Vec<GuidanceView> = content
        .guidance
        .iter()
        .zip(&rendered.guidance)
        .filter(|(g, _)| cx.vis.shows(g.draft))
        .map(|(g, r)| GuidanceView {
            slug: g.slug.clone(),
            title: g.title.clone(),
            url: cx.config.url(&format!("guidance/{}/", g.slug)),
            region: g.region,
            region_label: cx.clock.strings.region(g.region).to_string(),
            data_types: labelled(cx, &g.data_types),
            source: g.source.clone(),
            last_verified: g
                .last_verified
                .map(|d| cx.clock.strings.date(d.year(), d.month(), d.day())),
            last_verified_iso: g.last_verified.map(|d| d.strftime("%Y-%m-%d").to_string()),
            summary: g
                .summary
                .clone()
                .unwrap_or_else(|| r.first_paragraph.clone()),
            weight: g.weight,
            content: r.html.clone(),
            audiences: g.audiences.iter().map(|a| a.get_ref().clone()).collect(),
            draft: g.draft,
            translation: cx.translation(
                &format!("guidance/{}", g.slug),
                None,
                &format!("guidance/{}/", g.slug),
            ),
        })
        .collect();
    guidance.sort_by(|a, b| {
        (a.region.order(), a.weight, &a.title).cmp(&(b.region.order(), b.weight, &b.title))
    });
    guidance.into_iter().map(Arc::new).collect()
}

/// Published FAQ entries, lightest first.
fn faq_views(cx: &Ctx, content: &Content, rendered: &RenderedContent) -> Vec<FaqView> {
    let mut faq: Vec<FaqView> = content
        .faq
        .iter()
        .zip(&rendered.faq)
        .filter(|(f, _)| cx.vis.shows(f.draft))
        .map(|(f, r)| FaqView {
            slug: f.slug.clone(),
            anchor: f.slug.clone(),
            url: format!("{}#{}", cx.config.url("faq/"), f.slug),
            question: f.question.clone(),
            category: f.category.clone(),
            weight: f.weight,
            incident: f.incident.as_ref().map(|s| s.get_ref().clone()),
            updated: f.updated.map(|t| cx.view(t)),
            content: r.html.clone(),
            corrections: cx.corrections(&format!("faq/{}", f.slug), &f.corrections),
            audiences: f.audiences.iter().map(|a| a.get_ref().clone()).collect(),
            draft: f.draft,
            translation: cx.translation(
                &format!("faq/{}", f.slug),
                Some(&format!("faq/{}", f.slug)),
                &format!("faq/#{}", f.slug),
            ),
        })
        .collect();
    faq.sort_by(|a, b| (a.weight, &a.question, &a.slug).cmp(&(b.weight, &b.question, &b.slug)));
    faq
}

/// FAQ categories in order of their lightest entry, then by name.
fn faq_categories(faq: &[FaqView]) -> Vec<FaqCategory> {
    let mut categories: Vec<(i64, FaqCategory)> = Vec::new();
    for entry in faq {
        match categories
            .iter_mut()
            .find(|(_, c)| c.name == entry.category)
        {
            Some((_, c)) => c.entries.push(entry.clone()),
            None => categories.push((
                entry.weight,
                FaqCategory {
                    name: entry.category.clone(),
                    anchor: format!("category-{}", text::anchor(&entry.category)),
                    entries: vec![entry.clone()],
                },
            )),
        }
    }
    categories.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    categories.into_iter().map(|(_, c)| c).collect()
}

/// Published incidents (open first, then newest discovered), and every
/// published web update of them, newest first.
fn incident_views(
    cx: &Ctx,
    content: &Content,
    rendered: &RenderedContent,
    guidance: &[Arc<GuidanceView>],
    faq: &[FaqView],
    kept: Option<&mut Views>,
) -> (Vec<IncidentView>, Vec<Arc<UpdateView>>) {
    // Each incident's updates, found once rather than by scanning every
    // update for every incident (which grew with the square of the site).
    let mut by_incident: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, u) in content.updates.iter().enumerate() {
        by_incident.entry(u.incident.as_str()).or_default().push(i);
    }
    // Each incident's audiences' rendered notices.
    let mut audience_notices: Vec<&[Arc<Rendered>]> = Vec::with_capacity(content.incidents.len());
    let mut start = 0;
    for inc in &content.incidents {
        let end = (start + inc.audiences.len()).min(rendered.audiences.len());
        audience_notices.push(&rendered.audiences[start.min(end)..end]);
        start = end;
    }
    // An update's view reads the history only for its corrections, and
    // another language's for its translation: those are always made again.
    let previous = kept.as_deref();
    let keeps = |u: &Update| previous.is_some() && cx.lang.is_none() && u.corrections.is_empty();
    // Incidents are assembled in parallel: each reads only its own updates.
    let assembled: Vec<(IncidentView, Vec<(usize, KeptView)>)> = content
        .incidents
        .par_iter()
        .zip(&rendered.incidents)
        .zip(&audience_notices)
        .filter(|((inc, _), _)| cx.vis.shows(inc.draft))
        .map(|((inc, r), audience_rendered)| {
            let key = incident_key(inc);
            let mut made = Vec::new();
            let updates = by_incident
                .get(inc.slug.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|&i| (&content.updates[i], &rendered.updates[i]))
                .filter(|(u, _)| cx.vis.shows_update(u))
                .map(|(u, ur)| {
                    let view = previous
                        .and_then(|p| p.reuse(u, ur, key, cx.vis.now))
                        .unwrap_or_else(|| Arc::new(update_view(cx, inc, u, ur)));
                    if keeps(u) {
                        made.push((
                            Arc::as_ptr(u) as usize,
                            KeptView {
                                update: Arc::clone(u),
                                rendered: Arc::clone(ur),
                                incident: key,
                                view: Arc::clone(&view),
                            },
                        ));
                    }
                    view
                })
                .collect();
            let whole = incident_view(cx, inc, r, updates, guidance, faq);
            let view = with_audiences(cx, inc, whole, audience_rendered, guidance, faq);
            (view, made)
        })
        .collect();
    let mut incidents = Vec::with_capacity(assembled.len());
    let mut made = HashMap::new();
    for (view, kept) in assembled {
        incidents.push(view);
        made.extend(kept);
    }
    if let Some(k) = kept {
        k.by_update = made;
    }
    let mut all_updates: Vec<Arc<UpdateView>> = incidents
        .iter()
        .flat_map(|i| i.updates.iter().cloned())
        .collect();
    incidents.sort_by(|a, b| {
        b.is_open
            .cmp(&a.is_open)
            .then(b.discovered.epoch.cmp(&a.discovered.epoch))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    all_updates.sort_by(|a, b| {
        b.at.epoch
            .cmp(&a.at.epoch)
            .then_with(|| a.incident_slug.cmp(&b.incident_slug))
            .then_with(|| b.slug.cmp(&a.slug))
    });
    (incidents, all_updates)
}

fn update_view(cx: &Ctx, inc: &Incident, u: &Update, r: &Rendered) -> UpdateView {
    let path = format!("incidents/{}/{}/", inc.slug, u.slug);
    let updated = u
        .corrections
        .iter()
        .map(|c| c.at)
        .fold(u.at, Timestamp::max);
    let corrections = cx.corrections(
        &format!("incidents/{}/{}", inc.slug, u.slug),
        &u.corrections,
    );
    UpdateView {
        slug: u.slug.clone(),
        id: u
            .id
            .clone()
            .unwrap_or_else(|| entry_id(cx.config, &inc.slug, inc.discovered, u.at)),
        incident_slug: inc.slug.clone(),
        incident_title: inc.title.clone(),
        title: u.title.clone(),
        url: cx.config.url(&path),
        permalink: cx.config.permalink(&path),
        anchor: format!("update-{}", u.slug),
        at: cx.view(u.at),
        status: u.status,
        status_label: u
            .status_label
            .clone()
            .unwrap_or_else(|| cx.clock.strings.status(u.status).to_string()),
        next_update: u.next_update.map(|t| cx.view(t)),
        summary: u
            .summary
            .clone()
            .unwrap_or_else(|| r.first_paragraph.clone()),
        content: r.html.clone(),
        correction: corrections.first().cloned(),
        corrections,
        draft: u.draft,
        scheduled: u.at > cx.vis.now,
        translation: {
            let id = format!("incidents/{}/{}", inc.slug, u.slug);
            cx.translation(&id, Some(&id), &path)
        },
        latest: false,
        channels: u.channels.clone(),
        extra: u.extra.clone(),
        updated: cx.view(updated),
    }
}

/// Where an incident stands, from its published updates (newest first).
struct Standing {
    status: Status,
    /// The latest update's words for it.
    label: String,
    last_updated: Time,
    next_update: Option<Time>,
    resolved_at: Option<Time>,
}

fn standing(cx: &Ctx, inc: &Incident, updates: &[Arc<UpdateView>]) -> Standing {
    let latest = updates.iter().find(|u| !u.scheduled);
    let status = latest.map_or(Status::Investigating, |u| u.status);
    let last_updated = updates
        .iter()
        .filter(|u| !u.scheduled)
        .map(|u| u.updated.clone())
        .max_by_key(|t| t.epoch)
        .unwrap_or_else(|| cx.view(inc.discovered));
    let open = status.is_open();
    Standing {
        status,
        label: latest.map_or_else(
            || cx.clock.strings.status(status).to_string(),
            |u| u.status_label.clone(),
        ),
        last_updated,
        next_update: latest.filter(|_| open).and_then(|u| u.next_update.clone()),
        resolved_at: latest.filter(|_| !open).map(|u| u.at.clone()),
    }
}

/// Discovered, then each change of status, oldest first.
fn timeline(cx: &Ctx, inc: &Incident, updates: &[Arc<UpdateView>]) -> Vec<TimelinePoint> {
    let mut timeline = vec![TimelinePoint {
        label: "Discovered".to_string(),
        status: "discovered",
        at: cx.view(inc.discovered),
    }];
    let mut last = None;
    for u in updates.iter().rev().filter(|u| !u.scheduled) {
        if last == Some(u.status) {
            continue;
        }
        last = Some(u.status);
        timeline.push(TimelinePoint {
            label: u.status_label.clone(),
            status: u.status.id(),
            at: u.at.clone(),
        });
    }
    timeline
}

fn incident_view(
    cx: &Ctx,
    inc: &Incident,
    r: &Rendered,
    mut updates: Vec<Arc<UpdateView>>,
    guidance: &[Arc<GuidanceView>],
    faq: &[FaqView],
) -> IncidentView {
    // Newest first; the slug breaks ties so the order never depends on the file system.
    updates.sort_by(|a, b| {
        b.at.epoch
            .cmp(&a.at.epoch)
            .then_with(|| b.slug.cmp(&a.slug))
    });
    if let Some(u) = updates
        .iter_mut()
        .find(|u| !u.scheduled && goes_to(&u.channels, Channel::Web))
    {
        // A kept view is shared with the cache, which keeps it as made.
        Arc::make_mut(u).latest = true;
    }
    let (updates, other_updates): (Vec<Arc<UpdateView>>, Vec<Arc<UpdateView>>) = updates
        .into_iter()
        .partition(|u| goes_to(&u.channels, Channel::Web));
    let standing = standing(cx, inc, &updates);
    let matching_guidance = guidance_for(guidance, &inc.jurisdictions, &inc.data_types, None);
    let base = format!("incidents/{}/", inc.slug);
    let corrections = cx.corrections(&format!("incidents/{}", inc.slug), &inc.corrections);
    let shown: Vec<&str> = updates
        .iter()
        .chain(&other_updates)
        .map(|u| u.slug.as_str())
        .collect();
    let withdrawn = cx.withdrawn(&base, &shown);
    let faq: Vec<FaqView> = faq
        .iter()
        .filter(|f| f.incident.as_deref() == Some(inc.slug.as_str()))
        .cloned()
        .collect();
    let changes = changes(
        cx,
        &base,
        &corrections,
        &updates,
        &other_updates,
        &withdrawn,
        &faq,
    );
    // The whole incident's questions; those for some audiences are theirs.
    let faq: Vec<FaqView> = faq.into_iter().filter(|f| f.audiences.is_empty()).collect();
    IncidentView {
        translation: {
            let id = format!("incidents/{}", inc.slug);
            cx.translation(&id, Some(&id), &base)
        },
        slug: inc.slug.clone(),
        title: inc.title.clone(),
        url: cx.config.url(&base),
        permalink: cx.config.permalink(&base),
        discovered: cx.view(inc.discovered),
        occurred_start: inc.occurred_start.map(|t| cx.view(t)),
        occurred_end: inc.occurred_end.map(|t| cx.view(t)),
        severity: inc.severity,
        severity_label: inc.severity.map(Severity::label),
        data_types: labelled(cx, &inc.data_types),
        people_affected: inc.people_affected,
        people_affected_text: inc.people_affected.map(|n| cx.clock.strings.number(n)),
        jurisdictions: inc.jurisdictions.clone(),
        summary: inc
            .summary
            .clone()
            .unwrap_or_else(|| r.first_paragraph.clone()),
        draft: inc.draft,
        status: standing.status,
        status_label: standing.label.clone(),
        is_open: standing.status.is_open(),
        last_updated: standing.last_updated,
        next_update: standing.next_update,
        is_recent: standing
            .resolved_at
            .as_ref()
            .is_none_or(|t| cx.vis.now.as_second() - t.epoch < 90 * 24 * 3600),
        resolved_at: standing.resolved_at,
        content: r.html.clone(),
        headings: r.headings.clone(),
        timeline: timeline(cx, inc, &updates),
        updates,
        other_updates,
        guidance_groups: group_guidance(&matching_guidance, &cx.clock.strings),
        guidance: matching_guidance,
        faq,
        corrections,
        withdrawn,
        changes,
        audiences: Vec::new(),
        involved: Vec::new(),
        audience: None,
        for_audiences: Vec::new(),
        extra: inc.extra.clone(),
    }
}

/// Guidance for people in `places` whose `data` was involved: for
/// `audience`, or (`None`) for the whole incident.
fn guidance_for(
    guidance: &[Arc<GuidanceView>],
    places: &[Jurisdiction],
    data: &[DataType],
    audience: Option<&str>,
) -> Vec<Arc<GuidanceView>> {
    guidance
        .iter()
        .filter(|g| g.region.covers(places))
        .filter(|g| g.data_types.is_empty() || g.data_types.iter().any(|d| data.contains(&d.id)))
        .filter(|g| {
            g.audiences.is_empty() || audience.is_some_and(|a| g.audiences.iter().any(|x| x == a))
        })
        .cloned()
        .collect()
}

/// The incident's audiences, what was involved for whom, and the incident
/// as each audience reads it.
fn with_audiences(
    cx: &Ctx,
    inc: &Incident,
    mut whole: IncidentView,
    rendered: &[Arc<Rendered>],
    guidance: &[Arc<GuidanceView>],
    faq: &[FaqView],
) -> IncidentView {
    if inc.audiences.is_empty() {
        return whole;
    }
    let audiences: Vec<AudienceView> = inc
        .audiences
        .iter()
        .map(|a| {
            let path = format!("incidents/{}/for/{}/", inc.slug, a.id);
            AudienceView {
                id: a.id.clone(),
                name: a.name.clone(),
                url: cx.config.url(&path),
                permalink: cx.config.permalink(&path),
                people: a.people,
                people_text: a.people.map(|n| cx.clock.strings.number(n)),
                data_types: labelled(cx, &a.data_types),
                jurisdictions: a.jurisdictions.clone(),
                residents: a
                    .residents
                    .iter()
                    .map(|&(j, n)| Residents {
                        jurisdiction: j,
                        label: j.label().to_string(),
                        people: n,
                    })
                    .collect(),
                offer: a.offer.as_ref().map(|o| OfferView {
                    // Templates end the sentence.
                    what: o.what.trim().trim_end_matches('.').to_string(),
                    how: o.how.clone(),
                    code: o.code.clone(),
                    deadline: o.deadline.map(|t| cx.view(t)),
                }),
            }
        })
        .collect();
    whole.involved = inc
        .data_types
        .iter()
        .map(|&d| {
            let with: Vec<&crate::load::content::Audience> = inc
                .audiences
                .iter()
                .filter(|a| a.data_types.contains(&d))
                .collect();
            let people: Option<i64> = with
                .iter()
                .map(|a| a.people)
                .collect::<Option<Vec<i64>>>()
                .map(|n| n.iter().sum());
            InvolvedView {
                id: d,
                label: cx.clock.strings.data_type(d).to_string(),
                everyone: with.len() == inc.audiences.len(),
                people,
                people_text: people.map(|n| cx.clock.strings.number(n)),
                audiences: with.iter().map(|a| a.id.clone()).collect(),
            }
        })
        .collect();
    whole.audiences = audiences.clone();
    let mut views = Vec::with_capacity(audiences.len());
    for ((a, view), r) in inc.audiences.iter().zip(&audiences).zip(rendered) {
        let mut v = whole.clone();
        v.content = r.html.clone();
        v.headings = r.headings.clone();
        v.data_types = view.data_types.clone();
        v.people_affected = a.people;
        v.people_affected_text = view.people_text.clone();
        v.jurisdictions = a.jurisdictions.clone();
        v.guidance = guidance_for(guidance, &a.jurisdictions, &a.data_types, Some(&a.id));
        v.guidance_groups = group_guidance(&v.guidance, &cx.clock.strings);
        v.faq = faq
            .iter()
            .filter(|f| f.incident.as_deref() == Some(inc.slug.as_str()))
            .filter(|f| f.audiences.is_empty() || f.audiences.contains(&a.id))
            .cloned()
            .collect();
        v.corrections = cx.corrections(
            &format!("incidents/{}@{}", inc.slug, a.id),
            &inc.corrections,
        );
        v.involved = Vec::new();
        v.audience = Some(view.clone());
        views.push(v);
    }
    whole.for_audiences = views;
    whole
}

/// "Changes to what we said": every correction and withdrawal of an
/// incident's notice, updates and FAQ answers, newest first.
fn changes(
    cx: &Ctx,
    base: &str,
    notice: &[CorrectionView],
    updates: &[Arc<UpdateView>],
    other_updates: &[Arc<UpdateView>],
    withdrawn: &[WithdrawnView],
    faq: &[FaqView],
) -> Vec<ChangeView> {
    let page = cx.config.url(base);
    let correction = |c: &CorrectionView, subject: &str, url: String| ChangeView {
        kind: "correction",
        at: c.at.clone(),
        subject: subject.to_string(),
        url,
        note: c.note.clone(),
    };
    let mut out: Vec<ChangeView> = notice
        .iter()
        .map(|c| correction(c, "The notice", format!("{page}#notice")))
        .collect();
    for u in updates.iter().chain(other_updates).filter(|u| !u.scheduled) {
        for c in &u.corrections {
            out.push(correction(c, &u.title, u.url.clone()));
        }
    }
    for f in faq {
        for c in &f.corrections {
            out.push(correction(c, &f.question, f.url.clone()));
        }
    }
    for w in withdrawn {
        out.push(ChangeView {
            kind: "withdrawal",
            at: w.at.clone(),
            subject: w.title.clone(),
            url: w.url.clone(),
            note: w.note.clone(),
        });
    }
    out.sort_by(|a, b| {
        b.at.epoch
            .cmp(&a.at.epoch)
            .then_with(|| a.subject.cmp(&b.subject))
    });
    out
}

fn page_views(cx: &Ctx, content: &Content, rendered: &RenderedContent) -> Vec<PageView> {
    let mut pages: Vec<PageView> = content
        .pages
        .iter()
        .zip(&rendered.pages)
        .filter(|(p, _)| cx.vis.shows(p.draft))
        .map(|(p, r)| PageView {
            slug: p.slug.clone(),
            title: p.title.clone(),
            url: cx.config.url(&format!("{}/", p.slug)),
            description: p
                .description
                .clone()
                .unwrap_or_else(|| r.first_paragraph.clone()),
            weight: p.weight,
            content: r.html.clone(),
            draft: p.draft,
            translation: cx.translation(
                &format!("pages/{}", p.slug),
                None,
                &format!("{}/", p.slug),
            ),
        })
        .collect();
    pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
    pages
}

/// `tag:status.example.org,2026-11-16:customer-database/2026-11-16T10:00:00Z`
/// (RFC 4151): the site's host, the day the incident was discovered, the
/// incident and the update's time. None of it changes with a title or a file name.
fn entry_id(config: &Config, incident: &str, discovered: Timestamp, at: Timestamp) -> String {
    format!(
        "tag:{},{}:{incident}/{}",
        text::host_of(&config.base_url),
        discovered.strftime("%Y-%m-%d"),
        crate::base::time::iso_utc(at)
    )
}
