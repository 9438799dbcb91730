//! The files machines read: feeds, status.json, the sitemap, robots.txt,
//! security.txt and `_headers`. In the preview, what did not change is
//! reused: the site-wide files as a whole, each incident's feed, each feed
//! entry.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::base::diagnostics::Diagnostic;
use crate::base::fingerprint::{self, Fingerprint};
use crate::base::output::{Emit, FileData, write_error};
use crate::load::config::Config;
use crate::model::{Model, UpdateView};
use crate::render::prints::{Made, Prints};
use crate::render::{feeds, meta, status};

/// Feed entries' XML, by fingerprint.
pub type EntryCache = HashMap<Fingerprint, Arc<[u8]>>;

/// The site-wide machine files, and the site feed in its parts (see
/// [`FileData::Parts`]).
pub type SiteWide = (Made, (String, Arc<[Arc<[u8]>]>));

/// In the preview: the machine files of the last rebuild.
pub struct MachineReuse<'a> {
    pub machine: Option<SiteWide>,
    pub feeds: HashMap<String, Made>,
    pub entries: HashMap<Fingerprint, Arc<[u8]>>,
    pub prints: &'a Prints,
}

/// What making the machine files made.
#[derive(Default)]
pub struct MachineDone {
    pub files: Vec<(String, FileData)>,
    pub diags: Vec<Diagnostic>,
    pub machine: Option<SiteWide>,
    pub feeds: HashMap<String, Made>,
    pub entries: HashMap<Fingerprint, Arc<[u8]>>,
    /// The last rebuild's feeds and entries, to be freed.
    pub previous: (HashMap<String, Made>, EntryCache),
    /// Whether the site-wide files were made again.
    pub rendered: bool,
}

/// Feeds, status.json, sitemap, robots.txt, security.txt and `_headers`.
pub fn machine_files(
    config: &Config,
    model: &Model,
    now: Timestamp,
    reuse: Option<MachineReuse<'_>>,
    emit: Emit<'_>,
) -> MachineDone {
    let Some(reuse) = reuse else {
        let fresh = |u: &UpdateView, with_incident| feeds::entry_xml(config, u, with_incident);
        // Each file is kept (in a build, written) as soon as it is made:
        // a large site's feeds are never all in memory at once.
        let keep = |(path, bytes): (String, Vec<u8>)| match emit.keep(false, &path, bytes) {
            Ok(data) => Ok((path, data)),
            Err(e) => Err(write_error(&path, e)),
        };
        // Feeds are streamed: the site's holds every update.
        let stream = |feed: feeds::FeedOf| match emit
            .stream(false, &feed.path, |out| feed.write(out, config, &fresh))
        {
            Ok(data) => Ok((feed.path, data)),
            Err(e) => Err(write_error(&feed.path, e)),
        };
        let ((made, mut diags), feeds) = rayon::join(
            || site_machine_files(config, model, now),
            || {
                model
                    .incidents
                    .par_iter()
                    .map(|inc| stream(feeds::of_incident(inc)))
                    .chain(rayon::iter::once(stream(feeds::site(config, model))))
                    .collect::<Vec<_>>()
            },
        );
        let mut files = Vec::new();
        for kept in made.into_iter().map(keep).chain(feeds) {
            match kept {
                Ok(file) => files.push(file),
                Err(d) => diags.push(d),
            }
        }
        return MachineDone {
            files,
            diags,
            ..MachineDone::default()
        };
    };
    let prints = reuse.prints;
    // The site-wide files are made from the whole model, and from "now"
    // (security.txt's expiry); an incident's feed from that incident alone.
    let fp = fingerprint::of(&(prints.model(), now, &model.translations));
    let mut rendered = false;
    // A feed entry is made from its update alone: kept by fingerprint.
    let kept_entries = std::sync::Mutex::new(HashMap::new());
    let entries = |u: &UpdateView, with_incident: bool| {
        let key = fingerprint::of(&(prints.base, prints.update(u), with_incident));
        let xml = match reuse.entries.get(&key) {
            Some(xml) => Arc::clone(xml),
            None => feeds::entry_xml(config, u, with_incident),
        };
        if let Ok(mut kept) = kept_entries.lock() {
            kept.insert(key, Arc::clone(&xml));
        }
        xml
    };
    let (site_wide, feeds) = rayon::join(
        || match reuse.machine {
            Some(made) if made.0.fingerprint == fp => made,
            _ => {
                rendered = true;
                let (made, diags) = site_machine_files(config, model, now);
                // The site feed holds every update: kept as its entries,
                // joined only if someone asks for it.
                let feed = feeds::site(config, model);
                let parts: Arc<[Arc<[u8]>]> = Arc::from(feed.parts(config, &entries));
                (
                    Made {
                        fingerprint: fp,
                        files: made.into_iter().map(|(p, b)| (p, Arc::from(b))).collect(),
                        diags,
                    },
                    (feed.path, parts),
                )
            }
        },
        || {
            model
                .incidents
                .par_iter()
                .enumerate()
                .map(|(i, inc)| {
                    let fp = fingerprint::of(&(prints.base, prints.incidents.get(i)));
                    let made = match reuse.feeds.get(&inc.slug).filter(|m| m.fingerprint == fp) {
                        Some(made) => made.clone(),
                        None => {
                            let (path, bytes) = feeds::incident_feed(config, inc, &entries);
                            Made {
                                fingerprint: fp,
                                files: vec![(path, Arc::from(bytes))],
                                diags: Vec::new(),
                            }
                        }
                    };
                    (inc.slug.clone(), made)
                })
                .collect::<Vec<_>>()
        },
    );
    let mut files = vec![(
        site_wide.1.0.clone(),
        FileData::Parts(Arc::clone(&site_wide.1.1)),
    )];
    for made in std::iter::once(&site_wide.0).chain(feeds.iter().map(|(_, m)| m)) {
        for (path, bytes) in &made.files {
            files.push((path.clone(), FileData::Shared(Arc::clone(bytes))));
        }
    }
    let mut entries = kept_entries.into_inner().unwrap_or_default();
    let mut previous_entries = reuse.entries;
    if !rendered {
        // The site feed was reused: keep the entries it was made from.
        for (key, xml) in previous_entries.drain() {
            entries.entry(key).or_insert(xml);
        }
    }
    MachineDone {
        files,
        diags: site_wide.0.diags.clone(),
        machine: Some(site_wide),
        feeds: feeds.into_iter().collect(),
        entries,
        previous: (reuse.feeds, previous_entries),
        rendered,
    }
}

/// The machine files made from the whole site, and their warnings.
fn site_machine_files(
    config: &Config,
    model: &Model,
    now: Timestamp,
) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut files = vec![
        ("status.json".into(), status::status_json(config, model)),
        ("sitemap.xml".into(), meta::sitemap(config, model)),
        ("robots.txt".into(), meta::robots(config)),
    ];
    if let Some(txt) = meta::security_txt(config, now, &mut diags) {
        files.push((".well-known/security.txt".into(), txt));
    }
    if config.hosting.headers {
        files.push(("_headers".into(), meta::headers_file(config)));
    }
    (files, diags)
}
