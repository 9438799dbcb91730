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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    #[serde(default)]
    pub data_types_any: Vec<DataType>,
}

impl Rule {
    /// Does the rule apply to this incident (its `when`, if any)?
    pub fn applies_to(&self, inc: &IncidentView) -> bool {
        self.when.as_ref().is_none_or(|w| {
            w.data_types_any.is_empty()
                || w.data_types_any
                    .iter()
                    .any(|d| inc.data_types.iter().any(|x| x.id == *d))
        })
    }
}

/// Where a text test looks: the notice alone, or everything readers are
/// given with it (updates, matched guidance, FAQ, pages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Notice,
    Site,
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
    /// The text mentions at least one of the phrases.
    TextAny {
        #[serde(default, rename = "in")]
        scope: Scope,
        phrases: Vec<String>,
    },
    /// The text mentions all of the phrases.
    TextAll {
        #[serde(default, rename = "in")]
        scope: Scope,
        phrases: Vec<String>,
    },
    /// None of the phrases appear (reported where each one is).
    PhrasesNone {
        phrases: Vec<String>,
    },
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
