//! What the site says: each notice, update and FAQ answer as the plain text
//! readers read, with the corrections its author wrote. Reflowing Markdown,
//! changing emphasis or a list marker leaves this text as it was; changing
//! a word, a number, a link, a time or the data involved does not.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use super::chain::{Note, sha256};
use crate::base::fingerprint::{self, Fingerprint};
use crate::base::text::group_thousands;
use crate::base::time::iso_utc;
use crate::load::content::{Body, Content, Correction, Faq, Incident, Kind, Update};
use crate::load::translate;
use crate::markdown::plain::to_plain_lines;

/// One thing the site says.
#[derive(Debug, Clone)]
pub struct Said {
    /// `incidents/<slug>`, `incidents/<slug>@<audience>`,
    /// `incidents/<slug>/<update>`, `faq/<slug>`.
    pub id: String,
    pub title: String,
    pub text: Arc<str>,
    /// SHA-256 of `text`.
    pub digest: Arc<str>,
    pub corrections: Vec<Note>,
    /// Published in this build: not a draft, not scheduled.
    pub published: bool,
    /// Why it is not published, when it is not: "a draft", "scheduled".
    pub unpublished: Option<&'static str>,
    pub file: String,
    pub body: Arc<str>,
    pub first_line: usize,
    /// What the text is made from, for the preview's cache.
    key: Option<Fingerprint>,
}

/// A withdrawal the author wrote: `[[withdrawn]]` in an incident's or the
/// FAQ's `_index.md`.
#[derive(Debug, Clone)]
pub struct Withdrawal {
    pub id: String,
    pub note: Note,
    pub file: String,
    /// 1-based line of the `[[withdrawn]]` table, 0 if unknown.
    pub line: usize,
}

pub fn note(c: &Correction) -> Note {
    Note {
        at: iso_utc(c.at),
        note: c.note.clone(),
    }
}

/// In the preview: what the last rebuild said, so that a rebuild makes
/// again only what changed.
#[derive(Default)]
pub struct Cache {
    /// Each text (and its digest) by the fingerprint of its head and the
    /// address of its body. The body is kept alive with it, so that the
    /// same address is the same text; hashing every body again would cost
    /// more than the texts it saves at 10,000 updates.
    texts: HashMap<Fingerprint, Kept>,
    /// Each update's and FAQ entry's whole [`Said`], by the address of the
    /// parsed item (kept alive beside it): an item the load kept is said
    /// as it was, unless "now" or its incident's draft changed whether it
    /// is published.
    updates: KeptItems<Update>,
    faq: KeptItems<Faq>,
}

/// A text made before, with the body it was made from.
struct Kept {
    body: Arc<str>,
    text: Arc<str>,
    digest: Arc<str>,
}

fn address<T>(item: &Arc<T>) -> usize {
    Arc::as_ptr(item) as usize
}

type KeptItems<T> = HashMap<usize, (Arc<T>, Arc<Said>)>;

/// What each item says: as last time where the item is the one kept and
/// is published (or not) as it was; otherwise made.
fn kept_or_made<T: Send + Sync>(
    items: &[Arc<T>],
    kept: Option<&KeptItems<T>>,
    unpublished: impl Fn(&T) -> Option<&'static str> + Sync,
    make: impl Fn(&T) -> Said + Sync,
) -> Vec<Arc<Said>> {
    items
        .par_iter()
        .map(|item| {
            let same = kept
                .and_then(|k| k.get(&address(item)))
                .filter(|(was, s)| Arc::ptr_eq(was, item) && s.unpublished == unpublished(item));
            match same {
                Some((_, s)) => Arc::clone(s),
                None => Arc::new(make(item)),
            }
        })
        .collect()
}

fn keep<T>(items: &[Arc<T>], said: &[Arc<Said>]) -> KeptItems<T> {
    items
        .iter()
        .zip(said)
        .map(|(item, s)| (address(item), (Arc::clone(item), Arc::clone(s))))
        .collect()
}

/// Everything `content` says, in a stable order (by id).
pub fn of(content: &Content, now: Timestamp) -> Vec<Arc<Said>> {
    of_cached(content, now, None).0
}

/// [`of`], reusing the texts of `previous` (the preview's last rebuild);
/// with the texts of this one.
pub fn of_cached(
    content: &Content,
    now: Timestamp,
    previous: Option<&Cache>,
) -> (Vec<Arc<Said>>, Cache) {
    let texts = previous.map(|p| &p.texts);
    let said = |id: String,
                title: &str,
                head: String,
                body: &Body,
                corrections: &[Correction],
                unpublished: Option<&'static str>| {
        said(id, title, head, body, corrections, unpublished, texts)
    };
    let shown: std::collections::HashSet<&str> = content
        .incidents
        .iter()
        .filter(|i| !i.draft)
        .map(|i| i.slug.as_str())
        .collect();
    let incident_draft = |slug: &str| !shown.contains(slug);
    let mut out: Vec<Arc<Said>> = Vec::new();
    let incident_said = |inc: &Incident, id: String| {
        let mut head = format!("{}\nDiscovered: {}", inc.title, iso_utc(inc.discovered));
        if inc.occurred_start.is_some() || inc.occurred_end.is_some() {
            let t = |t: Option<Timestamp>| t.map_or_else(|| "unknown".to_string(), iso_utc);
            head.push_str(&format!(
                "\nOccurred: {} to {}",
                t(inc.occurred_start),
                t(inc.occurred_end)
            ));
        }
        if let Some(n) = inc.people_affected {
            head.push_str(&format!("\nPeople affected: {}", group_thousands(n)));
        }
        if !inc.data_types.is_empty() {
            let labels: Vec<&str> = inc.data_types.iter().map(|d| d.label()).collect();
            head.push_str(&format!("\nData involved: {}", labels.join(", ")));
        }
        if let Some(s) = &inc.summary {
            head.push_str(&format!("\nSummary: {}", s.trim()));
        }
        said(
            id,
            &inc.title,
            head,
            &inc.body,
            &inc.corrections,
            inc.draft.then_some("a draft"),
        )
    };
    out.par_extend(
        content
            .incidents
            .par_iter()
            .map(|inc| Arc::new(incident_said(inc, format!("incidents/{}", inc.slug)))),
    );
    // Each audience's notice: what its readers read, the parts for them
    // included; corrected by the incident's corrections.
    out.par_extend(content.incidents.par_iter().flat_map_iter(|inc| {
        inc.audiences.iter().map(move |a| {
            let mut head = format!("{}\nFor: {}", inc.title, a.name);
            if let Some(n) = a.people {
                head.push_str(&format!("\nPeople: {}", group_thousands(n)));
            }
            if !a.data_types.is_empty() {
                let labels: Vec<&str> = a.data_types.iter().map(|d| d.label()).collect();
                head.push_str(&format!("\nData involved: {}", labels.join(", ")));
            }
            if let Some(o) = &a.offer {
                head.push_str(&format!(
                    "\nOffer: {}\nHow: {}",
                    o.what.trim(),
                    o.how.trim()
                ));
                if let Some(d) = o.deadline {
                    head.push_str(&format!("\nBy: {}", iso_utc(d)));
                }
            }
            Arc::new(said(
                format!("incidents/{}@{}", inc.slug, a.id),
                &format!("{} (for {})", inc.title, a.name),
                head,
                &a.body,
                &inc.corrections,
                inc.draft.then_some("a draft"),
            ))
        })
    }));
    let unpublished = |u: &Update| {
        if u.draft || incident_draft(&u.incident) {
            Some("a draft")
        } else if u.at > now {
            Some("scheduled for later")
        } else {
            None
        }
    };
    let update_said = |u: &Update, id: String| {
        let label = u
            .status_label
            .clone()
            .unwrap_or_else(|| u.status.label().to_string());
        let mut head = format!("{}\nPosted: {}\nStatus: {label}", u.title, iso_utc(u.at));
        if let Some(s) = &u.summary {
            head.push_str(&format!("\nSummary: {}", s.trim()));
        }
        said(id, &u.title, head, &u.body, &u.corrections, unpublished(u))
    };
    let updates = kept_or_made(
        &content.updates,
        previous.map(|p| &p.updates),
        |u| unpublished(u),
        |u| update_said(u, format!("incidents/{}/{}", u.incident, u.slug)),
    );
    let faq_said = |f: &Faq, id: String| {
        said(
            id,
            &f.question,
            f.question.clone(),
            &f.body,
            &f.corrections,
            f.draft.then_some("a draft"),
        )
    };
    let faq = kept_or_made(
        &content.faq,
        previous.map(|p| &p.faq),
        |f| f.draft.then_some("a draft"),
        |f| faq_said(f, format!("faq/{}", f.slug)),
    );
    let mut cache = Cache::default();
    if previous.is_some() {
        cache.updates = keep(&content.updates, &updates);
        cache.faq = keep(&content.faq, &faq);
    }

    // Each translation is said too, under `<id>.<language>`: the original's
    // facts in the translation's words, with the translation's corrections.
    if !content.translations.is_empty() {
        let incidents: HashMap<&str, &Incident> = content
            .incidents
            .iter()
            .map(|i| (i.slug.as_str(), &**i))
            .collect();
        let updates: HashMap<(&str, &str), &Update> = content
            .updates
            .iter()
            .map(|u| ((u.incident.as_str(), u.slug.as_str()), &**u))
            .collect();
        let faq: HashMap<&str, &Faq> = content
            .faq
            .iter()
            .map(|f| (f.slug.as_str(), &**f))
            .collect();
        out.par_extend(content.translations.par_iter().filter_map(|t| {
            let id = translate::translated_id(&translate::record_id(&t.of)?, &t.lang);
            Some(Arc::new(match &t.of {
                Kind::Incident(s) => {
                    incident_said(&translate::incident(incidents.get(s.as_str())?, t), id)
                }
                Kind::Update(i, s) => update_said(
                    &translate::update(updates.get(&(i.as_str(), s.as_str()))?, t),
                    id,
                ),
                Kind::Faq(s) => faq_said(&translate::faq(faq.get(s.as_str())?, t), id),
                _ => return None,
            }))
        }));
    }
    // Texts of incidents, audiences and translations, whose items are made
    // anew at each load; an update's or FAQ entry's text is found again
    // only through the item (a changed file is a new body).
    cache.texts = out
        .iter()
        .filter_map(|s| {
            let kept = Kept {
                body: Arc::clone(&s.body),
                text: Arc::clone(&s.text),
                digest: Arc::clone(&s.digest),
            };
            Some((s.key?, kept))
        })
        .collect();
    out.extend(updates);
    out.extend(faq);
    out.par_sort_by(|a, b| a.id.cmp(&b.id));
    (out, cache)
}

fn said(
    id: String,
    title: &str,
    head: String,
    body: &Body,
    corrections: &[Correction],
    unpublished: Option<&'static str>,
    previous: Option<&HashMap<Fingerprint, Kept>>,
) -> Said {
    let key = previous.map(|_| fingerprint::of(&(&head, Arc::as_ptr(&body.text) as *const u8)));
    let kept = previous
        .zip(key)
        .and_then(|(p, key)| p.get(&key))
        .filter(|k| Arc::ptr_eq(&k.body, &body.text));
    let (text, digest) = match kept {
        Some(k) => (Arc::clone(&k.text), Arc::clone(&k.digest)),
        None => {
            let plain = normal(&to_plain_lines(&body.text));
            let text = if plain.is_empty() {
                head
            } else {
                format!("{head}\n\n{plain}")
            };
            let digest = Arc::from(sha256(text.as_bytes()));
            (Arc::from(text), digest)
        }
    };
    Said {
        id,
        title: title.to_string(),
        text,
        digest,
        key,
        corrections: corrections.iter().map(note).collect(),
        published: unpublished.is_none(),
        unpublished,
        file: body.file.clone(),
        body: Arc::clone(&body.text),
        first_line: body.first_line,
    }
}

/// Plain text in one form: each line's spaces collapsed, headings without
/// their underlines, one blank line between blocks.
pub fn normal(plain: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for block in plain.split("\n\n") {
        let lines: Vec<String> = block
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| {
                !(t.is_empty() || t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
            })
            .collect();
        if !lines.is_empty() {
            blocks.push(lines.join("\n"));
        }
    }
    blocks.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str) -> String {
        normal(&to_plain_lines(md))
    }

    #[test]
    fn reflowing_markdown_is_not_a_change() {
        let a = "We believe **1,240** customers\nwere affected.\n\n- Freeze your credit\n- Change passwords\n";
        let b = "We believe 1,240 customers were affected.\n\n* Freeze your\n  credit\n* Change passwords";
        assert_eq!(plain(a), plain(b));
        assert_eq!(
            plain(a),
            "We believe 1,240 customers were affected.\n\n- Freeze your credit\n- Change passwords"
        );
    }

    #[test]
    fn a_number_or_a_link_is_a_change() {
        assert_ne!(plain("1,240 customers"), plain("1,310 customers"));
        assert_ne!(
            plain("[Call us](tel:+44-20-7946-0000)"),
            plain("[Call us](tel:+44-20-7946-0999)")
        );
    }

    #[test]
    fn headings_lose_their_underlines() {
        assert_eq!(plain("## What happened\n\nText."), "What happened\n\nText.");
    }
}
