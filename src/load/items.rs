//! One reader per kind of content file: where a file sits says what it is
//! ([`classify`]), and its kind's reader reads its front matter. Every field
//! is read before anything is decided, so one run reports all of a file's
//! problems.

use super::audiences;
use super::content::*;
use crate::base::diagnostics::Diagnostic;
use crate::base::text;
use crate::load::frontmatter::{self, Fields, SourceFile, Split};
use std::sync::Arc;

/// What a file under `content/` is, from its path there (`/`-separated).
pub(crate) fn classify(inner: &str) -> Result<Kind, String> {
    // `<name>.<language>.md`: a translation of `<name>.md`.
    if let Some(stem) = inner.strip_suffix(".md")
        && let Some((original, lang)) = stem.rsplit_once('.')
        && !lang.contains('/')
        && text::is_language_tag(lang)
    {
        let of = classify(&format!("{original}.md"))?;
        return Ok(Kind::Translation(lang.to_string(), Box::new(of)));
    }
    let parts: Vec<&str> = inner.split('/').collect();
    let stem = |name: &str| name.trim_end_matches(".md").to_string();
    let kind = match parts.as_slice() {
        ["_index.md"] => Kind::Home,
        ["faq", "_index.md"] => Kind::FaqIntro,
        ["guidance", "_index.md"] => Kind::GuidanceIntro,
        ["incidents", slug, "_index.md"] => Kind::Incident(slug.to_string()),
        ["incidents", slug, name] => Kind::Update(slug.to_string(), stem(name)),
        ["faq", name] => Kind::Faq(stem(name)),
        ["guidance", name] => Kind::Guidance(stem(name)),
        ["pages", name] => Kind::Page(stem(name)),
        _ => {
            return Err("put incidents in content/incidents/<name>/_index.md with their updates beside them, \
                 FAQ entries in content/faq/, guidance in content/guidance/ and other pages in content/pages/"
                .to_string());
        }
    };
    // Names become web addresses: the same rule as `candor new`'s.
    let names: &[&String] = match &kind {
        Kind::Incident(s) | Kind::Faq(s) | Kind::Guidance(s) | Kind::Page(s) => &[s],
        Kind::Update(i, s) => &[i, s],
        _ => &[],
    };
    match names.iter().find_map(|s| text::slug_problem(s)) {
        Some(problem) => Err(problem),
        None => Ok(kind),
    }
}

fn body_of(file: &SourceFile, split: &Split) -> Body {
    let first_line = file.text[..split.body.start].matches('\n').count() + 1;
    Body {
        file: file.path.clone(),
        text: file.text[split.body.clone()].into(),
        first_line,
    }
}

/// Read one content file of the given kind. `None` when it has errors (all
/// of them in `diags`).
pub(crate) fn parse_item(
    file: &SourceFile,
    kind: Kind,
    diags: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let split = match frontmatter::split(file) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let body = body_of(file, &split);
    if split.front.is_none()
        && let Kind::Translation(lang, of) = kind
    {
        // Words alone: the body, with the original's title.
        let none = Translation {
            lang,
            of: *of,
            title: None,
            summary: None,
            description: None,
            question: None,
            category: None,
            status_label: None,
            corrections: Vec::new(),
            body,
        };
        return Some(Item::Translation(none));
    }
    if split.front.is_none() {
        if let Some(intro) = intro_item(
            &kind,
            Intro {
                title: None,
                description: None,
                body: Some(body),
                withdrawn: Vec::new(),
            },
        ) {
            return Some(intro);
        }
        diags.push(
            file.error(0..0, "this file has no front matter").with_hint(format!(
                "start the file with a `+++` line, the fields in TOML ({}), and another `+++` line",
                match kind {
                    Kind::Faq(_) => "question = \"…\"",
                    Kind::Update(..) => "title = \"…\", at = …, status = \"…\"",
                    Kind::Incident(_) => "title = \"…\", discovered = …",
                    _ => "title = \"…\"",
                }
            )),
        );
        return None;
    }
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    let table = frontmatter::parse(file, &split, diags)?;
    let base = split.front.as_ref().map_or(0, |r| r.start);
    let mut f = Fields::new(
        file,
        &table,
        base,
        split.opening.clone(),
        "the front matter",
        diags,
    );
    let item = match kind {
        Kind::Home | Kind::FaqIntro | Kind::GuidanceIntro => {
            let withdrawn = match kind {
                Kind::FaqIntro => withdrawn(&mut f, "faq", "\"was-my-card-taken\""),
                _ => Vec::new(),
            };
            let intro = Intro {
                title: f.text("title"),
                description: f.text("description"),
                body: Some(body),
                withdrawn,
            };
            intro_item(&kind, intro)
        }
        Kind::Incident(slug) => {
            incident(&mut f, slug, body, split.body.start).map(|i| Item::Incident(Arc::new(i)))
        }
        Kind::Update(incident, slug) => {
            update(&mut f, incident, slug, body).map(|u| Item::Update(Arc::new(u)))
        }
        Kind::Faq(slug) => faq(&mut f, slug, body).map(|f| Item::Faq(Arc::new(f))),
        Kind::Guidance(slug) => guidance(&mut f, slug, body).map(Item::Guidance),
        Kind::Page(slug) => page(&mut f, slug, body).map(Item::Page),
        Kind::Translation(lang, of) => {
            Some(Item::Translation(translation(&mut f, lang, *of, body)))
        }
    };
    f.finish();
    let errors_after = diags.iter().filter(|d| d.is_error()).count();
    item.filter(|_| errors_after == errors_before)
}

/// The home page's or an index's introduction, for those kinds.
fn intro_item(kind: &Kind, intro: Intro) -> Option<Item> {
    match kind {
        Kind::Home => Some(Item::Home(intro)),
        Kind::FaqIntro => Some(Item::FaqIntro(intro)),
        Kind::GuidanceIntro => Some(Item::GuidanceIntro(intro)),
        _ => None,
    }
}

fn incident(
    f: &mut Fields<'_, '_>,
    slug: String,
    body: Body,
    body_start: usize,
) -> Option<Incident> {
    let title = f.required_string("title", "\"Notice of data breach\"");
    let discovered = f.required_instant("discovered");
    let occurred = f.table("occurred", |o| (o.instant("start"), o.instant("end")));
    let severity = f.word("severity");
    let data_types = f.words("data_types");
    let people_affected = f.integer("people_affected");
    let jurisdictions = f.words("jurisdictions");
    let summary = f.text("summary");
    let draft = f.bool("draft").unwrap_or(false);
    let notified = f
        .tables("notified", |n| {
            let who = n.required_string("who", "\"ico\"");
            let at = n.required_instant("at");
            Some(Notified {
                who: who?.into_inner(),
                at: at?.into_inner(),
            })
        })
        .into_iter()
        .flatten()
        .collect();
    let corrections = corrections(f);
    let withdrawn = withdrawn(f, "update", "\"2026-11-20-contained\"");
    let written = audiences::read(f);
    let report = f
        .table("report", |r| ReportFacts {
            how_discovered: r.text("how_discovered"),
            records: r.integer("records"),
            consequences: r.text("consequences"),
            contact: r.text("contact"),
            others_told: r.text("others_told"),
            late_because: r.text("late_because"),
            decisions: r.texts("decisions"),
        })
        .unwrap_or_default()
        .into();
    let desk = f
        .table("desk", |d| DeskFacts {
            escalate: d.text("escalate"),
            dont_say: d.texts("dont_say"),
        })
        .unwrap_or_default()
        .into();
    let extra = f.any("extra").unwrap_or_default();
    let (occurred_start, occurred_end) = occurred.unwrap_or((None, None));
    let (body, audiences) = audiences::resolve(
        f,
        written,
        &audiences::Incident {
            data_types: &data_types,
            jurisdictions: &jurisdictions,
            people: people_affected,
        },
        body,
        body_start,
    );
    // Audiences that all say how many they are give the total.
    let people_affected = people_affected.or_else(|| {
        let counts: Option<Vec<i64>> = audiences.iter().map(|a| a.people).collect();
        counts.filter(|c| !c.is_empty()).map(|c| c.iter().sum())
    });
    Some(Incident {
        slug,
        title: title?.into_inner(),
        discovered: discovered?.into_inner(),
        occurred_start: occurred_start.map(|t| t.into_inner()),
        occurred_end: occurred_end.map(|t| t.into_inner()),
        severity,
        data_types,
        people_affected,
        jurisdictions,
        summary,
        draft,
        notified,
        corrections,
        withdrawn,
        audiences,
        report,
        desk,
        extra,
        body,
    })
}

/// `[correction]` once or `[[correction]]` any number of times.
fn corrections(f: &mut Fields<'_, '_>) -> Vec<Correction> {
    f.one_or_many("correction", |c| {
        let at = c.required_instant("at");
        let note = c.required_string("note", "\"We said 40 customers; the number is 400.\"");
        Some(Correction {
            at: at?.into_inner(),
            note: note?.into_inner(),
        })
    })
    .into_iter()
    .flatten()
    .collect()
}

/// `[[withdrawn]]`: what was taken down (named by `key`), when and why.
fn withdrawn(f: &mut Fields<'_, '_>, key: &'static str, example: &str) -> Vec<Withdrawn> {
    f.tables("withdrawn", |w| {
        let slug = w.required_string(key, example);
        let at = w.required_instant("at");
        let note = w.required_string(
            "note",
            "\"We posted this update in error: it described another shop's incident.\"",
        );
        Some(Withdrawn {
            slug: slug?.into_inner(),
            at: at?.into_inner(),
            note: note?.into_inner(),
            file: w.file_path().to_string(),
            line: w.first_line(),
        })
    })
    .into_iter()
    .flatten()
    .collect()
}

/// A translation's front matter: only words. What is the original's (its
/// time, status, data, audiences) is an error here, so that a translated
/// update is always the same update.
fn translation(f: &mut Fields<'_, '_>, lang: String, of: Kind, body: Body) -> Translation {
    let words: &[&str] = match &of {
        Kind::Update(..) => &["title", "summary", "status_label", "correction"],
        Kind::Incident(_) => &["title", "summary", "correction"],
        Kind::Faq(_) => &["question", "category", "correction"],
        Kind::Guidance(_) => &["title", "summary"],
        Kind::Page(_) | Kind::Home | Kind::FaqIntro | Kind::GuidanceIntro => {
            &["title", "description"]
        }
        Kind::Translation(..) => &[],
    };
    const ORIGINAL: &[&str] = &[
        "at",
        "status",
        "next_update",
        "draft",
        "id",
        "channels",
        "extra",
        "discovered",
        "occurred",
        "severity",
        "data_types",
        "people_affected",
        "jurisdictions",
        "notified",
        "withdrawn",
        "audience",
        "report",
        "desk",
        "weight",
        "incident",
        "updated",
        "audiences",
        "region",
        "source",
        "last_verified",
        "question",
        "category",
        "title",
        "summary",
        "description",
        "status_label",
        "correction",
    ];
    let original = f
        .file_path()
        .rsplit_once(&format!(".{lang}.md"))
        .map_or_else(
            || "the original".to_string(),
            |(stem, _)| format!("{stem}.md"),
        );
    for key in ORIGINAL.iter().filter(|k| !words.contains(k)) {
        f.misplaced(
            key,
            &format!("{original}: a translation has the original's time, status and facts, and only its own words ({})", words.join(", ")),
        );
    }
    let pick = |f: &mut Fields<'_, '_>, key: &'static str| {
        if words.contains(&key) {
            f.text(key)
        } else {
            None
        }
    };
    let title = pick(f, "title");
    let summary = pick(f, "summary");
    let description = pick(f, "description");
    let question = pick(f, "question");
    let category = pick(f, "category");
    let status_label = pick(f, "status_label").filter(|l| !l.trim().is_empty());
    let corrections = if words.contains(&"correction") {
        corrections(f)
    } else {
        Vec::new()
    };
    Translation {
        lang,
        of,
        title,
        summary,
        description,
        question,
        category,
        status_label,
        corrections,
        body,
    }
}

fn update(f: &mut Fields<'_, '_>, incident: String, slug: String, body: Body) -> Option<Update> {
    let title = f.required_string("title", "\"We have contained the incident\"");
    let at = f.required_instant("at");
    let status = f.required_word("status");
    let status_label = f.line("status_label").filter(|l| !l.trim().is_empty());
    let next_update = f.instant("next_update").map(|t| t.into_inner());
    let summary = f.text("summary");
    let draft = f.bool("draft").unwrap_or(false);
    let id = f.text("id");
    let channels = f.words("channels");
    let corrections = corrections(f);
    let extra = f.any("extra").unwrap_or_default();
    Some(Update {
        incident,
        slug,
        id,
        title: title?.into_inner(),
        at: at?.into_inner(),
        status: status?,
        status_label,
        next_update,
        summary,
        draft,
        corrections,
        channels,
        extra,
        body,
    })
}

fn faq(f: &mut Fields<'_, '_>, slug: String, body: Body) -> Option<Faq> {
    let question = f.required_string("question", "\"Was my card number taken?\"");
    let category = f.text("category").unwrap_or_else(|| "General".to_string());
    let weight = f.integer("weight").unwrap_or(0);
    let incident = f.string("incident");
    let updated = f.instant("updated").map(|t| t.into_inner());
    let draft = f.bool("draft").unwrap_or(false);
    let corrections = corrections(f);
    let audiences = f.strings("audiences");
    Some(Faq {
        slug,
        question: question?.into_inner(),
        category,
        weight,
        incident,
        updated,
        draft,
        corrections,
        audiences,
        body,
    })
}

fn guidance(f: &mut Fields<'_, '_>, slug: String, body: Body) -> Option<Guidance> {
    let title = f.required_string("title", "\"Place a fraud alert\"");
    let region = f.required_word("region");
    let data_types = f.words("data_types");
    let source = f.urls("source", &["https://", "http://"]);
    let last_verified = f.date("last_verified");
    let summary = f.text("summary");
    let weight = f.integer("weight").unwrap_or(0);
    let audiences = f.strings("audiences");
    let draft = f.bool("draft").unwrap_or(false);
    Some(Guidance {
        slug,
        title: title?.into_inner(),
        region: region?,
        data_types,
        source,
        last_verified,
        summary,
        weight,
        audiences,
        draft,
        body,
    })
}

fn page(f: &mut Fields<'_, '_>, slug: String, body: Body) -> Option<Page> {
    let title = f.required_string("title", "\"How to check a message is really from us\"");
    let description = f.text("description");
    let weight = f.integer("weight").unwrap_or(0);
    let draft = f.bool("draft").unwrap_or(false);
    Some(Page {
        slug,
        title: title?.into_inner(),
        description,
        weight,
        draft,
        body,
    })
}

/// Parse one Markdown file as if it sat at `inner` under `content/`, and
/// return the problems found (used by the fuzz targets).
pub fn parse_markdown_file(inner: &str, text: String) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    match classify(inner) {
        Ok(kind) => {
            let file = SourceFile {
                path: format!("content/{inner}"),
                text,
            };
            let _ = parse_item(&file, kind, &mut diags);
        }
        Err(hint) => diags.push(Diagnostic::error(inner, "unknown kind of file").with_hint(hint)),
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_where_they_sit() {
        assert_eq!(classify("_index.md"), Ok(Kind::Home));
        assert_eq!(
            classify("incidents/db-2026/2026-11-19-1630-contained.md"),
            Ok(Kind::Update(
                "db-2026".into(),
                "2026-11-19-1630-contained".into()
            ))
        );
        assert!(classify("random/thing.md").is_err());
        assert!(classify("faq/Was My Card.md").is_err());
        assert!(classify("incidents/café/_index.md").is_err());
        assert!(classify("incidents/ok/Bad Name.md").is_err());
    }
}
