//! The command line: flags in, library calls, messages out.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;

use crate::base::diagnostics::{self, Diagnostic, Style};
use crate::site::{self, BuildOptions, Failure};

#[derive(Debug, Parser)]
#[command(
    name = "candor",
    version,
    about = "Build a clear, honest, timestamped site for a data-breach or security incident",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new site from the starter kit
    Init(InitArgs),
    /// Add an incident, an update or a question, with its front matter filled in
    #[command(subcommand)]
    New(NewCommand),
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
    /// Preview the site in your browser, rebuilding as you save
    Serve(ServeArgs),
    /// Check the notice against the rules of its regimes, and list its deadlines
    Check(CheckArgs),
    /// Copy the built-in theme's templates into templates/ to edit (all of them, or those named)
    Templates(TemplatesArgs),
    /// Print a web server's configuration for the built site: the same security and cache headers as _headers
    Hosting(HostingArgs),
    /// Compare a saved copy of a site's published record with the live one: was anything rewritten?
    VerifyRecord(VerifyRecordArgs),
    /// Write a personal letter and email for every person in a recipients file, and the "Am I affected?" answers
    Notices(NoticesArgs),
}

#[derive(Debug, Args)]
pub struct NoticesArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// The recipients: CSV with a header row (name, address_1 …, town, region, postcode, country, email, audience, …)
    #[arg(long, value_name = "FILE.csv")]
    pub recipients: PathBuf,
    /// The incident, by its folder name (default: the only published one)
    #[arg(long, value_name = "NAME")]
    pub incident: Option<String>,
    /// Leave out wrong rows (each is listed) instead of writing nothing
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where to write the letters and emails (default: mailing/ in the site folder; never published)
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Write as if it were this time (RFC 3339 with an offset): the date on the letters
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Print only problems
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct VerifyRecordArgs {
    /// The copy saved earlier: a file, or an https:// address
    #[arg(value_name = "SAVED")]
    pub saved: String,
    /// The record to compare it with (default: the live one, at the address the saved copy names)
    #[arg(value_name = "LIVE")]
    pub live: Option<String>,
}

#[derive(Debug, Args)]
pub struct HostingArgs {
    /// nginx, caddy or apache (a server's configuration), s3 (an upload script) or github-pages (a publish workflow)
    #[arg(value_parser = ["nginx", "caddy", "apache", "s3", "github-pages"])]
    pub server: String,
    /// The site folder; defaults to the current folder
    #[arg(long = "site", value_name = "DIR", default_value = ".")]
    pub site: PathBuf,
    /// The folder the server serves (default: the site's public/, as an absolute path)
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// What nginx listens on (default 80)
    #[arg(long, value_name = "ADDR", default_value = "80")]
    pub listen: String,
}

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// Templates to copy, such as update.html or partials/contact.html (default: all)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// The site folder; defaults to the current folder
    #[arg(long = "site", value_name = "DIR", default_value = ".")]
    pub site: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// human (grouped by file) or json
    #[arg(long, default_value = "human", value_parser = ["human", "json"])]
    pub format: String,
    /// Fail on warnings (should rules) too
    #[arg(long)]
    pub strict: bool,
    /// Check as if it were this time (RFC 3339 with an offset): deadlines, staleness
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// List every place candor has breach-notification rules for, and when each was last checked
    #[arg(long)]
    pub rules: bool,
    /// Show no progress while checking (the report is printed all the same)
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// The address to listen on; anything but loopback lets others read your drafts
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port; 0 picks a free one
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// Open the preview in your web browser
    #[arg(long)]
    pub open: bool,
    /// Leave out drafts and scheduled updates, as `build` does
    #[arg(long)]
    pub no_drafts: bool,
    /// Preview as if it were this time (RFC 3339 with an offset)
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (default: the current folder)
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Include guidance for these regions (uk, us, eu); default: all of them
    #[arg(long = "region", value_name = "REGION", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Add the starter files to a folder that is not empty (existing files are kept)
    #[arg(long)]
    pub force: bool,
    /// Use this time for the placeholder incident (RFC 3339 with an offset)
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Also set up publishing: a GitHub Pages workflow, an S3 upload script, or _headers for Netlify and Cloudflare Pages
    #[arg(long, value_name = "HOST", value_parser = ["github-pages", "s3", "netlify", "cloudflare-pages"])]
    pub hosting: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A new incident: content/incidents/<SLUG>/_index.md
    Incident {
        /// The incident's name in web addresses, such as customer-database-2026
        slug: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        common: NewArgs,
    },
    /// A new update to an incident, timed now
    Update {
        /// The incident's folder name
        incident: String,
        #[arg(long)]
        title: Option<String>,
        /// investigating, identified, contained, monitoring or resolved (default: the latest update's)
        #[arg(long)]
        status: Option<String>,
        /// When the update is about (RFC 3339 with an offset): its `at` and its file name (default: now)
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        #[command(flatten)]
        common: NewArgs,
    },
    /// A new question and answer: content/faq/<SLUG>.md
    Faq {
        slug: String,
        #[arg(long)]
        question: Option<String>,
        #[command(flatten)]
        common: NewArgs,
    },
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The site folder; defaults to the current folder
    #[arg(long = "site", value_name = "DIR", default_value = ".")]
    pub site: PathBuf,
    /// Use this time instead of the clock (RFC 3339 with an offset)
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct SiteArg {
    /// The site folder (holding site.toml and content/); defaults to the current folder
    #[arg(value_name = "SITE")]
    pub site_pos: Option<PathBuf>,
    /// The site folder, as a flag
    #[arg(long = "site", value_name = "DIR", conflicts_with = "site_pos")]
    pub site_flag: Option<PathBuf>,
}

impl SiteArg {
    pub fn path(&self) -> PathBuf {
        self.site_flag
            .clone()
            .or_else(|| self.site_pos.clone())
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Where to write the site (default: SITE/public)
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include drafts and scheduled updates, marked as such
    #[arg(long)]
    pub drafts: bool,
    /// Build as if it were this time (RFC 3339 with an offset); default: SOURCE_DATE_EPOCH, else the clock
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Publish under this address instead of site.toml's base_url
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Where to write the email, letter and social renders (default: SITE/notices)
    #[arg(long, value_name = "DIR")]
    pub notices: Option<PathBuf>,
    /// Paper size of the printed letter: a4 or letter (default: site.toml, else a4)
    #[arg(long, value_name = "SIZE")]
    pub paper: Option<String>,
    /// Fail if this build would add to the published record (record.jsonl): for CI and deploys
    #[arg(long)]
    pub locked: bool,
    /// Write every update's email and social posts into the notices folder, not only each incident's newest
    #[arg(long)]
    pub all_notices: bool,
    /// Print only errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print how long each stage took
    #[arg(short, long)]
    pub verbose: bool,
}

/// `--at TIME`: an instant with an explicit offset.
fn parse_at(text: &str) -> Result<Timestamp, Diagnostic> {
    crate::base::time::parse_instant(text).map_err(|msg| {
        Diagnostic::error("", format!("--at: {msg}"))
            .with_hint(crate::base::time::OFFSET_HINT)
            .usage()
    })
}

/// Decide the build's "now": `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
pub fn resolve_now(flag: Option<&str>) -> Result<Timestamp, Diagnostic> {
    if let Some(text) = flag {
        return crate::base::time::parse_instant(text).map_err(|msg| {
            Diagnostic::error("", format!("--now: {msg}"))
                .usage()
                .with_hint(crate::base::time::OFFSET_HINT)
        });
    }
    if let Some(epoch) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let text = epoch.to_string_lossy();
        return text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| Timestamp::from_second(s).ok())
            .ok_or_else(|| {
                Diagnostic::error(
                    "",
                    format!("SOURCE_DATE_EPOCH=`{text}` is not a number of seconds"),
                )
                .usage()
                .with_hint("unset it, or set it to seconds since 1970, such as 1795000000")
            });
    }
    Ok(Timestamp::now())
}

/// Run candor; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let style = Style::for_stderr();
    match cli.command {
        Command::Build(args) => build(args, style),
        Command::Init(args) => init(args, style),
        Command::New(cmd) => new(cmd, style),
        Command::Serve(args) => serve(args, style),
        Command::Check(args) => check(args, style),
        Command::Templates(args) => templates(args, style),
        Command::Hosting(args) => hosting(args, style),
        Command::VerifyRecord(args) => verify_record(args, style),
        Command::Notices(args) => notices(args, style),
    }
}

/// 0: every letter and email written; 1: the site or the file has
/// problems (nothing written); 2: a usage or I/O error.
fn notices(args: NoticesArgs, style: Style) -> i32 {
    let now = match resolve_now(args.now.as_deref()) {
        Ok(t) => t,
        Err(d) => return usage_error(d, style),
    };
    let opts = crate::recipients::Options {
        site: args.site.path(),
        recipients: args.recipients,
        incident: args.incident,
        skip_invalid: args.skip_invalid,
        output: args.output,
        now,
    };
    let progress = Progress::start(
        format!(
            "Writing a letter and an email for each person in {}",
            opts.recipients.display()
        ),
        args.quiet,
    );
    let result = crate::recipients::run(&opts);
    drop(progress);
    match result {
        Ok(s) => {
            let stderr = std::io::stderr();
            let mut err = stderr.lock();
            for d in &s.diagnostics {
                let _ = writeln!(err, "{}\n", d.render(style));
            }
            if !s.skipped.is_empty() {
                let _ = writeln!(
                    err,
                    "Left out {} wrong rows (--skip-invalid).",
                    s.skipped.len()
                );
            }
            if !args.quiet {
                println!(
                    "Wrote {} letters and {} emails for {} people in {} into {}",
                    s.letters,
                    s.emails,
                    s.people,
                    ms(s.elapsed),
                    s.folder.display()
                );
                println!(
                    "The \"Am I affected?\" answers are in {}: build and publish the site to put them online",
                    s.lookup.display()
                );
                println!(
                    "{} holds personal data: never publish or commit it",
                    s.folder.display()
                );
            }
            0
        }
        Err(failure) => {
            let code = report(&failure, style, false);
            eprintln!("{}; nothing was written.", count_errors(&failure));
            code
        }
    }
}

/// 0: every saved entry is still there, unchanged; 1: something was
/// rewritten, removed or is broken; 2: a copy could not be read.
fn verify_record(args: VerifyRecordArgs, style: Style) -> i32 {
    use crate::verify;
    let unreadable = |e: verify::Unreadable| usage_error(Diagnostic::error("", e.0).usage(), style);
    let saved = match verify::read(&args.saved) {
        Ok(c) => c,
        Err(e) => return unreadable(e),
    };
    let live = match args.live.or_else(|| verify::live_address(&saved)) {
        Some(source) => match verify::read(&source) {
            Ok(c) => c,
            Err(e) => return unreadable(e),
        },
        None => {
            return usage_error(
                Diagnostic::error(
                    "",
                    format!("{} does not say which site it is from", args.saved),
                )
                .usage()
                .with_hint(
                    "pass the live record too: candor verify-record SAVED https://…/record.jsonl",
                ),
                style,
            );
        }
    };
    let finding = verify::compare(&saved, &live);
    print!("{}", verify::report(&finding, &saved, &live));
    if finding.ok() { 0 } else { 1 }
}

fn check(args: CheckArgs, style: Style) -> i32 {
    if args.rules {
        return match crate::check::laws::laws() {
            Ok(all) if args.format == "json" => {
                let rows: Vec<serde_json::Value> = all
                    .iter()
                    .map(|l| {
                        serde_json::json!({
                            "id": l.id,
                            "name": l.name,
                            "law": l.law,
                            "last_checked": l.last_checked.to_string(),
                            "confidence": l.confidence,
                            "sources": l.sources,
                            "content_checked": <crate::base::vocab::Jurisdiction as crate::base::vocab::Word>::from_id(&l.id)
                                .and_then(|j| j.regime())
                                .is_some(),
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&rows).unwrap_or_default()
                );
                0
            }
            Ok(all) => {
                print!("{}", crate::check::laws::listing(&all));
                0
            }
            Err(d) => report(&Failure::of(vec![d]), style, false),
        };
    }
    let now = match resolve_now(args.now.as_deref()) {
        Ok(t) => t,
        Err(d) => return usage_error(d, style),
    };
    let opts = crate::check::CheckOptions {
        site: args.site.path(),
        now,
    };
    let progress = Progress::start(format!("Checking {}", opts.site.display()), args.quiet);
    let result = crate::check::check(&opts);
    drop(progress);
    match result {
        Ok(report) => {
            if args.format == "json" {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
            } else {
                print!("{}", crate::check::human(&report, Style::for_stdout()));
            }
            let failed = report.errors > 0 || (args.strict && report.warnings > 0);
            i32::from(failed)
        }
        Err(failure) => {
            let code = report(&failure, style, false);
            eprintln!(
                "candor check could not judge the site: it does not build ({}). Fix them and run check again.",
                count_errors(&failure)
            );
            code
        }
    }
}

#[cfg(feature = "serve")]
fn serve(args: ServeArgs, style: Style) -> i32 {
    let now = match args
        .now
        .as_deref()
        .map(|t| resolve_now(Some(t)))
        .transpose()
    {
        Ok(t) => t,
        Err(d) => return usage_error(d, style),
    };
    let opts = crate::preview::serve::ServeOptions {
        site: args.site.path(),
        bind: args.bind,
        port: args.port,
        drafts: !args.no_drafts,
        now,
        limits: Default::default(),
    };
    crate::preview::serve::run(opts, args.open)
}

#[cfg(not(feature = "serve"))]
fn serve(_: ServeArgs, style: Style) -> i32 {
    usage_error(
        Diagnostic::error("", "this candor was built without the preview")
            .with_hint("build it with the default features (`cargo install candor`), or use `candor build` and open public/")
            .usage(),
        style,
    )
}

fn templates(args: TemplatesArgs, style: Style) -> i32 {
    match crate::scaffold::copy_templates(&args.site, &args.names) {
        Ok(written) => {
            for f in &written.kept {
                eprintln!("kept {f} (it already exists)");
            }
            for f in &written.created {
                println!("{f}");
            }
            eprintln!(
                "Edit them in templates/: they replace the theme's. templates/README.md lists every template and its variables."
            );
            0
        }
        Err(diags) => {
            for d in &diags {
                eprintln!("{}\n", d.render(style));
            }
            diagnostics::exit_code(&diags)
        }
    }
}

fn hosting(args: HostingArgs, style: Style) -> i32 {
    use crate::render::meta::{Server, server_config};
    let text = match crate::load::config::read(&args.site) {
        Ok(t) => t,
        Err(d) => return usage_error(d.usage(), style),
    };
    let mut diags = Vec::new();
    let Some(config) = crate::load::config::load(text, &mut diags) else {
        for d in &diags {
            eprintln!("{}\n", d.render(style));
        }
        return diagnostics::exit_code(&diags);
    };
    let server = match args.server.as_str() {
        "caddy" => Server::Caddy,
        "apache" => Server::Apache,
        "s3" => Server::S3,
        "github-pages" => Server::GithubPages,
        _ => Server::Nginx,
    };
    let root = args
        .root
        .unwrap_or_else(|| crate::base::output::absolute(&args.site.join("public")));
    print!(
        "{}",
        server_config(&config, server, &root.display().to_string(), &args.listen)
    );
    0
}

/// `candor init --hosting HOST`: what publishing on that host needs, in
/// the new site (a file that exists is kept).
fn set_up_hosting(dir: &std::path::Path, host: &str) -> Result<(), Diagnostic> {
    let write = |rel: &str, text: &str| -> Result<(), Diagnostic> {
        let path = dir.join(rel);
        if path.exists() {
            eprintln!("kept {rel} (it already exists)");
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::error(rel, format!("cannot create its folder: {e}")))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::error(rel, format!("cannot write it: {e}")))?;
        eprintln!("wrote {rel}");
        Ok(())
    };
    match host {
        "github-pages" => write(
            ".github/workflows/publish.yml",
            crate::render::meta::GITHUB_PAGES,
        ),
        "s3" => write("publish-s3.sh", &crate::render::meta::s3_script()),
        _ => {
            // Netlify and Cloudflare Pages read _headers.
            let rel = crate::load::config::FILE;
            let path = dir.join(rel);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Diagnostic::error(rel, format!("cannot read it: {e}")))?;
            let on = text.replacen(
                "# [hosting]\n# headers = true",
                "[hosting]\nheaders = true",
                1,
            );
            if on != text {
                std::fs::write(&path, on)
                    .map_err(|e| Diagnostic::error(rel, format!("cannot write it: {e}")))?;
                eprintln!("set [hosting] headers = true in {rel}: build writes _headers");
            }
            Ok(())
        }
    }
}

fn usage_error(d: Diagnostic, style: Style) -> i32 {
    eprintln!("{}", d.render(style));
    diagnostics::exit_code(&[d])
}

fn init(args: InitArgs, style: Style) -> i32 {
    let now = match resolve_now(args.now.as_deref()) {
        Ok(t) => t,
        Err(d) => return usage_error(d, style),
    };
    match crate::scaffold::init(&args.dir, &args.regions, args.force, now) {
        Ok(written) => {
            for f in &written.kept {
                eprintln!("kept {f} (it already exists)");
            }
            for kind in &written.skipped {
                eprintln!("left out the starter {kind} (the site has its own)");
            }
            let dir = args.dir.display().to_string();
            eprintln!(
                "Created a site in {dir} ({} files).\n",
                written.created.len()
            );
            if let Some(host) = &args.hosting
                && let Err(d) = set_up_hosting(&args.dir, host)
            {
                return usage_error(d, style);
            }
            eprintln!("Next:");
            let cd = if dir == "." {
                String::new()
            } else {
                format!("cd {dir} && ")
            };
            eprintln!(
                "  1. {cd}edit site.toml and content/incidents/security-incident/_index.md (search for TODO:)"
            );
            eprintln!("  2. candor serve      to preview it in your browser as you write");
            eprintln!("  3. candor build      to write the site to public/, ready to publish");
            0
        }
        Err(d) => usage_error(d, style),
    }
}

fn new(cmd: NewCommand, style: Style) -> i32 {
    let common = match &cmd {
        NewCommand::Incident { common, .. }
        | NewCommand::Update { common, .. }
        | NewCommand::Faq { common, .. } => common,
    };
    let now = match resolve_now(common.now.as_deref()) {
        Ok(t) => t,
        Err(d) => return usage_error(d, style),
    };
    let site = common.site.clone();
    let result = match &cmd {
        NewCommand::Incident { slug, title, .. } => {
            crate::scaffold::new_incident(&site, slug, title.as_deref(), now)
        }
        NewCommand::Update {
            incident,
            title,
            status,
            at,
            ..
        } => match at.as_deref().map(parse_at).transpose() {
            Ok(at) => crate::scaffold::new_update(
                &site,
                incident,
                title.as_deref(),
                status.as_deref(),
                at.unwrap_or(now),
            ),
            Err(d) => Err(vec![d]),
        },
        NewCommand::Faq { slug, question, .. } => {
            crate::scaffold::new_faq(&site, slug, question.as_deref())
        }
    };
    match result {
        Ok(path) => {
            let shown = path.strip_prefix(&site).unwrap_or(&path);
            println!("{}", shown.display());
            0
        }
        Err(diags) => {
            for d in &diags {
                eprintln!("{}\n", d.render(style));
            }
            diagnostics::exit_code(&diags)
        }
    }
}

/// A spinner on the terminal while long work runs: shown only when it
/// has taken more than a second, only on a terminal, never with `-q`;
/// cleared when dropped, before anything else is printed.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn start(message: String, quiet: bool) -> Progress {
        use std::io::IsTerminal as _;
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message);
        let shown = bar.clone();
        // CANDOR_PROGRESS_DELAY_MS: how long before the spinner shows.
        let delay = std::env::var("CANDOR_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(delay));
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress(Some(bar))
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

fn build(args: BuildArgs, style: Style) -> i32 {
    let now = match resolve_now(args.now.as_deref()) {
        Ok(t) => t,
        Err(d) => {
            return report_failure(Failure::of(vec![d]), style, false);
        }
    };
    let opts = BuildOptions {
        site: args.site.path(),
        output: args.output,
        drafts: args.drafts,
        now,
        base_url: args.base_url,
        notices: args.notices,
        paper: args.paper,
        lenient: false,
        locked: args.locked,
        all_notices: args.all_notices,
    };
    let progress = Progress::start(format!("Building {}", opts.site.display()), args.quiet);
    let result = site::build(&opts);
    drop(progress);
    match result {
        Ok(built) => {
            let stderr = std::io::stderr();
            let mut err = stderr.lock();
            if !args.quiet {
                for d in &built.diagnostics {
                    let _ = writeln!(err, "{}\n", d.render(style));
                }
            }
            if args.verbose {
                for (stage, t) in &built.timings {
                    let _ = writeln!(err, "  {stage:<10} {}", ms(*t));
                }
            }
            if !args.quiet {
                let warnings = built.diagnostics.len();
                let warned = match warnings {
                    0 => String::new(),
                    1 => ", 1 warning".to_string(),
                    n => format!(", {n} warnings"),
                };
                let _ = writeln!(
                    err,
                    "Built {} pages ({} files) in {} into {}, and notices into {}{warned}",
                    built.pages,
                    built.files,
                    ms(built.elapsed),
                    built.output.display(),
                    built.notices.display()
                );
                if built.recorded > 0 {
                    let _ = writeln!(
                        err,
                        "Recorded {} new {} in {}: commit it with the content",
                        built.recorded,
                        if built.recorded == 1 {
                            "entry"
                        } else {
                            "entries"
                        },
                        crate::record::chain::FILE
                    );
                }
            }
            0
        }
        Err(failure) => report_failure(failure, style, args.quiet),
    }
}

/// Print a failed build's problems and say so; returns the exit code.
fn report_failure(failure: Failure, style: Style, quiet: bool) -> i32 {
    let code = report(&failure, style, quiet);
    eprintln!(
        "Build failed with {}; nothing was written.",
        count_errors(&failure)
    );
    code
}

/// Print a failure's problems (only errors when `quiet`).
fn report(failure: &Failure, style: Style, quiet: bool) -> i32 {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in failure
        .diagnostics
        .iter()
        .filter(|d| !quiet || d.is_error())
    {
        let _ = writeln!(err, "{}\n", d.render(style));
    }
    failure.exit_code
}

/// "1 error", "3 errors"
fn count_errors(failure: &Failure) -> String {
    match failure.diagnostics.iter().filter(|d| d.is_error()).count() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    }
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}
