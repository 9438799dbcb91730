//! `candor notices --recipients`: a letter and an email for every person in
//! the file, each with its own reference code, and the "Were you
//! affected?" answers, with nothing personal published.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use mail_parser::MessageParser;

use crate::common::{NOW, Site};

/// One person of the generated file.
struct Person {
    name: String,
    address: [String; 2],
    town: String,
    postcode: String,
    country: &'static str,
    region: &'static str,
    email: String,
    audience: &'static str,
    code: String,
}

/// `n` fictional people of the audiences fixture: some have no email,
/// others no address (never both); a third are in the US.
fn people(n: usize) -> Vec<Person> {
    (0..n)
        .map(|i| {
            let (audience, country, region) = match i % 9 {
                0 => ("us-ma", "US", "MA"),
                1 | 2 => ("us-ca", "US", "CA"),
                _ => ("uk-customers", "GB", ""),
            };
            let has_address = i % 7 != 3;
            Person {
                name: format!("Testperson Number{i:04}"),
                address: if has_address {
                    [format!("{i} Quillfeather Lane"), format!("Unit Q{i}")]
                } else {
                    [String::new(), String::new()]
                },
                town: if has_address {
                    format!("Zedbury{i}")
                } else {
                    String::new()
                },
                postcode: if has_address {
                    format!("ZQ{i} 9XX")
                } else {
                    String::new()
                },
                country,
                region,
                email: if i % 10 == 5 && has_address {
                    String::new()
                } else {
                    format!("person{i}@mailbox.example")
                },
                audience,
                code: if audience == "uk-customers" {
                    String::new()
                } else {
                    format!("ENR-{i:05}-QX")
                },
            }
        })
        .collect()
}

fn csv(people: &[Person]) -> String {
    let mut out = String::from(
        "name,address_1,address_2,town,region,postcode,country,email,audience,enrolment_code\n",
    );
    for p in people {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            p.name,
            p.address[0],
            p.address[1],
            p.town,
            p.region,
            p.postcode,
            p.country,
            p.email,
            p.audience,
            p.code
        );
    }
    out
}

fn notices(site: &Site, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["notices", "--recipients", "people.csv", "--now", NOW];
    args.extend_from_slice(extra);
    site.candor(&args)
}

/// Every file under a folder of the site, as text.
fn texts(site: &Site, folder: &str) -> Vec<(String, String)> {
    site.snapshot(folder)
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

#[test]
fn every_wrong_row_of_a_thousand_is_reported_and_nothing_is_written() {
    let site = Site::fixture("audiences");
    let mut all = people(1000);
    // Each kind of mistake, at a known row (the header is line 1).
    all[10].name = String::new();
    all[20].address = [String::new(), String::new()];
    all[20].email = String::new();
    all[30].email = "person30-at-mailbox.example".into();
    all[40].audience = "us-mass";
    all[50].audience = "us-ma";
    all[50].code = String::new();
    all[60].email = all[61].email.clone();
    all[60].name = all[61].name.clone();
    let mut text = csv(&all);
    // A row with a cell too many.
    text = text.replacen(
        &format!("{},", all[70].name),
        &format!("{},extra,", all[70].name),
        1,
    );
    site.write("people.csv", &text);
    let run = notices(&site, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expect = [
        (12, "row 12, column `name`: is empty"),
        (22, "row 22: has no postal address and no email"),
        (32, "row 32, column `email`: is not an email address"),
        (
            42,
            "row 42, column `audience`: `us-mass` is not one of the incident's audiences",
        ),
        (52, "row 52, column `enrolment_code`: is empty"),
        (63, "row 63: the same person as row 62"),
        (72, "row 72: 11 cells, but the first row names 10 columns"),
    ];
    for (line, message) in expect {
        assert!(
            run.stderr
                .contains(&format!("people.csv:{line}: error: {message}"))
                || run.stderr.contains(message),
            "missing {message:?} in\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("7 of 1000 rows are wrong: nothing was written"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `us-ma`?"));
    // Nothing personal in what it says, nothing written.
    for p in [&all[30], &all[60], &all[70]] {
        assert!(!run.stderr.contains(&p.name), "a name was printed");
        assert!(
            !run.stderr.contains("mailbox.example"),
            "an email was printed"
        );
    }
    assert!(!site.path("mailing").exists());
    assert!(!site.path("static/affected").exists());

    // --skip-invalid leaves them out and says which.
    let run = notices(&site, &["--skip-invalid"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Left out 7 wrong rows"),
        "{}",
        run.stderr
    );
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.path("mailing/records-2026/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["people"], 993);
    assert_eq!(
        summary["skipped"],
        serde_json::json!([12, 22, 32, 42, 52, 63, 72])
    );
}

#[test]
fn a_clean_file_makes_a_letter_an_email_and_an_answer_for_every_person() {
    let site = Site::fixture("audiences");
    let all = people(1000);
    site.write("people.csv", &csv(&all));
    let run = notices(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let with_address = all.iter().filter(|p| !p.address[0].is_empty()).count();
    let with_email = all.iter().filter(|p| !p.email.is_empty()).count();

    // Letters: 500 a file, one a page, each to its person.
    let letters = texts(&site, "mailing/records-2026/letters");
    let sheets: usize = letters
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, t)| t.matches("<div class=\"sheet\"").count())
        .sum();
    assert_eq!(sheets, with_address);
    assert_eq!(
        letters.iter().filter(|(p, _)| p.ends_with(".html")).count(),
        with_address.div_ceil(500)
    );
    let all_letters: String = letters.iter().map(|(_, t)| t.as_str()).collect();
    for p in all.iter().filter(|p| !p.address[0].is_empty()).take(50) {
        assert!(
            all_letters.contains(&format!("Dear {},", p.name)),
            "{}",
            p.name
        );
    }
    // The Massachusetts letters carry the person's enrolment code.
    assert!(all_letters.contains("<strong>ENR-00000-QX</strong>"));
    // Mailing list: one row a letter.
    let mailing =
        std::fs::read_to_string(site.path("mailing/records-2026/letters/mailing.csv")).unwrap();
    assert_eq!(
        mailing
            .lines()
            .filter(|l| l.starts_with(char::is_numeric))
            .count(),
        with_address
    );

    // Emails: one addressed message each, parsed by a mail parser.
    let emails: Vec<(String, String)> = texts(&site, "mailing/records-2026/emails");
    assert_eq!(emails.len(), with_email);
    site.build(&[]).assert_ok();
    let mut codes = BTreeSet::new();
    for (path, raw) in &emails {
        let msg = MessageParser::default().parse(raw.as_bytes()).unwrap();
        let to = msg.to().and_then(|t| t.first()).unwrap();
        let address = to.address().unwrap();
        let i: usize = address
            .trim_start_matches("person")
            .trim_end_matches("@mailbox.example")
            .parse()
            .unwrap();
        assert_eq!(to.name(), Some(all[i].name.as_str()), "{path}");
        let text = msg.body_text(0).unwrap();
        assert!(text.contains(&format!("Dear {},", all[i].name)));
        assert!(
            text.contains(&format!(
                "This notice is for: {}",
                match all[i].audience {
                    "us-ma" => "Customers in Massachusetts",
                    "us-ca" => "Customers in California",
                    _ => "Customers in the UK",
                }
            )),
            "{path}"
        );
        // Every link of the email leads to a page of the built site.
        let html = msg.body_html(0).unwrap();
        for link in html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if let Some(path) = link.strip_prefix("https://status.fixture.example/") {
                let path = path.split('#').next().unwrap_or("");
                let file = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path.to_string()
                };
                assert!(site.out_exists(&file), "{link} in {path}");
            }
        }
        codes.insert(
            path.rsplit('/')
                .next()
                .unwrap()
                .trim_end_matches(".eml")
                .to_string(),
        );
    }
    assert_eq!(codes.len(), with_email, "each person's own code");

    // Answers: one for each person, in shards; the page is built.
    let answers: usize = texts(&site, "static/affected/s")
        .iter()
        .map(|(_, t)| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(t)
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(answers, all.len());
    assert!(site.out_exists("affected/index.html"));
    assert!(site.out_exists("affected.js"));
    let summary = std::fs::read_to_string(site.path("mailing/records-2026/summary.txt")).unwrap();
    assert!(
        summary.contains("us-ma") && summary.contains("uk-customers"),
        "{summary}"
    );

    // The same file again: the same codes (the key is kept).
    let first =
        std::fs::read_to_string(site.path("mailing/records-2026/letters/mailing.csv")).unwrap();
    assert_eq!(notices(&site, &[]).code, 0);
    let again =
        std::fs::read_to_string(site.path("mailing/records-2026/letters/mailing.csv")).unwrap();
    assert_eq!(first, again);
}

#[test]
fn nothing_personal_reaches_the_public_site() {
    let site = Site::fixture("audiences");
    let all = people(300);
    site.write("people.csv", &csv(&all));
    assert_eq!(notices(&site, &[]).code, 0);
    site.build(&[]).assert_ok();
    let public = texts(&site, "public");
    assert!(public.iter().any(|(p, _)| p == "affected/index.html"));
    for p in &all {
        let mut values = vec![
            p.name.as_str(),
            p.town.as_str(),
            p.postcode.as_str(),
            p.email.as_str(),
            p.code.as_str(),
        ];
        values.extend(p.address.iter().map(String::as_str));
        for v in values.into_iter().filter(|v| !v.is_empty()) {
            for (path, text) in &public {
                assert!(!text.contains(v), "{path} holds a recipient's value");
            }
        }
    }
    // Nor does the site folder's own git see the mailing or the key.
    assert_eq!(
        std::fs::read_to_string(site.path("mailing/.gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    assert_eq!(
        std::fs::read_to_string(site.path(".candor/.gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
}

#[test]
fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
    let site = Site::fixture("audiences");
    let mut all = people(3);
    all[2].name = "=HYPERLINK(\"http://x.example\";\"a\")".into();
    all[2].address[1] = "+44 sheet".into();
    let text = csv(&all).replace(
        &all[2].name,
        "\"=HYPERLINK(\"\"http://x.example\"\";\"\"a\"\")\"",
    );
    site.write("people.csv", &text);
    let run = notices(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mailing =
        std::fs::read_to_string(site.path("mailing/records-2026/letters/mailing.csv")).unwrap();
    assert!(mailing.contains("\"'=HYPERLINK("), "{mailing}");
    assert!(mailing.contains(",'+44 sheet,"), "{mailing}");
    // In the letter, it is text.
    let letters =
        std::fs::read_to_string(site.path("mailing/records-2026/letters/letters-00001.html"))
            .unwrap();
    assert!(letters.contains("Dear =HYPERLINK(&quot;http://x.example&quot;;&quot;a&quot;),"));
}

#[test]
fn the_mailing_is_never_written_where_it_would_be_published() {
    let site = Site::fixture("audiences");
    site.write("people.csv", &csv(&people(3)));
    for out in ["public/mailing", "static/mailing", "notices/x"] {
        let run = notices(&site, &["--output", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to write personal letters"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn check_counts_the_people_of_the_recipients_file() {
    let site = Site::fixture("audiences");
    let mut all = people(900);
    // Two UK customers who moved: one to Japan, where candor has no rules,
    // and one to the US without saying which state.
    all[3].country = "Japan";
    all[4].country = "US";
    site.write("people.csv", &csv(&all));
    assert_eq!(notices(&site, &[]).code, 0);
    let run = site.candor(&["check", "--format", "json", "--now", NOW]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let in_ca = all.iter().filter(|p| p.audience == "us-ca").count();
    let ag = report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["regime"] == "us-ca" && d["id"] == "ca-attorney-general")
        .unwrap();
    assert_eq!(ag["people"], in_ca);
    // The incident says 6 people in California; the file has 200.
    let said: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .filter(|m| m.contains("the recipients file has"))
        .collect();
    assert!(
        said.contains(
            &format!("audience `us-ca` says 6 people, but the recipients file has {in_ca}")
                .as_str()
        ),
        "{said:?}"
    );
    // Nobody is silently left out of the laws checked.
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    for m in [
        "1 person in the recipients file lives in `japan`, where candor has no rules",
        "1 person in the recipients file lives in the US with no state",
    ] {
        assert!(
            messages.iter().any(|x| x.starts_with(m)),
            "{m}: {messages:?}"
        );
    }
}

#[test]
fn the_incident_and_home_pages_link_the_check_once_there_are_answers() {
    let site = Site::fixture("audiences");
    site.build(&[]).assert_ok();
    assert!(!site.out("index.html").contains("/affected/"));
    assert!(
        !site
            .out("incidents/records-2026/index.html")
            .contains("/affected/")
    );
    assert!(!site.out_exists("affected.js"));
    site.write("people.csv", &csv(&people(20)));
    assert_eq!(notices(&site, &[]).code, 0);
    site.build(&[]).assert_ok();
    for page in ["index.html", "incidents/records-2026/index.html"] {
        assert!(site.out(page).contains("href=\"/affected/\""), "{page}");
    }
}
