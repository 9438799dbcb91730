//! The content model, and loading it from `content/`.
//!
//! ```text
//! content/_index.md                        home page introduction (optional)
//! content/incidents/<slug>/_index.md       an incident and its notice
//! content/incidents/<slug>/<update>.md     its updates, one file each
//! content/faq/<slug>.md                    FAQ entries (faq/_index.md: intro)
//! content/guidance/<slug>.md               guidance (guidance/_index.md: intro)
//! content/pages/<slug>.md                  any other page
//! ```
//!
//! Files are read and parsed in parallel; every problem is collected.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::frontmatter::{self, Fields, SourceFile, Split};

pub const STATUSES: &[&str] = &[
    "investigating",
    "identified",
    "contained",
    "monitoring",
    "resolved",
];
pub const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];
pub const REGIONS: &[&str] = &["uk", "us", "eu", "all"];
pub const JURISDICTIONS: &[&str] = &[
    "uk", "eu", "us", "us-ca", "us-ma", "us-ny", "us-tx", "us-fl", "ca", "au", "hipaa",
];

/// The data-type vocabulary, with the words readers see.
pub const DATA_TYPES: &[(&str, &str)] = &[
    ("name", "Names"),
    ("postal_address", "Postal addresses"),
    ("email", "Email addresses"),
    ("phone", "Phone numbers"),
    ("dob", "Dates of birth"),
    ("username", "Usernames"),
    ("password", "Passwords"),
    ("security_questions", "Security questions and answers"),
    ("card_number", "Payment card numbers"),
    ("bank_account", "Bank account details"),
    ("national_insurance", "National Insurance numbers"),
    ("us_ssn", "US Social Security numbers"),
    (
        "gov_id",
        "Government ID numbers (passport, driving licence)",
    ),
    ("health", "Health information"),
    ("purchase_history", "Purchase and repair history"),
    ("device_data", "Data stored on devices"),
    ("ip_address", "IP addresses"),
    ("location", "Location data"),
    ("biometric", "Biometric data"),
    ("other", "Other information"),
];

pub fn data_type_ids() -> Vec<&'static str> {
    DATA_TYPES.iter().map(|(id, _)| *id).collect()
}

pub fn data_type_label(id: &str) -> &str {
    DATA_TYPES
        .iter()
        .find(|(k, _)| *k == id)
        .map_or(id, |(_, l)| l)
}

/// A Markdown body and where it starts in its file.
#[derive(Debug, Clone)]
pub struct Body {
    pub file: String,
    /// Shared: the preview keeps parsed files between rebuilds.
    pub text: std::sync::Arc<str>,
    /// Line number (1-based) of the body's first line in the file.
    pub first_line: usize,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub slug: String,
    pub title: String,
    pub discovered: Timestamp,
    pub occurred_start: Option<Timestamp>,
    pub occurred_end: Option<Timestamp>,
    pub severity: Option<String>,
    pub data_types: Vec<String>,
    pub people_affected: Option<i64>,
    pub jurisdictions: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    /// `[[notified]]`: who was told, and when (closes a deadline in `check`).
    pub notified: Vec<Notified>,
    pub extra: serde_json::Value,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Notified {
    pub who: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Correction {
    pub at: Timestamp,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Update {
    pub incident: String,
    pub slug: String,
    /// A fixed feed id, for when `at` itself had to be corrected.
    pub id: Option<String>,
    pub title: String,
    pub at: Timestamp,
    pub status: String,
    pub next_update: Option<Timestamp>,
    pub summary: Option<String>,
    pub draft: bool,
    pub correction: Option<Correction>,
    /// Where this update goes: web, email, social (empty: everywhere).
    pub channels: Vec<String>,
    pub extra: serde_json::Value,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Faq {
    pub slug: String,
    pub question: String,
    pub category: String,
    pub weight: i64,
    pub incident: Option<Spanned<String>>,
    pub updated: Option<Timestamp>,
    pub draft: bool,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Guidance {
    pub slug: String,
    pub title: String,
    pub region: String,
    pub data_types: Vec<String>,
    pub source: Vec<String>,
    pub last_verified: Option<jiff::civil::Date>,
    pub summary: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub body: Body,
}

/// An optional introduction: the home page, or the FAQ and guidance indexes.
#[derive(Debug, Clone, Default)]
pub struct Intro {
    pub title: Option<String>,
    pub description: Option<String>,
    pub body: Option<Body>,
}

/// A file under `content/` that is not Markdown: copied beside the pages.
#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    pub source: PathBuf,
    /// Output path relative to the site root, `/`-separated.
    pub dest: String,
}

#[derive(Debug, Default)]
pub struct Content {
    pub home: Intro,
    pub faq_intro: Intro,
    pub guidance_intro: Intro,
    pub incidents: Vec<Incident>,
    pub updates: Vec<Update>,
    pub faq: Vec<Faq>,
    pub guidance: Vec<Guidance>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
}

#[derive(Clone)]
enum Item {
    Home(Intro),
    FaqIntro(Intro),
    GuidanceIntro(Intro),
    Incident(Incident),
    Update(Update),
    Faq(Faq),
    Guidance(Guidance),
    Page(Page),
}

/// What a path under `content/` is, from where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Home,
    FaqIntro,
    GuidanceIntro,
    Incident(String),
    Update(String, String),
    Faq(String),
    Guidance(String),
    Page(String),
}

/// Editor temp and swap files, and hidden files: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
}

pub fn load(site_root: &Path, diags: &mut Vec<Diagnostic>) -> Content {
    load_cached(site_root, diags, None)
}

/// What a file was when it was last read: a file whose stamp is unchanged
/// is not read again (see [`LoadCache`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    unix: (u64, u64, i64, i64),
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt as _;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            unix: (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// A file as last parsed.
struct Cached {
    stamp: Stamp,
    /// When it was read: a stamp is trusted only for files last modified
    /// well before that, since file times are coarse (a second write in the
    /// same clock tick can leave size and times as they were).
    read_at: std::time::SystemTime,
    text: Option<String>,
    item: Option<Item>,
    diags: Vec<Diagnostic>,
}

/// What changed since the last load, as the preview's watcher reported it.
#[derive(Debug, Default)]
pub enum Changed {
    /// Nothing was said (or the last load used it): walk everything.
    #[default]
    Nothing,
    /// These paths, from the site's folder, and no others.
    Paths(Vec<PathBuf>),
    /// Anything may have changed: walk everything.
    Unknown,
}

/// The files under `content/`, as a walk found them.
#[derive(Clone, Default)]
struct Walk {
    /// Markdown files in walk order (which is `Path` order): path, path
    /// from the site's folder, and what the file is.
    markdown: Vec<(PathBuf, String, Kind)>,
    assets: Vec<Asset>,
    diags: Vec<Diagnostic>,
}

/// Parsed files kept between the preview's rebuilds: a file is read again
/// only when its size, inode or times changed (or it changed recently), and
/// parsed again only when its text changed. When the watcher says which
/// files changed, the folder is not walked and no other file is looked at.
#[derive(Default)]
pub struct LoadCache {
    files: std::collections::HashMap<PathBuf, Cached>,
    walk: Option<Walk>,
    /// What changed since the last load.
    pub changed: Changed,
    /// Files read and parsed by the last load, for the preview's report.
    pub read: usize,
    pub parsed: usize,
}

impl LoadCache {
    /// Markdown files known from the last load.
    pub fn files(&self) -> usize {
        self.files.len()
    }
}

/// A file as loaded: its path, what to keep of it for the next load, its
/// item and problems, and the work done (0 reused, 1 read, 2 read and parsed).
type Loaded = (PathBuf, Option<Cached>, Option<Item>, Vec<Diagnostic>, u8);

/// How long before a read a file must have been modified for its stamp
/// alone to prove it unchanged.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// [`load`], reusing what `cache` holds from the last load.
pub fn load_cached(
    site_root: &Path,
    diags: &mut Vec<Diagnostic>,
    mut cache: Option<&mut LoadCache>,
) -> Content {
    let content_dir = site_root.join("content");
    let mut content = Content::default();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error("content", "there is no content/ folder").with_hint(
                "run `candor init` to start a site, or pass --site with the site's folder",
            ),
        );
        return content;
    }
    // The files: walked, or in the preview taken from the last walk and the
    // watcher's list of what changed since.
    let (walk, forced) = match cache
        .as_deref_mut()
        .and_then(|c| changed_walk(c, site_root))
    {
        Some((walk, forced)) => (walk, Some(forced)),
        None => (full_walk(site_root, &content_dir), None),
    };
    diags.extend(walk.diags.iter().cloned());
    content.assets = walk.assets.clone();
    let markdown = walk.markdown.clone();
    if let Some(c) = cache.as_deref_mut() {
        c.walk = Some(walk);
    }

    let mut previous = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.files))
        .unwrap_or_default();
    let caching = cache.is_some();
    let markdown: Vec<_> = markdown
        .into_iter()
        .map(|(path, relpath, kind)| {
            let old = previous.remove(&path);
            (path, relpath, kind, old)
        })
        .collect();
    let results: Vec<Loaded> = markdown
        .into_par_iter()
        .map(|(path, relpath, kind, old)| {
            // The watcher said which files changed: the others are as they were.
            let trusted = matches!((&forced, &old), (Some(f), Some(_)) if !f.contains(&path));
            if trusted && let Some(old) = old {
                let (item, d) = (old.item.clone(), old.diags.clone());
                return (path, Some(old), item, d, 0);
            }
            let stamp = caching
                .then(|| std::fs::symlink_metadata(&path).ok().map(|m| Stamp::of(&m)))
                .flatten();
            // Unchanged since it was read, and not modified just before that.
            let unchanged = matches!((&old, stamp), (Some(o), Some(st))
                if o.stamp == st && st.modified.is_some_and(|m| m + RACY < o.read_at));
            if unchanged && let Some(old) = old {
                let (item, d) = (old.item.clone(), old.diags.clone());
                return (path, Some(old), item, d, 0);
            }
            let read_at = std::time::SystemTime::now();
            let mut d = Vec::new();
            let text = read_text(&path, &relpath, &mut d);
            let same_text = old
                .as_ref()
                .is_some_and(|o| o.text.is_some() && o.text == text);
            let (item, d, parsed) = match (old, same_text) {
                (Some(old), true) => (old.item, old.diags, 0),
                _ => {
                    let item = text.clone().and_then(|text| {
                        let file = SourceFile {
                            path: relpath,
                            text,
                        };
                        parse_item(&file, kind, &mut d)
                    });
                    (item, d, 1)
                }
            };
            let keep = stamp.map(|stamp| Cached {
                stamp,
                read_at,
                text,
                item: item.clone(),
                diags: d.clone(),
            });
            (path, keep, item, d, 1 + parsed)
        })
        .collect();
    if let Some(cache) = cache.as_deref_mut() {
        cache.read = results.iter().filter(|r| r.4 >= 1).count();
        cache.parsed = results.iter().filter(|r| r.4 == 2).count();
    }
    let mut kept = std::collections::HashMap::with_capacity(results.len());
    let mut items = Vec::with_capacity(results.len());
    for (path, keep, item, d, _) in results {
        if let Some(k) = keep {
            kept.insert(path, k);
        }
        items.push((item, d));
    }
    if let Some(cache) = cache {
        cache.files = kept;
    }
    for (item, d) in items {
        diags.extend(d);
        match item {
            Some(Item::Home(i)) => content.home = i,
            Some(Item::FaqIntro(i)) => content.faq_intro = i,
            Some(Item::GuidanceIntro(i)) => content.guidance_intro = i,
            Some(Item::Incident(i)) => content.incidents.push(i),
            Some(Item::Update(u)) => content.updates.push(u),
            Some(Item::Faq(f)) => content.faq.push(f),
            Some(Item::Guidance(g)) => content.guidance.push(g),
            Some(Item::Page(p)) => content.pages.push(p),
            None => {}
        }
    }
    check_references(&content, diags);
    content
}

/// Walk `content/`: every Markdown file, asset and problem, in order.
fn full_walk(site_root: &Path, content_dir: &Path) -> Walk {
    let mut walk = Walk::default();
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel(site_root, p))
                    .unwrap_or_else(|| "content".into());
                walk.diags
                    .push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let relpath = rel(site_root, &path);
        if ft.is_symlink() {
            walk.diags.push(
                Diagnostic::warning(&relpath, "symbolic links in content/ are not followed")
                    .with_hint("copy the file into content/ instead"),
            );
            continue;
        }
        let inner = rel(content_dir, &path);
        if path.extension().is_some_and(|e| e == "md") {
            match classify(&inner) {
                Ok(kind) => walk.markdown.push((path, relpath, kind)),
                Err(hint) => walk.diags.push(
                    Diagnostic::error(&relpath, "candor does not know what this Markdown file is")
                        .with_hint(hint),
                ),
            }
        } else {
            walk.assets.push(Asset {
                source: path,
                dest: inner,
            });
        }
    }
    walk
}

/// The last walk, brought up to date from the watcher's list of changed
/// paths, and the Markdown files to read again; `None` when only a walk
/// can tell (no list, no last walk, or a change to a folder, an asset, a
/// link or a file candor cannot place).
fn changed_walk(cache: &mut LoadCache, site_root: &Path) -> Option<(Walk, HashSet<PathBuf>)> {
    let Changed::Paths(changed) = std::mem::take(&mut cache.changed) else {
        return None;
    };
    let mut walk = cache.walk.clone()?;
    let mut forced = HashSet::new();
    for rel_path in changed {
        let mut parts = rel_path.components();
        if parts.next().is_none_or(|c| c.as_os_str() != "content") {
            // Templates, settings and static files are not content.
            continue;
        }
        let inner: Vec<String> = parts
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if inner.is_empty() {
            return None;
        }
        if inner.iter().any(|p| is_ignored_name(p)) {
            continue;
        }
        if rel_path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let path = site_root.join(&rel_path);
        let at = walk.markdown.binary_search_by(|(p, _, _)| p.cmp(&path));
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() => {
                if let Err(i) = at {
                    let kind = classify(&inner.join("/")).ok()?;
                    walk.markdown
                        .insert(i, (path.clone(), rel(site_root, &path), kind));
                }
                forced.insert(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Ok(i) = at {
                    walk.markdown.remove(i);
                }
            }
            _ => return None,
        }
    }
    Some((walk, forced))
}

/// Parse one Markdown file as if it sat at `inner` under `content/`, and
/// return the problems found (used by the fuzz targets).
pub fn parse_markdown_file(inner: &str, text: String) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    match classify(inner) {
        Ok(kind) => {
            let file = SourceFile {
                path: format!("content/{inner}"),
                text,
            };
            let _ = parse_item(&file, kind, &mut diags);
        }
        Err(hint) => diags.push(Diagnostic::error(inner, "unknown kind of file").with_hint(hint)),
    }
    diags
}

fn rel(base: &Path, path: &Path) -> String {
    let r = path.strip_prefix(base).unwrap_or(path);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Read a file as UTF-8 text, without a byte-order mark.
pub fn read_text(path: &Path, relpath: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                relpath,
                format!("cannot read this file: {e}"),
            ));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            if let Some(i) = s.find('\0') {
                let d = Diagnostic::error(relpath, "this file contains a NUL byte")
                    .at(&s, i..i + 1)
                    .with_hint(
                        "it may be a binary file saved with a .md name; save it as plain text",
                    );
                diags.push(d);
                return None;
            }
            Some(s)
        }
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(good);
            let d = Diagnostic::error(relpath, "this file is not valid UTF-8 text")
                .at(&prefix, prefix.len()..prefix.len())
                .with_hint("save it as UTF-8 in your editor");
            diags.push(d);
            None
        }
    }
}

fn classify(inner: &str) -> Result<Kind, String> {
    let parts: Vec<&str> = inner.split('/').collect();
    let stem = |name: &str| name.trim_end_matches(".md").to_string();
    let kind = match parts.as_slice() {
        ["_index.md"] => Kind::Home,
        ["faq", "_index.md"] => Kind::FaqIntro,
        ["guidance", "_index.md"] => Kind::GuidanceIntro,
        ["incidents", slug, "_index.md"] => Kind::Incident(slug.to_string()),
        ["incidents", slug, name] => Kind::Update(slug.to_string(), stem(name)),
        ["faq", name] => Kind::Faq(stem(name)),
        ["guidance", name] => Kind::Guidance(stem(name)),
        ["pages", name] => Kind::Page(stem(name)),
        _ => {
            return Err("put incidents in content/incidents/<name>/_index.md with their updates beside them, \
                 FAQ entries in content/faq/, guidance in content/guidance/ and other pages in content/pages/"
                .to_string());
        }
    };
    let slug = match &kind {
        Kind::Incident(s) | Kind::Faq(s) | Kind::Guidance(s) | Kind::Page(s) => Some(s),
        Kind::Update(i, s) => check_slug(i).err().map(|_| i).or(Some(s)),
        _ => None,
    };
    if let Some(s) = slug {
        check_slug(s)?;
    }
    Ok(kind)
}

/// Slugs become URLs: keep them to lower-case letters, digits, `-` and `_`.
fn check_slug(slug: &str) -> Result<(), String> {
    if !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !slug.starts_with('_')
    {
        Ok(())
    } else {
        let suggestion: String = slug
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        Err(format!(
            "`{slug}` becomes part of a web address: use lower-case letters, digits and dashes, such as `{}`",
            suggestion.trim_matches('-')
        ))
    }
}

fn body_of(file: &SourceFile, split: &Split) -> Body {
    let first_line = file.text[..split.body.start].matches('\n').count() + 1;
    Body {
        file: file.path.clone(),
        text: file.text[split.body.clone()].into(),
        first_line,
    }
}

fn parse_item(file: &SourceFile, kind: Kind, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    let split = match frontmatter::split(file) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let body = body_of(file, &split);
    let intro_kind = matches!(kind, Kind::Home | Kind::FaqIntro | Kind::GuidanceIntro);
    if split.front.is_none() {
        if intro_kind {
            let intro = Intro {
                title: None,
                description: None,
                body: Some(body),
            };
            return Some(match kind {
                Kind::Home => Item::Home(intro),
                Kind::FaqIntro => Item::FaqIntro(intro),
                _ => Item::GuidanceIntro(intro),
            });
        }
        diags.push(
            file.error(0..0, "this file has no front matter")
                .with_hint("start the file with a `+++` line, the fields in TOML (title = \"…\"), and another `+++` line"),
        );
        return None;
    }
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    let table = frontmatter::parse(file, &split, diags)?;
    let base = split.front.as_ref().map_or(0, |r| r.start);
    let mut f = Fields::new(
        file,
        &table,
        base,
        split.opening.clone(),
        "the front matter",
        diags,
    );
    // Read every field before deciding, so one run reports all of a file's problems.
    let item = (|| -> Option<Item> {
        Some(match kind {
            Kind::Home | Kind::FaqIntro | Kind::GuidanceIntro => {
                let intro = Intro {
                    title: f.string("title").map(|s| s.into_inner()),
                    description: f.string("description").map(|s| s.into_inner()),
                    body: Some(body),
                };
                match kind {
                    Kind::Home => Item::Home(intro),
                    Kind::FaqIntro => Item::FaqIntro(intro),
                    _ => Item::GuidanceIntro(intro),
                }
            }
            Kind::Incident(slug) => {
                let title = f.required_string("title", "\"Notice of data breach\"");
                let discovered = f.required_instant("discovered");
                let occurred = f.table("occurred", |o| (o.instant("start"), o.instant("end")));
                let severity = f.one_of("severity", SEVERITIES);
                let data_types = f.list_of("data_types", &data_type_ids());
                let people_affected = f.integer("people_affected");
                let jurisdictions = f.list_of("jurisdictions", JURISDICTIONS);
                let summary = f.string("summary").map(|s| s.into_inner());
                let draft = f.bool("draft").unwrap_or(false);
                let notified = f
                    .tables("notified", |n| {
                        let who = n.required_string("who", "\"ico\"");
                        let at = n.required_instant("at");
                        Some(Notified {
                            who: who?.into_inner(),
                            at: at?.into_inner(),
                        })
                    })
                    .into_iter()
                    .flatten()
                    .collect();
                let extra = f.any("extra").unwrap_or_default();
                let (occurred_start, occurred_end) = occurred.unwrap_or((None, None));
                Item::Incident(Incident {
                    slug,
                    title: title?.into_inner(),
                    discovered: discovered?.into_inner(),
                    occurred_start: occurred_start.map(|t| t.into_inner()),
                    occurred_end: occurred_end.map(|t| t.into_inner()),
                    severity,
                    data_types,
                    people_affected,
                    jurisdictions,
                    summary,
                    draft,
                    notified,
                    extra,
                    body,
                })
            }
            Kind::Update(incident, slug) => {
                let title = f.required_string("title", "\"We have contained the incident\"");
                let at = f.required_instant("at");
                let status = f.one_of("status", STATUSES);
                f.require(
                    "status",
                    &format!("\"…\" (one of: {})", STATUSES.join(", ")),
                );
                let next_update = f.instant("next_update").map(|t| t.into_inner());
                let summary = f.string("summary").map(|s| s.into_inner());
                let draft = f.bool("draft").unwrap_or(false);
                let id = f.string("id").map(|s| s.into_inner());
                let channels = f.list_of("channels", crate::notices::CHANNELS);
                let correction = f
                    .table("correction", |c| {
                        let at = c.required_instant("at");
                        let note = c.required_string(
                            "note",
                            "\"We said 40 customers; the number is 400.\"",
                        );
                        Some(Correction {
                            at: at?.into_inner(),
                            note: note?.into_inner(),
                        })
                    })
                    .flatten();
                let extra = f.any("extra").unwrap_or_default();
                Item::Update(Update {
                    incident,
                    slug,
                    id,
                    title: title?.into_inner(),
                    at: at?.into_inner(),
                    status: status?,
                    next_update,
                    summary,
                    draft,
                    correction,
                    channels,
                    extra,
                    body,
                })
            }
            Kind::Faq(slug) => {
                let question = f.required_string("question", "\"Was my card number taken?\"");
                let category = f
                    .string("category")
                    .map_or("General".to_string(), |s| s.into_inner());
                let weight = f.integer("weight").unwrap_or(0);
                let incident = f.string("incident");
                let updated = f.instant("updated").map(|t| t.into_inner());
                let draft = f.bool("draft").unwrap_or(false);
                Item::Faq(Faq {
                    slug,
                    question: question?.into_inner(),
                    category,
                    weight,
                    incident,
                    updated,
                    draft,
                    body,
                })
            }
            Kind::Guidance(slug) => {
                let title = f.required_string("title", "\"Place a fraud alert\"");
                let region = f.one_of("region", REGIONS);
                f.require("region", &format!("\"…\" (one of: {})", REGIONS.join(", ")));
                let data_types = f.list_of("data_types", &data_type_ids());
                let source = f
                    .strings("source")
                    .into_iter()
                    .map(|s| s.into_inner())
                    .collect();
                let last_verified = f.date("last_verified");
                let summary = f.string("summary").map(|s| s.into_inner());
                let weight = f.integer("weight").unwrap_or(0);
                let draft = f.bool("draft").unwrap_or(false);
                Item::Guidance(Guidance {
                    slug,
                    title: title?.into_inner(),
                    region: region?,
                    data_types,
                    source,
                    last_verified,
                    summary,
                    weight,
                    draft,
                    body,
                })
            }
            Kind::Page(slug) => {
                let title =
                    f.required_string("title", "\"How to check a message is really from us\"");
                let description = f.string("description").map(|s| s.into_inner());
                let weight = f.integer("weight").unwrap_or(0);
                let draft = f.bool("draft").unwrap_or(false);
                Item::Page(Page {
                    slug,
                    title: title?.into_inner(),
                    description,
                    weight,
                    draft,
                    body,
                })
            }
        })
    })();
    f.finish();
    let errors_after = diags.iter().filter(|d| d.is_error()).count();
    if errors_after == errors_before {
        item
    } else {
        None
    }
}

/// References between files: an update's incident exists; an FAQ's incident exists.
fn check_references(content: &Content, diags: &mut Vec<Diagnostic>) {
    let slugs: Vec<&str> = content.incidents.iter().map(|i| i.slug.as_str()).collect();
    let mut orphans: Vec<&str> = content
        .updates
        .iter()
        .filter(|u| !slugs.contains(&u.incident.as_str()))
        .map(|u| u.incident.as_str())
        .collect();
    orphans.dedup();
    for slug in orphans {
        // Skip folders whose _index.md failed to parse: that error is already reported.
        let index = format!("content/incidents/{slug}/_index.md");
        if diags.iter().any(|d| d.file == index) {
            continue;
        }
        diags.push(
            Diagnostic::error(
                format!("content/incidents/{slug}"),
                "this incident folder has updates but no _index.md",
            )
            .with_hint(format!(
                "create {index} with the incident's title, discovered time and notice"
            )),
        );
    }
    for faq in &content.faq {
        if let Some(incident) = &faq.incident
            && !slugs.contains(&incident.get_ref().as_str())
        {
            {
                let path = format!("content/faq/{}.md", faq.slug);
                let hint = did_you_mean(incident.get_ref(), slugs.iter().copied())
                    .unwrap_or_else(|| "name a folder under content/incidents/".to_string());
                diags.push(
                    Diagnostic::error(
                        path,
                        format!(
                            "`incident = \"{}\"`: there is no such incident",
                            incident.get_ref()
                        ),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_where_they_sit() {
        assert_eq!(classify("_index.md"), Ok(Kind::Home));
        assert_eq!(
            classify("incidents/db-2026/2026-11-19-1630-contained.md"),
            Ok(Kind::Update(
                "db-2026".into(),
                "2026-11-19-1630-contained".into()
            ))
        );
        assert!(classify("random/thing.md").is_err());
        assert!(classify("faq/Was My Card.md").is_err());
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            ".update.md.swp",
            "update.md~",
            "#update.md#",
            ".#update.md",
            "4913",
            "x.md___jb_tmp___",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("update.md"));
    }
}
