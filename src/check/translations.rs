//! Translations: every item the site publishes, in each of its other
//! languages, is translated and no older than its original (by the
//! published record: the original's words changed after the
//! translation's). And which languages the plain-language rules can judge.

use std::collections::HashMap;

use crate::base::diagnostics::{Diagnostic, RuleRef};
use crate::load::content::{Content, Kind, Translation};
use crate::load::translate::{item_key, record_id, translated_id};
use crate::record::History;
use crate::site::Compiled;

/// The languages the plain-language rules know (reading grade, phrases,
/// hidden actors): English, in any region.
pub fn judged_by_plain_rules(lang: &str) -> bool {
    lang.split(['-', '_'])
        .next()
        .is_some_and(|l| l.eq_ignore_ascii_case("en"))
}

fn rule(id: &str, source: &str) -> Option<RuleRef> {
    Some(RuleRef {
        id: id.to_string(),
        regime: "site".to_string(),
        source: source.to_string(),
        last_verified: String::new(),
    })
}

/// Every missing or outdated translation, and what the plain-language
/// rules leave unjudged.
pub fn findings(compiled: &Compiled) -> Vec<Diagnostic> {
    let config = &compiled.config;
    let content = &compiled.content;
    let empty = History::default();
    let history = compiled.record.as_ref().map_or(&empty, |r| &r.history);
    let mut out = Vec::new();
    if !judged_by_plain_rules(&config.language) {
        let mut d = Diagnostic::warning(
            crate::load::config::FILE,
            format!(
                "the plain-language rules judge English only, so the site's own language (`{}`) was not judged for reading grade, sentence length or phrases to avoid",
                config.language
            ),
        )
        .with_hint("have someone who reads the language check each notice is plain and direct");
        d.rule = rule("plain.language", "candor's plain-language rules (English)");
        out.push(d);
    }
    for lang in &config.languages {
        let name = config.words.language_name(lang).to_string();
        if !judged_by_plain_rules(lang) {
            let mut d = Diagnostic::warning(
                crate::load::config::FILE,
                format!("the plain-language rules judge English only, so the {name} (`{lang}`) translations were not judged"),
            )
            .with_hint(format!("have someone who reads {name} check each translation is plain and says what the original says"));
            d.rule = rule("plain.language", "candor's plain-language rules (English)");
            out.push(d);
        }
        out.extend(of_language(content, history, lang, &name));
    }
    out
}

fn of_language(content: &Content, history: &History, lang: &str, name: &str) -> Vec<Diagnostic> {
    let mine: HashMap<String, &Translation> = content
        .translations
        .iter()
        .filter(|t| t.lang == lang)
        .map(|t| (item_key(&t.of), t))
        .collect();
    let mut out = Vec::new();
    // What readers of the site read: published items, each by its file.
    let mut items: Vec<(Kind, &str)> = Vec::new();
    let published_incidents: std::collections::HashSet<&str> = content
        .incidents
        .iter()
        .filter(|i| !i.draft)
        .map(|i| i.slug.as_str())
        .collect();
    items.extend(
        content
            .incidents
            .iter()
            .filter(|i| !i.draft)
            .map(|i| (Kind::Incident(i.slug.clone()), i.body.file.as_str())),
    );
    items.extend(
        content
            .updates
            .iter()
            .filter(|u| !u.draft && published_incidents.contains(u.incident.as_str()))
            .map(|u| {
                (
                    Kind::Update(u.incident.clone(), u.slug.clone()),
                    u.body.file.as_str(),
                )
            }),
    );
    items.extend(
        content
            .faq
            .iter()
            .filter(|f| !f.draft)
            .map(|f| (Kind::Faq(f.slug.clone()), f.body.file.as_str())),
    );
    items.extend(
        content
            .guidance
            .iter()
            .filter(|g| !g.draft)
            .map(|g| (Kind::Guidance(g.slug.clone()), g.body.file.as_str())),
    );
    items.extend(
        content
            .pages
            .iter()
            .filter(|p| !p.draft)
            .map(|p| (Kind::Page(p.slug.clone()), p.body.file.as_str())),
    );
    for (kind, file) in items {
        let Some(t) = mine.get(&item_key(&kind)) else {
            let stem = file.strip_suffix(".md").unwrap_or(file);
            let mut d = Diagnostic::warning(
                file,
                format!("not translated into {name}: readers of the {name} pages see it in the original, with a note saying so"),
            )
            .with_hint(format!("add {stem}.{lang}.md beside it with its words in {name}"));
            d.rule = rule("translation.missing", "the site's `languages` in site.toml");
            out.push(d);
            continue;
        };
        let Some(id) = record_id(&kind) else { continue };
        let (Some(original), Some(own)) = (
            history.changed.get(&id),
            history.changed.get(&translated_id(&id, lang)),
        ) else {
            continue;
        };
        if original > own {
            let mut d = Diagnostic::warning(
                &t.body.file,
                format!(
                    "out of date: the original's words changed at {original}, after this translation's ({own}); its page says it may be out of date and links to the original"
                ),
            )
            .with_hint(format!(
                "translate what the original says now; once published, a change to the translation needs its own [[correction]] in {name}"
            ));
            d.rule = rule(
                "translation.outdated",
                "the published record (record.jsonl)",
            );
            out.push(d);
        }
    }
    out
}
