//! Watching a site for changes, for `candor serve`.
//!
//! File-system events are reduced to a small enum ([`Change`]) by
//! [`classify`], which knows the editors' habits:
//!
//! - vim writes `.file.swp`/`.swx` swap files, `file~` backups, and probes
//!   that a folder is writable with a file named `4913`; it saves by
//!   renaming a new file over the old one;
//! - emacs writes `#file#` auto-saves and `.#file` lock links;
//! - JetBrains IDEs save through `file___jb_tmp___` and `file___jb_old___`;
//! - macOS Finder drops `.DS_Store`.
//!
//! Events are gathered for a short quiet period ([`Debouncer`]), so a burst
//! (save-all, a `git checkout`) causes one rebuild. A file closed after
//! writing, or renamed into place, is complete: then the wait is shorter.

use std::path::{Component, Path};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::load::walk::is_ignored_name;

/// What kind of file changed: this decides what the preview does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A stylesheet in `static/` or a theme's `static/`: the page can swap it in place.
    Style,
    /// Any other static file.
    Static,
    /// Markdown or an asset under `content/`.
    Content,
    /// A template.
    Template,
    /// `site.toml`.
    Config,
}

/// Which change, if any, a changed path means for the site at `root`.
/// `output` is the build's output folder, whose changes never count.
pub fn classify(root: &Path, path: &Path, output: Option<&Path>) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    if let Some(out) = output.and_then(|o| o.strip_prefix(root).ok())
        && !out.as_os_str().is_empty()
        && rel.starts_with(out)
    {
        return None;
    }
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let name = parts.last()?;
    if parts.iter().any(|p| is_ignored_name(p)) || name == ".DS_Store" {
        return None;
    }
    let is_css = name.ends_with(".css");
    match parts.first().map(String::as_str)? {
        "site.toml" if parts.len() == 1 => Some(Change::Config),
        "content" => Some(Change::Content),
        "templates" => Some(Change::Template),
        "static" if is_css => Some(Change::Style),
        "static" => Some(Change::Static),
        "themes" => match parts.get(2).map(String::as_str) {
            Some("templates") => Some(Change::Template),
            Some("static") if is_css => Some(Change::Style),
            Some("static") => Some(Change::Static),
            Some("theme.toml") => Some(Change::Config),
            _ => None,
        },
        _ => None,
    }
}

/// One changed path, as the watcher saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// What it means for the site; `None`: nothing (an editor's temp file,
    /// the output folder).
    pub change: Option<Change>,
    /// The path, from the site's folder.
    pub path: std::path::PathBuf,
    /// The watcher lost events (its queue overflowed): anything may have changed.
    pub rescan: bool,
    /// The file was closed after writing, or renamed into place: what was
    /// written is all there (where the system says so: Linux does).
    pub settled: bool,
}

/// A burst of changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burst {
    /// The most significant change.
    pub change: Change,
    /// The paths that changed, from the site's folder; `None` when the
    /// watcher lost track and everything must be looked at.
    pub paths: Option<Vec<std::path::PathBuf>>,
}

/// Collects events until `quiet` passes with none (`settled` after a file
/// was closed or renamed into place), or `max` since the first, then hands
/// back the burst: its most significant change and the paths that changed.
pub struct Debouncer {
    pub quiet: Duration,
    pub settled: Duration,
    pub max: Duration,
}

impl Default for Debouncer {
    fn default() -> Self {
        // An editor's save (write, rename, delete) lands within a
        // millisecond or two; ten cover it with room, and are a fifth of
        // the preview's 50 ms budget from save to reload. Once a file is
        // closed or renamed into place the save is done, and two are
        // enough to gather the other files of a save-all or a checkout
        // (whose events come microseconds apart); a burst cut short is
        // rebuilt again with the rest.
        Debouncer {
            quiet: Duration::from_millis(10),
            settled: Duration::from_millis(2),
            max: Duration::from_millis(250),
        }
    }
}

impl Debouncer {
    /// Block until a burst of relevant changes has ended; `None` when the
    /// sender has gone away.
    pub fn next(&self, rx: &Receiver<Seen>) -> Option<Burst> {
        match self.next_until(rx, None) {
            Next::Burst(b) => Some(b),
            Next::Due | Next::Closed => None,
        }
    }

    /// [`Debouncer::next`], or [`Next::Due`] if `until` comes first with
    /// no relevant change begun.
    pub fn next_until(&self, rx: &Receiver<Seen>, until: Option<Instant>) -> Next {
        let mut paths = Some(Vec::new());
        let mut wait = self.quiet;
        let add = |seen: Seen, paths: &mut Option<Vec<std::path::PathBuf>>, wait: &mut Duration| {
            *wait = if seen.settled {
                self.settled
            } else {
                self.quiet
            };
            if seen.rescan {
                *paths = None;
            }
            if let (Some(list), Some(_)) = (paths.as_mut(), seen.change) {
                list.push(seen.path);
            }
            seen.change
        };
        // Wait for the first relevant change.
        let mut worst = loop {
            let seen = match until {
                Some(t) => match rx.recv_timeout(t.saturating_duration_since(Instant::now())) {
                    Ok(seen) => seen,
                    Err(RecvTimeoutError::Timeout) => return Next::Due,
                    Err(RecvTimeoutError::Disconnected) => return Next::Closed,
                },
                None => match rx.recv() {
                    Ok(seen) => seen,
                    Err(_) => return Next::Closed,
                },
            };
            if let Some(c) = add(seen, &mut paths, &mut wait) {
                break c;
            }
        };
        let start = Instant::now();
        loop {
            let left = self.max.saturating_sub(start.elapsed());
            if left.is_zero() {
                break;
            }
            match rx.recv_timeout(wait.min(left)) {
                Ok(seen) => {
                    if let Some(c) = add(seen, &mut paths, &mut wait) {
                        worst = worst.max(c);
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        if let Some(list) = paths.as_mut() {
            list.sort();
            list.dedup();
        }
        Next::Burst(Burst {
            change: worst,
            paths,
        })
    }
}

/// What [`Debouncer::next_until`] saw first.
pub enum Next {
    Burst(Burst),
    /// The time asked for came, with no change begun.
    Due,
    /// The watcher has gone away.
    Closed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn c(rel: &str) -> Option<Change> {
        let root = PathBuf::from("/site");
        classify(&root, &root.join(rel), Some(&root.join("public")))
    }

    #[test]
    fn site_files_are_classified() {
        assert_eq!(c("site.toml"), Some(Change::Config));
        assert_eq!(c("content/incidents/x/1.md"), Some(Change::Content));
        assert_eq!(
            c("content/incidents/x"),
            Some(Change::Content),
            "a new or deleted folder"
        );
        assert_eq!(c("templates/page.html"), Some(Change::Template));
        assert_eq!(c("themes/mine/templates/base.html"), Some(Change::Template));
        assert_eq!(c("static/style.css"), Some(Change::Style));
        assert_eq!(c("themes/mine/static/style.css"), Some(Change::Style));
        assert_eq!(c("static/logo.png"), Some(Change::Static));
    }

    #[test]
    fn editor_droppings_and_output_do_not_count() {
        for rel in [
            "content/faq/.cards.md.swp",
            "content/faq/.cards.md.swx",
            "content/faq/cards.md~",
            "content/faq/4913",
            "content/faq/#cards.md#",
            "content/faq/.#cards.md",
            "content/faq/cards.md___jb_tmp___",
            "content/faq/cards.md___jb_old___",
            "content/.DS_Store",
            "public/index.html",
            "public",
            ".git/index",
            "README.md",
            "notes/site.toml",
        ] {
            assert_eq!(c(rel), None, "{rel}");
        }
        assert_eq!(
            classify(Path::new("/site"), Path::new("/elsewhere/x.md"), None),
            None
        );
    }

    #[test]
    fn a_burst_is_one_change_and_the_most_significant_wins() {
        let (tx, rx) = std::sync::mpsc::channel();
        let seen = |change, path: &str, rescan| Seen {
            change,
            path: PathBuf::from(path),
            rescan,
            settled: false,
        };
        for (change, path) in [
            (Some(Change::Style), "static/a.css"),
            (None, "content/.x.md.swp"),
            (Some(Change::Content), "content/faq/b.md"),
            (Some(Change::Style), "static/a.css"),
        ] {
            tx.send(seen(change, path, false)).unwrap();
        }
        let d = Debouncer::default();
        let burst = d.next(&rx).unwrap();
        assert_eq!(burst.change, Change::Content);
        assert_eq!(
            burst.paths,
            Some(vec![
                PathBuf::from("content/faq/b.md"),
                PathBuf::from("static/a.css")
            ]),
            "relevant paths, once each"
        );
        tx.send(seen(Some(Change::Style), "static/a.css", false))
            .unwrap();
        assert_eq!(
            d.next(&rx).unwrap().change,
            Change::Style,
            "the next burst is separate"
        );
        tx.send(seen(Some(Change::Content), "content/faq/b.md", false))
            .unwrap();
        tx.send(seen(None, "", true)).unwrap();
        assert_eq!(
            d.next(&rx).unwrap().paths,
            None,
            "lost events: look at everything"
        );
        drop(tx);
        assert_eq!(d.next(&rx), None);
    }

    /// The rebuild thread wakes when the minute turns if nothing was saved,
    /// and a save before then is a burst as always.
    #[test]
    fn a_time_asked_for_comes_unless_a_change_comes_first() {
        let (tx, rx) = std::sync::mpsc::channel();
        let d = Debouncer::default();
        let soon = Some(Instant::now() + std::time::Duration::from_millis(20));
        assert!(matches!(d.next_until(&rx, soon), Next::Due));
        tx.send(Seen {
            change: Some(Change::Content),
            path: PathBuf::from("content/faq/b.md"),
            rescan: false,
            settled: false,
        })
        .unwrap();
        let later = Some(Instant::now() + std::time::Duration::from_secs(60));
        assert!(matches!(
            d.next_until(&rx, later),
            Next::Burst(Burst {
                change: Change::Content,
                ..
            })
        ));
        drop(tx);
        assert!(matches!(d.next_until(&rx, later), Next::Closed));
    }

    /// A file closed after writing ends the burst after the short wait; an
    /// event after it that is not a close waits the whole quiet period.
    #[test]
    fn a_closed_file_ends_the_burst_sooner() {
        let (tx, rx) = std::sync::mpsc::channel();
        let d = Debouncer {
            quiet: Duration::from_secs(1),
            settled: Duration::from_millis(1),
            max: Duration::from_secs(30),
        };
        let seen = |settled| Seen {
            change: Some(Change::Content),
            path: PathBuf::from("content/faq/b.md"),
            rescan: false,
            settled,
        };
        tx.send(seen(false)).unwrap();
        tx.send(seen(true)).unwrap();
        let start = Instant::now();
        assert!(d.next(&rx).is_some());
        assert!(
            start.elapsed() < Duration::from_millis(500),
            "did not wait for the quiet period"
        );
        tx.send(seen(true)).unwrap();
        tx.send(seen(false)).unwrap();
        let start = Instant::now();
        assert!(d.next(&rx).is_some());
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "a write after the close may be followed by more"
        );
    }
}
