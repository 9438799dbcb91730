//! For the regulator and the front desk (issue #22): report drafts, the
//! breach log and the call script, made from the same content as the
//! notice, and `check` failing where the notice says another number.

use crate::common::{NOW, Site};

const INCIDENT: &str = "content/incidents/customer-database-2026/_index.md";
const DESK: &str = "notices/customer-database-2026/desk";

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn draft(site: &Site, id: &str) -> serde_json::Value {
    serde_json::from_str(&read(site, &format!("{DESK}/{id}.json"))).unwrap()
}

/// The ICO's report: every field is filled from the content or listed as
/// missing with what to add; the example fills them all.
#[test]
fn the_example_has_an_ico_draft_with_every_field_filled() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let ico = draft(&site, "ico");
    assert_eq!(ico["regulator"], "Information Commissioner's Office (ICO)");
    assert_eq!(ico["report"], "follow-up");
    let fields = ico["fields"].as_array().unwrap();
    let labels: Vec<&str> = fields
        .iter()
        .map(|f| f["label"].as_str().unwrap())
        .collect();
    for label in [
        "What happened",
        "How you found out",
        "When it happened",
        "When you discovered it",
        "Kinds of personal data",
        "Approximate number of people affected",
        "Approximate number of records",
        "Likely consequences",
        "What you have done and will do",
        "Have you told the people affected",
        "Who else you have told (police, other regulators)",
        "Contact for this report (DPO or contact point)",
    ] {
        assert!(labels.contains(&label), "{label}: {labels:?}");
    }
    for f in fields {
        assert!(
            f["value"].as_str().is_some_and(|v| !v.is_empty()),
            "not filled: {f:#}"
        );
    }
    assert_eq!(ico["missing"], 0);
    let value = |label: &str| {
        fields
            .iter()
            .find(|f| f["label"] == label)
            .and_then(|f| f["value"].as_str())
            .unwrap()
            .to_string()
    };
    // The same facts as the notice: its count and its words.
    assert_eq!(value("Total number of people affected"), "1,252 people");
    assert!(value("What happened").contains("unknown computer connected to our customer database"));
    assert!(value("Who else you have told (police, other regulators)").contains("Report Fraud"));
    // The ICO's page says what to attach, and how to file.
    let html = read(&site, &format!("{DESK}/ico.html"));
    for letter in ["for/uk-customers/letter.html", "for/staff/letter.html"] {
        assert!(
            html.contains(&format!("notices/customer-database-2026/{letter}")),
            "{letter}"
        );
    }
    assert!(html.contains("ico.org.uk"));
    // New York's agencies get theirs; California's Attorney General is not
    // due (29 residents, from 501) and gets none.
    let ny = draft(&site, "ny-agencies");
    let residents = ny["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "Residents of this state affected")
        .unwrap();
    assert_eq!(residents["value"], "8 people");
    assert!(
        !site
            .path(&format!("{DESK}/ca-attorney-general.json"))
            .exists()
    );
}

/// Without `[report]`, each field it fills is listed as missing, saying
/// which line to add.
#[test]
fn a_field_candor_cannot_fill_says_what_to_add() {
    let site = Site::example();
    let text = read(&site, INCIDENT);
    let start = text.find("[report]").unwrap();
    let end = text.find("# A published notice is corrected").unwrap();
    site.write(INCIDENT, &format!("{}{}", &text[..start], &text[end..]));
    site.build(&[]).assert_ok();
    let ico = draft(&site, "ico");
    let missing: Vec<String> = ico["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["missing"].as_str().map(str::to_string))
        .collect();
    for hint in [
        "[report] how_discovered",
        "[report] records",
        "[report] consequences",
    ] {
        assert!(
            missing.iter().any(|m| m.contains(hint)),
            "{hint}: {missing:?}"
        );
    }
    assert_eq!(ico["missing"], missing.len());
    let html = read(&site, &format!("{DESK}/ico.html"));
    assert!(html.contains("Missing: add [report] how_discovered"));
}

/// The call script, the counter notice and the breach log.
#[test]
fn the_front_desk_pack_and_the_breach_log() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let script = read(&site, &format!("{DESK}/call-script.html"));
    for said in [
        "What happened, in two sentences",
        "What not to say",
        "Do not ask for a password",
        "Is the caller affected?",
        "Questions people ask",
        "Is the attacker still in your systems?",
        "answer updated",
        "Pass the call to Priya Shah",
        "0808 157 0192",
    ] {
        assert!(script.contains(said), "{said}");
    }
    let counter = read(&site, &format!("{DESK}/counter.html"));
    assert!(
        counter.contains(
            "https://status.northbridge-repairs.example/incidents/customer-database-2026/"
        )
    );
    let log = read(&site, "notices/breach-log.csv");
    let mut rows = csv::Reader::from_reader(log.as_bytes());
    let headers = rows.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "remedial_action"));
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "customer-database-2026");
    let decisions = &row[headers.iter().position(|h| h == "decisions").unwrap()];
    assert!(
        decisions.contains("reported to the ICO, because"),
        "{decisions}"
    );
    let updates = &row[headers.iter().position(|h| h == "updates").unwrap()];
    assert!(updates.lines().count() >= 3, "{updates}");
    // Nothing of this is published.
    assert!(!site.path("public/breach-log.csv").exists());
    assert!(
        !std::fs::read_dir(site.path("public"))
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().contains("desk") })
    );
}

/// A notice that says another number than the incident counts would tell
/// the regulator (whose report is made from the counts) something else:
/// `check` fails. The right number, or an honest approximation, passes.
#[test]
fn a_notice_that_disagrees_with_the_counts_fails_check() {
    let site = Site::fixture("audiences");
    let path = "content/incidents/records-2026/_index.md";
    let text = read(&site, path);
    let with = |sentence: &str| {
        text.replacen(
            "## What happened\n",
            &format!("## What happened\n\n{sentence}\n"),
            1,
        )
    };
    let facts = |site: &Site| -> Vec<String> {
        let run = site.candor(&["check", "--format", "json", "--now", NOW]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "facts.people")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(text.contains("people_affected = 1209"));
    site.write(path, &with("The details of 1,100 customers were copied."));
    let found = facts(&site);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("says 1,100, but the incident counts 1,209 people"),
        "{found:?}"
    );
    let run = site.candor(&["check", "--now", NOW]);
    assert_eq!(run.code, 1);

    for fine in [
        "The details of 1,209 customers were copied.",
        "The details of about 1,200 customers were copied.",
        "The details of 1,200 UK customers were copied.",
        "We first said 1,100 customers were affected; it was 1,209.",
    ] {
        site.write(path, &with(fine));
        assert_eq!(facts(&site), Vec::<String>::new(), "{fine}");
    }
}

/// "What information was involved" names data the incident's data_types do
/// not list: the drafts and the log, made from data_types, would leave it
/// out. A table's "No." beside a kind of data, and advice elsewhere in the
/// notice, are not claims that it was taken.
#[test]
fn a_notice_that_names_unlisted_data_fails_check() {
    let site = Site::fixture("audiences");
    let path = "content/incidents/records-2026/_index.md";
    let text = read(&site, path);
    let said = "Your name, postal address and email address were copied.";
    assert!(text.contains(said));
    let facts = |site: &Site| -> Vec<String> {
        let run = site.candor(&["check", "--format", "json", "--now", NOW]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "facts.data")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    site.write(
        path,
        &text.replace(
            said,
            "Your name, postal address, email address and bank account details were copied.",
        ),
    );
    let found = facts(&site);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("this notice says bank account details were involved"),
        "{found:?}"
    );

    for fine in [
        "Your name, postal address and email address were copied. Your bank account details were not.",
        "Your name, postal address and email address were copied.\n\n| Kind of data | Involved? |\n|---|---|\n| Bank account details | No. |",
    ] {
        site.write(path, &text.replace(said, fine));
        assert_eq!(facts(&site), Vec::<String>::new(), "{fine}");
    }
    // Advice under another heading is not a claim.
    site.write(
        path,
        &text.replace(
            "## What information was involved",
            "## Keep an eye on your bank\n\nCheck your bank account details and statements.\n\n## What information was involved",
        ),
    );
    assert_eq!(facts(&site), Vec::<String>::new());
}

/// "On 12 November we found …" when the incident was discovered on 16
/// November: the report and the log give `discovered`, so the notice must
/// say the same day. What was found ("we found that they got in on 9
/// November") and when someone else found out are other dates.
#[test]
fn a_notice_that_gives_another_discovery_date_fails_check() {
    let site = Site::fixture("audiences");
    let path = "content/incidents/records-2026/_index.md";
    let text = read(&site, path);
    assert!(
        text.contains("On 16 November 2026 we found that someone had copied our customer list.")
    );
    let facts = |site: &Site| -> Vec<String> {
        let run = site.candor(&["check", "--format", "json", "--now", NOW]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "facts.discovered")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let with = |sentence: &str| {
        text.replacen(
            "## What happened\n",
            &format!("## What happened\n\n{sentence}\n"),
            1,
        )
    };
    assert_eq!(facts(&site), Vec::<String>::new());
    for wrong in [
        "On 12 November 2026 we found that our list had been copied.",
        "We discovered the break-in on November 14.",
        "The copy was discovered on 13 November.",
    ] {
        site.write(path, &with(wrong));
        let found = facts(&site);
        assert_eq!(found.len(), 1, "{wrong}: {found:?}");
        assert!(
            found[0].contains("but the incident was discovered on 16 November 2026"),
            "{found:?}"
        );
    }
    for fine in [
        "We found that they first got in on 9 November.",
        "Our supplier noticed it on 12 November and told us on 16 November.",
        "We first wrote on 17 November that we found it on 15 November.",
    ] {
        site.write(path, &with(fine));
        assert_eq!(facts(&site), Vec::<String>::new(), "{fine}");
    }
}
