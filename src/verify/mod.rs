//! `candor verify-record`: tell whether a site rewrote what it published.
//!
//! Whoever saved a site's `record.jsonl` once (a journalist, a regulator,
//! an affected customer) can compare it later with the live one: every
//! entry they saved must still be there, unchanged and in the same place,
//! since each entry holds the hash of the one before it. New entries at
//! the end are what the site published or corrected since, and are listed.

use std::time::Duration;

use crate::record::chain::{Chain, Entry, Event, FILE};
use crate::record::diff;

/// A record, read from a file or fetched from an address.
pub struct Copy {
    /// Where it came from, as the user gave it.
    pub source: String,
    pub text: String,
}

/// Why a record could not be had.
#[derive(Debug)]
pub struct Unreadable(pub String);

/// Read `source`: an `http(s)://` address or a file.
pub fn read(source: &str) -> Result<Copy, Unreadable> {
    let text = if source.starts_with("https://") || source.starts_with("http://") {
        fetch(source)?
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| Unreadable(format!("cannot read {source}: {e}")))?
    };
    Ok(Copy {
        source: source.to_string(),
        text,
    })
}

#[cfg(feature = "fetch")]
fn fetch(url: &str) -> Result<String, Unreadable> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .max_redirects(5)
        .build();
    let agent: ureq::Agent = config.into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| Unreadable(format!("cannot fetch {url}: {e}")))?;
    response
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_string()
        .map_err(|e| Unreadable(format!("cannot read what {url} sent: {e}")))
}

#[cfg(not(feature = "fetch"))]
fn fetch(url: &str) -> Result<String, Unreadable> {
    let _ = Duration::ZERO;
    Err(Unreadable(format!(
        "this candor was built without fetching (the `fetch` feature): save {url} to a file and pass the file"
    )))
}

/// What comparing a saved record with the live one found.
pub enum Finding {
    /// Every saved entry is in the live record, unchanged; `added` came since.
    Intact { saved: usize, added: Vec<Entry> },
    /// One copy is not a whole, unbroken record.
    Broken {
        which: String,
        line: usize,
        why: String,
    },
    /// The live record has fewer entries than the saved one.
    Cut { saved: usize, live: usize },
    /// Entry `n` differs: the saved and the live versions.
    Rewritten { saved: Box<Entry>, live: Box<Entry> },
}

impl Finding {
    pub fn ok(&self) -> bool {
        matches!(self, Finding::Intact { .. })
    }
}

/// Compare a saved copy with the live record.
pub fn compare(saved: &Copy, live: &Copy) -> Finding {
    let parse = |c: &Copy| {
        Chain::parse(&c.text).map_err(|f| Finding::Broken {
            which: c.source.clone(),
            line: f.line,
            why: f.message,
        })
    };
    let (old, new) = match (parse(saved), parse(live)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(f), _) | (_, Err(f)) => return f,
    };
    for (i, e) in old.entries.iter().enumerate() {
        match new.entries.get(i) {
            None => {
                return Finding::Cut {
                    saved: old.entries.len(),
                    live: new.entries.len(),
                };
            }
            Some(l) if l.hash != e.hash => {
                return Finding::Rewritten {
                    saved: Box::new(e.clone()),
                    live: Box::new(l.clone()),
                };
            }
            Some(_) => {}
        }
    }
    Finding::Intact {
        saved: old.entries.len(),
        added: new.entries[old.entries.len()..].to_vec(),
    }
}

/// Where the live record of a saved one is: its site's address.
pub fn live_address(saved: &Copy) -> Option<String> {
    let first = saved.text.lines().next()?;
    let begin: Entry = serde_json::from_str(first).ok()?;
    let site = begin.site.filter(|_| begin.event == Event::Begin)?;
    Some(format!("{}/{FILE}", site.trim_end_matches('/')))
}

/// One entry in a line: `27  2026-11-25  corrected  incidents/x/y  "Title": note`.
pub fn describe(e: &Entry) -> String {
    let event = match e.event {
        Event::Begin => "began",
        Event::Published => "published",
        Event::Corrected => "corrected",
        Event::Withdrawn => "withdrawn",
    };
    let mut s = format!(
        "{:>5}  {}  {event:<9}  {}",
        e.n,
        e.at.get(..10).unwrap_or(&e.at),
        e.id
    );
    if let Some(site) = &e.site {
        s.push_str(&format!("  {site}"));
    }
    if let Some(t) = &e.title {
        s.push_str(&format!("  \"{t}\""));
    }
    for c in &e.corrections {
        s.push_str(&format!("\n         correction of {}: {}", c.at, c.note));
    }
    if let Some(w) = &e.withdrawal {
        s.push_str(&format!("\n         withdrawal of {}: {}", w.at, w.note));
    }
    s
}

/// The report a person reads.
pub fn report(finding: &Finding, saved: &Copy, live: &Copy) -> String {
    match finding {
        Finding::Intact { saved: n, added } => {
            let mut s = format!(
                "intact: {} keeps all {n} entries of {}, unchanged and in order",
                live.source, saved.source
            );
            if added.is_empty() {
                s.push_str(", and has nothing new.\n");
            } else {
                s.push_str(&format!(
                    "; {} {} since:\n",
                    added.len(),
                    if added.len() == 1 {
                        "entry was added"
                    } else {
                        "entries were added"
                    }
                ));
                for e in added {
                    s.push_str(&describe(e));
                    s.push('\n');
                }
            }
            s
        }
        Finding::Broken { which, line, why } => {
            format!("broken: {which} is not a whole record: line {line}: {why}\n")
        }
        Finding::Cut { saved: n, live: m } => format!(
            "rewritten: {} has {m} entries, {} has {n}: entries published before were removed\n",
            live.source, saved.source
        ),
        Finding::Rewritten { saved: a, live: b } if a.n == 0 => format!(
            "different: {} and {} do not begin alike ({} and {}): they are records of different sites, or the record was begun again and everything before was dropped\n",
            saved.source,
            live.source,
            describe(a).trim_start(),
            describe(b).trim_start()
        ),
        Finding::Rewritten { saved: a, live: b } => {
            let mut s = format!(
                "rewritten: entry {} is not what it was when {} was saved.\n  saved: {}\n  live:  {}\n",
                a.n,
                saved.source,
                describe(a).trim_start(),
                describe(b).trim_start()
            );
            if let (Some(x), Some(y)) = (&a.text, &b.text) {
                for h in diff::hunks(x, y).iter().take(10) {
                    s.push_str(&format!(
                        "  was: {}\n  now: {}\n",
                        h.before_text().replace('\n', " "),
                        h.after_text().replace('\n', " ")
                    ));
                }
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::chain::{self, sha256};

    fn record(texts: &[&str]) -> String {
        let mut c = Chain::default();
        let mut begin = chain::entry(Event::Begin, "", "2026-11-16T10:00:00Z");
        begin.site = Some("https://status.example.org/".into());
        c.push(begin);
        for (i, t) in texts.iter().enumerate() {
            let mut e = chain::entry(
                Event::Published,
                &format!("faq/q{i}"),
                "2026-11-16T10:00:00Z",
            );
            e.text = Some((*t).into());
            e.digest = Some(sha256(t.as_bytes()));
            c.push(e);
        }
        c.text().to_string()
    }

    fn copy(name: &str, text: String) -> Copy {
        Copy {
            source: name.into(),
            text,
        }
    }

    #[test]
    fn a_grown_record_is_intact() {
        let saved = copy("saved", record(&["one", "two"]));
        let live = copy("live", record(&["one", "two", "three"]));
        match compare(&saved, &live) {
            Finding::Intact { saved, added } => {
                assert_eq!(saved, 3);
                assert_eq!(added.len(), 1);
            }
            _ => panic!("not intact"),
        }
        assert_eq!(
            live_address(&saved).as_deref(),
            Some("https://status.example.org/record.jsonl")
        );
    }

    #[test]
    fn a_rewritten_record_is_caught_even_when_rehashed() {
        let saved = copy("saved", record(&["We think 1,100 people.", "two"]));
        // The whole chain written again from the changed entry on: every
        // line valid, but not the one saved.
        let live = copy("live", record(&["We think 1,240 people.", "two", "three"]));
        let f = compare(&saved, &live);
        assert!(matches!(&f, Finding::Rewritten { saved, .. } if saved.n == 1));
        let text = report(&f, &saved, &live);
        assert!(
            text.contains("[1,100]") && text.contains("[1,240]"),
            "{text}"
        );
        let cut = copy("live", record(&["We think 1,100 people."]));
        assert!(matches!(
            compare(&saved, &cut),
            Finding::Cut { saved: 3, live: 2 }
        ));
        let broken = copy(
            "live",
            record(&["We think 1,100 people.", "two"]).replace("two", "2"),
        );
        assert!(matches!(
            compare(&saved, &broken),
            Finding::Broken { line: 3, .. }
        ));
    }
}
