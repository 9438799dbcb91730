//! Finding and reading the files under `content/`, in parallel, and keeping
//! them between the preview's rebuilds ([`LoadCache`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::content::{Asset, Content, Item, Kind};
use super::items::{classify, parse_item};
use super::validate::check_references;
use crate::base::diagnostics::Diagnostic;
use crate::base::text;
use crate::load::frontmatter::SourceFile;

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
pub(crate) struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    unix: (u64, u64, i64, i64),
}

impl Stamp {
    /// Modified well before `read_at`: a file read then, whose stamp is
    /// still this one, has not changed since.
    pub(crate) fn settled_before(&self, read_at: std::time::SystemTime) -> bool {
        self.modified.is_some_and(|m| m + RACY < read_at)
    }

    pub(crate) fn of(meta: &std::fs::Metadata) -> Stamp {
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

/// What a load does with a file's entry in the cache.
enum Keep {
    /// As it was.
    Same,
    New(Box<Cached>),
    /// Not kept: it could not be stamped.
    Not,
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
    markdown: std::sync::Arc<Vec<(PathBuf, String, Kind)>>,
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
    // Shared with the cache: a rebuild does not copy 10,000 paths.
    let markdown = std::sync::Arc::clone(&walk.markdown);
    let mut files = match cache.as_deref_mut() {
        Some(c) => {
            c.walk = Some(walk);
            std::mem::take(&mut c.files)
        }
        None => Default::default(),
    };
    let caching = cache.is_some();
    let known = &files;
    let results: Vec<(Option<Item>, Vec<Diagnostic>, Keep, u8)> = markdown
        .par_iter()
        .map(|(path, relpath, kind)| {
            let old = known.get(path);
            // The watcher said which files changed: the others are as they were.
            let trusted = matches!((&forced, &old), (Some(f), Some(_)) if !f.contains(path));
            if trusted && let Some(old) = old {
                return (old.item.clone(), old.diags.clone(), Keep::Same, 0);
            }
            let stamp = caching
                .then(|| std::fs::symlink_metadata(path).ok().map(|m| Stamp::of(&m)))
                .flatten();
            // Unchanged since it was read, and not modified just before that.
            let unchanged = matches!((&old, stamp), (Some(o), Some(st))
                if o.stamp == st && st.settled_before(o.read_at));
            if unchanged && let Some(old) = old {
                return (old.item.clone(), old.diags.clone(), Keep::Same, 0);
            }
            let read_at = std::time::SystemTime::now();
            let mut d = Vec::new();
            let text = read_text(path, relpath, &mut d);
            let same_text = old.is_some_and(|o| o.text.is_some() && o.text == text);
            let (item, d, parsed) = match old {
                Some(old) if same_text => (old.item.clone(), old.diags.clone(), 0),
                _ => {
                    let item = text.clone().and_then(|text| {
                        let file = SourceFile {
                            path: relpath.clone(),
                            text,
                        };
                        parse_item(&file, kind.clone(), &mut d)
                    });
                    (item, d, 1)
                }
            };
            let keep = match stamp {
                Some(stamp) => Keep::New(Box::new(Cached {
                    stamp,
                    read_at,
                    text,
                    item: item.clone(),
                    diags: d.clone(),
                })),
                None => Keep::Not,
            };
            (item, d, keep, 1 + parsed)
        })
        .collect();
    if let Some(cache) = cache.as_deref_mut() {
        cache.read = results.iter().filter(|r| r.3 >= 1).count();
        cache.parsed = results.iter().filter(|r| r.3 == 2).count();
    }
    let mut items = Vec::with_capacity(results.len());
    let mut present = 0;
    for ((item, d, keep, _), (path, _, _)) in results.into_iter().zip(markdown.iter()) {
        match keep {
            Keep::Same => present += 1,
            Keep::New(k) => {
                files.insert(path.clone(), *k);
                present += 1;
            }
            Keep::Not => {
                files.remove(path);
            }
        }
        items.push((item, d));
    }
    // Files gone since the last load.
    if files.len() != present {
        let walked: HashSet<&Path> = markdown.iter().map(|(p, _, _)| p.as_path()).collect();
        files.retain(|p, _| walked.contains(p.as_path()));
    }
    if let Some(cache) = cache {
        cache.files = files;
    }
    content.updates.reserve(items.len());
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
            Some(Item::Translation(t)) => content.translations.push(t),
            None => {}
        }
    }
    check_references(&content, diags);
    content
}

/// Walk `content/`: every Markdown file, asset and problem, in order.
fn full_walk(site_root: &Path, content_dir: &Path) -> Walk {
    let mut walk = Walk::default();
    let mut markdown = Vec::new();
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
        if !ft.is_file() {
            // A FIFO would hang the build, a device would be read until
            // memory runs out.
            walk.diags.push(
                Diagnostic::warning(&relpath, "this is not a regular file, so it is left out")
                    .with_hint(
                        "content/ holds Markdown files and the files they show; move it elsewhere",
                    ),
            );
            continue;
        }
        let inner = rel(content_dir, &path);
        if path.extension().is_some_and(|e| e == "md") {
            match classify(&inner) {
                Ok(kind) => markdown.push((path, relpath, kind)),
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
    walk.markdown = std::sync::Arc::new(markdown);
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
                    std::sync::Arc::make_mut(&mut walk.markdown)
                        .insert(i, (path.clone(), rel(site_root, &path), kind));
                }
                forced.insert(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Ok(i) = at {
                    std::sync::Arc::make_mut(&mut walk.markdown).remove(i);
                }
            }
            _ => return None,
        }
    }
    Some((walk, forced))
}

pub(crate) fn rel(base: &Path, path: &Path) -> String {
    let r = path.strip_prefix(base).unwrap_or(path);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A character readers cannot see that breaks or disguises what they get:
/// one XML forbids (an error: it would make the feeds invalid), or a
/// bidirectional control (a warning: it can disguise an address).
pub fn hidden_characters(text: &str, relpath: &str) -> Option<Diagnostic> {
    if let Some((i, c)) = text::forbidden_control(text).filter(|(_, c)| *c != '\0') {
        let count = text
            .chars()
            .filter(|c| text::forbidden_control(&c.to_string()).is_some())
            .count();
        return Some(
            Diagnostic::error(relpath, format!("this file holds a control character (U+{:04X}){}", c as u32, if count > 1 { format!(", {count} in all") } else { String::new() }))
                .at(text, i..i + c.len_utf8())
                .with_hint("delete it: it is invisible, often pasted from a word processor, and would make the site's feeds invalid"),
        );
    }
    let (i, c) = text::bidi_control(text)?;
    Some(
        Diagnostic::warning(relpath, format!("this file holds a bidirectional control character (U+{:04X})", c as u32))
            .at(text, i..i + c.len_utf8())
            .with_hint("it changes the order text is shown in, a known way to disguise an address: delete it unless you wrote it on purpose"),
    )
}

/// The most a content file may hold: a notice is a few kilobytes; this
/// leaves room for any real one and stops a runaway file filling memory.
pub const MAX_FILE: u64 = 16 << 20;

/// A regular file's bytes, at most [`MAX_FILE`] of them.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO would wait for a writer: never block.
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(std::io::Error::other(format!(
            "it is larger than {} MB; split it, or move large files to static/",
            MAX_FILE >> 20
        )));
    }
    Ok(bytes)
}

/// Read a file as UTF-8 text, without a byte-order mark.
pub fn read_text(path: &Path, relpath: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match read_bounded(path) {
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
            if let Some(d) = hidden_characters(&s, relpath) {
                let error = d.is_error();
                diags.push(d);
                if error {
                    return None;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

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
