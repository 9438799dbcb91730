//! Generates sites of any size with the real content model, for benchmarks,
//! in two shapes:
//!
//! - `Shape::Short`: incidents of 20 updates each with short bodies and
//!   summaries, N/10 FAQ entries, guidance and pages, with lists, tables,
//!   links and some code blocks in the prose.
//! - `Shape::Long`: 50 incidents whatever the size (so 20 or 200 updates
//!   each at 1,000 and 10,000), each update about 6 KB of Markdown in
//!   several `##` sections with lists, a table and inline and external
//!   links, and a summary longer than 280 characters (so every social post
//!   is shortened, with a warning); N/10 FAQ entries of the same length.
//!   Incident pages, feeds and notices are large here.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

const PARAGRAPHS: &[&str] = &[
    "On Monday morning our IT provider saw an unknown computer connected to our customer database. They cut it off straight away and started to check what it had seen.",
    "We have written to every customer whose details were in the database. If you have not heard from us by Friday and think you are affected, please call us.",
    "The attacker used a password that had been stolen from another website. Every staff account now needs a code from a phone app as well as a password.",
    "Criminals may use your name and what you had repaired to make a fake message look real. We will never ask for your password, your bank details or a payment.",
    "An independent security firm checked all our systems. They found no other way in, and no sign that anyone else got in while the attacker was there.",
];

const STATUSES: &[&str] = &[
    "investigating",
    "identified",
    "contained",
    "monitoring",
    "resolved",
];

/// The shape of a generated site (see the module's docs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    Short,
    Long,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Short => "short",
            Shape::Long => "long",
        }
    }

    /// Incidents for a site of `updates` updates.
    fn incidents(self, updates: usize) -> usize {
        match self {
            Shape::Short => updates.div_ceil(20).max(1),
            Shape::Long => 50.min(updates.max(1)),
        }
    }

    fn per_incident(self, updates: usize) -> usize {
        updates.div_ceil(self.incidents(updates))
    }

    fn body(self, seed: usize, out: &mut String) {
        match self {
            Shape::Short => prose(seed, out),
            Shape::Long => long_prose(seed, out),
        }
    }

    fn summary(self, seed: usize) -> String {
        match self {
            Shape::Short => "What changed since the last update, in one sentence.".to_string(),
            Shape::Long => format!(
                "Update {seed}: our investigators have now finished checking the backup server that the attacker reached, and they found that it held copies of order histories and delivery addresses from 2019 to 2022 as well as the customer records we described before; we are writing to everyone affected this week."
            ),
        }
    }
}

const SECTIONS: &[&str] = &[
    "What happened",
    "What we found since the last update",
    "What information was involved",
    "What we are doing",
    "What you can do",
    "For more information",
];

const LINKS: &[(&str, &str)] = &[
    (
        "the ICO's advice on data breaches",
        "https://ico.org.uk/for-the-public/",
    ),
    (
        "the National Cyber Security Centre",
        "https://www.ncsc.gov.uk/collection/phishing-scams",
    ),
    ("Action Fraud", "https://www.actionfraud.police.uk/"),
    (
        "the FTC's identity theft site",
        "https://www.identitytheft.gov/",
    ),
];

/// About 6 KB of Markdown in several `##` sections: prose, a list, a table,
/// inline and external links.
fn long_prose(seed: usize, out: &mut String) {
    for (k, h) in SECTIONS.iter().enumerate() {
        let _ = write!(out, "## {h}\n\n");
        for i in 0..2 {
            out.push_str(PARAGRAPHS[(seed + k + i) % PARAGRAPHS.len()]);
            let (text, url) = LINKS[(seed + k + i) % LINKS.len()];
            let _ = write!(
                out,
                " You can read more in [{text}]({url}) and on [our questions page](/faq/#q{}).\n\n",
                (seed + k) % 10
            );
        }
        match k {
            2 => out.push_str(
                "| Information | Customers | Since |\n|---|---:|---|\n| Names and postal addresses | 1,240 | 2019 |\n| Email addresses | 1,100 | 2019 |\n| Order histories | 980 | 2020 |\n| Dates of birth | 210 | 2021 |\n\n",
            ),
            4 => {
                let _ = write!(
                    out,
                    "1. **Change your password** on our site and anywhere you used the same one.\n2. Be wary of messages that mention your repair; read [how to check a message is really from us](/verify/).\n3. Check your bank statements for payments you do not recognise (reference {seed}).\n4. Report a suspicious message to [Action Fraud](https://www.actionfraud.police.uk/) or call 0300 123 2040.\n\n"
                );
            }
            _ => out.push_str(
                "- We have reset every staff password.\n- We have turned on two-step sign-in for every account.\n- We have *moved* the backups to a separate, locked account.\n\n",
            ),
        }
    }
}

fn prose(seed: usize, out: &mut String) {
    for i in 0..3 {
        out.push_str(PARAGRAPHS[(seed + i) % PARAGRAPHS.len()]);
        out.push_str("\n\n");
    }
    let _ = write!(
        out,
        "- Read [how to check a message is really from us](/verify/).\n- See the [questions and answers](/faq/#q{}).\n- Call us on 0808 157 0000.\n\n",
        seed % 10
    );
    if seed.is_multiple_of(3) {
        out.push_str("| Information | Customers |\n|---|---|\n| Names and addresses | 1,240 |\n| Phone numbers | 1,100 |\n\n");
    }
    if seed.is_multiple_of(7) {
        out.push_str(
            "```toml\n# The settings we changed\nmfa = true\npassword_min_length = 14\n```\n\n",
        );
    }
}

/// Write a site of `shape` with `updates` updates (and updates/10 FAQ
/// entries) into `dir`.
pub fn generate(dir: &Path, updates: usize, shape: Shape) {
    let w = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "site.toml",
        "title = \"Bench Ltd: security incidents\"\nbase_url = \"https://status.bench.example\"\nlanguage = \"en-GB\"\ntimezone = \"Europe/London\"\n\n[organisation]\nname = \"Bench Ltd\"\n\n[contact]\nphone = \"0808 157 0000\"\nemail = \"help@bench.example\"\n",
    );
    w(
        "content/_index.md",
        "+++\ntitle = \"Bench Ltd: security incidents\"\n+++\n\nWhat happened, and what you can do.\n",
    );
    let incidents = shape.incidents(updates);
    let per = shape.per_incident(updates);
    let day = 86_400i64;
    let base = 1_750_000_000i64; // June 2025
    let mut n = 0;
    for i in 0..incidents {
        let discovered = base + i as i64 * 2 * day;
        let mut text = format!(
            "+++\ntitle = \"Incident {i}: customer records\"\ndiscovered = {}\nseverity = \"high\"\ndata_types = [\"name\", \"email\", \"postal_address\"]\njurisdictions = [\"uk\"]\n+++\n\n",
            iso(discovered)
        );
        for h in [
            "What happened",
            "What information was involved",
            "What we are doing",
            "What you can do",
            "For more information",
        ] {
            let _ = write!(text, "## {h}\n\n");
            prose(i, &mut text);
        }
        w(&format!("content/incidents/incident-{i}/_index.md"), &text);
        for u in 0..per {
            if n == updates {
                break;
            }
            let at = discovered + (u as i64 + 1) * 3 * 3600;
            let status = STATUSES[(u * STATUSES.len() / per).min(STATUSES.len() - 1)];
            let mut text = format!(
                "+++\ntitle = \"Update {u} on incident {i}\"\nat = {}\nstatus = \"{status}\"\nsummary = \"{}\"\n+++\n\n",
                iso(at),
                shape.summary(n)
            );
            shape.body(n, &mut text);
            w(&format!("content/incidents/incident-{i}/u{u:03}.md"), &text);
            n += 1;
        }
    }
    for q in 0..(updates / 10).max(1) {
        let mut text = format!(
            "+++\nquestion = \"Question number {q}?\"\ncategory = \"Topic {}\"\nweight = {q}\n+++\n\n",
            q % 5
        );
        shape.body(q, &mut text);
        w(&format!("content/faq/q{q}.md"), &text);
    }
    for g in 0..10 {
        let mut text = format!(
            "+++\ntitle = \"Guidance {g}\"\nregion = \"uk\"\ndata_types = [\"email\"]\nsource = [\"https://www.ncsc.gov.uk/\"]\nlast_verified = 2026-11-16\n+++\n\n"
        );
        prose(g, &mut text);
        w(&format!("content/guidance/g{g}.md"), &text);
    }
    w(
        "content/pages/verify.md",
        "+++\ntitle = \"How to check a message is really from us\"\n+++\n\nWe only email from help@bench.example.\n",
    );
}

/// The same prose as a Hugo site with hand-written layouts of similar work:
/// a page per update with its incident's navigation, an incident page with
/// every update, an FAQ page, a home page with the latest updates, RSS and
/// the sitemap (Hugo's defaults).
pub fn generate_hugo(dir: &Path, updates: usize, shape: Shape) {
    let w = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "hugo.toml",
        "baseURL = \"https://status.bench.example/\"\ntitle = \"Bench Ltd: security incidents\"\nlanguageCode = \"en-gb\"\ntimeZone = \"Europe/London\"\ndisableKinds = [\"taxonomy\", \"term\"]\nbuildFuture = true\n[markup.highlight]\nnoClasses = false\n",
    );
    w(
        "layouts/_default/baseof.html",
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><header><a href=\"/\">Bench Ltd</a> <a href=\"/faq/\">FAQ</a></header><main>{{ block \"main\" . }}{{ end }}</main><footer>Call 0808 157 0000</footer></body></html>",
    );
    w(
        "layouts/_default/single.html",
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p><time datetime=\"{{ .Date.Format \"2006-01-02T15:04:05Z07:00\" }}\">{{ .Date.Format \"2 January 2006, 15:04 MST\" }}</time> {{ .Params.status }}</p><p>{{ .Description }}</p>{{ .Content }}</article><p><a href=\"{{ .Parent.RelPermalink }}\">{{ .Parent.Title }}</a></p>{{ end }}",
    );
    w(
        "layouts/_default/list.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ range .Pages.ByDate.Reverse }}<article id=\"{{ .File.ContentBaseName }}\"><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2><p>{{ .Params.status }} <time>{{ .Date.Format \"2 January 2006, 15:04 MST\" }}</time></p>{{ .Content }}</article>{{ end }}{{ end }}",
    );
    w(
        "layouts/index.html",
        "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1>{{ range first 10 (where .Site.RegularPages \"Section\" \"incidents\").ByDate.Reverse }}<p><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2 January 2006, 15:04 MST\" }}</p>{{ end }}{{ end }}",
    );
    w("static/style.css", "body { font-family: sans-serif; }\n");
    w(
        "content/_index.md",
        "---\ntitle: Bench Ltd\n---\nWhat happened, and what you can do.\n",
    );
    let incidents = shape.incidents(updates);
    let per = shape.per_incident(updates);
    let day = 86_400i64;
    let base = 1_750_000_000i64;
    let mut n = 0;
    w(
        "content/incidents/_index.md",
        "---\ntitle: Incidents\n---\n",
    );
    for i in 0..incidents {
        let discovered = base + i as i64 * 2 * day;
        let mut text = format!(
            "---\ntitle: \"Incident {i}: customer records\"\ndate: {}\n---\n\n",
            iso(discovered)
        );
        for h in [
            "What happened",
            "What information was involved",
            "What we are doing",
            "What you can do",
            "For more information",
        ] {
            let _ = write!(text, "## {h}\n\n");
            prose(i, &mut text);
        }
        w(&format!("content/incidents/incident-{i}/_index.md"), &text);
        for u in 0..per {
            if n == updates {
                break;
            }
            let at = discovered + (u as i64 + 1) * 3 * 3600;
            let status = STATUSES[(u * STATUSES.len() / per).min(STATUSES.len() - 1)];
            let mut text = format!(
                "---\ntitle: \"Update {u} on incident {i}\"\ndate: {}\nstatus: {status}\ndescription: \"{}\"\n---\n\n",
                iso(at),
                shape.summary(n)
            );
            shape.body(n, &mut text);
            w(&format!("content/incidents/incident-{i}/u{u:03}.md"), &text);
            n += 1;
        }
    }
    w(
        "content/faq/_index.md",
        "---\ntitle: Questions and answers\n---\n",
    );
    for q in 0..(updates / 10).max(1) {
        let mut text = format!(
            "---\ntitle: \"Question number {q}?\"\nweight: {q}\ndate: 2026-11-16T00:00:00Z\n---\n\n"
        );
        shape.body(q, &mut text);
        w(&format!("content/faq/q{q}.md"), &text);
    }
}

fn iso(epoch: i64) -> String {
    jiff::Timestamp::from_second(epoch)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
