//! The site in its other languages (`languages = ["cy"]` in site.toml):
//! every page again under `/<language>/`, in that language's interface
//! words and dates, with each item's translation where there is one and
//! the original, marked as such, where there is none; its own feeds; and
//! its own emails, letters and posts under `notices/<language>/`.
//!
//! Files every language shares (style sheets, scripts, status.json, the
//! published record) are made once, by the site's own language.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::base::i18n::{Alternate, Strings};
use crate::base::output::{Emit, Files};
use crate::base::text;
use crate::base::time::Clock;
use crate::load::config::{self, Config};
use crate::load::content::Content;
use crate::load::translate;
use crate::model::{self, Model, RenderedContent, Translations, Visibility};
use crate::record::History;
use crate::render::pages::{self, ViewValues, global_value};
use crate::render::prints::GLOBALS;
use crate::render::{machine, notices, templates};

/// Read `languages` in site.toml: each a language tag, not the site's own,
/// with interface words (shipped, or the site's `i18n/<language>.toml`).
pub fn setup(site: &std::path::Path, config: &mut Config, diags: &mut Vec<Diagnostic>) {
    let own = config.words.clone();
    let mut seen: HashSet<String> = HashSet::new();
    let mut others = Vec::new();
    for lang in config.languages.clone() {
        if !text::is_language_tag(&lang) {
            let mut d = Diagnostic::error(
                config::FILE,
                format!("`{lang}` in `languages` is not a language tag"),
            );
            d.hint = Some(
                match did_you_mean(&lang, crate::load::i18n::SHIPPED.iter().copied()) {
                    Some(s) => format!(
                        "did you mean `{s}`? A tag is a language code such as \"cy\", \"es\" or \"en-US\""
                    ),
                    None => "write a language code such as \"cy\", \"es\" or \"en-US\"".to_string(),
                },
            );
            diags.push(d);
            continue;
        }
        if lang.eq_ignore_ascii_case(&config.language) {
            diags.push(
                Diagnostic::error(
                    config::FILE,
                    format!("`{lang}` is the site's own language, so it cannot also be another"),
                )
                .with_hint("list only the other languages in `languages`"),
            );
            continue;
        }
        if !seen.insert(lang.to_ascii_lowercase()) {
            diags.push(
                Diagnostic::warning(
                    config::FILE,
                    format!("`{lang}` is listed twice in `languages`"),
                )
                .with_hint("list each language once"),
            );
            continue;
        }
        let words = crate::load::i18n::load(site, &config.theme, &lang, diags);
        if !config.verify.never_ask.is_empty() && !words.never_ask_by_site {
            // A reader of another language must be promised the same.
            let name = own.language_name(&words.lang);
            diags.push(
                Diagnostic::warning(
                    config::FILE,
                    format!(
                        "`[verify] never_ask` is in {}, so the {name} pages promise the theme's general list instead: \"{}\"",
                        own.language_name(&config.language),
                        words.promise(&[])
                    ),
                )
                .with_hint(format!(
                    "say the same list in {name}: `[verify]` `never_ask_default = [\"…\"]` in i18n/{}.toml",
                    words.lang
                )),
            );
        }
        others.push(words);
    }
    if others.is_empty() {
        config.languages.clear();
        return;
    }
    config.languages = others.iter().map(|w| w.lang.clone()).collect();
    let entry = |words: &Arc<Strings>, prefix: String| Alternate {
        lang: words.lang.clone(),
        prefix,
        name: words.get("language.name").to_string(),
        this_page_in: words.get("language.this_page_in").to_string(),
        words: words.clone(),
    };
    let mut all = vec![entry(&own, String::new())];
    all.extend(others.iter().map(|w| entry(w, format!("{}/", w.lang))));
    config.alternates = Arc::new(all);
}

/// What the other languages add to the site.
#[derive(Default)]
pub struct Made {
    pub files: Files,
    pub notices: Files,
    pub pages: usize,
    /// What each language says of each incident and update (status.json).
    pub summaries: Vec<crate::model::LanguageSummary>,
}

/// What one language's pass needs from the run.
pub struct Pass<'a> {
    pub site: &'a std::path::Path,
    pub config: &'a Config,
    pub clock: &'a Clock,
    pub content: &'a Content,
    pub history: &'a History,
    pub vis: Visibility,
    pub all_notices: bool,
    pub has_code: bool,
}

/// Render the site in each of its other languages.
pub fn render(pass: &Pass<'_>, diags: &mut Vec<Diagnostic>) -> Made {
    let mut made = Made::default();
    for alt in pass.config.alternates.iter().skip(1) {
        let Some((files, notices, pages, model)) = render_one(pass, alt, diags) else {
            continue;
        };
        made.pages += pages;
        let prefix = &alt.prefix;
        made.files
            .extend(files.into_iter().map(|(p, d)| (format!("{prefix}{p}"), d)));
        made.notices.extend(
            notices
                .into_iter()
                .map(|(p, d)| (format!("{prefix}{p}"), d)),
        );
        made.summaries
            .push(crate::model::LanguageSummary::of(&alt.lang, &model));
    }
    made
}

/// The site in one of its other languages, ready to render: its settings,
/// content, model and templates.
pub struct Prepared {
    pub config: Config,
    pub content: Content,
    pub model: Model,
    pub templates: crate::render::templates::Templates,
}

/// Make the site's model in `alt`'s language, with its templates.
pub fn prepare(pass: &Pass<'_>, alt: &Alternate, diags: &mut Vec<Diagnostic>) -> Option<Prepared> {
    let mut config = pass.config.clone();
    config.base_path = format!("{}{}", config.root_path, alt.prefix);
    config.lang_prefix = alt.prefix.clone();
    config.in_language(alt.words.clone());
    let clock = pass.clock.clone().in_language(alt.words.clone());
    let (content, translated) = translate::variant(pass.content, &alt.lang);
    let rendered = markdown(&content, &config, &alt.lang, diags);
    let model = model::assemble_in(
        &config,
        &clock,
        &content,
        rendered,
        pass.vis,
        pass.history,
        Some(&Translations {
            translated: &translated,
            original_lang: &pass.config.language,
        }),
    );
    // The templates are the site's: their errors were reported once, in
    // its own language.
    let mut quiet = Vec::new();
    let templates = templates::load(pass.site, &config, &clock, &mut quiet)?;
    Some(Prepared {
        config,
        content,
        model,
        templates,
    })
}

fn render_one(
    pass: &Pass<'_>,
    alt: &Alternate,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Files, Files, usize, Model)> {
    let Prepared {
        config,
        content,
        model,
        mut templates,
    } = prepare(pass, alt, diags)?;
    let has_code = pass.has_code;
    let views = ViewValues::new(&model, None);
    let globals = templates.tera.global_context();
    for &name in GLOBALS {
        if let Some(value) = global_value(name, &config, &model, has_code, &views) {
            globals.insert_value(name, value);
        }
    }
    let plan = pages::plan_pages(&templates, &config, &model, None);
    let (done, (machine, notices)) = rayon::join(
        || pages::render_pages(&templates, &config, &views, plan, Emit::Memory, false),
        || {
            rayon::join(
                || machine::machine_files(&config, &model, pass.vis.now, None, Emit::Memory),
                || {
                    notices::render(
                        &templates,
                        &config,
                        &content,
                        &model,
                        Emit::Memory,
                        None,
                        (&views, pass.all_notices),
                    )
                },
            )
        },
    );
    let mut files = done.files;
    let pages = done.pages;
    for d in done
        .diags
        .into_iter()
        .chain(machine.diags)
        .chain(notices.diags)
    {
        if !diags.contains(&d) {
            diags.push(d);
        }
    }
    // Its own feeds; the rest of the machine files are the site's.
    for (path, data) in machine.files {
        if path.ends_with("feed.xml") {
            files.insert(path, data);
        }
    }
    // Desk files (the call script, the regulator's forms, the breach log)
    // are for the business, in the site's language.
    let notices: Files = notices
        .files
        .into_iter()
        .filter(|(p, _)| !p.contains("/desk/") && !p.starts_with("breach-log"))
        .collect();
    // The files that sit beside content (images) again under its path.
    for asset in &content.assets {
        files.insert(
            asset.dest.clone(),
            crate::base::output::FileData::Copy(asset.source.clone()),
        );
    }
    Some((files, notices, pages, model))
}

/// Every body to HTML; only a translation's own problems are reported
/// (the originals' were, in the site's language).
fn markdown(
    content: &Content,
    config: &Config,
    lang: &str,
    diags: &mut Vec<Diagnostic>,
) -> RenderedContent {
    let base = config.base_path.as_str();
    let root = config.root_path.as_str();
    let suffix = format!(".{lang}.md");
    let found = std::sync::Mutex::new(Vec::new());
    let one = |b: &crate::load::content::Body| {
        let mut d = Vec::new();
        let r = std::sync::Arc::new(crate::markdown::render_in(b, base, root, &mut d));
        if b.file.ends_with(&suffix)
            && !d.is_empty()
            && let Ok(mut f) = found.lock()
        {
            f.extend(d);
        }
        r
    };
    let all = |bodies: Vec<&crate::load::content::Body>| -> Vec<_> {
        bodies.into_par_iter().map(one).collect()
    };
    let rendered = RenderedContent {
        home: content.home.body.as_ref().map(one),
        faq_intro: content.faq_intro.body.as_ref().map(one),
        guidance_intro: content.guidance_intro.body.as_ref().map(one),
        incidents: all(content.incidents.iter().map(|i| &i.body).collect()),
        audiences: all(content
            .incidents
            .iter()
            .flat_map(|i| i.audiences.iter().map(|a| &a.body))
            .collect()),
        updates: all(content.updates.iter().map(|u| &u.body).collect()),
        faq: all(content.faq.iter().map(|f| &f.body).collect()),
        guidance: all(content.guidance.iter().map(|g| &g.body).collect()),
        pages: all(content.pages.iter().map(|p| &p.body).collect()),
    };
    diags.extend(found.into_inner().unwrap_or_default());
    rendered
}
