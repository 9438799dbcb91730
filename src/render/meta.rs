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
    for g in model.guidance.iter().filter(|g| !g.draft) {
        urls.push((
            config.permalink(&format!("guidance/{}/", g.slug)),
            g.last_verified_iso.clone(),
        ));
    }
    for p in model.pages.iter().filter(|p| !p.draft) {
        urls.push((config.permalink(&format!("{}/", p.slug)), None));
    }

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = w.write_event(quick_xml::events::Event::Decl(
        quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None),
    ));
    let _ = w
        .create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            for (loc, lastmod) in &urls {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(loc))?;
                    if let Some(m) = lastmod {
                        w.create_element("lastmod")
                            .write_text_content(BytesText::new(m))?;
                    }
                    Ok(())
                })?;
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

/// `_headers` (Netlify, Cloudflare Pages): security headers and cache rules.
pub fn headers_file(config: &Config) -> Vec<u8> {
    let p = &config.base_path;
    format!(
        "# Written by candor. Read by Netlify and Cloudflare Pages; other hosts ignore it.\n\
         {p}*\n  Content-Security-Policy: {CSP}; frame-ancestors 'none'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n  Cache-Control: public, max-age=60, must-revalidate\n\
         {p}*.css\n  Cache-Control: public, max-age=3600\n\
         {p}*.js\n  Cache-Control: public, max-age=3600\n\
         {p}status.json\n  Cache-Control: public, max-age=60, must-revalidate\n  Access-Control-Allow-Origin: *\n\
         {p}.well-known/security.txt\n  Content-Type: text/plain; charset=utf-8\n"
    )
    .into_bytes()
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

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let s = script_safe_json(&json!({ "name": "</script><script>alert(1)</script> & \"x\"" }));
        assert!(!s.contains("</script>"));
        assert!(!s.contains('<'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & \"x\"");
    }
}
