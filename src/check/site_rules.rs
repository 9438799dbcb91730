//! The rules judged on the whole site: placeholders, links, images'
//! alternative text, Markdown warnings and security.txt.

use jiff::{SignedDuration, Timestamp};

use super::{Ctx, Rule, Test};
use crate::base::diagnostics::PLACEHOLDER;
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
                        for l in rendered.links.iter().filter(|l| !l.is_image) {
                            if let Some(why) = links::broken(
                                &ctx.compiled.files,
                                &|_, d| d.bytes().map(<[u8]>::to_vec),
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
