//! The content model: what `content/` holds, as loaded.
//!
//! ```text
//! content/_index.md                        home page introduction (optional)
//! content/incidents/<slug>/_index.md       an incident and its notice
//! content/incidents/<slug>/<update>.md     its updates, one file each
//! content/faq/<slug>.md                    FAQ entries (faq/_index.md: intro)
//! content/guidance/<slug>.md               guidance (guidance/_index.md: intro)
//! content/pages/<slug>.md                  any other page
//! ```
//!
//! Files are found and read by [`super::walk`], each parsed by its kind's
//! reader in [`super::items`].

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;
use toml::Spanned;

use crate::base::vocab::{Channel, DataType, Jurisdiction, Region, Severity, Status};

/// A Markdown body and where it starts in its file.
#[derive(Debug, Clone)]
pub struct Body {
    pub file: String,
    /// Shared: the preview keeps parsed files between rebuilds.
    pub text: std::sync::Arc<str>,
    /// Line number (1-based) of the body's first line in the file.
    pub first_line: usize,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub slug: String,
    pub title: String,
    pub discovered: Timestamp,
    pub occurred_start: Option<Timestamp>,
    pub occurred_end: Option<Timestamp>,
    pub severity: Option<Severity>,
    pub data_types: Vec<DataType>,
    pub people_affected: Option<i64>,
    pub jurisdictions: Vec<Jurisdiction>,
    pub summary: Option<String>,
    pub draft: bool,
    /// `[[notified]]`: who was told, and when (closes a deadline in `check`).
    pub notified: Vec<Notified>,
    /// Corrections to the notice (`[[correction]]`): its facts and words.
    pub corrections: Vec<Correction>,
    /// Updates taken down, each with a visible notice (`[[withdrawn]]`).
    pub withdrawn: Vec<Withdrawn>,
    /// `[[audience]]`: groups of the people affected, each with its own
    /// notice. Empty: one notice for everyone.
    pub audiences: Vec<Audience>,
    /// `[report]`: facts a regulator asks for that the notice does not
    /// give (how it was found, the number of records, …).
    pub report: Box<ReportFacts>,
    /// `[desk]`: for the people who answer the phone.
    pub desk: Box<DeskFacts>,
    pub extra: serde_json::Value,
    /// What every reader reads: the notice without the parts marked
    /// `::: for <audience>`.
    pub body: Body,
}

/// `[report]` in an incident's front matter: what the regulator's form
/// asks that readers are not told. Every field is optional; the report
/// drafts list each one missing with the line to add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ReportFacts {
    /// How the organisation found out.
    pub how_discovered: Option<String>,
    /// The approximate number of records involved.
    pub records: Option<i64>,
    /// The likely consequences for the people affected.
    pub consequences: Option<String>,
    /// Who the regulator should contact: the DPO or another contact point.
    pub contact: Option<String>,
    /// Who else was told: the police (with a reference), the NCSC, a bank.
    pub others_told: Option<String>,
    /// Why a report was late, if it was.
    pub late_because: Option<String>,
    /// Decisions for the breach log: "not reported to the ICO, because …".
    pub decisions: Vec<String>,
}

/// `[desk]`: what the front desk needs beyond the notice and the FAQ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DeskFacts {
    /// When to pass a call on, and to whom.
    pub escalate: Option<String>,
    /// What staff must not say, beyond the standing list.
    pub dont_say: Vec<String>,
}

/// `[[audience]]` in an incident's `_index.md`: people who were affected
/// in the same way and read the same notice. Audiences do not overlap:
/// each person affected is in one of them.
#[derive(Debug, Clone)]
pub struct Audience {
    /// Lower-case letters, digits and dashes: `us-ssn`.
    pub id: String,
    /// What readers see: "Customers in the US whose Social Security number was involved".
    pub name: String,
    /// The data involved for these people (the incident's, if not given).
    pub data_types: Vec<DataType>,
    pub people: Option<i64>,
    /// Where they live (the incident's, if not given): which laws apply.
    pub jurisdictions: Vec<Jurisdiction>,
    /// People in each place, where an audience lives in more than one.
    pub residents: Vec<(Jurisdiction, i64)>,
    pub offer: Option<Offer>,
    /// The notice as these people read it: everyone's parts and their own.
    pub body: Body,
    /// 1-based line of the `[[audience]]` table.
    pub line: usize,
}

/// `[audience.offer]`: what the organisation offers these people, such as
/// credit monitoring, and how to take it up.
#[derive(Debug, Clone)]
pub struct Offer {
    pub what: String,
    pub how: String,
    /// The name of each person's code, shown as a mail-merge field
    /// («Enrolment code») in letters and emails.
    pub code: Option<String>,
    pub deadline: Option<Timestamp>,
}

/// `[[withdrawn]]`: a published update (in an incident's `_index.md`) or
/// FAQ answer (in `faq/_index.md`) taken down, and why.
#[derive(Debug, Clone)]
pub struct Withdrawn {
    /// The update's or the FAQ entry's file name, without `.md`.
    pub slug: String,
    pub at: Timestamp,
    pub note: String,
    pub file: String,
    /// 1-based line of the table.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Notified {
    pub who: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Correction {
    pub at: Timestamp,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Update {
    pub incident: String,
    pub slug: String,
    /// A fixed feed id, for when `at` itself had to be corrected.
    pub id: Option<String>,
    pub title: String,
    pub at: Timestamp,
    pub status: Status,
    /// The status in the author's words, where its label would say more
    /// than is known ("Identified" when the cause is not).
    pub status_label: Option<String>,
    pub next_update: Option<Timestamp>,
    pub summary: Option<String>,
    pub draft: bool,
    /// Oldest first, as written: `[correction]` once or `[[correction]]`.
    pub corrections: Vec<Correction>,
    /// Where this update goes: web, email, social (empty: everywhere).
    pub channels: Vec<Channel>,
    pub extra: serde_json::Value,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Faq {
    pub slug: String,
    pub question: String,
    pub category: String,
    pub weight: i64,
    pub incident: Option<Spanned<String>>,
    pub updated: Option<Timestamp>,
    pub draft: bool,
    pub corrections: Vec<Correction>,
    /// Audiences of its incident this answer is for (empty: everyone).
    pub audiences: Vec<Spanned<String>>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Guidance {
    pub slug: String,
    pub title: String,
    pub region: Region,
    pub data_types: Vec<DataType>,
    pub source: Vec<String>,
    pub last_verified: Option<jiff::civil::Date>,
    pub summary: Option<String>,
    pub weight: i64,
    /// Audiences (of any incident) this guidance is for (empty: everyone
    /// its region and data types fit).
    pub audiences: Vec<Spanned<String>>,
    pub draft: bool,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub body: Body,
}

/// An optional introduction: the home page, or the FAQ and guidance indexes.
#[derive(Debug, Clone, Default)]
pub struct Intro {
    pub title: Option<String>,
    pub description: Option<String>,
    pub body: Option<Body>,
    /// `faq/_index.md` only: FAQ answers taken down.
    pub withdrawn: Vec<Withdrawn>,
}

/// A file under `content/` that is not Markdown: copied beside the pages.
#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    pub source: PathBuf,
    /// Output path relative to the site root, `/`-separated.
    pub dest: String,
}

/// A content file's words in another language (`<name>.<language>.md`
/// beside it): the same item, with the same time, status and facts.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The language tag, as in the file's name (`cy`).
    pub lang: String,
    /// What it translates.
    pub of: Kind,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// An FAQ entry's question and topic.
    pub question: Option<String>,
    pub category: Option<String>,
    pub status_label: Option<String>,
    /// The translation's own corrections, in its language.
    pub corrections: Vec<Correction>,
    pub body: Body,
}

#[derive(Debug, Default)]
pub struct Content {
    pub home: Intro,
    pub faq_intro: Intro,
    pub guidance_intro: Intro,
    /// Shared: the preview keeps parsed files between rebuilds.
    pub incidents: Vec<Arc<Incident>>,
    /// Shared: the preview keeps parsed files between rebuilds.
    pub updates: Vec<Arc<Update>>,
    pub faq: Vec<Arc<Faq>>,
    pub guidance: Vec<Guidance>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// The site has "Am I affected?" answers (`static/affected/`, written
    /// by `candor notices --recipients`).
    pub lookup: bool,
    /// Every translation, in every language.
    pub translations: Vec<Translation>,
}

#[derive(Clone)]
pub(crate) enum Item {
    Home(Intro),
    FaqIntro(Intro),
    GuidanceIntro(Intro),
    Incident(Arc<Incident>),
    Update(Arc<Update>),
    Faq(Arc<Faq>),
    Guidance(Guidance),
    Page(Page),
    Translation(Translation),
}

/// What a path under `content/` is, from where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    Home,
    FaqIntro,
    GuidanceIntro,
    Incident(String),
    Update(String, String),
    Faq(String),
    Guidance(String),
    Page(String),
    /// `<name>.<language>.md`: the file `<name>.md`'s words in a language.
    Translation(String, Box<Kind>),
}
