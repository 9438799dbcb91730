//! `candor check`: is the notice complete, correct and on time?
//!
//! Rules are data: TOML files in the repository's `rules/`, embedded in the
//! binary, one regime a file. Each rule has an id, a level (`must`,
//! `should`, `must_not`), the outputs it applies to, a test, a message, a
//! source and the date it was last verified against that source. A test is
//! one of a few kinds ([`Test`]); `when` makes a rule conditional on the
//! incident's data types. Regimes come from `[check] regimes` in site.toml
//! and from each incident's `jurisdictions`; `plain-language` and `site`
//! always run.
//!
//! Beside the findings, `check` lists each selected regime's deadlines from
//! the incident's `discovered` time, closed by `[[notified]]` entries.
//!
//! This is not legal advice; every finding cites its source.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::{Body, Content};
use crate::diagnostics::Diagnostic;
use crate::embedded;
use crate::markdown;
use crate::model::{IncidentView, Model};
use crate::plain::to_plain;
use crate::site::{self, BuildOptions, Compiled, Failure};
use crate::social::{self, PLATFORMS};
use crate::time::Clock;

/// Regimes that can be selected in `[check] regimes`.
pub const REGIMES: &[&str] = &["uk-gdpr", "eu-gdpr", "us-ca", "us-ma", "us-ny", "hipaa"];

/// An incident's jurisdiction → the regime it selects.
fn regime_for(jurisdiction: &str) -> Option<&'static str> {
    match jurisdiction {
        "uk" => Some("uk-gdpr"),
        "eu" => Some("eu-gdpr"),
        "us-ca" => Some("us-ca"),
        "us-ma" => Some("us-ma"),
        "us-ny" => Some("us-ny"),
        "hipaa" => Some("hipaa"),
        _ => None,
    }
}

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
    pub data_types_any: Vec<String>,
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
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            toml::from_str::<RuleFile>(&text).map_err(|e| {
                Diagnostic::error(format!("rules/{path}"), format!("invalid rule file: {e}"))
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub regime: String,
    pub level: Level,
    /// `error` for must and must_not, `warning` for should.
    pub severity: &'static str,
    pub file: String,
    pub line: usize,
    pub incident: Option<String>,
    pub message: String,
    pub detail: Option<String>,
    pub source: String,
    pub last_verified: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineRow {
    pub incident: String,
    pub regime: String,
    pub id: String,
    pub who: String,
    pub message: String,
    /// When the clock runs out, if the rule has a fixed time.
    pub due: Option<String>,
    pub due_iso: Option<String>,
    /// "done 17 November 2026, 09:00 GMT", "2 days 4 hours left", "overdue by 3 hours", "no fixed time"
    pub state: String,
    pub overdue: bool,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub regimes: Vec<String>,
    pub findings: Vec<Finding>,
    pub deadlines: Vec<DeadlineRow>,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub site: std::path::PathBuf,
    pub now: Timestamp,
}

/// Compile the site (without writing anything) and apply the rules.
pub fn check(opts: &CheckOptions) -> Result<Report, Failure> {
    let compiled = site::compile(&BuildOptions {
        site: opts.site.clone(),
        output: None,
        drafts: false,
        now: opts.now,
        base_url: None,
        notices: None,
        paper: None,
    })?;
    let files = rule_files().map_err(|d| Failure {
        diagnostics: vec![d],
        exit_code: 2,
    })?;
    Ok(run(&compiled, &files, opts.now))
}

/// A body with the URL of the page it is on (for resolving relative links).
struct Source<'a> {
    body: &'a Body,
    page: String,
}

fn sources<'a>(content: &'a Content, model: &Model) -> Vec<Source<'a>> {
    let published_incident = |slug: &str| model.incidents.iter().any(|i| i.slug == slug);
    let published_update = |inc: &str, slug: &str| {
        model.incidents.iter().any(|i| {
            i.slug == inc
                && i.updates
                    .iter()
                    .chain(&i.other_updates)
                    .any(|u| u.slug == slug)
        })
    };
    let mut out = Vec::new();
    if let Some(b) = &content.home.body {
        out.push(Source {
            body: b,
            page: String::new(),
        });
    }
    for i in content
        .incidents
        .iter()
        .filter(|i| published_incident(&i.slug))
    {
        out.push(Source {
            body: &i.body,
            page: format!("incidents/{}/", i.slug),
        });
    }
    for u in content
        .updates
        .iter()
        .filter(|u| published_update(&u.incident, &u.slug))
    {
        out.push(Source {
            body: &u.body,
            page: format!("incidents/{}/{}/", u.incident, u.slug),
        });
    }
    for f in content.faq.iter().filter(|f| !f.draft) {
        out.push(Source {
            body: &f.body,
            page: "faq/".into(),
        });
    }
    for g in content.guidance.iter().filter(|g| !g.draft) {
        out.push(Source {
            body: &g.body,
            page: format!("guidance/{}/", g.slug),
        });
    }
    for p in content.pages.iter().filter(|p| !p.draft) {
        out.push(Source {
            body: &p.body,
            page: format!("{}/", p.slug),
        });
    }
    out
}

fn norm(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .trim()
        .trim_end_matches(['?', ':', '.'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Line of the first case-insensitive occurrence of `needle` in a body.
fn line_of(body: &Body, needle: &str) -> Option<usize> {
    let lower = body.text.to_lowercase();
    let i = lower.find(&needle.to_lowercase())?;
    Some(body.first_line + lower[..i].matches('\n').count())
}

struct Ctx<'a> {
    compiled: &'a Compiled,
    sources: Vec<Source<'a>>,
    now: Timestamp,
    findings: Vec<Finding>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        regime: &str,
        rule: &Rule,
        file: &str,
        line: usize,
        incident: Option<&str>,
        detail: Option<String>,
    ) {
        let severity = match rule.level {
            Level::Must | Level::MustNot => "error",
            Level::Should => "warning",
        };
        self.findings.push(Finding {
            rule: rule.id.clone(),
            regime: regime.to_string(),
            level: rule.level,
            severity,
            file: file.to_string(),
            line,
            incident: incident.map(str::to_string),
            message: rule.message.clone(),
            detail,
            source: rule.source.clone(),
            last_verified: rule.last_verified.to_string(),
        });
    }
}

/// Apply `files` to a compiled site.
pub fn run(compiled: &Compiled, files: &[RuleFile], now: Timestamp) -> Report {
    let config = &compiled.config;
    let model = &compiled.model;
    let mut ctx = Ctx {
        compiled,
        sources: sources(&compiled.content, model),
        now,
        findings: Vec::new(),
    };
    let mut all_regimes: BTreeSet<String> = BTreeSet::new();
    let clock = Clock::new(&config.timezone).unwrap_or_else(|_| Clock::utc());
    let mut deadlines = Vec::new();

    // Site-wide rules run once.
    for file in files.iter().filter(|f| f.always) {
        all_regimes.insert(file.regime.clone());
        for rule in &file.rules {
            site_rule(&mut ctx, &file.regime, rule);
        }
    }
    for inc in &model.incidents {
        let mut regimes: BTreeSet<&str> = config.check.regimes.iter().map(String::as_str).collect();
        regimes.extend(inc.jurisdictions.iter().filter_map(|j| regime_for(j)));
        let source = compiled
            .content
            .incidents
            .iter()
            .find(|i| i.slug == inc.slug);
        for file in files
            .iter()
            .filter(|f| !f.always && regimes.contains(f.regime.as_str()))
        {
            all_regimes.insert(file.regime.clone());
            for rule in &file.rules {
                let applies = rule.when.as_ref().is_none_or(|w| {
                    w.data_types_any.is_empty()
                        || w.data_types_any
                            .iter()
                            .any(|d| inc.data_types.iter().any(|x| &x.id == d))
                });
                if applies {
                    incident_rule(&mut ctx, &file.regime, rule, inc);
                }
            }
            for d in &file.deadlines {
                let notified = source.and_then(|s| s.notified.iter().find(|n| n.who == d.id));
                deadlines.push(deadline_row(
                    &clock,
                    inc,
                    &file.regime,
                    d,
                    notified.map(|n| n.at),
                    now,
                ));
            }
        }
        // Per-incident checks of the always-on regimes.
        for file in files.iter().filter(|f| f.always) {
            for rule in &file.rules {
                incident_rule(&mut ctx, &file.regime, rule, inc);
            }
        }
    }
    let mut findings = ctx.findings;
    findings.sort_by(|a, b| {
        (&a.file, a.line, &a.rule, &a.detail).cmp(&(&b.file, b.line, &b.rule, &b.detail))
    });
    findings.dedup_by(|a, b| {
        a.file == b.file && a.line == b.line && a.rule == b.rule && a.detail == b.detail
    });
    let errors = findings.iter().filter(|f| f.severity == "error").count();
    let warnings = findings.len() - errors;
    Report {
        regimes: all_regimes.into_iter().collect(),
        findings,
        deadlines,
        errors,
        warnings,
    }
}

fn incident_file(inc: &IncidentView) -> String {
    format!("content/incidents/{}/_index.md", inc.slug)
}

/// Does the incident pass the test? (For must_not rules, passing means the
/// forbidden thing is there.)
fn incident_rule(ctx: &mut Ctx<'_>, regime: &str, rule: &Rule, inc: &IncidentView) {
    let config = &ctx.compiled.config;
    let file = incident_file(inc);
    let body = ctx
        .compiled
        .content
        .incidents
        .iter()
        .find(|i| i.slug == inc.slug)
        .map(|i| &i.body);
    let has_heading = |text: &str, variants: &[String]| {
        let wanted: Vec<String> = std::iter::once(text)
            .chain(variants.iter().map(String::as_str))
            .map(norm)
            .collect();
        inc.headings
            .iter()
            .find(|h| wanted.contains(&norm(&h.text)))
    };
    let notice_text = || {
        let mut t = format!("{}\n{}\n", inc.title, inc.summary);
        if let Some(b) = body {
            t.push_str(&to_plain(&b.text, "", "/"));
        }
        t.to_lowercase()
    };
    // Everything readers are given with the notice: its updates, the
    // guidance it links, the FAQ, the home page and other pages.
    let site_text = || {
        let mut t = notice_text();
        let own = format!("incidents/{}/", inc.slug);
        for s in &ctx.sources {
            let include = if let Some(slug) = s.page.strip_prefix("guidance/") {
                inc.guidance.iter().any(|g| slug == format!("{}/", g.slug))
            } else if s.page.starts_with("incidents/") {
                s.page.starts_with(&own)
            } else {
                true
            };
            if include {
                t.push_str(&s.body.text.to_lowercase());
                t.push('\n');
            }
        }
        t
    };
    let violated: Option<(usize, Option<String>)> = match &rule.test {
        Test::Heading { text, variants } => {
            let found = has_heading(text, variants);
            match (rule.level, found) {
                (Level::MustNot, Some(h)) => {
                    Some((h.line, Some(format!("heading \"{}\"", h.text))))
                }
                (Level::MustNot, None) => None,
                (_, Some(_)) => None,
                (_, None) => Some((1, Some(format!("no heading \"{text}\"")))),
            }
        }
        Test::HeadingsInOrder { texts } => {
            let mut at = 0;
            let mut missing = None;
            for t in texts {
                match inc.headings[at..]
                    .iter()
                    .position(|h| norm(&h.text) == norm(t))
                {
                    Some(i) => at += i + 1,
                    None => {
                        missing = Some(t.clone());
                        break;
                    }
                }
            }
            missing.map(|m| (1, Some(format!("\"{m}\" is missing or out of order"))))
        }
        Test::Title { text } => (norm(&inc.title) != norm(text))
            .then(|| (2, Some(format!("the title is \"{}\"", inc.title)))),
        Test::Field { field } => {
            let present = match field.as_str() {
                "contact" => {
                    config.contact.phone.is_some()
                        || config.contact.email.is_some()
                        || config.contact.web.is_some()
                }
                "contact.phone" => config.contact.phone.is_some() || config.contact.web.is_some(),
                "contact.email" => config.contact.email.is_some(),
                "data_types" => !inc.data_types.is_empty(),
                "occurred" => inc.occurred_start.is_some(),
                "people_affected" => inc.people_affected.is_some(),
                "discovered" => true,
                _ => false,
            };
            match rule.level {
                Level::MustNot => present.then(|| (1, Some(format!("`{field}` is set")))),
                _ => (!present).then(|| (1, Some(format!("`{field}` is not set")))),
            }
        }
        Test::TextAny { scope, phrases } => {
            let text = if *scope == Scope::Site {
                site_text()
            } else {
                notice_text()
            };
            let found = phrases.iter().any(|p| text.contains(&p.to_lowercase()));
            (found == (rule.level == Level::MustNot)).then_some((1, None))
        }
        Test::TextAll { scope, phrases } => {
            let text = if *scope == Scope::Site {
                site_text()
            } else {
                notice_text()
            };
            let missing: Vec<&String> = phrases
                .iter()
                .filter(|p| !text.contains(&p.to_lowercase()))
                .collect();
            (!missing.is_empty()).then(|| {
                (
                    1,
                    Some(format!(
                        "not found: {}",
                        missing
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                )
            })
        }
        Test::TollFreePhone => {
            let phones = config.contact.phone.iter().chain(&config.verify.phones);
            let toll_free = phones.into_iter().any(|p| is_toll_free(p));
            (!toll_free).then(|| {
                (
                    1,
                    Some(format!(
                        "contact phone: {}",
                        config.contact.phone.as_deref().unwrap_or("none")
                    )),
                )
            })
        }
        Test::ReadingGrade => {
            let max = config.check.reading_grade_max;
            let bodies = own_bodies(ctx.compiled, inc);
            for b in bodies {
                let text = to_plain(&b.text, "", "/");
                let grade = flesch_kincaid_grade(&text);
                if grade > max {
                    ctx.push(
                        regime,
                        rule,
                        &b.file,
                        b.first_line,
                        Some(&inc.slug),
                        Some(format!("grade {grade:.1}, target {max}")),
                    );
                }
            }
            None
        }
        Test::SentenceLength { max } => {
            let bodies = own_bodies(ctx.compiled, inc);
            for b in bodies {
                for sentence in sentences(&to_plain(&b.text, "", "/")) {
                    let words = sentence.split_whitespace().count();
                    if words > *max {
                        let start: String = sentence
                            .split_whitespace()
                            .take(4)
                            .collect::<Vec<_>>()
                            .join(" ");
                        let line = line_of(b, &start).unwrap_or(b.first_line);
                        ctx.push(
                            regime,
                            rule,
                            &b.file,
                            line,
                            Some(&inc.slug),
                            Some(format!("{words} words: \"{start} …\"")),
                        );
                    }
                }
            }
            None
        }
        Test::PhrasesNone { phrases } => {
            let bodies = own_bodies(ctx.compiled, inc);
            for b in bodies {
                for p in phrases {
                    if let Some(line) = line_of(b, p) {
                        ctx.push(
                            regime,
                            rule,
                            &b.file,
                            line,
                            Some(&inc.slug),
                            Some(format!("\"{p}\"")),
                        );
                    }
                }
            }
            None
        }
        Test::Staleness => {
            let hours = ctx.compiled.config.check.update_every;
            let idle = ctx.now.as_second() - inc.last_updated.epoch;
            (inc.is_open && idle > hours * 3600).then(|| {
                (
                    1,
                    Some(format!(
                        "last updated {}, {} hours ago",
                        inc.last_updated.long,
                        idle / 3600
                    )),
                )
            })
        }
        Test::NextUpdatePast => inc
            .next_update
            .as_ref()
            .filter(|n| inc.is_open && n.epoch < ctx.now.as_second())
            .map(|n| (1, Some(format!("next update was due by {}", n.long)))),
        Test::SocialLength => {
            for u in &inc.updates {
                if let Some(p) = PLATFORMS
                    .iter()
                    .map(|p| social::post(*p, &u.summary, &u.permalink))
                    .find(|p| p.shortened)
                {
                    let file = format!("content/incidents/{}/{}.md", inc.slug, u.slug);
                    ctx.push(
                        regime,
                        rule,
                        &file,
                        1,
                        Some(&inc.slug),
                        Some(format!("too long for {} ({} characters)", p.name, p.limit)),
                    );
                }
            }
            None
        }
        // Site-wide kinds run in `site_rule`.
        Test::Placeholders
        | Test::Links
        | Test::AltText
        | Test::MarkdownWarnings
        | Test::SecurityTxt => None,
    };
    if let Some((line, detail)) = violated {
        ctx.push(regime, rule, &file, line, Some(&inc.slug), detail);
    }
}

/// The notice and its published updates: what the per-incident text rules read.
fn own_bodies<'a>(compiled: &'a Compiled, inc: &IncidentView) -> Vec<&'a Body> {
    let notice = compiled
        .content
        .incidents
        .iter()
        .filter(|i| i.slug == inc.slug)
        .map(|i| &i.body);
    let published = |slug: &str| {
        inc.updates
            .iter()
            .chain(&inc.other_updates)
            .any(|u| u.slug == slug)
    };
    let updates = compiled
        .content
        .updates
        .iter()
        .filter(|u| u.incident == inc.slug && published(&u.slug))
        .map(|u| &u.body);
    notice.chain(updates).collect()
}

fn site_rule(ctx: &mut Ctx<'_>, regime: &str, rule: &Rule) {
    match &rule.test {
        Test::Placeholders => {
            let hits: Vec<(String, usize)> = ctx
                .sources
                .iter()
                .flat_map(|s| {
                    s.body
                        .text
                        .lines()
                        .enumerate()
                        .filter(|(_, l)| l.contains("TODO:"))
                        .map(|(i, _)| (s.body.file.clone(), s.body.first_line + i))
                        .collect::<Vec<_>>()
                })
                .collect();
            for (file, line) in hits {
                ctx.push(regime, rule, &file, line, None, None);
            }
        }
        Test::Links | Test::AltText | Test::MarkdownWarnings => {
            let base_path = ctx.compiled.config.base_path.clone();
            let mut pushes = Vec::new();
            for s in &ctx.sources {
                let mut warnings = Vec::new();
                let rendered = markdown::render(s.body, &base_path, &mut warnings);
                match &rule.test {
                    Test::MarkdownWarnings => {
                        for w in warnings {
                            pushes.push((s.body.file.clone(), w.line, Some(w.message)));
                        }
                    }
                    Test::AltText => {
                        for l in rendered
                            .links
                            .iter()
                            .filter(|l| l.is_image && l.alt.trim().is_empty())
                        {
                            pushes.push((s.body.file.clone(), l.line, Some(l.url.clone())));
                        }
                    }
                    _ => {
                        for l in rendered.links.iter().filter(|l| !l.is_image) {
                            if let Some(why) =
                                broken(&ctx.compiled.files, &ctx.compiled.config, &s.page, &l.url)
                            {
                                pushes.push((
                                    s.body.file.clone(),
                                    l.line,
                                    Some(format!("{}: {why}", l.url)),
                                ));
                            }
                        }
                    }
                }
            }
            for (file, line, detail) in pushes {
                ctx.push(regime, rule, &file, line, None, detail);
            }
        }
        Test::SecurityTxt => {
            let Some(s) = &ctx.compiled.config.security_txt else {
                return;
            };
            if let Ok(expires) = s.expires.parse::<Timestamp>() {
                let ahead = expires.duration_since(ctx.now);
                if expires <= ctx.now || ahead > SignedDuration::from_hours(24 * 366) {
                    ctx.push(
                        regime,
                        rule,
                        crate::config::FILE,
                        0,
                        None,
                        Some(format!("expires = {}", s.expires)),
                    );
                }
            }
        }
        _ => {}
    }
}

/// Why an internal link is broken, if it is.
fn broken(files: &crate::output::Files, config: &Config, page: &str, url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("//")
    {
        return None;
    }
    let (path, fragment) = url
        .split_once('#')
        .map_or((url, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        // Relative to the page's folder.
        let mut parts: Vec<&str> = page
            .trim_end_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for seg in path.split('/') {
            match seg {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        let mut t = parts.join("/");
        if path.ends_with('/') {
            t.push('/');
        }
        t
    };
    // Root-relative links already carry the base path; site files do not.
    let target = target
        .strip_prefix(config.base_path.trim_start_matches('/'))
        .unwrap_or(&target)
        .to_string();
    let key = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else if files.contains_key(&target) {
        target.clone()
    } else {
        format!("{target}/index.html")
    };
    match files.get(&key).map(|f| f.bytes()) {
        None => Some("no such page".to_string()),
        Some(None) => None,
        Some(Some(html)) => match fragment.filter(|f| !f.is_empty()) {
            Some(f) => {
                let html = String::from_utf8_lossy(html);
                (!html.contains(&format!(" id=\"{f}\""))).then(|| format!("no #{f} on that page"))
            }
            None => None,
        },
    }
}

fn is_toll_free(phone: &str) -> bool {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let us = digits.strip_prefix('1').unwrap_or(&digits);
    ["800", "833", "844", "855", "866", "877", "888"]
        .iter()
        .any(|p| us.starts_with(p) && us.len() == 10)
        || digits.starts_with("0800")
        || digits.starts_with("0808")
}

/// Sentences of plain text: split at . ! ? followed by space or end.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Paragraphs, and each list item on its own.
    let mut blocks: Vec<String> = Vec::new();
    for para in text.split("\n\n") {
        let mut current = String::new();
        for line in para.lines() {
            let t = line.trim_start();
            let item = t.starts_with("-  ")
                || t.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if item && !current.trim().is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            current.push_str(t.trim_start_matches("-  "));
            current.push(' ');
        }
        blocks.push(current);
    }
    for block in &blocks {
        let block = block.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut current = String::new();
        let chars: Vec<char> = block.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            current.push(*c);
            let end =
                matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            if end {
                out.push(std::mem::take(&mut current).trim().to_string());
            }
        }
        if !current.trim().is_empty() {
            out.push(current.trim().to_string());
        }
    }
    out.retain(|s| s.split_whitespace().count() > 0);
    out
}

/// Flesch–Kincaid grade level: 0.39 (words/sentences) + 11.8 (syllables/words) − 15.59.
pub fn flesch_kincaid_grade(text: &str) -> f64 {
    let sents = sentences(text);
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.is_empty() || sents.is_empty() {
        return 0.0;
    }
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    0.39 * (words.len() as f64 / sents.len() as f64)
        + 11.8 * (syllables as f64 / words.len() as f64)
        - 15.59
}

/// A vowel-group estimate of syllables, with a silent final "e".
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if w.len() <= 3 {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if w.ends_with(&['e']) && !w.ends_with(&['l', 'e']) && count > 1 {
        count -= 1;
    }
    count.max(1)
}

fn deadline_row(
    clock: &Clock,
    inc: &IncidentView,
    regime: &str,
    d: &Deadline,
    notified: Option<Timestamp>,
    now: Timestamp,
) -> DeadlineRow {
    let discovered = Timestamp::from_second(inc.discovered.epoch).unwrap_or(now);
    let due: Option<Timestamp> = match (d.hours, d.days) {
        (Some(h), _) => discovered.checked_add(SignedDuration::from_hours(h)).ok(),
        // Calendar days in the site's zone: the wall-clock time is kept across a clock change.
        (None, Some(days)) => clock
            .zoned(discovered)
            .checked_add(days.days())
            .ok()
            .map(|z| z.timestamp()),
        (None, None) => None,
    };
    let (state, overdue) = match (notified, due) {
        (Some(at), Some(due)) if at <= due => (format!("done {}", clock.view(at).long), false),
        (Some(at), Some(_)) => (format!("done late, {}", clock.view(at).long), false),
        (Some(at), None) => (format!("done {}", clock.view(at).long), false),
        (None, Some(due)) if due > now => (
            format!("{} left", span_words(due.duration_since(now))),
            false,
        ),
        (None, Some(due)) => (
            format!("overdue by {}", span_words(now.duration_since(due))),
            true,
        ),
        (None, None) => ("no fixed time".to_string(), false),
    };
    DeadlineRow {
        incident: inc.slug.clone(),
        regime: regime.to_string(),
        id: d.id.clone(),
        who: d.who.clone(),
        message: d.message.clone(),
        due: due.map(|t| clock.view(t).long.clone()),
        due_iso: due.map(crate::time::iso_utc),
        state,
        overdue,
        source: d.source.clone(),
    }
}

/// "2 days 4 hours", "35 minutes"
fn span_words(d: SignedDuration) -> String {
    let mins = d.as_secs().max(0) / 60;
    let (days, hours, minutes) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (days, hours) {
        (0, 0) => unit(minutes, "minute"),
        (0, h) => unit(h, "hour"),
        (d, 0) => unit(d, "day"),
        (d, h) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

/// The report a person reads: findings grouped by file, then deadlines.
pub fn human(report: &Report, style: crate::diagnostics::Style) -> String {
    use std::fmt::Write as _;
    let paint = |code: &str, t: &str| {
        if style.colour {
            format!("{code}{t}\x1b[0m")
        } else {
            t.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "Checked against: {}\n", report.regimes.join(", "));
    let mut last_file = None;
    for f in &report.findings {
        if last_file != Some(&f.file) {
            let _ = writeln!(
                out,
                "{}",
                paint(
                    "\x1b[1m",
                    if f.file.is_empty() { "(site)" } else { &f.file }
                )
            );
            last_file = Some(&f.file);
        }
        let label = if f.severity == "error" {
            paint("\x1b[1;31m", "error")
        } else {
            paint("\x1b[1;33m", "warning")
        };
        let at = if f.line > 0 {
            format!("{}:{}: ", f.file, f.line)
        } else {
            format!("{}: ", f.file)
        };
        let _ = writeln!(out, "  {label}[{}]: {at}{}", f.rule, f.message);
        if let Some(d) = &f.detail {
            let _ = writeln!(out, "      {d}");
        }
        let _ = writeln!(
            out,
            "      source: {} (checked {})",
            f.source, f.last_verified
        );
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let mut last_incident = None;
    for d in &report.deadlines {
        if last_incident != Some(&d.incident) {
            let _ = writeln!(out, "Deadlines for {}:", d.incident);
            last_incident = Some(&d.incident);
        }
        let state = if d.overdue {
            paint("\x1b[1;31m", &d.state)
        } else {
            d.state.clone()
        };
        let _ = writeln!(out, "  {:<9}{}", d.regime, d.who);
        match &d.due {
            Some(due) => {
                let _ = writeln!(out, "  {:<9}due {due}: {state}", "");
            }
            None => {
                let _ = writeln!(out, "  {:<9}{state}", "");
            }
        }
        let _ = writeln!(out, "  {:<9}{} ({})", "", d.message, d.source);
    }
    if !report.deadlines.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} errors (must, must not), {} warnings (should). This is not legal advice: each rule cites its source.",
        report.errors, report.warnings
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_parses_and_ids_are_unique() {
        let files = rule_files().unwrap();
        assert!(files.len() >= 8);
        let mut ids = BTreeSet::new();
        for f in &files {
            assert!(
                f.always || REGIMES.contains(&f.regime.as_str()),
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

    #[test]
    fn reading_grade_of_plain_and_of_hard_text() {
        let plain = "We found a problem. We fixed it. Call us if you need help.";
        let hard = "Notwithstanding the aforementioned circumstances, the organisation's comprehensive investigation determined that unauthorised exfiltration of personally identifiable information potentially occurred.";
        assert!(
            flesch_kincaid_grade(plain) < 4.0,
            "{}",
            flesch_kincaid_grade(plain)
        );
        assert!(
            flesch_kincaid_grade(hard) > 14.0,
            "{}",
            flesch_kincaid_grade(hard)
        );
    }

    #[test]
    fn toll_free_numbers() {
        assert!(is_toll_free("1-800-555-0100"));
        assert!(is_toll_free("(888) 555 0100"));
        assert!(is_toll_free("0808 157 0192"));
        assert!(!is_toll_free("020 7946 0000"));
        assert!(!is_toll_free("212-555-0100"));
    }

    #[test]
    fn spans_in_words() {
        assert_eq!(span_words(SignedDuration::from_mins(50)), "50 minutes");
        assert_eq!(span_words(SignedDuration::from_hours(52)), "2 days 4 hours");
        assert_eq!(span_words(SignedDuration::from_hours(24)), "1 day");
    }
}
