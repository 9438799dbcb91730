//! The rules as data: `rules/*.toml`, embedded in the binary, one regime a
//! file. Each rule has an id, a level, the outputs it applies to, a test
//! ([`Test`]), a message, a source and the date it was last verified.

use serde::{Deserialize, Serialize};

use crate::base::diagnostics::Diagnostic;
use crate::base::vocab::DataType;
use crate::embedded;
use crate::model::IncidentView;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub regime: String,
    pub name: String,
    #[serde(default)]
    pub always: bool,
    #[serde(default, rename = "rule")]
    pub rules: Vec<Rule>,
    #[serde(default, rename = "deadline")]
    pub deadlines: Vec<Deadline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Must,
    Should,
    MustNot,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub level: Level,
    pub outputs: Vec<String>,
    pub message: String,
    pub source: String,
    pub last_verified: toml::value::Datetime,
    pub test: Test,
    #[serde(default)]
    pub when: Option<When>,
    /// Not judged when this rule already failed for the incident: one
    /// problem, one finding (no "give an email address" on top of "give a
    /// way to reach you").
    #[serde(default)]
    pub after: Option<String>,
    /// The theme's standing blocks (contact and verify boxes, letterhead,
    /// the page's header and footer) count towards it: for how to reach
    /// the organisation, not for what the notice says.
    #[serde(default)]
    pub frame: bool,
    /// In force for breaches discovered from this date (a law that
    /// changed: Massachusetts made security freezes free in 2019).
    #[serde(default)]
    pub since: Option<toml::value::Datetime>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Only if one of these kinds of data was involved.
    #[serde(default)]
    pub data_types_any: Vec<DataType>,
    /// Not if the incident is also under one of these regimes (a HIPAA
    /// notice is deemed to meet California's format, 1798.82(e)).
    #[serde(default)]
    pub regimes_none: Vec<String>,
}

impl Rule {
    /// Does the rule apply to this incident (its `when`, if any), under
    /// these regimes?
    pub fn applies_to(&self, inc: &IncidentView, regimes: &[&str]) -> bool {
        self.when.as_ref().is_none_or(|w| {
            (w.data_types_any.is_empty()
                || w.data_types_any
                    .iter()
                    .any(|d| inc.data_types.iter().any(|x| x.id == *d)))
                && !w.regimes_none.iter().any(|r| regimes.contains(&r.as_str()))
        })
    }
}

/// One thing a notice must say, named for the message when it is missing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thing {
    pub name: String,
    pub any: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Test {
    /// The notice has this heading (or a variant), in any case, with or without "?".
    Heading {
        text: String,
        #[serde(default)]
        variants: Vec<String>,
    },
    /// The notice's headings include these, in this order.
    HeadingsInOrder {
        texts: Vec<String>,
    },
    /// The incident's title is this (in any case).
    Title {
        text: String,
    },
    /// A field is set: contact, contact.phone, contact.email, data_types,
    /// occurred, people_affected, discovered.
    Field {
        field: String,
    },
    /// A sentence of each document says it: one of the patterns (see
    /// `check::meaning`) matches, and none of `unless` does. With
    /// `must_not`, no sentence may say it.
    Says {
        any: Vec<String>,
        #[serde(default)]
        unless: Vec<String>,
        /// A sentence of more than six words counts only if it also says
        /// one of these (a list item, such as "Names", always counts).
        #[serde(default)]
        also: Vec<String>,
    },
    /// Each document says each of these things.
    SaysEach {
        each: Vec<Thing>,
    },
    /// No sentence of the notice or its updates says it (each one found
    /// is reported where it is). Quotations are someone else's words.
    Avoid {
        any: Vec<String>,
        #[serde(default)]
        unless: Vec<String>,
    },
    /// A passive sentence that hides who did it, in a notice that never
    /// says who did.
    HiddenActor,
    /// The contact phone is toll-free.
    TollFreePhone,
    /// Flesch–Kincaid grade of each notice and update at most `[check] reading_grade_max`.
    ReadingGrade,
    /// No sentence longer than `max` words.
    SentenceLength {
        max: usize,
    },
    Placeholders,
    Links,
    AltText,
    MarkdownWarnings,
    SecurityTxt,
    Staleness,
    NextUpdatePast,
    SocialLength,
    /// Nothing keeps the published pages out of search engines.
    Findable,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub id: String,
    pub who: String,
    #[serde(default)]
    pub hours: Option<i64>,
    #[serde(default)]
    pub days: Option<i64>,
    /// The clock runs only when at least this many people are affected
    /// (when the incident says how many).
    #[serde(default)]
    pub min_people: Option<i64>,
    pub message: String,
    pub source: String,
    pub last_verified: toml::value::Datetime,
}

/// Every rule file, parsed. The files are ours and tested; a broken one is
/// still reported, not a panic.
pub fn rule_files() -> Result<Vec<RuleFile>, Diagnostic> {
    embedded::RULE_FILES
        .iter()
        // One regime a file at the top of rules/; folders hold other data.
        .filter(|(path, _)| path.ends_with(".toml") && !path.contains('/'))
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            toml::from_str::<RuleFile>(&text).map_err(|e| {
                Diagnostic::error(format!("rules/{path}"), format!("invalid rule file: {e}"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::base::vocab::{Regime, Word};

    #[test]
    fn every_rule_file_parses_and_ids_are_unique() {
        let files = rule_files().unwrap();
        assert!(files.len() >= 8);
        let mut ids = BTreeSet::new();
        for f in &files {
            assert!(
                f.always || Regime::from_id(&f.regime).is_some(),
                "{}",
                f.regime
            );
            for r in &f.rules {
                assert!(ids.insert(r.id.clone()), "duplicate {}", r.id);
                assert!(
                    r.id.starts_with(f.regime.split('-').next().unwrap_or("")) || f.always,
                    "{}",
                    r.id
                );
                assert!(!r.source.is_empty());
            }
        }
    }
}
