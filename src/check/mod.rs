//! `candor check`: is the notice complete, correct and on time?
//!
//! Rules are data ([`rules`]): TOML files in the repository's `rules/`,
//! embedded in the binary, one regime a file. Regimes come from `[check]
//! regimes` in site.toml and from each incident's `jurisdictions`;
//! `plain-language` and `site` always run. Each finding is a
//! [`Diagnostic`] carrying its rule and source.
//!
//! - [`incident`]: the rules judged on each incident, one function a family
//!   of tests (structure, content, plain language, timeliness);
//! - [`site`]: the rules judged on the whole site (placeholders, links);
//! - [`deadlines`]: each regime's clocks, closed by `[[notified]]`;
//! - [`report`]: the report a person reads.
//!
//! This is not legal advice; every finding cites its source.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::Serialize;

use crate::base::diagnostics::{Diagnostic, Level as Severity, RuleRef};
use crate::base::time::Clock;
use crate::base::vocab::Word;
use crate::load::content::{Body, Content};
use crate::model::Model;
use crate::site::{self, BuildOptions, Compiled, Failure};

pub mod deadlines;
pub mod document;
mod incident;
pub mod laws;
pub mod meaning;
pub mod plain;
pub mod report;
pub mod rules;
mod site_rules;
pub mod translations;

pub use deadlines::DeadlineRow;
pub use report::human;
pub use rules::{Level, Rule, RuleFile, Test, rule_files};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// This is a checklist, not legal advice; the rules were checked on …
    pub disclaimer: String,
    pub regimes: Vec<String>,
    pub findings: Vec<Diagnostic>,
    /// Each place's law for each incident: triggered or not, and why.
    pub laws: Vec<laws::LawRow>,
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
        lenient: true,
        locked: false,
        all_notices: true,
    })?;
    let files = rule_files().map_err(|d| Failure::of(vec![d.io()]))?;
    let mailed = mailed(&opts.site, &compiled.model);
    Ok(run_with(&compiled, &files, opts.now, &mailed))
}

/// What `candor notices --recipients` counted for each incident (its
/// `mailing/<incident>/summary.json`): people per audience and per place.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Mailed {
    pub people: usize,
    #[serde(default)]
    pub audiences: std::collections::BTreeMap<String, usize>,
    #[serde(default)]
    pub places: std::collections::BTreeMap<String, usize>,
}

/// The mailing summaries in the site's `mailing/` folder, by incident.
fn mailed(site: &std::path::Path, model: &Model) -> std::collections::HashMap<String, Mailed> {
    model
        .incidents
        .iter()
        .filter_map(|i| {
            let path = site.join("mailing").join(&i.slug).join("summary.json");
            let text = std::fs::read_to_string(path).ok()?;
            let m: Mailed = serde_json::from_str(&text).ok()?;
            Some((i.slug.clone(), m))
        })
        .collect()
}

/// A body with the URL of the page it is on (for resolving relative links).
struct Source<'a> {
    body: &'a Body,
    page: String,
}

/// What the rules share while they run.
struct Ctx<'a> {
    compiled: &'a Compiled,
    sources: Vec<Source<'a>>,
    now: Timestamp,
    findings: Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// Record that `rule` is not met at `file:line`.
    fn push(
        &mut self,
        regime: &str,
        rule: &Rule,
        file: &str,
        line: usize,
        incident: Option<&str>,
        detail: Option<String>,
    ) {
        let mut d = match rule.level {
            Level::Must | Level::MustNot => Diagnostic::error(file, rule.message.clone()),
            Level::Should => Diagnostic::warning(file, rule.message.clone()),
        };
        d.line = line;
        d.rule = Some(RuleRef {
            id: rule.id.clone(),
            regime: regime.to_string(),
            source: rule.source.clone(),
            last_verified: rule.last_verified.to_string(),
        });
        d.incident = incident.map(str::to_string);
        d.note = detail;
        self.findings.push(d);
    }
}

/// Apply `files` to a compiled site.
pub fn run(compiled: &Compiled, files: &[RuleFile], now: Timestamp) -> Report {
    run_with(compiled, files, now, &std::collections::HashMap::new())
}

/// [`run`], with the people each incident's recipients file counted: the
/// deadlines count them by place, and counts that disagree with the
/// incident's are said.
pub fn run_with(
    compiled: &Compiled,
    files: &[RuleFile],
    now: Timestamp,
    mailed: &std::collections::HashMap<String, Mailed>,
) -> Report {
    let config = &compiled.config;
    let model = &compiled.model;
    let mut ctx = Ctx {
        compiled,
        sources: sources(&compiled.content, model),
        now,
        findings: Vec::new(),
    };
    let mut all_regimes: BTreeSet<String> = BTreeSet::new();
    let clock = Clock::or_utc(&config.timezone);
    let mut deadlines = Vec::new();
    let mut law_rows = Vec::new();
    let places_law = match laws::laws() {
        Ok(l) => l,
        Err(d) => {
            ctx.findings.push(d);
            Vec::new()
        }
    };
    // Site-wide rules run once.
    for file in files.iter().filter(|f| f.always) {
        all_regimes.insert(file.regime.clone());
        for rule in &file.rules {
            site_rules::apply(&mut ctx, &file.regime, rule);
        }
    }
    // Every other language: what is not translated, or older than its original.
    ctx.findings.extend(translations::findings(compiled));
    for inc in &model.incidents {
        let notified = compiled
            .content
            .incidents
            .iter()
            .find(|i| i.slug == inc.slug)
            .map_or(&[][..], |i| i.notified.as_slice());
        let site_regimes: BTreeSet<&str> = config.check.regimes.iter().map(|r| r.id()).collect();
        let regimes_of = |places: &[crate::base::vocab::Jurisdiction]| {
            let mut regimes = site_regimes.clone();
            regimes.extend(places.iter().filter_map(|j| j.regime()).map(|r| r.id()));
            regimes
        };
        // With audiences, each law is judged on the notice of the people it
        // protects; the notice for everyone answers to the site's regimes.
        let whole_regimes = if inc.for_audiences.is_empty() {
            regimes_of(&inc.jurisdictions)
        } else {
            site_regimes.clone()
        };
        let docs = incident::documents(&ctx, inc);
        one_source(&mut ctx, inc, inc, &docs);
        judge_regimes(
            &mut ctx,
            files,
            inc,
            &docs,
            &whole_regimes,
            &mut all_regimes,
        );
        for view in &inc.for_audiences {
            let Some(a) = &view.audience else { continue };
            let before = ctx.findings.len();
            let regimes = regimes_of(&view.jurisdictions);
            let docs = incident::documents(&ctx, view);
            judge_regimes(&mut ctx, files, view, &docs, &regimes, &mut all_regimes);
            one_source(&mut ctx, inc, view, &docs);
            for (hit, data) in incident::audience_data(&ctx, inc, view, &docs) {
                let mut d = Diagnostic::error(
                    hit.file,
                    format!("this notice says {data} were involved, but for these people they were not"),
                )
                .with_hint(format!(
                    "move the sentence into a part for the audiences whose {data} were involved (`::: for <id>` … `:::`), or add it to this audience's data_types if it is true"
                ));
                d.line = hit.line;
                d.col = hit.col;
                d.note = hit.detail;
                d.documents = hit.documents.iter().map(|k| k.id().to_string()).collect();
                d.incident = Some(inc.slug.clone());
                d.rule = Some(RuleRef {
                    id: "audience.data".into(),
                    regime: "site".into(),
                    source: "the incident's [[audience]] data_types".into(),
                    last_verified: String::new(),
                });
                ctx.findings.push(d);
            }
            for d in &mut ctx.findings[before..] {
                d.audience = Some(format!("`{}` ({})", a.id, a.name));
            }
        }
        // Each place's law: triggered or not by what its people lost, and
        // every duty it lays down.
        let judged = laws::obligations(
            &clock,
            inc,
            &places_law,
            &laws::places(inc, mailed.get(&inc.slug).map(|m| &m.places)),
            notified,
            now,
        );
        for l in judged.laws.iter().filter(|l| {
            l.status != laws::Status::NotTriggered
                && !l.content_checked
                && !l.must_include.is_empty()
        }) {
            let mut d = Diagnostic::warning(
                format!("content/incidents/{}/_index.md", inc.slug),
                format!(
                    "the notice to people in {} must include: {}{}; candor does not check this for {} (only its duties and deadlines)",
                    l.name,
                    l.must_include.join("; "),
                    if l.must_not_include.is_empty() {
                        String::new()
                    } else {
                        format!("; and must not include: {}", l.must_not_include.join("; "))
                    },
                    l.name
                ),
            )
            .with_hint(format!(
                "check the notice yourself against {} (`candor check` lists the rest of its duties below)",
                l.law
            ));
            d.incident = Some(inc.slug.clone());
            d.rule = Some(RuleRef {
                id: format!("{}.content", l.place),
                regime: l.place.clone(),
                source: l.law.clone(),
                last_verified: l.last_checked.clone(),
            });
            ctx.findings.push(d);
        }
        law_rows.extend(judged.laws);
        deadlines.extend(judged.rows);
        // The clocks of sector regimes (HIPAA), once an incident, counting
        // the people it protects across audiences.
        let mut deadline_regimes = regimes_of(&inc.jurisdictions);
        for view in &inc.for_audiences {
            deadline_regimes.extend(regimes_of(&view.jurisdictions));
        }
        for file in files
            .iter()
            .filter(|f| !f.always && deadline_regimes.contains(f.regime.as_str()))
        {
            all_regimes.insert(file.regime.clone());
            let counted = mailed.get(&inc.slug).map(|m| mailed_under(m, &file.regime));
            let people = counted.or_else(|| people_under(inc, &file.regime));
            for d in &file.deadlines {
                let done = notified.iter().find(|n| n.who == d.id).map(|n| n.at);
                let mut row =
                    deadlines::deadline_row(&clock, inc, &file.regime, d, done, now, people);
                if !inc.for_audiences.is_empty() || counted.is_some() {
                    row.people = people;
                }
                deadlines.push(row);
            }
        }
        if let Some(m) = mailed.get(&inc.slug) {
            disagreements(&mut ctx, inc, m);
            unruled(&mut ctx, inc, m, &places_law);
        }
        uncovered(&mut ctx, inc);
        // Per-incident checks of the always-on regimes.
        for file in files.iter().filter(|f| f.always) {
            for rule in &file.rules {
                incident::apply(&mut ctx, &file.regime, rule, inc, &docs);
            }
        }
    }
    // A legal deadline that has passed with nothing recorded is an error.
    for row in deadlines.iter().filter(|r| r.overdue) {
        let mut d = Diagnostic::error(
            format!("content/incidents/{}/_index.md", row.incident),
            format!("{}: {}", row.who, row.state),
        )
        .with_hint(format!(
            "notify them now; then record it in the incident's front matter: [[notified]] who = \"{}\", at = the time you did",
            row.id
        ));
        d.rule = Some(RuleRef {
            id: format!("{}.deadline.{}", row.regime, row.id),
            regime: row.regime.clone(),
            source: row.source.clone(),
            last_verified: String::new(),
        });
        d.incident = Some(row.incident.clone());
        ctx.findings.push(d);
    }
    let findings = sorted(ctx.findings);
    let errors = findings
        .iter()
        .filter(|f| f.level == Severity::Error)
        .count();
    Report {
        disclaimer: format!(
            "This is a checklist, not legal advice: each rule cites its source; the rules for each place were last checked on {}.",
            laws::oldest_check(&places_law).unwrap_or_else(|| "an unknown date".into())
        ),
        regimes: all_regimes.into_iter().collect(),
        laws: law_rows,
        warnings: findings.len() - errors,
        findings,
        deadlines,
        errors,
    }
}

/// One source: the regulator's report, the breach log and status.json are
/// made from the incident's counts and `data_types`; a notice that says
/// other numbers, or lists data they do not, would tell the regulator
/// something different from the people affected.
fn one_source(
    ctx: &mut Ctx<'_>,
    inc: &crate::model::IncidentView,
    view: &crate::model::IncidentView,
    docs: &[document::Document],
) {
    let rule = |id: &str, source: &str| RuleRef {
        id: id.into(),
        regime: "site".into(),
        source: source.into(),
        last_verified: String::new(),
    };
    let mut found = Vec::new();
    let counts = inc.people_affected.map_or_else(
        || "its audiences' people".to_string(),
        |n| {
            format!(
                "{} people (people_affected)",
                crate::base::text::group_thousands(n)
            )
        },
    );
    for (hit, n) in incident::people_numbers(ctx, inc, view, docs) {
        let mut d = Diagnostic::error(
            hit.file.clone(),
            format!(
                "this notice says {}, but the incident counts {counts}: the regulator's report and the breach log would say otherwise",
                crate::base::text::group_thousands(n)
            ),
        )
        .with_hint("correct the sentence, or people_affected and the audiences' people (with a [[correction]] if either was published)");
        d.rule = Some(rule(
            "facts.people",
            "the incident's people_affected and [[audience]] people",
        ));
        found.push((hit, d));
    }
    let clock = crate::base::time::Clock::or_utc(&ctx.compiled.config.timezone);
    if let Ok(at) = Timestamp::from_second(inc.discovered.epoch) {
        let z = clock.zoned(at);
        let when = inc.discovered.date.clone();
        for (hit, said) in
            incident::discovery_dates(ctx, inc, view, docs, (z.year(), z.month(), z.day()))
        {
            let mut d = Diagnostic::error(
                hit.file.clone(),
                format!(
                    "this notice says the breach was found on {said}, but the incident was discovered on {when}: the regulator's report and the breach log would say {when}"
                ),
            )
            .with_hint("correct the sentence, or `discovered` (with a [[correction]] if either was published)");
            d.rule = Some(rule("facts.discovered", "the incident's discovered"));
            found.push((hit, d));
        }
    }
    if view.audience.is_none() {
        for (hit, data) in incident::unlisted_data(ctx, inc, docs) {
            let mut d = Diagnostic::error(
                hit.file.clone(),
                format!(
                    "this notice says {data} were involved, but the incident's data_types do not list them: the regulator's report and the breach log would leave them out"
                ),
            )
            .with_hint("add them to data_types (and to the audiences whose data it was), or correct the sentence");
            d.rule = Some(rule("facts.data", "the incident's data_types"));
            found.push((hit, d));
        }
    }
    for (hit, mut d) in found {
        d.line = hit.line;
        d.col = hit.col;
        d.note = hit.detail;
        d.documents = hit.documents.iter().map(|k| k.id().to_string()).collect();
        d.incident = Some(inc.slug.clone());
        if let Some(a) = &view.audience {
            d.audience = Some(format!("`{}` ({})", a.id, a.name));
        }
        ctx.findings.push(d);
    }
}

/// Judge the rules of `regimes` on one notice (an incident's, or an
/// audience's) as its readers get it.
fn judge_regimes(
    ctx: &mut Ctx<'_>,
    files: &[RuleFile],
    inc: &crate::model::IncidentView,
    docs: &[document::Document],
    regimes: &BTreeSet<&str>,
    all_regimes: &mut BTreeSet<String>,
) {
    let under: Vec<&str> = regimes.iter().copied().collect();
    for file in files
        .iter()
        .filter(|f| !f.always && regimes.contains(f.regime.as_str()))
    {
        all_regimes.insert(file.regime.clone());
        let discovered = Timestamp::from_second(inc.discovered.epoch).ok();
        let in_force = |r: &&Rule| {
            r.since
                .as_ref()
                .and_then(laws::date_of)
                .zip(discovered)
                .is_none_or(|(since, d)| since <= d)
        };
        for rule in file
            .rules
            .iter()
            .filter(|r| r.applies_to(inc, &under))
            .filter(in_force)
        {
            let covered = rule.after.as_ref().is_some_and(|first| {
                ctx.findings.iter().any(|d| {
                    d.incident.as_deref() == Some(inc.slug.as_str())
                        && d.audience.is_none() == inc.audience.is_none()
                        && d.rule.as_ref().is_some_and(|r| r.id == *first)
                })
            });
            if !covered {
                incident::apply(ctx, &file.regime, rule, inc, docs);
            }
        }
    }
}

/// How many of an incident's people a regime protects: with audiences,
/// the residents of its places in each audience (an audience in several
/// places that does not say how many live where counts whole, so no
/// threshold is missed); without, the incident's count.
fn people_under(inc: &crate::model::IncidentView, regime: &str) -> Option<i64> {
    if inc.audiences.is_empty() {
        return inc.people_affected;
    }
    let mut total = 0;
    for a in &inc.audiences {
        let here: Vec<_> = a
            .jurisdictions
            .iter()
            .filter(|j| j.regime().is_some_and(|r| r.id() == regime))
            .collect();
        if here.is_empty() {
            continue;
        }
        let counted: Vec<i64> = a
            .residents
            .iter()
            .filter(|r| here.contains(&&r.jurisdiction))
            .map(|r| r.people)
            .collect();
        total += if counted.len() == here.len() {
            counted.iter().sum()
        } else {
            a.people?
        };
    }
    Some(total)
}

/// The people of a recipients file who live where `regime` applies.
fn mailed_under(m: &Mailed, regime: &str) -> i64 {
    use crate::base::vocab::{Jurisdiction, Word};
    let n: usize = m
        .places
        .iter()
        .filter(|(place, _)| {
            Jurisdiction::from_id(place)
                .is_some_and(|j| j.regime().is_some_and(|r| r.id() == regime))
        })
        .map(|(_, n)| n)
        .sum();
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The recipients file and the incident must count the same people.
fn disagreements(ctx: &mut Ctx<'_>, inc: &crate::model::IncidentView, m: &Mailed) {
    let file = format!("content/incidents/{}/_index.md", inc.slug);
    let mut said = |message: String| {
        let mut d = Diagnostic::warning(&file, message).with_hint(format!(
            "correct the counts (with a [[correction]] if they were published), or the recipients file (mailing/{}/summary.json counts it)",
            inc.slug
        ));
        d.incident = Some(inc.slug.clone());
        ctx.findings.push(d);
    };
    for a in &inc.audiences {
        let sent = m.audiences.get(&a.id).copied().unwrap_or(0);
        if let Some(n) = a.people
            && usize::try_from(n).ok() != Some(sent)
        {
            said(format!(
                "audience `{}` says {} people, but the recipients file has {}",
                a.id,
                crate::base::text::group_thousands(n),
                crate::base::text::group_thousands(i64::try_from(sent).unwrap_or(i64::MAX))
            ));
        }
    }
    if inc.audiences.is_empty()
        && let Some(n) = inc.people_affected
        && usize::try_from(n).ok() != Some(m.people)
    {
        said(format!(
            "people_affected is {}, but the recipients file has {} people",
            crate::base::text::group_thousands(n),
            crate::base::text::group_thousands(i64::try_from(m.people).unwrap_or(i64::MAX))
        ));
    }
}

/// People of the recipients file who live where candor has no rules (or
/// where the file does not say): named, never silently skipped.
fn unruled(ctx: &mut Ctx<'_>, inc: &crate::model::IncidentView, m: &Mailed, all: &[laws::Law]) {
    let file = format!("content/incidents/{}/_index.md", inc.slug);
    for (place, n) in &m.places {
        if all.iter().any(|l| l.id == *place) {
            continue;
        }
        let count = crate::base::text::group_thousands(i64::try_from(*n).unwrap_or(i64::MAX));
        let (people, have, live) = if *n == 1 {
            ("1 person".to_string(), "has", "lives")
        } else {
            (format!("{count} people"), "have", "live")
        };
        let (message, hint) = match place.as_str() {
            "unknown" => (
                format!("{people} in the recipients file {have} no country, so no law was checked for them"),
                "give each row a country (and, in the US, a state in `region`)".to_string(),
            ),
            "us" => (
                format!("{people} in the recipients file {live} in the US with no state, so no state law was checked for them"),
                "give their state in the `region` column (two letters, such as TX)".to_string(),
            ),
            other => (
                format!("{people} in the recipients file {live} in `{other}`, where candor has no rules: their law was not checked"),
                "check that country's notification law yourself, or with a lawyer (`candor check --rules` lists the places candor knows)".to_string(),
            ),
        };
        let mut d = Diagnostic::warning(&file, message).with_hint(hint);
        d.incident = Some(inc.slug.clone());
        ctx.findings.push(d);
    }
}

/// Places the incident names that candor has no rules for: said, never
/// silently skipped.
fn uncovered(ctx: &mut Ctx<'_>, inc: &crate::model::IncidentView) {
    use crate::base::vocab::Jurisdiction;
    let file = format!("content/incidents/{}/_index.md", inc.slug);
    for j in inc.jurisdictions.iter().filter(|j| j.regime().is_none()) {
        let d = match j {
            Jurisdiction::Us => Diagnostic::warning(
                &file,
                "`us` names no state, so no US law was checked: US breach laws are state laws",
            )
            .with_hint(
                "name the states where the people affected live, such as us-tx or us-fl (`candor check --rules` lists every state and territory)",
            ),
            // Every other place has its duties in rules/jurisdictions/;
            // what its notice must say is listed with them.
            _ => continue,
        };
        let mut d = d;
        d.incident = Some(inc.slug.clone());
        ctx.findings.push(d);
    }
}

/// Findings in file and line order, each once.
fn sorted(mut findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        (
            d.file.clone(),
            d.line,
            d.rule.as_ref().map(|r| r.id.clone()),
            d.note.clone(),
            d.message.clone(),
        )
    };
    findings.sort_by_key(key);
    findings.dedup_by(|a, b| key(a) == key(b));
    findings
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
    // Each audience's notice, at its own address (its parts are found here).
    for i in content
        .incidents
        .iter()
        .filter(|i| published_incident(&i.slug))
    {
        for a in &i.audiences {
            out.push(Source {
                body: &a.body,
                page: format!("incidents/{}/for/{}/", i.slug, a.id),
            });
        }
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
