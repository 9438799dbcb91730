//! The notification rules as data for every place a notice goes
//! (`rules/jurisdictions/`, issue #21): each US state, DC, Puerto Rico,
//! Guam and the US Virgin Islands, the UK, the EU, Canada and Quebec,
//! Australia and New Zealand has an entry that cites its law and at least
//! one public https source, and says when it was last checked.

use std::path::Path;

use crate::common::Site;

const US: &[&str] = &[
    "al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks",
    "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny",
    "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv",
    "wi", "wy", "dc", "pr", "gu", "vi",
];
const OTHERS: &[&str] = &["uk", "eu", "ca", "ca-qc", "au", "nz"];

#[test]
fn every_place_has_an_entry_with_sources_and_a_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/jurisdictions");
    let ids = US
        .iter()
        .map(|s| format!("us-{s}"))
        .chain(OTHERS.iter().map(|s| s.to_string()));
    let mut checked = 0;
    for id in ids {
        let path = dir.join(format!("{id}.toml"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{id}: {e}"));
        let entry: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(entry["id"].as_str(), Some(id.as_str()), "{id}");
        assert!(
            entry
                .get("law")
                .and_then(|l| l.as_str())
                .is_some_and(|l| !l.is_empty()),
            "{id}: no law"
        );
        let sources = entry["sources"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no sources"));
        assert!(!sources.is_empty(), "{id}: no source");
        for s in sources {
            let s = s.as_str().unwrap_or_default();
            assert!(
                s.starts_with("https://") && !s.contains(char::is_whitespace),
                "{id}: source {s}"
            );
        }
        let date = entry["last_checked"]
            .as_datetime()
            .unwrap_or_else(|| panic!("{id}: no last_checked date"));
        assert!(
            date.date.is_some() && date.time.is_none(),
            "{id}: last_checked is a date"
        );
        assert!(
            matches!(
                entry.get("confidence").and_then(|c| c.as_str()),
                Some("high" | "medium" | "low")
            ),
            "{id}: confidence"
        );
        checked += 1;
    }
    assert_eq!(checked, 60);
}

const INCIDENT: &str = "content/incidents/records-2026/_index.md";

fn check_json(site: &Site, now: &str) -> serde_json::Value {
    let run = site.candor(&["check", "--format", "json", "--now", now]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr))
}

/// The duty `id` of place `place` in a check report.
fn duty<'a>(report: &'a serde_json::Value, place: &str, id: &str) -> &'a serde_json::Value {
    report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["regime"] == place && d["id"] == id)
        .unwrap_or_else(|| panic!("no {place} {id} in {:#}", report["deadlines"]))
}

fn law<'a>(report: &'a serde_json::Value, place: &str) -> &'a serde_json::Value {
    report["laws"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["place"] == place)
        .unwrap_or_else(|| panic!("no {place} in {:#}", report["laws"]))
}

fn has_duty(report: &serde_json::Value, place: &str) -> bool {
    report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["regime"] == place)
}

/// Residents of five states lost names with Social Security numbers; 800
/// Californians lost a name, an address and an email address. Discovered
/// on 2 November 2026 at 09:00 UTC. The expectations are read from the
/// statutes:
/// - Texas, Bus. & Com. Code § 521.053: individuals within 60 days; the
///   AG within 30 days when 250 or more Texans are affected (300 are);
///   the credit bureaus only above 10,000.
/// - Florida, § 501.171: individuals within 30 days; the Department of
///   Legal Affairs only from 500 Floridians (40 are); bureaus above 1,000.
/// - Illinois, 815 ILCS 530/10: no fixed days; the AG only above 500 (12).
/// - Massachusetts, c. 93H § 3: no fixed days; the AG and OCABR for every
///   breach; the notice must not give the number of residents.
/// - Washington, RCW 19.255.010: individuals within 30 days; the AG
///   within 30 days above 500 residents (600 are).
/// - California, Civ. Code § 1798.82(h): a name with an address or an
///   email address (without a password) is not personal information.
#[test]
fn five_states_with_and_without_social_security_numbers() {
    let site = Site::fixture("obligations");
    let report = check_json(&site, "2026-11-20T12:00:00Z");

    for place in ["us-tx", "us-fl", "us-il", "us-ma", "us-wa"] {
        assert_eq!(law(&report, place)["status"], "triggered", "{place}");
    }
    assert_eq!(law(&report, "us-tx")["people"], 300);

    // Texas.
    assert_eq!(
        duty(&report, "us-tx", "individuals")["due_iso"],
        "2027-01-01T09:00:00Z"
    );
    let ag = duty(&report, "us-tx", "tx-attorney-general");
    assert_eq!(ag["due_iso"], "2026-12-02T09:00:00Z");
    assert_eq!(ag["overdue"], false);
    assert!(
        duty(&report, "us-tx", "cras")["state"]
            .as_str()
            .unwrap()
            .starts_with("not required")
    );

    // Florida: the regulator's threshold is not met.
    assert_eq!(
        duty(&report, "us-fl", "individuals")["due_iso"],
        "2026-12-02T09:00:00Z"
    );
    let fl = duty(&report, "us-fl", "fl-attorney-general");
    assert!(fl["due"].is_null(), "{fl:#}");
    assert!(fl["state"].as_str().unwrap().starts_with("not required"));

    // Illinois: no fixed time, and not the AG.
    assert!(duty(&report, "us-il", "individuals")["due"].is_null());
    assert!(
        duty(&report, "us-il", "il-attorney-general")["state"]
            .as_str()
            .unwrap()
            .starts_with("not required")
    );
    assert!(
        law(&report, "us-il")["must_not_include"]
            .to_string()
            .contains("number of Illinois residents")
    );

    // Massachusetts: both bodies, whatever the number.
    for id in ["ma-attorney-general", "ma-ocabr"] {
        assert_eq!(duty(&report, "us-ma", id)["state"], "no fixed time");
    }

    // Washington: over its threshold.
    assert_eq!(
        duty(&report, "us-wa", "wa-attorney-general")["due_iso"],
        "2026-12-02T09:00:00Z"
    );

    // California: named, not triggered, and why.
    let ca = law(&report, "us-ca");
    assert_eq!(ca["status"], "not_triggered");
    assert!(
        ca["why"]
            .as_str()
            .unwrap()
            .contains("Social Security number")
    );
    assert!(!has_duty(&report, "us-ca"));

    // After the deadlines pass, each missed one is an error; recording
    // it closes it.
    let late = check_json(&site, "2026-12-03T12:00:00Z");
    assert_eq!(duty(&late, "us-tx", "tx-attorney-general")["overdue"], true);
    let rules: Vec<String> = late["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect();
    for id in [
        "us-tx.deadline.tx-attorney-general",
        "us-fl.deadline.individuals",
        "us-wa.deadline.wa-attorney-general",
    ] {
        assert!(rules.iter().any(|r| r == id), "{id}: {rules:?}");
    }
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    site.write(
        INCIDENT,
        &text.replace(
            "+++\n\n## What happened",
            "[[notified]]\nwho = \"tx-attorney-general\"\nat = 2026-11-30T10:00:00Z\n+++\n\n## What happened",
        ),
    );
    let closed = check_json(&site, "2026-12-03T12:00:00Z");
    let ag = duty(&closed, "us-tx", "tx-attorney-general");
    assert_eq!(ag["overdue"], false);
    assert_eq!(ag["state"], "done 30 November 2026, 10:00 UTC");
}

/// Raise the Floridians to 500 and the Department of Legal Affairs must be
/// told; leave their number unsaid and check says that it turns on it.
#[test]
fn a_threshold_turns_on_the_residents_counted() {
    let site = Site::fixture("obligations");
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    site.write(
        INCIDENT,
        &text
            .replace("us-fl = 40", "us-fl = 500")
            .replace("people = 957", "people = 1417"),
    );
    let report = check_json(&site, "2026-11-20T12:00:00Z");
    assert_eq!(
        duty(&report, "us-fl", "fl-attorney-general")["due_iso"],
        "2026-12-02T09:00:00Z"
    );

    site.write(
        INCIDENT,
        &text
            .replace("us-fl = 40, ", "")
            .replace("people = 957", "people = 917"),
    );
    let report = check_json(&site, "2026-11-20T12:00:00Z");
    let fl = duty(&report, "us-fl", "fl-attorney-general");
    assert!(
        fl["state"]
            .as_str()
            .unwrap()
            .starts_with("required if 500 or more"),
        "{fl:#}"
    );
    assert_eq!(law(&report, "us-fl")["people_text"], "at most 917 people");
}

/// A notice is judged by the law in force when the breach was discovered:
/// California's 30-day limit applies from 1 January 2026, and
/// Massachusetts made security freezes free on 11 April 2019.
#[test]
fn the_law_in_force_when_the_breach_was_found() {
    let site = Site::fixture("obligations");
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    let with_ssn_in_california = text
        .replace(
            "jurisdictions = [\"us-ca\"]",
            "jurisdictions = [\"us-ca\"]\ndata_types = [\"name\", \"email\", \"us_ssn\"]",
        )
        .replace(
            "data_types = [\"name\", \"postal_address\", \"email\"]\npeople = 800",
            "people = 800",
        );
    site.write(INCIDENT, &with_ssn_in_california);
    let report = check_json(&site, "2026-11-20T12:00:00Z");
    assert_eq!(
        duty(&report, "us-ca", "individuals")["due_iso"],
        "2026-12-02T09:00:00Z"
    );
    site.write(
        INCIDENT,
        &with_ssn_in_california.replace("discovered = 2026-11-02", "discovered = 2025-11-03"),
    );
    let report = check_json(&site, "2025-11-20T12:00:00Z");
    let ca = duty(&report, "us-ca", "individuals");
    assert!(ca["due"].is_null(), "{ca:#}");
    assert!(
        ca["message"]
            .as_str()
            .unwrap()
            .contains("from 1 January 2026")
    );

    // Massachusetts: a notice of 2018 need not say a freeze is free.
    let fired = |report: &serde_json::Value| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "us-ma.freeze-free")
    };
    let ma = Site::fixture("check/us-ma-bad");
    let path = ma.first_incident();
    let now = check_json(&ma, "2026-12-01T12:00:00Z");
    assert!(fired(&now), "{:#}", now["findings"]);
    let text = std::fs::read_to_string(&path).unwrap();
    let old = regex_lite_replace_discovered(&text, "2018-06-01T09:00:00Z");
    std::fs::write(&path, old).unwrap();
    let then = check_json(&ma, "2018-07-01T12:00:00Z");
    assert!(!fired(&then), "{:#}", then["findings"]);
}

/// The front matter's `discovered = …` line, set to `at`.
fn regex_lite_replace_discovered(text: &str, at: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("discovered = ") {
                format!("discovered = {at}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn check_rules_lists_every_place_and_when_it_was_checked() {
    let site = Site::fixture("obligations");
    let run = site.candor(&["check", "--rules"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("not legal advice"));
    for id in US
        .iter()
        .map(|s| format!("us-{s}"))
        .chain(OTHERS.iter().map(|s| s.to_string()))
    {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{id} ")) && l.contains("2026-")),
            "{id}"
        );
    }
    let run = site.candor(&["check", "--rules", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows.len(), 60);
    assert!(
        rows.iter()
            .all(|r| r["sources"][0].as_str().unwrap().starts_with("https://"))
    );
}

/// The example site's check lists its duties for the UK and for the US
/// states its customers with Social Security numbers live in, and says
/// that it is a checklist.
#[test]
fn the_example_lists_its_obligations() {
    let site = Site::example();
    let run = site.candor(&["check", "--now", "2026-11-24T12:00:00Z"]);
    assert!(
        run.stdout
            .contains("Obligations for customer-database-2026:"),
        "{}",
        run.stdout
    );
    for place in [
        "United Kingdom (uk): 1,215 people",
        "California (us-ca): 29 people. Triggered",
        "New York (us-ny): 8 people. Triggered",
        "Information Commissioner's Office (ICO) [ico]",
        "California Attorney General [ca-attorney-general]",
    ] {
        assert!(run.stdout.contains(place), "{place}\n{}", run.stdout);
    }
    assert!(run.stdout.contains("This is a checklist, not legal advice"));
    let report = check_json(&site, "2026-11-24T12:00:00Z");
    assert!(
        report["disclaimer"]
            .as_str()
            .unwrap()
            .contains("last checked on")
    );
}
