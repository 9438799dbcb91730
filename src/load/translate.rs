//! Translations: `<name>.<language>.md` beside a content file gives that
//! item's words in another language. A translated update is the same
//! update (same id, time and status); only its words differ.
//!
//! [`variant`] makes the site's content in one language: each item in its
//! translation where there is one, and in the original, marked as such,
//! where there is none (never a blank page).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::content::*;
use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::load::config::Config;

/// The id the published record knows an item by (`incidents/x/update`),
/// for the kinds it records; `None` for the others.
pub fn record_id(kind: &Kind) -> Option<String> {
    match kind {
        Kind::Incident(s) => Some(format!("incidents/{s}")),
        Kind::Update(i, s) => Some(format!("incidents/{i}/{s}")),
        Kind::Faq(s) => Some(format!("faq/{s}")),
        _ => None,
    }
}

/// The id of an item whatever its kind, for telling items apart.
pub fn item_key(kind: &Kind) -> String {
    match kind {
        Kind::Home => "home".into(),
        Kind::FaqIntro => "faq".into(),
        Kind::GuidanceIntro => "guidance".into(),
        Kind::Incident(s) => format!("incidents/{s}"),
        Kind::Update(i, s) => format!("incidents/{i}/{s}"),
        Kind::Faq(s) => format!("faq/{s}"),
        Kind::Guidance(s) => format!("guidance/{s}"),
        Kind::Page(s) => format!("pages/{s}"),
        Kind::Translation(l, of) => format!("{}.{l}", item_key(of)),
    }
}

/// What the record calls a translation of `id` into `lang`.
pub fn translated_id(id: &str, lang: &str) -> String {
    format!("{id}.{lang}")
}

/// The file a translation translates (`content/faq/x.md` for `x.cy.md`).
pub fn original_file(t: &Translation) -> String {
    let suffix = format!(".{}.md", t.lang);
    t.body
        .file
        .strip_suffix(&suffix)
        .map_or_else(|| t.body.file.clone(), |stem| format!("{stem}.md"))
}

pub fn update(u: &Update, t: &Translation) -> Update {
    let mut u = u.clone();
    if let Some(v) = &t.title {
        u.title = v.clone();
    }
    if t.summary.is_some() {
        u.summary = t.summary.clone();
    }
    if t.status_label.is_some() {
        u.status_label = t.status_label.clone();
    }
    u.corrections = t.corrections.clone();
    u.body = t.body.clone();
    u
}

pub fn incident(i: &Incident, t: &Translation) -> Incident {
    let mut i = i.clone();
    if let Some(v) = &t.title {
        i.title = v.clone();
    }
    if t.summary.is_some() {
        i.summary = t.summary.clone();
    }
    i.corrections = t.corrections.clone();
    // Its `::: for` parts go to their audiences, as the original's do.
    let ids: Vec<&str> = i.audiences.iter().map(|a| a.id.as_str()).collect();
    let mut unused = Vec::new();
    match super::audiences::split_translation(&t.body, &ids, &mut unused) {
        Some((common, each)) => {
            i.body = common;
            for (a, (_, body)) in i.audiences.iter_mut().zip(each) {
                a.body = body;
            }
        }
        None => {
            i.body = t.body.clone();
            for a in &mut i.audiences {
                a.body = t.body.clone();
            }
        }
    }
    i
}

pub fn faq(f: &Faq, t: &Translation) -> Faq {
    let mut f = f.clone();
    if let Some(v) = &t.question {
        f.question = v.clone();
    }
    if let Some(v) = &t.category {
        f.category = v.clone();
    }
    f.corrections = t.corrections.clone();
    f.body = t.body.clone();
    f
}

fn guidance(g: &mut Guidance, t: &Translation) {
    if let Some(v) = &t.title {
        g.title = v.clone();
    }
    if t.summary.is_some() {
        g.summary = t.summary.clone();
    }
    g.body = t.body.clone();
}

fn page(p: &mut Page, t: &Translation) {
    if let Some(v) = &t.title {
        p.title = v.clone();
    }
    if t.description.is_some() {
        p.description = t.description.clone();
    }
    p.body = t.body.clone();
}

fn intro(i: &mut Intro, t: &Translation) {
    if t.title.is_some() {
        i.title = t.title.clone();
    }
    if t.description.is_some() {
        i.description = t.description.clone();
    }
    i.body = Some(t.body.clone());
}

/// The content in `lang`, and the keys ([`item_key`]) of what is shown in
/// it: the rest is shown in the original.
pub fn variant(content: &Content, lang: &str) -> (Content, HashSet<String>) {
    let mine: HashMap<String, &Translation> = content
        .translations
        .iter()
        .filter(|t| t.lang == lang)
        .map(|t| (item_key(&t.of), t))
        .collect();
    let mut translated = HashSet::new();
    let mut take = |key: String| -> Option<&Translation> {
        let t = mine.get(&key).copied();
        if t.is_some() {
            translated.insert(key);
        }
        t
    };
    let mut out = Content {
        home: content.home.clone(),
        faq_intro: content.faq_intro.clone(),
        guidance_intro: content.guidance_intro.clone(),
        incidents: Vec::with_capacity(content.incidents.len()),
        updates: Vec::with_capacity(content.updates.len()),
        faq: Vec::with_capacity(content.faq.len()),
        guidance: content.guidance.clone(),
        pages: content.pages.clone(),
        assets: content.assets.clone(),
        lookup: content.lookup,
        translations: Vec::new(),
    };
    for (kind, i) in [
        (Kind::Home, &mut out.home),
        (Kind::FaqIntro, &mut out.faq_intro),
        (Kind::GuidanceIntro, &mut out.guidance_intro),
    ] {
        if let Some(t) = take(item_key(&kind)) {
            intro(i, t);
        }
    }
    for i in &content.incidents {
        out.incidents
            .push(match take(item_key(&Kind::Incident(i.slug.clone()))) {
                Some(t) => Arc::new(incident(i, t)),
                None => i.clone(),
            });
    }
    for u in &content.updates {
        let key = item_key(&Kind::Update(u.incident.clone(), u.slug.clone()));
        out.updates.push(match take(key) {
            Some(t) => Arc::new(update(u, t)),
            None => u.clone(),
        });
    }
    for f in &content.faq {
        out.faq
            .push(match take(item_key(&Kind::Faq(f.slug.clone()))) {
                Some(t) => Arc::new(faq(f, t)),
                None => f.clone(),
            });
    }
    for g in &mut out.guidance {
        if let Some(t) = take(item_key(&Kind::Guidance(g.slug.clone()))) {
            guidance(g, t);
        }
    }
    for p in &mut out.pages {
        if let Some(t) = take(item_key(&Kind::Page(p.slug.clone()))) {
            page(p, t);
        }
    }
    (out, translated)
}

/// Every translation translates a file that exists, into one of the
/// site's other languages.
pub fn check(content: &Content, config: &Config, diags: &mut Vec<Diagnostic>) {
    // Every item's key is made only when there is something to look up.
    if content.translations.is_empty() {
        return;
    }
    let mut items: HashSet<String> = HashSet::new();
    items.extend(["home", "faq", "guidance"].map(String::from));
    items.extend(
        content
            .incidents
            .iter()
            .map(|i| item_key(&Kind::Incident(i.slug.clone()))),
    );
    items.extend(
        content
            .updates
            .iter()
            .map(|u| item_key(&Kind::Update(u.incident.clone(), u.slug.clone()))),
    );
    items.extend(
        content
            .faq
            .iter()
            .map(|f| item_key(&Kind::Faq(f.slug.clone()))),
    );
    items.extend(
        content
            .guidance
            .iter()
            .map(|g| item_key(&Kind::Guidance(g.slug.clone()))),
    );
    items.extend(
        content
            .pages
            .iter()
            .map(|p| item_key(&Kind::Page(p.slug.clone()))),
    );
    let files: Vec<String> = content
        .updates
        .iter()
        .map(|u| u.body.file.clone())
        .chain(content.faq.iter().map(|f| f.body.file.clone()))
        .chain(content.guidance.iter().map(|g| g.body.file.clone()))
        .chain(content.pages.iter().map(|p| p.body.file.clone()))
        .collect();
    for t in &content.translations {
        let file = &t.body.file;
        let original = original_file(t);
        if !items.contains(&item_key(&t.of)) {
            let mut d = Diagnostic::error(
                file,
                format!("this translates {original}, which does not exist"),
            );
            d.hint = Some(
                match did_you_mean(&original, files.iter().map(String::as_str)) {
                    Some(s) => format!(
                        "did you mean a translation of {s}? Name it after the file it translates, with `.{}` before `.md`",
                        t.lang
                    ),
                    None => format!(
                        "a translation sits beside the file it translates, named like it with `.{}` before `.md`",
                        t.lang
                    ),
                },
            );
            diags.push(d);
            continue;
        }
        // A notice's parts for its audiences, checked as the original's are.
        if let Kind::Incident(slug) = &t.of
            && let Some(inc) = content.incidents.iter().find(|i| &i.slug == slug)
        {
            let ids: Vec<&str> = inc.audiences.iter().map(|a| a.id.as_str()).collect();
            let _ = super::audiences::split_translation(&t.body, &ids, diags);
        }
        if t.lang.eq_ignore_ascii_case(&config.language) {
            diags.push(
                Diagnostic::error(
                    file,
                    format!(
                        "`{}` is the site's own language, so {original} is already in it",
                        t.lang
                    ),
                )
                .with_hint("remove this file, or change the site's `language` in site.toml"),
            );
        } else if !config.languages.iter().any(|l| l == &t.lang) {
            diags.push(
                Diagnostic::warning(
                    file,
                    format!("`{}` is not one of the site's languages, so this translation is not published", t.lang),
                )
                .with_hint(format!(
                    "add it to site.toml: languages = [{}]",
                    config
                        .languages
                        .iter()
                        .map(String::as_str)
                        .chain(std::iter::once(t.lang.as_str()))
                        .map(|l| format!("\"{l}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
}
