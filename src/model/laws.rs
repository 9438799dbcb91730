//! Every place a notice goes: `rules/jurisdictions/*.toml`, embedded in the
//! binary, one place a file (the field reference is the folder's README).
//! Each says what its law counts as personal information, who must be
//! told, by when and above how many residents, with its sources and the
//! date it was last checked.
//!
//! From the facts of an incident (where its people live, how many, what
//! was taken for them) [`places`] and [`trigger`] say which laws apply and
//! why not. `check` turns them into duties with deadlines; the report
//! drafts into the forms each regulator asks for.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::base::diagnostics::Diagnostic;
use crate::base::vocab::{DataType, Jurisdiction, Word};
use crate::embedded;
use crate::model::IncidentView;

/// One place's breach-notification law.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub id: String,
    pub name: String,
    pub country: String,
    pub law: String,
    pub sources: Vec<String>,
    pub last_checked: toml::value::Datetime,
    pub confidence: String,
    #[serde(default)]
    pub note: String,
    /// Only for these entities (Georgia: information brokers and agencies).
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub personal_information: PersonalInformation,
    pub individuals: Individuals,
    #[serde(default, rename = "regulator")]
    pub regulators: Vec<Regulator>,
    pub cras: Cras,
    #[serde(default)]
    pub history: Vec<History>,
    #[serde(default)]
    pub processor: Vec<Passed>,
    #[serde(default)]
    pub third_party: Vec<Passed>,
}

/// What the law counts as personal information (what triggers it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalInformation {
    /// Any personal data; the test is the risk, not the kind of data.
    #[serde(default)]
    pub any_personal_data: bool,
    /// Kinds that count with a person's name.
    #[serde(default)]
    pub with_name: Vec<DataType>,
    /// Combinations that count with a name.
    #[serde(default)]
    pub with_name_combos: Vec<Vec<DataType>>,
    /// Combinations that count without a name.
    #[serde(default)]
    pub alone: Vec<Vec<DataType>>,
    /// The kinds of `with_name` count without a name if they are enough
    /// to steal someone's identity.
    #[serde(default)]
    pub without_name_if_usable: bool,
    /// Card and account numbers count only with their security code.
    #[serde(default)]
    pub account_needs_code: Option<bool>,
    #[serde(default)]
    pub covers_paper: Option<bool>,
    pub elements: Vec<String>,
    pub encryption_exempt: bool,
    #[serde(default)]
    pub encryption_key_exception: Option<bool>,
    pub risk_of_harm: bool,
    #[serde(default)]
    pub risk_of_harm_note: Option<String>,
    #[serde(default)]
    pub other_exemptions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Individuals {
    pub deadline: String,
    /// Fixed maximum in calendar days; 0: none.
    pub days: i64,
    pub clock_starts: String,
    pub must_include: Vec<String>,
    #[serde(default)]
    pub must_include_if: Vec<String>,
    pub must_not_include: Vec<String>,
    #[serde(default)]
    pub format: Option<String>,
    pub methods: Vec<String>,
    #[serde(default)]
    pub substitute_notice: Option<String>,
    #[serde(default)]
    pub law_enforcement_delay: Option<String>,
    /// When the fixed deadline (`days`) took effect.
    pub since: toml::value::Datetime,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regulator {
    /// What `[[notified]] who` names it by.
    pub id: String,
    pub who: String,
    /// The duty is only for some (agencies, regulated firms) or only in
    /// some case (a decision not to notify): listed, never overdue.
    #[serde(default)]
    pub only: Option<String>,
    /// Residents affected at or above which the duty applies; 0: always.
    pub threshold: i64,
    pub deadline: String,
    pub days: i64,
    #[serde(default)]
    pub hours: Option<i64>,
    /// `discovery`, `determination` or `notice_to_individuals`.
    #[serde(default)]
    pub days_from: Option<String>,
    #[serde(default)]
    pub business_days: bool,
    #[serde(default)]
    pub content: Option<String>,
    pub how: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// When this duty began.
    pub since: toml::value::Datetime,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub confidence: Option<String>,
}

/// The consumer reporting agencies (credit bureaus).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cras {
    /// 0: no duty; otherwise residents at or above which it applies.
    pub threshold: i64,
    pub note: String,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub since: Option<toml::value::Datetime>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub date: toml::value::Datetime,
    pub change: String,
    pub source: String,
}

/// A duty passed along a chain (processor to controller, agent to owner).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passed {
    pub who: String,
    pub deadline: String,
    pub days: i64,
}

/// [`laws`], parsed once a process: the preview renders the desk files on
/// every rebuild. Empty if the embedded rules do not parse (`check` says
/// why, from [`laws`]).
pub fn parsed() -> &'static [Law] {
    static LAWS: std::sync::OnceLock<Vec<Law>> = std::sync::OnceLock::new();
    LAWS.get_or_init(|| laws().unwrap_or_default())
}

/// Every place's law, parsed. The files are ours and tested; a broken one
/// is still reported, not a panic.
pub fn laws() -> Result<Vec<Law>, Diagnostic> {
    embedded::RULE_FILES
        .iter()
        .filter(|(path, _)| path.starts_with("jurisdictions/") && path.ends_with(".toml"))
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            toml::from_str::<Law>(&text).map_err(|e| {
                Diagnostic::error(format!("rules/{path}"), format!("invalid rule file: {e}"))
            })
        })
        .collect()
}

/// A TOML date as a timestamp (its first moment, UTC).
pub fn date_of(d: &toml::value::Datetime) -> Option<Timestamp> {
    let date = d.date?;
    let day = jiff::civil::Date::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
    )
    .ok()?;
    jiff::tz::TimeZone::UTC
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .ok()
}

/// "2 December 2026"
pub fn date_words(d: &toml::value::Datetime) -> String {
    date_of(d).map_or_else(
        || d.to_string(),
        |t| {
            jiff::tz::TimeZone::UTC
                .to_datetime(t)
                .strftime("%-d %B %Y")
                .to_string()
        },
    )
}

/// How many of an incident's people live in a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Said, or counted in the recipients file.
    Known(i64),
    /// No more than this (an audience in several places that does not say
    /// how many live where; an incident in several places).
    AtMost(i64),
    Unknown,
}

impl Count {
    fn add(self, other: Count) -> Count {
        match (self, other) {
            (Count::Known(a), Count::Known(b)) => Count::Known(a.saturating_add(b)),
            (Count::Known(a) | Count::AtMost(a), Count::Known(b) | Count::AtMost(b)) => {
                Count::AtMost(a.saturating_add(b))
            }
            _ => Count::Unknown,
        }
    }

    pub fn number(self) -> Option<i64> {
        match self {
            Count::Known(n) | Count::AtMost(n) => Some(n),
            Count::Unknown => None,
        }
    }

    pub fn words(self) -> String {
        let n = |n: i64| crate::base::text::group_thousands(n);
        match self {
            Count::Known(1) => "1 person".into(),
            Count::Known(k) => format!("{} people", n(k)),
            Count::AtMost(k) => format!("at most {} people", n(k)),
            Count::Unknown => "how many people is not said".into(),
        }
    }
}

/// The people of one place, across an incident's audiences, and what was
/// taken for them.
#[derive(Debug, Clone)]
pub struct Place {
    pub place: Jurisdiction,
    pub people: Count,
    pub data: BTreeSet<DataType>,
}

/// Where an incident's people live: from the recipients file's count by
/// place when there is one, else from its audiences (`residents`, or an
/// audience's people when it names one place), else from the incident.
pub fn places(inc: &IncidentView, mailed: Option<&BTreeMap<String, usize>>) -> Vec<Place> {
    let mut out: BTreeMap<Jurisdiction, Place> = BTreeMap::new();
    fn add(
        out: &mut BTreeMap<Jurisdiction, Place>,
        j: Jurisdiction,
        people: Count,
        data: &[DataType],
    ) {
        let p = out.entry(j).or_insert(Place {
            place: j,
            people: Count::Known(0),
            data: BTreeSet::new(),
        });
        p.people = p.people.add(people);
        p.data.extend(data.iter().copied());
    }
    if inc.audiences.is_empty() {
        let data: Vec<DataType> = inc.data_types.iter().map(|d| d.id).collect();
        let real: Vec<Jurisdiction> = inc
            .jurisdictions
            .iter()
            .copied()
            .filter(|j| *j != Jurisdiction::Hipaa)
            .collect();
        for j in &real {
            let people = match inc.people_affected {
                Some(n) if real.len() == 1 => Count::Known(n),
                Some(n) => Count::AtMost(n),
                None => Count::Unknown,
            };
            add(&mut out, *j, people, &data);
        }
    } else {
        for a in &inc.audiences {
            let data: Vec<DataType> = a.data_types.iter().map(|d| d.id).collect();
            let mut here: Vec<Jurisdiction> = a.jurisdictions.clone();
            here.extend(a.residents.iter().map(|r| r.jurisdiction));
            here.retain(|j| *j != Jurisdiction::Hipaa);
            here.sort();
            here.dedup();
            for j in &here {
                let people = match a.residents.iter().find(|r| r.jurisdiction == *j) {
                    Some(r) => Count::Known(r.people),
                    None => match a.people {
                        Some(n) if here.len() == 1 => Count::Known(n),
                        Some(n) => Count::AtMost(n),
                        None => Count::Unknown,
                    },
                };
                add(&mut out, *j, people, &data);
            }
        }
    }
    // The recipients file counted each person where they live.
    if let Some(m) = mailed {
        for p in out.values_mut() {
            let n = m.get(p.place.id()).copied().unwrap_or(0);
            p.people = Count::Known(i64::try_from(n).unwrap_or(i64::MAX));
        }
        for (place, n) in m {
            if let Some(j) = Jurisdiction::from_id(place)
                && !out.contains_key(&j)
                && j != Jurisdiction::Hipaa
            {
                let data: Vec<DataType> = inc.data_types.iter().map(|d| d.id).collect();
                add(
                    &mut out,
                    j,
                    Count::Known(i64::try_from(*n).unwrap_or(i64::MAX)),
                    &data,
                );
            }
        }
    }
    out.into_values().collect()
}

/// Is the law triggered by what was taken?
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The data involved is personal information under this law.
    Triggered,
    /// It applies unless the organisation judges the risk low (GDPR,
    /// PIPEDA, the Privacy Acts): candor cannot judge that.
    IfRisk,
    /// It turns on a fact candor was not told (a card's security code).
    Depends,
    NotTriggered,
}

impl Status {
    pub fn words(&self) -> &'static str {
        match self {
            Status::Triggered => "triggered",
            Status::IfRisk => "applies unless the risk is low",
            Status::Depends => "may be triggered",
            Status::NotTriggered => "not triggered",
        }
    }
}

/// "US Social Security numbers", "government ID numbers (passport, …)":
/// a label inside a sentence.
pub fn lower_label(d: DataType) -> String {
    let label = d.label();
    let first = label.split_whitespace().next().unwrap_or_default();
    if first.len() > 1 && first.chars().all(|c| c.is_ascii_uppercase()) {
        return label.to_string();
    }
    let mut chars = label.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// Which law a place's people fall under, and why.
pub fn trigger(law: &Law, data: &BTreeSet<DataType>) -> (Status, String) {
    let pi = &law.personal_information;
    if data.is_empty() {
        return (
            Status::Depends,
            "the incident does not say what data was involved (data_types)".into(),
        );
    }
    if pi.any_personal_data {
        let why = pi
            .risk_of_harm_note
            .clone()
            .unwrap_or_else(|| "any personal data counts; the test is the risk to people".into());
        return (Status::IfRisk, why);
    }
    let lower = |d: &DataType| lower_label(*d);
    let has = |d: &DataType| data.contains(d);
    let name = has(&DataType::Name);
    let needs_code = |d: &DataType| {
        pi.account_needs_code == Some(true)
            && matches!(d, DataType::CardNumber | DataType::BankAccount)
            && !has(&DataType::Password)
    };
    let mut hits = Vec::new();
    let mut maybe = Vec::new();
    for d in pi.with_name.iter().filter(|d| has(d)) {
        if name && needs_code(d) {
            maybe.push(format!(
                "{} count only with their security code, PIN or password: if those were taken too, this law applies",
                lower(d)
            ));
        } else if name {
            hits.push(format!("names with {}", lower(d)));
        } else if pi.without_name_if_usable {
            maybe.push(format!(
                "{} count without a name if they are enough to steal someone's identity",
                lower(d)
            ));
        }
    }
    for combo in &pi.with_name_combos {
        if name && combo.iter().all(has) {
            let parts: Vec<String> = combo.iter().map(lower).collect();
            hits.push(format!("names with {}", parts.join(" and ")));
        }
    }
    for combo in &pi.alone {
        if combo.iter().all(has) {
            let parts: Vec<String> = combo.iter().map(lower).collect();
            hits.push(parts.join(" with "));
        }
    }
    if !hits.is_empty() {
        hits.dedup();
        return (Status::Triggered, hits.join("; "));
    }
    if !maybe.is_empty() {
        return (Status::Depends, maybe.join("; "));
    }
    let involved: Vec<String> = data.iter().map(lower).collect();
    (
        Status::NotTriggered,
        format!(
            "{} do not count as personal information under the law of {}; what counts: {}",
            involved.join(", "),
            law.name,
            law.personal_information.elements.join("; ")
        ),
    )
}
