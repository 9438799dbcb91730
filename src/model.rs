//! Assemble: from loaded content and rendered Markdown to the model that
//! templates, feeds and channels read.
//!
//! This is where "published" is decided (drafts and scheduled updates are
//! left out unless asked for), an incident's status is taken from its latest
//! published update, timelines are sorted newest first, and guidance is
//! matched to incidents by data type and region.

use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::{self, Content, Intro};
use crate::markdown::{Heading, Html, Rendered};
use crate::time::{Clock, Time};

#[derive(Debug, Clone, Serialize, Hash)]
pub struct Labelled {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct CorrectionView {
    pub at: Time,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct UpdateView {
    pub slug: String,
    /// The feed entry id: stable across changes of title and file name.
    pub id: String,
    pub incident_slug: String,
    pub incident_title: String,
    pub title: String,
    /// Root-relative URL of the update's own page.
    pub url: String,
    pub permalink: String,
    /// The update's anchor on its incident page.
    pub anchor: String,
    pub at: Time,
    pub status: String,
    pub status_label: String,
    pub next_update: Option<Time>,
    /// The author's summary, or the first paragraph.
    pub summary: String,
    pub content: Html,
    pub correction: Option<CorrectionView>,
    pub draft: bool,
    pub scheduled: bool,
    /// Where it goes: web, email, social (empty: everywhere).
    pub channels: Vec<String>,
    pub extra: serde_json::Value,
    /// Newest time this update was changed: the correction's, else `at`.
    pub updated: Time,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct TimelinePoint {
    pub label: String,
    pub status: String,
    pub at: Time,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct IncidentView {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub discovered: Time,
    pub occurred_start: Option<Time>,
    pub occurred_end: Option<Time>,
    pub severity: Option<String>,
    pub severity_label: Option<String>,
    pub data_types: Vec<Labelled>,
    pub people_affected: Option<i64>,
    /// "1,240"
    pub people_affected_text: Option<String>,
    pub jurisdictions: Vec<String>,
    pub summary: String,
    pub draft: bool,
    pub status: String,
    pub status_label: String,
    pub is_open: bool,
    pub last_updated: Time,
    pub next_update: Option<Time>,
    pub resolved_at: Option<Time>,
    /// Open, or resolved less than 90 days before the build's "now": shown
    /// as a banner on the home page, since letters and emails still point here.
    pub is_recent: bool,
    pub content: Html,
    pub headings: Vec<Heading>,
    /// Newest first: the updates published on the web.
    pub updates: Vec<Arc<UpdateView>>,
    /// Updates sent only by email or social posts (`channels` without "web").
    pub other_updates: Vec<Arc<UpdateView>>,
    /// Discovered, then each change of status, oldest first.
    pub timeline: Vec<TimelinePoint>,
    pub guidance: Vec<GuidanceView>,
    pub guidance_groups: Vec<GuidanceGroup>,
    pub faq: Vec<FaqView>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct FaqView {
    pub slug: String,
    pub anchor: String,
    pub url: String,
    pub question: String,
    pub category: String,
    pub weight: i64,
    pub incident: Option<String>,
    pub updated: Option<Time>,
    pub content: Html,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct FaqCategory {
    pub name: String,
    pub anchor: String,
    pub entries: Vec<FaqView>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct GuidanceView {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub region: String,
    pub region_label: String,
    pub data_types: Vec<Labelled>,
    pub source: Vec<String>,
    pub last_verified: Option<String>,
    /// `last_verified` as an RFC 3339 date, for the sitemap.
    pub last_verified_iso: Option<String>,
    pub summary: String,
    pub weight: i64,
    pub content: Html,
    pub draft: bool,
}

/// Guidance for one region, in display order.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct GuidanceGroup {
    pub region: String,
    /// "Everyone", "If you live in the United Kingdom"
    pub heading: String,
    pub entries: Vec<GuidanceView>,
}

/// Group guidance (already sorted by region) by region, keeping the order.
pub fn group_guidance(list: &[GuidanceView]) -> Vec<GuidanceGroup> {
    let mut groups: Vec<GuidanceGroup> = Vec::new();
    for g in list {
        match groups.last_mut() {
            Some(last) if last.region == g.region => last.entries.push(g.clone()),
            _ => groups.push(GuidanceGroup {
                region: g.region.clone(),
                heading: if g.region == "all" {
                    "For everyone".to_string()
                } else {
                    format!("If you live in the {}", g.region_label)
                },
                entries: vec![g.clone()],
            }),
        }
    }
    groups
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct PageView {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub description: String,
    pub weight: i64,
    pub content: Html,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize, Default, Hash)]
pub struct IntroView {
    pub title: Option<String>,
    pub description: Option<String>,
    pub content: Html,
}

/// Everything the site says, ready for templates.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Model {
    /// Newest discovered first.
    pub incidents: Vec<IncidentView>,
    /// Every published update of every incident, newest first.
    pub updates: Vec<Arc<UpdateView>>,
    pub faq: Vec<FaqView>,
    pub faq_categories: Vec<FaqCategory>,
    pub guidance: Vec<GuidanceView>,
    pub guidance_groups: Vec<GuidanceGroup>,
    pub pages: Vec<PageView>,
    pub home: IntroView,
    pub faq_intro: IntroView,
    pub guidance_intro: IntroView,
    pub now: Time,
}

/// Rendered Markdown for each item, in the order of `Content`'s vectors.
pub struct RenderedContent {
    pub home: Option<Rendered>,
    pub faq_intro: Option<Rendered>,
    pub guidance_intro: Option<Rendered>,
    pub incidents: Vec<Rendered>,
    pub updates: Vec<Rendered>,
    pub faq: Vec<Rendered>,
    pub guidance: Vec<Rendered>,
    pub pages: Vec<Rendered>,
}

impl RenderedContent {
    pub fn has_code(&self) -> bool {
        [&self.home, &self.faq_intro, &self.guidance_intro]
            .into_iter()
            .flatten()
            .chain(&self.incidents)
            .chain(&self.updates)
            .chain(&self.faq)
            .chain(&self.guidance)
            .chain(&self.pages)
            .any(|r| r.has_code)
    }
}

pub fn status_label(status: &str) -> &str {
    match status {
        "investigating" => "Investigating",
        "identified" => "Cause identified",
        "contained" => "Contained",
        "monitoring" => "Monitoring",
        "resolved" => "Resolved",
        other => other,
    }
}

pub fn severity_label(severity: &str) -> &str {
    match severity {
        "low" => "Low",
        "medium" => "Medium",
        "high" => "High",
        "critical" => "Critical",
        other => other,
    }
}

pub fn region_label(region: &str) -> &str {
    match region {
        "uk" => "United Kingdom",
        "us" => "United States",
        "eu" => "European Union",
        "all" => "Everyone",
        other => other,
    }
}

/// Does guidance for `region` apply to an incident in `jurisdictions`?
fn region_matches(region: &str, jurisdictions: &[String]) -> bool {
    if region == "all" || jurisdictions.is_empty() {
        return true;
    }
    jurisdictions.iter().any(|j| match region {
        "us" => j == "us" || j.starts_with("us-") || j == "hipaa",
        r => j == r,
    })
}

fn intro(i: &Intro, r: Option<&Rendered>) -> IntroView {
    IntroView {
        title: i.title.clone(),
        description: i.description.clone(),
        content: r.map(|r| r.html.clone()).unwrap_or_default(),
    }
}

fn labelled(ids: &[String]) -> Vec<Labelled> {
    ids.iter()
        .map(|id| Labelled {
            id: id.clone(),
            label: content::data_type_label(id).to_string(),
        })
        .collect()
}

/// Which items are published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Visibility {
    pub now: Timestamp,
    /// `--drafts` (and the preview): drafts and scheduled updates are shown, marked.
    pub include_drafts: bool,
}

pub fn assemble(
    config: &Config,
    clock: &Clock,
    content: &Content,
    rendered: RenderedContent,
    vis: Visibility,
) -> Model {
    let view = |t: Timestamp| clock.view(t);
    let show = |draft: bool| vis.include_drafts || !draft;

    // Guidance first: incidents link to it.
    let mut guidance: Vec<GuidanceView> = content
        .guidance
        .iter()
        .zip(&rendered.guidance)
        .filter(|(g, _)| show(g.draft))
        .map(|(g, r)| GuidanceView {
            slug: g.slug.clone(),
            title: g.title.clone(),
            url: config.url(&format!("guidance/{}/", g.slug)),
            region: g.region.clone(),
            region_label: region_label(&g.region).to_string(),
            data_types: labelled(&g.data_types),
            source: g.source.clone(),
            last_verified: g.last_verified.map(|d| d.strftime("%-d %B %Y").to_string()),
            last_verified_iso: g.last_verified.map(|d| d.strftime("%Y-%m-%d").to_string()),
            summary: g
                .summary
                .clone()
                .unwrap_or_else(|| r.first_paragraph.clone()),
            weight: g.weight,
            content: r.html.clone(),
            draft: g.draft,
        })
        .collect();
    guidance.sort_by(|a, b| {
        (region_order(&a.region), a.weight, &a.title).cmp(&(
            region_order(&b.region),
            b.weight,
            &b.title,
        ))
    });

    let mut faq: Vec<FaqView> = content
        .faq
        .iter()
        .zip(&rendered.faq)
        .filter(|(f, _)| show(f.draft))
        .map(|(f, r)| FaqView {
            slug: f.slug.clone(),
            anchor: f.slug.clone(),
            url: format!("{}#{}", config.url("faq/"), f.slug),
            question: f.question.clone(),
            category: f.category.clone(),
            weight: f.weight,
            incident: f.incident.as_ref().map(|s| s.get_ref().clone()),
            updated: f.updated.map(view),
            content: r.html.clone(),
            draft: f.draft,
        })
        .collect();
    faq.sort_by(|a, b| (a.weight, &a.question, &a.slug).cmp(&(b.weight, &b.question, &b.slug)));

    // Categories in order of their lightest entry, then by name.
    let mut categories: Vec<FaqCategory> = Vec::new();
    let mut lightest: Vec<i64> = Vec::new();
    for entry in &faq {
        match categories.iter_mut().find(|c| c.name == entry.category) {
            Some(c) => c.entries.push(entry.clone()),
            None => {
                lightest.push(entry.weight);
                categories.push(FaqCategory {
                    name: entry.category.clone(),
                    anchor: format!("category-{}", crate::markdown::slugify(&entry.category)),
                    entries: vec![entry.clone()],
                })
            }
        }
    }
    let mut keyed: Vec<(i64, FaqCategory)> = lightest.into_iter().zip(categories).collect();
    keyed.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    let categories: Vec<FaqCategory> = keyed.into_iter().map(|(_, c)| c).collect();

    let mut incidents = Vec::new();
    let mut all_updates = Vec::new();
    // Each incident's updates, found once rather than by scanning every
    // update for every incident (which grew with the square of the site).
    let mut by_incident: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, u) in content.updates.iter().enumerate() {
        by_incident.entry(u.incident.as_str()).or_default().push(i);
    }
    // Incidents are assembled in parallel: each reads only its own updates.
    let assembled: Vec<(IncidentView, Vec<Arc<UpdateView>>)> = content
        .incidents
        .par_iter()
        .zip(&rendered.incidents)
        .filter(|(inc, _)| show(inc.draft))
        .map(|(inc, r)| {
            let base = format!("incidents/{}/", inc.slug);
            let mut updates: Vec<UpdateView> = by_incident
                .get(inc.slug.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|&i| (&content.updates[i], &rendered.updates[i]))
                .filter(|(u, _)| show(u.draft) && (vis.include_drafts || u.at <= vis.now))
                .map(|(u, ur)| {
                    let path = format!("{base}{}/", u.slug);
                    let updated = u.correction.as_ref().map_or(u.at, |c| c.at.max(u.at));
                    UpdateView {
                        slug: u.slug.clone(),
                        id: u
                            .id
                            .clone()
                            .unwrap_or_else(|| entry_id(config, &inc.slug, inc.discovered, u.at)),
                        incident_slug: inc.slug.clone(),
                        incident_title: inc.title.clone(),
                        title: u.title.clone(),
                        url: config.url(&path),
                        permalink: config.permalink(&path),
                        anchor: format!("update-{}", u.slug),
                        at: view(u.at),
                        status: u.status.clone(),
                        status_label: status_label(&u.status).to_string(),
                        next_update: u.next_update.map(view),
                        summary: u
                            .summary
                            .clone()
                            .unwrap_or_else(|| ur.first_paragraph.clone()),
                        content: ur.html.clone(),
                        correction: u.correction.as_ref().map(|c| CorrectionView {
                            at: view(c.at),
                            note: c.note.clone(),
                        }),
                        draft: u.draft,
                        scheduled: u.at > vis.now,
                        channels: u.channels.clone(),
                        extra: u.extra.clone(),
                        updated: view(updated),
                    }
                })
                .collect();
            // Newest first; the slug breaks ties so the order never depends on the file system.
            updates.sort_by(|a, b| {
                b.at.epoch
                    .cmp(&a.at.epoch)
                    .then_with(|| b.slug.cmp(&a.slug))
            });

            let (updates, other_updates): (Vec<Arc<UpdateView>>, Vec<Arc<UpdateView>>) = updates
                .into_iter()
                .map(Arc::new)
                .partition(|u| u.channels.is_empty() || u.channels.iter().any(|c| c == "web"));
            let latest = updates.iter().find(|u| !u.scheduled);
            let status = latest.map_or("investigating".to_string(), |u| u.status.clone());
            let last_updated = updates
                .iter()
                .filter(|u| !u.scheduled)
                .map(|u| u.updated.clone())
                .max_by_key(|t| t.epoch)
                .unwrap_or_else(|| view(inc.discovered));
            let is_open = status != "resolved";
            let resolved_at = if is_open {
                None
            } else {
                latest.map(|u| u.at.clone())
            };
            let next_update = if is_open {
                latest.and_then(|u| u.next_update.clone())
            } else {
                None
            };

            let mut timeline = vec![TimelinePoint {
                label: "Discovered".to_string(),
                status: "discovered".to_string(),
                at: view(inc.discovered),
            }];
            for u in updates.iter().rev().filter(|u| !u.scheduled) {
                if timeline.last().is_some_and(|p| p.status == u.status) {
                    continue;
                }
                timeline.push(TimelinePoint {
                    label: u.status_label.clone(),
                    status: u.status.clone(),
                    at: u.at.clone(),
                });
            }

            let matching_guidance: Vec<GuidanceView> = guidance
                .iter()
                .filter(|g| region_matches(&g.region, &inc.jurisdictions))
                .filter(|g| {
                    g.data_types.is_empty()
                        || g.data_types.iter().any(|d| inc.data_types.contains(&d.id))
                })
                .cloned()
                .collect();
            let incident_faq = faq
                .iter()
                .filter(|f| f.incident.as_deref() == Some(inc.slug.as_str()))
                .cloned()
                .collect();

            let web_updates = updates.clone();
            let view = IncidentView {
                slug: inc.slug.clone(),
                title: inc.title.clone(),
                url: config.url(&base),
                permalink: config.permalink(&base),
                discovered: view(inc.discovered),
                occurred_start: inc.occurred_start.map(view),
                occurred_end: inc.occurred_end.map(view),
                severity: inc.severity.clone(),
                severity_label: inc
                    .severity
                    .as_deref()
                    .map(|s| severity_label(s).to_string()),
                data_types: labelled(&inc.data_types),
                people_affected: inc.people_affected,
                people_affected_text: inc.people_affected.map(group_thousands),
                jurisdictions: inc.jurisdictions.clone(),
                summary: inc
                    .summary
                    .clone()
                    .unwrap_or_else(|| r.first_paragraph.clone()),
                draft: inc.draft,
                status_label: status_label(&status).to_string(),
                status,
                is_open,
                last_updated,
                next_update,
                is_recent: resolved_at
                    .as_ref()
                    .is_none_or(|t| vis.now.as_second() - t.epoch < 90 * 24 * 3600),
                resolved_at,
                content: r.html.clone(),
                headings: r.headings.clone(),
                updates,
                other_updates,
                timeline,
                guidance_groups: group_guidance(&matching_guidance),
                guidance: matching_guidance,
                faq: incident_faq,
                extra: inc.extra.clone(),
            };
            (view, web_updates)
        })
        .collect();
    for (incident, updates) in assembled {
        incidents.push(incident);
        all_updates.extend(updates);
    }
    // Open incidents first, then newest discovered.
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

    let mut pages: Vec<PageView> = content
        .pages
        .iter()
        .zip(&rendered.pages)
        .filter(|(p, _)| show(p.draft))
        .map(|(p, r)| PageView {
            slug: p.slug.clone(),
            title: p.title.clone(),
            url: config.url(&format!("{}/", p.slug)),
            description: p
                .description
                .clone()
                .unwrap_or_else(|| r.first_paragraph.clone()),
            weight: p.weight,
            content: r.html.clone(),
            draft: p.draft,
        })
        .collect();
    pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));

    Model {
        incidents,
        updates: all_updates,
        faq,
        faq_categories: categories,
        guidance_groups: group_guidance(&guidance),
        guidance,
        pages,
        home: intro(&content.home, rendered.home.as_ref()),
        faq_intro: intro(&content.faq_intro, rendered.faq_intro.as_ref()),
        guidance_intro: intro(&content.guidance_intro, rendered.guidance_intro.as_ref()),
        now: view(vis.now),
    }
}

/// `tag:status.example.org,2026-11-16:customer-database/2026-11-16T10:00:00Z`
/// (RFC 4151): the site's host, the day the incident was discovered, the
/// incident and the update's time. None of it changes with a title or a file name.
fn entry_id(config: &Config, incident: &str, discovered: Timestamp, at: Timestamp) -> String {
    let host = config.origin().split("://").nth(1).unwrap_or("localhost");
    let host = host.split(':').next().unwrap_or(host);
    format!(
        "tag:{host},{}:{incident}/{}",
        discovered.strftime("%Y-%m-%d"),
        crate::time::iso_utc(at)
    )
}

/// 1240 → "1,240"
fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn region_order(region: &str) -> usize {
    ["all", "uk", "us", "eu"]
        .iter()
        .position(|r| *r == region)
        .unwrap_or(9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(7), "7");
        assert_eq!(group_thousands(1240), "1,240");
        assert_eq!(group_thousands(1234567), "1,234,567");
    }

    #[test]
    fn regions_match_jurisdictions() {
        let j = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(region_matches("us", &j(&["uk", "us-ca"])));
        assert!(region_matches("uk", &j(&["uk"])));
        assert!(!region_matches("eu", &j(&["uk", "us-ca"])));
        assert!(region_matches("eu", &j(&[])));
        assert!(region_matches("all", &j(&["uk"])));
    }
}
