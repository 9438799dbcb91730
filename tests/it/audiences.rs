//! Audiences: one incident, several groups of readers, each with its own
//! notice. What is written for some of them reaches them and nobody else,
//! in any output; each is checked against its own laws; the numbers add up.

use std::collections::BTreeSet;

use crate::common::{NOW, Site};

const INCIDENT: &str = "content/incidents/records-2026/_index.md";

/// A sentence written for some audiences only, and who they are.
const PARTS: &[(&str, &[&str])] = &[
    (
        "Your Social Security number was also copied",
        &["us-ma", "us-ca"],
    ),
    ("report it to Report Fraud", &["uk-customers"]),
    ("Protect your Social Security number", &["us-ma", "us-ca"]),
    ("right to obtain a police report", &["us-ma"]),
    ("You can also place a fraud alert", &["us-ca"]),
];

const AUDIENCES: &[&str] = &["uk-customers", "us-ma", "us-ca"];

/// Every file a build wrote (the site and the notices), as text, by path.
fn outputs(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for folder in ["public", "notices"] {
        for (path, bytes) in site.snapshot(folder) {
            out.push((
                format!("{folder}/{path}"),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    out
}

/// The files that belong to one audience: its page and its notices.
fn audience_of(path: &str) -> Option<&str> {
    AUDIENCES.iter().copied().find(|a| {
        path.starts_with(&format!("public/incidents/records-2026/for/{a}/"))
            || path.starts_with(&format!("notices/records-2026/for/{a}/"))
    })
}

#[test]
fn each_audience_gets_exactly_its_parts_in_every_output() {
    let site = Site::fixture("audiences");
    site.build(&[]).assert_ok();
    let files = outputs(&site);
    for a in AUDIENCES {
        for doc in ["email.html", "email.txt", "email.eml", "letter.html"] {
            let path = format!("notices/records-2026/for/{a}/{doc}");
            assert!(files.iter().any(|(p, _)| *p == path), "no {path}");
        }
        let page = format!("public/incidents/records-2026/for/{a}/index.html");
        assert!(files.iter().any(|(p, _)| *p == page), "no {page}");
    }
    for (sentence, audiences) in PARTS {
        // An email's plain text may be folded: compare with spaces folded.
        let found: BTreeSet<&str> = files
            .iter()
            // The published record keeps every public page's words, each
            // audience's page among them: it is the archive, not a notice.
            .filter(|(p, _)| p != "public/record.jsonl")
            .filter(|(_, text)| {
                text.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(sentence)
            })
            .map(|(p, _)| p.as_str())
            .collect();
        for path in &found {
            let owner = audience_of(path);
            assert!(
                owner.is_some_and(|o| audiences.contains(&o)),
                "\"{sentence}\" is for {audiences:?} only, but {path} has it"
            );
        }
        // And each of its audiences gets it in every document.
        for a in *audiences {
            for doc in [
                format!("notices/records-2026/for/{a}/email.html"),
                format!("notices/records-2026/for/{a}/email.txt"),
                format!("notices/records-2026/for/{a}/letter.html"),
                format!("public/incidents/records-2026/for/{a}/index.html"),
            ] {
                assert!(found.contains(doc.as_str()), "{doc} lacks \"{sentence}\"");
            }
        }
    }
    // What everyone reads is in every audience's notice.
    for a in AUDIENCES {
        let letter = std::fs::read_to_string(
            site.path(&format!("notices/records-2026/for/{a}/letter.html")),
        )
        .unwrap();
        assert!(letter.contains("Be careful with messages that claim to be from us"));
        assert!(letter.contains("This letter is for:"), "{a}");
    }
}

#[test]
fn the_incident_page_says_what_was_involved_for_whom_and_links_each_notice() {
    let site = Site::fixture("audiences");
    site.build(&[]).assert_ok();
    let page = crate::common::visible_text(&site.out("incidents/records-2026/index.html"));
    assert!(page.contains("Names: all 1,209 people"), "{page}");
    assert!(
        page.contains("US Social Security numbers: 9 of the 1,209 people"),
        "{page}"
    );
    assert!(page.contains("Which of these are you?"));
    let html = site.out("incidents/records-2026/index.html");
    for a in AUDIENCES {
        assert!(html.contains(&format!("href=\"/incidents/records-2026/for/{a}/\"")));
    }
    // An answer for some audiences is on their pages, not everyone's.
    let monitoring = "How do I sign up for credit monitoring?";
    assert!(!html.contains(monitoring));
    assert!(
        site.out("incidents/records-2026/for/us-ma/index.html")
            .contains(monitoring)
    );
    assert!(
        !site
            .out("incidents/records-2026/for/uk-customers/index.html")
            .contains(monitoring)
    );
    // Guidance follows each audience's places and data.
    let uk = site.out("incidents/records-2026/for/uk-customers/index.html");
    let ca = site.out("incidents/records-2026/for/us-ca/index.html");
    assert!(uk.contains("Report fraud in the UK") && !uk.contains("Place a free security freeze"));
    assert!(ca.contains("Place a free security freeze") && !ca.contains("Report fraud in the UK"));
    // The offer, with each person's code as a mail-merge field.
    let email =
        std::fs::read_to_string(site.path("notices/records-2026/for/us-ma/email.txt")).unwrap();
    assert!(
        email.contains("Your enrolment code: «Enrolment code»."),
        "{email}"
    );
    assert!(email.contains("Take it up by 1 March 2027"));
    // status.json lists the audiences.
    let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
    let listed = status["incidents"][0]["audiences"].as_array().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[1]["id"], "us-ma");
    assert_eq!(listed[1]["people"], 3);
    assert_eq!(
        listed[0]["data_types"],
        serde_json::json!(["name", "postal_address", "email"])
    );
}

fn check(site: &Site) -> Vec<serde_json::Value> {
    let run = site.candor(&["check", "--format", "json", "--now", NOW]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    report["findings"].as_array().unwrap().clone()
}

fn rule_of(f: &serde_json::Value) -> &str {
    f["rule"].as_str().unwrap_or("")
}

#[test]
fn each_audience_is_checked_against_its_own_laws() {
    let site = Site::fixture("audiences");
    let before = check(&site);
    // Massachusetts rules judge only the Massachusetts notice; California's
    // only California's.
    for f in &before {
        let audience = f["audience"].as_str().unwrap_or("");
        if rule_of(f).starts_with("us-ma.") {
            assert!(audience.starts_with("`us-ma`"), "{f}");
        }
        if rule_of(f).starts_with("us-ca.") {
            assert!(audience.starts_with("`us-ca`"), "{f}");
        }
    }
    assert!(!before.iter().any(|f| rule_of(f) == "us-ma.no-number"));
    // California requires the bureaus; the fixture's California part lacks
    // two of their numbers, and only California's notice is faulted.
    assert!(before.iter().any(|f| rule_of(f) == "us-ca.credit-bureaus"));

    // The Massachusetts letter states the number: that audience fails, and
    // nothing else changes.
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    site.write(
        INCIDENT,
        &text.replace(
            "You have the right to obtain a police report about this incident.",
            "You have the right to obtain a police report about this incident. We have written to the 3 customers affected in Massachusetts.",
        ),
    );
    let after = check(&site);
    let new: Vec<&serde_json::Value> = after
        .iter()
        .filter(|f| rule_of(f) == "us-ma.no-number")
        .collect();
    assert!(!new.is_empty(), "{after:#?}");
    for f in &new {
        assert_eq!(f["level"], "error");
        assert!(
            f["audience"].as_str().unwrap().starts_with("`us-ma`"),
            "{f}"
        );
    }
    let others = |list: &[serde_json::Value]| -> Vec<String> {
        list.iter()
            .filter(|f| rule_of(f) != "us-ma.no-number")
            .map(|f| format!("{} {} {}", rule_of(f), f["audience"], f["line"]))
            .collect()
    };
    assert_eq!(others(&before), others(&after));
}

#[test]
fn deadlines_count_the_people_each_law_protects() {
    let site = Site::fixture("audiences");
    let run = site.candor(&["check", "--format", "json", "--now", NOW]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ag = report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["regime"] == "us-ca" && d["id"] == "ca-attorney-general")
        .unwrap_or_else(|| panic!("{:#}", report["deadlines"]));
    assert_eq!(ag["people"], 6);
    assert!(ag["state"].as_str().unwrap().starts_with("not required"));
}

#[test]
fn numbers_that_do_not_add_up_are_an_error_with_the_sum() {
    let site = Site::fixture("audiences");
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    site.write(INCIDENT, &text.replace("people = 1200", "people = 1199"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "the audiences add up to 1,208 people (1,199 (uk-customers) + 3 (us-ma) + 6 (us-ca)), but people_affected is 1,209"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn audience_mistakes_are_errors_at_their_place() {
    let site = Site::fixture("audiences");
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    let broken = text
        .replace("::: for us-ma\n", "::: for us-mass\n")
        .replace(
            "data_types = [\"name\", \"postal_address\", \"email\"]\npeople = 1200",
            "data_types = [\"name\", \"postal_address\", \"email\", \"password\"]\npeople = 1200",
        );
    site.write(INCIDENT, &broken);
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let line = broken.lines().position(|l| l == "::: for us-mass").unwrap() + 1;
    assert!(
        run.stderr.contains(&format!(
            "{INCIDENT}:{line}:1: `::: for us-mass`: this incident has no audience `us-mass`"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `us-ma`?"));
    assert!(run.stderr.contains(
        "audience `uk-customers` lists `password` in its data_types, but the incident's data_types do not"
    ));
    // An FAQ answer for an audience its incident does not have.
    site.write(INCIDENT, &text);
    site.write(
        "content/faq/monitoring.md",
        "+++\nquestion = \"How do I enrol?\"\nincident = \"records-2026\"\naudiences = [\"us-c\"]\n+++\n\nAnswer.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`audiences`: there is no audience `us-c`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_part_for_an_audience_changed_after_publishing_needs_a_correction() {
    let site = Site::fixture("audiences");
    site.build(&[]).assert_ok();
    let record = std::fs::read_to_string(site.path("record.jsonl")).unwrap();
    assert!(record.contains("\"id\":\"incidents/records-2026@us-ca\""));
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    site.write(
        INCIDENT,
        &text.replace(
            "Call Equifax on 1-800-685-1111.",
            "Call Equifax on 1-800-525-6285.",
        ),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("1-800-685-1111"), "{}", run.stderr);
}

#[test]
fn telling_an_audience_of_data_that_was_not_theirs_is_an_error() {
    let site = Site::fixture("audiences");
    assert!(!check(&site).iter().any(|f| rule_of(f) == "audience.data"));
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    // Said to everyone, so to the UK customers too: false for them.
    site.write(
        INCIDENT,
        &text.replace(
            "Your name, postal address and email address were copied.\n",
            "Your name, postal address and email address were copied. Your Social Security number may also have been copied.\n",
        ),
    );
    let found: Vec<serde_json::Value> = check(&site)
        .into_iter()
        .filter(|f| rule_of(f) == "audience.data")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["level"], "error");
    assert!(
        f["audience"]
            .as_str()
            .unwrap()
            .starts_with("`uk-customers`")
    );
    assert_eq!(f["file"], INCIDENT);
    assert!(
        f["line"].as_u64().unwrap() > 40 && f["col"].as_u64().unwrap() > 1,
        "{f}"
    );
    // Denying it, or supposing it, is not saying it.
    site.write(
        INCIDENT,
        &text.replace(
            "Your name, postal address and email address were copied.\n",
            "Your name, postal address and email address were copied. Your Social Security number was not involved.\n",
        ),
    );
    assert!(!check(&site).iter().any(|f| rule_of(f) == "audience.data"));
}
