//! The published record: what a site said stays said. Editing what readers
//! read needs a visible correction, taking something down a visible
//! withdrawal, and a record rewritten by hand is caught, here and by
//! whoever saved the published copy.

use crate::common::{NOW, Site};

const UPDATE: &str = "content/incidents/laptop-theft/01-first.md";
const INCIDENT: &str = "content/incidents/laptop-theft/_index.md";

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

fn record(site: &Site) -> String {
    std::fs::read_to_string(site.path("record.jsonl")).unwrap()
}

/// A site built once, its record written: what readers have now read.
fn published() -> Site {
    let site = Site::fixture("basic");
    edit(
        &site,
        UPDATE,
        "We are investigating. This is the first update.",
        "We are investigating. About 40 customers are affected.\nWe will write to each of them.",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr
            .contains("Recorded 7 new entries in record.jsonl"),
        "{}",
        run.stderr
    );
    site
}

#[test]
fn the_first_build_records_what_is_published_and_nothing_else() {
    let site = published();
    let text = record(&site);
    let ids: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| v["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "",
            "faq/cards",
            "faq/passwords",
            "faq/when",
            "incidents/laptop-theft",
            "incidents/laptop-theft/01-first",
            "incidents/laptop-theft/02-second",
        ],
        "the draft (03) and the scheduled update (04) are not recorded"
    );
    // The site publishes the same record.
    assert_eq!(site.out("record.jsonl"), text);
    // A build with nothing new adds nothing, and writes the same site.
    let before = site.snapshot("public");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("Recorded"), "{}", run.stderr);
    assert_eq!(record(&site), text);
    assert_eq!(
        site.snapshot("public"),
        before,
        "byte-identical with the same record"
    );
}

#[test]
fn changing_what_an_update_says_stops_the_build_with_the_change() {
    let site = published();
    let before = site.snapshot("public");
    let recorded = record(&site);
    edit(&site, UPDATE, "About 40 customers", "About 400 customers");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.contains(&format!(
            "error: {UPDATE}:8:29: this published update was changed, and no new correction says so"
        )),
        "{err}"
    );
    assert!(
        err.contains(
            "was: We are investigating. About [40] customers are affected. We will write …"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "now: We are investigating. About [400] customers are affected. We will write …"
        ),
        "{err}"
    );
    assert!(err.contains("[[correction]]"), "the way out: {err}");
    assert_eq!(site.snapshot("public"), before, "nothing was written");
    assert_eq!(record(&site), recorded);
    // `check` and the preview say the same.
    let check = site.candor(&["check", "--now", NOW]);
    assert!(
        check.stdout.contains("no new correction says so")
            || check.stderr.contains("no new correction says so"),
        "{}{}",
        check.stdout,
        check.stderr
    );
    let preview = site.preview();
    let errors = preview.preview.rebuild();
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("no new correction says so")),
        "{errors:?}"
    );
}

#[test]
fn reflowing_the_markdown_changes_nothing() {
    let site = published();
    let recorded = record(&site);
    edit(
        &site,
        UPDATE,
        "We are investigating. About 40 customers are affected.\nWe will write to each of them.",
        "We are investigating.   About *40* customers\nare affected. We will write to\neach of them.",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert_eq!(record(&site), recorded);
}

#[test]
fn a_correction_shows_readers_what_changed_everywhere() {
    let site = published();
    edit(&site, UPDATE, "About 40 customers", "About 400 customers");
    edit(
        &site,
        UPDATE,
        "+++\n\n",
        "\n[[correction]]\nat = 2026-12-01T11:00:00Z\nnote = \"We first said about 40 customers; the count is about 400.\"\n+++\n\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains("Recorded 1 new entry"),
        "{}",
        run.stderr
    );
    let last = record(&site).lines().last().unwrap().to_string();
    assert!(last.contains("\"event\":\"corrected\""), "{last}");

    // The update's page, and its place on the incident page.
    let page = site.out("incidents/laptop-theft/01-first/index.html");
    assert!(
        page.contains(
            "<dt>We said</dt><dd>We are investigating. About <del>40</del> customers are affected."
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "<dt>We now say</dt><dd>We are investigating. About <ins>400</ins> customers are affected."
        ),
        "{page}"
    );
    let incident = site.out("incidents/laptop-theft/index.html");
    assert!(incident.contains("<del>40</del>"));
    assert!(incident.contains("Changes to what we said"), "{incident}");
    assert!(incident.contains("we corrected <a href=\"/incidents/laptop-theft/01-first/\">First update, in summer time</a>. We first said about 40 customers"), "{incident}");

    // The feed entry: updated moves to the correction, the change is in it.
    let feed = site.out("feed.xml");
    let entry = feed
        .split("<entry>")
        .find(|e| e.contains("First update, in summer time"))
        .unwrap();
    assert!(
        entry.contains("<updated>2026-12-01T11:00:00+00:00</updated>")
            || entry.contains("<updated>2026-12-01T11:00:00Z</updated>"),
        "{entry}"
    );
    assert!(entry.contains("&lt;del&gt;40&lt;/del&gt;"), "{entry}");

    // status.json, for machines.
    let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
    let update = status["incidents"][0]["updates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["title"] == "First update, in summer time")
        .unwrap()
        .clone();
    assert_eq!(update["corrected_at"], "2026-12-01T11:00:00Z");
    let change = &update["corrections"][0]["changes"][0];
    assert_eq!(change["removed"], serde_json::json!(["40"]));
    assert_eq!(change["added"], serde_json::json!(["400"]));

    // The update's email.
    let email =
        std::fs::read_to_string(site.path("notices/laptop-theft/updates/01-first/email.txt"))
            .unwrap();
    assert!(
        email.contains("We said: We are investigating. About [40] customers"),
        "{email}"
    );
    assert!(
        email.contains("We now say: We are investigating. About [400] customers"),
        "{email}"
    );

    // The next build reads the change back from the record: the same site.
    let before = site.snapshot("public");
    site.build(&[]).assert_ok();
    assert_eq!(site.snapshot("public"), before);

    // A published correction cannot then be taken out.
    edit(
        &site,
        UPDATE,
        "[[correction]]\nat = 2026-12-01T11:00:00Z\nnote = \"We first said about 40 customers; the count is about 400.\"\n",
        "",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("a published correction was removed or reworded"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_numbers_of_an_incident_are_corrected_in_the_open() {
    let site = published();
    edit(
        &site,
        INCIDENT,
        "severity = \"medium\"",
        "severity = \"medium\"\npeople_affected = 40",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("this published notice was changed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[People affected: 40]") || run.stderr.contains("People affected: 40"),
        "{}",
        run.stderr
    );
    edit(
        &site,
        INCIDENT,
        "summary =",
        "[[correction]]\nat = 2026-12-01T11:30:00Z\nnote = \"We now know how many customers are affected: 40.\"\n\nsummary =",
    );
    // The correction table must come after the plain keys.
    let text = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    let (head, rest) = text.split_once("[[correction]]").unwrap();
    let (table, tail) = rest.split_once("\n\nsummary =").unwrap();
    let summary_line = tail.lines().next().unwrap();
    let body = tail.split_once("+++").unwrap().1;
    site.write(
        INCIDENT,
        &format!("{head}summary ={summary_line}\n\n[[correction]]{table}\n+++{body}"),
    );
    site.build(&[]).assert_ok();
    let page = site.out("incidents/laptop-theft/index.html");
    assert!(
        page.contains("We now know how many customers are affected: 40."),
        "{page}"
    );
    assert!(
        page.contains("<ins>People affected: 40</ins>")
            || page.contains("<ins>40</ins>")
            || page.contains("People affected: 40"),
        "{page}"
    );
}

#[test]
fn a_deleted_update_stays_gone_only_with_a_withdrawal_notice() {
    let site = published();
    site.remove(UPDATE);
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("error: {UPDATE}: \"First update, in summer time\" was published (2026-12-01) and was deleted or renamed")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("[[withdrawn]]\n    update = \"01-first\""),
        "{}",
        run.stderr
    );
    // Renaming it is the same: its address, in emails and letters, would break.
    let text = "+++\ntitle = \"First update\"\nat = 2026-10-24T16:30:00+01:00\nstatus = \"investigating\"\n+++\n\nWe are investigating.\n";
    site.write("content/incidents/laptop-theft/01-renamed.md", text);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Withdrawn in the open: recorded, and shown at its old address.
    let index = std::fs::read_to_string(site.path(INCIDENT)).unwrap();
    site.write(
        INCIDENT,
        &index.replacen(
            "+++\n\n## What happened",
            "\n[[withdrawn]]\nupdate = \"01-first\"\nat = 2026-12-01T11:45:00Z\nnote = \"We moved this update to a new address: the first update.\"\n+++\n\n## What happened",
            1,
        ),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(record(&site).contains("\"event\":\"withdrawn\""));
    let old = site.out("incidents/laptop-theft/01-first/index.html");
    assert!(
        old.contains("Withdrawn: First update, in summer time"),
        "{old}"
    );
    assert!(
        old.contains("We moved this update to a new address"),
        "{old}"
    );
    let incident = site.out("incidents/laptop-theft/index.html");
    assert!(incident.contains("we withdrew <a href=\"/incidents/laptop-theft/01-first/\">First update, in summer time</a>"), "{incident}");
    let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
    assert_eq!(status["incidents"][0]["withdrawn"][0]["slug"], "01-first");
    // The notice stays: taking it out is an error too.
    site.write(INCIDENT, &index);
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("withdrawal notice for `01-first` was published and has been removed"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_record_edited_by_hand_is_not_trusted() {
    let site = published();
    let good = record(&site);
    let lines: Vec<&str> = good.lines().collect();
    // A number changed in place.
    site.write(
        "record.jsonl",
        &good.replace("About 40 customers", "About 4 customers"),
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: record.jsonl:6: the published record cannot be trusted: this entry was changed after it was written"), "{}", run.stderr);
    assert!(
        run.stderr.contains("git checkout -- record.jsonl"),
        "{}",
        run.stderr
    );
    // Two entries swapped.
    let mut swapped = lines.clone();
    swapped.swap(2, 3);
    site.write("record.jsonl", &(swapped.join("\n") + "\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("record.jsonl:3: the published record cannot be trusted: entry 3 is where entry 2 should be"), "{}", run.stderr);
    // An entry taken out.
    let mut cut = lines.clone();
    cut.remove(4);
    site.write("record.jsonl", &(cut.join("\n") + "\n"));
    assert_eq!(site.build(&[]).code, 1);
    // Not JSON at all.
    site.write("record.jsonl", "garbage\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("record.jsonl:1: the published record cannot be trusted: this line is not a record entry"), "{}", run.stderr);
    // Restored, all is well.
    site.write("record.jsonl", &good);
    site.build(&[]).assert_ok();
}

#[test]
fn a_saved_copy_of_the_published_record_tells_whether_it_was_rewritten() {
    let site = published();
    let saved = site.path("saved.jsonl");
    std::fs::write(&saved, site.out("record.jsonl")).unwrap();
    // Later: a correction, published in the open.
    edit(&site, UPDATE, "About 40 customers", "About 400 customers");
    edit(
        &site,
        UPDATE,
        "+++\n\n",
        "\n[[correction]]\nat = 2026-12-01T11:00:00Z\nnote = \"We first said about 40; it is about 400.\"\n+++\n\n",
    );
    site.build(&[]).assert_ok();
    let live = site.path("public/record.jsonl");
    let (saved_s, live_s) = (saved.to_str().unwrap(), live.to_str().unwrap());
    let run = site.candor(&["verify-record", saved_s, live_s]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("intact: "), "{}", run.stdout);
    assert!(
        run.stdout.contains("1 entry was added since:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("correction of 2026-12-01T11:00:00Z: We first said about 40"),
        "{}",
        run.stdout
    );

    // Someone rewrites history and the chain after it: every line is valid,
    // but not the one that was saved.
    let forged_site = Site::fixture("basic");
    edit(
        &forged_site,
        UPDATE,
        "We are investigating. This is the first update.",
        "We are investigating. About 400 customers are affected.\nWe will write to each of them.",
    );
    forged_site.build(&[]).assert_ok();
    let forged = forged_site.path("public/record.jsonl");
    let run = site.candor(&["verify-record", saved_s, forged.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with("rewritten: entry 5 is not what it was"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("was: We are investigating. About [40] customers"),
        "{}",
        run.stdout
    );

    // Fetched from the site itself (here, the preview serves it).
    let preview = site.preview();
    let url = format!("http://{}/record.jsonl", preview.preview.addr());
    let run = site.candor(&["verify-record", saved_s, &url]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // A copy that is no record says so.
    std::fs::write(site.path("junk.jsonl"), "{\"n\":0}\n").unwrap();
    let run = site.candor(&[
        "verify-record",
        site.path("junk.jsonl").to_str().unwrap(),
        live_s,
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("broken: "), "{}", run.stdout);
}

#[test]
fn a_build_with_drafts_records_nothing() {
    let site = Site::fixture("basic");
    let run = site.build(&["--drafts"]);
    run.assert_ok();
    assert!(!site.path("record.jsonl").exists());
    assert!(site.out("record.jsonl").contains("\"event\":\"begin\""));
}

/// A site whose record holds a correction and a withdrawal, as committed:
/// it builds as it is, recording nothing, and shows both.
#[test]
fn a_committed_history_builds_as_it_is() {
    let site = Site::fixture("withdrawn");
    let recorded = record(&site);
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("Recorded"), "{}", run.stderr);
    assert_eq!(record(&site), recorded);
    let old = site.out("incidents/laptop-theft/01b-wrong-office/index.html");
    assert!(
        old.contains("Withdrawn: The laptop was taken from our Leeds office"),
        "{old}"
    );
    assert!(old.contains("This update named the wrong office"), "{old}");
    assert!(
        !old.contains("on Friday evening"),
        "the withdrawn words are not shown again"
    );
    let sitemap = site.out("sitemap.xml");
    assert!(!sitemap.contains("01b-wrong-office"), "{sitemap}");
}

/// `build --locked` (CI, a deploy): the record must already hold what is
/// published, since a record written there would be lost and written
/// again, with other times, by the next build where it is kept.
#[test]
fn a_locked_build_fails_rather_than_write_a_record_that_would_be_lost() {
    let site = Site::fixture("basic");
    let run = site.build(&["--locked"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: record.jsonl: --locked: this build would add 7 entries to the published record"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path("record.jsonl").exists());
    assert!(!site.path("public").exists(), "nothing was published");
    site.build(&[]).assert_ok();
    site.build(&["--locked"]).assert_ok();
}

/// Regression: a correction with several changes listed them in one `dl`,
/// naming "We said" and "We now say" once a change (the Nu checker warns
/// of repeated terms). Each change is its own list.
#[test]
fn each_change_of_a_correction_is_its_own_list() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let page = site.out("incidents/customer-database-2026/index.html");
    let lists: Vec<&str> = page
        .split("<dl class=\"change\">")
        .skip(1)
        .map(|s| s.split("</dl>").next().unwrap_or(""))
        .collect();
    assert!(lists.len() > 1, "the example corrects more than one thing");
    for l in lists {
        assert_eq!(l.matches("<dt>We said</dt>").count(), 1, "{l}");
        assert_eq!(l.matches("<dt>We now say</dt>").count(), 1, "{l}");
    }
}
