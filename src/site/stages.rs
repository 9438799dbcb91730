//! The stages of [`super::run`], one function each, and the [`Run`] they
//! share: the options, the problems found so far, the stage timings and, in
//! the preview, the cache.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::{BuildOptions, Cache, Compiled, Failure, Stats};
use crate::base::diagnostics::{Diagnostic, Level, PLACEHOLDER};
use crate::base::fingerprint::{self, Fingerprint};
use crate::base::output::{self, Emit, FileData, Files};
use crate::base::time::Clock;
use crate::base::vocab::{Paper, Word};
use crate::embedded;
use crate::load::config::{self, Config};
use crate::load::content::{Body, Content};
use crate::load::{validate as checks, walk};
use crate::markdown::{self, Rendered};
use crate::model::{self, Model, RenderedContent, Visibility};
use crate::record;
use crate::render::machine::{MachineDone, MachineReuse, machine_files};
use crate::render::notices;
use crate::render::pages::{self, ViewValues};
use crate::render::prints::{GLOBALS, Prints};
use crate::render::templates::{self, Templates};

/// A stage could not go on: the run ends with every problem found so far.
pub struct Stop;

type Step<T> = Result<T, Stop>;

/// What the stages of one run share.
pub struct Run<'o, 'c> {
    pub opts: &'o BuildOptions,
    pub diags: Vec<Diagnostic>,
    timings: Vec<(&'static str, Duration)>,
    pub cache: Option<&'c mut Cache>,
    /// site.toml's text, when the caller has already read it.
    pub settings: Option<String>,
    /// The templates' fingerprint, once they are loaded.
    pub templates: Fingerprint,
    /// What this run replaced in the cache, to be freed off its path.
    garbage: Vec<Box<dyn Send>>,
}

impl<'o, 'c> Run<'o, 'c> {
    pub fn new(opts: &'o BuildOptions, cache: Option<&'c mut Cache>) -> Self {
        Run {
            opts,
            diags: Vec::new(),
            timings: Vec::new(),
            cache,
            settings: None,
            templates: 0,
            garbage: Vec::new(),
        }
    }

    /// Run one stage and add its time to `name`'s.
    pub fn stage<T>(
        &mut self,
        name: &'static str,
        f: impl FnOnce(&mut Self) -> Step<T>,
    ) -> Result<T, Failure> {
        let start = Instant::now();
        let result = f(self);
        let took = start.elapsed();
        match self.timings.last_mut() {
            Some((last, t)) if *last == name => *t += took,
            _ => self.timings.push((name, took)),
        }
        result.map_err(|Stop| Failure::of(std::mem::take(&mut self.diags)))
    }

    /// Stop if any problem so far is an error.
    fn stop_on_errors(&self) -> Step<()> {
        if self.diags.iter().any(Diagnostic::is_error) {
            Err(Stop)
        } else {
            Ok(())
        }
    }

    fn caching(&self) -> bool {
        self.cache.is_some()
    }

    /// Take a part of the cache for this run (empty without a cache).
    fn take<T: Default>(&mut self, part: impl FnOnce(&mut Cache) -> &mut T) -> T {
        self.cache
            .as_deref_mut()
            .map(|c| std::mem::take(part(c)))
            .unwrap_or_default()
    }

    fn timed(&mut self, name: &'static str, took: Duration) {
        self.timings.push((name, took));
    }

    /// In the preview: keep what the next rebuild can reuse.
    pub fn keep(&mut self, prints: Option<Prints>, kept: Kept) {
        let (Some(c), Some(p)) = (self.cache.as_deref_mut(), prints) else {
            return;
        };
        let (values, previous) = p.values.into_parts();
        c.values = values;
        c.garbage.push(Box::new(previous));
        c.garbage.append(&mut self.garbage);
        c.garbage.extend(kept.garbage);
        c.pages = kept.pages;
        c.machine = kept.machine;
        c.feeds = kept.feeds;
        c.entries = kept.entries;
        c.units = kept.units;
        c.desk = kept.desk;
        c.rendered_pages = kept.rendered_pages;
        c.rendered_units = kept.rendered_units;
        let s = &mut c.stats;
        (s.pages_rendered, s.pages) = (kept.stats.pages_rendered, kept.stats.pages);
        (s.notices_rendered, s.notices) = (kept.stats.notices_rendered, kept.stats.notices);
        s.machine_rendered = kept.stats.machine_rendered;
    }

    /// The end: a failure if any problem is an error, else the result.
    pub fn finish(
        self,
        make: impl FnOnce(Vec<Diagnostic>, Vec<(&'static str, Duration)>) -> Compiled,
    ) -> Result<Compiled, Failure> {
        let mut diags = self.diags;
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Failure::of(diags));
        }
        crate::base::diagnostics::sort(&mut diags);
        Ok(make(diags, self.timings))
    }
}

/// Where `build` writes the site and the notices, or why it must not.
pub fn output_folders(opts: &BuildOptions) -> Result<(PathBuf, PathBuf, String), Failure> {
    let out = super::output_dir(opts);
    if let Some(why) = output::refuse_output(&opts.site, &out) {
        return Err(Failure::usage(
            Diagnostic::error("", format!("refusing to write to {}: {why}", out.display()))
                .with_hint("pass --output with a folder of its own, such as public/"),
        ));
    }
    // Nothing is created for a site that is not there: say what is missing.
    let text = match (opts.site.is_dir(), config::read(&opts.site)) {
        (true, Ok(text)) => text,
        _ => return Err(Failure::usage(missing_site(opts))),
    };
    // Where notices go depends on site.toml.
    let setting = config::load(text.clone(), &mut Vec::new())
        .map_or_else(|| "notices".to_string(), |c| c.notices.output);
    let notices = opts
        .notices
        .clone()
        .unwrap_or_else(|| opts.site.join(&setting));
    if let Some(why) = output::refuse_to_replace(&out) {
        return Err(Failure::usage(
            Diagnostic::error("", format!("refusing to write to {}: {why}", out.display())).with_hint(
                "pass --output with a new or empty folder; candor replaces only folders it wrote itself",
            ),
        ));
    }
    let why = output::refuse_output(&opts.site, &notices)
        .or_else(|| output::refuse_to_replace(&notices))
        .or_else(|| {
            let (a, b) = (output::absolute(&out), output::absolute(&notices));
            (a.starts_with(&b) || b.starts_with(&a)).then(|| {
                "notices must not be published: keep them outside the site's output folder"
                    .to_string()
            })
        });
    if let Some(why) = why {
        return Err(Failure::usage(
            Diagnostic::error(
                "",
                format!("refusing to write notices to {}: {why}", notices.display()),
            )
            .with_hint(
                "set [notices] output in site.toml, or pass --notices, with a folder of its own",
            ),
        ));
    }
    Ok((out, notices, text))
}

/// Why there is no site at `opts.site`.
fn missing_site(opts: &BuildOptions) -> Diagnostic {
    if !opts.site.is_dir() {
        return Diagnostic::error("", format!("{} is not a folder", opts.site.display()))
            .with_hint("pass --site with the folder that holds site.toml");
    }
    config::read(&opts.site)
        .err()
        .unwrap_or_else(|| Diagnostic::error(config::FILE, "cannot read site.toml"))
}

/// The text of `site.toml`: what every output is made from. A site folder
/// without one is a usage error.
pub fn read_settings(run: &mut Run) -> Step<String> {
    if let Some(text) = run.settings.take() {
        return Ok(text);
    }
    match (run.opts.site.is_dir(), config::read(&run.opts.site)) {
        (true, Ok(text)) => Ok(text),
        _ => {
            let d = missing_site(run.opts).usage();
            run.diags.push(d);
            Err(Stop)
        }
    }
}

/// The settings, with the command line's overrides (`--base-url`, `--paper`).
pub fn settings(run: &mut Run, text: &str) -> Option<Config> {
    let opts = run.opts;
    let diags = &mut run.diags;
    let mut config = config::load(text.to_string(), diags)?;
    if let Some(url) = &opts.base_url {
        match config::parse_base_url(url) {
            Ok(path) => {
                config.base_url = url.trim_end_matches('/').to_string();
                config.root_path = path.clone();
                config.base_path = path;
            }
            Err(msg) => {
                diags.push(Diagnostic::error("", format!("--base-url: {msg}")).usage());
                return None;
            }
        }
    }
    if let Some(paper) = &opts.paper {
        let Some(paper) = Paper::from_id(paper) else {
            diags.push(Diagnostic::error("", format!("--paper {paper}: use a4 or letter")).usage());
            return None;
        };
        config.notices.paper = paper;
    }
    Some(config)
}

/// Every content file, read and parsed in parallel (in the preview, only
/// those that changed).
pub fn load_content(run: &mut Run) -> Content {
    let site = &run.opts.site;
    let mut content = walk::load_cached(
        site,
        &mut run.diags,
        run.cache.as_deref_mut().map(|c| &mut c.load),
    );
    content.lookup = site.join("static/affected/manifest.json").is_file();
    if let Some(c) = run.cache.as_deref_mut() {
        c.stats = Stats {
            files_read: c.load.read,
            files_parsed: c.load.parsed,
            files: c.load.files(),
            ..Stats::default()
        };
    }
    content
}

/// What needs the whole site; then the settings must be there, and the
/// site's clock is made from them.
pub fn validate(run: &mut Run, content: &Content, config: Option<Config>) -> Step<(Config, Clock)> {
    let placeholders = run.cache.as_deref_mut().map(|c| &mut c.placeholders);
    checks::whole_site(content, &mut run.diags, placeholders);
    if !run.opts.drafts && !run.opts.lenient {
        publishable(&mut run.diags);
    }
    let mut config = config.ok_or(Stop)?;
    let strings = crate::load::i18n::load(
        &run.opts.site,
        &config.theme,
        &config.language,
        &mut run.diags,
    );
    config.in_language(strings.clone());
    super::languages::setup(&run.opts.site, &mut config, &mut run.diags);
    crate::load::translate::check(content, &config, &mut run.diags);
    let mut clock = Clock::or_utc(&config.timezone).in_language(strings);
    if let Some(c) = run.cache.as_deref_mut() {
        // Views of the same instants in the same zone and words are made once.
        let (zone, memo) = &mut c.times;
        let key = format!("{} {:032x}", clock.tz_name, clock.strings.fingerprint);
        if *zone != key {
            *zone = key;
            *memo = Default::default();
        }
        clock = clock.with_memo(std::sync::Arc::clone(memo));
    }
    checks::schedule(
        content,
        &clock,
        run.opts.now,
        run.opts.drafts,
        &mut run.diags,
    );
    Ok((config, clock))
}

/// What is published must hold no placeholder: each is an error, saying
/// how to see the site with them while drafting.
fn publishable(diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.code == Some(PLACEHOLDER)) {
        d.level = Level::Error;
        let hint = d.hint.take().unwrap_or_default();
        d.hint = Some(format!(
            "{hint}. `candor serve` and `candor build --drafts` show the site with placeholders while you draft"
        ));
    }
}

/// Every Markdown body to HTML, in parallel; in the preview a body renders
/// again only when its text, file or first line changed.
pub fn markdown(run: &mut Run, content: &Content, config: &Config) -> RenderedContent {
    let base_path = config.base_path.as_str();
    let mut previous = run.take(|c| &mut c.markdown);
    // The site's address is in every link: when it moves, nothing is kept.
    if previous.base_path != base_path {
        previous.bodies.clear();
    }
    let caching = run.caching();
    let mut kept = crate::site::cache::MarkdownCache {
        base_path: base_path.to_string(),
        bodies: HashMap::new(),
    };
    let (mut fresh_count, mut total) = (0, 0);
    let diags = &mut run.diags;
    let mut take = |bodies: Vec<&Body>, once: bool| -> Vec<Arc<Rendered>> {
        // A body is the same when its text is the very string it was (the
        // load stage keeps an unchanged file's text shared), in the same
        // file, from the same line.
        // Only the preview keeps bodies: a build makes no keys.
        type Before = (
            Option<(String, usize)>,
            Option<crate::site::cache::KeptBody>,
        );
        let before: Vec<Before> = bodies
            .iter()
            .map(|b| {
                if !caching {
                    return (None, None);
                }
                let key = (b.file.clone(), b.first_line);
                let kept = previous
                    .bodies
                    .remove(&key)
                    .filter(|k| Arc::ptr_eq(&k.text, &b.text));
                (Some(key), kept)
            })
            .collect();
        type Result = (
            Option<(String, usize)>,
            bool,
            Arc<Rendered>,
            Arc<[Diagnostic]>,
        );
        let results: Vec<Result> = bodies
            .par_iter()
            .zip(before)
            .map(|(b, (key, before))| match before {
                Some(k) => (key, false, k.rendered, k.diags),
                None => {
                    let mut d = Vec::new();
                    let r = Arc::new(markdown::render(b, base_path, &mut d));
                    (key, true, r, Arc::from(d))
                }
            })
            .collect();
        let mut out = Vec::with_capacity(results.len());
        let diag_key = |d: &Diagnostic| (d.file.clone(), d.line, d.col, d.message.clone());
        let mut seen: std::collections::HashSet<_> = match once {
            true => diags.iter().map(diag_key).collect(),
            false => Default::default(),
        };
        for (b, (key, fresh, r, d)) in bodies.iter().zip(results) {
            total += 1;
            fresh_count += usize::from(fresh);
            diags.extend(
                d.iter()
                    .filter(|d| !once || seen.insert(diag_key(d)))
                    .cloned(),
            );
            if let Some(key) = key {
                kept.bodies.insert(
                    key,
                    crate::site::cache::KeptBody {
                        text: Arc::clone(&b.text),
                        rendered: Arc::clone(&r),
                        diags: d,
                    },
                );
            }
            out.push(r);
        }
        out
    };
    let mut one = |b: &Option<Body>| b.as_ref().and_then(|b| take(vec![b], false).pop());
    let (home, faq_intro, guidance_intro) = (
        one(&content.home.body),
        one(&content.faq_intro.body),
        one(&content.guidance_intro.body),
    );
    let rendered = RenderedContent {
        home,
        faq_intro,
        guidance_intro,
        incidents: take(content.incidents.iter().map(|i| &i.body).collect(), false),
        audiences: Vec::new(),
        updates: take(content.updates.iter().map(|u| &u.body).collect(), false),
        faq: take(content.faq.iter().map(|f| &f.body).collect(), false),
        guidance: take(content.guidance.iter().map(|g| &g.body).collect(), false),
        pages: take(content.pages.iter().map(|p| &p.body).collect(), false),
    };
    // An audience's notice shares most lines with everyone's: what those
    // lines warn of is said once.
    let mut rendered = rendered;
    rendered.audiences = take(
        content
            .incidents
            .iter()
            .flat_map(|i| i.audiences.iter().map(|a| &a.body))
            .collect(),
        true,
    );
    if let Some(c) = run.cache.as_deref_mut() {
        c.markdown = kept;
        c.garbage.push(Box::new(previous));
        c.stats.markdown_rendered = fresh_count;
        c.stats.markdown = total;
    }
    rendered
}

/// The templates, parsed once before any page renders. Here the run stops
/// if anything so far is an error: nothing is rendered from a broken site.
pub fn templates(run: &mut Run, config: &Config, clock: &Clock) -> Step<Templates> {
    let templates = templates::load(&run.opts.site, config, clock, &mut run.diags);
    run.stop_on_errors()?;
    let templates = templates.ok_or(Stop)?;
    run.templates = templates.fingerprint;
    Ok(templates)
}

/// The published record: what the site says now against what it said
/// before. Unannounced changes are errors here, in the preview and in
/// `check` alike; only `build` (`seal`) adds and writes what is new.
pub fn record(
    run: &mut Run,
    config: &Config,
    content: &Content,
    seal: bool,
) -> Option<record::Reconciled> {
    let o = run.opts;
    let mut reconciled = record::reconcile(
        &o.site,
        &config.permalink(""),
        content,
        o.now,
        seal,
        run.cache.as_deref_mut().map(|c| &mut c.record),
        &mut run.diags,
    )?;
    // What a build will write is written now, beside the record, and put
    // in place once the pages are made (`build` does, first of all).
    if seal && !o.drafts && !o.locked && reconciled.added > 0 {
        let path = record::path(&o.site);
        if let Err(e) = reconciled.stage(&path) {
            run.diags.push(
                Diagnostic::error(
                    record::chain::FILE,
                    format!("cannot write the published record: {e}"),
                )
                .with_hint(crate::base::output::WRITE_HINT)
                .io(),
            );
        }
    }
    Some(reconciled)
}

pub fn assemble(
    run: &mut Run,
    config: &Config,
    clock: &Clock,
    content: &Content,
    rendered: RenderedContent,
    history: &record::History,
) -> Model {
    let vis = Visibility {
        now: run.opts.now,
        include_drafts: run.opts.drafts,
    };
    let views = run.cache.as_deref_mut().map(|c| {
        c.views.enter(model::Views::context(config, clock, vis));
        &mut c.views
    });
    model::assemble(config, clock, content, rendered, vis, history, views)
}

/// Let go of the Markdown of every update whose notices are not rendered
/// (see [`notices::sent`]): a build no longer needs it once the model is
/// assembled and the record compared.
pub fn release_bodies(content: &mut Content, model: &Model) {
    let kept: std::collections::HashSet<(&str, &str)> = model
        .incidents
        .iter()
        .flat_map(|i| notices::sent(i, false))
        .map(|u| (u.incident_slug.as_str(), u.slug.as_str()))
        .collect();
    for u in &mut content.updates {
        if !kept.contains(&(u.incident.as_str(), u.slug.as_str())) {
            // A build keeps nothing between runs: each update is held
            // here alone, so this frees its text rather than copying it.
            std::sync::Arc::make_mut(u).body.text = std::sync::Arc::from("");
        }
    }
}

/// In the preview: fingerprints of the model's parts, to tell what changed.
pub fn fingerprints(
    run: &mut Run,
    settings: &str,
    templates: &Templates,
    model: &Model,
    has_code: bool,
) -> Option<Prints> {
    let o = run.opts;
    // What every output depends on: the settings, how they were overridden,
    // and the templates.
    let settings = fingerprint::of(&(settings, &o.base_url, &o.paper, o.drafts));
    let base = fingerprint::Fp::new()
        .add(&settings)
        .add(&templates.fingerprint)
        .finish();
    let values = run
        .cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.values))?;
    Some(Prints::of(base, model, has_code, values))
}

/// What a build's outputs are made from, in one fingerprint: the settings
/// and how they were overridden, the templates, and the model (in the
/// preview, its fingerprints' fingerprint: not hashed whole again).
pub fn fingerprint_of(
    run: &Run,
    settings: &str,
    model: &Model,
    prints: Option<Fingerprint>,
) -> Fingerprint {
    let o = run.opts;
    let mut fp = fingerprint::Fp::new();
    fp.add(&(settings, &o.base_url, &o.paper, o.drafts))
        .add(&run.templates);
    if o.all_notices {
        fp.add("all notices");
    }
    match prints {
        Some(p) => fp.add(&p),
        None => fp.add(model),
    };
    fp.finish()
}

/// What the render stage made.
pub struct Outputs {
    pub files: Files,
    pub notices: Files,
    pub pages: usize,
    pub kept: Kept,
}

/// What the preview keeps of a render for the next one.
#[derive(Default)]
pub struct Kept {
    pages: pages::PageCache,
    machine: Option<crate::render::machine::SiteWide>,
    feeds: HashMap<String, crate::render::prints::Made>,
    entries: crate::render::machine::EntryCache,
    units: HashMap<String, crate::render::prints::Made>,
    desk: crate::render::desk::Kept,
    rendered_pages: Vec<String>,
    rendered_units: Vec<String>,
    stats: Stats,
    garbage: Vec<Box<dyn Send>>,
}

/// Pages, machine files and notices, side by side. In the preview only
/// what changed is rendered; the rest is reused.
pub fn render(
    run: &mut Run,
    mut templates: Templates,
    input: &Input<'_>,
    emit: Emit<'_>,
) -> (Outputs, Templates) {
    let Input {
        config,
        content,
        model,
        has_code,
        prints,
    } = *input;
    let planning = Instant::now();
    let previous_pages = run.take(|c| &mut c.pages);
    let plan = pages::plan_pages(
        &templates,
        config,
        model,
        prints.map(|p| (&previous_pages, p)),
    );
    run.garbage.push(Box::new(previous_pages));
    let notice_reads = notices::reads(&templates);
    let planned = planning.elapsed();
    let views = ViewValues::new(model, prints);
    let reads = (prints.is_some(), plan.reads.as_slice(), &notice_reads);
    set_globals(&mut templates, config, model, has_code, &views, reads);
    let globals_took = planning.elapsed() - planned;
    let (machine_reuse, notice_reuse) = reuse(run, prints, &notice_reads);
    let caching = run.caching();
    let mut rendered_pages: Vec<String> = match caching {
        true => plan.render.iter().map(|(j, _)| j.path.clone()).collect(),
        false => Vec::new(),
    };
    rendered_pages.sort();
    let t = &templates;
    let now = run.opts.now;
    let run_all = run.opts.all_notices;
    let ((pages, pages_took), ((machine, machine_took), (notices, notices_took))) = rayon::join(
        || timed(|| pages::render_pages(t, config, &views, plan, emit, caching)),
        || {
            rayon::join(
                || timed(|| machine_files(config, model, now, machine_reuse, emit)),
                || {
                    timed(|| {
                        notices::render(
                            t,
                            config,
                            content,
                            model,
                            emit,
                            notice_reuse,
                            (&views, run_all),
                        )
                    })
                },
            )
        },
    );
    for (name, took) in [
        ("  plan", planned),
        ("  globals", globals_took),
        ("  pages", pages_took),
        ("  feeds", machine_took),
        ("  notices", notices_took),
    ] {
        run.timed(name, took);
    }
    (
        gather(run, pages, machine, notices, rendered_pages),
        templates,
    )
}

/// What the render stage reads besides the templates.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub config: &'a Config,
    pub content: &'a Content,
    pub model: &'a Model,
    pub has_code: bool,
    pub prints: Option<&'a Prints>,
}

/// In the preview: the last rebuild's machine files and notices, to reuse
/// what did not change.
fn reuse<'p>(
    run: &mut Run,
    prints: Option<&'p Prints>,
    reads: &'p notices::Reads,
) -> (Option<MachineReuse<'p>>, Option<notices::Reuse<'p>>) {
    let (Some(c), Some(p)) = (run.cache.as_deref_mut(), prints) else {
        return (None, None);
    };
    let machine = MachineReuse {
        machine: c.machine.take(),
        feeds: std::mem::take(&mut c.feeds),
        entries: std::mem::take(&mut c.entries),
        prints: p,
    };
    let notices = notices::Reuse {
        previous: std::mem::take(&mut c.units),
        prints: p,
        reads,
        desk: std::mem::take(&mut c.desk),
    };
    (Some(machine), Some(notices))
}

/// The render stage's files and problems in one place, and what the
/// preview keeps of them.
fn gather(
    run: &mut Run,
    pages_done: pages::PagesDone,
    machine_done: MachineDone,
    notices_done: notices::Done,
    rendered_pages: Vec<String>,
) -> Outputs {
    let mut files = pages_done.files;
    run.diags.extend(pages_done.diags);
    for (path, data) in machine_done.files {
        files.insert(path, data);
    }
    run.diags.extend(machine_done.diags);
    for d in notices_done.diags {
        // The same template error can repeat for every notice using it.
        if !run.diags.contains(&d) {
            run.diags.push(d);
        }
    }
    Outputs {
        files,
        notices: notices_done.files,
        pages: pages_done.pages,
        kept: Kept {
            pages: pages_done.kept,
            machine: machine_done.machine,
            feeds: machine_done.feeds,
            entries: machine_done.entries,
            units: notices_done.kept,
            desk: notices_done.desk,
            rendered_pages,
            rendered_units: notices_done.rendered_units,
            stats: Stats {
                pages_rendered: pages_done.rendered,
                pages: pages_done.pages,
                notices_rendered: notices_done.rendered,
                notices: notices_done.units,
                machine_rendered: machine_done.rendered,
                ..Stats::default()
            },
            garbage: vec![
                Box::new(machine_done.previous),
                Box::new(notices_done.previous),
                Box::new(notices_done.previous_desk),
            ],
        },
    }
}

/// Site-wide values live in Tera's global context: shared, not copied per
/// page. The preview sets only those that what it renders reads.
fn set_globals(
    templates: &mut Templates,
    config: &Config,
    model: &Model,
    has_code: bool,
    views: &ViewValues,
    (caching, page_reads, notice_reads): (bool, &[&str], &notices::Reads),
) {
    let needed = GLOBALS.iter().copied().filter(|g| {
        !caching
            || page_reads.contains(g)
            || notice_reads.incident.contains(g)
            || notice_reads.update.contains(g)
    });
    let globals = templates.tera.global_context();
    for name in needed {
        if let Some(value) = pages::global_value(name, config, model, has_code, views) {
            globals.insert_value(name, value);
        }
    }
}

/// Run `f`, and say how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let t = f();
    (t, start.elapsed())
}

/// Theme static files, then the site's `static/` over them, then assets
/// that sit beside content files.
pub fn static_files(
    run: &mut Run,
    config: &Config,
    content: &Content,
    has_code: bool,
    files: &mut Files,
) {
    let (site, diags) = (run.opts.site.as_path(), &mut run.diags);
    for (path, bytes) in embedded::THEME_FILES {
        if let Some(rel) = path.strip_prefix("static/") {
            // The "Am I affected?" page's script, only with its page.
            if rel == "affected.js" && !content.lookup {
                continue;
            }
            files.insert(rel.to_string(), FileData::Bytes(bytes.to_vec()));
        }
    }
    if has_code {
        files.insert(
            "highlight.css".into(),
            FileData::Bytes(markdown::highlight::stylesheet().as_bytes().to_vec()),
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
                    if walk::is_ignored_name(&e.file_name().to_string_lossy()) {
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
                Ok(e) if e.file_type().is_symlink() => diags.push(
                    Diagnostic::warning(
                        e.path()
                            .strip_prefix(site)
                            .unwrap_or(e.path())
                            .display()
                            .to_string(),
                        "symbolic links in static/ are not followed, so this is not published",
                    )
                    .with_hint("copy the file itself into static/"),
                ),
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
