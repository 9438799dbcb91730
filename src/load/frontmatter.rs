//! Front matter: split the `+++` TOML block from the body, then read its keys.
//!
//! Reading goes through [`Fields`], which asks for each key by name and type.
//! Every problem is recorded with the span of the key or value in the whole
//! file (so line numbers count from the file's first line), and whatever was
//! not asked for is reported at the end as an unknown key, with a "did you
//! mean" hint drawn from the keys that were asked for. One file can therefore
//! report several problems in one run.

use std::ops::Range;

use jiff::Timestamp;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::base::diagnostics::{Diagnostic, PLACEHOLDER, did_you_mean};
use crate::base::text;
use crate::base::time::{OFFSET_HINT, parse_instant};
use crate::base::vocab::Word;

/// A file's text and its path relative to the site root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, message).at(&self.text, span)
    }

    pub fn warning(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.path, message).at(&self.text, span)
    }
}

/// The parts of a Markdown file, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The TOML between the `+++` lines, if there is a block.
    pub front: Option<Range<usize>>,
    /// The `+++` opening line (where "missing key" errors point).
    pub opening: Range<usize>,
    pub body: Range<usize>,
}

/// Split front matter from body. A `---` block is refused with a hint to use
/// TOML; a missing closing `+++` is an error at the opening line.
pub fn split(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = file.text.as_str();
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end();
    if first == "---" {
        return Err(file
            .error(
                0..3,
                "front matter must be TOML between `+++` lines, not YAML between `---` lines",
            )
            .with_hint(
                "replace both `---` lines with `+++` and write the keys as TOML: title = \"…\"",
            ));
    }
    if first != "+++" {
        return Ok(Split {
            front: None,
            opening: 0..0,
            body: 0..text.len(),
        });
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Ok(Split {
                front: Some(first_end..pos),
                opening: 0..3,
                body: end..text.len(),
            });
        }
        pos = end;
    }
    Err(file
        .error(0..3, "the front matter opened here is never closed")
        .with_hint("add a line with only `+++` after the last key"))
}

/// Parse the TOML block; syntax errors are returned with file-relative spans.
pub fn parse<'a>(
    file: &'a SourceFile,
    split: &Split,
    diags: &mut Vec<Diagnostic>,
) -> Option<DeTable<'a>> {
    let range = split.front.clone()?;
    let toml_text = &file.text[range.clone()];
    let (table, errors) = DeTable::parse_recoverable(toml_text);
    if errors.is_empty() {
        return Some(table.into_inner());
    }
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let span = range.start + span.start..range.start + span.end;
        let message = e.message().trim();
        let hint = yaml_style(&file.text, span.start)
            .or_else(|| message.contains("duplicate key").then(|| "this key is set twice in the block: keep one".to_string()))
            .unwrap_or_else(|| {
            "strings need double quotes, times look like 2026-11-19T16:30:00Z, lists look like [\"a\", \"b\"]".to_string()
        });
        diags.push(
            file.error(span, format!("invalid TOML: {message}"))
                .with_hint(hint),
        );
    }
    None
}

/// A line written the YAML way (`title: "…"`), as front matter switched
/// from `---` to `+++` keeps: the fix, in TOML.
fn yaml_style(text: &str, at: usize) -> Option<String> {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?.trim();
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    is_key.then(|| {
        format!(
            "TOML writes `key = value`, not `key: value`: write {key} = {}",
            value.trim()
        )
    })
}

/// Reads typed fields out of a TOML table, collecting every problem.
pub struct Fields<'t, 'a> {
    file: &'a SourceFile,
    table: &'t DeTable<'a>,
    /// Offset of the TOML text within the file.
    base: usize,
    /// Where "missing key" errors point.
    anchor: Range<usize>,
    /// The table's name for messages: "front matter", "[correction]".
    context: String,
    asked: Vec<&'static str>,
    /// Keys a sub-table did not know, decided when this table finishes: one
    /// that this table knows was swallowed by the sub-table (TOML puts every
    /// key after a `[table]` line into that table).
    unknown: Vec<Unknown>,
    pub diags: &'t mut Vec<Diagnostic>,
}

/// A key a table did not ask for.
struct Unknown {
    key: String,
    span: Range<usize>,
    /// The table it was found in, and the keys that table knows.
    context: String,
    known: Vec<&'static str>,
}

impl<'t, 'a> Fields<'t, 'a> {
    pub fn new(
        file: &'a SourceFile,
        table: &'t DeTable<'a>,
        base: usize,
        anchor: Range<usize>,
        context: &str,
        diags: &'t mut Vec<Diagnostic>,
    ) -> Self {
        Fields {
            file,
            table,
            base,
            anchor,
            context: context.to_string(),
            asked: Vec::new(),
            unknown: Vec::new(),
            diags,
        }
    }

    fn span(&self, s: Range<usize>) -> Range<usize> {
        self.base + s.start..self.base + s.end
    }

    fn get(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'a>>> {
        self.asked.push(key);
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn wrong_type(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'a>>,
        expected: &str,
        example: &str,
    ) {
        let d = self
            .file
            .error(
                self.span(value.span()),
                format!(
                    "`{key}` must be {expected}, not {}",
                    describe(value.get_ref())
                ),
            )
            .with_hint(format!("for example: {key} = {example}"));
        self.diags.push(d);
    }

    fn missing(&mut self, key: &str, example: &str) {
        let d = Diagnostic::error(&self.file.path, format!("{} has no `{key}`", self.context))
            .at(&self.file.text, self.anchor.clone())
            .with_hint(format!("add a line such as: {key} = {example}"));
        self.diags.push(d);
    }

    /// A `TODO:` left in a value readers will see: reported at the prompt
    /// itself (a warning; `build` makes it an error).
    fn placeholder(&mut self, key: &str, span: Range<usize>, value: &str) {
        if !value.contains(text::PLACEHOLDER) {
            return;
        }
        let span = self.span(span);
        let raw = self.file.text.get(span.clone()).unwrap_or("");
        let at = raw.find(text::PLACEHOLDER).map_or(span.clone(), |i| {
            span.start + i..span.start + i + text::PLACEHOLDER.len()
        });
        let mut d = self
            .file
            .warning(
                at,
                format!("`{key}` still holds the starter kit's placeholder"),
            )
            .with_hint(format!(
                "write the real {key} in place of the TODO: prompt; readers would see it as it is"
            ));
        d.code = Some(PLACEHOLDER);
        self.diags.push(d);
    }

    /// The file being read.
    pub fn source(&self) -> &'a SourceFile {
        self.file
    }

    /// Report an error at this table (its `[[name]]` line).
    pub fn error_here(&mut self, message: impl Into<String>, hint: impl Into<String>) {
        let d = self
            .file
            .error(self.anchor.clone(), message)
            .with_hint(hint);
        self.diags.push(d);
    }

    /// A table of whole numbers by name (`residents = { us-ca = 30 }`):
    /// each name with where it is written, and its number.
    pub fn counts(&mut self, key: &'static str) -> Vec<(Spanned<String>, i64)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(
                key,
                v,
                "a table of whole numbers",
                "{ us-ca = 30, us-ny = 7 }",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, n) in t.iter() {
            let parsed = match n.get_ref() {
                DeValue::Integer(i) => {
                    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
                }
                _ => None,
            };
            match parsed {
                Some(i) => out.push((Spanned::new(k.span(), k.get_ref().to_string()), i)),
                None => self.wrong_type(key, n, "a table of whole numbers", "{ us-ca = 30 }"),
            }
        }
        out
    }

    /// Report an error at a key's value.
    pub fn error_at(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = self.file.error(self.span(span), message).with_hint(hint);
        self.diags.push(d);
    }

    pub fn string(&mut self, key: &'static str) -> Option<Spanned<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                self.placeholder(key, v.span(), s);
                Some(Spanned::new(v.span(), s.to_string()))
            }
            _ => {
                self.wrong_type(key, v, "text in double quotes", "\"…\"");
                None
            }
        }
    }

    pub fn required_string(&mut self, key: &'static str, example: &str) -> Option<Spanned<String>> {
        let v = self.string(key);
        if v.is_none() && !self.has(key) {
            self.missing(key, example);
        }
        v
    }

    /// Report `key` as missing if the table does not have it.
    pub fn require(&mut self, key: &str, example: &str) {
        if !self.has(key) {
            self.missing(key, example);
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.iter().any(|(k, _)| k.get_ref().as_ref() == key)
    }

    pub fn bool(&mut self, key: &'static str) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, "true or false", "true");
                None
            }
        }
    }

    pub fn integer(&mut self, key: &'static str) -> Option<i64> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => {
                i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(key, v, "a whole number", "10");
        }
        parsed
    }

    /// A point in time with an explicit offset: a TOML offset date-time, or a
    /// string holding one.
    pub fn instant(&mut self, key: &'static str) -> Option<Spanned<Timestamp>> {
        let v = self.get(key)?;
        let text = match v.get_ref() {
            DeValue::Datetime(dt) => dt.to_string(),
            DeValue::String(s) => s.to_string(),
            _ => {
                self.wrong_type(
                    key,
                    v,
                    "a date and time with an offset",
                    "2026-11-19T16:30:00Z",
                );
                return None;
            }
        };
        match parse_instant(&text) {
            Ok(t) => Some(Spanned::new(v.span(), t)),
            Err(msg) => {
                let d = self
                    .file
                    .error(self.span(v.span()), format!("`{key}`: {msg}"))
                    .with_hint(OFFSET_HINT);
                self.diags.push(d);
                None
            }
        }
    }

    pub fn required_instant(&mut self, key: &'static str) -> Option<Spanned<Timestamp>> {
        let v = self.instant(key);
        if v.is_none() && !self.has(key) {
            self.missing(key, "2026-11-19T16:30:00Z");
        }
        v
    }

    /// A calendar date (a TOML local date, or the date part of a date-time).
    pub fn date(&mut self, key: &'static str) -> Option<jiff::civil::Date> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => dt
                .date
                .and_then(|d| jiff::civil::date(d.year as i16, d.month as i8, d.day as i8).into()),
            DeValue::String(s) => s.parse::<jiff::civil::Date>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(key, v, "a date", "2026-11-19");
        }
        parsed
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn strings(&mut self, key: &'static str) -> Vec<Spanned<String>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::String(s) => {
                self.placeholder(key, v.span(), s);
                vec![Spanned::new(v.span(), s.to_string())]
            }
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => {
                            self.placeholder(key, item.span(), s);
                            out.push(Spanned::new(item.span(), s.to_string()))
                        }
                        _ => self.wrong_type(
                            key,
                            item,
                            "a list of texts in double quotes",
                            "[\"a\", \"b\"]",
                        ),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, v, "a list of texts in double quotes", "[\"a\", \"b\"]");
                Vec::new()
            }
        }
    }

    /// A string's text, without its place in the file.
    pub fn text(&mut self, key: &'static str) -> Option<String> {
        self.string(key).map(Spanned::into_inner)
    }

    /// A string that goes into a line-based format (an email header,
    /// security.txt): a line break in it would start a field of its own.
    pub fn line(&mut self, key: &'static str) -> Option<String> {
        let s = self.string(key)?;
        self.one_line(key, &s).then(|| s.into_inner())
    }

    /// Is this already-read value on one line? (An error at it if not.)
    pub fn single_line(&mut self, key: &str, s: &Spanned<String>) -> bool {
        self.one_line(key, s)
    }

    fn one_line(&mut self, key: &str, s: &Spanned<String>) -> bool {
        if !s.get_ref().contains(['\n', '\r']) {
            return true;
        }
        let d = self
            .file
            .error(self.span(s.span()), format!("`{key}` holds a line break"))
            .with_hint("write it on one line: it goes into a line-based format (an email header or security.txt), where a line break would start a field of its own");
        self.diags.push(d);
        false
    }

    /// A web address (or, where `schemes` allows, a `mailto:` or `tel:`
    /// one) in a setting: anything else (`javascript:`, `data:`) would be
    /// published as a link.
    pub fn url(&mut self, key: &'static str, schemes: &[&str]) -> Option<String> {
        let s = self.string(key)?;
        self.good_url(key, &s, schemes).then(|| s.into_inner())
    }

    /// A list of addresses, each as [`Fields::url`].
    pub fn urls(&mut self, key: &'static str, schemes: &[&str]) -> Vec<String> {
        let items = self.strings(key);
        items
            .into_iter()
            .filter(|s| self.good_url(key, s, schemes))
            .map(Spanned::into_inner)
            .collect()
    }

    fn good_url(&mut self, key: &str, s: &Spanned<String>, schemes: &[&str]) -> bool {
        let v = s.get_ref().trim();
        let lower = v.to_ascii_lowercase();
        let scheme_ok = schemes.iter().any(|sc| lower.starts_with(sc));
        let rest_ok =
            !v.contains(|c: char| c.is_whitespace() || c.is_control() || "<>\"".contains(c));
        if scheme_ok && rest_ok && self.one_line(key, s) {
            return true;
        }
        let d = self
            .file
            .error(self.span(s.span()), format!("`{key}` must be an address starting with {}", schemes.join(" or ")))
            .with_hint("readers' programs follow it as a link: write the full address, such as https://example.org/contact, with no spaces");
        self.diags.push(d);
        false
    }

    /// A list of strings' texts (see [`Fields::strings`]).
    pub fn texts(&mut self, key: &'static str) -> Vec<String> {
        self.strings(key)
            .into_iter()
            .map(Spanned::into_inner)
            .collect()
    }

    /// A word from a fixed vocabulary ([`crate::base::vocab`]).
    pub fn word<W: Word>(&mut self, key: &'static str) -> Option<W> {
        let s = self.string(key)?;
        self.read_word(key, &s)
    }

    /// A required word: reported as missing, with the words to choose from.
    pub fn required_word<W: Word>(&mut self, key: &'static str) -> Option<W> {
        let w = self.word(key);
        self.require(key, &format!("\"…\" (one of: {})", W::IDS.join(", ")));
        w
    }

    /// A list of words from a fixed vocabulary.
    pub fn words<W: Word>(&mut self, key: &'static str) -> Vec<W> {
        let items = self.strings(key);
        items
            .into_iter()
            .filter_map(|s| self.read_word(key, &s))
            .collect()
    }

    fn read_word<W: Word>(&mut self, key: &str, value: &Spanned<String>) -> Option<W> {
        if let Some(w) = W::from_id(value.get_ref()) {
            return Some(w);
        }
        let hint = W::meant(value.get_ref())
            .map(str::to_string)
            .or_else(|| did_you_mean(value.get_ref(), W::IDS.iter().copied()))
            .unwrap_or_else(|| format!("use one of: {}", W::IDS.join(", ")));
        let d = self
            .file
            .error(
                self.span(value.span()),
                format!("`{}` is not a known value for `{key}`", value.get_ref()),
            )
            .with_hint(hint);
        self.diags.push(d);
        None
    }

    /// A sub-table, read by `read`.
    pub fn table<R>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut Fields<'_, 'a>) -> R,
    ) -> Option<R> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => {
                let mut sub = Fields::new(
                    self.file,
                    t,
                    self.base,
                    self.span(v.span()),
                    &format!("[{key}]"),
                    self.diags,
                );
                let r = read(&mut sub);
                let unknown = sub.unknown_keys();
                self.unknown.extend(unknown);
                Some(r)
            }
            _ => {
                self.wrong_type(key, v, "a table", &format!("{{ … }} or a [{key}] section"));
                None
            }
        }
    }

    /// `[key]` once or `[[key]]` any number of times: each table read by `read`.
    pub fn one_or_many<R>(
        &mut self,
        key: &'static str,
        mut read: impl FnMut(&mut Fields<'_, 'a>) -> R,
    ) -> Vec<R> {
        let one = self
            .table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .is_some_and(|(_, v)| matches!(v.get_ref(), DeValue::Table(_)));
        if one {
            self.table(key, |f| read(f)).into_iter().collect()
        } else {
            self.tables(key, read)
        }
    }

    /// The file being read, relative to the site.
    pub fn file_path(&self) -> &str {
        &self.file.path
    }

    /// The 1-based line this table starts on.
    pub fn first_line(&self) -> usize {
        crate::base::diagnostics::Location::of(&self.file.text, self.anchor.clone()).line
    }

    /// An array of tables (`[[key]]`), each read by `read`.
    pub fn tables<R>(
        &mut self,
        key: &'static str,
        mut read: impl FnMut(&mut Fields<'_, 'a>) -> R,
    ) -> Vec<R> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "a list of tables", &format!("a [[{key}]] section"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let DeValue::Table(t) = item.get_ref() {
                let mut sub = Fields::new(
                    self.file,
                    t,
                    self.base,
                    self.span(item.span()),
                    &format!("[[{key}]]"),
                    self.diags,
                );
                out.push(read(&mut sub));
                let unknown = sub.unknown_keys();
                self.unknown.extend(unknown);
            } else {
                self.wrong_type(
                    key,
                    item,
                    "a list of tables",
                    &format!("a [[{key}]] section"),
                );
            }
        }
        out
    }

    /// A key that belongs somewhere else: an error saying where, instead of
    /// "unknown key" with a misleading "did you mean".
    pub fn misplaced(&mut self, key: &'static str, belongs: &str) {
        if let Some(v) = self.get(key) {
            let span = self.span(v.span());
            let context = self.context.clone();
            self.diags.push(
                self.file
                    .error(span, format!("`{key}` does not belong in {context}"))
                    .with_hint(format!("it belongs in {belongs}")),
            );
        }
    }

    /// Free-form data (`[extra]`), as JSON for templates.
    pub fn any(&mut self, key: &'static str) -> Option<serde_json::Value> {
        self.get(key).map(|v| to_json(v.get_ref()))
    }

    /// Every key nobody asked for, here and in sub-tables.
    fn unknown_keys(self) -> Vec<Unknown> {
        let mut out = self.unknown;
        for (k, _) in self.table.iter() {
            let key = k.get_ref().as_ref();
            if !self.asked.contains(&key) {
                out.push(Unknown {
                    key: key.to_string(),
                    span: self.base + k.span().start..self.base + k.span().end,
                    context: self.context.clone(),
                    known: self.asked.clone(),
                });
            }
        }
        out
    }

    /// Report every key nobody asked for. A key this table knows that ended
    /// up in a sub-table is said to be misplaced, not unknown.
    pub fn finish(mut self) {
        let top = std::mem::take(&mut self.asked);
        let file = self.file;
        let context = self.context.clone();
        let diags = &mut *self.diags;
        let table = self.table;
        let base = self.base;
        let mut unknown = std::mem::take(&mut self.unknown);
        for (k, _) in table.iter() {
            let key = k.get_ref().as_ref();
            if !top.contains(&key) {
                unknown.push(Unknown {
                    key: key.to_string(),
                    span: base + k.span().start..base + k.span().end,
                    context: context.clone(),
                    known: top.clone(),
                });
            }
        }
        for u in unknown {
            let d = if u.context != context && top.contains(&u.key.as_str()) {
                file.error(
                    u.span,
                    format!("`{}` belongs to {context}, but TOML reads it as part of {}", u.key, u.context),
                )
                .with_hint(format!(
                    "every key after a {} line belongs to that table: move the table to the end of {context}, after the other keys",
                    u.context
                ))
            } else {
                let hint = did_you_mean(&u.key, u.known.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "known keys here: {}; put your own data under [extra]",
                        u.known.join(", ")
                    )
                });
                file.error(u.span, format!("unknown key `{}` in {}", u.key, u.context))
                    .with_hint(hint)
            };
            diags.push(d);
        }
    }
}

fn describe(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date/time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn to_json(v: &DeValue<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        DeValue::String(s) => J::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(J::from)
            .unwrap_or(J::Null),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .map(J::from)
            .unwrap_or(J::Null),
        DeValue::Boolean(b) => J::Bool(*b),
        DeValue::Datetime(dt) => J::String(dt.to_string()),
        DeValue::Array(a) => J::Array(a.iter().map(|i| to_json(i.get_ref())).collect()),
        DeValue::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.get_ref().to_string(), to_json(v.get_ref())))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "content/x.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn splits_toml_block_and_body() {
        let f = file("+++\ntitle = \"A\"\n+++\nBody\n");
        let s = split(&f).unwrap();
        assert_eq!(&f.text[s.front.clone().unwrap()], "title = \"A\"\n");
        assert_eq!(&f.text[s.body], "Body\n");
    }

    #[test]
    fn crlf_front_matter_splits() {
        let f = file("+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n");
        let s = split(&f).unwrap();
        assert_eq!(&f.text[s.body], "Body\r\n");
    }

    #[test]
    fn yaml_block_gets_a_hint_to_use_toml() {
        let err = split(&file("---\ntitle: A\n---\n")).unwrap_err();
        assert!(err.message.contains("not YAML"));
        assert_eq!((err.line, err.col), (1, 1));
    }

    #[test]
    fn unclosed_block_is_an_error() {
        let err = split(&file("+++\ntitle = \"A\"\n")).unwrap_err();
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn unknown_key_is_reported_at_its_line_with_a_suggestion() {
        let f = file("+++\ntitle = \"A\"\nstauts = \"resolved\"\n+++\n");
        let s = split(&f).unwrap();
        let mut diags = Vec::new();
        let table = parse(&f, &s, &mut diags).unwrap();
        let mut fields = Fields::new(
            &f,
            &table,
            s.front.clone().unwrap().start,
            0..3,
            "front matter",
            &mut diags,
        );
        fields.string("title");
        fields.string("status");
        fields.finish();
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].col), (3, 1));
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `status`?"));
    }
}
