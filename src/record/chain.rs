//! The record file: one JSON object a line, each holding the SHA-256 of the
//! line before it (a hash chain).
//!
//! ```text
//! {"n":0,"event":"begin","at":"2026-11-16T10:00:00Z","site":"https://status.example.org","format":1,"prev":"","hash":"sha256:…"}
//! {"n":1,"event":"published","at":"…","id":"incidents/customer-database","title":"…","digest":"sha256:…","text":"…","prev":"sha256:…","hash":"sha256:…"}
//! ```
//!
//! A line's `hash` is the SHA-256 of the line itself with its final
//! `,"hash":"…"` member taken out, so anyone can check a saved copy with
//! standard tools. `digest` is the SHA-256 of `text`, the words readers
//! read. The record is written only by candor, one line per event, and
//! never rewritten: a line that is not exactly as candor writes it, or
//! whose hash or place in the chain is wrong, is reported, not trusted.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The record's file name, in the site folder and in the built site.
pub const FILE: &str = "record.jsonl";

/// The format this version writes and reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// The first line: where the record begins, and for which site.
    Begin,
    /// Something was published for the first time.
    Published,
    /// What was published changed, and a correction says so.
    Corrected,
    /// Something published was taken down with a visible withdrawal.
    Withdrawn,
}

/// A correction or a withdrawal as the author wrote it: when, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub at: String,
    pub note: String,
}

/// One line of the record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Its place in the chain, from 0.
    pub n: u64,
    pub event: Event,
    /// When the build that wrote it ran (RFC 3339, UTC).
    pub at: String,
    /// What it is about: `incidents/<slug>`, `incidents/<slug>/<update>`,
    /// `faq/<slug>`. Empty for `begin`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// `begin`: the site's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// `begin`: the record's format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The corrections this entry first records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Note>,
    /// `withdrawn`: the withdrawal notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Note>,
    /// SHA-256 of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// What readers read, as plain text (shared with what the site says,
    /// not copied: a first build records every update's text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<std::sync::Arc<str>>,
    /// The hash of the line before; empty for the first.
    pub prev: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
}

/// `sha256:` and the hex digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest.iter() {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

impl Entry {
    /// The line without its hash: what the hash is taken of.
    fn unhashed(&self) -> String {
        let bare = Entry {
            hash: String::new(),
            ..self.clone()
        };
        // An entry of strings and numbers always serializes.
        serde_json::to_string(&bare).unwrap_or_default()
    }

    /// Set `prev` and `n` after `before`, and the hash.
    pub fn seal(mut self, before: Option<&Entry>) -> Entry {
        self.n = before.map_or(0, |b| b.n + 1);
        self.prev = before.map(|b| b.hash.clone()).unwrap_or_default();
        self.hash = sha256(self.unhashed().as_bytes());
        self
    }

    /// The line as written, without its newline.
    pub fn line(&self) -> String {
        with_hash(&self.unhashed(), &self.hash)
    }
}

/// A line without its hash, and the hash: the line.
fn with_hash(bare: &str, hash: &str) -> String {
    let body = bare.strip_suffix('}').unwrap_or(bare);
    format!("{body},\"hash\":\"{hash}\"}}")
}

/// A record, checked: every entry in order, or what is wrong with it.
#[derive(Default)]
pub struct Chain {
    pub entries: Vec<Entry>,
    /// The entries as written, a line each: kept, not written again.
    written: String,
    /// Read from a text that was exactly `written`.
    verbatim: bool,
}

/// What is wrong with one line of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl Chain {
    /// Read a record's text, checking every line: that it is an entry as
    /// candor writes it, that its hash is right, and that it follows the
    /// line before. The first fault ends the reading: nothing after a
    /// broken link can be trusted.
    pub fn parse(text: &str) -> Result<Chain, Fault> {
        Chain::read(text.to_string())
    }

    /// [`Chain::parse`], keeping `text` as the record written when it is
    /// exactly its lines (no blank lines, no carriage returns).
    pub fn read(text: String) -> Result<Chain, Fault> {
        Chain::read_with(text, true)
    }

    /// [`Chain::read`], each entry's text checked against its digest and
    /// then dropped: a large record's words are not held twice. Read a
    /// text again with [`Chain::text_of`].
    pub fn read_light(text: String) -> Result<Chain, Fault> {
        Chain::read_with(text, false)
    }

    /// The text recorded by the line `line` (0-based) of a record's
    /// `written` text, read again.
    pub fn text_of(written: &str, starts: &[usize], line: usize) -> String {
        let start = starts.get(line).copied().unwrap_or(written.len());
        let end = starts.get(line + 1).map_or(written.len(), |e| e - 1);
        written
            .get(start..end)
            .and_then(|l| serde_json::from_str::<Entry>(l).ok())
            .and_then(|e| e.text)
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    /// Where each line of the record as written starts.
    pub fn line_starts(&self) -> Vec<usize> {
        std::iter::once(0)
            .chain(
                self.written
                    .match_indices('\n')
                    .map(|(i, _)| i + 1)
                    .filter(|i| *i < self.written.len()),
            )
            .collect()
    }

    fn read_with(text: String, keep_text: bool) -> Result<Chain, Fault> {
        let (entries, kept) = Chain::entries(&text, keep_text)?;
        let verbatim = !text.contains('\r') && kept == text.len();
        let written = if verbatim {
            text
        } else {
            let mut written = String::with_capacity(kept);
            for line in text.split('\n') {
                let line = line.strip_suffix('\r').unwrap_or(line);
                if !line.trim().is_empty() {
                    written.push_str(line);
                    written.push('\n');
                }
            }
            written
        };
        Ok(Chain {
            entries,
            written,
            verbatim,
        })
    }

    /// Every entry of `text`, checked, and the length of its lines as the
    /// record is written (each with one newline).
    fn entries(text: &str, keep_text: bool) -> Result<(Vec<Entry>, usize), Fault> {
        let mut lines: Vec<(usize, &str)> = Vec::new();
        let mut blank: Option<usize> = None;
        for (i, raw) in text.split('\n').enumerate() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() {
                blank = blank.or(Some(i + 1));
                continue;
            }
            if let Some(at) = blank {
                return Err(Fault {
                    line: at,
                    message: "a blank line inside the record".into(),
                });
            }
            lines.push((i + 1, line));
        }
        // Each line on its own, in parallel: a record can hold every word
        // a large site ever published.
        let read: Vec<Result<Entry, Fault>> = lines
            .par_iter()
            .map(|&(number, line)| {
                read_line(number, line).map(|mut e| {
                    if !keep_text {
                        e.text = None;
                    }
                    e
                })
            })
            .collect();
        let mut entries: Vec<Entry> = Vec::with_capacity(read.len());
        for (result, &(number, _)) in read.into_iter().zip(&lines) {
            let entry = result?;
            let fault = |message: String| Fault {
                line: number,
                message,
            };
            let expected_n = entries.len() as u64;
            if entry.n != expected_n {
                return Err(fault(format!(
                    "entry {} is where entry {expected_n} should be: entries were removed, added or reordered",
                    entry.n
                )));
            }
            let prev = entries.last().map(|e| e.hash.as_str()).unwrap_or("");
            if entry.prev != prev {
                return Err(fault(
                    "this entry does not follow the one before it (its `prev` is not that entry's hash): entries were removed, added or reordered".into(),
                ));
            }
            match (entries.is_empty(), entry.event) {
                (true, Event::Begin) if entry.format.is_some_and(|f| f > FORMAT) => {
                    return Err(fault(format!(
                        "this record is in format {}, newer than this candor reads ({FORMAT})",
                        entry.format.unwrap_or_default()
                    )));
                }
                (true, Event::Begin) => {}
                (true, _) => {
                    return Err(fault(
                        "a record begins with a `begin` entry; this one does not".into(),
                    ));
                }
                (false, Event::Begin) => {
                    return Err(fault("a second `begin` entry inside the record".into()));
                }
                (false, _) if entry.id.is_empty() => {
                    return Err(fault("this entry names nothing (`id` is missing)".into()));
                }
                _ => {}
            }
            entries.push(entry);
        }
        let kept = lines.iter().map(|(_, line)| line.len() + 1).sum();
        Ok((entries, kept))
    }

    /// The record as written: one line an entry.
    pub fn text(&self) -> &str {
        &self.written
    }

    /// A record that goes on after `last`, whose lines are `written`.
    pub fn after(last: Option<Entry>, written: String) -> Chain {
        Chain {
            entries: last.into_iter().collect(),
            written,
            verbatim: false,
        }
    }

    /// Whether the text read was exactly the record as written.
    pub fn verbatim(&self) -> bool {
        self.verbatim
    }

    /// The record as written, taken out: entries pushed after this are
    /// not in it.
    pub fn take_text(&mut self) -> String {
        std::mem::take(&mut self.written)
    }

    /// Add an entry at the end, chained to the last.
    pub fn push(&mut self, entry: Entry) {
        let line = self.push_apart(entry);
        self.written.push_str(&line);
    }

    /// Add an entry at the end, chained to the last, and give back its
    /// line (with its newline) rather than adding it to the text: a large
    /// record is then written as its parts, never copied whole.
    pub fn push_apart(&mut self, entry: Entry) -> String {
        let sealed = entry.seal(self.entries.last());
        let mut line = sealed.line();
        line.push('\n');
        self.entries.push(sealed);
        line
    }
}

/// One line, checked on its own: an entry as candor writes it, whose hash
/// and digest are right.
fn read_line(number: usize, line: &str) -> Result<Entry, Fault> {
    let fault = |message: &str| Fault {
        line: number,
        message: message.to_string(),
    };
    let entry: Entry = serde_json::from_str(line).map_err(|e| Fault {
        line: number,
        message: format!("this line is not a record entry ({e})"),
    })?;
    let bare = entry.unhashed();
    if sha256(bare.as_bytes()) != entry.hash {
        return Err(fault(
            "this entry was changed after it was written: its hash does not match what it says",
        ));
    }
    if with_hash(&bare, &entry.hash) != line {
        return Err(fault(
            "this line is not as candor wrote it (its members were reformatted or reordered)",
        ));
    }
    if let (Some(text), Some(digest)) = (&entry.text, &entry.digest)
        && sha256(text.as_bytes()) != *digest
    {
        return Err(fault(
            "this entry's text does not match its digest: the text was changed after it was written",
        ));
    }
    Ok(entry)
}

/// An entry for `event` about `id`, recorded at `at`; the rest empty.
pub fn entry(event: Event, id: &str, at: &str) -> Entry {
    Entry {
        n: 0,
        event,
        at: at.to_string(),
        id: id.to_string(),
        site: None,
        format: None,
        title: None,
        corrections: Vec::new(),
        withdrawal: None,
        digest: None,
        text: None,
        prev: String::new(),
        hash: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> Chain {
        let mut c = Chain::default();
        let mut begin = entry(Event::Begin, "", "2026-11-16T10:00:00Z");
        begin.site = Some("https://status.example.org".into());
        begin.format = Some(FORMAT);
        c.push(begin);
        for (id, text) in [
            ("incidents/a", "We found it."),
            ("incidents/a/one", "1,240 people."),
        ] {
            let mut e = entry(Event::Published, id, "2026-11-16T10:00:00Z");
            e.text = Some(text.into());
            e.digest = Some(sha256(text.as_bytes()));
            c.push(e);
        }
        c
    }

    #[test]
    fn sha256_is_the_standard_one() {
        assert_eq!(
            sha256(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_written_record_reads_back() {
        let c = chain();
        let text = c.text().to_string();
        let read = Chain::parse(&text).expect("reads");
        assert_eq!(read.entries, c.entries);
        // Windows line ends, as git may check the file out, read the same.
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(Chain::parse(&crlf).expect("reads").entries, c.entries);
    }

    #[test]
    fn the_hash_is_of_the_line_without_it() {
        let c = chain();
        let line = c.entries[1].line();
        let cut = line.rfind(",\"hash\":").expect("hash member");
        let bare = format!("{}}}", &line[..cut]);
        assert_eq!(sha256(bare.as_bytes()), c.entries[1].hash);
    }

    #[test]
    fn edits_reorders_and_removals_are_found() {
        let text = chain().text().to_string();
        let lines: Vec<&str> = text.lines().collect();
        let edited = text.replace("1,240", "1,200");
        assert_eq!(Chain::parse(&edited).err().map(|f| f.line), Some(3));
        let reordered = format!("{}\n{}\n{}\n", lines[0], lines[2], lines[1]);
        assert_eq!(Chain::parse(&reordered).err().map(|f| f.line), Some(2));
        let removed = format!("{}\n{}\n", lines[0], lines[2]);
        assert_eq!(Chain::parse(&removed).err().map(|f| f.line), Some(2));
        let truncated_start = format!("{}\n{}\n", lines[1], lines[2]);
        assert!(Chain::parse(&truncated_start).is_err());
        let spaced = text.replacen("\"n\":1,", "\"n\": 1,", 1);
        assert_eq!(Chain::parse(&spaced).err().map(|f| f.line), Some(2));
        let junk = format!("{text}not json\n");
        assert_eq!(Chain::parse(&junk).err().map(|f| f.line), Some(4));
        let gap = text.replacen('\n', "\n\n", 1);
        assert_eq!(Chain::parse(&gap).err().map(|f| f.line), Some(2));
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_chain() {
        // Whoever edits a line and recomputes its hash breaks the next
        // line's `prev`.
        let mut c = chain();
        c.entries[1].text = Some("We found nothing.".into());
        c.entries[1].digest = Some(sha256(b"We found nothing."));
        let one = c.entries[1].clone().seal(Some(&c.entries[0]));
        c.entries[1] = one;
        let text: String = c.entries.iter().map(|e| e.line() + "\n").collect();
        assert_eq!(Chain::parse(&text).err().map(|f| f.line), Some(3));
    }
}
