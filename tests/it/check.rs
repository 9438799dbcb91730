//! `candor check`: every must and must_not rule fires on the fixture made to
//! break it and stays silent on the compliant one; deadlines are right
//! across a clock change; the example site passes.

use std::collections::BTreeSet;

use crate::common::{NOW, Site};

fn check(site: &Site, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["check", "--format", "json", "--now", NOW];
    args.extend_from_slice(extra);
    let run = site.candor(&args);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    (run.code, report)
}

fn fired(report: &serde_json::Value, severity: &str) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] == severity)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The must and must_not rules of a regime.
fn hard_rules(regime: &str) -> BTreeSet<String> {
    let files = candor::check::rule_files().unwrap();
    let file = files.iter().find(|f| f.regime == regime).unwrap();
    file.rules
        .iter()
        .filter(|r| r.level != candor::check::Level::Should)
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn each_regime_has_a_compliant_and_a_broken_fixture() {
    for regime in [
        "uk-gdpr", "eu-gdpr", "us-ca", "us-ma", "us-ny", "hipaa", "site",
    ] {
        let ok = Site::fixture(&format!("check/{regime}-ok"));
        let (code, report) = check(&ok, &[]);
        let errors = fired(&report, "error");
        assert!(
            errors.is_empty(),
            "{regime}-ok has errors: {errors:?}\n{report:#}"
        );
        assert_eq!(code, 0, "{regime}-ok");
        assert!(
            report["regimes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == regime),
            "{regime} not applied"
        );

        let bad = Site::fixture(&format!("check/{regime}-bad"));
        let (code, report) = check(&bad, &[]);
        let errors = fired(&report, "error");
        let expected = hard_rules(regime);
        let missing: Vec<_> = expected.difference(&errors).collect();
        assert!(
            missing.is_empty(),
            "{regime}-bad: rules that did not fire: {missing:?}\nfired: {errors:?}"
        );
        assert_eq!(code, 1, "{regime}-bad exits 1");
    }
}

#[test]
fn findings_name_the_file_and_line_and_cite_a_source() {
    let site = Site::fixture("check/site-bad");
    let (_, report) = check(&site, &[]);
    let placeholder = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "site.placeholder")
        .unwrap();
    assert_eq!(placeholder["file"], "content/incidents/notice/_index.md");
    assert_eq!(placeholder["line"], 26);
    assert!(
        placeholder["source"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(
        placeholder["last_verified"]
            .as_str()
            .is_some_and(|s| s.starts_with("20"))
    );
    let details: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "site.broken-link")
        .map(|f| f["note"].as_str().unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("/no-such-page/: no such page")),
        "{details:?}"
    );
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("/faq/#nowhere: no #nowhere")),
        "{details:?}"
    );

    // The human format shows each finding as every diagnostic is shown:
    // the rule, file:line, what would satisfy it and its source.
    let run = site.candor(&["check", "--now", NOW]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("error[site.placeholder]: content/incidents/notice/_index.md:26: "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("= source: "), "{}", run.stdout);
    assert!(run.stdout.contains("not legal advice"));
}

#[test]
fn plain_language_warnings_fire_and_strict_fails_on_them() {
    let site = Site::fixture("check/plain-bad");
    let (code, report) = check(&site, &[]);
    let warnings = fired(&report, "warning");
    for rule in [
        "plain.reading-grade",
        "plain.long-sentence",
        "plain.hedging",
    ] {
        assert!(warnings.contains(rule), "{rule} did not fire: {warnings:?}");
    }
    assert_eq!(code, 0, "warnings alone pass");
    let (code, _) = check(&site, &["--strict"]);
    assert_eq!(code, 1, "--strict fails on warnings");
    let hedges: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "plain.hedging")
        .map(|f| f["note"].as_str().unwrap())
        .collect();
    // Each hedging sentence is named by its first words.
    assert!(
        hedges
            .iter()
            .any(|h| h.contains("Out of an abundance of caution")),
        "{hedges:?}"
    );
}

#[test]
fn the_example_site_passes_for_the_regimes_it_declares() {
    let site = Site::example();
    let (code, report) = check(&site, &[]);
    assert!(fired(&report, "error").is_empty(), "{report:#}");
    assert_eq!(code, 0);
    let regimes: Vec<&str> = report["regimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for r in ["uk-gdpr", "us-ca", "us-ny", "plain-language", "site"] {
        assert!(regimes.contains(&r), "{regimes:?}");
    }
}

#[test]
fn deadlines_count_from_discovery_across_a_clock_change() {
    let site = Site::fixture("check/uk-gdpr-ok");
    // Discovered at 09:00 BST on 20 October; the clocks go back on 25 October.
    site.write(
        "content/incidents/notice/_index.md",
        &std::fs::read_to_string(site.path("content/incidents/notice/_index.md"))
            .unwrap()
            .replace(
                "discovered = 2026-11-16T09:00:00Z",
                "discovered = 2026-10-20T09:00:00+01:00",
            )
            .replace(
                "jurisdictions = [\"uk\"]",
                "jurisdictions = [\"uk\", \"us-ca\"]",
            )
            // Names with Social Security numbers: California's law applies.
            .replace(
                "data_types = [\"name\", \"email\"]",
                "data_types = [\"name\", \"email\", \"us_ssn\"]",
            )
            .replace(
                "[[notified]]\nwho = \"ico\"\nat = 2026-11-18T15:00:00Z\n",
                "",
            ),
    );
    let run = site.candor(&["check", "--format", "json", "--now", "2026-10-22T08:00:00Z"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let row = |id: &str| {
        report["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    let ico = row("ico");
    // 72 hours: 23 October, 09:00 BST (08:00 UTC); 24 hours left.
    assert_eq!(ico["due"], "23 October 2026, 09:00 BST");
    assert_eq!(ico["due_iso"], "2026-10-23T08:00:00Z");
    assert_eq!(ico["state"], "1 day left");
    // 30 calendar days: 19 November at the same wall-clock time, now GMT.
    let ca = row("individuals");
    let ca = if ca["regime"] == "us-ca" {
        ca
    } else {
        report["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["regime"] == "us-ca" && d["id"] == "individuals")
            .unwrap()
            .clone()
    };
    assert_eq!(ca["due"], "19 November 2026, 09:00 GMT");
    assert_eq!(ca["due_iso"], "2026-11-19T09:00:00Z");

    // Overdue after the due time; closed by [[notified]].
    let run = site.candor(&["check", "--format", "json", "--now", "2026-10-23T11:30:00Z"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ico = report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "ico")
        .unwrap();
    assert_eq!(ico["state"], "overdue by 3 hours");
    assert_eq!(ico["overdue"], true);
}

#[test]
fn a_notified_entry_closes_its_deadline() {
    let site = Site::fixture("check/uk-gdpr-ok");
    let path = "content/incidents/notice/_index.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap().replace(
        "jurisdictions = [\"uk\"]",
        "jurisdictions = [\"uk\"]\n\n[[notified]]\nwho = \"ico\"\nat = 2026-11-17T10:00:00Z",
    );
    site.write(path, &text);
    let (_, report) = check(&site, &[]);
    let ico = report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "ico")
        .unwrap();
    assert_eq!(ico["state"], "done 17 November 2026, 10:00 GMT");
    assert_eq!(ico["overdue"], false);
}

/// A placeholder in site.toml or a front-matter field is a finding of
/// `check`, at its line, as it is in a body.
#[test]
fn check_reports_placeholders_in_settings_and_front_matter() {
    let site = Site::fixture("basic");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace(
            "phone = \"0808 157 0000\"",
            "phone = \"TODO: 0800 000 0000\"",
        ),
    );
    let (code, report) = check(&site, &[]);
    assert_eq!(code, 1, "{report:#}");
    let placeholders: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "site.placeholder")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        placeholders.iter().any(|(f, l)| f == "site.toml" && *l > 0),
        "{placeholders:?}"
    );
}

/// Regression: `jurisdictions = ["us"]` checked no US law and said only
/// what it did check. A place with no rules is named, never skipped; a
/// state is judged by its own law.
#[test]
fn places_without_rules_are_named() {
    let site = Site::fixture("basic");
    let notice = site.path("content/incidents/laptop-theft/_index.md");
    let text = std::fs::read_to_string(&notice).unwrap();
    let text = text.replace(
        "jurisdictions = [\"uk\"]",
        "jurisdictions = [\"us\", \"us-tx\"]",
    );
    std::fs::write(&notice, text).unwrap();
    let (_, report) = check(&site, &[]);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`us` names no state, so no US law was checked")),
        "{messages:?}"
    );
    // Texas has its rules (its duties, if its law is triggered); it is
    // listed among the incident's laws, not skipped.
    assert!(
        report["laws"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["place"] == "us-tx"),
        "{:#}",
        report["laws"]
    );
}

/// Regression: a failing `check` said "Build failed … nothing was
/// written". It says that check could not judge a site that does not build.
#[test]
fn check_on_a_site_that_does_not_build_says_so() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/more.md",
        "+++\ntitle = \"More\"\n+++\n[x](/nowhere/)\n",
    );
    std::fs::write(
        site.path("content/faq/when.md"),
        "+++\nquestion = 3\n+++\nA\n",
    )
    .unwrap();
    let run = site.candor(&["check", "--now", NOW]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("candor check could not judge the site: it does not build (1 error)"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("nothing was written"),
        "{}",
        run.stderr
    );
}

/// Regression: a legal deadline that had passed with no notification
/// recorded was shown as "overdue" but counted as nothing (exit 0,
/// "0 errors"). It is an error; recording the notification closes it.
#[test]
fn an_overdue_deadline_is_an_error_until_it_is_recorded() {
    let site = Site::fixture("check/uk-gdpr-ok");
    let notice = site.first_incident();
    let text = std::fs::read_to_string(&notice).unwrap();
    let without = text.replace(
        "[[notified]]\nwho = \"ico\"\nat = 2026-11-18T15:00:00Z\n",
        "",
    );
    assert_ne!(without, text);
    std::fs::write(&notice, &without).unwrap();
    let (code, report) = check(&site, &[]);
    assert_eq!(code, 1, "{report:#}");
    let errors = fired(&report, "error");
    assert!(errors.contains("uk.deadline.ico"), "{errors:?}");
    std::fs::write(&notice, &text).unwrap();
    let (code, _) = check(&site, &[]);
    assert_eq!(code, 0);
}

/// Regression: a `noindex` that keeps the notice out of search engines
/// (real notices were hidden that way, and criticised for it) was not
/// reported.
#[test]
fn a_notice_hidden_from_search_engines_is_an_error() {
    let site = Site::fixture("check/uk-gdpr-ok");
    std::fs::create_dir_all(site.path("templates")).unwrap();
    let base = candor::embedded::THEME_FILES
        .iter()
        .find(|(p, _)| *p == "templates/base.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    site.write(
        "templates/base.html",
        &base.replacen(
            "<head>",
            "<head>\n<meta name=\"robots\" content=\"noindex, nofollow\">",
            1,
        ),
    );
    let (code, report) = check(&site, &[]);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        fired(&report, "error").contains("site.noindex"),
        "{report:#}"
    );
}
