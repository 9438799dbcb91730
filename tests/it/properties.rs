//! Properties: any text survives escaping in every output; any valid site
//! builds byte-identically twice.

use crate::common::Site;
use atom_syndication::Feed;
use mail_parser::MessageParser;
use proptest::prelude::*;

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Text for titles and summaries: anything printable, including markup.
fn any_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 <>&\"'/!?éü日本👍\\\\]{1,40}")
        .unwrap()
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not empty", |s| !s.is_empty())
}

/// Body text with no Markdown syntax (which would rightly change it).
fn body_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 <>!?,éü日本👍]{1,60}")
        .unwrap()
        .prop_map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .prop_filter("not empty", |s| !s.is_empty() && !s.starts_with(['<', '!']))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_survives_escaping_everywhere(title in any_text(), summary in any_text(), body in body_text()) {
        let site = Site::fixture("basic");
        site.write(
            "content/incidents/laptop-theft/01-first.md",
            &format!(
                "+++\ntitle = {}\nat = 2026-10-24T16:30:00+01:00\nstatus = \"investigating\"\nsummary = {}\n+++\n\nPROP {body}\n",
                toml_str(&title),
                toml_str(&summary)
            ),
        );
        site.write("content/faq/prop.md", &format!("+++\nquestion = {}\n+++\nA.\n", toml_str(&title)));
        let run = site.build(&["--all-notices"]);
        prop_assert_eq!(run.code, 0, "{}", run.stderr);

        // HTML: the page's text, unescaped, holds the title and body; no tag was injected.
        let html = site.out("incidents/laptop-theft/01-first/index.html");
        let text = unescape_html(&html);
        prop_assert!(text.contains(&title), "title lost in HTML");
        prop_assert!(text.contains(&format!("PROP {body}")), "body lost in HTML");
        prop_assert_eq!(html.matches("<script").count(), 0);

        // Atom: the parsed entry title is the original.
        let feed = Feed::read_from(site.out("feed.xml").as_bytes()).unwrap();
        let want = format!("Investigating: {title}");
        prop_assert!(feed.entries().iter().any(|e| e.title().as_str() == want));
        let entry = feed.entries().iter().find(|e| e.title().as_str() == want).unwrap();
        prop_assert_eq!(entry.summary().map(|s| s.as_str()), Some(summary.as_str()));

        // status.json
        let status: serde_json::Value = serde_json::from_str(&site.out("status.json")).unwrap();
        let titles: Vec<String> = status["incidents"][0]["updates"].as_array().unwrap().iter().map(|u| u["title"].as_str().unwrap().to_string()).collect();
        prop_assert!(titles.contains(&title));

        // JSON-LD on the FAQ page.
        let faq = site.out("faq/index.html");
        let start = faq.find("<script type=\"application/ld+json\">").unwrap() + 35;
        let end = start + faq[start..].find("</script>").unwrap();
        let ld: serde_json::Value = serde_json::from_str(&faq[start..end]).unwrap();
        prop_assert!(ld["mainEntity"].as_array().unwrap().iter().any(|q| q["name"] == title.as_str()));

        // Email: the decoded subject, and the plain-text part's body.
        let eml = std::fs::read(site.root.join("notices/laptop-theft/updates/01-first/email.eml")).unwrap();
        let msg = MessageParser::default().parse(&eml[..]).unwrap();
        prop_assert!(msg.subject().unwrap_or("").contains(&title), "subject {:?}", msg.subject());
        let plain = msg.body_text(0).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert!(plain.contains(&format!("PROP {body}")), "plain text lost the body");
        let html_part = unescape_html(&msg.body_html(0).unwrap());
        prop_assert!(html_part.contains(&title));
    }

    #[test]
    fn any_valid_site_builds_byte_identically_twice(
        updates in proptest::collection::vec((any_text(), 0u32..5, 0i64..2_000_000), 1..6),
        faq in proptest::collection::vec((any_text(), any_text(), -5i64..5), 0..6),
    ) {
        let site = Site::fixture("basic");
        for (i, (title, status, offset)) in updates.iter().enumerate() {
            let statuses = ["investigating", "identified", "contained", "monitoring", "resolved"];
            let at = jiff::Timestamp::from_second(1_790_000_000 + offset).unwrap();
            site.write(
                &format!("content/incidents/laptop-theft/p{i}.md"),
                &format!("+++\ntitle = {}\nat = {}\nstatus = \"{}\"\n+++\n\nText {i}.\n", toml_str(title), at, statuses[*status as usize]),
            );
        }
        for (i, (q, category, weight)) in faq.iter().enumerate() {
            site.write(
                &format!("content/faq/p{i}.md"),
                &format!("+++\nquestion = {}\ncategory = {}\nweight = {weight}\n+++\n\nAnswer.\n", toml_str(q), toml_str(category)),
            );
        }
        prop_assert_eq!(site.build(&["--output", "one", "--notices", "n1"]).code, 0);
        prop_assert_eq!(site.build(&["--output", "two", "--notices", "n2"]).code, 0);
        prop_assert!(site.snapshot("one") == site.snapshot("two"), "the two builds differ");
        prop_assert!(site.snapshot("n1") == site.snapshot("n2"), "the two notice sets differ");
    }
}
