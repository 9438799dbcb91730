//! The rules judged on the whole site: placeholders, links, images'
//! alternative text, Markdown warnings and security.txt.

use jiff::{SignedDuration, Timestamp};

use super::{Ctx, Rule, Test};
use crate::base::diagnostics::PLACEHOLDER;
use crate::base::output::FileData;
use crate::load::config;
use crate::markdown;
use crate::site::links;

/// Judge a site-wide `rule` and record what it finds.
pub(super) fn apply(ctx: &mut Ctx<'_>, regime: &str, rule: &Rule) {
    match &rule.test {
        Test::Placeholders => {
            // The build found them all (bodies, front matter, site.toml) and
            // let them through for check to report.
            let hits: Vec<(String, usize, String)> = ctx
                .compiled
                .diagnostics
                .iter()
                .filter(|d| d.code == Some(PLACEHOLDER))
                .map(|d| (d.file.clone(), d.line, d.message.clone()))
                .collect();
            for (file, line, what) in hits {
                ctx.push(regime, rule, &file, line, None, Some(what));
            }
        }
        Test::Links | Test::AltText | Test::MarkdownWarnings => {
            let base_path = ctx.compiled.config.base_path.clone();
            let mut pushes = Vec::new();
            for s in &ctx.sources {
                let mut warnings = Vec::new();
                let rendered = markdown::render(s.body, &base_path, &mut warnings);
                match &rule.test {
                    Test::MarkdownWarnings => {
                        for w in warnings {
                            pushes.push((s.body.file.clone(), w.line, Some(w.message)));
                        }
                    }
                    Test::AltText => {
                        for l in rendered
                            .links
                            .iter()
                            .filter(|l| l.is_image && l.alt.trim().is_empty())
                        {
                            pushes.push((s.body.file.clone(), l.line, Some(l.url.clone())));
                        }
                    }
                    _ => {
                        let read = |_: &str, d: &FileData| d.to_vec();
                        let anchors = links::Anchors::new(&read);
                        for l in rendered.links.iter().filter(|l| !l.is_image) {
                            if let Some(why) = links::broken(
                                &ctx.compiled.files,
                                &anchors,
                                &ctx.compiled.config,
                                &s.page,
                                &l.url,
                            ) {
                                pushes.push((
                                    s.body.file.clone(),
                                    l.line,
                                    Some(format!("{}: {why}", l.url)),
                                ));
                            }
                        }
                    }
                }
            }
            for (file, line, detail) in pushes {
                ctx.push(regime, rule, &file, line, None, detail);
            }
        }
        Test::Findable => {
            for (file, detail) in hidden_from_search(&ctx.compiled.files) {
                ctx.push(regime, rule, &file, 0, None, Some(detail));
            }
        }
        Test::SecurityTxt => {
            let Some(s) = &ctx.compiled.config.security_txt else {
                return;
            };
            if let Ok(expires) = s.expires.parse::<Timestamp>() {
                let ahead = expires.duration_since(ctx.now);
                if expires <= ctx.now || ahead > SignedDuration::from_hours(24 * 366) {
                    ctx.push(
                        regime,
                        rule,
                        config::FILE,
                        0,
                        None,
                        Some(format!("expires = {}", s.expires)),
                    );
                }
            }
        }
        _ => {}
    }
}

/// What keeps the built site out of search engines: a robots meta tag or
/// header asking not to index, or robots.txt disallowing everything.
fn hidden_from_search(files: &crate::base::output::Files) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, data) in files {
        let relevant = path.ends_with(".html") || path == "robots.txt" || path == "_headers";
        // A static file (the site's own robots.txt, say) is read from its source.
        let bytes = match data {
            _ if !relevant => continue,
            crate::base::output::FileData::Copy(source) => std::fs::read(source).ok(),
            data => data.to_vec(),
        };
        let Some(bytes) = bytes else { continue };
        let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
        if path.ends_with(".html") && !path.ends_with("404.html") {
            let meta = text.match_indices("<meta").any(|(i, _)| {
                let tag = &text[i..text[i..].find('>').map_or(text.len(), |e| i + e)];
                (tag.contains("name=\"robots\"") || tag.contains("name=\"googlebot\""))
                    && tag.contains("noindex")
            });
            if meta {
                found.push((
                    format!("public/{path}"),
                    "a robots meta tag says noindex (from a template)".to_string(),
                ));
            }
        } else if path == "robots.txt" {
            let disallows_all = text
                .lines()
                .any(|l| l.split('#').next().unwrap_or("").trim() == "disallow: /");
            if disallows_all {
                found.push((
                    "public/robots.txt".to_string(),
                    "robots.txt disallows every page".to_string(),
                ));
            }
        } else if path == "_headers" && text.contains("x-robots-tag") && text.contains("noindex") {
            found.push((
                "public/_headers".to_string(),
                "an X-Robots-Tag header says noindex".to_string(),
            ));
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.1 == b.1 && a.1.starts_with("a robots meta"));
    found
}
