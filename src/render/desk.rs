//! For the regulator and the front desk: what the organisation itself
//! needs, from the same content as the notice, so it never says something
//! different. Written beside the notices (never published, never sent):
//!
//! ```text
//! notices/<incident>/desk/ico.html, ico.json       the ICO's breach report, field by field
//! notices/<incident>/desk/<regulator>.html, .json  each US regulator the law calls for
//! notices/<incident>/desk/call-script.html         for the people who answer the phone (2 A4 pages)
//! notices/<incident>/desk/counter.html             a notice for the shop counter or reception
//! notices/breach-log.html, breach-log.csv          the record of every breach (UK GDPR Art. 33(5))
//! ```
//!
//! A field candor cannot fill is listed as missing, with the line of
//! content that fills it. Templates: `desk_report.html`,
//! `call_script.html`, `counter.html`, `breach_log.html`.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::base::diagnostics::Diagnostic;
use crate::base::fingerprint::{Fingerprint, Fp};
use crate::base::output::{Emit, FileData};
use crate::base::text::group_thousands;
use crate::base::vocab::{DataType, Jurisdiction, Word};
use crate::load::config::Config;
use crate::load::content::{Content, Incident};
use crate::markdown::plain::to_plain_unwrapped;
use crate::model::laws::{self, Law, Status};
use crate::model::{IncidentView, Model};
use crate::render::pages::ViewValues;
use crate::render::prints::Prints;
use crate::render::templates::Templates;

/// One field of a regulator's form: its value, or what is missing and how
/// to give it.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub label: String,
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
}

fn filled(label: &str, value: impl Into<String>) -> Field {
    Field {
        label: label.into(),
        value: Some(value.into()),
        missing: None,
    }
}

fn field(label: &str, value: Option<String>, missing: &str) -> Field {
    match value.filter(|v| !v.trim().is_empty()) {
        Some(v) => filled(label, v),
        None => Field {
            label: label.into(),
            value: None,
            missing: Some(missing.into()),
        },
    }
}

/// A report to one regulator, ready to copy into its form.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// `ico`, `tx-attorney-general`: the file's name and `[[notified]] who`.
    pub id: String,
    pub regulator: String,
    pub place: String,
    /// How to file it: the form, its address.
    pub how: String,
    pub deadline: String,
    /// "initial" or "follow-up" (a report already recorded in `[[notified]]`).
    pub report: &'static str,
    /// What the law says the report must contain.
    pub content: Option<String>,
    pub fields: Vec<Field>,
    /// Files to attach, relative to the notices folder.
    pub attach: Vec<String>,
    pub missing: usize,
    pub incident: String,
}

/// The notice's sections by heading, as plain text.
struct Sections {
    parts: Vec<(String, String)>,
    origin: String,
    base_path: String,
}

impl Sections {
    fn of(markdown: &str, config: &Config) -> Sections {
        let mut parts: Vec<(String, String)> = Vec::new();
        let mut current = (String::new(), String::new());
        for line in markdown.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                parts.push(std::mem::take(&mut current));
                current.0 = h.trim().trim_end_matches('?').to_lowercase();
            } else {
                current.1.push_str(line);
                current.1.push('\n');
            }
        }
        parts.push(current);
        Sections {
            parts,
            origin: config.origin().to_string(),
            base_path: config.base_path.clone(),
        }
    }

    /// The first section whose heading starts with one of `names`, as
    /// plain text without the `::: for` markers.
    fn get(&self, names: &[&str]) -> Option<String> {
        self.parts
            .iter()
            .find(|(h, _)| names.iter().any(|n| h.starts_with(n)))
            .map(|(_, md)| {
                let md: String = md
                    .lines()
                    .filter(|l| !l.trim_start().starts_with(":::"))
                    .collect::<Vec<_>>()
                    .join("\n");
                to_plain_unwrapped(&md, &self.origin, &self.base_path)
                    .trim()
                    .to_string()
            })
            .filter(|t| !t.is_empty())
    }
}

const WHAT_HAPPENED: &[&str] = &["what happened"];
const WHAT_WE_DO: &[&str] = &[
    "what we are doing",
    "what we're doing",
    "what we have done",
    "what we did",
];
const WHAT_YOU_DO: &[&str] = &["what you can do", "what you should do", "what to do"];

/// Render the drafts, the front-desk pack and the breach log.
/// In the preview: each incident's desk pack as last made, by slug, and
/// the breach log made from their entries.
#[derive(Default)]
pub struct Kept {
    packs: std::collections::HashMap<String, KeptPack>,
    /// The fingerprint of every pack it lists, in order; its files.
    log: Option<(Fingerprint, SharedFiles)>,
}

/// Files by path, their bytes shared with the cache.
type SharedFiles = Vec<(String, Arc<[u8]>)>;

/// An incident's drafts and desk pack, with what they were made from: the
/// settings and templates, the incident's view, its file (by its body,
/// kept alive so that the same address is the same text) and the time.
pub struct KeptPack {
    fingerprint: Fingerprint,
    body: Arc<str>,
    files: SharedFiles,
    diags: Vec<Diagnostic>,
    logged: Option<Entry>,
}

pub fn render(
    templates: &Templates,
    config: &Config,
    content: &Content,
    model: &Model,
    emit: Emit<'_>,
    views: &ViewValues,
    reuse: Option<(&Kept, &Prints)>,
) -> (Vec<(String, FileData)>, Vec<Diagnostic>, Kept) {
    let mut out = Out {
        templates,
        emit,
        files: Vec::new(),
        diags: Vec::new(),
    };
    let all = laws::parsed();
    let sources: std::collections::HashMap<&str, &Incident> = content
        .incidents
        .iter()
        .map(|i| (i.slug.as_str(), &**i))
        .collect();
    // Each incident's drafts and desk pack, side by side; then in order.
    // In the preview, a pack whose sources did not change is reused.
    let made: Vec<_> = model
        .incidents
        .par_iter()
        .enumerate()
        .filter(|(_, i)| !i.draft)
        .map(|(index, inc)| {
            let mut out = Out {
                templates,
                emit,
                files: Vec::new(),
                diags: Vec::new(),
            };
            let Some(source) = sources.get(inc.slug.as_str()).copied() else {
                return (out.files, out.diags, None, None);
            };
            let key = reuse.map(|(_, p)| {
                Fp::new()
                    .add(&p.base)
                    .add(&p.incidents.get(index).copied().unwrap_or_default())
                    .add(&(Arc::as_ptr(&source.body.text) as *const u8))
                    .add(&model.now.iso)
                    .add(&model.lookup)
                    .finish()
            });
            if let (Some((kept, _)), Some(key)) = (reuse, key)
                && let Some(pack) = kept
                    .packs
                    .get(&inc.slug)
                    .filter(|k| k.fingerprint == key && Arc::ptr_eq(&k.body, &source.body.text))
            {
                let files = pack
                    .files
                    .iter()
                    .map(|(p, b)| (p.clone(), FileData::Shared(Arc::clone(b))))
                    .collect();
                let again = KeptPack {
                    fingerprint: key,
                    body: Arc::clone(&pack.body),
                    files: pack.files.clone(),
                    diags: pack.diags.clone(),
                    logged: pack.logged.clone(),
                };
                return (files, pack.diags.clone(), pack.logged.clone(), Some(again));
            }
            let sections = Sections::of(&source.body.text, config);
            let drafts = drafts(config, inc, source, &sections, all, model);
            let mut ctx = Context::new();
            ctx.insert("site", config);
            ctx.insert("now", &model.now);
            // The incident's value, shared with its pages and notices.
            ctx.insert_value("incident", views.incident(index));
            for d in &drafts {
                ctx.insert("draft", d);
                out.render(
                    "desk_report.html",
                    &ctx,
                    format!("{}/desk/{}.html", inc.slug, d.id),
                );
                out.keep(
                    format!("{}/desk/{}.json", inc.slug, d.id),
                    serde_json::to_vec_pretty(d).unwrap_or_default(),
                );
            }
            let desk = desk(config, inc, source, &sections, content, model);
            ctx.insert("desk", &desk);
            ctx.insert("drafts", &drafts);
            out.render(
                "call_script.html",
                &ctx,
                format!("{}/desk/call-script.html", inc.slug),
            );
            out.render(
                "counter.html",
                &ctx,
                format!("{}/desk/counter.html", inc.slug),
            );
            let logged = entry(config, inc, source, &sections, &drafts);
            let pack = key.map(|fingerprint| {
                // Shared with the cache, not copied.
                for (_, data) in &mut out.files {
                    if let FileData::Bytes(b) = data {
                        *data = FileData::Shared(Arc::from(std::mem::take(b)));
                    }
                }
                KeptPack {
                    fingerprint,
                    body: Arc::clone(&source.body.text),
                    files: out
                        .files
                        .iter()
                        .filter_map(|(p, d)| match d {
                            FileData::Shared(b) => Some((p.clone(), Arc::clone(b))),
                            _ => None,
                        })
                        .collect(),
                    diags: out.diags.clone(),
                    logged: Some(logged.clone()),
                }
            });
            (out.files, out.diags, Some(logged), pack)
        })
        .collect();
    let mut log = Vec::with_capacity(made.len());
    let mut kept = Kept::default();
    // The log is made from every pack's entry: the same packs, the same log.
    let mut log_key = reuse.map(|_| Fp::new());
    for (inc, (files, diags, logged, pack)) in model.incidents.iter().filter(|i| !i.draft).zip(made)
    {
        out.files.extend(files);
        out.diags.extend(diags);
        log.extend(logged);
        match (pack, log_key.as_mut()) {
            (Some(pack), Some(key)) => {
                key.add(&pack.fingerprint);
                kept.packs.insert(inc.slug.clone(), pack);
            }
            // An incident without a pack (no source): make the log.
            _ => log_key = None,
        }
    }
    let log_key = log_key.map(|mut k| k.add(&model.now.iso).finish());
    if let (Some(key), Some((previous, _))) = (log_key, reuse)
        && let Some((was, files)) = previous.log.as_ref().filter(|(was, _)| *was == key)
    {
        out.files.extend(
            files
                .iter()
                .map(|(p, b)| (p.clone(), FileData::Shared(Arc::clone(b)))),
        );
        kept.log = Some((*was, files.clone()));
        return (out.files, out.diags, kept);
    }
    let (before, problems) = (out.files.len(), out.diags.len());
    if !log.is_empty() {
        let mut ctx = Context::new();
        ctx.insert("site", config);
        ctx.insert("now", &model.now);
        ctx.insert("entries", &log);
        out.render("breach_log.html", &ctx, "breach-log.html".into());
        out.keep("breach-log.csv".into(), log_csv(&log));
    }
    // Kept only when made without a problem, which must be told again.
    if let Some(key) = log_key.filter(|_| out.diags.len() == problems) {
        let mut files = Vec::new();
        for (path, data) in &mut out.files[before..] {
            if let FileData::Bytes(b) = data {
                *data = FileData::Shared(Arc::from(std::mem::take(b)));
            }
            if let FileData::Shared(b) = data {
                files.push((path.clone(), Arc::clone(b)));
            }
        }
        kept.log = Some((key, files));
    }
    (out.files, out.diags, kept)
}

struct Out<'a> {
    templates: &'a Templates,
    emit: Emit<'a>,
    files: Vec<(String, FileData)>,
    diags: Vec<Diagnostic>,
}

impl Out<'_> {
    fn keep(&mut self, path: String, bytes: Vec<u8>) {
        match self.emit.keep(true, &path, bytes) {
            Ok(data) => self.files.push((path, data)),
            Err(e) => self.diags.push(crate::base::output::write_error(&path, e)),
        }
    }

    fn render(&mut self, name: &str, ctx: &Context, path: String) {
        match self.templates.render(name, ctx) {
            Ok(text) => self.keep(path, text.into_bytes()),
            Err(errors) => self.diags.extend(errors),
        }
    }
}

/// "1 person", "1,240 people"
fn people(n: i64) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{} people", group_thousands(n))
    }
}

/// When the breach happened, in words.
fn occurred(inc: &IncidentView) -> Option<String> {
    match (&inc.occurred_start, &inc.occurred_end) {
        (Some(a), Some(b)) => Some(format!("from {} to {}", a.long, b.long)),
        (Some(a), None) => Some(format!("from {}", a.long)),
        (None, Some(b)) => Some(format!("until {}", b.long)),
        (None, None) => None,
    }
}

/// When someone was told, as `[[notified]]` records it.
fn told(source: &Incident, who: &str) -> Option<jiff::Timestamp> {
    source
        .notified
        .iter()
        .filter(|n| n.who == who || n.who.ends_with(&format!(".{who}")))
        .map(|n| n.at)
        .min()
}

fn data_list(types: &[DataType]) -> String {
    let sensitive = |d: &DataType| {
        matches!(
            d,
            DataType::Health | DataType::Biometric | DataType::UsSsn | DataType::GovId
        )
    };
    types
        .iter()
        .map(|d| {
            if sensitive(d) {
                format!("{} (sensitive)", d.label())
            } else {
                d.label().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn drafts(
    config: &Config,
    inc: &IncidentView,
    source: &Incident,
    sections: &Sections,
    all: &[Law],
    model: &Model,
) -> Vec<Draft> {
    let clock = |t: jiff::Timestamp| {
        crate::base::time::Clock::or_utc(&config.timezone)
            .view(t)
            .long
            .clone()
    };
    let contact = source.report.contact.clone().or_else(|| {
        let c = &config.contact;
        let parts: Vec<&str> = [c.email.as_deref(), c.phone.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| format!("{}: {}", config.organisation.name, parts.join(", ")))
    });
    let what = sections.get(WHAT_HAPPENED);
    let doing = sections.get(WHAT_WE_DO);
    let individuals = told(source, "individuals");
    let channels = "email and letter";
    let told_people = individuals.map_or_else(
        || "Not yet".to_string(),
        |t| format!("Yes, on {} by {channels}", clock(t)),
    );
    // Everyone else told, by name: the regulators by their law's name for
    // them, anyone else as written.
    let name_of = |who: &str| -> String {
        let id = who.rsplit('.').next().unwrap_or(who);
        all.iter()
            .flat_map(|l| &l.regulators)
            .find(|r| r.id == id)
            .map_or_else(|| who.to_string(), |r| r.who.clone())
    };
    let others = |except: &str| {
        let mut list: Vec<String> = source
            .notified
            .iter()
            .filter(|n| {
                let id = n.who.rsplit('.').next().unwrap_or(&n.who);
                id != "individuals" && id != except
            })
            .map(|n| format!("{} ({})", name_of(&n.who), clock(n.at)))
            .collect();
        if let Some(o) = &source.report.others_told {
            list.push(o.clone());
        }
        (!list.is_empty()).then(|| list.join("; "))
    };
    let groups = (!inc.audiences.is_empty()).then(|| {
        inc.audiences
            .iter()
            .map(|a| match a.people {
                Some(n) => format!("{}: {}", a.name, people(n)),
                None => a.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    });
    let org = {
        let mut lines = vec![config.organisation.name.clone()];
        lines.extend(config.organisation.address.iter().cloned());
        lines.join(", ")
    };
    // The letters the people of a place receive: each audience's there.
    let letters_of = |place: Jurisdiction| -> Vec<String> {
        let theirs: Vec<String> = inc
            .audiences
            .iter()
            .filter(|a| {
                a.jurisdictions.contains(&place)
                    || a.residents.iter().any(|r| r.jurisdiction == place)
            })
            .map(|a| format!("{}/for/{}/letter.html", inc.slug, a.id))
            .collect();
        if theirs.is_empty() {
            vec![format!("{}/letter.html", inc.slug)]
        } else {
            theirs
        }
    };
    let places = laws::places(inc, None);
    let mut out = Vec::new();
    for p in &places {
        let Some(law) = all.iter().find(|l| l.id == p.place.id()) else {
            continue;
        };
        let (status, _) = laws::trigger(law, &p.data);
        if status == Status::NotTriggered {
            continue;
        }
        for r in &law.regulators {
            if r.only.is_some() {
                continue;
            }
            let over = match p.people {
                laws::Count::Known(n) => n >= r.threshold,
                laws::Count::AtMost(n) => n >= r.threshold,
                laws::Count::Unknown => true,
            };
            if r.threshold > 1 && !over {
                continue;
            }
            let already = told(source, &r.id);
            let mut fields = vec![
                field(
                    "Report",
                    Some(match already {
                        Some(t) => format!("Follow-up (first report {})", clock(t)),
                        None => "Initial report".to_string(),
                    }),
                    "",
                ),
                filled("Organisation", org.clone()),
                field(
                    "Contact for this report (DPO or contact point)",
                    contact.clone(),
                    "add [report] contact = \"Name, role, email, phone\" to the incident, or [contact] email or phone to site.toml",
                ),
                field(
                    "What happened",
                    what.clone(),
                    "add a \"## What happened\" section to the notice",
                ),
                field(
                    "How you found out",
                    source.report.how_discovered.clone(),
                    "add [report] how_discovered = \"…\" to the incident",
                ),
                field(
                    "When it happened",
                    occurred(inc),
                    "add [occurred] start = … and end = … to the incident",
                ),
                filled("When you discovered it", inc.discovered.long.clone()),
            ];
            if law.id == "uk" || law.id == "eu" {
                let within = r.hours.unwrap_or(72);
                let late = already
                    .unwrap_or_else(|| {
                        jiff::Timestamp::from_second(model.now.epoch).unwrap_or_default()
                    })
                    .duration_since(
                        jiff::Timestamp::from_second(inc.discovered.epoch).unwrap_or_default(),
                    )
                    > jiff::SignedDuration::from_hours(within);
                fields.push(if late {
                    field(
                        &format!("Reported more than {within} hours after you became aware: why"),
                        source.report.late_because.clone(),
                        "add [report] late_because = \"…\" to the incident",
                    )
                } else {
                    filled(&format!("Reported within {within} hours"), "Yes")
                });
            }
            fields.extend([
                field(
                    "Kinds of personal data",
                    (!p.data.is_empty()).then(|| data_list(&p.data.iter().copied().collect::<Vec<_>>())),
                    "add data_types to the incident (or its audiences)",
                ),
                field(
                    if law.country == "us" {
                        "Residents of this state affected"
                    } else {
                        "Approximate number of people affected"
                    },
                    match p.people {
                        laws::Count::Known(n) => Some(people(n)),
                        laws::Count::AtMost(n) => Some(format!("no more than {}", people(n))),
                        laws::Count::Unknown => None,
                    },
                    "add people_affected, or the audiences' people and residents, to the incident",
                ),
                field(
                    "Total number of people affected",
                    inc.people_affected.map(people),
                    "add people_affected to the incident",
                ),
                field(
                    "Who they are",
                    groups.clone(),
                    "add [[audience]] entries with names (\"Customers in the UK\") to the incident",
                ),
                field(
                    "Approximate number of records",
                    source.report.records.map(group_thousands),
                    "add [report] records = … to the incident",
                ),
                field(
                    "Likely consequences",
                    source.report.consequences.clone(),
                    "add [report] consequences = \"…\" to the incident",
                ),
                field(
                    "What you have done and will do",
                    doing.clone(),
                    "add a \"## What we are doing\" section to the notice",
                ),
                filled("Have you told the people affected", told_people.clone()),
                field(
                    "Who else you have told (police, other regulators)",
                    others(&r.id),
                    "add [report] others_told = \"…\" to the incident (\"Action Fraud, reference NFRC…\", or \"No one else\")",
                ),
            ]);
            let offers: Vec<String> = inc
                .audiences
                .iter()
                .filter_map(|a| {
                    a.offer
                        .as_ref()
                        .map(|o| format!("{}: {}. {}", a.name, o.what, o.how))
                })
                .collect();
            if law.country == "us" {
                fields.push(field(
                    "Services offered to the people affected",
                    (!offers.is_empty()).then(|| offers.join("; ")),
                    "if you offer credit monitoring, add [audience.offer] to the audience; otherwise write \"None\" on the form",
                ));
            }
            if law.id == "eu" || law.id == "uk" {
                fields.push(filled(
                    "People in other countries",
                    if inc
                        .jurisdictions
                        .iter()
                        .any(|j| *j != p.place && *j != Jurisdiction::Hipaa)
                    {
                        let names: Vec<&str> = inc
                            .jurisdictions
                            .iter()
                            .filter(|j| **j != p.place)
                            .map(|j| j.label())
                            .collect();
                        format!("Yes: {}", names.join(", "))
                    } else {
                        "No".to_string()
                    },
                ));
            }
            let missing = fields.iter().filter(|f| f.missing.is_some()).count();
            out.push(Draft {
                id: r.id.clone(),
                regulator: r.who.clone(),
                place: law.name.clone(),
                how: [Some(r.how.as_str()), r.url.as_deref(), r.email.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(": "),
                deadline: r.deadline.clone(),
                report: if already.is_some() {
                    "follow-up"
                } else {
                    "initial"
                },
                content: r.content.clone(),
                fields,
                attach: letters_of(p.place),
                missing,
                incident: inc.slug.clone(),
            });
        }
    }
    out
}

/// A question callers ask, answered from the FAQ.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub answer: String,
    pub updated: String,
}

/// What the front desk reads.
#[derive(Debug, Clone, Serialize)]
pub struct Desk {
    pub summary: String,
    pub what_happened: Option<String>,
    pub what_to_do: Vec<String>,
    pub say: Vec<String>,
    pub dont_say: Vec<String>,
    pub answers: Vec<Answer>,
    pub affected: Vec<String>,
    pub escalate: Option<String>,
    pub url: String,
}

/// The first `words` words of a text, with "…" if cut.
fn words(text: &str, words: usize) -> String {
    let all: Vec<&str> = text.split_whitespace().collect();
    if all.len() <= words {
        return all.join(" ");
    }
    let mut cut = all[..words].join(" ");
    // End at the last full sentence, if there is one.
    if let Some(end) = cut.rfind(". ").filter(|e| *e > cut.len() / 2) {
        cut.truncate(end + 1);
        return cut;
    }
    format!("{cut} …")
}

fn desk(
    config: &Config,
    inc: &IncidentView,
    source: &Incident,
    sections: &Sections,
    content: &Content,
    model: &Model,
) -> Desk {
    let url = format!("{}{}", config.origin(), inc.url);
    let what_to_do = sections
        .get(WHAT_YOU_DO)
        .map(|t| {
            t.lines()
                .map(|l| {
                    l.trim()
                        .trim_start_matches(['-', '*', '•'])
                        .trim()
                        .to_string()
                })
                .filter(|l| !l.is_empty())
                .map(|l| words(&l, 40))
                .take(6)
                .collect()
        })
        .unwrap_or_default();
    let mut say = Vec::new();
    if let Some(p) = &config.contact.phone {
        say.push(match &config.contact.hours {
            Some(h) => format!("Our helpline is {p} ({h})."),
            None => format!("Our helpline is {p}."),
        });
    }
    say.push(format!(
        "Everything we know is at {url}, and we update it there first."
    ));
    if !config.verify.senders.is_empty() {
        say.push(format!(
            "Our emails about this come only from {}.",
            config.verify.senders.join(" or ")
        ));
    }
    if !config.verify.promise.is_empty() {
        say.push(config.verify.promise.clone());
    }
    let mut dont_say = vec![
        "Do not guess: if the answer is not in the notice or below, say you will find out and call back.".to_string(),
        "Do not ask for a password, a PIN, a card number or a full Social Security or National Insurance number.".to_string(),
        "Do not say who did it, or that no harm was done, unless the notice says so.".to_string(),
        "Do not promise anything the notice does not offer.".to_string(),
        "Do not tell a caller anything about another customer.".to_string(),
    ];
    dont_say.extend(source.desk.dont_say.iter().cloned());
    let faq_md = |slug: &str| {
        content
            .faq
            .iter()
            .find(|f| f.slug == slug)
            .map(|f| to_plain_unwrapped(&f.body.text, config.origin(), &config.base_path))
    };
    let answers = inc
        .faq
        .iter()
        .filter_map(|f| {
            let text = faq_md(&f.slug)?;
            let first = text.split("\n\n").next().unwrap_or_default().to_string();
            Some(Answer {
                question: f.question.clone(),
                answer: words(&first.replace('\n', " "), 45),
                updated: f
                    .updated
                    .as_ref()
                    .map_or_else(|| inc.last_updated.date.clone(), |t| t.date.clone()),
            })
        })
        .take(8)
        .collect();
    let mut affected = Vec::new();
    if model.lookup {
        affected.push(format!(
            "Ask for the code printed on their letter and look it up at {}{}affected/ (it tells you only what that person's letter says).",
            config.origin(),
            config.base_path
        ));
    }
    match told(source, "individuals") {
        Some(t) => affected.push(format!(
            "Everyone affected was written to from {}. No letter or email from us: they are probably not affected; take their name and number and check with the incident lead.",
            crate::base::time::Clock::or_utc(&config.timezone).view(t).date
        )),
        None => affected.push(
            "We have not yet written to the people affected: take their name and number, and tell them they will hear from us.".into(),
        ),
    }
    for a in &inc.audiences {
        affected.push(format!(
            "{}{}: {}.",
            a.name,
            a.people
                .map(|n| format!(" ({})", people(n)))
                .unwrap_or_default(),
            a.data_types
                .iter()
                .map(|d| laws::lower_label(d.id))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Desk {
        summary: inc.summary.clone(),
        what_happened: sections
            .get(WHAT_HAPPENED)
            .map(|t| words(&t.replace('\n', " "), 60)),
        what_to_do,
        say,
        dont_say,
        answers,
        affected,
        escalate: source.desk.escalate.clone(),
        url,
    }
}

/// One breach in the log.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub incident: String,
    pub title: String,
    pub status: String,
    pub discovered: String,
    pub occurred: Option<String>,
    pub people: Option<String>,
    pub data: String,
    pub what_happened: Option<String>,
    pub consequences: Option<String>,
    pub remedial_action: Option<String>,
    /// Each decision and notification, with its time.
    pub decisions: Vec<String>,
    /// Each update published: time and title.
    pub updates: Vec<String>,
    pub corrections: Vec<String>,
    pub last_updated: String,
}

fn entry(
    config: &Config,
    inc: &IncidentView,
    source: &Incident,
    sections: &Sections,
    drafts: &[Draft],
) -> Entry {
    let site_clock = crate::base::time::Clock::or_utc(&config.timezone);
    let clock = |t: jiff::Timestamp| site_clock.view(t).long.clone();
    let mut decisions: Vec<String> = source
        .notified
        .iter()
        .map(|n| format!("{}: told {}", clock(n.at), n.who))
        .collect();
    decisions.extend(source.report.decisions.iter().cloned());
    for d in drafts.iter().filter(|d| d.report == "initial") {
        decisions.push(format!("{} ({}): not recorded as told", d.regulator, d.id));
    }
    Entry {
        incident: inc.slug.clone(),
        title: inc.title.clone(),
        status: inc.status_label.clone(),
        discovered: inc.discovered.long.clone(),
        occurred: occurred(inc),
        people: inc.people_affected.map(people),
        data: data_list(&inc.data_types.iter().map(|d| d.id).collect::<Vec<_>>()),
        what_happened: sections.get(WHAT_HAPPENED),
        consequences: source.report.consequences.clone(),
        remedial_action: sections.get(WHAT_WE_DO),
        decisions,
        updates: inc
            .updates
            .iter()
            .chain(&inc.other_updates)
            .map(|u| format!("{}: {}", u.at.long, u.title))
            .collect(),
        corrections: inc
            .corrections
            .iter()
            .map(|c| format!("{}: {}", c.at.long, c.note))
            .collect(),
        last_updated: inc.last_updated.long.clone(),
    }
}

fn log_csv(log: &[Entry]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "incident",
        "title",
        "status",
        "discovered",
        "occurred",
        "people",
        "data",
        "what_happened",
        "consequences",
        "remedial_action",
        "decisions",
        "updates",
        "corrections",
        "last_updated",
    ]);
    for e in log {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let _ = w.write_record([
            e.incident.clone(),
            e.title.clone(),
            e.status.clone(),
            e.discovered.clone(),
            o(&e.occurred),
            o(&e.people),
            e.data.clone(),
            o(&e.what_happened),
            o(&e.consequences),
            o(&e.remedial_action),
            e.decisions.join("\n"),
            e.updates.join("\n"),
            e.corrections.join("\n"),
            e.last_updated.clone(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}
