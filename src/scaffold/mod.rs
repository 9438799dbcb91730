//! `candor init` and `candor new`: starting a site, and adding to it.
//!
//! `init` writes the starter kit (the repository's `content/`, embedded in
//! the binary) and a commented `site.toml`. `new` writes one incident,
//! update or FAQ file with its front matter filled in. Neither ever
//! overwrites a file: a name that is taken gets a numbered suffix.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::base::text;
use crate::base::time::Clock;
use crate::base::vocab::{Status, Word};
use crate::embedded;
use crate::load::config;
use crate::load::walk;

const SITE_TOML: &str = include_str!("site.toml");

pub const REGIONS: &[&str] = &["uk", "us", "eu"];

/// What `init` and `new` did.
#[derive(Debug, Default)]
pub struct Written {
    /// Files written, relative to the site.
    pub created: Vec<String>,
    /// Files that already existed and were left alone.
    pub kept: Vec<String>,
    /// Folders of the kit left out because the site has content of that kind.
    pub skipped: Vec<String>,
}

/// An RFC 3339 time with the offset in force in the site's zone.
pub fn local_rfc3339(clock: &Clock, now: Timestamp) -> String {
    clock
        .zoned(now)
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn region_defaults(regions: &[String]) -> (&'static str, &'static str) {
    match regions {
        [only] if only == "uk" => ("Europe/London", "en-GB"),
        [only] if only == "us" => ("America/New_York", "en-US"),
        [only] if only == "eu" => ("Europe/Brussels", "en"),
        r if r.first().is_some_and(|f| f == "uk") => ("Europe/London", "en-GB"),
        r if r.first().is_some_and(|f| f == "us") => ("America/New_York", "en-US"),
        _ => ("UTC", "en"),
    }
}

/// The region a guidance file of the kit is for (its `region = "…"` line).
fn kit_region(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("region = \""))
        .and_then(|r| r.split('"').next())
}

/// `candor templates [NAME...]`: copy the built-in theme's templates (all,
/// or those named) into the site's `templates/`, with the theme's README;
/// never overwrites.
pub fn copy_templates(site: &Path, names: &[String]) -> Result<Written, Vec<Diagnostic>> {
    let theme: Vec<(&str, &[u8])> = embedded::THEME_FILES
        .iter()
        .filter_map(|(path, bytes)| path.strip_prefix("templates/").map(|n| (n, *bytes)))
        .collect();
    let known: Vec<&str> = theme.iter().map(|(n, _)| *n).collect();
    let mut problems = Vec::new();
    for name in names {
        let name = name.trim_start_matches("templates/");
        if !known.contains(&name) {
            let base = name.rsplit('/').next().unwrap_or(name);
            let hint = known
                .iter()
                .find(|k| k.rsplit('/').next() == Some(base))
                .map(|k| format!("did you mean `{k}`?"))
                .or_else(|| did_you_mean(name, known.iter().copied()))
                .unwrap_or_else(|| format!("the theme's templates: {}", known.join(", ")));
            problems.push(
                Diagnostic::error("", format!("the theme has no template `{name}`"))
                    .with_hint(hint)
                    .usage(),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !site.join(config::FILE).is_file() {
        return Err(vec![
            Diagnostic::error("", format!("{} has no site.toml", site.display()))
                .with_hint("run this in a site folder, or pass --site DIR")
                .usage(),
        ]);
    }
    let wanted = |n: &str| {
        names.is_empty()
            || names
                .iter()
                .any(|x| x.trim_start_matches("templates/") == n)
    };
    let readme = embedded::THEME_FILES
        .iter()
        .find(|(p, _)| *p == "README.md")
        .map(|(_, b)| *b);
    let files = theme
        .iter()
        .filter(|(n, _)| wanted(n))
        .map(|(n, b)| (format!("templates/{n}"), *b))
        .chain(readme.map(|b| ("templates/README.md".to_string(), b)));
    let mut written = Written::default();
    for (rel, bytes) in files {
        let path = site.join(&rel);
        if path.exists() {
            written.kept.push(rel);
            continue;
        }
        write_new(&path, &String::from_utf8_lossy(bytes)).map_err(|e| {
            vec![Diagnostic::error("", format!("cannot write {}: {e}", path.display())).io()]
        })?;
        written.created.push(rel);
    }
    Ok(written)
}

/// Does this folder (or any below it) hold a Markdown file other than an
/// index's introduction?
fn has_content(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir).into_iter().flatten().any(|e| {
        let name = e.file_name().to_string_lossy();
        e.file_type().is_file() && name.ends_with(".md") && name != "_index.md"
            || name == "_index.md" && e.depth() >= 2
    })
}

/// Write a new site into `dir`. Refuses a non-empty folder unless `force`;
/// never overwrites a file.
pub fn init(
    dir: &Path,
    regions: &[String],
    force: bool,
    now: Timestamp,
) -> Result<Written, Diagnostic> {
    for r in regions {
        if !REGIONS.contains(&r.as_str()) {
            return Err(
                Diagnostic::error("", format!("--region {r}: unknown region"))
                    .usage()
                    .with_hint(format!("use one or more of: {}", REGIONS.join(", "))),
            );
        }
    }
    let regions: Vec<String> = if regions.is_empty() {
        REGIONS.iter().map(|s| s.to_string()).collect()
    } else {
        regions.to_vec()
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| {
            Diagnostic::error("", format!("cannot read {}: {e}", dir.display())).usage()
        })?;
        if entries.next().is_some() && !force {
            return Err(Diagnostic::error("", format!("{} is not empty", dir.display())).usage().with_hint(
                "candor init starts a site in a new or empty folder; pass --force to add the starter files anyway (existing files are never overwritten)",
            ));
        }
    }
    let (timezone, language) = region_defaults(&regions);
    let clock = Clock::or_utc(timezone);
    let stamp = local_rfc3339(&clock, now);
    let jurisdictions = regions
        .iter()
        .map(|r| format!("\"{r}\""))
        .collect::<Vec<_>>()
        .join(", ");

    let mut files: Vec<(String, String)> = vec![(
        config::FILE.to_string(),
        SITE_TOML
            .replace("__TIMEZONE__", timezone)
            .replace("__LANGUAGE__", language),
    )];
    for (path, bytes) in embedded::STARTER_FILES {
        let text = String::from_utf8_lossy(bytes);
        if path.starts_with("guidance/")
            && kit_region(&text).is_some_and(|r| r != "all" && !regions.iter().any(|x| x == r))
        {
            continue;
        }
        let text = text
            .replace("__NOW__", &stamp)
            .replace("__JURISDICTIONS__", &jurisdictions);
        // Update files are named so they sort by time.
        let path = match path.strip_suffix("first-update.md") {
            Some(dir) => format!(
                "{dir}{}-first-update.md",
                clock.zoned(now).strftime("%Y-%m-%d-%H%M")
            ),
            None => path.to_string(),
        };
        files.push((format!("content/{path}"), text));
    }
    let mut written = Written::default();
    // A site that already has incidents, FAQ entries or pages gets none of
    // the kit's: an added update would change the live status.
    for kind in ["incidents", "faq", "pages"] {
        if has_content(&dir.join("content").join(kind)) {
            written.skipped.push(format!("content/{kind}/"));
        }
    }
    files.retain(|(rel, _)| {
        !written
            .skipped
            .iter()
            .any(|kind| rel.starts_with(kind.as_str()))
    });
    for (rel, text) in files {
        let path = dir.join(&rel);
        if path.exists() {
            written.kept.push(rel);
            continue;
        }
        write_new(&path, &text).map_err(|e| {
            Diagnostic::error("", format!("cannot write {}: {e}", path.display())).usage()
        })?;
        written.created.push(rel);
    }
    Ok(written)
}

/// Create `path` with `text`, failing if it exists (never overwrites, even
/// when another process creates it in the meantime).
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

/// `base.md`, or `base-2.md`, `base-3.md`... whichever is free.
fn free_name(dir: &Path, base: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{base}{ext}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{base}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

fn write_free(dir: &Path, base: &str, ext: &str, text: &str) -> Result<PathBuf, Diagnostic> {
    // Retry on a race with another writer: create_new never overwrites.
    for _ in 0..100 {
        let path = free_name(dir, base, ext);
        match write_new(&path, text) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(
                    Diagnostic::error("", format!("cannot write {}: {e}", path.display())).usage(),
                );
            }
        }
    }
    Err(Diagnostic::error(
        "",
        format!("no free file name for {base} in {}", dir.display()),
    )
    .usage())
}

/// The site's clock, from its site.toml.
fn site_clock(site: &Path) -> Result<Clock, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(site.join(config::FILE)).map_err(|e| {
        vec![
            Diagnostic::error(
                "",
                format!("cannot read {}: {e}", site.join(config::FILE).display()),
            )
            .usage()
            .with_hint(
                "run this in a site folder, pass --site DIR, or start a site with `candor init`",
            ),
        ]
    })?;
    let mut diags = Vec::new();
    let config = config::load(text, &mut diags).ok_or_else(|| diags.clone())?;
    Ok(Clock::or_utc(&config.timezone))
}

/// The same name rule as `candor build`'s ([`text::is_slug`]).
fn check_slug(slug: &str, what: &str) -> Result<(), Vec<Diagnostic>> {
    match text::slug_problem(slug) {
        None => Ok(()),
        Some(problem) => Err(vec![
            Diagnostic::error("", format!("`{slug}` cannot be used as the {what}'s name"))
                .with_hint(problem)
                .usage(),
        ]),
    }
}

const NOTICE_BODY: &str = "\n## What happened\n\nTODO: Say what happened, when it happened and when you found out.\n\n\
## What information was involved\n\nTODO: List exactly what was taken or seen, and what was not.\n\n\
## What we are doing\n\nTODO: Say what you have done to stop it, and what you will do next.\n\n\
## What you can do\n\nTODO: Give clear steps readers can take now.\n\n\
## For more information\n\nTODO: Say how to reach a person: phone and hours, email, post.\n";

/// `candor new incident <slug>`
pub fn new_incident(
    site: &Path,
    slug: &str,
    title: Option<&str>,
    now: Timestamp,
) -> Result<PathBuf, Vec<Diagnostic>> {
    check_slug(slug, "incident")?;
    let clock = site_clock(site)?;
    let incidents = site.join("content/incidents");
    let mut dir = incidents.join(slug);
    let mut n = 2;
    while dir.exists() {
        dir = incidents.join(format!("{slug}-{n}"));
        n += 1;
    }
    let title = title.unwrap_or("Notice of data breach");
    let text = format!(
        "+++\ntitle = {}\ndiscovered = {}\nseverity = \"high\"\ndata_types = []\njurisdictions = []\nsummary = \"TODO: One or two plain sentences: what happened and what it means for readers.\"\n+++\n{NOTICE_BODY}",
        toml_string(title),
        local_rfc3339(&clock, now)
    );
    let path = dir.join("_index.md");
    write_new(&path, &text).map_err(|e| {
        vec![Diagnostic::error("", format!("cannot write {}: {e}", path.display())).usage()]
    })?;
    Ok(path)
}

/// `candor new update <incident>`
pub fn new_update(
    site: &Path,
    incident: &str,
    title: Option<&str>,
    status: Option<&str>,
    now: Timestamp,
) -> Result<PathBuf, Vec<Diagnostic>> {
    check_slug(incident, "incident")?;
    let clock = site_clock(site)?;
    let dir = site.join("content/incidents").join(incident);
    if !dir.join("_index.md").is_file() {
        let known: Vec<String> = std::fs::read_dir(site.join("content/incidents"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("_index.md").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let hint = did_you_mean(incident, known.iter().map(String::as_str)).unwrap_or_else(|| {
            if known.is_empty() {
                "create one first with `candor new incident <name>`".to_string()
            } else {
                format!("incidents here: {}", known.join(", "))
            }
        });
        return Err(vec![
            Diagnostic::error("", format!("there is no incident `{incident}`"))
                .usage()
                .with_hint(hint),
        ]);
    }
    let status = match status {
        None => latest_status(site, incident, now),
        Some(s) => Status::from_id(s).ok_or_else(|| {
            let hint = did_you_mean(s, Status::IDS.iter().copied())
                .unwrap_or_else(|| format!("use one of: {}", Status::IDS.join(", ")));
            vec![
                Diagnostic::error("", format!("--status {s}: not a status"))
                    .with_hint(hint)
                    .usage(),
            ]
        })?,
    };
    let title = title.unwrap_or("TODO: A short headline for this update");
    let zoned = clock.zoned(now);
    let base = format!(
        "{}-{}",
        zoned.strftime("%Y-%m-%d-%H%M"),
        title
            .strip_prefix("TODO: ")
            .map_or_else(|| short_slug(title), |_| "update".to_string())
    );
    let text = format!(
        "+++\ntitle = {}\nat = {}\nstatus = \"{status}\"\n# next_update = {}\nsummary = \"TODO: One sentence for banners, feeds and posts.\"\n+++\n\nTODO: What is new since the last update, in a few short sentences.\n",
        toml_string(title),
        local_rfc3339(&clock, now),
        local_rfc3339(&clock, now + jiff::SignedDuration::from_hours(24)),
    );
    write_free(&dir, &base, ".md", &text).map_err(|d| vec![d])
}

/// `candor new faq <slug>`
pub fn new_faq(
    site: &Path,
    slug: &str,
    question: Option<&str>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    check_slug(slug, "question")?;
    site_clock(site)?;
    let question = question.unwrap_or("TODO: The question, as a reader would ask it?");
    let text = format!(
        "+++\nquestion = {}\ncategory = \"About the incident\"\nweight = 100\n+++\n\nTODO: A short, plain answer.\n",
        toml_string(question)
    );
    write_free(&site.join("content/faq"), slug, ".md", &text).map_err(|d| vec![d])
}

/// The status of an incident's latest published update: what the next one
/// most likely keeps. Drafts and scheduled updates do not count.
fn latest_status(site: &Path, incident: &str, now: Timestamp) -> Status {
    let mut diags = Vec::new();
    let content = walk::load(site, &mut diags);
    content
        .updates
        .iter()
        .filter(|u| u.incident == incident && !u.draft && u.at <= now)
        .max_by_key(|u| (u.at, u.slug.clone()))
        .map_or(Status::Investigating, |u| u.status)
}

fn short_slug(title: &str) -> String {
    let slug = text::to_slug(title);
    let mut out = String::new();
    for word in slug.split('-') {
        if !out.is_empty() && out.len() + word.len() + 1 > 40 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "update".to_string()
    } else {
        out
    }
}

/// A TOML string holding `s`, quoted and escaped by the toml crate.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_are_escaped() {
        let parsed: toml::Table =
            toml::from_str(&format!("x = {}", toml_string("tab\there \"q\" \\ \n'"))).unwrap();
        assert_eq!(parsed["x"].as_str(), Some("tab\there \"q\" \\ \n'"));
    }

    #[test]
    fn short_slugs_stop_at_a_word() {
        assert_eq!(
            short_slug("We have contained the incident and more words follow here"),
            "we-have-contained-the-incident-and-more"
        );
        assert_eq!(short_slug("!!!"), "update");
        assert_eq!(
            short_slug("Café réouvert"),
            "cafe-rouvert".replace("rou", "reou")
        );
    }
}
