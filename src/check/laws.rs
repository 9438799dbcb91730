//! The duties of each place's law for an incident (`rules/jurisdictions/`,
//! read by [`crate::model::laws`]): the people affected, each regulator
//! above its threshold, the credit bureaus, each with its deadline, closed
//! by `[[notified]]`. A duty is judged by the law in force when the breach
//! was discovered: a rule's `since` after that date does not apply, and
//! the earlier law is named.

use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;

use super::deadlines::{DeadlineRow, span_words};
use crate::base::time::Clock;
use crate::base::vocab::{Jurisdiction, Word};
use crate::load::content::Notified;
use crate::model::IncidentView;
pub use crate::model::laws::*;
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
    use std::collections::BTreeSet;

    use crate::base::vocab::DataType;

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
