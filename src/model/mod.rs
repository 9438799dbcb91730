//! The model: everything the site says, as views that templates, feeds and
//! channels read, assembled from loaded content and rendered Markdown by
//! [`assemble`].

use std::sync::Arc;

use serde::Serialize;

use crate::base::time::Time;
use crate::base::vocab::{Channel, DataType, Jurisdiction, Region, Severity, Status};
use crate::markdown::{Heading, Html, Rendered};
use crate::record::diff::Hunk;

mod assemble;
pub mod laws;

pub use assemble::{Translations, Views, Visibility, assemble, assemble_in};

#[derive(Debug, Clone, Serialize, Hash)]
pub struct Labelled {
    pub id: DataType,
    /// In the reader's language.
    pub label: String,
}

/// On a page in one of the site's other languages: what it shows is the
/// original (no translation yet), or a translation older than the original.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct TranslationNote {
    pub missing: bool,
    pub outdated: bool,
    /// What the page says of it, in the reader's language.
    pub text: String,
    /// The link to the original, in the reader's language.
    pub link: String,
    pub original_url: String,
    /// The original's language (for `lang` and `hreflang`).
    pub original_lang: String,
}

/// A view's translation note: none on the site's own language.
pub type Translated = Option<Arc<TranslationNote>>;

#[derive(Debug, Clone, Serialize, Hash)]
pub struct CorrectionView {
    pub at: Time,
    pub note: String,
    /// What was said before and what is said now, change by change, from
    /// the published record (empty when the words did not change, or
    /// changed before the record began).
    pub changes: Vec<Hunk>,
}

/// An entry of an incident's "changes to what we said".
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ChangeView {
    /// `correction` or `withdrawal`.
    pub kind: &'static str,
    pub at: Time,
    /// What was changed: "the notice", an update's title.
    pub subject: String,
    /// Where the change is shown.
    pub url: String,
    pub note: String,
}

/// A published update taken down, with its notice.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct WithdrawnView {
    pub slug: String,
    pub title: String,
    /// Its old address, where the withdrawal notice now stands.
    pub url: String,
    pub permalink: String,
    pub anchor: String,
    /// When it was first published, as the record says.
    pub published: Option<Time>,
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
    pub status: Status,
    /// The status in the author's words (`status_label`), else the
    /// status's own label.
    pub status_label: String,
    pub next_update: Option<Time>,
    /// The author's summary, or the first paragraph.
    pub summary: String,
    pub content: Html,
    /// The newest correction (themes written for one correction read this).
    pub correction: Option<CorrectionView>,
    /// Every correction, newest first.
    pub corrections: Vec<CorrectionView>,
    pub draft: bool,
    pub scheduled: bool,
    /// The newest published update on the web: an older one's page says
    /// there is newer news, and only this one shows "Next update by".
    pub latest: bool,
    /// Where it goes: web, email, social (empty: everywhere).
    pub channels: Vec<Channel>,
    pub extra: serde_json::Value,
    /// Newest time this update was changed: its newest correction's, else `at`.
    pub updated: Time,
    /// In another language than the site's: whether this is translated.
    pub translation: Translated,
}

/// `[[audience]]`: people affected in the same way, who read their own
/// notice.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct AudienceView {
    pub id: String,
    pub name: String,
    /// Root-relative URL of its notice page.
    pub url: String,
    pub permalink: String,
    pub people: Option<i64>,
    /// "1,203"
    pub people_text: Option<String>,
    pub data_types: Vec<Labelled>,
    pub jurisdictions: Vec<Jurisdiction>,
    /// People in each place, where the author said.
    pub residents: Vec<Residents>,
    pub offer: Option<OfferView>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct Residents {
    pub jurisdiction: Jurisdiction,
    pub label: String,
    pub people: i64,
}

/// What an organisation offers an audience (credit monitoring, say).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct OfferView {
    pub what: String,
    pub how: String,
    /// The name of each person's code ("Enrolment code"), shown as a
    /// mail-merge field.
    pub code: Option<String>,
    pub deadline: Option<Time>,
}

/// A kind of data involved, and for how many of the people affected:
/// "Social Security numbers: 37 of 1,252 people".
#[derive(Debug, Clone, Serialize, Hash)]
pub struct InvolvedView {
    pub id: DataType,
    pub label: String,
    /// Involved for everyone affected.
    pub everyone: bool,
    /// How many people, when every audience that has it says.
    pub people: Option<i64>,
    pub people_text: Option<String>,
    /// The audiences it was involved for.
    pub audiences: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct TimelinePoint {
    pub label: String,
    /// A status's id, or `discovered`.
    pub status: &'static str,
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
    pub severity: Option<Severity>,
    pub severity_label: Option<&'static str>,
    pub data_types: Vec<Labelled>,
    pub people_affected: Option<i64>,
    /// "1,240"
    pub people_affected_text: Option<String>,
    pub jurisdictions: Vec<Jurisdiction>,
    pub summary: String,
    pub draft: bool,
    pub status: Status,
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
    /// Shared with the model's list: an incident's guidance is not copied.
    pub guidance: Vec<Arc<GuidanceView>>,
    pub guidance_groups: Vec<GuidanceGroup>,
    pub faq: Vec<FaqView>,
    /// Corrections to the notice, newest first.
    pub corrections: Vec<CorrectionView>,
    /// Updates taken down, newest withdrawal first.
    pub withdrawn: Vec<WithdrawnView>,
    /// "Changes to what we said": every correction and withdrawal of the
    /// notice, its updates and its FAQ answers, newest first.
    pub changes: Vec<ChangeView>,
    /// Its audiences (empty: one notice for everyone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<AudienceView>,
    /// With audiences: each kind of data involved, and for whom.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub involved: Vec<InvolvedView>,
    /// In an audience's notice: the audience. Its `content`, data types,
    /// people, jurisdictions, guidance and FAQ are then the audience's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<AudienceView>,
    /// The incident as each audience reads it, in `audiences` order.
    #[serde(skip)]
    pub for_audiences: Vec<IncidentView>,
    pub extra: serde_json::Value,
    /// In another language than the site's: whether this is translated.
    pub translation: Translated,
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
    /// Corrections to the answer, newest first.
    pub corrections: Vec<CorrectionView>,
    /// The audiences it is for (empty: everyone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    pub draft: bool,
    /// In another language than the site's: whether this is translated.
    pub translation: Translated,
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
    pub region: Region,
    pub region_label: String,
    pub data_types: Vec<Labelled>,
    pub source: Vec<String>,
    pub last_verified: Option<String>,
    /// `last_verified` as an RFC 3339 date, for the sitemap.
    pub last_verified_iso: Option<String>,
    pub summary: String,
    pub weight: i64,
    pub content: Html,
    /// The audiences it is for (empty: everyone its region and data fit).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    pub draft: bool,
    /// In another language than the site's: whether this is translated.
    pub translation: Translated,
}

/// Guidance for one region, in display order.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct GuidanceGroup {
    pub region: Region,
    /// "Everyone", "If you live in the United Kingdom"
    pub heading: String,
    pub entries: Vec<Arc<GuidanceView>>,
}

/// Group guidance (already sorted by region) by region, keeping the order.
pub fn group_guidance(
    list: &[Arc<GuidanceView>],
    words: &crate::base::i18n::Strings,
) -> Vec<GuidanceGroup> {
    let mut groups: Vec<GuidanceGroup> = Vec::new();
    for g in list {
        match groups.last_mut() {
            Some(last) if last.region == g.region => last.entries.push(Arc::clone(g)),
            _ => groups.push(GuidanceGroup {
                region: g.region,
                heading: if g.region == Region::All {
                    words.get("region.for_everyone").to_string()
                } else {
                    words.fill("region.if_you_live", &[("region", &g.region_label)])
                },
                entries: vec![Arc::clone(g)],
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
    /// In another language than the site's: whether this is translated.
    pub translation: Translated,
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
    pub guidance: Vec<Arc<GuidanceView>>,
    pub guidance_groups: Vec<GuidanceGroup>,
    pub pages: Vec<PageView>,
    pub home: IntroView,
    pub faq_intro: IntroView,
    pub guidance_intro: IntroView,
    /// FAQ answers taken down, newest withdrawal first.
    pub faq_withdrawn: Vec<WithdrawnView>,
    pub now: Time,
    /// The site has an "Am I affected?" page.
    #[serde(skip)]
    pub lookup: bool,
    /// What each of the site's other languages says of each incident and
    /// update (for status.json).
    #[serde(skip)]
    pub translations: Vec<LanguageSummary>,
}

/// One of the site's other languages, as status.json gives it.
#[derive(Debug, Clone, Default, Hash)]
pub struct LanguageSummary {
    pub lang: String,
    /// By incident slug.
    pub incidents: std::collections::BTreeMap<String, TranslatedStatus>,
    /// By `<incident>/<update>`.
    pub updates: std::collections::BTreeMap<String, TranslatedStatus>,
}

/// An incident or update in another language.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct TranslatedStatus {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub url: String,
    /// False when there is no translation: the page shows the original.
    pub translated: bool,
    /// The original's words changed after the translation's.
    pub outdated: bool,
}

impl LanguageSummary {
    pub fn of(lang: &str, model: &Model) -> LanguageSummary {
        let status =
            |title: &str, summary: Option<&str>, url: &str, t: &Translated| TranslatedStatus {
                title: title.to_string(),
                summary: summary.map(str::to_string),
                url: url.to_string(),
                translated: !t.as_ref().is_some_and(|n| n.missing),
                outdated: t.as_ref().is_some_and(|n| n.outdated),
            };
        LanguageSummary {
            lang: lang.to_string(),
            incidents: model
                .incidents
                .iter()
                .map(|i| {
                    (
                        i.slug.clone(),
                        status(&i.title, Some(&i.summary), &i.permalink, &i.translation),
                    )
                })
                .collect(),
            updates: model
                .updates
                .iter()
                .map(|u| {
                    (
                        format!("{}/{}", u.incident_slug, u.slug),
                        status(&u.title, Some(&u.summary), &u.permalink, &u.translation),
                    )
                })
                .collect(),
        }
    }
}

/// Rendered Markdown for each item, in the order of `Content`'s vectors.
pub struct RenderedContent {
    pub home: Option<Arc<Rendered>>,
    pub faq_intro: Option<Arc<Rendered>>,
    pub guidance_intro: Option<Arc<Rendered>>,
    pub incidents: Vec<Arc<Rendered>>,
    /// Each incident's audiences' notices, in order.
    pub audiences: Vec<Arc<Rendered>>,
    pub updates: Vec<Arc<Rendered>>,
    pub faq: Vec<Arc<Rendered>>,
    pub guidance: Vec<Arc<Rendered>>,
    pub pages: Vec<Arc<Rendered>>,
}

impl RenderedContent {
    pub fn has_code(&self) -> bool {
        [&self.home, &self.faq_intro, &self.guidance_intro]
            .into_iter()
            .flatten()
            .chain(&self.incidents)
            .chain(&self.audiences)
            .chain(&self.updates)
            .chain(&self.faq)
            .chain(&self.guidance)
            .chain(&self.pages)
            .any(|r| r.has_code)
    }
}
