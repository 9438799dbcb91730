//! The orchestrator: runs the pipeline's stages in order and times each.
//!
//! [`compile`] goes from a site folder to a set of output files in memory
//! (load, validate, render Markdown, assemble, render templates); [`build`]
//! then writes them atomically. `serve` and `check` reuse [`compile`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use tera::Context;

use crate::config::{self, Config};
use crate::content::{self, Body, Content};
use crate::diagnostics::{self, Diagnostic};
use crate::embedded;
use crate::markdown::{self, Rendered};
use crate::model::{self, Model, RenderedContent, Visibility};
use crate::output::{self, FileData, Files};
use crate::render::{self, Templates};
use crate::time::Clock;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml` and `content/`).
    pub site: PathBuf,
    /// Where to write; defaults to `<site>/public`.
    pub output: Option<PathBuf>,
    /// Include drafts and scheduled updates, marked as such.
    pub drafts: bool,
    /// The build's "now": what is scheduled, and what the pages say is current.
    pub now: Timestamp,
    /// Replace `base_url` from site.toml (for previews and staging hosts).
    pub base_url: Option<String>,
    /// Where to write the email, letter and social renders (default:
    /// `[notices] output` in site.toml, `notices/`).
    pub notices: Option<PathBuf>,
    /// Replace `[notices] paper`: `a4` or `letter`.
    pub paper: Option<String>,
}

/// Where rendered pages and notices go as they are made.
#[derive(Clone, Copy)]
pub enum Emit<'a> {
    /// Kept in memory (preview, check).
    Memory,
    /// Written at once into these staging folders (build): a large site is
    /// never held in memory whole.
    Staged {
        site: &'a output::Staging,
        notices: &'a output::Staging,
    },
}

impl Emit<'_> {
    /// Keep `bytes` for `path`, in memory or on disk.
    pub fn keep(&self, notices: bool, path: &str, bytes: Vec<u8>) -> std::io::Result<FileData> {
        match self {
            Emit::Memory => Ok(FileData::Bytes(bytes)),
            Emit::Staged { site, notices: n } => {
                let staging = if notices { n } else { site };
                staging.put(path, &bytes)?;
                Ok(FileData::Written)
            }
        }
    }
}

/// A compiled site, in memory.
pub struct Compiled {
    pub config: Config,
    pub model: Model,
    pub files: Files,
    /// Email, letter and social renders: for sending, never published.
    pub notices: Files,
    /// The loaded content, for `check`.
    pub content: Content,
    pub pages: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Why a build failed.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    /// 1 for problems in the site's content or templates, 2 for usage or I/O.
    pub exit_code: i32,
}

impl Failure {
    fn usage(d: Diagnostic) -> Failure {
        Failure {
            diagnostics: vec![d],
            exit_code: 2,
        }
    }
}

/// The result of a successful `build`.
pub struct Built {
    pub output: PathBuf,
    pub notices: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
    pub timings: Vec<(&'static str, Duration)>,
}

pub fn output_dir(opts: &BuildOptions) -> PathBuf {
    opts.output
        .clone()
        .unwrap_or_else(|| opts.site.join("public"))
}

/// Compile, then write to the output folder atomically.
pub fn build(opts: &BuildOptions) -> Result<Built, Failure> {
    let start = Instant::now();
    let out = output_dir(opts);
    if let Some(why) = output::refuse_output(&opts.site, &out) {
        return Err(Failure::usage(
            Diagnostic::error("", format!("refusing to write to {}: {why}", out.display()))
                .with_hint("pass --output with a folder of its own, such as public/"),
        ));
    }
    // Nothing is created for a site that is not there.
    if !opts.site.join(config::FILE).is_file() {
        // compile() says exactly what is missing, as a usage error.
        compile(opts)?;
    }
    // Where notices go depends on site.toml: read it first.
    let notices_setting = std::fs::read_to_string(opts.site.join(config::FILE))
        .ok()
        .and_then(|t| config::load(t, &mut Vec::new()))
        .map_or_else(|| "notices".to_string(), |c| c.notices.output);
    let notices_dir = opts
        .notices
        .clone()
        .unwrap_or_else(|| opts.site.join(&notices_setting));
    let why = output::refuse_output(&opts.site, &notices_dir).or_else(|| {
        let (a, b) = (output::absolute(&out), output::absolute(&notices_dir));
        (a.starts_with(&b) || b.starts_with(&a)).then(|| {
            "notices must not be published: keep them outside the site's output folder".to_string()
        })
    });
    if let Some(why) = why {
        return Err(Failure::usage(
            Diagnostic::error(
                "",
                format!(
                    "refusing to write notices to {}: {why}",
                    notices_dir.display()
                ),
            )
            .with_hint(
                "set [notices] output in site.toml, or pass --notices, with a folder of its own",
            ),
        ));
    }
    let io_failure = |e: std::io::Error, diagnostics: Vec<Diagnostic>, dir: &Path| {
        let mut diagnostics = diagnostics;
        diagnostics.push(
            Diagnostic::error("", format!("could not write {}: {e}", dir.display()))
                .with_hint("check that the disk has space and the folder is writable; the previous output was left as it was"),
        );
        Failure {
            diagnostics,
            exit_code: 2,
        }
    };
    let site_staging = output::Staging::new(&out).map_err(|e| io_failure(e, Vec::new(), &out))?;
    let notices_staging =
        output::Staging::new(&notices_dir).map_err(|e| io_failure(e, Vec::new(), &notices_dir))?;
    let emit = Emit::Staged {
        site: &site_staging,
        notices: &notices_staging,
    };
    let mut compiled = compile_with(opts, emit)?;
    let t = Instant::now();
    let written = site_staging
        .write(&compiled.files)
        .and_then(|()| notices_staging.write(&compiled.notices))
        .and_then(|()| site_staging.commit())
        .and_then(|()| notices_staging.commit());
    if let Err(e) = written {
        let mut diagnostics = compiled.diagnostics;
        diagnostics.push(
            Diagnostic::error("", format!("could not write {}: {e}", out.display()))
                .with_hint("check that the disk has space and the folder is writable; the previous output was left as it was"),
        );
        return Err(Failure {
            diagnostics,
            exit_code: 2,
        });
    }
    compiled.timings.push(("write", t.elapsed()));
    Ok(Built {
        output: out,
        notices: notices_dir,
        pages: compiled.pages,
        files: compiled.files.len(),
        diagnostics: compiled.diagnostics,
        elapsed: start.elapsed(),
        timings: compiled.timings,
    })
}

/// Run the pipeline into memory. Every problem is collected; the build fails
/// if any is an error.
pub fn compile(opts: &BuildOptions) -> Result<Compiled, Failure> {
    compile_with(opts, Emit::Memory)
}

/// [`compile`], with rendered pages and notices sent to `emit`.
pub fn compile_with(opts: &BuildOptions, emit: Emit<'_>) -> Result<Compiled, Failure> {
    let mut diags = Vec::new();
    let mut timings = Vec::new();
    let mut stage = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, stage.elapsed()));
        stage = Instant::now();
    };

    // 1. load
    let site = &opts.site;
    if !site.is_dir() {
        return Err(Failure::usage(
            Diagnostic::error("", format!("{} is not a folder", site.display()))
                .with_hint("pass --site with the folder that holds site.toml"),
        ));
    }
    let config_path = site.join(config::FILE);
    let config_text = match std::fs::read_to_string(&config_path) {
        Ok(t) => t,
        Err(e) => {
            return Err(Failure::usage(
                Diagnostic::error(
                    config::FILE,
                    format!("cannot read {}: {e}", config_path.display()),
                )
                .with_hint(
                    "run candor in a site folder, pass --site DIR, or start one with `candor init`",
                ),
            ));
        }
    };
    let config = config::load(config_text, &mut diags).and_then(|mut c| {
        if let Some(url) = &opts.base_url {
            match config::parse_base_url(url) {
                Ok(path) => {
                    c.base_url = url.trim_end_matches('/').to_string();
                    c.base_path = path;
                }
                Err(msg) => {
                    diags.push(Diagnostic::error("", format!("--base-url: {msg}")));
                    return None;
                }
            }
        }
        if let Some(paper) = &opts.paper {
            if paper != "a4" && paper != "letter" {
                diags.push(Diagnostic::error(
                    "",
                    format!("--paper {paper}: use a4 or letter"),
                ));
                return None;
            }
            c.notices.paper = paper.clone();
        }
        Some(c)
    });
    let content = content::load(site, &mut diags);
    lap("load", &mut timings);

    // 2. validate (what needs more than one file, or the whole site)
    validate(&content, &mut diags);
    let Some(config) = config else {
        return fail(diags);
    };
    let clock = Clock::new(&config.timezone).unwrap_or_else(|_| Clock::utc());
    lap("validate", &mut timings);

    // 3. render Markdown, in parallel
    let rendered = render_markdown(&content, &config.base_path, &mut diags);
    lap("markdown", &mut timings);

    // Templates are parsed once, before any page is rendered.
    let templates = render::load(site, &config, &clock, &mut diags);
    lap("templates", &mut timings);
    if diags.iter().any(Diagnostic::is_error) {
        return fail(diags);
    }
    let Some(templates) = templates else {
        return fail(diags);
    };

    // 4. assemble
    let vis = Visibility {
        now: opts.now,
        include_drafts: opts.drafts,
    };
    let has_code = rendered.has_code();
    let model = model::assemble(&config, &clock, &content, rendered, vis);
    lap("assemble", &mut timings);

    // 5. render pages, in parallel
    let mut templates = templates;
    let (mut files, pages) =
        render_pages(&mut templates, &config, &model, has_code, emit, &mut diags);
    lap("pages", &mut timings);
    add_static_files(site, &config, &content, has_code, &mut files, &mut diags);
    add_machine_files(&config, &model, opts.now, &mut files, &mut diags);
    lap("feeds", &mut timings);
    let notices = crate::notices::render(&templates, &config, &content, &model, emit, &mut diags);
    lap("notices", &mut timings);
    if diags.iter().any(Diagnostic::is_error) {
        return fail(diags);
    }
    diagnostics::sort(&mut diags);
    Ok(Compiled {
        config,
        model,
        files,
        notices,
        content,
        pages,
        diagnostics: diags,
        timings,
    })
}

const WRITE_HINT: &str = "check that the disk has space and the folder is writable; the previous output was left as it was";

/// A file that could not be written while rendering.
pub fn write_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("", format!("could not write {path}: {e}")).with_hint(WRITE_HINT)
}

fn fail<T>(mut diags: Vec<Diagnostic>) -> Result<T, Failure> {
    diagnostics::sort(&mut diags);
    // Problems with the disk are I/O errors, not the site's.
    let io = diags.iter().any(|d| d.hint.as_deref() == Some(WRITE_HINT));
    Err(Failure {
        diagnostics: diags,
        exit_code: if io { 2 } else { 1 },
    })
}

/// Checks that need the whole site: duplicate page addresses, placeholders.
fn validate(content: &Content, diags: &mut Vec<Diagnostic>) {
    const RESERVED: &[&str] = &[
        "incidents",
        "faq",
        "guidance",
        "static",
        "feed.xml",
        "404",
        "_candor",
    ];
    for p in &content.pages {
        if RESERVED.contains(&p.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    &p.body.file,
                    format!("the page name `{}` is taken by candor's own pages", p.slug),
                )
                .with_hint("rename the file, for example to about-us.md"),
            );
        }
    }
    let mut bodies: Vec<&Body> = Vec::new();
    bodies.extend(content.incidents.iter().map(|i| &i.body));
    bodies.extend(content.updates.iter().map(|u| &u.body));
    bodies.extend(content.faq.iter().map(|f| &f.body));
    bodies.extend(content.guidance.iter().map(|g| &g.body));
    bodies.extend(content.pages.iter().map(|p| &p.body));
    for body in bodies {
        for (i, line) in body.text.lines().enumerate() {
            if let Some(col) = line.find("TODO:") {
                let mut d = Diagnostic::warning(&body.file, "placeholder text left in")
                    .with_hint("replace the TODO: prompt with the real text before publishing");
                d.line = body.first_line + i;
                d.col = line[..col].chars().count() + 1;
                diags.push(d);
            }
        }
    }
}

fn render_markdown(
    content: &Content,
    base_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> RenderedContent {
    let run = |bodies: Vec<&Body>| -> (Vec<Rendered>, Vec<Diagnostic>) {
        let results: Vec<(Rendered, Vec<Diagnostic>)> = bodies
            .into_par_iter()
            .map(|b| {
                let mut d = Vec::new();
                (markdown::render(b, base_path, &mut d), d)
            })
            .collect();
        let mut all = Vec::new();
        let rendered = results
            .into_iter()
            .map(|(r, d)| {
                all.extend(d);
                r
            })
            .collect();
        (rendered, all)
    };
    let mut take = |bodies: Vec<&Body>| {
        let (r, d) = run(bodies);
        diags.extend(d);
        r
    };
    let one = |b: &Option<Body>, take: &mut dyn FnMut(Vec<&Body>) -> Vec<Rendered>| {
        b.as_ref().and_then(|b| take(vec![b]).pop())
    };
    RenderedContent {
        home: one(&content.home.body, &mut take),
        faq_intro: one(&content.faq_intro.body, &mut take),
        guidance_intro: one(&content.guidance_intro.body, &mut take),
        incidents: take(content.incidents.iter().map(|i| &i.body).collect()),
        updates: take(content.updates.iter().map(|u| &u.body).collect()),
        faq: take(content.faq.iter().map(|f| &f.body).collect()),
        guidance: take(content.guidance.iter().map(|g| &g.body).collect()),
        pages: take(content.pages.iter().map(|p| &p.body).collect()),
    }
}

/// A page to render: template, output path, what it is about.
struct Job<'a> {
    template: &'static str,
    path: String,
    /// Root-relative URL of the page.
    url: String,
    title: String,
    description: String,
    kind: &'static str,
    /// JSON-LD for the page, already safe inside `<script>`.
    jsonld: Option<String>,
    vars: Vec<(&'static str, Var<'a>)>,
}

/// A page's own variable: shared (serialised once for many pages) or
/// serialised when the page renders, so jobs stay small.
enum Var<'a> {
    Shared(tera::Value),
    Update(&'a crate::model::UpdateView),
    Guidance(&'a crate::model::GuidanceView),
    Page(&'a crate::model::PageView),
}

impl Var<'_> {
    fn value(&self) -> tera::Value {
        match self {
            Var::Shared(v) => v.clone(),
            Var::Update(u) => tera::Value::from_serializable(u),
            Var::Guidance(g) => tera::Value::from_serializable(g),
            Var::Page(p) => tera::Value::from_serializable(p),
        }
    }
}

fn render_pages(
    templates: &mut Templates,
    config: &Config,
    model: &Model,
    has_code: bool,
    emit: Emit<'_>,
    diags: &mut Vec<Diagnostic>,
) -> (Files, usize) {
    let mut jobs = Vec::new();
    fn json<T: serde::Serialize>(v: &T) -> tera::Value {
        tera::Value::from_serializable(v)
    }
    let home_description = model
        .home
        .description
        .clone()
        .unwrap_or_else(|| config.description.clone());
    jobs.push(Job {
        template: "index.html",
        path: "index.html".into(),
        url: config.url(""),
        title: model
            .home
            .title
            .clone()
            .unwrap_or_else(|| config.title.clone()),
        description: home_description,
        kind: "home",
        jsonld: Some(crate::meta::home_jsonld(config)),
        vars: vec![],
    });
    for inc in &model.incidents {
        let incident = json(inc);
        jobs.push(Job {
            template: "incident.html",
            path: format!("incidents/{}/index.html", inc.slug),
            url: inc.url.clone(),
            title: inc.title.clone(),
            description: inc.summary.clone(),
            kind: "incident",
            jsonld: None,
            vars: vec![("incident", Var::Shared(incident.clone()))],
        });
        for u in &inc.updates {
            jobs.push(Job {
                template: "update.html",
                path: format!("incidents/{}/{}/index.html", inc.slug, u.slug),
                url: u.url.clone(),
                title: format!("{}: {}", u.status_label, u.title),
                description: u.summary.clone(),
                kind: "update",
                jsonld: None,
                vars: vec![
                    ("update", Var::Update(u)),
                    ("incident", Var::Shared(incident.clone())),
                ],
            });
        }
    }
    jobs.push(Job {
        template: "faq.html",
        path: "faq/index.html".into(),
        url: config.url("faq/"),
        title: model
            .faq_intro
            .title
            .clone()
            .unwrap_or_else(|| "Questions and answers".into()),
        description: model.faq_intro.description.clone().unwrap_or_else(|| {
            format!(
                "Answers to common questions from {}",
                config.organisation.name
            )
        }),
        kind: "faq",
        jsonld: Some(crate::meta::faq_jsonld(model)),
        vars: vec![],
    });
    jobs.push(Job {
        template: "guidance_list.html",
        path: "guidance/index.html".into(),
        url: config.url("guidance/"),
        title: model
            .guidance_intro
            .title
            .clone()
            .unwrap_or_else(|| "What you can do".into()),
        description: model
            .guidance_intro
            .description
            .clone()
            .unwrap_or_else(|| "Steps you can take to protect yourself".into()),
        kind: "guidance_list",
        jsonld: None,
        vars: vec![],
    });
    for g in &model.guidance {
        jobs.push(Job {
            template: "guidance.html",
            path: format!("guidance/{}/index.html", g.slug),
            url: g.url.clone(),
            title: g.title.clone(),
            description: g.summary.clone(),
            kind: "guidance",
            jsonld: None,
            vars: vec![("entry", Var::Guidance(g))],
        });
    }
    for p in &model.pages {
        jobs.push(Job {
            template: "page.html",
            path: format!("{}/index.html", p.slug),
            url: p.url.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            kind: "page",
            jsonld: None,
            vars: vec![("page", Var::Page(p))],
        });
    }
    jobs.push(Job {
        template: "404.html",
        path: "404.html".into(),
        url: config.url("404.html"),
        title: "Page not found".into(),
        description: String::new(),
        kind: "404",
        jsonld: None,
        vars: vec![],
    });

    // Site-wide values live in Tera's global context: shared, not copied per page.
    let globals = templates.tera.global_context();
    globals.insert("site", config);
    globals.insert("incidents", &model.incidents);
    globals.insert("updates", &model.updates);
    globals.insert("faq", &model.faq);
    globals.insert("faq_categories", &model.faq_categories);
    globals.insert("guidance", &model.guidance);
    globals.insert("guidance_groups", &model.guidance_groups);
    globals.insert("pages", &model.pages);
    globals.insert("home", &model.home);
    globals.insert("faq_intro", &model.faq_intro);
    globals.insert("guidance_intro", &model.guidance_intro);
    globals.insert("now", &model.now);
    globals.insert("has_code", &has_code);
    let open: Vec<_> = model.incidents.iter().filter(|i| i.is_open).collect();
    globals.insert("open_incidents", &open);
    let recent: Vec<_> = model.incidents.iter().filter(|i| i.is_recent).collect();
    globals.insert("recent_incidents", &recent);
    let last_resolved = model
        .incidents
        .iter()
        .filter_map(|i| i.resolved_at.clone())
        .max_by_key(|t| t.epoch);
    globals.insert("last_resolved", &last_resolved);

    let results: Vec<(String, Result<FileData, Vec<Diagnostic>>)> = jobs
        .par_iter()
        .map(|job| {
            let mut ctx = Context::new();
            ctx.insert("page_kind", job.kind);
            ctx.insert("page_title", &job.title);
            ctx.insert("page_description", &job.description);
            ctx.insert("current_url", &job.url);
            ctx.insert("canonical", &format!("{}{}", config.origin(), job.url));
            ctx.insert("jsonld", &job.jsonld);
            for (k, v) in &job.vars {
                ctx.insert_value(*k, v.value());
            }
            let page = templates.render(job.template, &ctx).and_then(|html| {
                emit.keep(false, &job.path, html.into_bytes())
                    .map_err(|e| vec![write_error(&job.path, e)])
            });
            (job.path.clone(), page)
        })
        .collect();
    let mut files = Files::new();
    let mut pages = 0;
    for (path, result) in results {
        match result {
            Ok(data) => {
                pages += 1;
                files.insert(path, data);
            }
            Err(d) => {
                for e in d {
                    // The same template error repeats for every page using it.
                    if !diags.contains(&e) {
                        diags.push(e);
                    }
                }
            }
        }
    }
    (files, pages)
}

/// Feeds, status.json, sitemap, robots.txt, security.txt and `_headers`.
fn add_machine_files(
    config: &Config,
    model: &Model,
    now: Timestamp,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) {
    for (path, bytes) in crate::feeds::feeds(config, model) {
        files.insert(path, FileData::Bytes(bytes));
    }
    files.insert(
        "status.json".into(),
        FileData::Bytes(crate::status::status_json(config, model)),
    );
    files.insert(
        "sitemap.xml".into(),
        FileData::Bytes(crate::meta::sitemap(config, model)),
    );
    files.insert(
        "robots.txt".into(),
        FileData::Bytes(crate::meta::robots(config)),
    );
    if let Some(txt) = crate::meta::security_txt(config, now, diags) {
        files.insert(".well-known/security.txt".into(), FileData::Bytes(txt));
    }
    if config.hosting.headers {
        files.insert(
            "_headers".into(),
            FileData::Bytes(crate::meta::headers_file(config)),
        );
    }
}

/// Theme static files, then the site's `static/` over them, then assets
/// that sit beside content files.
fn add_static_files(
    site: &Path,
    config: &Config,
    content: &Content,
    has_code: bool,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) {
    for (path, bytes) in embedded::THEME_FILES {
        if let Some(rel) = path.strip_prefix("static/") {
            files.insert(rel.to_string(), FileData::Bytes(bytes.to_vec()));
        }
    }
    if has_code {
        files.insert(
            "highlight.css".into(),
            FileData::Bytes(crate::highlight::stylesheet().into_bytes()),
        );
    }
    for dir in [
        site.join("themes").join(&config.theme).join("static"),
        site.join("static"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if content::is_ignored_name(&e.file_name().to_string_lossy()) {
                        continue;
                    }
                    if let Ok(rel) = e.path().strip_prefix(&dir) {
                        let rel: Vec<_> = rel
                            .components()
                            .map(|c| c.as_os_str().to_string_lossy())
                            .collect();
                        files.insert(rel.join("/"), FileData::Copy(e.path().to_path_buf()));
                    }
                }
                Ok(_) => {}
                Err(e) => diags.push(Diagnostic::error(
                    e.path().map_or(String::new(), |p| p.display().to_string()),
                    format!("cannot read: {e}"),
                )),
            }
        }
    }
    for asset in &content.assets {
        files.insert(asset.dest.clone(), FileData::Copy(asset.source.clone()));
    }
}
