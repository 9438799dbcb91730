//! Every link in every channel leads somewhere real: pages, feeds,
//! status.json, the sitemap, emails (HTML, text and .eml), the letter and
//! the social posts, resolved against the site that was built, with and
//! without a path in `base_url`.

use std::collections::BTreeMap;

use mail_parser::MessageParser;

use crate::common::Site;

/// Every URL a file holds: `href`/`src` attributes, and absolute URLs in text.
fn urls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in text.match_indices(attr) {
            let rest = &text[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap_or(rest.len())].replace("&amp;", "&"));
        }
    }
    for scheme in ["https://", "http://"] {
        for (i, _) in text.match_indices(scheme) {
            let rest = &text[i..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "\"<>)]'\\,".contains(c))
                .unwrap_or(rest.len());
            out.push(rest[..end].trim_end_matches(['.', ':', ';']).to_string());
        }
    }
    out
}

/// The text of a built file as a reader gets it (an .eml is decoded).
fn readable(path: &str, bytes: &[u8]) -> String {
    if path.ends_with(".eml") {
        let msg = MessageParser::default()
            .parse(bytes)
            .expect("the .eml parses");
        let mut t = msg.body_text(0).unwrap_or_default().into_owned();
        t.push_str(&msg.body_html(0).unwrap_or_default());
        t
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Why a URL found in `file` leads nowhere on the built site, if it does.
fn broken(
    url: &str,
    file: &str,
    origin: &str,
    base: &str,
    public: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let site_path = if let Some(rest) = url.strip_prefix(origin) {
        if !rest.starts_with(base) && !rest.is_empty() {
            return Some(format!("{url} is on the site's host but outside {base}"));
        }
        rest.to_string()
    } else if url.starts_with('/') && !url.starts_with("//") {
        url.to_string()
    } else if url.contains(':') || url.starts_with('#') || url.starts_with("//") {
        // Another site, mailto:, tel:, or an anchor on the same page.
        return None;
    } else {
        return Some(format!("{url} in {file} is relative"));
    };
    let (path, fragment) = site_path.split_once('#').unwrap_or((&site_path, ""));
    let Some(inner) = path
        .strip_prefix(base)
        .or_else(|| (path.to_string() + "/").strip_prefix(base).map(|_| ""))
    else {
        return Some(format!("{url} in {file} is outside the base path {base}"));
    };
    let inner = inner.to_string();
    let key = if inner.is_empty() || inner.ends_with('/') {
        format!("{inner}index.html")
    } else if public.contains_key(&inner) {
        inner.clone()
    } else {
        format!("{inner}/index.html")
    };
    let Some(page) = public.get(&key) else {
        return Some(format!("{url} in {file}: no {key}"));
    };
    if !fragment.is_empty()
        && !String::from_utf8_lossy(page).contains(&format!("id=\"{fragment}\""))
    {
        return Some(format!("{url} in {file}: no #{fragment} on {key}"));
    }
    None
}

fn check_links(site: &Site, origin: &str, base: &str) -> usize {
    let public: BTreeMap<String, Vec<u8>> = site.snapshot("public").into_iter().collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    let files = public
        .iter()
        .map(|(p, b)| (format!("public/{p}"), b.clone()))
        .chain(
            site.snapshot("notices")
                .into_iter()
                .map(|(p, b)| (format!("notices/{p}"), b)),
        );
    for (path, bytes) in files {
        if [".css", ".js", ".png", ".svg", ".ico", ".woff2"]
            .iter()
            .any(|e| path.ends_with(e))
        {
            continue;
        }
        for url in urls(&readable(&path, &bytes)) {
            checked += 1;
            if let Some(why) = broken(&url, &path, origin, base, &public) {
                problems.push(why);
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
    checked
}

#[test]
fn every_link_in_every_channel_resolves() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let n = check_links(&site, "https://status.northbridge-repairs.example", "/");
    assert!(n > 500, "only {n} links checked");
}

/// Regression: with a path in `base_url`, email HTML links had the path
/// twice (`/incident/incident/verify/`).
#[test]
fn every_link_resolves_with_a_path_in_base_url() {
    let site = Site::example();
    site.build(&["--base-url", "https://example.org/incident/"])
        .assert_ok();
    let n = check_links(&site, "https://example.org", "/incident/");
    assert!(n > 500, "only {n} links checked");
    let email =
        std::fs::read_to_string(site.path("notices/customer-database-2026/email.html")).unwrap();
    assert!(
        email.contains("https://example.org/incident/verify/"),
        "{email}"
    );
    assert!(!email.contains("/incident/incident/"));
}
