//! The orchestrator: runs the pipeline's stages in order and times each.
//!
//! [`compile`] goes from a site folder to a set of output files in memory
//! (load, validate, render Markdown, assemble, render templates); [`build`]
//! then writes them atomically. `serve` and `check` reuse [`compile`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use tera::Context;

use crate::config::{self, Config};
use crate::content::{self, Body, Content};
use crate::diagnostics::{self, Diagnostic};
use crate::embedded;
use crate::fingerprint::{self, Fingerprint};
use crate::incremental::{Cache, Made, Prints, Stats};
use crate::markdown::{self, Rendered};
use crate::model::{self, IncidentView, Model, RenderedContent, Visibility};
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
    compile_inner(opts, emit, None)
}

/// [`compile`] for the preview: reuses what `cache` kept from the last
/// rebuild, rendering again only what the changes can touch (see
/// [`crate::incremental`]). The result is the same as [`compile`]'s.
pub fn compile_incremental(opts: &BuildOptions, cache: &mut Cache) -> Result<Compiled, Failure> {
    compile_inner(opts, Emit::Memory, Some(cache))
}

fn compile_inner(
    opts: &BuildOptions,
    emit: Emit<'_>,
    mut cache: Option<&mut Cache>,
) -> Result<Compiled, Failure> {
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
    // What every output depends on: the settings, and how they were overridden.
    let settings = fingerprint::of(&(&config_text, &opts.base_url, &opts.paper, opts.drafts));
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
    let content = content::load_cached(site, &mut diags, cache.as_deref_mut().map(|c| &mut c.load));
    if let Some(c) = cache.as_deref_mut() {
        c.stats = Stats {
            files_read: c.load.read,
            files_parsed: c.load.parsed,
            files: c.load.files(),
            ..Stats::default()
        };
    }
    lap("load", &mut timings);

    // 2. validate (what needs more than one file, or the whole site)
    validate(&content, &mut diags);
    let Some(config) = config else {
        return fail(diags);
    };
    let mut clock = Clock::new(&config.timezone).unwrap_or_else(|_| Clock::utc());
    if let Some(c) = cache.as_deref_mut() {
        // Views of the same instants in the same zone are made once.
        let (zone, memo) = &mut c.times;
        if *zone != clock.tz_name {
            *zone = clock.tz_name.clone();
            *memo = Default::default();
        }
        clock = clock.with_memo(std::sync::Arc::clone(memo));
    }
    lap("validate", &mut timings);

    // 3. render Markdown, in parallel
    let rendered = render_markdown(
        &content,
        &config.base_path,
        &mut diags,
        cache.as_deref_mut(),
    );
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
    // For reusing outputs: fingerprints of the model's parts.
    let prints = cache.is_some().then(|| {
        let base = fingerprint::Fp::new()
            .add(&settings)
            .add(&templates.fingerprint)
            .finish();
        let values = cache.as_deref_mut().map(|c| std::mem::take(&mut c.values));
        Prints::of(base, &model, has_code, values.unwrap_or_default())
    });
    lap("assemble", &mut timings);

    // 5. render: what to render (in the preview, only what changed), the
    // site-wide values it reads, then pages, machine files and notices side
    // by side.
    let mut templates = templates;
    let planning = Instant::now();
    let previous_pages = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.pages))
        .unwrap_or_default();
    let plan = plan_pages(
        &templates,
        &config,
        &model,
        prints.as_ref().map(|p| (&previous_pages, p)),
    );
    let mut garbage: Vec<Box<dyn Send>> = vec![Box::new(previous_pages)];
    let notice_reads = crate::notices::reads(&templates);
    let planned = planning.elapsed();
    let views = ViewValues::new(&model, prints.as_ref());
    {
        // Site-wide values live in Tera's global context: shared, not copied
        // per page. The preview sets only those that what it renders reads.
        let needed: Vec<&str> = crate::incremental::GLOBALS
            .iter()
            .copied()
            .filter(|g| {
                prints.is_none()
                    || plan.reads.contains(g)
                    || notice_reads.incident.contains(g)
                    || notice_reads.update.contains(g)
            })
            .collect();
        let globals = templates.tera.global_context();
        for name in needed {
            if let Some(value) = global_value(name, &config, &model, has_code, &views) {
                globals.insert_value(name, value);
            }
        }
    }
    let globals_took = planning.elapsed() - planned;
    let templates = &templates;
    let (machine_reuse, notice_reuse) = match (cache.as_deref_mut(), prints.as_ref()) {
        (Some(c), Some(p)) => (
            Some(MachineReuse {
                machine: c.machine.take(),
                feeds: std::mem::take(&mut c.feeds),
                entries: std::mem::take(&mut c.entries),
                prints: p,
            }),
            Some(crate::notices::Reuse {
                previous: std::mem::take(&mut c.units),
                prints: p,
                reads: &notice_reads,
            }),
        ),
        _ => (None, None),
    };
    let caching = cache.is_some();
    let mut rendered_pages: Vec<String> = if caching {
        plan.render.iter().map(|(j, _)| j.path.clone()).collect()
    } else {
        Vec::new()
    };
    rendered_pages.sort();
    let ((pages_done, pages_took), ((machine_done, machine_took), (notices_done, notices_took))) =
        rayon::join(
            || timed(|| render_pages(templates, &config, &views, plan, emit, caching)),
            || {
                rayon::join(
                    || timed(|| machine_files(&config, &model, opts.now, machine_reuse)),
                    || {
                        timed(|| {
                            crate::notices::render(
                                templates,
                                &config,
                                &content,
                                &model,
                                emit,
                                notice_reuse,
                            )
                        })
                    },
                )
            },
        );
    lap("render", &mut timings);
    timings.push(("  plan", planned));
    timings.push(("  globals", globals_took));
    timings.push(("  pages", pages_took));
    timings.push(("  feeds", machine_took));
    timings.push(("  notices", notices_took));
    let mut files = pages_done.files;
    let pages = pages_done.pages;
    diags.extend(pages_done.diags);
    add_static_files(site, &config, &content, has_code, &mut files, &mut diags);
    for (path, data) in machine_done.files {
        files.insert(path, data);
    }
    diags.extend(machine_done.diags);
    for d in notices_done.diags {
        // The same template error can repeat for every notice using it.
        if !diags.contains(&d) {
            diags.push(d);
        }
    }
    let notices = notices_done.files;
    garbage.push(Box::new(machine_done.previous));
    garbage.push(Box::new(notices_done.previous));
    if let (Some(c), Some(p)) = (cache, prints) {
        let (kept, previous) = p.values.into_parts();
        c.values = kept;
        garbage.push(Box::new(previous));
        c.garbage.extend(garbage);
        c.pages = pages_done.kept;
        c.machine = machine_done.machine;
        c.feeds = machine_done.feeds;
        c.entries = machine_done.entries;
        c.units = notices_done.kept;
        c.stats.pages_rendered = pages_done.rendered;
        c.stats.pages = pages;
        c.stats.machine_rendered = machine_done.rendered;
        c.stats.notices_rendered = notices_done.rendered;
        c.stats.notices = notices_done.units;
        c.rendered_pages = rendered_pages;
        c.rendered_units = notices_done.rendered_units;
    }
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
    mut cache: Option<&mut Cache>,
) -> RenderedContent {
    // With a cache, a body renders only when its text, file or first line is new.
    let previous = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.markdown))
        .unwrap_or_default();
    let caching = cache.is_some();
    let mut kept = HashMap::new();
    let mut rendered_now = 0;
    let mut total = 0;
    let mut take = |bodies: Vec<&Body>| -> Vec<Rendered> {
        type Result = (Option<Fingerprint>, bool, Rendered, Vec<Diagnostic>);
        let results: Vec<Result> = bodies
            .into_par_iter()
            .map(|b| {
                let key =
                    caching.then(|| fingerprint::of(&(&b.file, b.first_line, &b.text, base_path)));
                if let Some((r, d)) = key.and_then(|k| previous.get(&k)) {
                    return (key, false, r.clone(), d.clone());
                }
                let mut d = Vec::new();
                (key, true, markdown::render(b, base_path, &mut d), d)
            })
            .collect();
        let mut out = Vec::with_capacity(results.len());
        for (key, fresh, r, d) in results {
            total += 1;
            rendered_now += usize::from(fresh);
            if let Some(k) = key {
                kept.insert(k, (r.clone(), d.clone()));
            }
            diags.extend(d);
            out.push(r);
        }
        out
    };
    let one = |b: &Option<Body>, take: &mut dyn FnMut(Vec<&Body>) -> Vec<Rendered>| {
        b.as_ref().and_then(|b| take(vec![b]).pop())
    };
    let rendered = RenderedContent {
        home: one(&content.home.body, &mut take),
        faq_intro: one(&content.faq_intro.body, &mut take),
        guidance_intro: one(&content.guidance_intro.body, &mut take),
        incidents: take(content.incidents.iter().map(|i| &i.body).collect()),
        updates: take(content.updates.iter().map(|u| &u.body).collect()),
        faq: take(content.faq.iter().map(|f| &f.body).collect()),
        guidance: take(content.guidance.iter().map(|g| &g.body).collect()),
        pages: take(content.pages.iter().map(|p| &p.body).collect()),
    };
    if let Some(c) = cache {
        c.markdown = kept;
        c.garbage.push(Box::new(previous));
        c.stats.markdown_rendered = rendered_now;
        c.stats.markdown = total;
    }
    rendered
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

/// A page's own variable: a view, made into a template value when the page
/// renders, so jobs stay small.
enum Var<'a> {
    /// An incident, by its index in the model: its value is made once for
    /// all of its pages.
    Incident(usize),
    Update(&'a crate::model::UpdateView),
    Guidance(&'a crate::model::GuidanceView),
    Page(&'a crate::model::PageView),
}

impl Var<'_> {
    fn value(&self, views: &ViewValues) -> tera::Value {
        match self {
            Var::Incident(i) => views.incident(*i),
            Var::Update(u) => views.update(u),
            Var::Guidance(g) => tera::Value::from_serializable(g),
            Var::Page(p) => tera::Value::from_serializable(p),
        }
    }

    fn fingerprint(&self, prints: &Prints) -> Fingerprint {
        match self {
            Var::Incident(i) => prints.incidents.get(*i).copied().unwrap_or_default(),
            Var::Update(u) => prints.update(u),
            Var::Guidance(g) => fingerprint::of(g),
            Var::Page(p) => fingerprint::of(p),
        }
    }
}

/// Incidents and updates as template values: each made once a build, and
/// in the preview kept between rebuilds while unchanged.
struct ViewValues<'a> {
    model: &'a Model,
    prints: Option<&'a Prints>,
    incidents: Vec<std::sync::OnceLock<tera::Value>>,
}

impl<'a> ViewValues<'a> {
    fn new(model: &'a Model, prints: Option<&'a Prints>) -> Self {
        ViewValues {
            model,
            prints,
            incidents: model.incidents.iter().map(|_| Default::default()).collect(),
        }
    }

    fn incident(&self, i: usize) -> tera::Value {
        let (Some(slot), Some(inc)) = (self.incidents.get(i), self.model.incidents.get(i)) else {
            return tera::Value::none();
        };
        slot.get_or_init(|| match self.prints {
            Some(p) => p.values.get(p.incidents[i], inc),
            None => tera::Value::from_serializable(inc),
        })
        .clone()
    }

    fn update(&self, u: &crate::model::UpdateView) -> tera::Value {
        match self.prints {
            Some(p) => p.values.get(p.update(u), u),
            None => tera::Value::from_serializable(u),
        }
    }

    /// The model's `updates`, newest first.
    fn updates(&self) -> tera::Value {
        match self.prints {
            Some(p) => {
                let list: Vec<tera::Value> = self
                    .model
                    .updates
                    .iter()
                    .zip(&p.updates)
                    .map(|(u, fp)| p.values.get(*fp, u))
                    .collect();
                tera::Value::from(list)
            }
            None => tera::Value::from_serializable(&self.model.updates),
        }
    }

    /// The incidents for which `keep` holds, in model order.
    fn incidents_where(&self, keep: impl Fn(&IncidentView) -> bool) -> tera::Value {
        let list: Vec<tera::Value> = (0..self.model.incidents.len())
            .filter(|i| keep(&self.model.incidents[*i]))
            .map(|i| self.incident(i))
            .collect();
        tera::Value::from(list)
    }
}

impl Job<'_> {
    /// Everything the page is made from: the templates and settings, its
    /// own values, and the site-wide values `reads` names.
    fn fingerprint(&self, prints: &Prints, reads: &[&str]) -> Fingerprint {
        let mut fp = fingerprint::Fp::new();
        fp.add(&prints.base)
            .add(self.template)
            .add(&self.path)
            .add(&self.url)
            .add(&self.title)
            .add(&self.description)
            .add(self.kind)
            .add(&self.jsonld);
        for (name, var) in &self.vars {
            fp.add(*name).add(&var.fingerprint(prints));
        }
        for name in reads {
            fp.add(*name).add(&prints.global(name));
        }
        fp.finish()
    }
}

/// The value of a site-wide template variable (one of
/// [`crate::incremental::GLOBALS`]).
fn global_value(
    name: &str,
    config: &Config,
    model: &Model,
    has_code: bool,
    views: &ViewValues,
) -> Option<tera::Value> {
    fn json<T: serde::Serialize + ?Sized>(v: &T) -> Option<tera::Value> {
        Some(tera::Value::from_serializable(v))
    }
    struct ValueOf;
    impl crate::incremental::GlobalVisitor for ValueOf {
        type Out = tera::Value;
        fn visit<T: serde::Serialize + std::hash::Hash + ?Sized>(&mut self, v: &T) -> tera::Value {
            tera::Value::from_serializable(v)
        }
    }
    match name {
        "site" => json(config),
        "incidents" => Some(views.incidents_where(|_| true)),
        "updates" => Some(views.updates()),
        "open_incidents" => Some(views.incidents_where(|i| i.is_open)),
        "recent_incidents" => Some(views.incidents_where(|i| i.is_recent)),
        "last_resolved" => json(
            &model
                .incidents
                .iter()
                .filter_map(|i| i.resolved_at.as_ref())
                .max_by_key(|t| t.epoch),
        ),
        other => crate::incremental::plain_global(other, model, &has_code, &mut ValueOf),
    }
}

/// Run `f`, and say how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let t = f();
    (t, start.elapsed())
}

/// Every page of the site, as a job.
fn page_jobs<'a>(config: &Config, model: &'a Model) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
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
    // An incident's pages, made for all incidents in parallel.
    let incident_jobs: Vec<Vec<Job<'a>>> = model
        .incidents
        .par_iter()
        .enumerate()
        .map(|(index, inc)| {
            let mut jobs = Vec::with_capacity(inc.updates.len() + 1);
            jobs.push(Job {
                template: "incident.html",
                path: format!("incidents/{}/index.html", inc.slug),
                url: inc.url.clone(),
                title: inc.title.clone(),
                description: inc.summary.clone(),
                kind: "incident",
                jsonld: None,
                vars: vec![("incident", Var::Incident(index))],
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
                        ("incident", Var::Incident(index)),
                    ],
                });
            }
            jobs
        })
        .collect();
    jobs.extend(incident_jobs.into_iter().flatten());
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

    jobs
}

/// The pages to render, and in the preview the pages reused as they were.
struct PagePlan<'a> {
    render: Vec<(Job<'a>, Option<Fingerprint>)>,
    reused: Vec<(String, Fingerprint, Arc<[u8]>)>,
    /// The site-wide variables the pages to render may read.
    reads: Vec<&'static str>,
}

type PageCache = HashMap<String, (Fingerprint, Arc<[u8]>)>;

/// Which pages to render: all of them, or with `reuse` (the preview) those
/// whose fingerprint changed since the last rebuild.
fn plan_pages<'a>(
    templates: &Templates,
    config: &Config,
    model: &'a Model,
    reuse: Option<(&PageCache, &Prints)>,
) -> PagePlan<'a> {
    let jobs = page_jobs(config, model);
    let Some((previous, prints)) = reuse else {
        return PagePlan {
            render: jobs.into_iter().map(|j| (j, None)).collect(),
            reused: Vec::new(),
            reads: crate::incremental::GLOBALS.to_vec(),
        };
    };
    let mut reads: HashMap<&str, Vec<&'static str>> = HashMap::new();
    for job in &jobs {
        reads
            .entry(job.template)
            .or_insert_with(|| templates.reads(job.template, crate::incremental::GLOBALS));
    }
    let fps: Vec<Fingerprint> = jobs
        .par_iter()
        .map(|job| job.fingerprint(prints, &reads[job.template]))
        .collect();
    let mut plan = PagePlan {
        render: Vec::new(),
        reused: Vec::new(),
        reads: Vec::new(),
    };
    for (job, fp) in jobs.into_iter().zip(fps) {
        match previous.get(&job.path) {
            Some((old, bytes)) if *old == fp => {
                plan.reused.push((job.path, fp, Arc::clone(bytes)));
            }
            _ => {
                for g in &reads[job.template] {
                    if !plan.reads.contains(g) {
                        plan.reads.push(g);
                    }
                }
                plan.render.push((job, Some(fp)));
            }
        }
    }
    plan
}

/// What rendering the pages made.
struct PagesDone {
    files: Files,
    /// Pages in the site (rendered or reused).
    pages: usize,
    /// Pages rendered this time.
    rendered: usize,
    kept: PageCache,
    diags: Vec<Diagnostic>,
}

fn render_pages(
    templates: &Templates,
    config: &Config,
    views: &ViewValues,
    plan: PagePlan<'_>,
    emit: Emit<'_>,
    caching: bool,
) -> PagesDone {
    /// A page's path, its fingerprint (in the preview), and the page or its errors.
    type PageResult = (
        String,
        Option<Fingerprint>,
        Result<FileData, Vec<Diagnostic>>,
    );
    let results: Vec<PageResult> = plan
        .render
        .par_iter()
        .map(|(job, fp)| {
            let mut ctx = Context::new();
            ctx.insert("page_kind", job.kind);
            ctx.insert("page_title", &job.title);
            ctx.insert("page_description", &job.description);
            ctx.insert("current_url", &job.url);
            ctx.insert("canonical", &format!("{}{}", config.origin(), job.url));
            ctx.insert("jsonld", &job.jsonld);
            for (k, v) in &job.vars {
                ctx.insert_value(*k, v.value(views));
            }
            let page = templates.render(job.template, &ctx).and_then(|html| {
                if caching {
                    // The preview: bytes shared with the cache, not copied.
                    return Ok(FileData::Shared(Arc::from(html.into_bytes())));
                }
                emit.keep(false, &job.path, html.into_bytes())
                    .map_err(|e| vec![write_error(&job.path, e)])
            });
            (job.path.clone(), *fp, page)
        })
        .collect();
    let mut done = PagesDone {
        files: Files::new(),
        pages: plan.reused.len(),
        rendered: results.len(),
        kept: HashMap::with_capacity(plan.reused.len() + results.len()),
        diags: Vec::new(),
    };
    for (path, fp, bytes) in plan.reused {
        done.files
            .insert(path.clone(), FileData::Shared(Arc::clone(&bytes)));
        done.kept.insert(path, (fp, bytes));
    }
    for (path, fp, result) in results {
        match result {
            Ok(data) => {
                done.pages += 1;
                if let (Some(fp), FileData::Shared(bytes)) = (fp, &data) {
                    done.kept.insert(path.clone(), (fp, Arc::clone(bytes)));
                }
                done.files.insert(path, data);
            }
            Err(d) => {
                for e in d {
                    // The same template error repeats for every page using it.
                    if !done.diags.contains(&e) {
                        done.diags.push(e);
                    }
                }
            }
        }
    }
    done
}

/// Feed entries' XML, by fingerprint.
type EntryCache = HashMap<Fingerprint, Arc<[u8]>>;

/// In the preview: the machine files of the last rebuild.
struct MachineReuse<'a> {
    machine: Option<Made>,
    feeds: HashMap<String, Made>,
    entries: HashMap<Fingerprint, Arc<[u8]>>,
    prints: &'a Prints,
}

/// What making the machine files made.
#[derive(Default)]
struct MachineDone {
    files: Vec<(String, FileData)>,
    diags: Vec<Diagnostic>,
    machine: Option<Made>,
    feeds: HashMap<String, Made>,
    entries: HashMap<Fingerprint, Arc<[u8]>>,
    /// The last rebuild's feeds and entries, to be freed.
    previous: (HashMap<String, Made>, EntryCache),
    /// Whether the site-wide files were made again.
    rendered: bool,
}

/// Feeds, status.json, sitemap, robots.txt, security.txt and `_headers`.
fn machine_files(
    config: &Config,
    model: &Model,
    now: Timestamp,
    reuse: Option<MachineReuse<'_>>,
) -> MachineDone {
    let Some(reuse) = reuse else {
        let fresh = |u: &crate::model::UpdateView, with_incident| {
            crate::feeds::entry_xml(config, u, with_incident)
        };
        let ((made, diags), feeds) = rayon::join(
            || site_machine_files(config, model, now, &fresh),
            || {
                model
                    .incidents
                    .par_iter()
                    .map(|inc| crate::feeds::incident_feed(config, inc, &fresh))
                    .collect::<Vec<_>>()
            },
        );
        return MachineDone {
            files: made
                .into_iter()
                .chain(feeds)
                .map(|(p, b)| (p, FileData::Bytes(b)))
                .collect(),
            diags,
            ..MachineDone::default()
        };
    };
    let prints = reuse.prints;
    // The site-wide files are made from the whole model, and from "now"
    // (security.txt's expiry); an incident's feed from that incident alone.
    let fp = fingerprint::of(&(prints.model(), now));
    let mut rendered = false;
    // A feed entry is made from its update alone: kept by fingerprint.
    let kept_entries = std::sync::Mutex::new(HashMap::new());
    let entries = |u: &crate::model::UpdateView, with_incident: bool| {
        let key = fingerprint::of(&(prints.base, prints.update(u), with_incident));
        let xml = match reuse.entries.get(&key) {
            Some(xml) => Arc::clone(xml),
            None => crate::feeds::entry_xml(config, u, with_incident),
        };
        if let Ok(mut kept) = kept_entries.lock() {
            kept.insert(key, Arc::clone(&xml));
        }
        xml
    };
    let (site_wide, feeds) = rayon::join(
        || match reuse.machine {
            Some(made) if made.fingerprint == fp => made,
            _ => {
                rendered = true;
                let (made, diags) = site_machine_files(config, model, now, &entries);
                Made {
                    fingerprint: fp,
                    files: made.into_iter().map(|(p, b)| (p, Arc::from(b))).collect(),
                    diags,
                }
            }
        },
        || {
            model
                .incidents
                .par_iter()
                .enumerate()
                .map(|(i, inc)| {
                    let fp = fingerprint::of(&(prints.base, prints.incidents.get(i)));
                    let made = match reuse.feeds.get(&inc.slug).filter(|m| m.fingerprint == fp) {
                        Some(made) => made.clone(),
                        None => {
                            let (path, bytes) = crate::feeds::incident_feed(config, inc, &entries);
                            Made {
                                fingerprint: fp,
                                files: vec![(path, Arc::from(bytes))],
                                diags: Vec::new(),
                            }
                        }
                    };
                    (inc.slug.clone(), made)
                })
                .collect::<Vec<_>>()
        },
    );
    let mut files = Vec::new();
    for made in std::iter::once(&site_wide).chain(feeds.iter().map(|(_, m)| m)) {
        for (path, bytes) in &made.files {
            files.push((path.clone(), FileData::Shared(Arc::clone(bytes))));
        }
    }
    let mut entries = kept_entries.into_inner().unwrap_or_default();
    let mut previous_entries = reuse.entries;
    if !rendered {
        // The site feed was reused: keep the entries it was made from.
        for (key, xml) in previous_entries.drain() {
            entries.entry(key).or_insert(xml);
        }
    }
    MachineDone {
        files,
        diags: site_wide.diags.clone(),
        machine: Some(site_wide),
        feeds: feeds.into_iter().collect(),
        entries,
        previous: (reuse.feeds, previous_entries),
        rendered,
    }
}

/// The machine files made from the whole site, and their warnings.
fn site_machine_files(
    config: &Config,
    model: &Model,
    now: Timestamp,
    entries: &crate::feeds::Entries<'_>,
) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut files = vec![
        crate::feeds::site_feed(config, model, entries),
        (
            "status.json".into(),
            crate::status::status_json(config, model),
        ),
        ("sitemap.xml".into(), crate::meta::sitemap(config, model)),
        ("robots.txt".into(), crate::meta::robots(config)),
    ];
    if let Some(txt) = crate::meta::security_txt(config, now, &mut diags) {
        files.push((".well-known/security.txt".into(), txt));
    }
    if config.hosting.headers {
        files.push(("_headers".into(), crate::meta::headers_file(config)));
    }
    (files, diags)
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
            FileData::Bytes(crate::highlight::stylesheet().as_bytes().to_vec()),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every site-wide variable has a value: a name added to GLOBALS but
    /// to neither table would otherwise be missing from templates.
    #[test]
    fn every_global_has_a_value() {
        let opts = BuildOptions {
            site: Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"),
            output: None,
            drafts: false,
            now: "2026-12-01T12:00:00Z".parse().expect("a time"),
            base_url: None,
            notices: None,
            paper: None,
        };
        let compiled = compile(&opts).expect("the example site builds");
        let views = ViewValues::new(&compiled.model, None);
        for name in crate::incremental::GLOBALS {
            assert!(
                global_value(name, &compiled.config, &compiled.model, false, &views).is_some(),
                "{name}"
            );
        }
    }
}
