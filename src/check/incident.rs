//! The rules judged on each incident, one function a family of tests, each
//! returning what it found: where (file and line) and what (a detail).

use super::plain::{flesch_kincaid_grade, is_toll_free, line_of, norm, sentences};
use super::{Ctx, Level, Rule, Test, rules::Scope};
use crate::load::content::Body;
use crate::markdown::plain::to_plain;
use crate::model::IncidentView;
use crate::render::social::{self, PLATFORMS};

/// A rule not met: the file and line, and what was found.
type Hit = (String, usize, Option<String>);

/// Judge `rule` on `inc` and record what it finds.
pub(super) fn apply(ctx: &mut Ctx<'_>, regime: &str, rule: &Rule, inc: &IncidentView) {
    let hits = match &rule.test {
        Test::Heading { .. }
        | Test::HeadingsInOrder { .. }
        | Test::Title { .. }
        | Test::Field { .. } => structure(ctx, rule, inc),
        Test::TextAny { .. } | Test::TextAll { .. } | Test::TollFreePhone => {
            content(ctx, rule, inc)
        }
        Test::ReadingGrade | Test::SentenceLength { .. } | Test::PhrasesNone { .. } => {
            plain_language(ctx, rule, inc)
        }
        Test::Staleness | Test::NextUpdatePast | Test::SocialLength => timeliness(ctx, rule, inc),
        // Site-wide kinds run in `site_rules`.
        Test::Placeholders
        | Test::Links
        | Test::AltText
        | Test::MarkdownWarnings
        | Test::SecurityTxt
        | Test::Findable => Vec::new(),
    };
    for (file, line, detail) in hits {
        ctx.push(regime, rule, &file, line, Some(&inc.slug), detail);
    }
}

fn incident_file(inc: &IncidentView) -> String {
    format!("content/incidents/{}/_index.md", inc.slug)
}

/// A finding about the notice as a whole.
fn on_notice(inc: &IncidentView, line: usize, detail: Option<String>) -> Vec<Hit> {
    vec![(incident_file(inc), line, detail)]
}

/// Headings, their order, the title, and fields that must be set.
fn structure(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView) -> Vec<Hit> {
    let config = &ctx.compiled.config;
    let violated = match &rule.test {
        Test::Heading { text, variants } => {
            let wanted: Vec<String> = std::iter::once(text)
                .chain(variants)
                .map(|t| norm(t))
                .collect();
            let found = inc
                .headings
                .iter()
                .find(|h| wanted.contains(&norm(&h.text)));
            match (rule.level, found) {
                (Level::MustNot, Some(h)) => {
                    Some((h.line, Some(format!("heading \"{}\"", h.text))))
                }
                (Level::MustNot, None) | (_, Some(_)) => None,
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
        _ => None,
    };
    violated.map_or_else(Vec::new, |(line, detail)| on_notice(inc, line, detail))
}

/// The notice's own text: title, summary and body, lower-cased.
fn notice_text(ctx: &Ctx<'_>, inc: &IncidentView) -> String {
    let mut t = format!("{}\n{}\n", inc.title, inc.summary);
    if let Some(i) = ctx
        .compiled
        .content
        .incidents
        .iter()
        .find(|i| i.slug == inc.slug)
    {
        t.push_str(&to_plain(&i.body.text, "", "/"));
    }
    t.to_lowercase()
}

/// Everything readers are given with the notice: its updates, the guidance
/// it links, the FAQ, the home page and other pages.
fn site_text(ctx: &Ctx<'_>, inc: &IncidentView) -> String {
    let mut t = notice_text(ctx, inc);
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
}

/// What the text says: phrases that must (or must not) be there, and a
/// toll-free number.
fn content(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView) -> Vec<Hit> {
    let text_in = |scope: &Scope| match scope {
        Scope::Site => site_text(ctx, inc),
        Scope::Notice => notice_text(ctx, inc),
    };
    let violated = match &rule.test {
        Test::TextAny { scope, phrases } => {
            let text = text_in(scope);
            let found = phrases.iter().any(|p| text.contains(&p.to_lowercase()));
            (found == (rule.level == Level::MustNot)).then_some(None)
        }
        Test::TextAll { scope, phrases } => {
            let text = text_in(scope);
            let missing: Vec<&str> = phrases
                .iter()
                .filter(|p| !text.contains(&p.to_lowercase()))
                .map(String::as_str)
                .collect();
            (!missing.is_empty()).then(|| Some(format!("not found: {}", missing.join(", "))))
        }
        Test::TollFreePhone => {
            let config = &ctx.compiled.config;
            let mut phones = config.contact.phone.iter().chain(&config.verify.phones);
            (!phones.any(|p| is_toll_free(p))).then(|| {
                Some(format!(
                    "contact phone: {}",
                    config.contact.phone.as_deref().unwrap_or("none")
                ))
            })
        }
        _ => None,
    };
    violated.map_or_else(Vec::new, |detail| on_notice(inc, 1, detail))
}

/// Reading grade, sentence length and phrases to avoid, in the notice and
/// each of its published updates.
fn plain_language(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView) -> Vec<Hit> {
    let mut hits = Vec::new();
    for b in own_bodies(ctx, inc) {
        match &rule.test {
            Test::ReadingGrade => {
                let max = ctx.compiled.config.check.reading_grade_max;
                let grade = flesch_kincaid_grade(&to_plain(&b.text, "", "/"));
                if grade > max {
                    hits.push((
                        b.file.clone(),
                        b.first_line,
                        Some(format!("grade {grade:.1}, target {max}")),
                    ));
                }
            }
            Test::SentenceLength { max } => {
                for sentence in sentences(&to_plain(&b.text, "", "/")) {
                    let words = sentence.split_whitespace().count();
                    if words > *max {
                        let start: String = sentence
                            .split_whitespace()
                            .take(4)
                            .collect::<Vec<_>>()
                            .join(" ");
                        let line = line_of(b, &start).unwrap_or(b.first_line);
                        hits.push((
                            b.file.clone(),
                            line,
                            Some(format!("{words} words: \"{start} …\"")),
                        ));
                    }
                }
            }
            Test::PhrasesNone { phrases } => {
                for p in phrases {
                    if let Some(line) = line_of(b, p) {
                        hits.push((b.file.clone(), line, Some(format!("\"{p}\""))));
                    }
                }
            }
            _ => {}
        }
    }
    hits
}

/// Is the incident kept up to date, and do its posts fit?
fn timeliness(ctx: &Ctx<'_>, rule: &Rule, inc: &IncidentView) -> Vec<Hit> {
    let now = ctx.now.as_second();
    match &rule.test {
        Test::Staleness => {
            let hours = ctx.compiled.config.check.update_every;
            let idle = now - inc.last_updated.epoch;
            if inc.is_open && idle > hours * 3600 {
                let detail = format!(
                    "last updated {}, {} hours ago",
                    inc.last_updated.long,
                    idle / 3600
                );
                return on_notice(inc, 1, Some(detail));
            }
            Vec::new()
        }
        Test::NextUpdatePast => inc
            .next_update
            .as_ref()
            .filter(|n| inc.is_open && n.epoch < now)
            .map_or_else(Vec::new, |n| {
                on_notice(inc, 1, Some(format!("next update was due by {}", n.long)))
            }),
        Test::SocialLength => {
            let frame = social::Frame::of(&ctx.compiled.config);
            inc.updates
                .iter()
                .filter_map(|u| {
                    let p = PLATFORMS
                        .iter()
                        .map(|p| social::post(*p, &frame, &u.summary, &u.permalink))
                        .find(|p| p.shortened)?;
                    let file = format!("content/incidents/{}/{}.md", inc.slug, u.slug);
                    Some((
                        file,
                        1,
                        Some(format!("too long for {} ({} characters)", p.name, p.limit)),
                    ))
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The notice and its published updates: what the per-incident text rules read.
fn own_bodies<'a>(ctx: &Ctx<'a>, inc: &IncidentView) -> Vec<&'a Body> {
    let content = &ctx.compiled.content;
    let notice = content
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
    let updates = content
        .updates
        .iter()
        .filter(|u| u.incident == inc.slug && published(&u.slug))
        .map(|u| &u.body);
    notice.chain(updates).collect()
}
