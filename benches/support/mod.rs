//! Generates sites of any size with the real content model, for benchmarks:
//! several incidents of about 20 updates each, N/10 FAQ entries, guidance and
//! pages, with lists, tables, links and some code blocks in the prose.
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

/// Write a site with `updates` updates (and updates/10 FAQ entries) into `dir`.
pub fn generate_site(dir: &Path, updates: usize) {
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
    let incidents = updates.div_ceil(20).max(1);
    let day = 86_400i64;
    let base = 1_750_000_000i64; // June 2025
    let mut n = 0;
    for i in 0..incidents {
        let discovered = base + i as i64 * 30 * day;
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
        for u in 0..20 {
            if n == updates {
                break;
            }
            let at = discovered + (u as i64 + 1) * 3 * 3600;
            let status = STATUSES[(u * STATUSES.len() / 20).min(STATUSES.len() - 1)];
            let mut text = format!(
                "+++\ntitle = \"Update {u} on incident {i}\"\nat = {}\nstatus = \"{status}\"\nsummary = \"What changed since the last update, in one sentence.\"\n+++\n\n",
                iso(at)
            );
            prose(n, &mut text);
            w(&format!("content/incidents/incident-{i}/u{u:02}.md"), &text);
            n += 1;
        }
    }
    for q in 0..(updates / 10).max(1) {
        let mut text = format!(
            "+++\nquestion = \"Question number {q}?\"\ncategory = \"Topic {}\"\nweight = {q}\n+++\n\n",
            q % 5
        );
        prose(q, &mut text);
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
