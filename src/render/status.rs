//! `/status.json`: the site's state for machines, such as a banner on the
//! organisation's main website. Written by serde from typed structs, never
//! by a text template; its shape is `schemas/status.schema.json`.

use serde::Serialize;

use crate::base::vocab::{self, DataType, Severity};
use crate::load::config::Config;
use std::collections::BTreeMap;

use crate::model::{CorrectionView, IncidentView, Model, TranslatedStatus};
use crate::record::diff::Piece;

/// Bumped on any change that could break a reader of the file.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Status<'a> {
    pub version: u32,
    pub generated_at: &'a str,
    pub site: SiteInfo<'a>,
    /// `open` while any incident is open, `resolved` when every incident is
    /// resolved, `none` when there has been no incident.
    pub overall: &'static str,
    /// The status of the most recently updated open incident, if any.
    pub current_status: Option<vocab::Status>,
    pub incidents: Vec<IncidentStatus<'a>>,
}

#[derive(Debug, Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub url: String,
    pub organisation: &'a str,
    /// The published record: every version of what the site said.
    pub record: String,
}

#[derive(Debug, Serialize)]
pub struct IncidentStatus<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub status: vocab::Status,
    pub open: bool,
    pub severity: Option<Severity>,
    pub summary: &'a str,
    pub discovered: &'a str,
    pub last_updated: &'a str,
    pub next_update: Option<&'a str>,
    pub resolved_at: Option<&'a str>,
    pub url: &'a str,
    pub feed: String,
    pub data_types: Vec<DataType>,
    pub updates: Vec<UpdateStatus<'a>>,
    /// Corrections to the notice, newest first.
    pub corrections: Vec<CorrectionStatus<'a>>,
    /// Updates taken down, newest first.
    pub withdrawn: Vec<WithdrawnStatus<'a>>,
    /// The groups of people affected, each with its own notice (absent
    /// when there is one notice for everyone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<AudienceStatus<'a>>,
    /// In each of the site's other languages.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<&'a str, &'a TranslatedStatus>,
}

#[derive(Debug, Serialize)]
pub struct AudienceStatus<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub people: Option<i64>,
    pub data_types: Vec<DataType>,
}

#[derive(Debug, Serialize)]
pub struct CorrectionStatus<'a> {
    pub at: &'a str,
    pub note: &'a str,
    pub changes: Vec<ChangeStatus>,
}

/// One change: the words around it as they were and as they are, and the
/// words taken out and put in.
#[derive(Debug, Serialize)]
pub struct ChangeStatus {
    pub before: String,
    pub after: String,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct WithdrawnStatus<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub at: &'a str,
    pub note: &'a str,
    pub url: &'a str,
}

fn corrections(list: &[CorrectionView]) -> Vec<CorrectionStatus<'_>> {
    let text = |pieces: &[Piece]| pieces.iter().map(|p| p.text.as_str()).collect::<String>();
    let changed = |pieces: &[Piece]| {
        pieces
            .iter()
            .filter(|p| p.changed)
            .map(|p| p.text.clone())
            .collect()
    };
    list.iter()
        .map(|c| CorrectionStatus {
            at: &c.at.iso,
            note: &c.note,
            changes: c
                .changes
                .iter()
                .map(|h| ChangeStatus {
                    before: text(&h.before),
                    after: text(&h.after),
                    removed: changed(&h.before),
                    added: changed(&h.after),
                })
                .collect(),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct UpdateStatus<'a> {
    pub id: &'a str,
    pub at: &'a str,
    pub status: vocab::Status,
    pub title: &'a str,
    pub url: &'a str,
    pub corrected_at: Option<&'a str>,
    /// Every correction, newest first.
    pub corrections: Vec<CorrectionStatus<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<&'a str, &'a TranslatedStatus>,
}

fn incident<'a>(config: &Config, model: &'a Model, i: &'a IncidentView) -> IncidentStatus<'a> {
    IncidentStatus {
        translations: model
            .translations
            .iter()
            .filter_map(|l| l.incidents.get(&i.slug).map(|s| (l.lang.as_str(), s)))
            .collect(),
        slug: &i.slug,
        title: &i.title,
        status: i.status,
        open: i.is_open,
        severity: i.severity,
        summary: &i.summary,
        discovered: &i.discovered.iso,
        last_updated: &i.last_updated.iso,
        next_update: i.next_update.as_ref().map(|t| t.iso.as_str()),
        resolved_at: i.resolved_at.as_ref().map(|t| t.iso.as_str()),
        url: &i.permalink,
        feed: config.permalink(&format!("incidents/{}/feed.xml", i.slug)),
        data_types: i.data_types.iter().map(|d| d.id).collect(),
        updates: i
            .updates
            .iter()
            .filter(|u| !u.draft && !u.scheduled)
            .map(|u| UpdateStatus {
                id: &u.id,
                at: &u.at.iso,
                status: u.status,
                title: &u.title,
                url: &u.permalink,
                corrected_at: u.correction.as_ref().map(|c| c.at.iso.as_str()),
                corrections: corrections(&u.corrections),
                translations: model
                    .translations
                    .iter()
                    .filter_map(|l| {
                        let key = format!("{}/{}", i.slug, u.slug);
                        l.updates.get(&key).map(|s| (l.lang.as_str(), s))
                    })
                    .collect(),
            })
            .collect(),
        corrections: corrections(&i.corrections),
        audiences: i
            .audiences
            .iter()
            .map(|a| AudienceStatus {
                id: &a.id,
                name: &a.name,
                url: &a.permalink,
                people: a.people,
                data_types: a.data_types.iter().map(|d| d.id).collect(),
            })
            .collect(),
        withdrawn: i
            .withdrawn
            .iter()
            .map(|w| WithdrawnStatus {
                slug: &w.slug,
                title: &w.title,
                at: &w.at.iso,
                note: &w.note,
                url: &w.permalink,
            })
            .collect(),
    }
}

pub fn status_json(config: &Config, model: &Model) -> Vec<u8> {
    let incidents: Vec<IncidentStatus> = model
        .incidents
        .iter()
        .filter(|i| !i.draft)
        .map(|i| incident(config, model, i))
        .collect();
    let current = model
        .incidents
        .iter()
        .filter(|i| i.is_open && !i.draft)
        .max_by_key(|i| i.last_updated.epoch)
        .map(|i| i.status);
    let overall = if current.is_some() {
        "open"
    } else if incidents.is_empty() {
        "none"
    } else {
        "resolved"
    };
    let status = Status {
        version: VERSION,
        generated_at: &model.now.iso,
        site: SiteInfo {
            title: &config.title,
            url: config.permalink(""),
            organisation: &config.organisation.name,
            record: config.permalink(crate::record::chain::FILE),
        },
        overall,
        current_status: current,
        incidents,
    };
    let mut out = serde_json::to_vec_pretty(&status).unwrap_or_default();
    out.push(b'\n');
    out
}
