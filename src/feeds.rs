//! Atom feeds (RFC 4287): one entry per update, site-wide and per incident.
//!
//! Written with `atom_syndication`, never by string concatenation, so a
//! title holding `<`, `&` or `</script>` is escaped the way XML needs.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};

use crate::config::Config;
use crate::model::{Model, UpdateView};

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

fn entry(config: &Config, u: &UpdateView, with_incident: bool) -> Entry {
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
    if let Some(c) = &u.correction {
        html.push_str(&format!(
            "<p><strong>Correction, {}:</strong> {}</p>\n",
            c.at.long,
            crate::markdown::escape_attr(&c.note)
        ));
    }
    html.push_str(&u.content);
    let mut content = Content::default();
    content.set_content_type(Some("html".to_string()));
    content.set_value(Some(html));
    e.set_content(Some(content));
    e
}

fn feed(
    config: &Config,
    title: String,
    path: &str,
    alternate: &str,
    updates: &[&UpdateView],
    with_incident: bool,
) -> Vec<u8> {
    let mut f = Feed::default();
    f.set_title(Text::plain(title));
    f.set_id(config.permalink(path));
    f.set_lang(Some(config.language.clone()));
    f.set_links(vec![
        link(
            &config.permalink(path),
            "self",
            Some("application/atom+xml"),
        ),
        link(alternate, "alternate", Some("text/html")),
    ]);
    f.set_authors(vec![Person {
        name: config.organisation.name.clone(),
        uri: config.organisation.website.clone(),
        ..Default::default()
    }]);
    // The feed's `updated` is its newest entry's; with no entries, the
    // newest time it could honestly claim is none, so use the epoch.
    let newest = updates.iter().map(|u| &u.updated).max_by_key(|t| t.epoch);
    f.set_updated(newest.map_or_else(|| datetime("1970-01-01T00:00:00Z"), |t| datetime(&t.iso)));
    f.set_entries(
        updates
            .iter()
            .map(|u| entry(config, u, with_incident))
            .collect::<Vec<_>>(),
    );
    let mut out = Vec::new();
    // Writing to a Vec cannot fail for I/O reasons; a failure here would be a
    // bug in the feed crate, and an empty feed is the safe result.
    let _ = f.write_to(&mut out);
    out
}

/// Path → bytes for every feed: `feed.xml` and `incidents/<slug>/feed.xml`.
pub fn feeds(config: &Config, model: &Model) -> Vec<(String, Vec<u8>)> {
    let published = |u: &&UpdateView| !u.scheduled && !u.draft;
    let all: Vec<&UpdateView> = model.updates.iter().filter(published).collect();
    let mut out = vec![(
        "feed.xml".to_string(),
        feed(
            config,
            config.title.clone(),
            "feed.xml",
            &config.permalink(""),
            &all,
            model.incidents.len() > 1,
        ),
    )];
    for inc in &model.incidents {
        let updates: Vec<&UpdateView> = inc.updates.iter().filter(published).collect();
        let path = format!("incidents/{}/feed.xml", inc.slug);
        out.push((
            path.clone(),
            feed(
                config,
                inc.title.clone(),
                &path,
                &inc.permalink,
                &updates,
                false,
            ),
        ));
    }
    out
}
