//! Links between the site's own pages: a link to a page or anchor the site
//! does not have is an error, with the page it most likely meant.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::base::fingerprint::{self, Fingerprint};

use crate::base::diagnostics::{Diagnostic, did_you_mean};
use crate::base::output::{Emit, FileData, Files};

/// Reads a built file's bytes.
pub type Read<'r> = dyn Fn(&str, &FileData) -> Option<Vec<u8>> + 'r;

/// The anchors (`id`s) of the built pages, each page read once: a large
/// site's incident page can hold every update and be linked to thousands
/// of times.
pub struct Anchors<'r> {
    read: &'r Read<'r>,
    seen: std::cell::RefCell<std::collections::HashMap<String, Arc<HashSet<String>>>>,
    /// In the preview: each page's anchors as last read, with the bytes
    /// they were read from; a page whose bytes are the same is not read
    /// again.
    kept: Option<std::cell::RefCell<&'r mut KeptAnchors>>,
    /// In the preview: the pages whose anchors were looked at since this
    /// was last emptied, with their bytes when shared (what a kept answer
    /// depends on).
    consulted: std::cell::RefCell<Vec<Consulted>>,
}

/// A page whose anchors were looked at, and its bytes when shared.
type Consulted = (String, Option<Arc<[u8]>>);

/// A page's bytes (kept alive, so the same address is the same page) and
/// its anchors.
pub type KeptAnchors = std::collections::HashMap<String, (Arc<[u8]>, Arc<HashSet<String>>)>;

impl<'r> Anchors<'r> {
    pub fn new(read: &'r Read<'r>) -> Self {
        Anchors {
            read,
            seen: Default::default(),
            kept: None,
            consulted: Default::default(),
        }
    }

    /// Whether the page at `key` has an element with this `id`.
    fn has(&self, key: &str, data: &FileData, id: &str) -> bool {
        if self.kept.is_some() {
            let shared = match data {
                FileData::Shared(bytes) => Some(Arc::clone(bytes)),
                _ => None,
            };
            self.consulted.borrow_mut().push((key.to_string(), shared));
        }
        let ids = {
            let seen = self.seen.borrow();
            seen.get(key).cloned()
        };
        let ids = ids.unwrap_or_else(|| {
            let shared = match data {
                FileData::Shared(bytes) => Some(bytes),
                _ => None,
            };
            let before = match (&self.kept, shared) {
                (Some(kept), Some(bytes)) => kept
                    .borrow()
                    .get(key)
                    .filter(|(b, _)| Arc::ptr_eq(b, bytes))
                    .map(|(_, ids)| Arc::clone(ids)),
                _ => None,
            };
            let ids = before.unwrap_or_else(|| {
                let html = (self.read)(key, data).unwrap_or_default();
                let ids = Arc::new(ids_of(&String::from_utf8_lossy(&html)));
                if let (Some(kept), Some(bytes)) = (&self.kept, shared) {
                    kept.borrow_mut()
                        .insert(key.to_string(), (Arc::clone(bytes), Arc::clone(&ids)));
                }
                ids
            });
            self.seen
                .borrow_mut()
                .insert(key.to_string(), Arc::clone(&ids));
            ids
        });
        ids.contains(id)
    }
}

/// Every ` id="…"` of a page.
fn ids_of(html: &str) -> HashSet<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id.to_string()))
        .collect()
}
use crate::load::config::Config;
use crate::load::content::{Body, Content};
use crate::markdown::html::Link;
use crate::model::RenderedContent;

/// The links of one published body, and the page it is on.
pub struct BodyLinks {
    pub file: String,
    /// The page's path in the site (`incidents/x/`), for relative links.
    pub page: String,
    /// Every link of the body, images included (they are not checked).
    pub links: std::sync::Arc<Vec<Link>>,
}

/// Each body's links, with its page. Draft bodies count only when drafts
/// are built.
pub fn of(content: &Content, rendered: &RenderedContent, drafts: bool) -> Vec<BodyLinks> {
    let mut out = Vec::new();
    let mut add = |body: &Body, page: String, links: &std::sync::Arc<Vec<Link>>, draft: bool| {
        if drafts || !draft {
            out.push(BodyLinks {
                file: body.file.clone(),
                page,
                links: std::sync::Arc::clone(links),
            });
        }
    };
    let intros = [
        (&content.home.body, &rendered.home, ""),
        (&content.faq_intro.body, &rendered.faq_intro, "faq/"),
        (
            &content.guidance_intro.body,
            &rendered.guidance_intro,
            "guidance/",
        ),
    ];
    for (body, r, page) in intros {
        if let (Some(b), Some(r)) = (body, r) {
            add(b, page.to_string(), &r.links, false);
        }
    }
    for (i, r) in content.incidents.iter().zip(&rendered.incidents) {
        add(&i.body, format!("incidents/{}/", i.slug), &r.links, i.draft);
    }
    for (u, r) in content.updates.iter().zip(&rendered.updates) {
        add(
            &u.body,
            format!("incidents/{}/{}/", u.incident, u.slug),
            &r.links,
            u.draft,
        );
    }
    for (f, r) in content.faq.iter().zip(&rendered.faq) {
        add(&f.body, "faq/".to_string(), &r.links, f.draft);
    }
    for (g, r) in content.guidance.iter().zip(&rendered.guidance) {
        add(&g.body, format!("guidance/{}/", g.slug), &r.links, g.draft);
    }
    for (p, r) in content.pages.iter().zip(&rendered.pages) {
        add(&p.body, format!("{}/", p.slug), &r.links, p.draft);
    }
    out
}

/// An error for each link to a page or anchor the built site does not
/// have. Bodies whose own page was not built (a scheduled update) are
/// passed over.
pub fn check(
    bodies: &[BodyLinks],
    files: &Files,
    emit: Emit<'_>,
    config: &Config,
    kept: Option<(&mut KeptAnchors, &mut KeptLinks)>,
    diags: &mut Vec<Diagnostic>,
) {
    // The pages a broken link may have meant: made only if one is broken.
    let pages = std::cell::OnceCell::new();
    let pages = || {
        pages.get_or_init(|| {
            files
                .keys()
                .filter_map(|k| k.strip_suffix("index.html"))
                .map(|p| config.url(p))
                .collect::<Vec<String>>()
        })
    };
    let read = |p: &str, d: &FileData| emit.read(p, d);
    let mut anchors = Anchors::new(&read);
    let (kept_anchors, mut kept_links) = match kept {
        Some((a, l)) => (Some(a), Some(l)),
        None => (None, None),
    };
    anchors.kept = kept_anchors.map(std::cell::RefCell::new);
    // What every answer depends on besides the body and the anchors it
    // looked at: the site's files, and where the site lives.
    let site = kept_links.as_ref().map(|_| {
        let mut fp = fingerprint::Fp::new();
        fp.add(&config.base_path).add(&config.base_url);
        for k in files.keys() {
            fp.add(k);
        }
        fp.finish()
    });
    let mut previous = match kept_links.as_deref_mut() {
        Some(k) => {
            let old = std::mem::take(&mut k.bodies);
            if Some(k.site) == site {
                old
            } else {
                HashMap::new()
            }
        }
        None => HashMap::new(),
    };
    for b in bodies {
        let key = (b.file.clone(), b.page.clone());
        let before = previous.remove(&key).filter(|c| {
            Arc::ptr_eq(&c.links, &b.links)
                && c.consulted.iter().all(|(page, bytes)| {
                    matches!(files.get(page), Some(FileData::Shared(now)) if Arc::ptr_eq(now, bytes))
                })
        });
        let checked = match before {
            Some(c) => c,
            None => {
                anchors.consulted.borrow_mut().clear();
                let found = broken_links(b, files, &anchors, config, &pages);
                let consulted: Option<Vec<(String, Arc<[u8]>)>> = anchors
                    .consulted
                    .borrow_mut()
                    .drain(..)
                    .map(|(page, bytes)| bytes.map(|b| (page, b)))
                    .collect();
                Checked {
                    links: Arc::clone(&b.links),
                    // A page not shared with the cache cannot be told
                    // unchanged: such a body is checked again next time.
                    keep: consulted.is_some(),
                    consulted: consulted.unwrap_or_default(),
                    diags: found,
                }
            }
        };
        diags.extend(checked.diags.iter().cloned());
        if let (Some(k), true) = (kept_links.as_deref_mut(), checked.keep) {
            k.bodies.insert(key, checked);
        }
    }
    if let (Some(k), Some(site)) = (kept_links, site) {
        k.site = site;
    }
    // Pages no link leads to any more are not kept.
    if let Some(kept) = &anchors.kept {
        let seen = anchors.seen.borrow();
        kept.borrow_mut().retain(|k, _| seen.contains_key(k));
    }
}

/// In the preview: each body's broken links as last checked, and what
/// that answer depended on, so that a body whose links and targets did not
/// change is not checked again.
#[derive(Default)]
pub struct KeptLinks {
    /// The fingerprint of the site's file names and address.
    site: Fingerprint,
    /// By the body's file and page.
    bodies: HashMap<(String, String), Checked>,
}

struct Checked {
    /// The body's links (kept alive: the same address is the same links).
    links: Arc<Vec<Link>>,
    /// Each page whose anchors were looked at, with its bytes then.
    consulted: Vec<(String, Arc<[u8]>)>,
    keep: bool,
    diags: Vec<Diagnostic>,
}

/// A body's broken links, each an error at its line.
fn broken_links<'p>(
    b: &BodyLinks,
    files: &Files,
    anchors: &Anchors,
    config: &Config,
    pages: &dyn Fn() -> &'p Vec<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !files.contains_key(&format!("{}index.html", b.page)) {
        return out;
    }
    for l in b.links.iter().filter(|l| !l.is_image) {
        let Some(why) = broken(files, anchors, config, &b.page, &l.url) else {
            continue;
        };
        let path = l.url.split(['#', '?']).next().unwrap_or("");
        let hint = did_you_mean(path, pages().iter().map(String::as_str)).unwrap_or_else(|| {
            "link to a page the site has (see public/ after a build), or remove the link"
                .to_string()
        });
        let mut d = Diagnostic::error(
            &b.file,
            format!("the link to {} leads nowhere: {why}", l.url),
        )
        .with_hint(hint);
        d.line = l.line;
        out.push(d);
    }
    out
}

/// Why an internal link is broken, if it is; `anchors` knows each page's
/// anchors.
pub fn broken(
    files: &Files,
    anchors: &Anchors,
    config: &Config,
    page: &str,
    url: &str,
) -> Option<String> {
    // Another site, an address, a number, or a scheme the Markdown stage
    // already removed with a warning: not a page of this site.
    let before_colon = url.split(':').next().unwrap_or("");
    if url.starts_with("//") || (url.contains(':') && !before_colon.contains('/')) {
        return None;
    }
    let (path, fragment) = url
        .split_once('#')
        .map_or((url, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        // Relative to the page's folder.
        let mut parts: Vec<&str> = page
            .trim_end_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for seg in path.split('/') {
            match seg {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        let mut t = parts.join("/");
        if path.ends_with('/') {
            t.push('/');
        }
        t
    };
    // Root-relative links already carry the base path; site files do not.
    let target = target
        .strip_prefix(config.base_path.trim_start_matches('/'))
        .unwrap_or(&target)
        .to_string();
    let key = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else if files.contains_key(&target) {
        target.clone()
    } else {
        format!("{target}/index.html")
    };
    let Some(data) = files.get(&key) else {
        return Some("no such page".to_string());
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    // Only an HTML page has anchors to check.
    if !key.ends_with(".html") {
        return None;
    }
    (!anchors.has(&key, data, fragment)).then(|| format!("no #{fragment} on that page"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page linked to many times is read once (10,000 links into a large
    /// incident page once took 16 s, reading it each time).
    #[test]
    fn each_page_is_read_once_for_its_anchors() {
        let reads = std::cell::Cell::new(0);
        let read = |_: &str, _: &FileData| {
            reads.set(reads.get() + 1);
            Some(
                b"<h2 id=\"what-happened\">x</h2><article class=\"update\" id=\"update-1\">"
                    .to_vec(),
            )
        };
        let anchors = Anchors::new(&read);
        let page = FileData::Bytes(Vec::new());
        for _ in 0..1000 {
            assert!(anchors.has("incidents/x/index.html", &page, "update-1"));
            assert!(anchors.has("incidents/x/index.html", &page, "what-happened"));
            assert!(!anchors.has("incidents/x/index.html", &page, "update-2"));
        }
        assert_eq!(reads.get(), 1);
    }
}
