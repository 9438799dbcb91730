//! Every place a notice goes: `rules/jurisdictions/*.toml`, embedded in the
//! binary, one place a file (the field reference is the folder's README).
//! Each says what its law counts as personal information, who must be
//! told, by when and above how many residents, with its sources and the
//! date it was last checked.
//!
//! From the facts of an incident (where its people live, how many, what
//! was taken for them) [`obligations`] says which laws are triggered and
//! why not, and lists each duty (the people affected, each regulator, the
//! credit bureaus) with its deadline, closed by `[[notified]]`. A duty is
//! judged by the law in force when the breach was discovered: a rule's
//! `since` after that date does not apply, and the earlier law is named.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use super::deadlines::{DeadlineRow, span_words};
use crate::base::diagnostics::Diagnostic;
use crate::base::time::Clock;
use crate::base::vocab::{DataType, Jurisdiction, Word};
use crate::embedded;
use crate::load::content::Notified;
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
pub(crate) fn date_of(d: &toml::value::Datetime) -> Option<Timestamp> {
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
fn date_words(d: &toml::value::Datetime) -> String {
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

    fn number(self) -> Option<i64> {
        match self {
            Count::Known(n) | Count::AtMost(n) => Some(n),
            Count::Unknown => None,
        }
    }

    fn words(self) -> String {
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
fn lower_label(d: DataType) -> String {
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

/// One place's law, judged for one incident.
#[derive(Debug, Clone, Serialize)]
pub struct LawRow {
    pub incident: String,
    /// The place's id (`us-tx`) and name.
    pub place: String,
    pub name: String,
    pub people: Option<i64>,
    /// "1,203 people", "at most 40 people".
    pub people_text: String,
    pub status: Status,
    pub why: String,
    pub law: String,
    pub source: String,
    pub last_checked: String,
    pub confidence: String,
    /// candor also checks what the notice says against this law.
    pub content_checked: bool,
    pub must_include: Vec<String>,
    pub must_include_if: Vec<String>,
    pub must_not_include: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub exemptions: String,
}

/// What [`obligations`] found for one incident.
#[derive(Debug, Default)]
pub struct Judged {
    pub laws: Vec<LawRow>,
    pub rows: Vec<DeadlineRow>,
}

/// Each place's law for this incident, and every duty it lays down.
pub fn obligations(
    clock: &Clock,
    inc: &IncidentView,
    all: &[Law],
    places: &[Place],
    notified: &[Notified],
    now: Timestamp,
) -> Judged {
    let mut out = Judged::default();
    let discovered = Timestamp::from_second(inc.discovered.epoch).unwrap_or(now);
    for p in places {
        let Some(law) = all.iter().find(|l| l.id == p.place.id()) else {
            continue;
        };
        let (mut status, mut why) = trigger(law, &p.data);
        if !law.applies_to.is_empty() && status != Status::NotTriggered {
            status = Status::Depends;
            why = format!(
                "this law covers only {}; if you are one of them: {why}",
                law.applies_to.join("; ")
            );
        }
        let pi = &law.personal_information;
        let mut exemptions = Vec::new();
        if pi.encryption_exempt {
            exemptions.push(
                if pi.encryption_key_exception == Some(true) {
                    "data that was encrypted, unless the key was taken too"
                } else {
                    "data that was encrypted"
                }
                .to_string(),
            );
        }
        if pi.risk_of_harm
            && status != Status::IfRisk
            && let Some(n) = &pi.risk_of_harm_note
        {
            exemptions.push(n.clone());
        }
        exemptions.extend(pi.other_exemptions.iter().cloned());
        out.laws.push(LawRow {
            incident: inc.slug.clone(),
            place: law.id.clone(),
            name: law.name.clone(),
            people: p.people.number(),
            people_text: p.people.words(),
            status: status.clone(),
            why,
            law: law.law.clone(),
            source: law.sources.first().cloned().unwrap_or_default(),
            last_checked: date_words(&law.last_checked),
            confidence: law.confidence.clone(),
            content_checked: p.place.regime().is_some(),
            must_include: law.individuals.must_include.clone(),
            must_include_if: law.individuals.must_include_if.clone(),
            must_not_include: law.individuals.must_not_include.clone(),
            exemptions: exemptions.join("; "),
        });
        if status == Status::NotTriggered {
            continue;
        }
        let duty = Duty {
            clock,
            inc,
            law,
            people: p.people,
            notified,
            now,
            discovered,
        };
        let individuals = duty.individuals();
        let told = individuals_told(law, notified);
        out.rows.push(individuals);
        for r in &law.regulators {
            out.rows.push(duty.regulator(r, told));
        }
        if law.cras.threshold > 0 {
            out.rows.push(duty.cras());
        }
    }
    out
}

/// Two sentences: the first closed with a full stop.
fn sentences(first: &str, second: &str) -> String {
    let first = first.trim_end();
    if first.ends_with(['.', '!', '?', ')']) {
        format!("{first} {second}")
    } else {
        format!("{first}. {second}")
    }
}

/// When the people of this place were told, if recorded.
fn individuals_told(law: &Law, notified: &[Notified]) -> Option<Timestamp> {
    done(notified, &law.id, "individuals")
}

/// A `[[notified]]` entry for this duty: `who = "ico"`, or
/// `who = "us-tx.individuals"` to name one place's.
fn done(notified: &[Notified], place: &str, id: &str) -> Option<Timestamp> {
    notified
        .iter()
        .filter(|n| {
            n.who == id || n.who.strip_prefix(place).and_then(|r| r.strip_prefix('.')) == Some(id)
        })
        .map(|n| n.at)
        .min()
}

struct Duty<'a> {
    clock: &'a Clock,
    inc: &'a IncidentView,
    law: &'a Law,
    people: Count,
    notified: &'a [Notified],
    now: Timestamp,
    discovered: Timestamp,
}

impl Duty<'_> {
    fn row(&self, id: &str, who: String, message: String, source: String) -> DeadlineRow {
        DeadlineRow {
            incident: self.inc.slug.clone(),
            regime: self.law.id.clone(),
            id: id.to_string(),
            who,
            message,
            due: None,
            due_iso: None,
            people: self.people.number(),
            state: String::new(),
            overdue: false,
            source,
            how: None,
        }
    }

    /// Is a duty from `since` in force for a breach discovered when this
    /// one was?
    fn in_force(&self, since: &toml::value::Datetime) -> bool {
        date_of(since).is_none_or(|s| s <= self.discovered)
    }

    /// Does a duty that applies from `threshold` residents apply? `None`:
    /// it turns on how many live there, which is not known.
    fn over(&self, threshold: i64) -> Option<bool> {
        if threshold <= 1 {
            return Some(true);
        }
        match self.people {
            Count::Known(n) => Some(n >= threshold),
            Count::AtMost(n) if n < threshold => Some(false),
            _ => None,
        }
    }

    fn below(&self, threshold: i64) -> String {
        format!(
            "not required: {} here, fewer than {}",
            self.people.words(),
            crate::base::text::group_thousands(threshold)
        )
    }

    fn unknown(&self, threshold: i64) -> String {
        format!(
            "required if {} or more of them live in {}: say how many (the audience's residents, or a recipients file)",
            crate::base::text::group_thousands(threshold),
            self.law.name
        )
    }

    /// The state of a duty due at `due` (if it has a fixed time), done at `at`.
    fn close(&self, row: &mut DeadlineRow, due: Option<Timestamp>, at: Option<Timestamp>) {
        row.due = due.map(|t| self.clock.view(t).long.clone());
        row.due_iso = due.map(crate::base::time::iso_utc);
        let (state, overdue) = match (at, due) {
            (Some(at), Some(due)) if at > due => {
                (format!("done late, {}", self.clock.view(at).long), false)
            }
            (Some(at), _) => (format!("done {}", self.clock.view(at).long), false),
            (None, Some(due)) if due > self.now => (
                format!("{} left", span_words(due.duration_since(self.now))),
                false,
            ),
            (None, Some(due)) => (
                format!("overdue by {}", span_words(self.now.duration_since(due))),
                true,
            ),
            (None, None) => ("no fixed time".to_string(), false),
        };
        row.state = state;
        row.overdue = overdue;
    }

    /// `days` calendar days (in the site's zone, so a clock change keeps
    /// the wall-clock time) or business days after `from`.
    fn after(&self, from: Timestamp, days: i64, business: bool) -> Option<Timestamp> {
        let mut z = self.clock.zoned(from);
        if !business {
            return z.checked_add(days.days()).ok().map(|z| z.timestamp());
        }
        let mut left = days;
        while left > 0 {
            z = z.checked_add(1.day()).ok()?;
            if !matches!(
                z.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            ) {
                left -= 1;
            }
        }
        Some(z.timestamp())
    }

    fn individuals(&self) -> DeadlineRow {
        let ind = &self.law.individuals;
        let mut message = ind.deadline.clone();
        let days = if self.in_force(&ind.since) {
            ind.days
        } else {
            message = format!(
                "{} (this time limit applies to breaches discovered from {}; {})",
                ind.deadline,
                date_words(&ind.since),
                self.earlier_law(&ind.since)
            );
            0
        };
        let mut row = self.row(
            "individuals",
            if self.law.country == "us" {
                format!("{} residents affected", self.law.name)
            } else {
                format!("The people affected in {}", self.law.name)
            },
            message,
            self.law.law.clone(),
        );
        let due = (days > 0)
            .then(|| self.after(self.discovered, days, false))
            .flatten();
        self.close(&mut row, due, individuals_told(self.law, self.notified));
        row
    }

    /// What the law said before `since`, from its history.
    fn earlier_law(&self, since: &toml::value::Datetime) -> String {
        let before = date_of(since);
        self.law
            .history
            .iter()
            .rfind(|h| {
                date_of(&h.date)
                    .is_some_and(|d| d <= self.discovered && before.is_none_or(|b| d < b))
            })
            .map_or_else(
                || "before then, without unreasonable delay".to_string(),
                |h| format!("the law then: {} ({})", h.change, h.source),
            )
    }

    fn regulator(&self, r: &Regulator, told: Option<Timestamp>) -> DeadlineRow {
        let mut row = self.row(
            &r.id,
            r.who.clone(),
            r.deadline.clone(),
            self.law.law.clone(),
        );
        row.how = Some(
            [Some(r.how.as_str()), r.url.as_deref(), r.email.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(": "),
        );
        if !r.note.is_empty() {
            row.message = sentences(&row.message, &r.note);
        }
        if !self.in_force(&r.since) {
            row.state = format!(
                "as described, this duty applies to breaches discovered from {}; {}",
                date_words(&r.since),
                self.earlier_law(&r.since)
            );
            return row;
        }
        let at = done(self.notified, &self.law.id, &r.id);
        if let (Some(only), None) = (&r.only, at) {
            row.state = format!("only for {only}");
            return row;
        }
        match self.over(r.threshold) {
            Some(false) if at.is_none() => {
                row.state = self.below(r.threshold);
                return row;
            }
            None if at.is_none() => {
                row.state = self.unknown(r.threshold);
                return row;
            }
            _ => {}
        }
        let due = match (r.hours, r.days, r.days_from.as_deref()) {
            (Some(h), _, _) => self
                .discovered
                .checked_add(SignedDuration::from_hours(h))
                .ok(),
            (None, 0, _) => None,
            (None, days, Some("notice_to_individuals")) => {
                // From when the people were told; until then, from the
                // latest they may be told.
                let from = told.or_else(|| {
                    let d = self.law.individuals.days;
                    (d > 0 && self.in_force(&self.law.individuals.since))
                        .then(|| self.after(self.discovered, d, false))
                        .flatten()
                });
                match from {
                    Some(from) => self.after(from, days, r.business_days),
                    None => {
                        if at.is_none() {
                            row.state = format!(
                                "{} {}days after you notify the people affected",
                                days,
                                if r.business_days { "business " } else { "" }
                            );
                            return row;
                        }
                        None
                    }
                }
            }
            (None, days, _) => self.after(self.discovered, days, r.business_days),
        };
        self.close(&mut row, due, at);
        row
    }

    fn cras(&self) -> DeadlineRow {
        let c = &self.law.cras;
        let mut row = self.row(
            "cras",
            "The three nationwide credit bureaus (Equifax, Experian, TransUnion)".into(),
            c.deadline
                .as_deref()
                .map_or_else(|| c.note.clone(), |d| sentences(d, &c.note)),
            self.law.law.clone(),
        );
        let at = done(self.notified, &self.law.id, "cras");
        match self.over(c.threshold) {
            Some(false) if at.is_none() => row.state = self.below(c.threshold),
            None if at.is_none() => row.state = self.unknown(c.threshold),
            _ => self.close(&mut row, None, at),
        }
        row
    }
}

/// When the rules were last checked: the oldest date among them.
pub fn oldest_check(all: &[Law]) -> Option<String> {
    all.iter()
        .filter_map(|l| date_of(&l.last_checked).map(|t| (t, &l.last_checked)))
        .min_by_key(|(t, _)| *t)
        .map(|(_, d)| date_words(d))
}

/// `candor check --rules`: every place, its law and when it was checked.
pub fn listing(all: &[Law]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "candor's breach-notification rules: a checklist, not legal advice. Read the law itself before you rely on it.\n"
    );
    let _ = writeln!(
        out,
        "{:<7} {:<22} {:<13} {:<10} content checked",
        "id", "place", "last checked", "confidence"
    );
    for l in all {
        let content = Jurisdiction::from_id(&l.id)
            .and_then(|j| j.regime())
            .map_or("no: a checklist only", |_| "yes");
        let _ = writeln!(
            out,
            "{:<7} {:<22} {:<13} {:<10} {}",
            l.id,
            l.name,
            l.last_checked.to_string(),
            l.confidence,
            content
        );
    }
    let _ = writeln!(
        out,
        "\n{} places. Sources and notes: each file under rules/jurisdictions/ in candor's repository.",
        all.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn law(id: &str) -> Law {
        laws()
            .unwrap()
            .into_iter()
            .find(|l| l.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    }

    fn data(d: &[DataType]) -> BTreeSet<DataType> {
        d.iter().copied().collect()
    }

    #[test]
    fn every_place_parses_and_every_place_word_has_a_law() {
        let all = laws().unwrap();
        assert_eq!(all.len(), 60);
        for j in Jurisdiction::ALL {
            if matches!(j, Jurisdiction::Us | Jurisdiction::Hipaa) {
                continue;
            }
            assert!(all.iter().any(|l| l.id == j.id()), "{}", j.id());
        }
        let mut ids = BTreeSet::new();
        for l in &all {
            for r in &l.regulators {
                assert!(ids.insert(r.id.clone()), "regulator id {} twice", r.id);
            }
        }
    }

    #[test]
    fn names_alone_trigger_no_us_state_law() {
        use DataType::*;
        for l in laws().unwrap().iter().filter(|l| l.country == "us") {
            let (s, _) = trigger(l, &data(&[Name, PostalAddress, Email, Phone]));
            assert_eq!(s, Status::NotTriggered, "{}", l.id);
        }
        let (s, why) = trigger(&law("us-tx"), &data(&[Name, UsSsn]));
        assert_eq!(s, Status::Triggered);
        assert_eq!(why, "names with US Social Security numbers");
        let (s, _) = trigger(&law("uk"), &data(&[Name]));
        assert_eq!(s, Status::IfRisk);
    }
}
