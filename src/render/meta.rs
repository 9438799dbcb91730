//! What machines read besides feeds and status.json: the sitemap,
//! robots.txt, security.txt (RFC 9116), the optional `_headers` file for
//! Netlify and Cloudflare Pages, and JSON-LD for search engines.

use jiff::{SignedDuration, Timestamp};
use quick_xml::Writer;
use quick_xml::events::BytesText;
use serde_json::json;

use crate::base::diagnostics::Diagnostic;
use crate::base::text::script_safe_json;
use crate::load::config::Config;
use crate::model::Model;

/// The Content-Security-Policy of the default theme: same-origin only.
/// (`frame-ancestors` only works as a header, not in a meta tag.)
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

/// `sitemap.xml`: every published page, with lastmod where content says when
/// it last changed.
pub fn sitemap(config: &Config, model: &Model) -> Vec<u8> {
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    let newest = model
        .updates
        .iter()
        .filter(|u| !u.draft && !u.scheduled)
        .map(|u| &u.updated)
        .max_by_key(|t| t.epoch);
    urls.push((config.permalink(""), newest.map(|t| t.iso.clone())));
    for inc in model.incidents.iter().filter(|i| !i.draft) {
        urls.push((inc.permalink.clone(), Some(inc.last_updated.iso.clone())));
        for a in &inc.audiences {
            urls.push((a.permalink.clone(), Some(inc.last_updated.iso.clone())));
        }
        for u in inc.updates.iter().filter(|u| !u.draft && !u.scheduled) {
            urls.push((u.permalink.clone(), Some(u.updated.iso.clone())));
        }
    }
    let faq_updated = model
        .faq
        .iter()
        .filter_map(|f| f.updated.as_ref())
        .max_by_key(|t| t.epoch);
    urls.push((config.permalink("faq/"), faq_updated.map(|t| t.iso.clone())));
    urls.push((config.permalink("guidance/"), None));
    if model.lookup {
        urls.push((config.permalink("affected/"), None));
    }
    for g in model.guidance.iter().filter(|g| !g.draft) {
        urls.push((
            config.permalink(&format!("guidance/{}/", g.slug)),
            g.last_verified_iso.clone(),
        ));
    }
    for p in model.pages.iter().filter(|p| !p.draft) {
        urls.push((config.permalink(&format!("{}/", p.slug)), None));
    }

    // A site in several languages lists each page in each, and says
    // which pages are the same page (`xhtml:link`, as search engines read it).
    let home = config.permalink("");
    let languages: Vec<(&str, String)> = config
        .alternates
        .iter()
        .map(|a| {
            let root = format!("{}{}{}", config.origin(), config.root_path, a.prefix);
            (a.lang.as_str(), root)
        })
        .collect();
    let versions = |loc: &str| -> Vec<(&str, String)> {
        let rel = loc.strip_prefix(home.as_str()).unwrap_or(loc);
        languages
            .iter()
            .map(|(lang, root)| (*lang, format!("{root}{rel}")))
            .collect()
    };
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = w.write_event(quick_xml::events::Event::Decl(
        quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None),
    ));
    let mut urlset = w
        .create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"));
    if !languages.is_empty() {
        urlset = urlset.with_attribute(("xmlns:xhtml", "http://www.w3.org/1999/xhtml"));
    }
    let _ = urlset.write_inner_content(|w| {
        for (loc, lastmod) in &urls {
            let all = versions(loc);
            let each: Vec<&str> = match all.is_empty() {
                true => vec![loc.as_str()],
                false => all.iter().map(|(_, l)| l.as_str()).collect(),
            };
            for one in each {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(one))?;
                    if let Some(m) = lastmod {
                        w.create_element("lastmod")
                            .write_text_content(BytesText::new(m))?;
                    }
                    for (lang, href) in &all {
                        w.create_element("xhtml:link")
                            .with_attribute(("rel", "alternate"))
                            .with_attribute(("hreflang", *lang))
                            .with_attribute(("href", href.as_str()))
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(())
    });
    let mut out = w.into_inner();
    out.push(b'\n');
    out
}

pub fn robots(config: &Config) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink("sitemap.xml")
    )
    .into_bytes()
}

/// `.well-known/security.txt`, with warnings when `Expires` is past or more
/// than a year away (RFC 9116 section 2.5.5).
pub fn security_txt(
    config: &Config,
    now: Timestamp,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<u8>> {
    let s = config.security_txt.as_ref()?;
    let mut out = String::new();
    for c in &s.contact {
        out.push_str(&format!("Contact: {c}\n"));
    }
    out.push_str(&format!("Expires: {}\n", s.expires));
    if let Some(l) = &s.preferred_languages {
        out.push_str(&format!("Preferred-Languages: {l}\n"));
    }
    if let Some(p) = &s.policy {
        out.push_str(&format!("Policy: {p}\n"));
    }
    out.push_str(&format!(
        "Canonical: {}\n",
        config.permalink(".well-known/security.txt")
    ));
    if let Ok(expires) = s.expires.parse::<Timestamp>() {
        if expires <= now {
            diags.push(
                Diagnostic::warning(crate::load::config::FILE, format!("[security_txt] expires = {} has passed", s.expires))
                    .with_hint("set `expires` to a date within the next year; researchers ignore an expired security.txt"),
            );
        } else if expires.duration_since(now) > SignedDuration::from_hours(24 * 366) {
            diags.push(
                Diagnostic::warning(crate::load::config::FILE, format!("[security_txt] expires = {} is more than a year away", s.expires))
                    .with_hint("RFC 9116 advises an expiry less than a year ahead, so the file is kept current"),
            );
        }
    }
    Some(out.into_bytes())
}

/// Which files a header rule is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// Every file.
    All,
    /// Files ending in this extension.
    Ext(&'static str),
    /// One file, by its path in the site.
    Exact(&'static str),
}

/// Headers for some files: the one table `_headers` and every server's
/// configuration are written from, so they cannot drift apart.
pub struct HeaderRule {
    pub files: Files,
    pub headers: Vec<(&'static str, String)>,
}

/// Security headers on everything, and caching that lets an update show up
/// within a minute while style sheets and scripts are kept an hour.
pub fn header_rules() -> Vec<HeaderRule> {
    let minute = "public, max-age=60, must-revalidate".to_string();
    let hour = "public, max-age=3600".to_string();
    vec![
        HeaderRule {
            files: Files::All,
            headers: vec![
                (
                    "Content-Security-Policy",
                    format!("{CSP}; frame-ancestors 'none'"),
                ),
                ("X-Content-Type-Options", "nosniff".into()),
                ("Referrer-Policy", "strict-origin-when-cross-origin".into()),
                (
                    "Permissions-Policy",
                    "camera=(), microphone=(), geolocation=(), interest-cohort=()".into(),
                ),
                ("Cache-Control", minute.clone()),
            ],
        },
        HeaderRule {
            files: Files::Ext("css"),
            headers: vec![("Cache-Control", hour.clone())],
        },
        HeaderRule {
            files: Files::Ext("js"),
            headers: vec![("Cache-Control", hour)],
        },
        HeaderRule {
            files: Files::Exact("status.json"),
            headers: vec![
                ("Cache-Control", minute),
                ("Access-Control-Allow-Origin", "*".into()),
            ],
        },
        HeaderRule {
            files: Files::Exact(".well-known/security.txt"),
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
        },
        // The published record: readable in a browser, fetchable by
        // anyone's checker, never cached for long.
        HeaderRule {
            files: Files::Exact(crate::record::chain::FILE),
            headers: vec![
                ("Content-Type", "text/plain; charset=utf-8".into()),
                ("Access-Control-Allow-Origin", "*".into()),
            ],
        },
    ]
}

/// `_headers` (Netlify, Cloudflare Pages): each rule's files and headers;
/// those hosts add up the headers of every rule that matches.
pub fn headers_file(config: &Config) -> Vec<u8> {
    let p = &config.base_path;
    let mut out = String::from(
        "# Written by candor. Read by Netlify and Cloudflare Pages; other hosts ignore it.\n",
    );
    for rule in header_rules() {
        match rule.files {
            Files::All => out.push_str(&format!("{p}*\n")),
            Files::Ext(e) => out.push_str(&format!("{p}*.{e}\n")),
            Files::Exact(f) => out.push_str(&format!("{p}{f}\n")),
        }
        for (name, value) in &rule.headers {
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    out.into_bytes()
}

/// The headers one kind of file gets: every rule that matches, later
/// rules replacing a header an earlier one set (what `_headers` means,
/// written out for servers whose rules replace rather than add up).
fn headers_for(files: Files) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for rule in header_rules() {
        if rule.files == Files::All || rule.files == files {
            for (name, value) in rule.headers {
                match out.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = value,
                    None => out.push((name, value)),
                }
            }
        }
    }
    out
}

/// A web server or host candor writes a configuration for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Nginx,
    Caddy,
    Apache,
    /// An S3-style bucket: a script that uploads with each kind of file's
    /// cache time and content type.
    S3,
    /// GitHub Pages: a workflow that builds and publishes on each push.
    GithubPages,
}

/// The configuration that serves the built site from `root` with the same
/// headers as `_headers`, the site's 404 page and the right content types.
pub fn server_config(config: &Config, server: Server, root: &str, listen: &str) -> String {
    let specific: Vec<Files> = header_rules()
        .into_iter()
        .map(|r| r.files)
        .filter(|f| *f != Files::All)
        .collect();
    let site = Served {
        specific: &specific,
        host: crate::base::text::host_of(&config.base_url),
        p: &config.base_path,
        root,
        listen,
    };
    match server {
        Server::Nginx => nginx(&site),
        Server::Caddy => caddy(&site),
        Server::Apache => apache(&site),
        Server::S3 => s3_script(),
        Server::GithubPages => GITHUB_PAGES.to_string(),
    }
}

/// `.github/workflows/publish.yml`: build with candor and publish to
/// GitHub Pages on every push to main. GitHub Pages sets its own headers
/// (a 10-minute cache, no Content-Security-Policy): the theme's meta tag
/// carries the policy.
pub const GITHUB_PAGES: &str = r#"# Written by candor (`candor hosting github-pages`): build the status site
# and publish it to GitHub Pages on every push to main. In the repository's
# settings, under Pages, choose "GitHub Actions" as the source.
#
# GitHub Pages sets its own headers: pages are cached for up to 10 minutes,
# and there is no Content-Security-Policy header (the theme's meta tag
# carries the policy). For a one-minute cache, use another host.
name: Publish the status site
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  publish:
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: actions/checkout@v4
      - name: Install candor
        run: cargo install candor --locked
      # --locked: the published record (record.jsonl) must be committed
      # with the content, so nothing said is changed without a trace.
      - name: Build
        run: candor build --locked
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

/// A script that uploads `public/` to an S3-style bucket with the cache
/// times and content types of `_headers`. Buckets do not send security
/// headers: a CDN in front (CloudFront's response headers policy) must.
pub fn s3_script() -> String {
    let mut out = String::from(
        "#!/bin/sh\n\
# Written by candor (`candor hosting s3`): upload the built site to an S3 bucket\n\
# (or any store the aws command reaches with --endpoint-url), each kind of file\n\
# with the cache time and content type of _headers, so an update is seen within\n\
# a minute. Run it from the site's folder after `candor build`:\n\
#   sh publish-s3.sh BUCKET\n\
# A bucket sends no security headers: put a CDN in front and give it these\n\
# (CloudFront: a response headers policy):\n",
    );
    for (name, value) in headers_for(Files::All) {
        if name != "Cache-Control" {
            out.push_str(&format!("#   {name}: {value}\n"));
        }
    }
    out.push_str("set -eu\nbucket=\"${1:?usage: sh publish-s3.sh BUCKET}\"\n");
    let cache = |files: Files| {
        headers_for(files)
            .into_iter()
            .find(|(n, _)| *n == "Cache-Control")
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    let specific: Vec<Files> = header_rules()
        .into_iter()
        .map(|r| r.files)
        .filter(|f| *f != Files::All)
        .collect();
    let mut excludes = String::new();
    for f in &specific {
        match f {
            Files::Ext(e) => excludes.push_str(&format!(" --exclude '*.{e}'")),
            Files::Exact(p) => excludes.push_str(&format!(" --exclude '{p}'")),
            Files::All => {}
        }
    }
    out.push_str(&format!(
        "aws s3 sync public/ \"s3://$bucket/\" --delete{excludes} --cache-control \"{}\"\n",
        cache(Files::All)
    ));
    for f in &specific {
        let headers = headers_for(*f);
        let kind = headers
            .iter()
            .find(|(n, _)| *n == "Content-Type")
            .map(|(_, v)| format!(" --content-type \"{v}\""))
            .unwrap_or_default();
        match f {
            Files::Ext(e) => out.push_str(&format!(
                "aws s3 sync public/ \"s3://$bucket/\" --exclude '*' --include '*.{e}' --cache-control \"{}\"{kind}\n",
                cache(*f)
            )),
            Files::Exact(p) => out.push_str(&format!(
                "[ ! -f 'public/{p}' ] || aws s3 cp 'public/{p}' \"s3://$bucket/{p}\" --cache-control \"{}\"{kind}\n",
                cache(*f)
            )),
            Files::All => {}
        }
    }
    out.push_str("echo \"Published public/ to s3://$bucket/\"\n");
    out
}

/// What every server's configuration is written from.
#[derive(Clone, Copy)]
struct Served<'a> {
    /// The rules for some files, beside the one for every file.
    specific: &'a [Files],
    host: &'a str,
    /// The base path.
    p: &'a str,
    root: &'a str,
    listen: &'a str,
}

/// A header value inside double quotes in a server's configuration.
fn quoted(v: &str) -> String {
    v.replace('"', "\\\"")
}

fn nginx(site: &Served<'_>) -> String {
    let Served {
        specific,
        host,
        p,
        root,
        listen,
    } = *site;
    // nginx sets Content-Type from the file's type: a rule's own type is
    // given as the location's type, not added as a second header.
    let add = |files: Files| {
        headers_for(files)
            .iter()
            .map(|(n, v)| match *n {
                "Content-Type" => format!(
                    "        types {{ }}\n        default_type \"{}\";\n",
                    quoted(v.split(';').next().unwrap_or(v))
                ),
                _ => format!("        add_header {n} \"{}\" always;\n", quoted(v)),
            })
            .collect::<String>()
    };
    let mut out = format!(
        "# Written by candor: the site's security and cache headers for nginx.\n\
         # Include it in the http block (after mime.types) and reload nginx.\n\
         server {{\n    listen {listen};\n    server_name {host};\n    root {root};\n    charset utf-8;\n    \
         charset_types text/css text/plain text/xml application/json application/atom+xml;\n    \
         error_page 404 {p}404.html;\n    # add_header in a location replaces the server's, so each\n    # location carries the whole set.\n    \
         location ~ /feed\\.xml$ {{\n        types {{ }}\n        default_type application/atom+xml;\n{}    }}\n",
        add(Files::All)
    );
    for files in specific {
        let location = match files {
            Files::Ext(e) => format!("~* \\.{e}$"),
            Files::Exact(f) => format!("= {p}{f}"),
            Files::All => unreachable!("filtered out"),
        };
        out.push_str(&format!(
            "    location {location} {{\n{}    }}\n",
            add(*files)
        ));
    }
    out.push_str(&format!(
        "    location {p} {{\n        try_files $uri $uri/ $uri/index.html =404;\n{}    }}\n}}\n",
        add(Files::All)
    ));
    out
}

fn caddy(site: &Served<'_>) -> String {
    let Served {
        specific,
        host,
        p,
        root,
        listen,
    } = *site;
    let mut out = format!(
        "# Written by candor: the site's security and cache headers for Caddy.\n{host}{} {{\n    root * {root}\n    file_server\n    handle_errors {{\n        rewrite * {p}404.html\n        file_server\n    }}\n",
        if listen == "80" {
            String::new()
        } else {
            format!(":{}", listen.rsplit(':').next().unwrap_or(listen))
        }
    );
    for (i, files) in std::iter::once(Files::All)
        .chain(specific.iter().copied())
        .enumerate()
    {
        let matcher = if files == Files::All {
            String::new()
        } else {
            format!(" @m{i}")
        };
        match files {
            Files::Ext(e) => out.push_str(&format!("    @m{i} path *.{e}\n")),
            Files::Exact(f) => out.push_str(&format!("    @m{i} path {p}{f}\n")),
            Files::All => {}
        }
        let headers = if files == Files::All {
            headers_for(Files::All)
        } else {
            header_rules()
                .into_iter()
                .find(|r| r.files == files)
                .map(|r| r.headers)
                .unwrap_or_default()
        };
        out.push_str(&format!("    header{matcher} {{\n"));
        for (n, v) in headers {
            out.push_str(&format!("        {n} \"{}\"\n", quoted(&v)));
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n");
    out
}

fn apache(site: &Served<'_>) -> String {
    let Served { specific, p, .. } = *site;
    let mut out = String::from(
        "# Written by candor: the site's security and cache headers for Apache (mod_headers).\n\
         # Put it in the site's folder as .htaccess, or in its <Directory> block.\n",
    );
    out.push_str(&format!("ErrorDocument 404 {p}404.html\nAddType application/atom+xml .xml\nAddType application/json .json\nAddDefaultCharset utf-8\n"));
    for (n, v) in headers_for(Files::All) {
        out.push_str(&format!("Header always set {n} \"{}\"\n", quoted(&v)));
    }
    for files in specific {
        let open = match files {
            Files::Ext(e) => format!("<FilesMatch \"\\.{e}$\">"),
            Files::Exact(f) => format!("<If \"%{{REQUEST_URI}} == '{p}{f}'\">"),
            Files::All => unreachable!("filtered out"),
        };
        let close = if open.starts_with("<If") {
            "</If>"
        } else {
            "</FilesMatch>"
        };
        out.push_str(&format!("{open}\n"));
        for (n, v) in header_rules()
            .into_iter()
            .find(|r| r.files == *files)
            .map(|r| r.headers)
            .unwrap_or_default()
        {
            out.push_str(&format!("    Header always set {n} \"{}\"\n", quoted(&v)));
        }
        out.push_str(&format!("{close}\n"));
    }
    out
}

/// JSON-LD for the home page: the organisation and the web site.
pub fn home_jsonld(config: &Config) -> String {
    let mut contact = serde_json::Map::new();
    contact.insert("@type".into(), json!("ContactPoint"));
    contact.insert("contactType".into(), json!("customer support"));
    if let Some(p) = &config.contact.phone {
        contact.insert("telephone".into(), json!(p));
    }
    if let Some(e) = &config.contact.email {
        contact.insert("email".into(), json!(e));
    }
    let mut org = json!({
        "@type": "Organization",
        "name": config.organisation.name,
        "contactPoint": contact,
    });
    if let Some(w) = &config.organisation.website {
        org["url"] = json!(w);
    }
    script_safe_json(&json!({
        "@context": "https://schema.org",
        "@graph": [
            org,
            { "@type": "WebSite", "name": config.title, "url": config.permalink("") },
        ],
    }))
}

/// JSON-LD for the FAQ page.
pub fn faq_jsonld(model: &Model) -> String {
    let questions: Vec<serde_json::Value> = model
        .faq
        .iter()
        .filter(|f| !f.draft)
        .map(|f| {
            json!({
                "@type": "Question",
                "name": f.question,
                "acceptedAnswer": { "@type": "Answer", "text": f.content.trim() },
            })
        })
        .collect();
    script_safe_json(
        &json!({ "@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `_headers` is written from the rules exactly as it was written by hand.
    #[test]
    fn headers_file_is_unchanged() {
        let mut diags = Vec::new();
        let config = crate::load::config::load(
            "title = \"T\"\nbase_url = \"https://example.org/x/\"\ntimezone = \"UTC\"\n[organisation]\nname = \"O\"\n".into(),
            &mut diags,
        )
        .unwrap();
        let p = "/x/";
        let expected = format!(
            "# Written by candor. Read by Netlify and Cloudflare Pages; other hosts ignore it.\n\
             {p}*\n  Content-Security-Policy: {CSP}; frame-ancestors 'none'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n  Cache-Control: public, max-age=60, must-revalidate\n\
             {p}*.css\n  Cache-Control: public, max-age=3600\n\
             {p}*.js\n  Cache-Control: public, max-age=3600\n\
             {p}status.json\n  Cache-Control: public, max-age=60, must-revalidate\n  Access-Control-Allow-Origin: *\n\
             {p}.well-known/security.txt\n  Content-Type: text/plain; charset=utf-8\n\
             {p}record.jsonl\n  Content-Type: text/plain; charset=utf-8\n  Access-Control-Allow-Origin: *\n"
        );
        assert_eq!(String::from_utf8(headers_file(&config)).unwrap(), expected);
        let nginx = server_config(&config, Server::Nginx, "/srv/site", "80");
        assert_eq!(
            nginx.matches("Content-Security-Policy").count(),
            7,
            "every location carries the set:\n{nginx}"
        );
        let caddy = server_config(&config, Server::Caddy, "/srv/site", "80");
        assert!(
            caddy.contains("    header {\n        Content-Security-Policy \"default-src"),
            "{caddy}"
        );
        assert!(caddy.contains("@m3 path /x/status.json"), "{caddy}");
        let record = nginx
            .split("location = /x/record.jsonl {")
            .nth(1)
            .unwrap_or("");
        let record = record.split("    }").next().unwrap_or("");
        assert!(record.contains("default_type \"text/plain\";"), "{nginx}");
        assert!(!nginx.contains("add_header Content-Type"), "{nginx}");
        let apache = server_config(&config, Server::Apache, "/srv/site", "80");
        assert!(
            apache.contains("Header always set Content-Security-Policy \"default-src"),
            "{apache}"
        );
        assert!(apache.contains("ErrorDocument 404 /x/404.html"), "{apache}");
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let s = script_safe_json(&json!({ "name": "</script><script>alert(1)</script> & \"x\"" }));
        assert!(!s.contains("</script>"));
        assert!(!s.contains('<'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & \"x\"");
    }
}
