//! Atom feeds (RFC 4287): one entry per update, site-wide and per incident.
//!
//! Written with `atom_syndication`, never by string concatenation, so a
//! title holding `<`, `&` or `</script>` is escaped the way XML needs.

use std::sync::Arc;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use rayon::prelude::*;

use crate::load::config::Config;
use crate::model::{IncidentView, Model, UpdateView};

fn datetime(iso: &str) -> FixedDateTime {
    iso.parse().unwrap_or_default()
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l
}

pub(crate) fn entry(config: &Config, u: &UpdateView, with_incident: bool) -> Entry {
    let mut e = Entry::default();
    let title = if with_incident {
        format!("{}: {} ({})", u.status_label, u.title, u.incident_title)
    } else {
        format!("{}: {}", u.status_label, u.title)
    };
    e.set_title(Text::plain(title));
    e.set_id(u.id.clone());
    e.set_updated(datetime(&u.updated.iso));
    e.set_published(Some(datetime(&u.at.iso)));
    e.set_authors(vec![Person {
        name: config.organisation.name.clone(),
        uri: config.organisation.website.clone(),
        ..Default::default()
    }]);
    e.set_links(vec![link(&u.permalink, "alternate", Some("text/html"))]);
    if !u.summary.is_empty() {
        e.set_summary(Some(Text::plain(u.summary.clone())));
    }
    let mut html = String::new();
    for c in &u.corrections {
        let esc = crate::base::text::escape_attr;
        html.push_str(&format!(
            "<p><strong>{}</strong> {}</p>\n",
            esc(&config
                .words
                .fill("correction.correction", &[("time", &c.at.long)])),
            esc(&c.note)
        ));
        for h in &c.changes {
            let side = |pieces: &[crate::record::diff::Piece], tag: &str| {
                pieces
                    .iter()
                    .map(|p| match p.changed {
                        true => format!("<{tag}>{}</{tag}>", esc(&p.text)),
                        false => esc(&p.text),
                    })
                    .collect::<String>()
            };
            html.push_str(&format!(
                "<p><strong>{}:</strong> {}<br>\n<strong>{}:</strong> {}</p>\n",
                esc(config.words.get("correction.we_said")),
                side(&h.before, "del"),
                esc(config.words.get("correction.we_now_say")),
                side(&h.after, "ins")
            ));
        }
    }
    html.push_str(&u.content);
    let mut content = Content::default();
    content.set_content_type(Some("html".to_string()));
    content.set_value(Some(html));
    e.set_content(Some(content));
    e
}

/// An entry's XML, written on its own: exactly what atom_syndication
/// writes for it inside a feed.
pub fn entry_xml(config: &Config, u: &UpdateView, with_incident: bool) -> Arc<[u8]> {
    let mut f = Feed::default();
    f.set_entries(vec![entry(config, u, with_incident)]);
    let xml = write(&f);
    // Text is escaped, so `<entry>` and `</entry>` can only be the element's tags.
    let start = find(&xml, b"<entry>").unwrap_or(0);
    let end = xml
        .windows(b"</entry>".len())
        .rposition(|w| w == b"</entry>")
        .map_or(xml.len(), |i| i + b"</entry>".len());
    Arc::from(xml.get(start..end).unwrap_or_default())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn write(f: &Feed) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail for I/O reasons; a failure here would be a
    // bug in the feed crate, and an empty feed is the safe result.
    let _ = f.write_to(&mut out);
    out
}

/// Makes an update's entry: afresh, or in the preview from a cache.
pub type Entries<'a> = dyn Fn(&UpdateView, bool) -> Arc<[u8]> + Sync + 'a;

/// A feed file: where it goes, and what it holds.
pub struct FeedOf<'a> {
    pub path: String,
    title: String,
    alternate: String,
    updates: Vec<&'a UpdateView>,
    with_incident: bool,
}

impl FeedOf<'_> {
    /// The feed's bytes, in one allocation of the right size.
    pub fn bytes(&self, config: &Config, entries: &Entries<'_>) -> Vec<u8> {
        let (head, split) = self.head(config);
        let made: Vec<Arc<[u8]>> = self
            .updates
            .par_iter()
            .map(|u| entries(u, self.with_incident))
            .collect();
        let mut out = Vec::with_capacity(head.len() + made.iter().map(|e| e.len()).sum::<usize>());
        out.extend_from_slice(&head[..split]);
        for e in &made {
            out.extend_from_slice(e);
        }
        out.extend_from_slice(&head[split..]);
        out
    }

    /// The feed in pieces: its head, each entry, its tail. Joined, the
    /// same bytes as [`FeedOf::bytes`].
    pub fn parts(&self, config: &Config, entries: &Entries<'_>) -> Vec<Arc<[u8]>> {
        let (head, split) = self.head(config);
        let mut parts = Vec::with_capacity(self.updates.len() + 2);
        parts.push(Arc::from(&head[..split]));
        parts.par_extend(
            self.updates
                .par_iter()
                .map(|u| entries(u, self.with_incident)),
        );
        parts.push(Arc::from(&head[split..]));
        parts
    }

    /// Write the feed to `out`. Its entries are made a batch at a time, in
    /// parallel, by `entries`, and put where atom_syndication puts
    /// entries, last before `</feed>`: a feed of every update of a large
    /// site is never held in memory whole.
    pub fn write(
        &self,
        out: &mut dyn std::io::Write,
        config: &Config,
        entries: &Entries<'_>,
    ) -> std::io::Result<()> {
        let (head, split) = self.head(config);
        out.write_all(&head[..split])?;
        for batch in self.updates.chunks(256) {
            let made: Vec<Arc<[u8]>> = batch
                .par_iter()
                .map(|u| entries(u, self.with_incident))
                .collect();
            for e in &made {
                out.write_all(e)?;
            }
        }
        out.write_all(&head[split..])
    }

    /// The feed without entries, and where they go (before `</feed>`).
    fn head(&self, config: &Config) -> (Vec<u8>, usize) {
        let mut f = Feed::default();
        f.set_title(Text::plain(self.title.clone()));
        f.set_id(config.permalink(&self.path));
        f.set_lang(Some(config.language.clone()));
        f.set_links(vec![
            link(
                &config.permalink(&self.path),
                "self",
                Some("application/atom+xml"),
            ),
            link(&self.alternate, "alternate", Some("text/html")),
        ]);
        f.set_authors(vec![Person {
            name: config.organisation.name.clone(),
            uri: config.organisation.website.clone(),
            ..Default::default()
        }]);
        // The feed's `updated` is its newest entry's; with no entries, the
        // newest time it could honestly claim is none, so use the epoch.
        let newest = self
            .updates
            .iter()
            .map(|u| &u.updated)
            .max_by_key(|t| t.epoch);
        f.set_updated(
            newest.map_or_else(|| datetime("1970-01-01T00:00:00Z"), |t| datetime(&t.iso)),
        );
        let head = write(&f);
        let close = b"</feed>";
        let split = head
            .windows(close.len())
            .rposition(|w| w == close)
            .unwrap_or(head.len());
        (head, split)
    }
}

pub(crate) fn published(u: &&UpdateView) -> bool {
    !u.scheduled && !u.draft
}

/// `feed.xml`: every published update of every incident.
pub fn site<'a>(config: &Config, model: &'a Model) -> FeedOf<'a> {
    FeedOf {
        path: "feed.xml".to_string(),
        title: config.title.clone(),
        alternate: config.permalink(""),
        updates: model
            .updates
            .iter()
            .map(|u| &**u)
            .filter(published)
            .collect(),
        with_incident: model.incidents.len() > 1,
    }
}

pub fn site_feed(config: &Config, model: &Model, entries: &Entries<'_>) -> (String, Vec<u8>) {
    let f = site(config, model);
    let bytes = f.bytes(config, entries);
    (f.path, bytes)
}

/// `incidents/<slug>/feed.xml`: one incident's published updates.
pub fn of_incident<'a>(inc: &'a IncidentView) -> FeedOf<'a> {
    FeedOf {
        path: format!("incidents/{}/feed.xml", inc.slug),
        title: inc.title.clone(),
        alternate: inc.permalink.clone(),
        updates: inc.updates.iter().map(|u| &**u).filter(published).collect(),
        with_incident: false,
    }
}

pub fn incident_feed(
    config: &Config,
    inc: &IncidentView,
    entries: &Entries<'_>,
) -> (String, Vec<u8>) {
    let f = of_incident(inc);
    let bytes = f.bytes(config, entries);
    (f.path, bytes)
}
