//! The preview's incremental rebuilds: after every edit of a long series,
//! what an incremental rebuild makes (pages, machine files, notices and
//! warnings) is byte for byte what a full build of the same files makes,
//! and an edit renders again only what it can change.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use crate::common::{Lcg, Site};
use candor::base::output::{FileData, Files};
use candor::site::Cache;
use candor::site::{self, BuildOptions, Compiled};

const INCIDENT: &str = "content/incidents/customer-database-2026";
const UPDATE: &str = "content/incidents/customer-database-2026/2026-11-18-1600-what-was-taken.md";

fn options(site: &Site, now: &str, drafts: bool) -> BuildOptions {
    BuildOptions {
        site: site.root.clone(),
        output: None,
        drafts,
        now: now.parse().unwrap(),
        base_url: Some("http://127.0.0.1:4000/".into()),
        notices: None,
        paper: None,
        lenient: false,
        locked: false,
        all_notices: false,
    }
}

/// Every file of a compiled site, as bytes.
fn contents(files: &Files) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(path, data)| {
            let bytes = match data {
                FileData::Copy(p) => std::fs::read(p).unwrap(),
                FileData::Written => panic!("{path}: compile keeps files in memory"),
                data => data.to_vec().unwrap(),
            };
            (path.clone(), bytes)
        })
        .collect()
}

fn warnings(c: &Compiled) -> Vec<String> {
    c.diagnostics.iter().map(|d| format!("{d:?}")).collect()
}

/// Rebuild incrementally and in full, and require the same result.
#[track_caller]
fn rebuild(cache: &mut Cache, opts: &BuildOptions, step: &str) {
    let incremental = site::compile_incremental(opts, cache);
    let full = site::compile(opts);
    match (incremental, full) {
        (Ok(a), Ok(b)) => {
            assert_same(&contents(&a.files), &contents(&b.files), step, "site");
            assert_same(
                &contents(&a.notices),
                &contents(&b.notices),
                step,
                "notices",
            );
            assert_eq!(warnings(&a), warnings(&b), "{step}: warnings differ");
            assert_eq!(a.pages, b.pages, "{step}: page counts differ");
        }
        (Err(a), Err(b)) => {
            assert_eq!(
                format!("{:?}", a.diagnostics),
                format!("{:?}", b.diagnostics),
                "{step}: errors differ"
            );
        }
        (Ok(_), Err(b)) => panic!("{step}: only the full build failed: {:?}", b.diagnostics),
        (Err(a), Ok(_)) => panic!(
            "{step}: only the incremental build failed: {:?}",
            a.diagnostics
        ),
    }
}

#[track_caller]
fn assert_same(
    got: &BTreeMap<String, Vec<u8>>,
    want: &BTreeMap<String, Vec<u8>>,
    step: &str,
    what: &str,
) {
    let got_keys: Vec<&String> = got.keys().collect();
    let want_keys: Vec<&String> = want.keys().collect();
    assert_eq!(got_keys, want_keys, "{step}: the {what} files differ");
    for (path, bytes) in want {
        if got[path] != *bytes {
            panic!(
                "{step}: {what} file {path} differs from a full build\n--- incremental\n{}\n--- full\n{}",
                String::from_utf8_lossy(&got[path]),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// Files copied an hour ago, so a rebuild can trust their size and times.
fn age(site: &Site) {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let f = std::fs::File::options().write(true).open(e.path()).unwrap();
            f.set_modified(hour_ago).unwrap();
        }
    }
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

const GENERAL_FAQ: &str = "content/faq/opening-hours.md";

/// A second incident, so that edits to one can be seen not to touch the
/// other, and an FAQ entry about no incident.
fn add_second_incident(site: &Site) {
    site.write(
        GENERAL_FAQ,
        "+++\nquestion = \"When is the shop open?\"\ncategory = \"About us\"\n+++\n\nFrom 9 to 5.\n",
    );
    site.write(
        "content/incidents/phishing-2025/_index.md",
        "+++\ntitle = \"Phishing emails in our name\"\ndiscovered = 2025-03-02T09:00:00Z\n\
         data_types = [\"email\"]\njurisdictions = [\"uk\"]\nsummary = \"Someone sent emails pretending to be us.\"\n+++\n\n\
         Someone sent emails that pretended to come from us.\n",
    );
    site.write(
        "content/incidents/phishing-2025/2025-03-02-1200-resolved.md",
        "+++\ntitle = \"The emails have stopped\"\nat = 2025-03-02T12:00:00Z\nstatus = \"resolved\"\n+++\n\n\
         The sending accounts were closed.\n",
    );
}

/// The example site with a second incident and a general FAQ entry, built
/// once into a new cache.
fn start() -> (Site, BuildOptions, Cache) {
    let site = Site::example();
    // These edits are about what is rendered again, not the record.
    site.forget_record();
    add_second_incident(&site);
    age(&site);
    let opts = options(&site, crate::common::NOW, true);
    let mut cache = Cache::new();
    rebuild(&mut cache, &opts, "first build");
    (site, opts, cache)
}

#[test]
fn an_incremental_rebuild_after_each_of_a_series_of_edits_equals_a_full_build() {
    let (site, opts, mut cache) = start();
    assert_eq!(cache.stats.pages_rendered, cache.stats.pages);

    // Nothing changed: nothing is read, parsed or rendered.
    rebuild(&mut cache, &opts, "no change");
    assert_eq!(cache.stats.files_read, 0, "{}", cache.stats);
    assert_eq!(cache.stats.pages_rendered, 0, "{}", cache.stats);
    assert_eq!(cache.stats.notices_rendered, 0, "{}", cache.stats);
    assert!(!cache.stats.machine_rendered);

    // An update's body: its page, its incident's pages, the home page, the
    // feeds; not the FAQ, guidance, other pages or the other incident.
    edit(
        &site,
        UPDATE,
        "+++\n\n",
        "+++\n\nWe have checked this again.\n\n",
    );
    rebuild(&mut cache, &opts, "update body");
    let pages = cache.rendered_pages().to_vec();
    let slug = "customer-database-2026";
    assert!(pages.contains(&"index.html".to_string()), "{pages:?}");
    assert!(pages.contains(&format!("incidents/{slug}/index.html")));
    assert!(pages.contains(&format!(
        "incidents/{slug}/2026-11-18-1600-what-was-taken/index.html"
    )));
    for p in &pages {
        assert!(
            p == "index.html" || p.starts_with(&format!("incidents/{slug}/")),
            "an update's edit rendered {p} again: {pages:?}"
        );
    }
    assert_eq!(cache.stats.files_read, 1, "{}", cache.stats);
    assert!(cache.stats.machine_rendered);
    let units = cache.rendered_notices();
    assert!(units.iter().all(|u| u.starts_with(slug)), "{units:?}");
    // The notice shows the incident; the edited update is not the newest,
    // so it has no email of its own to render.
    assert!(units.contains(&slug.to_string()), "{units:?}");

    // An FAQ answer about an incident: the incident shows its FAQ entries.
    edit(
        &site,
        "content/faq/ssn.md",
        "+++\n\n",
        "+++\n\nIn short: for tax forms.\n\n",
    );
    rebuild(&mut cache, &opts, "incident faq answer");
    // A general FAQ answer: the FAQ page alone.
    edit(
        &site,
        GENERAL_FAQ,
        "+++\n\n",
        "+++\n\nAnd on Saturdays.\n\n",
    );
    rebuild(&mut cache, &opts, "general faq answer");
    assert_eq!(cache.rendered_pages(), ["faq/index.html"]);
    assert!(cache.rendered_notices().is_empty());

    // Titles, statuses, times: what other pages show of an update.
    edit(&site, UPDATE, "title = \"", "title = \"Update: ");
    rebuild(&mut cache, &opts, "update title");
    edit(
        &site,
        "content/incidents/customer-database-2026/2026-11-23-1200-resolved.md",
        "status = \"resolved\"",
        "status = \"monitoring\"",
    );
    rebuild(&mut cache, &opts, "incident reopened");
    edit(
        &site,
        "content/incidents/customer-database-2026/2026-11-23-1200-resolved.md",
        "status = \"monitoring\"",
        "status = \"resolved\"",
    );
    rebuild(&mut cache, &opts, "incident resolved again");
    // Each update's view carries its incident's title (the preview keeps
    // views of updates that did not change).
    edit(
        &site,
        &format!("{INCIDENT}/_index.md"),
        "title = \"Notice of data breach\"",
        "title = \"Notice of a data breach\"",
    );
    rebuild(&mut cache, &opts, "incident title");

    // Files come and go, and are renamed.
    site.write(
        &format!("{INCIDENT}/2026-11-24-0900-follow-up.md"),
        "+++\ntitle = \"A follow-up\"\nat = 2026-11-24T09:00:00Z\nstatus = \"resolved\"\n+++\n\nOne more thing.\n",
    );
    rebuild(&mut cache, &opts, "new update");
    std::fs::rename(
        site.path(&format!("{INCIDENT}/2026-11-24-0900-follow-up.md")),
        site.path(&format!("{INCIDENT}/2026-11-24-0930-follow-up.md")),
    )
    .unwrap();
    rebuild(&mut cache, &opts, "renamed update");
    site.remove(&format!("{INCIDENT}/2026-11-24-0930-follow-up.md"));
    rebuild(&mut cache, &opts, "deleted update");

    // A new page: every page's navigation changes.
    site.write(
        "content/pages/contact.md",
        "+++\ntitle = \"Contact us\"\n+++\n\nCall the shop.\n",
    );
    rebuild(&mut cache, &opts, "new page");
    assert_eq!(
        cache.stats.pages_rendered, cache.stats.pages,
        "{}",
        cache.stats
    );

    // Guidance that incidents link to.
    edit(
        &site,
        "content/guidance/uk-passwords.md",
        "+++\n\n",
        "+++\n\nChange it today.\n\n",
    );
    rebuild(&mut cache, &opts, "guidance");

    // Links: an FAQ answer that links to a heading on a guidance page and to
    // a page. Each check the preview kept must be made again when its
    // target changes: the heading renamed, the page removed, both back.
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About us\"\n+++\n\nA repair shop.\n",
    );
    edit(
        &site,
        GENERAL_FAQ,
        "From 9 to 5.",
        "From 9 to 5. [Passwords](/guidance/uk-passwords/#a-heading), [about](/about/).",
    );
    edit(
        &site,
        "content/guidance/uk-passwords.md",
        "+++\n\n",
        "+++\n\n## A heading\n\n",
    );
    rebuild(&mut cache, &opts, "links that lead somewhere");
    edit(
        &site,
        "content/guidance/uk-passwords.md",
        "## A heading",
        "## Another heading",
    );
    rebuild(&mut cache, &opts, "the linked heading renamed");
    assert!(site::compile_incremental(&opts, &mut cache).is_err());
    edit(
        &site,
        "content/guidance/uk-passwords.md",
        "## Another heading",
        "## A heading",
    );
    rebuild(&mut cache, &opts, "the linked heading back");
    site.remove("content/pages/about.md");
    rebuild(&mut cache, &opts, "the linked page removed");
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About us\"\n+++\n\nA repair shop.\n",
    );
    rebuild(&mut cache, &opts, "the linked page back");
    assert!(site::compile_incremental(&opts, &mut cache).is_ok());

    // A broken file fails both builds the same way; fixing it recovers.
    let good = std::fs::read_to_string(site.path(UPDATE)).unwrap();
    site.write(UPDATE, &good.replacen("status = ", "status = = ", 1));
    rebuild(&mut cache, &opts, "broken update");
    site.write(UPDATE, &good);
    rebuild(&mut cache, &opts, "fixed update");

    // The watcher's list of changes survives a rebuild that failed before
    // reading any content (site.toml gone), and the edit made meanwhile shows.
    let settings = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.remove("site.toml");
    edit(
        &site,
        GENERAL_FAQ,
        "+++\n\n",
        "+++\n\nClosed on Sundays.\n\n",
    );
    cache.changed(Some(vec!["site.toml".into(), GENERAL_FAQ.into()]));
    rebuild(&mut cache, &opts, "site.toml missing");
    site.write("site.toml", &settings);
    cache.changed(Some(vec!["site.toml".into()]));
    rebuild(&mut cache, &opts, "site.toml back");

    // A draft, and a scheduled update that "now" moves past.
    edit(&site, UPDATE, "+++\ntitle", "+++\ndraft = true\ntitle");
    rebuild(&mut cache, &opts, "draft update");
    site.write(
        &format!("{INCIDENT}/2026-12-02-0900-scheduled.md"),
        "+++\ntitle = \"Scheduled\"\nat = 2026-12-02T09:00:00Z\nstatus = \"resolved\"\n+++\n\nLater.\n",
    );
    rebuild(&mut cache, &opts, "scheduled update");
    let later = options(&site, "2026-12-03T12:00:00Z", true);
    rebuild(&mut cache, &later, "now after the scheduled time");
    let published = options(&site, "2026-12-03T12:00:00Z", false);
    rebuild(&mut cache, &published, "drafts hidden");

    // Settings, templates, assets.
    edit(&site, "site.toml", "title = \"", "title = \"News: ");
    rebuild(&mut cache, &published, "site.toml");
    assert_eq!(cache.stats.pages_rendered, cache.stats.pages);
    // Every update's address and every time it shows.
    edit(
        &site,
        "site.toml",
        "base_url = \"https://status.northbridge-repairs.example\"",
        "base_url = \"https://status.northbridge-repairs.example/incident\"",
    );
    rebuild(&mut cache, &published, "site address");
    edit(
        &site,
        "site.toml",
        "timezone = \"Europe/London\"",
        "timezone = \"America/New_York\"",
    );
    rebuild(&mut cache, &published, "time zone");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}",
    );
    rebuild(&mut cache, &published, "template override");
    site.write(&format!("{INCIDENT}/letter-scan.txt"), "a scan");
    rebuild(&mut cache, &published, "asset");
}

/// Random edits, creations and deletions, checked after each one.
#[test]
fn random_edits_keep_incremental_and_full_builds_equal() {
    let (site, opts, mut cache) = start();
    let mut rng = Lcg(7);
    let files: Vec<String> = walkdir::WalkDir::new(site.path("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(&site.root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for step in 0..60 {
        let rel = files[rng.next(files.len() as u64) as usize].clone();
        let text = std::fs::read_to_string(site.path(&rel)).unwrap_or_default();
        let touched = match rng.next(5) {
            // Append a sentence to the body.
            0 | 1 => {
                site.write(&rel, &format!("{text}\nSentence {step}.\n"));
                rel
            }
            // Change a summary or title, where there is one.
            2 => {
                site.write(
                    &rel,
                    &text.replacen("title = \"", &format!("title = \"{step} "), 1),
                );
                rel
            }
            // A new FAQ entry.
            3 => {
                let new = format!("content/faq/random-{step}.md");
                site.write(
                    &new,
                    &format!(
                        "+++\nquestion = \"Question {step}?\"\ncategory = \"More\"\n+++\n\nAnswer {step}.\n"
                    ),
                );
                new
            }
            // Remove an earlier random FAQ entry, if any.
            _ => {
                let old = format!("content/faq/random-{}.md", rng.next(step + 1));
                let _ = std::fs::remove_file(site.path(&old));
                old
            }
        };
        // Every other step, say what changed, as the preview's watcher does:
        // the rebuild then looks at no other file.
        if step % 2 == 0 {
            cache.changed(Some(vec![touched.clone().into()]));
        }
        rebuild(
            &mut cache,
            &opts,
            &format!("random step {step} ({touched})"),
        );
        if step % 2 == 0 {
            assert!(cache.stats.files_read <= 1, "{}", cache.stats);
        }
    }
}

/// The preview itself: what it serves after edits is a full build's files,
/// with only the reload script added to pages.
#[test]
fn the_preview_serves_what_a_full_build_makes_after_edits() {
    let site = Site::example();
    site.forget_record();
    age(&site);
    let now: jiff::Timestamp = crate::common::NOW.parse().unwrap();
    let handle = site.preview();
    let tag = "<script src=\"/_candor/reload.js\" defer></script>";
    for step in 0..5 {
        edit(
            &site,
            UPDATE,
            "+++\n\n",
            &format!("+++\n\nEdit {step}.\n\n"),
        );
        assert!(handle.preview.rebuild().is_empty());
        let served = handle.preview.snapshot();
        let opts = BuildOptions {
            site: site.root.clone(),
            output: None,
            drafts: true,
            now,
            base_url: Some(format!("http://{}/", handle.preview.addr())),
            notices: None,
            paper: None,
            lenient: false,
            locked: false,
            all_notices: false,
        };
        let full = site::compile(&opts).unwrap();
        let mut want = contents(&full.files);
        for (path, bytes) in contents(&full.notices) {
            want.insert(format!("_candor/notices/{path}"), bytes);
        }
        let got: BTreeMap<String, Vec<u8>> = served
            .files
            .iter()
            .filter(|(p, _)| !p.starts_with("_candor/") || p.starts_with("_candor/notices/"))
            .map(|(p, b)| {
                let b = b.bytes();
                let text = String::from_utf8_lossy(&b);
                let bytes = if p.ends_with(".html") && text.contains(tag) {
                    text.replacen(tag, "", 1).into_bytes()
                } else {
                    b.to_vec()
                };
                (p.clone(), bytes)
            })
            .collect();
        assert_same(&got, &want, &format!("preview edit {step}"), "served");
    }
    handle.stop();
}

/// The preview keeps what each update says between rebuilds: with the
/// published record in place, it must judge each edit as a full build does.
#[test]
fn the_record_judges_an_incremental_rebuild_as_it_does_a_full_build() {
    const TAKEN: &str =
        "content/incidents/customer-database-2026/2026-11-18-1600-what-was-taken.md";
    let site = Site::example();
    age(&site);
    // Written an hour ago: the preview trusts its stamp and does not read
    // it again while the stamp stays.
    let record = std::fs::File::options()
        .write(true)
        .open(site.path("record.jsonl"))
        .unwrap();
    record
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    let opts = options(&site, crate::common::NOW, true);
    let mut cache = Cache::new();
    rebuild(&mut cache, &opts, "first build, with the record");
    rebuild(&mut cache, &opts, "the record as it was");
    // Published words changed with no correction: an error in both.
    edit(
        &site,
        TAKEN,
        "bank details or your passwords.",
        "bank details, or your passwords.",
    );
    rebuild(&mut cache, &opts, "published words changed");
    assert!(site::compile_incremental(&opts, &mut cache).is_err());
    edit(
        &site,
        TAKEN,
        "+++\n\nThe attacker",
        "\n[[correction]]\nat = 2026-11-30T09:00:00Z\nnote = \"A comma added.\"\n+++\n\nThe attacker",
    );
    rebuild(&mut cache, &opts, "with a correction");
    assert!(site::compile_incremental(&opts, &mut cache).is_ok());
    // A build publishes the correction meanwhile: the preview reads the
    // record it wrote.
    let out = tempfile::tempdir().unwrap();
    let publish = BuildOptions {
        output: Some(out.path().join("public")),
        drafts: false,
        ..options(&site, crate::common::NOW, false)
    };
    let before = std::fs::read(site.path("record.jsonl")).unwrap();
    site::build(&publish).unwrap();
    assert_ne!(std::fs::read(site.path("record.jsonl")).unwrap(), before);
    rebuild(&mut cache, &opts, "the record a build wrote");
    // Now published, the correction cannot be taken out (judged against
    // the record read last time, this would be a change with no correction).
    edit(
        &site,
        TAKEN,
        "\n[[correction]]\nat = 2026-11-30T09:00:00Z\nnote = \"A comma added.\"\n",
        "\n",
    );
    rebuild(&mut cache, &opts, "a published correction removed");
    // The incident made a draft: every update it holds is unpublished,
    // though no update's file changed.
    edit(
        &site,
        "content/incidents/customer-database-2026/_index.md",
        "+++\ntitle",
        "+++\ndraft = true\ntitle",
    );
    rebuild(&mut cache, &opts, "incident made a draft");
    assert!(site::compile_incremental(&opts, &mut cache).is_err());
}
