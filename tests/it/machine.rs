//! What machines read: Atom feeds, status.json, the sitemap, security.txt,
//! and links that hold under a base_url with a path.

use std::collections::BTreeSet;

use crate::common::{Site, visible_text};
use atom_syndication::Feed;

fn feed(site: &Site, path: &str) -> Feed {
    Feed::read_from(site.out(path).as_bytes())
        .unwrap_or_else(|e| panic!("{path} is not valid Atom: {e}"))
}

#[test]
fn feeds_have_one_entry_per_published_update_newest_first() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    for path in ["feed.xml", "incidents/laptop-theft/feed.xml"] {
        let f = feed(&site, path);
        let titles: Vec<&str> = f.entries().iter().map(|e| e.title().as_str()).collect();
        assert_eq!(
            titles,
            [
                "Contained: Second update, after the clocks went back",
                "Investigating: First update, in summer time"
            ],
            "{path}"
        );
        let newest = &f.entries()[0];
        // A corrected update is `updated` at its correction.
        assert_eq!(newest.updated().to_rfc3339(), "2026-10-27T09:00:00+00:00");
        assert_eq!(f.updated(), newest.updated(), "feed updated = newest entry");
        assert_eq!(
            newest.links()[0].href(),
            "https://status.fixture.example/incidents/laptop-theft/02-second/"
        );
        assert_eq!(newest.authors()[0].name(), "Fixture Ltd");
        assert!(
            newest
                .content()
                .and_then(|c| c.value())
                .unwrap_or("")
                .contains("remotely wiped")
        );
        assert!(
            newest
                .content()
                .and_then(|c| c.value())
                .unwrap_or("")
                .contains("Correction")
        );
    }
    // Every page links the site feed; the incident page links its own too.
    assert!(
        site.out("faq/index.html")
            .contains("type=\"application/atom+xml\" href=\"/feed.xml\"")
    );
    assert!(
        site.out("incidents/laptop-theft/index.html")
            .contains("href=\"/incidents/laptop-theft/feed.xml\"")
    );
}

#[test]
fn entry_ids_survive_a_change_of_title_and_file_name() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let before: Vec<String> = feed(&site, "feed.xml")
        .entries()
        .iter()
        .map(|e| e.id().to_string())
        .collect();
    let old = "content/incidents/laptop-theft/01-first.md";
    let text = std::fs::read_to_string(site.path(old))
        .unwrap()
        .replace("First update, in summer time", "A new title");
    site.remove(old);
    site.write("content/incidents/laptop-theft/01-renamed.md", &text);
    // A renamed update needs a withdrawal notice at its old address (see
    // record.rs); here only the feed's ids are in question.
    site.forget_record();
    site.build(&[]).assert_ok();
    let after: Vec<String> = feed(&site, "feed.xml")
        .entries()
        .iter()
        .map(|e| e.id().to_string())
        .collect();
    assert_eq!(before, after);
    assert!(
        before[1].starts_with("tag:status.fixture.example,2026-10-24:laptop-theft/"),
        "{before:?}"
    );
}

const NASTY: &str = r#"Fish & <Chips> "quoted" 'single' </script><script>alert(1)</script>"#;

#[test]
fn a_hostile_title_survives_intact_everywhere() {
    let site = Site::fixture("basic");
    let path = "content/incidents/laptop-theft/01-first.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap().replace(
        "title = \"First update, in summer time\"",
        &format!("title = '''{NASTY}'''"),
    );
    site.write(path, &text);
    let faq = "content/faq/when.md";
    let text = std::fs::read_to_string(site.path(faq))
        .unwrap()
        .replace("\"When did it happen?\"", &format!("'''{NASTY}'''"));
    site.write(faq, &text);
    site.build(&[]).assert_ok();

    // Pages: the text shows as text, and no script element was injected.
    for page in [
        "index.html",
        "incidents/laptop-theft/index.html",
        "incidents/laptop-theft/01-first/index.html",
    ] {
        let html = site.out(page);
        assert!(
            !html.contains("<script>alert(1)"),
            "{page} has an injected script"
        );
        assert!(html.contains("Fish &amp; &lt;Chips&gt;"), "{page}");
        assert!(
            visible_text(
                &html
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
            )
            .contains("Fish & "),
            "{page}"
        );
    }
    // Feeds: the parsed title is the original text.
    let f = feed(&site, "feed.xml");
    assert!(
        f.entries()
            .iter()
            .any(|e| e.title().as_str() == format!("Investigating: {NASTY}"))
    );
    // status.json: the parsed title is the original text.
    let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
    let titles: Vec<&str> = status["incidents"][0]["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&NASTY), "{titles:?}");
    // JSON-LD: the script element is not closed early, and parses back.
    let html = site.out("faq/index.html");
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    let names: Vec<&str> = ld["mainEntity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&NASTY), "{names:?}");
}

#[test]
fn status_json_matches_its_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schemas/status.schema.json"))
            .expect("schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    for site in [Site::fixture("basic"), Site::example()] {
        site.build(&[]).assert_ok();
        let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&status)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let site = Site::fixture("basic");
    site.build(&[]).assert_ok();
    let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
    assert_eq!(status["version"], 1);
    assert_eq!(status["overall"], "open");
    assert_eq!(status["current_status"], "contained");
    assert_eq!(
        status["incidents"][0]["updates"].as_array().unwrap().len(),
        2,
        "no draft or scheduled update"
    );
    // A document that breaks the schema is caught (the check can fail).
    let mut broken = status.clone();
    broken["overall"] = "maybe".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sitemap_robots_and_security_txt() {
    let site = Site::fixture("basic");
    site.write(
        "site.toml",
        &(std::fs::read_to_string(site.path("site.toml")).unwrap()
            + "\n[security_txt]\ncontact = [\"mailto:security@fixture.example\"]\nexpires = 2027-06-01T00:00:00Z\n\n[hosting]\nheaders = true\n"),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("security_txt"), "{}", run.stderr);
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://status.fixture.example/incidents/laptop-theft/</loc>"));
    assert!(sitemap.contains("<lastmod>2026-10-27T09:00:00Z</lastmod>"));
    assert!(!sitemap.contains("03-draft") && !sitemap.contains("04-scheduled"));
    assert!(
        site.out("robots.txt")
            .contains("Sitemap: https://status.fixture.example/sitemap.xml")
    );
    let sec = site.out(".well-known/security.txt");
    assert!(sec.contains("Contact: mailto:security@fixture.example\n"));
    assert!(sec.contains("Expires: 2027-06-01T00:00:00Z\n"));
    assert!(
        site.out("_headers")
            .contains("Content-Security-Policy: default-src 'none'")
    );

    // Expired, and too far away: warnings, not errors.
    let run = site.candor(&["build", "--now", "2027-07-01T00:00:00Z"]);
    run.assert_ok();
    // A build dated before what it published would unpublish it.
    site.forget_record();
    assert!(
        run.stderr.contains(
            "warning: site.toml: [security_txt] expires = 2027-06-01T00:00:00Z has passed"
        ),
        "{}",
        run.stderr
    );
    let run = site.candor(&["build", "--now", "2026-01-01T00:00:00Z"]);
    assert!(
        run.stderr.contains("is more than a year away"),
        "{}",
        run.stderr
    );
}

/// Every href and src of every page resolves to a file in the output (and
/// every #fragment to an id on the target page).
fn assert_no_broken_links(site: &Site, origin: &str, prefix: &str) {
    let pages: Vec<(String, String)> = site
        .snapshot("public")
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect();
    let ids = |html: &str| -> BTreeSet<String> {
        html.split(" id=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    };
    let mut checked = 0;
    for (page, html) in &pages {
        for attr in [" href=\"", " src=\""] {
            for piece in html.split(attr).skip(1) {
                let url = piece[..piece.find('"').unwrap()].replace("&amp;", "&");
                let local = if let Some(rest) = url.strip_prefix(origin) {
                    rest.to_string()
                } else if url.starts_with("http")
                    || url.starts_with("mailto:")
                    || url.starts_with("tel:")
                {
                    continue;
                } else {
                    url.clone()
                };
                let (path, fragment) = local
                    .split_once('#')
                    .map_or((local.as_str(), None), |(p, f)| (p, Some(f)));
                let target = if path.is_empty() {
                    page.clone()
                } else {
                    let rel = path
                        .strip_prefix(prefix)
                        .unwrap_or_else(|| panic!("{page}: {url} is outside {prefix}"));
                    if rel.is_empty() || rel.ends_with('/') {
                        format!("{rel}index.html")
                    } else {
                        rel.to_string()
                    }
                };
                assert!(
                    site.out_exists(&target),
                    "{page}: broken link {url} ({target})"
                );
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    let html = site.out(&target);
                    assert!(
                        ids(&html).contains(f),
                        "{page}: {url}: no id {f} in {target}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn no_broken_internal_link_with_a_path_prefix() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://fixture.example/incident/"])
        .assert_ok();
    assert_no_broken_links(&site, "https://fixture.example", "/incident/");
    let f = feed(&site, "feed.xml");
    assert!(
        f.entries()[0].links()[0]
            .href()
            .starts_with("https://fixture.example/incident/incidents/")
    );
}

#[test]
fn no_broken_internal_link_in_the_example_site() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    assert_no_broken_links(&site, "https://status.northbridge-repairs.example", "/");
}

#[test]
fn no_page_loads_anything_from_another_origin() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    for (page, bytes) in site.snapshot("public") {
        if !page.ends_with(".html") && !page.ends_with(".css") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        // Resource-loading attributes and CSS: only same-origin, relative URLs.
        for needle in [
            "<script src=\"",
            "<img src=\"",
            "<iframe",
            "<link rel=\"stylesheet\" href=\"",
            "<source",
            "<video",
            "<audio",
            "<embed",
            "<object",
            "url(",
            "@import",
            "srcset=",
        ] {
            for piece in text.split(needle).skip(1) {
                let value = piece.trim_start_matches(['"', '\'']);
                assert!(
                    !(value.starts_with("http") || value.starts_with("//")),
                    "{page} loads from another origin: {needle}{}",
                    &value[..value.len().min(60)]
                );
            }
        }
        assert!(!text.contains("<iframe"), "{page} has a frame");
    }
}
