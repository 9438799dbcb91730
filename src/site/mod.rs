//! The orchestrator: the pipeline's stages in order, each timed.
//!
//! [`compile`] goes from a site folder to its output files in memory (or
//! streamed to staging folders); [`build`] then swaps them in atomically.
//! `serve` compiles with a [`Cache`] ([`compile_incremental`]) and `check`
//! compiles without writing. Each stage is a function of [`stages`].

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::base::diagnostics::{self, Diagnostic};
use crate::base::output::{self, Emit, Files, Staging};
use crate::load::config::Config;
use crate::load::content::Content;
use crate::model::Model;

pub mod cache;
pub mod languages;
pub mod links;
mod stages;

pub use cache::{Cache, Stats};

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
    /// For `check`, which reports these itself: `TODO:` placeholders are
    /// let through as warnings (as `--drafts` does) and links are not
    /// checked. Otherwise each stops a build.
    pub lenient: bool,
    /// `build --locked`: the published record must already hold what this
    /// build publishes (for CI, where a record written would be lost).
    pub locked: bool,
    /// Render every update's email and social posts. By default only the
    /// newest update of each incident that goes by email or social post
    /// is rendered (what a business sends); `check` judges them all.
    pub all_notices: bool,
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
    /// site.toml as written, for `check` to say where a setting is.
    pub settings: String,
    /// The published record with what this build adds (`build` writes it).
    pub record: Option<crate::record::Reconciled>,
    pub pages: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// What the outputs are made from: the settings, the templates and the
    /// model (which holds "now"). The same for the same input.
    pub fingerprint: crate::base::fingerprint::Fingerprint,
    /// The theme's templates, for rendering more (each person's notice).
    pub templates: crate::render::templates::Templates,
}

/// Why a build failed.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    /// 1 for problems in the site's content or templates, 2 for usage or I/O
    /// (see [`diagnostics::exit_code`]).
    pub exit_code: i32,
}

impl Failure {
    /// A failure with these problems, sorted; the exit code follows from them.
    pub fn of(mut diagnostics: Vec<Diagnostic>) -> Failure {
        diagnostics::sort(&mut diagnostics);
        Failure {
            exit_code: diagnostics::exit_code(&diagnostics).max(1),
            diagnostics,
        }
    }

    fn usage(d: Diagnostic) -> Failure {
        Failure::of(vec![d.usage()])
    }
}

/// The result of a successful `build`.
pub struct Built {
    pub output: PathBuf,
    pub notices: PathBuf,
    /// Entries this build added to the published record.
    pub recorded: usize,
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

/// Compile, then write to the output folders atomically.
pub fn build(opts: &BuildOptions) -> Result<Built, Failure> {
    let start = Instant::now();
    // site.toml is read once: here, for where the notices go, and the
    // pipeline takes the same text.
    let (out, notices_dir, settings) = stages::output_folders(opts)?;
    let io_failure = |e: std::io::Error, dir: &std::path::Path| {
        Failure::of(vec![
            Diagnostic::error("", format!("could not write {}: {e}", dir.display()))
                .with_hint(output::WRITE_HINT)
                .io(),
        ])
    };
    // A swap an interruption left half done is finished first, so the site
    // and the notices are always from the same build.
    let mut recovered = Vec::new();
    if let Some(id) = output::build_id(&out)
        && output::roll_forward(&notices_dir, &id).map_err(|e| io_failure(e, &notices_dir))?
    {
        recovered.push(
            Diagnostic::warning("", format!("{} was from an earlier build than {}: the last build was interrupted between the two; its notices are now in place", notices_dir.display(), out.display()))
                .with_hint("nothing to do: the site and the notices are from the same build again"),
        );
    }
    let site_staging = Staging::new(&out).map_err(|e| io_failure(e, &out))?;
    let notices_staging = Staging::new(&notices_dir).map_err(|e| io_failure(e, &notices_dir))?;
    let emit = Emit::Staged {
        site: &site_staging,
        notices: &notices_staging,
    };
    let mut compiled = run(opts, emit, None, Some(settings)).map_err(|mut f| {
        f.diagnostics.splice(0..0, recovered.iter().cloned());
        f
    })?;
    compiled.diagnostics.splice(0..0, recovered);
    let t = Instant::now();
    // The record first: once the site is out, what it published must be
    // on record. A `--drafts` build is a preview and records nothing.
    let recorded = match &compiled.record {
        Some(r) if r.added > 0 && opts.locked && !opts.drafts => {
            let mut d = Diagnostic::error(
                crate::record::chain::FILE,
                format!(
                    "--locked: this build would add {} {} to the published record",
                    r.added,
                    if r.added == 1 { "entry" } else { "entries" }
                ),
            )
            .with_hint("build without --locked where the record is kept (your own copy of the site), commit record.jsonl, and build here again");
            d.note = Some(
                r.chain.entries[r.chain.entries.len().saturating_sub(r.added)..]
                    .iter()
                    .map(|e| format!("{:?} {}", e.event, e.id).to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            let mut failure = Failure::of(vec![d]);
            failure.diagnostics.splice(0..0, compiled.diagnostics);
            return Err(failure);
        }
        Some(r) if r.added > 0 && !opts.drafts => {
            let path = crate::record::path(&opts.site);
            r.write_to(&path).map_err(|e| {
                let mut failure = io_failure(e, &path);
                failure
                    .diagnostics
                    .splice(0..0, compiled.diagnostics.clone());
                failure
            })?;
            r.added
        }
        _ => 0,
    };
    let build = format!("{:032x}", compiled.fingerprint);
    let written = site_staging
        .mark(&build)
        .and_then(|()| notices_staging.mark(&build))
        .and_then(|()| site_staging.write(&compiled.files))
        .and_then(|()| notices_staging.write(&compiled.notices))
        .and_then(|()| site_staging.commit())
        .and_then(|()| {
            // For the fault tests: stop dead between the two swaps.
            if std::env::var_os("CANDOR_FAULT_BETWEEN_SWAPS").is_some() {
                std::process::abort();
            }
            notices_staging.commit()
        });
    if let Err(e) = written {
        let mut failure = io_failure(e, &out);
        failure.diagnostics.splice(0..0, compiled.diagnostics);
        return Err(failure);
    }
    compiled.timings.push(("write", t.elapsed()));
    Ok(Built {
        output: out,
        notices: notices_dir,
        recorded,
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
    run(opts, emit, None, None)
}

/// [`compile`] for the preview: reuses what `cache` kept from the last
/// rebuild, rendering again only what the changes can touch (see
/// [`cache`]). The result is the same as [`compile`]'s.
pub fn compile_incremental(opts: &BuildOptions, cache: &mut Cache) -> Result<Compiled, Failure> {
    run(opts, Emit::Memory, Some(cache), None)
}

/// The pipeline: each stage in order, timed. A stage that leaves errors
/// ends the run with all of them.
fn run(
    opts: &BuildOptions,
    emit: Emit<'_>,
    cache: Option<&mut Cache>,
    settings: Option<String>,
) -> Result<Compiled, Failure> {
    let mut run = stages::Run::new(opts, cache);
    run.settings = settings;
    // 1. load: site.toml, then every content file, in parallel
    let settings = run.stage("load", stages::read_settings)?;
    let config = run.stage("load", |r| Ok(stages::settings(r, &settings)))?;
    let mut content = run.stage("load", |r| Ok(stages::load_content(r)))?;
    // 2. validate what needs the whole site
    let (config, clock) = run.stage("validate", |r| stages::validate(r, &content, config))?;
    // Translations into a language the site does not publish (a warning
    // says so) are neither rendered nor recorded.
    content
        .translations
        .retain(|t| config.languages.contains(&t.lang));
    // 3. the published record: nothing said is quietly changed
    let seal = matches!(emit, Emit::Staged { .. });
    let record = run.stage("record", |r| Ok(stages::record(r, &config, &content, seal)))?;
    let history = record
        .as_ref()
        .map(|r| r.history.clone())
        .unwrap_or_default();
    // 4. render Markdown, in parallel
    let rendered = run.stage("markdown", |r| Ok(stages::markdown(r, &content, &config)))?;
    let templates = run.stage("templates", |r| stages::templates(r, &config, &clock))?;
    // 5. assemble the model, and in the preview fingerprint its parts
    let has_code = rendered.has_code();
    let links = links::of(&content, &rendered, opts.drafts);
    let mut model = run.stage("assemble", |r| {
        Ok(stages::assemble(
            r, &config, &clock, &content, rendered, &history,
        ))
    })?;
    // The site in its other languages, while every original is at hand.
    let mut others = if config.alternates.len() > 1 {
        run.stage("languages", |r| {
            let pass = languages::Pass {
                site: &r.opts.site,
                config: &config,
                clock: &clock,
                content: &content,
                history: &history,
                vis: crate::model::Visibility {
                    now: r.opts.now,
                    include_drafts: r.opts.drafts,
                },
                all_notices: r.opts.all_notices,
                has_code,
            };
            Ok(languages::render(&pass, &mut r.diags))
        })?
    } else {
        languages::Made::default()
    };
    model.translations = std::mem::take(&mut others.summaries);
    // A build writes each page as it renders it: an update's Markdown is
    // needed again only for the notices rendered from it, so the rest is
    // let go before the render.
    if matches!(emit, Emit::Staged { .. }) && !opts.all_notices {
        stages::release_bodies(&mut content, &model);
    }
    let prints = run.stage("prints", |r| {
        Ok(stages::fingerprints(
            r, &settings, &templates, &model, has_code,
        ))
    })?;
    // 6. render pages, machine files and notices side by side
    let input = stages::Input {
        config: &config,
        content: &content,
        model: &model,
        has_code,
        prints: prints.as_ref(),
    };
    let (outputs, templates) =
        run.stage("render", |r| Ok(stages::render(r, templates, &input, emit)))?;
    // 7. the theme's and the site's static files beside them, and the record
    let mut files = outputs.files;
    let mut notices = outputs.notices;
    files.extend(others.files);
    notices.extend(others.notices);
    run.stage("render", |r| {
        stages::static_files(r, &config, &content, has_code, &mut files);
        Ok(())
    })?;
    if let Some(r) = &record {
        files.insert(crate::record::chain::FILE.to_string(), r.file());
    }
    // 8. every link between the site's pages leads somewhere
    run.stage("links", |r| {
        if !r.opts.lenient {
            let kept = r
                .cache
                .as_deref_mut()
                .map(|c| (&mut c.anchors, &mut c.links));
            links::check(&links, &files, emit, &config, kept, &mut r.diags);
        }
        Ok(())
    })?;
    // The preview's fingerprints already stand for the model.
    let prints_model = prints.as_ref().map(|p| p.model());
    run.keep(prints, outputs.kept);
    let fingerprint = stages::fingerprint_of(&run, &settings, &model, prints_model);
    run.finish(|diagnostics, timings| Compiled {
        fingerprint,
        config,
        model,
        files,
        notices,
        content,
        settings,
        record,
        pages: outputs.pages + others.pages,
        diagnostics,
        timings,
        templates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::feeds;
    use crate::render::pages::{ViewValues, global_value};
    use crate::render::prints::GLOBALS;

    /// Every site-wide variable has a value: a name added to GLOBALS but
    /// to neither table would otherwise be missing from templates.
    #[test]
    fn every_global_has_a_value() {
        let opts = BuildOptions {
            site: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"),
            output: None,
            drafts: false,
            now: "2026-12-01T12:00:00Z".parse().expect("a time"),
            base_url: None,
            notices: None,
            paper: None,
            lenient: false,
            locked: false,
            all_notices: false,
        };
        let compiled = compile(&opts).expect("the example site builds");
        let views = ViewValues::new(&compiled.model, None);
        for name in GLOBALS {
            assert!(
                global_value(name, &compiled.config, &compiled.model, false, &views).is_some(),
                "{name}"
            );
        }
    }

    /// The feed made entry by entry is the feed atom_syndication writes whole.
    #[test]
    fn spliced_feed_is_the_crates_own() {
        let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let opts = BuildOptions {
            site,
            output: None,
            drafts: true,
            now: "2030-01-01T00:00:00Z".parse().expect("time"),
            base_url: None,
            notices: None,
            paper: None,
            lenient: false,
            locked: false,
            all_notices: false,
        };
        let compiled = compile(&opts).expect("the example site builds");
        let (config, model) = (&compiled.config, &compiled.model);
        assert!(!model.updates.is_empty());
        let (_, spliced) = feeds::site_feed(config, model, &|u, w| feeds::entry_xml(config, u, w));
        let mut whole =
            atom_syndication::Feed::read_from(&spliced[..]).expect("the spliced feed parses");
        whole.set_entries(
            model
                .updates
                .iter()
                .map(|u| &**u)
                .filter(feeds::published)
                .map(|u| feeds::entry(config, u, model.incidents.len() > 1))
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            String::from_utf8_lossy(&spliced),
            String::from_utf8_lossy(&feeds::write(&whole))
        );
    }
}
