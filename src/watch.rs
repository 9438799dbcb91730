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
//! (save-all, a `git checkout`) causes one rebuild.

use std::path::{Component, Path};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::content::is_ignored_name;

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

/// Collects events until `quiet` passes with none (or `max` since the
/// first), then hands back the most significant change of the burst.
pub struct Debouncer {
    pub quiet: Duration,
    pub max: Duration,
}

impl Default for Debouncer {
    fn default() -> Self {
        // Tens of milliseconds: long enough to cover an editor's
        // write-rename-delete sequence, short enough to feel instant.
        Debouncer {
            quiet: Duration::from_millis(25),
            max: Duration::from_millis(250),
        }
    }
}

impl Debouncer {
    /// Block until a burst of relevant changes has ended; `None` when the
    /// sender has gone away.
    pub fn next(&self, rx: &Receiver<Option<Change>>) -> Option<Change> {
        // Wait for the first relevant change.
        let mut worst = loop {
            match rx.recv() {
                Ok(Some(c)) => break c,
                Ok(None) => continue,
                Err(_) => return None,
            }
        };
        let start = Instant::now();
        loop {
            let left = self.max.saturating_sub(start.elapsed());
            if left.is_zero() {
                return Some(worst);
            }
            match rx.recv_timeout(self.quiet.min(left)) {
                Ok(Some(c)) => worst = worst.max(c),
                Ok(None) => {}
                Err(RecvTimeoutError::Timeout) => return Some(worst),
                Err(RecvTimeoutError::Disconnected) => return Some(worst),
            }
        }
    }
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
        for change in [
            Some(Change::Style),
            None,
            Some(Change::Content),
            Some(Change::Style),
        ] {
            tx.send(change).unwrap();
        }
        let d = Debouncer::default();
        assert_eq!(d.next(&rx), Some(Change::Content));
        tx.send(Some(Change::Style)).unwrap();
        assert_eq!(
            d.next(&rx),
            Some(Change::Style),
            "the next burst is separate"
        );
        drop(tx);
        assert_eq!(d.next(&rx), None);
    }
}
