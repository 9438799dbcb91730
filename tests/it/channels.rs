//! Email, letter and social renders: the same notice on every channel.

use crate::common::{Site, example_words};
use candor::render::social::{PLATFORMS, Platform};
use mail_parser::{MessageParser, MimeHeaders};

fn notices(site: &Site, rel: &str) -> String {
    let p = site.root.join("notices").join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const INCIDENT: &str = "customer-database-2026";

#[test]
fn every_email_is_an_importable_multipart_alternative_message() {
    let site = Site::example();
    site.build(&["--all-notices"]).assert_ok();
    let mut checked = 0;
    for (path, bytes) in site.snapshot("notices") {
        if !path.ends_with(".eml") {
            continue;
        }
        let msg = MessageParser::default()
            .parse(&bytes[..])
            .unwrap_or_else(|| panic!("{path} does not parse"));
        let ct = msg
            .content_type()
            .unwrap_or_else(|| panic!("{path}: no content type"));
        assert_eq!(
            (ct.ctype(), ct.subtype()),
            ("multipart", Some("alternative")),
            "{path}"
        );
        assert_eq!(msg.text_body.len(), 1, "{path}: one text part");
        assert_eq!(msg.html_body.len(), 1, "{path}: one HTML part");
        for part in msg.parts.iter().skip(1) {
            let ct = part.content_type().unwrap();
            assert_eq!(ct.attribute("charset"), Some("utf-8"), "{path}");
            let encoding = part.content_transfer_encoding().unwrap_or("7bit");
            assert!(
                ["quoted-printable", "base64", "7bit"].contains(&encoding),
                "{path}: {encoding}"
            );
        }
        assert!(
            msg.to().is_none() && msg.cc().is_none() && msg.bcc().is_none(),
            "{path}: no recipients"
        );
        let from = msg
            .from()
            .and_then(|f| f.first())
            .and_then(|a| a.address())
            .unwrap();
        assert_eq!(from, "incident@northbridge-repairs.example");
        assert!(msg.subject().is_some_and(|s| !s.is_empty()));
        let text = msg.body_text(0).unwrap();
        assert!(text.contains(example_words(&path).verify_heading), "{path}");
        checked += 1;
    }
    assert_eq!(
        checked,
        2 * 11,
        "one incident email, one for each of its three audiences and seven update emails, in English and in Welsh"
    );
}

/// What a business sends now is each incident's notice, its newest update
/// and any correction: a build renders those, and `--all-notices` every
/// update's, the same bytes for those.
#[test]
fn a_build_renders_the_newest_update_and_all_notices_every_one() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let newest: Vec<(String, Vec<u8>)> = site.snapshot("notices");
    let updates: Vec<&str> = newest
        .iter()
        .filter_map(|(p, _)| p.strip_prefix(&format!("{INCIDENT}/updates/")))
        .filter_map(|rest| rest.split('/').next())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        updates,
        ["2026-11-18-1600-what-was-taken", "2026-11-23-1200-resolved"],
        "the newest update, and the one with a correction"
    );
    assert!(
        newest
            .iter()
            .any(|(p, _)| p == &format!("{INCIDENT}/email.eml")),
        "the notice itself"
    );
    site.build(&["--all-notices"]).assert_ok();
    let all = site.snapshot("notices");
    let all_updates = all
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("{INCIDENT}/updates/")) && p.ends_with("email.eml"))
        .count();
    assert_eq!(all_updates, 7, "every update's email");
    for (path, bytes) in newest.iter().filter(|(p, _)| !p.starts_with('.')) {
        let same = all.iter().find(|(p, _)| p == path);
        assert!(
            same.is_some_and(|(_, b)| b == bytes),
            "{path}: differs with --all-notices"
        );
    }
}

#[test]
fn a_non_ascii_subject_is_encoded() {
    let site = Site::example();
    let index = format!("content/incidents/{INCIDENT}/_index.md");
    let text = std::fs::read_to_string(site.path(&index)).unwrap().replace(
        "title = \"Notice of data breach\"",
        "title = \"Avis de fuite de données ✓ Café\"",
    );
    site.write(&index, &text);
    site.forget_record();
    site.build(&[]).assert_ok();
    let raw = notices(&site, &format!("{INCIDENT}/email.eml"));
    let subject_line = raw.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(subject_line.is_ascii(), "{subject_line}");
    assert!(subject_line.contains("=?utf-8?"), "{subject_line}");
    let msg = MessageParser::default().parse(raw.as_bytes()).unwrap();
    assert_eq!(
        msg.subject(),
        Some("Important: Avis de fuite de données ✓ Café")
    );
}

#[test]
fn email_html_loads_nothing_and_has_no_style_block_or_script() {
    let site = Site::example();
    site.build(&["--all-notices"]).assert_ok();
    for (path, bytes) in site.snapshot("notices") {
        if !path.ends_with("email.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for banned in [
            "<style", "<script", "<link", "<img", "<iframe", "url(", " src=", "srcset", "class=\"",
            "@import",
        ] {
            assert!(!html.contains(banned), "{path} has {banned}");
        }
        assert!(
            html.contains("max-width:600px"),
            "{path}: one column, 600 px at most"
        );
        let words = example_words(&path);
        assert!(html.contains(words.verify_heading), "{path}");
        assert!(
            html.contains(&format!("{}customer-database-2026/", words.incidents)),
            "{path}"
        );
    }
}

#[test]
fn plain_text_has_no_html_or_markdown_left() {
    let site = Site::example();
    site.build(&["--all-notices"]).assert_ok();
    let mut checked = 0;
    for (path, bytes) in site.snapshot("notices") {
        if !path.ends_with("email.txt") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        for (i, c) in text.char_indices() {
            if c == '<' {
                let next = text[i + 1..].chars().next().unwrap_or(' ');
                assert!(
                    !(next.is_ascii_alphabetic() || next == '/' || next == '!'),
                    "{path}: HTML tag at {i}"
                );
            }
        }
        for syntax in [
            "**", "](", "## ", "```", "> [!", "|---", "&amp;", "&lt;", "&#",
        ] {
            assert!(!text.contains(syntax), "{path}: {syntax:?} left");
        }
        checked += 1;
    }
    assert!(checked >= 8);
    let text = notices(&site, &format!("{INCIDENT}/for/uk-customers/email.txt"));
    assert!(
        text.contains("-  your name, postal address, email address and phone number;"),
        "lists kept"
    );
    assert!(text.contains("-  Read how to check a message is really from us\n   (https://status.northbridge-repairs.example/verify/)."), "links as text (url):\n{text}");
}

#[test]
fn the_letter_has_the_five_headings_in_order_and_nothing_under_10pt() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let letter = notices(&site, &format!("{INCIDENT}/letter.html"));
    let mut at = 0;
    for heading in [
        "What happened",
        "What information was involved",
        "What we are doing",
        "What you can do",
        "For more information",
    ] {
        let found = letter[at..]
            .find(&format!(">{heading}</h2>"))
            .unwrap_or_else(|| panic!("{heading} missing or out of order"));
        at += found;
    }
    assert!(
        letter.contains("«Full name»") && letter.contains("«Postcode»"),
        "mail-merge placeholders"
    );
    assert!(letter.contains("14 Canal Street"), "organisation's address");
    assert!(letter.contains("1 December 2026"), "the notice's date");
    assert!(
        letter.contains(
            "https://status.northbridge-repairs.example/incidents/customer-database-2026/"
        ),
        "URL written out"
    );
    assert!(letter.contains("size: A4"));
    assert!(
        !letter.contains("style=\""),
        "no inline styles to escape the check below"
    );
    // Every font size is at least 10pt.
    let mut sizes = 0;
    for piece in letter.split("font-size:").skip(1) {
        let value = piece.trim_start().split([';', '}']).next().unwrap().trim();
        let pt = if let Some(v) = value.strip_suffix("pt") {
            v.parse::<f64>().unwrap()
        } else if let Some(v) = value.strip_suffix("px") {
            v.parse::<f64>().unwrap() * 0.75
        } else {
            panic!(
                "font-size {value} is not in pt or px: the check cannot prove it is at least 10pt"
            )
        };
        assert!(pt >= 10.0, "font-size {value} is under 10pt");
        sizes += 1;
    }
    assert!(sizes >= 5, "only {sizes} font sizes found");

    site.build(&["--paper", "letter"]).assert_ok();
    assert!(notices(&site, &format!("{INCIDENT}/letter.html")).contains("size: letter"));
}

#[test]
fn every_social_post_of_the_example_fits_its_platform() {
    let site = Site::example();
    let run = site.build(&["--all-notices"]);
    run.assert_ok();
    let mut posts = 0;
    for (path, bytes) in site.snapshot("notices") {
        if !path.ends_with("social.json") {
            continue;
        }
        let list: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(list.len(), PLATFORMS.len());
        for (p, platform) in list.iter().zip(PLATFORMS) {
            let text = p["text"].as_str().unwrap();
            assert!(
                platform.count(text) <= platform.limit(),
                "{path}: {platform:?}"
            );
            assert!(
                text.ends_with('/') && text.contains(example_words(&path).incidents),
                "{path}: ends with the update's URL"
            );
            posts += 1;
        }
    }
    // Seven updates, five platforms, in English and in Welsh.
    assert_eq!(posts, 7 * 5 * 2);
}

#[test]
fn an_adversarial_summary_is_shortened_within_every_limit_with_a_warning() {
    let site = Site::fixture("basic");
    let long = format!(
        "{} {} {} see https://fixture.example/a/very/long/path/{} {}",
        "Supercalifragilisticexpialidocious".repeat(4),
        "👩‍👩‍👧 ".repeat(60),
        "e\u{301}\u{302} ".repeat(80),
        "x".repeat(200),
        "日本語のテキスト ".repeat(30)
    );
    let file = "content/incidents/laptop-theft/02-second.md";
    let text = std::fs::read_to_string(site.path(file)).unwrap().replace(
        "status = \"contained\"",
        &format!("status = \"contained\"\nsummary = \"{long}\""),
    );
    site.write(file, &text);
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stderr.contains("warning: content/incidents/laptop-theft/02-second.md: the summary was shortened to fit X"), "{}", run.stderr);
    let list: Vec<serde_json::Value> = serde_json::from_str(&notices(
        &site,
        "laptop-theft/updates/02-second/social.json",
    ))
    .unwrap();
    for (p, platform) in list.iter().zip(PLATFORMS) {
        let text = p["text"].as_str().unwrap();
        assert!(
            platform.count(text) <= platform.limit(),
            "{platform:?}: {}",
            platform.count(text)
        );
        // The post stands on its own: who it is from and what it is about,
        // then as much of the summary as fits, cut at a word.
        let kept = text
            .strip_prefix("Fixture Ltd data incident update: ")
            .unwrap_or_else(|| panic!("{platform:?}: no lead: {text}"));
        let normalised = long.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some((kept, _)) = kept.split_once('…') else {
            assert!(
                kept.starts_with(&normalised),
                "{platform:?}: whole, or cut with …"
            );
            continue;
        };
        assert!(
            normalised.starts_with(kept),
            "{platform:?}: not a prefix: {kept}"
        );
        let next = normalised[kept.len()..].chars().next();
        assert!(
            next.is_none_or(|c| c == ' '),
            "{platform:?}: cut inside a word or grapheme: {kept}"
        );
    }
    assert!(Platform::X.count(list[0]["text"].as_str().unwrap()) <= 280);
}

#[test]
fn channels_limit_where_an_update_goes() {
    let site = Site::fixture("basic");
    let file = "content/incidents/laptop-theft/02-second.md";
    let text = std::fs::read_to_string(site.path(file)).unwrap();
    site.write(
        file,
        &text.replace(
            "status = \"contained\"",
            "status = \"contained\"\nchannels = [\"email\"]",
        ),
    );
    site.write(
        "content/incidents/laptop-theft/01-first.md",
        &std::fs::read_to_string(site.path("content/incidents/laptop-theft/01-first.md"))
            .unwrap()
            .replace(
                "status = \"investigating\"",
                "status = \"investigating\"\nchannels = [\"web\"]",
            ),
    );
    site.build(&["--all-notices"]).assert_ok();
    assert!(
        !site.out_exists("incidents/laptop-theft/02-second/index.html"),
        "email-only update is not on the web"
    );
    assert!(
        site.root
            .join("notices/laptop-theft/updates/02-second/email.eml")
            .is_file()
    );
    assert!(
        !site
            .root
            .join("notices/laptop-theft/updates/02-second/social.txt")
            .exists()
    );
    assert!(site.out_exists("incidents/laptop-theft/01-first/index.html"));
    assert!(
        !site
            .root
            .join("notices/laptop-theft/updates/01-first")
            .exists(),
        "web-only update has no email or posts"
    );
}

#[test]
fn notices_are_never_written_inside_the_published_site() {
    let site = Site::fixture("basic");
    let run = site.build(&["--notices", "public/notices"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("notices must not be published"),
        "{}",
        run.stderr
    );
}

/// Regression: a post was only the summary and a link: no organisation,
/// no word that it is about a data incident, no "we will never ask" line.
/// Each post now stands on its own, within its platform's limit.
#[test]
fn every_post_says_who_it_is_from_what_it_is_about_and_the_promise() {
    let site = Site::example();
    site.build(&["--all-notices"]).assert_ok();
    let mut posts = 0;
    for (path, bytes) in site.snapshot("notices") {
        if !path.ends_with("social.json") {
            continue;
        }
        let list: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
        for (p, platform) in list.iter().zip(PLATFORMS) {
            let text = p["text"].as_str().unwrap();
            posts += 1;
            let words = example_words(&path);
            assert!(text.starts_with(words.lead), "{path}: {text}");
            assert!(text.contains(words.promise), "{path} {platform:?}: {text}");
            assert!(text.contains(words.incidents), "{path}: {text}");
            assert!(
                platform.count(text) <= platform.limit(),
                "{path} {platform:?}"
            );
        }
    }
    // Seven updates, five platforms, in English and in Welsh.
    assert_eq!(posts, 7 * 5 * 2);
}
