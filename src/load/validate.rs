//! Checks that need more than one file, or the whole site: references
//! between files, page names candor's own pages take, and placeholders.

use super::content::{Body, Content};
use crate::base::diagnostics::{Diagnostic, PLACEHOLDER, did_you_mean};
use jiff::Timestamp;
use std::sync::Arc;

use crate::base::text;
use crate::base::time::Clock;

/// References between files: an update's incident exists; an FAQ's incident exists.
pub(crate) fn check_references(content: &Content, diags: &mut Vec<Diagnostic>) {
    audience_references(content, diags);
    let slugs: Vec<&str> = content.incidents.iter().map(|i| i.slug.as_str()).collect();
    let mut orphans: Vec<&str> = content
        .updates
        .iter()
        .filter(|u| !slugs.contains(&u.incident.as_str()))
        .map(|u| u.incident.as_str())
        .collect();
    orphans.dedup();
    for slug in orphans {
        // Skip folders whose _index.md failed to parse: that error is already reported.
        let index = format!("content/incidents/{slug}/_index.md");
        if diags.iter().any(|d| d.file == index) {
            continue;
        }
        diags.push(
            Diagnostic::error(
                format!("content/incidents/{slug}"),
                "this incident folder has updates but no _index.md",
            )
            .with_hint(format!(
                "create {index} with the incident's title, discovered time and notice"
            )),
        );
    }
    for faq in &content.faq {
        // An incident whose own file failed is reported there, once.
        if let Some(incident) = &faq.incident
            && !slugs.contains(&incident.get_ref().as_str())
            && !diags
                .iter()
                .any(|d| d.file == format!("content/incidents/{}/_index.md", incident.get_ref()))
        {
            {
                let path = format!("content/faq/{}.md", faq.slug);
                let hint = did_you_mean(incident.get_ref(), slugs.iter().copied())
                    .unwrap_or_else(|| "name a folder under content/incidents/".to_string());
                diags.push(
                    Diagnostic::error(
                        path,
                        format!(
                            "`incident = \"{}\"`: there is no such incident",
                            incident.get_ref()
                        ),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}

/// An FAQ answer's audiences are its incident's; guidance's are any
/// incident's.
fn audience_references(content: &Content, diags: &mut Vec<Diagnostic>) {
    let of = |slug: Option<&str>| -> Vec<&str> {
        content
            .incidents
            .iter()
            .filter(|i| slug.is_none_or(|s| s == i.slug))
            .flat_map(|i| i.audiences.iter().map(|a| a.id.as_str()))
            .collect()
    };
    let mut wrong = |file: &str, named: &toml::Spanned<String>, known: &[&str], whose: &str| {
        if known.contains(&named.get_ref().as_str()) {
            return;
        }
        let hint = did_you_mean(named.get_ref(), known.iter().copied()).unwrap_or_else(|| {
            if known.is_empty() {
                format!("{whose} no audiences: declare them with [[audience]] in the incident's _index.md")
            } else {
                format!("{whose} these audiences: {}", known.join(", "))
            }
        });
        diags.push(
            Diagnostic::error(
                file,
                format!("`audiences`: there is no audience `{}`", named.get_ref()),
            )
            .with_hint(hint),
        );
    };
    for faq in &content.faq {
        let incident = faq.incident.as_ref().map(|i| i.get_ref().as_str());
        let known = of(incident);
        let whose = match incident {
            Some(i) => format!("incident `{i}` has"),
            None => "the incidents have".to_string(),
        };
        for a in &faq.audiences {
            wrong(&faq.body.file, a, &known, &whose);
        }
    }
    let known = of(None);
    for g in &content.guidance {
        for a in &g.audiences {
            wrong(&g.body.file, a, &known, "the incidents have");
        }
    }
}

/// Checks that need the whole site: duplicate page addresses, placeholders.
pub fn whole_site(
    content: &Content,
    diags: &mut Vec<Diagnostic>,
    mut cache: Option<&mut Placeholders>,
) {
    const RESERVED: &[&str] = &[
        "incidents",
        "faq",
        "guidance",
        "static",
        "feed.xml",
        "404",
        "_candor",
    ];
    for p in &content.pages {
        if RESERVED.contains(&p.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    &p.body.file,
                    format!("the page name `{}` is taken by candor's own pages", p.slug),
                )
                .with_hint("rename the file, for example to about-us.md"),
            );
        }
    }
    let mut bodies: Vec<&Body> = Vec::new();
    bodies.extend(content.incidents.iter().map(|i| &i.body));
    // Parts for some audiences only: their lines, once.
    bodies.extend(
        content
            .incidents
            .iter()
            .flat_map(|i| i.audiences.iter().map(|a| &a.body)),
    );
    bodies.extend(content.updates.iter().map(|u| &u.body));
    bodies.extend(content.faq.iter().map(|f| &f.body));
    bodies.extend(content.guidance.iter().map(|g| &g.body));
    bodies.extend(content.pages.iter().map(|p| &p.body));
    let mut previous = cache.as_deref().map(|_| Placeholders::new());
    if let (Some(p), Some(c)) = (previous.as_mut(), cache.as_deref_mut()) {
        std::mem::swap(p, c);
    }
    let mut seen = std::collections::HashSet::new();
    for body in bodies {
        // In the preview, a body whose text is the very text it was last
        // time (the same shared string) is not searched again.
        let key = Arc::as_ptr(&body.text) as *const u8 as usize;
        let kept = previous
            .as_mut()
            .and_then(|p| p.remove(&key))
            .filter(|(text, _)| Arc::ptr_eq(text, &body.text));
        let hits = match kept {
            Some((_, hits)) => hits,
            None => placeholder_lines(&body.text),
        };
        for &(i, col) in hits.iter() {
            // One warning a line, at its first placeholder.
            if seen.insert((&body.file, body.first_line + i)) {
                let mut d = Diagnostic::warning(&body.file, "placeholder text left in")
                    .with_hint("replace the TODO: prompt with the real text before publishing");
                d.code = Some(PLACEHOLDER);
                d.line = body.first_line + i;
                d.col = col;
                diags.push(d);
            }
        }
        if let Some(c) = cache.as_deref_mut() {
            c.insert(key, (Arc::clone(&body.text), hits));
        }
    }
}

/// In the preview: each body's placeholder lines (from its first), by the
/// address of its text, with the text (kept alive, so that the same
/// address is the same text). Keyed by file name, 11,000 names were
/// copied and hashed at every rebuild.
pub type Placeholders = std::collections::HashMap<usize, (Arc<str>, Arc<[(usize, usize)]>)>;

/// The lines of `text` (from 0) with a placeholder, and the column (from 1)
/// of each line's first. The text is searched once, not line by line.
fn placeholder_lines(text: &str) -> Arc<[(usize, usize)]> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    let (mut line, mut counted) = (0, 0);
    for at in text::placeholders(text) {
        line += text[counted..at.start].matches('\n').count();
        counted = at.start;
        if hits.last().is_some_and(|(l, _)| *l == line) {
            continue;
        }
        let start = text[..at.start].rfind('\n').map_or(0, |i| i + 1);
        hits.push((line, text[start..at.start].chars().count() + 1));
    }
    Arc::from(hits)
}

/// Updates held back because their `at` is still to come: said, so a typo
/// in a date cannot hide an update without a word. And a file name whose
/// date is more than a day from the update's `at`, which usually means
/// one of them is wrong.
pub fn schedule(
    content: &Content,
    clock: &Clock,
    now: Timestamp,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for u in &content.updates {
        if u.at > now && !drafts && !u.draft {
            diags.push(
                Diagnostic::warning(
                    &u.body.file,
                    format!("scheduled for {}: not published in this build", clock.view(u.at).long),
                )
                .with_hint("it is published by the first build after that time; if the date is wrong, correct `at`"),
            );
        }
        if let Some(named) = date_in_name(&u.slug)
            && let Ok(apart) = named.until(clock.zoned(u.at).date())
            && apart.get_days().abs() > 1
        {
            diags.push(
                Diagnostic::warning(
                    &u.body.file,
                    format!("the file name says {named} but `at` is {}", clock.view(u.at).long),
                )
                .with_hint("check which is right; `candor new update --at TIME` names the file from the update's time"),
            );
        }
    }
}

/// `2026-11-17-1200-contained` → 17 November 2026.
fn date_in_name(slug: &str) -> Option<jiff::civil::Date> {
    slug.get(..10)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Searching a body once finds the lines and columns that searching it
    /// line by line finds.
    #[test]
    fn placeholders_are_found_where_a_line_by_line_search_finds_them() {
        let texts = [
            "",
            "TODO: at the start",
            "no placeholder\nat all\n",
            "one\r\n  TODO: two\r\nthree TODO: TODO: again\n",
            "ÉÉ TODO: after wide letters\n\n\nTODO:",
            "TODO:TODO:\nx TODO:\r\n",
        ];
        for text in texts {
            let by_line: Vec<(usize, usize)> = text
                .lines()
                .enumerate()
                .filter_map(|(i, line)| {
                    let at = text::placeholders(line).next()?;
                    Some((i, line[..at.start].chars().count() + 1))
                })
                .collect();
            assert_eq!(&*placeholder_lines(text), by_line.as_slice(), "{text:?}");
        }
    }
}
