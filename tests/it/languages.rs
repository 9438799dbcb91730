//! A site in more than one language: each page again under `/<language>/`
//! in that language's words and dates, translations that are the same
//! item, the original (marked) where there is no translation, and a
//! translation older than its original said to be so.

use crate::common::{NOW, Site, visible_text};

const UPDATE: &str = "content/incidents/laptop-theft/01-first.md";
const UPDATE_CY: &str = "content/incidents/laptop-theft/01-first.cy.md";
const PAGE: &str = "incidents/laptop-theft/01-first/index.html";

/// The basic fixture in English and Welsh, its first update translated.
fn bilingual() -> Site {
    let site = Site::fixture("basic");
    let settings = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &settings.replace(
            "language = \"en-GB\"",
            "language = \"en-GB\"\nlanguages = [\"cy\"]",
        ),
    );
    site.write(
        UPDATE_CY,
        "+++\ntitle = \"Y diweddariad cyntaf\"\n+++\n\nRydym yn ymchwilio. Dyma'r diweddariad cyntaf.\n",
    );
    site
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

/// `datetime` of every `<time>` on a page, in order.
fn times(html: &str) -> Vec<&str> {
    html.split("<time datetime=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

#[test]
fn a_translated_update_keeps_its_id_time_and_status() {
    let site = bilingual();
    site.build(&[]).assert_ok();
    let en = site.out(PAGE);
    let cy = site.out(&format!("cy/{PAGE}"));
    assert!(cy.contains("<html lang=\"cy\">"), "{cy}");
    assert!(cy.contains("<h1>Y diweddariad cyntaf</h1>"), "{cy}");
    assert!(visible_text(&cy).contains("Rydym yn ymchwilio."));
    // The same time and status: only the words differ.
    assert_eq!(times(&en), times(&cy));
    assert!(
        en.contains("status status-investigating") && cy.contains("status status-investigating")
    );
    // Welsh interface words and dates: the time itself does not change.
    assert!(
        visible_text(&cy).contains("Hydref 2026"),
        "{}",
        visible_text(&cy)
    );
    // The same update, as machines see it: status.json keys the Welsh
    // words by the update's own id.
    let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
    let update = status["incidents"][0]["updates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["url"].as_str().unwrap().ends_with("/01-first/"))
        .unwrap()
        .clone();
    assert_eq!(
        update["translations"]["cy"]["title"],
        "Y diweddariad cyntaf"
    );
    assert_eq!(update["translations"]["cy"]["translated"], true);
    assert_eq!(update["translations"]["cy"]["outdated"], false);
    // The published record holds the translation under its own id.
    let record = std::fs::read_to_string(site.path("record.jsonl")).unwrap();
    assert!(record.contains("\"id\":\"incidents/laptop-theft/01-first.cy\""));
}

#[test]
fn a_translation_cannot_change_the_time_or_status() {
    let site = bilingual();
    site.write(
        UPDATE_CY,
        "+++\ntitle = \"Y diweddariad cyntaf\"\nat = 2026-10-25T09:00:00Z\nstatus = \"resolved\"\n+++\n\nGeiriau.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("01-first.cy.md:3:6: `at` does not belong")
            && run
                .stderr
                .contains("01-first.cy.md:4:10: `status` does not belong"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("a translation has the original's time, status and facts")
    );
}

#[test]
fn a_missing_translation_shows_the_original_with_a_note_never_a_blank() {
    let site = bilingual();
    site.build(&[]).assert_ok();
    let page = site.out("cy/incidents/laptop-theft/02-second/index.html");
    let text = visible_text(&page);
    // The original's words, marked as English for screen readers, and a
    // note in Welsh saying why.
    assert!(page.contains("translation-note"), "{page}");
    assert!(
        page.contains("<div class=\"prose\" lang=\"en-GB\">"),
        "{page}"
    );
    assert!(text.contains("Saesneg"), "{text}");
    // Its title in lists is marked too (WCAG 3.1.2, language of parts).
    let home = site.out("cy/index.html");
    assert!(
        home.contains("<a href=\"/cy/incidents/laptop-theft/02-second/\" lang=\"en-GB\">"),
        "{home}"
    );
    assert!(home.contains("<a href=\"/cy/incidents/laptop-theft/01-first/\">Y diweddariad cyntaf"));
}

#[test]
fn the_language_switch_leads_to_the_same_page() {
    let site = bilingual();
    site.build(&[]).assert_ok();
    let public = site.path("public");
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&public).into_iter().flatten() {
        let rel = e
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") || rel.starts_with("cy/") {
            continue;
        }
        pages += 1;
        let other = format!("cy/{rel}");
        assert!(site.out_exists(&other), "{other} is missing");
        let url = format!("/{}", rel.trim_end_matches("index.html"));
        let cy_url = format!("/cy{url}");
        // Each links to the other, by hreflang and in the switch.
        assert!(
            site.out(&rel)
                .contains(&format!("href=\"{cy_url}\" hreflang=\"cy\"")),
            "{rel}"
        );
        assert!(
            site.out(&other)
                .contains(&format!("href=\"{url}\" hreflang=\"en-GB\"")),
            "{other}"
        );
    }
    // Home, incident, updates, FAQ, guidance, pages and 404: every one.
    assert!(pages >= 10, "{pages} pages");
    // Shared files stay at the root; each language has its own feed.
    assert!(
        site.out(&format!("cy/{PAGE}"))
            .contains("href=\"/style.css\"")
    );
    assert!(site.out_exists("cy/feed.xml") && !site.out_exists("cy/style.css"));
    let feed = site.out("cy/feed.xml");
    assert!(feed.contains("xml:lang=\"cy\"") && feed.contains("Y diweddariad cyntaf"));
}

#[test]
fn an_edited_source_marks_its_translation_outdated() {
    let site = bilingual();
    site.build_at("2026-11-01T12:00:00Z", &[]).assert_ok();
    let cy = format!("cy/{PAGE}");
    assert!(
        !site.out(&cy).contains("translation-note"),
        "current at first"
    );
    // The English is corrected after the Welsh was published.
    edit(
        &site,
        UPDATE,
        "next_update = 2026-10-26T12:00:00Z\n",
        "next_update = 2026-10-26T12:00:00Z\n\n[[correction]]\nat = 2026-11-02T09:00:00Z\nnote = \"We first said this was the first update of two; there are three.\"\n",
    );
    edit(
        &site,
        UPDATE,
        "This is the first update.",
        "This is the first of three updates.",
    );
    site.build_at("2026-11-02T10:00:00Z", &[]).assert_ok();
    let page = site.out(&cy);
    assert!(page.contains("translation-note"), "{page}");
    assert!(
        page.contains("href=\"/incidents/laptop-theft/01-first/\" hreflang=\"en-GB\""),
        "the note links to the original: {page}"
    );
    let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
    let outdated = status["incidents"][0]["updates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["translations"]["cy"]["outdated"] == true);
    assert!(outdated);
    // check lists it, with both times, and every missing translation.
    let run = site.candor(&["check", "--now", "2026-11-02T10:00:00Z", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    let findings = report["findings"].as_array().unwrap();
    let rule = |f: &serde_json::Value| f["rule"].as_str().unwrap_or("").to_string();
    let outdated: Vec<_> = findings
        .iter()
        .filter(|f| rule(f) == "translation.outdated")
        .collect();
    assert_eq!(outdated.len(), 1, "{findings:#?}");
    assert!(
        outdated[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("01-first.cy.md")
    );
    let missing = findings
        .iter()
        .filter(|f| rule(f) == "translation.missing")
        .count();
    assert!(missing >= 5, "every untranslated item is listed: {missing}");
    assert!(
        findings
            .iter()
            .any(|f| rule(f) == "plain.language"
                && f["message"].as_str().unwrap().contains("(`cy`)")),
        "check says it cannot judge Welsh: {findings:#?}"
    );
    // Translating again (with the translation's own correction) brings it
    // up to date.
    site.write(
        UPDATE_CY,
        "+++\ntitle = \"Y diweddariad cyntaf\"\n\n[[correction]]\nat = 2026-11-03T09:00:00Z\nnote = \"Dywedom yn gyntaf mai hwn oedd y cyntaf o ddau ddiweddariad; mae tri.\"\n+++\n\nRydym yn ymchwilio. Dyma'r cyntaf o dri diweddariad.\n",
    );
    site.build_at("2026-11-03T10:00:00Z", &[]).assert_ok();
    assert!(!site.out(&cy).contains("translation-note"));
}

#[test]
fn a_translation_of_nothing_or_into_no_language_is_said() {
    let site = bilingual();
    site.write(
        "content/faq/no-such.cy.md",
        "+++\nquestion = \"?\"\n+++\n\nAteb.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("this translates content/faq/no-such.md, which does not exist"),
        "{}",
        run.stderr
    );
    site.remove("content/faq/no-such.cy.md");
    site.write(
        "content/faq/cards.fr.md",
        "+++\nquestion = \"Cartes ?\"\n+++\n\nRéponse.\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr
            .contains("`fr` is not one of the site's languages"),
        "{}",
        run.stderr
    );
    assert!(!site.out_exists("fr/index.html"));
}

#[test]
fn each_person_gets_their_letter_and_email_in_their_language() {
    let site = bilingual();
    site.write(
        "people.csv",
        "name,address_1,town,postcode,country,email,language\n\
         Ann Example,1 High Street,Northtown,NT1 1AA,GB,ann@mail.example,\n\
         Bryn Example,2 High Street,Northtown,NT1 1AB,GB,bryn@mail.example,cy\n\
         Cai Example,3 High Street,Northtown,NT1 1AC,GB,cai@mail.example,CY-GB\n",
    );
    let run = site.candor(&["notices", "--recipients", "people.csv", "--now", NOW]);
    run.assert_ok();
    let mut langs = Vec::new();
    for e in walkdir::WalkDir::new(site.path("mailing"))
        .into_iter()
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "eml") {
            let eml = std::fs::read_to_string(e.path()).unwrap();
            let lang = if eml.contains("lang=3D\"cy\"") {
                "cy"
            } else {
                "en"
            };
            langs.push(lang);
        }
    }
    langs.sort_unstable();
    assert_eq!(langs, ["cy", "cy", "en"]);
    // A language the site does not publish is an error, naming the row.
    site.write(
        "people.csv",
        "name,address_1,town,postcode,country,email,language\nAnn Example,1 High Street,Northtown,NT1 1AA,GB,ann@mail.example,pl\n",
    );
    let run = site.candor(&["notices", "--recipients", "people.csv", "--now", NOW]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`pl` is not one of the site's languages"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("Ann Example"),
        "no personal data in errors"
    );
}

/// Regression: a translation's `/record.jsonl` link went to `/cy/record.jsonl`,
/// which does not exist. Links to pages stay in the reader's language;
/// links to files go to the site's one copy.
#[test]
fn a_translation_links_pages_in_its_language_and_files_at_the_root() {
    let site = bilingual();
    site.write(
        UPDATE_CY,
        "+++\ntitle = \"Y diweddariad cyntaf\"\n+++\n\nGweler y [cwestiynau](/faq/) a'r [cofnod cyhoeddedig](/record.jsonl).\n",
    );
    site.build(&[]).assert_ok();
    let page = site.out(&format!("cy/{PAGE}"));
    assert!(page.contains("href=\"/cy/faq/\""), "{page}");
    assert!(page.contains("href=\"/record.jsonl\""), "{page}");
    assert!(site.out_exists("record.jsonl") && site.out_exists("cy/faq/index.html"));
}

/// What a site promises never to ask for is in its own language; the other
/// languages' pages promise the same only if the site says it in them.
#[test]
fn the_promise_is_the_sites_own_in_every_language_or_a_warning_says_not() {
    let site = bilingual();
    let settings = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &settings.replace(
            "senders = [\"help@fixture.example\"]",
            "senders = [\"help@fixture.example\"]\nnever_ask = [\"your password or PIN\", \"a payment\"]",
        ),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr
            .contains("the Welsh pages promise the theme's general list")
            && run.stderr.contains("i18n/cy.toml"),
        "{}",
        run.stderr
    );
    site.write(
        "i18n/cy.toml",
        "[verify]\nnever_ask_default = [\"eich cyfrinair neu'ch PIN\", \"unrhyw daliad\"]\n\n[site]\ntitle = \"Fixture Ltd: digwyddiad\"\nhours = \"9yb i 5yh\"\nopening = \"x\"\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("general list"), "{}", run.stderr);
    // Under [site], only what site.toml says in words is known.
    assert!(
        run.stderr
            .contains("`site.opening` is not one of the theme's words")
            && !run.stderr.contains("`site.hours`"),
        "{}",
        run.stderr
    );
    let cy_page = site.out(&format!("cy/{PAGE}"));
    assert!(cy_page.contains("9yb i 5yh") && !cy_page.contains("9am to 5pm"));
    assert!(cy_page.contains("content=\"Fixture Ltd: digwyddiad\""));
    let text = visible_text(&site.out(&format!("cy/{PAGE}")));
    assert!(
        text.contains("Fyddwn ni byth yn gofyn am eich cyfrinair neu'ch PIN neu unrhyw daliad."),
        "{text}"
    );
    let en = visible_text(&site.out(PAGE));
    assert!(
        en.contains("We will never ask for your password or PIN or a payment."),
        "{en}"
    );
}
