//! Reconciling what a site says with its record, without files.

use super::*;
use crate::base::vocab::Status;
use crate::load::content::{Body, Correction, Faq, Incident, Update};
use std::sync::Arc;

fn t(s: &str) -> Timestamp {
    s.parse().expect("a time")
}

fn body(file: &str, text: &str) -> Body {
    Body {
        file: file.into(),
        text: text.into(),
        first_line: 5,
    }
}

fn site(update_text: &str, corrections: Vec<Correction>) -> Content {
    let incident = Incident {
        slug: "db".into(),
        title: "Customer database copied".into(),
        discovered: t("2026-11-16T09:00:00Z"),
        occurred_start: None,
        occurred_end: None,
        severity: None,
        data_types: Vec::new(),
        people_affected: Some(1240),
        jurisdictions: Vec::new(),
        summary: None,
        draft: false,
        notified: Vec::new(),
        corrections: Vec::new(),
        withdrawn: Vec::new(),
        audiences: Vec::new(),
        report: Default::default(),
        desk: Default::default(),
        extra: serde_json::Value::Null,
        body: body("content/incidents/db/_index.md", "We found it."),
    };
    let update = Update {
        incident: "db".into(),
        slug: "taken".into(),
        id: None,
        title: "What was taken".into(),
        at: t("2026-11-18T16:00:00Z"),
        status: Status::Contained,
        status_label: None,
        next_update: None,
        summary: None,
        draft: false,
        corrections,
        channels: Vec::new(),
        extra: serde_json::Value::Null,
        body: body("content/incidents/db/taken.md", update_text),
    };
    let faq = Faq {
        slug: "call".into(),
        question: "Can I call you?".into(),
        category: "General".into(),
        weight: 0,
        incident: None,
        updated: None,
        draft: false,
        corrections: Vec::new(),
        audiences: Vec::new(),
        body: body("content/faq/call.md", "Yes, on 0808 157 0192."),
    };
    Content {
        incidents: vec![incident.into()],
        updates: vec![update.into()],
        faq: vec![faq.into()],
        ..Content::default()
    }
}

fn run(chain: Chain, content: &Content, now: &str) -> (Reconciled, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let said = said::of(content, t(now));
    let w = withdrawals(content);
    let r = compare(
        &Read::of(chain),
        &said,
        &w,
        "https://status.example.org",
        t(now),
        true,
        &mut diags,
    );
    (r, diags)
}

/// The record as the next build reads it back.
fn next(r: &Reconciled) -> Chain {
    Chain::parse(&r.text()).expect("reads back")
}

fn empty() -> Chain {
    Chain::default()
}

const FIRST: &str = "We believe **1,240** customers were affected.";

#[test]
fn the_first_build_adopts_everything_and_the_second_adds_nothing() {
    let content = site(FIRST, Vec::new());
    let (r, d) = run(empty(), &content, "2026-12-01T12:00:00Z");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(r.added, 4, "begin, the notice, the update, the FAQ answer");
    let again = Chain::parse(&r.text()).expect("reads back");
    let (r2, d2) = run(again, &content, "2026-12-02T12:00:00Z");
    assert!(d2.is_empty(), "{d2:?}");
    assert_eq!(r2.added, 0);
    assert_eq!(r2.text(), r.text(), "the same record, byte for byte");
}

#[test]
fn reflowed_markdown_is_no_change() {
    let (r, _) = run(empty(), &site(FIRST, Vec::new()), "2026-12-01T12:00:00Z");
    let reflowed = site("We believe 1,240\ncustomers   were affected.", Vec::new());
    let (r2, d) = run(next(&r), &reflowed, "2026-12-02T12:00:00Z");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(r2.added, 0);
}

#[test]
fn a_changed_number_without_a_correction_is_an_error_with_the_diff() {
    let (r, _) = run(empty(), &site(FIRST, Vec::new()), "2026-12-01T12:00:00Z");
    let changed = site("We believe **1,310** customers were affected.", Vec::new());
    let (r2, d) = run(next(&r), &changed, "2026-12-02T12:00:00Z");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, "content/incidents/db/taken.md");
    assert_eq!((d[0].line, d[0].col), (5, 14), "at the new number");
    let note = d[0].note.as_deref().unwrap_or("");
    assert!(
        note.contains("[1,240]") && note.contains("[1,310]"),
        "{note}"
    );
    assert!(
        d[0].hint
            .as_deref()
            .unwrap_or("")
            .contains("[[correction]]")
    );
    assert_eq!(r2.added, 0, "nothing is recorded from a failed build");
}

#[test]
fn a_correction_records_the_change_for_readers() {
    let (r, _) = run(empty(), &site(FIRST, Vec::new()), "2026-12-01T12:00:00Z");
    let fix = Correction {
        at: t("2026-12-02T10:00:00Z"),
        note: "We said 1,240; the count is 1,310.".into(),
    };
    let corrected = site(
        "We believe **1,310** customers were affected.",
        vec![fix.clone()],
    );
    let again = Chain::parse(&r.text()).expect("reads back");
    let (r2, d) = run(again, &corrected, "2026-12-02T12:00:00Z");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(r2.added, 1);
    let last = r2.chain.entries.last().expect("an entry");
    assert_eq!(last.event, Event::Corrected);
    let hunks = r2.history.change("incidents/db/taken", &said::note(&fix));
    assert_eq!(hunks.len(), 1);
    assert_eq!(
        hunks[0].before_text(),
        // On its own line: not the update's title, time and status above it.
        "We believe [1,240] customers were affected."
    );
    // The next build reads the change back from the record.
    let (r3, d3) = run(
        Chain::parse(&r2.text()).expect("reads"),
        &corrected,
        "2026-12-03T12:00:00Z",
    );
    assert!(d3.is_empty(), "{d3:?}");
    assert_eq!(r3.added, 0);
    assert_eq!(
        r3.history.change("incidents/db/taken", &said::note(&fix)),
        hunks
    );
    // Removing the published correction is an error.
    let (_, d4) = run(
        next(&r3),
        &site("We believe **1,310** customers were affected.", Vec::new()),
        "2026-12-03T12:00:00Z",
    );
    assert!(
        d4.iter()
            .any(|d| d.message.contains("correction was removed")),
        "{d4:?}"
    );
}

#[test]
fn the_facts_of_an_incident_are_part_of_what_it_says() {
    let content = site(FIRST, Vec::new());
    let (r, _) = run(empty(), &content, "2026-12-01T12:00:00Z");
    let mut more = site(FIRST, Vec::new());
    Arc::make_mut(&mut more.incidents[0]).people_affected = Some(1310);
    let (_, d) = run(next(&r), &more, "2026-12-02T12:00:00Z");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message.contains("published notice was changed"),
        "{}",
        d[0].message
    );
}

#[test]
fn a_deleted_update_must_be_withdrawn_visibly() {
    let (r, _) = run(empty(), &site(FIRST, Vec::new()), "2026-12-01T12:00:00Z");
    let mut gone = site(FIRST, Vec::new());
    gone.updates.clear();
    let (_, d) = run(
        Chain::parse(&r.text()).expect("reads"),
        &gone,
        "2026-12-02T12:00:00Z",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, "content/incidents/db/taken.md");
    assert!(
        d[0].message.contains("was deleted or renamed"),
        "{}",
        d[0].message
    );
    assert!(d[0].hint.as_deref().unwrap_or("").contains("[[withdrawn]]"));
    // Made a draft, or moved into the future, it is gone from readers too.
    let mut hidden = site(FIRST, Vec::new());
    Arc::make_mut(&mut hidden.updates[0]).draft = true;
    let (_, d) = run(
        Chain::parse(&r.text()).expect("reads"),
        &hidden,
        "2026-12-02T12:00:00Z",
    );
    assert!(d[0].message.contains("is now a draft"), "{}", d[0].message);
    // With a withdrawal notice, it is recorded and shown.
    Arc::make_mut(&mut gone.incidents[0])
        .withdrawn
        .push(crate::load::content::Withdrawn {
            slug: "taken".into(),
            at: t("2026-12-02T09:00:00Z"),
            note: "We posted this in error.".into(),
            file: "content/incidents/db/_index.md".into(),
            line: 8,
        });
    let (r2, d) = run(
        Chain::parse(&r.text()).expect("reads"),
        &gone,
        "2026-12-02T12:00:00Z",
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(r2.added, 1);
    let w = &r2.history.withdrawn["incidents/db/taken"];
    assert_eq!(w.title, "What was taken");
    assert_eq!(w.notice.note, "We posted this in error.");
    // Its notice cannot then be dropped.
    let (_, d) = run(
        next(&r2),
        &site(FIRST, Vec::new()).tap_clear(),
        "2026-12-03T12:00:00Z",
    );
    assert!(
        d.iter().any(|d| d.message.contains("withdrawal notice")),
        "{d:?}"
    );
}

#[test]
fn a_withdrawal_of_something_never_published_is_an_error() {
    let mut content = site(FIRST, Vec::new());
    Arc::make_mut(&mut content.incidents[0])
        .withdrawn
        .push(crate::load::content::Withdrawn {
            slug: "taken".into(),
            at: t("2026-12-02T09:00:00Z"),
            note: "Wrong.".into(),
            file: "content/incidents/db/_index.md".into(),
            line: 8,
        });
    let (r, _) = run(empty(), &site(FIRST, Vec::new()), "2026-12-01T12:00:00Z");
    let (_, d) = run(next(&r), &content, "2026-12-02T12:00:00Z");
    assert!(
        d.iter().any(|d| d.message.contains("still published")),
        "{d:?}"
    );
    content.updates.clear();
    Arc::make_mut(&mut content.incidents[0]).withdrawn[0].slug = "takne".into();
    let (r, _) = run(empty(), &site(FIRST, Vec::new()), "2026-12-01T12:00:00Z");
    let (_, d) = run(next(&r), &content, "2026-12-02T12:00:00Z");
    let never = d.iter().find(|d| d.message.contains("was ever published"));
    assert_eq!(
        never.and_then(|d| d.hint.as_deref()),
        Some("did you mean `taken`?"),
        "{d:?}"
    );
}

#[test]
fn scheduled_and_draft_updates_are_not_recorded() {
    let mut content = site(FIRST, Vec::new());
    Arc::make_mut(&mut content.updates[0]).at = t("2026-12-05T09:00:00Z");
    let (r, d) = run(empty(), &content, "2026-12-01T12:00:00Z");
    assert!(d.is_empty(), "{d:?}");
    assert!(!r.text().contains("incidents/db/taken"));
    Arc::make_mut(&mut content.updates[0]).at = t("2026-11-18T16:00:00Z");
    Arc::make_mut(&mut content.updates[0]).draft = true;
    let (r, _) = run(empty(), &content, "2026-12-01T12:00:00Z");
    assert!(!r.text().contains("incidents/db/taken"));
}

trait TapClear {
    fn tap_clear(self) -> Self;
}

impl TapClear for Content {
    /// The site with its update deleted and no withdrawal notice.
    fn tap_clear(mut self) -> Self {
        self.updates.clear();
        self
    }
}
