//! The rules judged on the whole site: placeholders, links, images'
//! alternative text, Markdown warnings and security.txt.

use jiff::{SignedDuration, Timestamp};

use super::{Ctx, Rule, Test};
use crate::base::diagnostics::PLACEHOLDER;
use crate::base::output::Files;
use crate::load::config::{self, Config};
use crate::markdown;

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
                        for l in rendered.links.iter().filter(|l| !l.is_image) {
                            if let Some(why) =
                                broken(&ctx.compiled.files, &ctx.compiled.config, &s.page, &l.url)
                            {
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

/// Why an internal link is broken, if it is.
fn broken(files: &Files, config: &Config, page: &str, url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("//")
    {
        return None;
    }
    let (path, fragment) = url
        .split_once('#')
        .map_or((url, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        // Relative to the page's folder.
        let mut parts: Vec<&str> = page
            .trim_end_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for seg in path.split('/') {
            match seg {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        let mut t = parts.join("/");
        if path.ends_with('/') {
            t.push('/');
        }
        t
    };
    // Root-relative links already carry the base path; site files do not.
    let target = target
        .strip_prefix(config.base_path.trim_start_matches('/'))
        .unwrap_or(&target)
        .to_string();
    let key = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else if files.contains_key(&target) {
        target.clone()
    } else {
        format!("{target}/index.html")
    };
    match files.get(&key).map(|f| f.bytes()) {
        None => Some("no such page".to_string()),
        Some(None) => None,
        Some(Some(html)) => match fragment.filter(|f| !f.is_empty()) {
            Some(f) => {
                let html = String::from_utf8_lossy(html);
                (!html.contains(&format!(" id=\"{f}\""))).then(|| format!("no #{f} on that page"))
            }
            None => None,
        },
    }
}
