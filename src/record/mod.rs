//! The published record: what the site has said, kept so that nothing said
//! is ever quietly changed.
//!
//! `record.jsonl`, in the site folder, holds a line for each notice, update
//! and FAQ answer the first time `candor build` publishes it: when, its
//! plain text, and that text's digest ([`chain`]). Each build compares what
//! the site says now ([`said`]) with the record ([`reconcile`]):
//!
//! - new: recorded;
//! - the same words: nothing to do (reflowed Markdown is the same words);
//! - other words and a new `[[correction]]`: recorded with the correction,
//!   whose change ([`diff`]) readers then see;
//! - other words and no new correction, a correction removed, or something
//!   published gone without a `[[withdrawn]]` notice: an error, with the
//!   change and the ways out.
//!
//! The built site publishes the record too, so that anyone who saved it
//! can tell later whether anything before was rewritten
//! (`candor verify-record`).

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;

pub mod chain;
pub mod diff;
pub mod said;

use crate::base::diagnostics::Diagnostic;
use crate::base::output::FileData;
use crate::base::time::iso_utc;
use crate::load::content::Content;
use chain::{Chain, Entry, Event, FILE, Note};
use diff::Hunk;
use said::{Said, Withdrawal};

/// What the build learned from the record.
#[derive(Debug, Default, Clone)]
pub struct History {
    /// The change each correction records: (id, correction) → what was
    /// said before and what is said now. Empty when the words did not
    /// change (a correction of something else) or were never recorded.
    pub changes: HashMap<(String, Note), Vec<Hunk>>,
    /// What was withdrawn, by id.
    pub withdrawn: BTreeMap<String, Withdrawn>,
    /// When each id's words last changed (RFC 3339, UTC): first published
    /// or corrected with other words. This build's changes count, whether
    /// or not it seals them. A translation older than its original is out
    /// of date.
    pub changed: HashMap<String, String>,
}

impl History {
    pub fn change(&self, id: &str, note: &Note) -> &[Hunk] {
        self.changes
            .get(&(id.to_string(), note.clone()))
            .map_or(&[], Vec::as_slice)
    }
}

/// Something published, then withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Withdrawn {
    pub id: String,
    pub title: String,
    /// When it was first recorded as published (RFC 3339).
    pub published: String,
    pub notice: Note,
}

/// The record after this build: what it holds, what this build adds to
/// it, and what the pages need from it.
pub struct Reconciled {
    /// The last entry read, and the entries this build adds.
    pub chain: Chain,
    /// Entries this build adds at the end of `chain`.
    pub added: usize,
    pub history: History,
    /// The whole record after this build, shared with the site's files:
    /// the text read, then each line this build adds (so that a first
    /// build of a large site never holds its record twice, or copies it
    /// whole); or, when the build adds nothing to a file read as it is
    /// written, that file (a large record is then not held in memory).
    text: Result<Parts, std::path::PathBuf>,
    /// A build's new record, written beside the site's before the pages
    /// are made ([`Reconciled::stage`]): the record at `.1` once committed.
    staged: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

impl Drop for Reconciled {
    /// A staged record never committed (the build failed) is removed.
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.staged {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// A text in parts, in order.
type Parts = std::sync::Arc<[std::sync::Arc<[u8]>]>;

impl Reconciled {
    /// The record as the site publishes it.
    pub fn text(&self) -> String {
        if let Some((tmp, path)) = &self.staged {
            return std::fs::read_to_string(tmp)
                .or_else(|_| std::fs::read_to_string(path))
                .unwrap_or_default();
        }
        match &self.text {
            Ok(parts) => String::from_utf8_lossy(&parts.concat()).into_owned(),
            Err(file) => std::fs::read_to_string(file).unwrap_or_default(),
        }
    }

    /// The record as a file of the site.
    pub fn file(&self) -> FileData {
        // Copied from where the build commits it, before the site is written.
        if let Some((_, path)) = &self.staged {
            return FileData::Copy(path.clone());
        }
        match &self.text {
            Ok(parts) if parts.len() == 1 => FileData::Shared(std::sync::Arc::clone(&parts[0])),
            Ok(parts) => FileData::Parts(std::sync::Arc::clone(parts)),
            Err(file) => FileData::Copy(file.clone()),
        }
    }

    /// Write this build's record to the site's folder early, beside the
    /// record, so that its text is not held while the pages are made (at
    /// 10,000 updates a first build's record is 60 MB); [`write_to`] then
    /// puts it in place.
    ///
    /// [`write_to`]: Reconciled::write_to
    pub fn stage(&mut self, path: &std::path::Path) -> std::io::Result<()> {
        let Ok(parts) = &self.text else {
            return Ok(());
        };
        let slices: Vec<&[u8]> = parts.iter().map(|p| &p[..]).collect();
        let tmp = crate::base::output::stage_file(path, &slices)?;
        self.staged = Some((tmp, path.to_path_buf()));
        self.text = Err(path.to_path_buf());
        Ok(())
    }

    /// Write the record to `path`, as a whole or not at all.
    pub fn write_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        if let Some((tmp, staged_for)) = &self.staged {
            return if staged_for == path {
                crate::base::output::commit_file(tmp, path)
            } else {
                std::fs::read(tmp).and_then(|b| crate::base::output::replace_file(path, &b))
            };
        }
        match &self.text {
            Ok(parts) => {
                let parts: Vec<&[u8]> = parts.iter().map(|p| &p[..]).collect();
                crate::base::output::replace_file_parts(path, &parts)
            }
            Err(file) if file == path => Ok(()),
            Err(file) => std::fs::read(file)
                .and_then(|bytes| crate::base::output::replace_file(path, &bytes)),
        }
    }
}

/// One part: the whole of `text`, shared.
fn whole(text: &std::sync::Arc<str>) -> Parts {
    std::sync::Arc::from(vec![std::sync::Arc::<[u8]>::from(std::sync::Arc::clone(
        text,
    ))])
}

/// Where the record is kept in a site folder.
pub fn path(site: &std::path::Path) -> std::path::PathBuf {
    site.join(FILE)
}

/// Read the site's record (none yet: an empty one), and compare what the
/// site says now with it. Problems are pushed to `diags`; `None` when the
/// record cannot be trusted. With `seal` (a build), what is new is added
/// to the record; otherwise (the preview, `check`) it is only counted, and
/// the record is as it was read.
pub fn reconcile(
    site: &std::path::Path,
    base_url: &str,
    content: &Content,
    now: Timestamp,
    seal: bool,
    mut cache: Option<&mut Cache>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Reconciled> {
    use crate::load::walk::Stamp;
    // In the preview, a record whose size and times are those it had when
    // it was last read (well after it was written) is not read again: at
    // 10,000 updates it is 60 MB.
    let stamp = cache
        .as_deref()
        .and_then(|_| std::fs::metadata(path(site)).ok())
        .map(|m| Stamp::of(&m));
    let unchanged = cache
        .as_deref()
        .and_then(|c| c.stamped.as_ref())
        .filter(|(st, read_at, _)| Some(*st) == stamp && st.settled_before(*read_at))
        .map(|(_, _, read)| std::sync::Arc::clone(read));
    let read_at = std::time::SystemTime::now();
    let (read, found) = match unchanged {
        Some(read) => (read, true),
        None => {
            let (bytes, found) = match std::fs::read(path(site)) {
                Ok(bytes) => (bytes, true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Vec::new(), false),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(FILE, format!("cannot read the published record: {e}"))
                            .io(),
                    );
                    return None;
                }
            };
            // In the preview, a record read before is not replayed again.
            let key = crate::base::fingerprint::of(&bytes);
            let cached = cache
                .as_deref()
                .and_then(|c| c.read.as_ref())
                .filter(|(k, _)| *k == key)
                .map(|(_, r)| std::sync::Arc::clone(r));
            let read = match cached {
                Some(read) => read,
                None => {
                    let text = match String::from_utf8(bytes) {
                        Ok(text) => text,
                        Err(_) => {
                            diags.push(untrusted(0, "it is not UTF-8 text", base_url));
                            return None;
                        }
                    };
                    match Chain::read_light(text) {
                        Ok(chain) => std::sync::Arc::new(Read::of(chain)),
                        Err(fault) => {
                            diags.push(untrusted(fault.line, &fault.message, base_url));
                            return None;
                        }
                    }
                }
            };
            if let Some(c) = cache.as_deref_mut() {
                c.read = Some((key, std::sync::Arc::clone(&read)));
            }
            (read, found)
        }
    };
    let (said, said_cache) = said::of_cached(content, now, cache.as_deref().map(|c| &c.said));
    let withdrawals = withdrawals(content);
    let mut reconciled = compare(&read, &said, &withdrawals, base_url, now, seal, diags);
    if reconciled.added == 0 || !seal {
        reconciled.text = if read.verbatim && found {
            Err(path(site))
        } else {
            Ok(whole(&read.written))
        };
    }
    if let Some(c) = cache {
        c.said = said_cache;
        c.stamped = stamp.map(|st| (st, read_at, read));
    }
    Some(reconciled)
}

/// In the preview: the record as last read, and the texts last made.
#[derive(Default)]
pub struct Cache {
    read: Option<(crate::base::fingerprint::Fingerprint, std::sync::Arc<Read>)>,
    /// The record as last read, with the file's stamp and when it was read.
    stamped: Option<(
        crate::load::walk::Stamp,
        std::time::SystemTime,
        std::sync::Arc<Read>,
    )>,
    said: said::Cache,
}

/// A record read and replayed.
pub struct Read {
    states: BTreeMap<String, State>,
    history: History,
    /// The last entry, which the next is chained to.
    last: Option<Entry>,
    written: std::sync::Arc<str>,
    /// Where each line of `written` starts.
    starts: Vec<usize>,
    /// The file was exactly `written`.
    verbatim: bool,
}

impl Read {
    fn of(mut chain: Chain) -> Read {
        let starts = chain.line_starts();
        let written: std::sync::Arc<str> = std::sync::Arc::from(chain.take_text());
        let entries = std::mem::take(&mut chain.entries);
        let last = entries.last().cloned();
        let text_at = |line: usize| Chain::text_of(&written, &starts, line);
        let (states, history) = replay(entries, &text_at);
        Read {
            states,
            history,
            last,
            verbatim: chain.verbatim(),
            written,
            starts,
        }
    }

    /// The text last recorded for `st`, read again from its line.
    fn text(&self, st: &State) -> String {
        st.text_at
            .map(|line| Chain::text_of(&self.written, &self.starts, line))
            .unwrap_or_default()
    }
}

/// The error for a record that cannot be trusted.
pub fn untrusted(line: usize, message: &str, base_url: &str) -> Diagnostic {
    let mut d = Diagnostic::error(FILE, format!("the published record cannot be trusted: {message}"))
        .with_hint(format!(
            "candor writes this file and never rewrites a line of it: restore it from version control (git checkout -- {FILE}) or from the published copy at {base_url}{FILE}"
        ));
    d.line = line;
    d
}

/// Every `[[withdrawn]]` notice, by the id of what it takes down.
fn withdrawals(content: &Content) -> Vec<Withdrawal> {
    let mut out = Vec::new();
    for inc in &content.incidents {
        for w in &inc.withdrawn {
            out.push(Withdrawal {
                id: format!("incidents/{}/{}", inc.slug, w.slug),
                note: Note {
                    at: iso_utc(w.at),
                    note: w.note.clone(),
                },
                file: w.file.clone(),
                line: w.line,
            });
        }
    }
    for w in &content.faq_intro.withdrawn {
        out.push(Withdrawal {
            id: format!("faq/{}", w.slug),
            note: Note {
                at: iso_utc(w.at),
                note: w.note.clone(),
            },
            file: w.file.clone(),
            line: w.line,
        });
    }
    out
}

/// What the record says of one id, after its last entry.
#[derive(Debug, Default)]
struct State {
    title: String,
    /// The line (0-based) whose entry recorded the text last recorded.
    text_at: Option<usize>,
    digest: String,
    corrections: HashSet<Note>,
    /// First recorded as published.
    published: String,
    withdrawn: Option<Note>,
}

/// The record's entries, replayed: the state of each id, and the change
/// each correction recorded.
fn replay(
    entries: Vec<Entry>,
    text_at: &dyn Fn(usize) -> String,
) -> (BTreeMap<String, State>, History) {
    let mut states: BTreeMap<String, State> = BTreeMap::new();
    let mut history = History::default();
    // Each id's state names the line of its last text, which is read again
    // only where a correction's change is shown.
    for (line, e) in entries.into_iter().enumerate() {
        if e.event == Event::Begin {
            continue;
        }
        let st = states.entry(e.id.clone()).or_default();
        if let Some(title) = &e.title {
            st.title = title.clone();
        }
        match e.event {
            Event::Published => {
                st.withdrawn = None;
                st.published = e.at.clone();
                st.corrections.extend(e.corrections.iter().cloned());
            }
            Event::Corrected => {
                let changed = e
                    .digest
                    .as_deref()
                    .filter(|d| *d != st.digest.as_str())
                    .map(|_| {
                        let before = st.text_at.map(text_at).unwrap_or_default();
                        diff::hunks(&before, &text_at(line))
                    })
                    .unwrap_or_default();
                for c in &e.corrections {
                    history
                        .changes
                        .insert((e.id.clone(), c.clone()), changed.clone());
                }
                st.corrections.extend(e.corrections.iter().cloned());
            }
            Event::Withdrawn => {
                st.withdrawn = e.withdrawal.clone();
                if let Some(w) = &e.withdrawal {
                    history.withdrawn.insert(
                        e.id.clone(),
                        Withdrawn {
                            id: e.id.clone(),
                            title: st.title.clone(),
                            published: st.published.clone(),
                            notice: w.clone(),
                        },
                    );
                }
            }
            Event::Begin => {}
        }
        if let Some(digest) = e.digest {
            if digest != st.digest {
                history.changed.insert(e.id.clone(), e.at.clone());
            }
            st.text_at = Some(line);
            st.digest = digest;
        }
        if e.event == Event::Published {
            history.withdrawn.remove(&e.id);
        }
    }
    (states, history)
}

/// Compare what the site says with the record; add what is new.
fn compare(
    read: &Read,
    said: &[std::sync::Arc<Said>],
    withdrawals: &[Withdrawal],
    base_url: &str,
    now: Timestamp,
    seal: bool,
    diags: &mut Vec<Diagnostic>,
) -> Reconciled {
    let at = iso_utc(now);
    let states = &read.states;
    let mut history = read.history.clone();
    // Texts are copied into new entries only when they are added.
    let text_of = |s: &Said| seal.then(|| std::sync::Arc::clone(&s.text));
    // What this run adds. Only `build` (sealing) writes it: otherwise (the
    // preview, `check`) the entries are counted, not made.
    let mut new: Vec<Entry> = Vec::new();
    let mut added = 0;
    let mut add = |new: &mut Vec<Entry>, e: &dyn Fn() -> Entry| {
        added += 1;
        if seal {
            new.push(e());
        }
    };
    if read.last.is_none() {
        add(&mut new, &|| {
            let mut begin = chain::entry(Event::Begin, "", &at);
            begin.site = Some(base_url.to_string());
            begin.format = Some(chain::FORMAT);
            begin
        });
    }
    history.changed.reserve(said.len());
    let by_id: HashMap<&str, &Said> = said.iter().map(|s| (s.id.as_str(), &**s)).collect();
    let withdrawn_ids: HashMap<&str, &Withdrawal> =
        withdrawals.iter().map(|w| (w.id.as_str(), w)).collect();
    for s in said.iter().filter(|s| s.published) {
        let state = states.get(&s.id).filter(|st| st.withdrawn.is_none());
        let Some(st) = state else {
            history.changed.insert(s.id.clone(), at.clone());
            add(&mut new, &|| {
                let mut e = chain::entry(Event::Published, &s.id, &at);
                e.title = Some(s.title.clone());
                e.corrections = s.corrections.clone();
                e.digest = Some(s.digest.to_string());
                e.text = text_of(s);
                e
            });
            continue;
        };
        let digest = &*s.digest;
        let fresh: Vec<Note> = s
            .corrections
            .iter()
            .filter(|c| !st.corrections.contains(c))
            .cloned()
            .collect();
        for gone in st.corrections.iter().filter(|c| !s.corrections.contains(c)) {
            diags.push(correction_removed(s, gone));
        }
        let changed = digest != st.digest.as_str();
        if changed && fresh.is_empty() {
            diags.push(unannounced(s, &read.text(st), &at));
            continue;
        }
        if changed || !fresh.is_empty() {
            let mut e = chain::entry(Event::Corrected, &s.id, &at);
            e.title = (s.title != st.title).then(|| s.title.clone());
            if changed {
                history.changed.insert(s.id.clone(), at.clone());
                let hunks = diff::hunks(&read.text(st), &s.text);
                for c in &fresh {
                    history
                        .changes
                        .insert((s.id.clone(), c.clone()), hunks.clone());
                }
                e.digest = Some(digest.to_string());
                e.text = text_of(s);
            }
            e.corrections = fresh;
            add(&mut new, &|| e.clone());
        }
    }
    for (id, st) in states {
        let now_published = by_id.get(id.as_str()).is_some_and(|s| s.published);
        match (&st.withdrawn, withdrawn_ids.get(id.as_str())) {
            (None, _) if now_published => {}
            (None, Some(w)) => {
                add(&mut new, &|| {
                    let mut e = chain::entry(Event::Withdrawn, id, &at);
                    e.withdrawal = Some(w.note.clone());
                    e
                });
                history.withdrawn.insert(
                    id.clone(),
                    Withdrawn {
                        id: id.clone(),
                        title: st.title.clone(),
                        published: st.published.clone(),
                        notice: w.note.clone(),
                    },
                );
            }
            (None, None) => diags.push(vanished(id, st, by_id.get(id.as_str()).copied())),
            (Some(recorded), Some(w)) if !now_published && recorded != &w.note => {
                diags.push(
                    at_withdrawal(
                        w,
                        "this withdrawal notice was published and cannot be changed".to_string(),
                    )
                    .with_note(format!(
                        "as published: at = {}, note = \"{}\"",
                        recorded.at, recorded.note
                    ))
                    .with_hint("put the notice back as it was published"),
                );
            }
            (Some(recorded), None) if !now_published => {
                let (file, slug) = withdrawal_home(id);
                diags.push(
                    Diagnostic::error(
                        file,
                        format!(
                            "the withdrawal notice for `{slug}` was published and has been removed"
                        ),
                    )
                    .with_note(format!(
                        "as published: at = {}, note = \"{}\"",
                        recorded.at, recorded.note
                    ))
                    .with_hint("put the [[withdrawn]] table back as it was published"),
                );
            }
            _ => {}
        }
    }
    for w in withdrawals {
        let published = by_id.get(w.id.as_str()).is_some_and(|s| s.published);
        if published {
            diags.push(
                at_withdrawal(w, format!("`{}` is withdrawn here but still published", short(&w.id)))
                    .with_hint("delete its file, or make it a draft: a withdrawn update is shown only as its withdrawal notice"),
            );
        } else if !states.contains_key(&w.id) {
            let prefix = w.id.rsplit_once('/').map_or("", |(p, _)| p);
            let known = states
                .keys()
                .filter(|k| k.rsplit_once('/').map_or("", |(p, _)| p) == prefix)
                .map(|k| short(k));
            let hint = crate::base::diagnostics::did_you_mean(short(&w.id), known).unwrap_or_else(|| {
                "name the file of a published update, without .md: only what is in the published record can be withdrawn".to_string()
            });
            diags.push(
                at_withdrawal(
                    w,
                    format!("nothing named `{}` was ever published", short(&w.id)),
                )
                .with_hint(hint),
            );
        }
    }
    let mut chain = Chain::default();
    let text = if seal && added > 0 {
        // A stable order: the same record after the same build.
        let begin = (new[0].event == Event::Begin).then(|| new.remove(0));
        new.sort_by(|a, b| a.id.cmp(&b.id));
        chain = Chain::after(read.last.clone(), String::new());
        let mut parts: Vec<std::sync::Arc<[u8]>> = Vec::with_capacity(added + 1);
        if !read.written.is_empty() {
            parts.push(std::sync::Arc::from(std::sync::Arc::clone(&read.written)));
        }
        for e in begin.into_iter().chain(new) {
            parts.push(std::sync::Arc::from(chain.push_apart(e).into_bytes()));
            // Written into the record's text: the entry kept (for
            // `--locked` to name) needs no copy of it.
            if let Some(last) = chain.entries.last_mut() {
                last.text = None;
            }
        }
        std::sync::Arc::from(parts)
    } else {
        whole(&read.written)
    };
    let text = Ok(text);
    Reconciled {
        chain,
        added,
        history,
        text,
        staged: None,
    }
}

/// `incidents/x/2026-11-20-contained` → `2026-11-20-contained`.
fn short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// Where a withdrawal of `id` is written, and the name it goes by there.
fn withdrawal_home(id: &str) -> (String, &str) {
    match id.strip_prefix("faq/") {
        Some(slug) => ("content/faq/_index.md".to_string(), slug),
        None => {
            let incident = id.split('/').nth(1).unwrap_or("");
            (format!("content/incidents/{incident}/_index.md"), short(id))
        }
    }
}

fn at_withdrawal(w: &Withdrawal, message: String) -> Diagnostic {
    let mut d = Diagnostic::error(&w.file, message);
    d.line = w.line;
    d
}

/// The word diff of a change, for a diagnostic's note: each change on
/// two lines, at most five.
fn described(hunks: &[Hunk]) -> String {
    let mut out = String::from("what changed, [in brackets]:");
    for h in hunks.iter().take(5) {
        out.push_str(&format!(
            "\n      was: {}\n      now: {}",
            h.before_text().replace('\n', " "),
            h.after_text().replace('\n', " ")
        ));
    }
    if hunks.len() > 5 {
        out.push_str(&format!("\n      and {} more changes", hunks.len() - 5));
    }
    out
}

/// A published text changed with no correction saying so.
fn unannounced(s: &Said, before: &str, now: &str) -> Diagnostic {
    let hunks = diff::hunks(before, &s.text);
    let what = if s.id.starts_with("faq/") {
        "answer"
    } else if s.id.matches('/').count() == 1 {
        "notice"
    } else {
        "update"
    };
    let mut d = Diagnostic::error(
        &s.file,
        format!("this published {what} was changed, and no new correction says so"),
    )
    .with_note(described(&hunks))
    .with_hint(format!(
        "readers may have read it as it was. Either restore the published text, or add a correction saying what changed and why:\n    [[correction]]\n    at = {}\n    note = \"We said … ; the right figure is … because …\"",
        now
    ));
    // Point at the first changed words, where they are in the body.
    let first = hunks
        .iter()
        .flat_map(|h| h.after.iter())
        .find(|p| p.changed)
        .map(|p| p.text.as_str());
    if let Some(words) = first
        && let Some(at) = s
            .body
            .find(words.split_whitespace().next().unwrap_or(words))
        && !words.is_empty()
    {
        let end = at + words.split_whitespace().next().map_or(0, str::len);
        let located = Diagnostic::error(&s.file, "").at(&s.body, at..end);
        d.line = located.line + s.first_line.saturating_sub(1);
        d.col = located.col;
        d.snippet = located.snippet;
    } else {
        d.line = 1;
    }
    d
}

fn correction_removed(s: &Said, gone: &Note) -> Diagnostic {
    let mut d = Diagnostic::error(
        &s.file,
        "a published correction was removed or reworded".to_string(),
    )
    .with_note(format!(
        "as published: at = {}, note = \"{}\"",
        gone.at, gone.note
    ))
    .with_hint("put it back as it was published; to say more, add another [[correction]]");
    d.line = 1;
    d
}

/// Something published is gone, and no withdrawal notice says so.
fn vanished(id: &str, st: &State, now: Option<&Said>) -> Diagnostic {
    let (home, slug) = withdrawal_home(id);
    let (file, how) = match now {
        Some(s) => (
            s.file.clone(),
            format!("is now {}", s.unpublished.unwrap_or("hidden")),
        ),
        None => match id.split_once('@') {
            Some((incident, audience)) => (
                format!("content/{incident}/_index.md"),
                format!("its audience `{audience}` was removed or renamed"),
            ),
            None => (
                match id.strip_prefix("faq/") {
                    Some(f) => format!("content/faq/{f}.md"),
                    None => format!("content/{id}.md"),
                },
                "was deleted or renamed".to_string(),
            ),
        },
    };
    let key = if id.starts_with("faq/") {
        "faq"
    } else {
        "update"
    };
    let hint = if id.contains('@') {
        "restore the [[audience]] as it was: people were sent this notice and its page; tell them of a change with a [[correction]]".to_string()
    } else if id.matches('/').count() == 1 {
        "restore it: a published notice cannot be withdrawn, since letters and emails point to it; correct it instead".to_string()
    } else {
        format!(
            "restore it as it was, or withdraw it visibly: add to {home}\n    [[withdrawn]]\n    {key} = \"{slug}\"\n    at = …\n    note = \"Why it was taken down (and where it is now, if it moved).\""
        )
    };
    Diagnostic::error(
        file,
        format!(
            "\"{}\" was published ({}) and {how}",
            st.title,
            st.published.get(..10).unwrap_or(&st.published)
        ),
    )
    .with_hint(hint)
}

#[cfg(test)]
mod tests;
