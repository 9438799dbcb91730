//! Everything the user is told about their site goes through here.
//!
//! A [`Diagnostic`] names a file, a line and a column (1-based, counted from the
//! file's first line, not from its front-matter block), says what is wrong and,
//! where we can, how to fix it. Problems are collected, never fatal on their own:
//! the build reports all of them in one run and the count decides the exit code
//! ([`exit_code`], the one place that does).
//!
//! `candor check`'s findings are diagnostics too, carrying the rule they
//! come from ([`RuleRef`]); text ([`Diagnostic::render`]) and JSON (serde)
//! are the two ways any of them is shown.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// Where a diagnostic points: the source line and the columns to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub line_text: String,
    /// 0-based character offset of the caret within `line_text`.
    pub caret_col: usize,
    pub caret_len: usize,
}

/// The code of a placeholder (`TODO:`) left where readers would see it: a
/// warning while drafting, an error in `build` (see `site::stages`).
pub const PLACEHOLDER: &str = "placeholder";

/// Whose problem it is, which decides the exit code: the site's (its
/// content, templates or checks: 1), or the command's (a flag, a missing
/// folder: usage, 2; a disk that cannot be written: I/O, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cause {
    #[default]
    Site,
    Usage,
    Io,
}

/// The rule a `check` finding comes from, and where the rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleRef {
    /// `us-ma.no-count`
    #[serde(rename = "rule")]
    pub id: String,
    pub regime: String,
    /// The law or guidance: `M.G.L. c. 93H, s. 3(b)`.
    pub source: String,
    pub last_verified: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub level: Level,
    #[serde(skip)]
    pub cause: Cause,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef>,
    /// Path relative to the site root, with `/` separators; empty for problems
    /// that belong to no file (a flag, the output folder).
    pub file: String,
    /// 1-based; 0 when the problem belongs to the whole file.
    pub line: usize,
    /// 1-based; 0 when the problem belongs to the whole line or file.
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    /// What was found, where it helps to say (`check`: "found: …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The incident it is about, where it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    /// The audience whose notice it is about (`check`), where the incident
    /// has audiences: "us-ma (Customers in Massachusetts)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// The documents a reader gets that have the problem (`check`: "web",
    /// "email", "letter"); empty when it is not about one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    /// What kind of problem it is, where code decides by it ([`PLACEHOLDER`]).
    #[serde(skip)]
    pub code: Option<&'static str>,
    #[serde(skip)]
    pub snippet: Option<Snippet>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            cause: Cause::Site,
            rule: None,
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            note: None,
            incident: None,
            audience: None,
            documents: Vec::new(),
            code: None,
            snippet: None,
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// A problem with how candor was run, not with the site (exit code 2).
    pub fn usage(mut self) -> Self {
        self.cause = Cause::Usage;
        self
    }

    /// A file that could not be read or written (exit code 2).
    pub fn io(mut self) -> Self {
        self.cause = Cause::Io;
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Point at a byte range of `source`, the whole text of `self.file`.
    pub fn at(mut self, source: &str, span: Range<usize>) -> Self {
        let loc = Location::of(source, span);
        self.line = loc.line;
        self.col = loc.col;
        self.snippet = Some(loc.snippet);
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// `content/incidents/x/2.md:4:6`, as much of it as is known.
    pub fn locus(&self) -> String {
        let mut s = self.file.clone();
        if self.line > 0 {
            let _ = write!(s, ":{}", self.line);
            if self.col > 0 {
                let _ = write!(s, ":{}", self.col);
            }
        }
        s
    }

    /// The report a person reads:
    ///
    /// ```text
    /// error: content/incidents/x/2.md:4:6: `at` has no UTC offset
    ///   |
    /// 4 | at = 2026-11-19T16:30:00
    ///   |      ^^^^^^^^^^^^^^^^^^^
    ///   = hint: add Z or an offset such as +01:00
    /// ```
    pub fn render(&self, style: Style) -> String {
        let (label, colour) = match self.level {
            Level::Error => ("error", "\x1b[1;31m"),
            Level::Warning => ("warning", "\x1b[1;33m"),
        };
        let paint = |code: &str, text: &str| {
            if style.colour {
                format!("{code}{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        // Names and values from the user's files are shown with control
        // characters made visible: a file name with ESC in it must not
        // drive the terminal.
        let shown = |t: &str| -> String {
            t.chars()
                .map(|c| if c == '\n' { c } else { visible(c) })
                .collect()
        };
        let mut out = paint(colour, label);
        if let Some(rule) = &self.rule {
            out.push_str(&paint(colour, &format!("[{}]", rule.id)));
        }
        out.push_str(": ");
        let locus: String = self.locus().chars().map(visible).collect();
        if !locus.is_empty() {
            out.push_str(&paint("\x1b[1m", &locus));
            out.push_str(": ");
        }
        out.push_str(&shown(&self.message));
        let gutter_width = self.line.to_string().len();
        let pad = " ".repeat(gutter_width);
        if let Some(snippet) = &self.snippet {
            let shown: String = snippet.line_text.chars().map(visible).collect();
            let underline: String = snippet
                .line_text
                .chars()
                .take(snippet.caret_col)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(snippet.caret_len.max(1));
            let _ = write!(
                out,
                "\n{pad} |\n{} | {}\n{pad} | {}{}",
                self.line,
                shown,
                underline,
                paint(colour, &carets)
            );
        }
        if let Some(audience) = &self.audience {
            let _ = write!(
                out,
                "\n{pad} = {}: the notice for {}",
                paint("\x1b[1m", "in"),
                shown(audience)
            );
        }
        if let Some(note) = &self.note {
            let _ = write!(
                out,
                "\n{pad} = {}: {}",
                paint("\x1b[1m", "note"),
                shown(note)
            );
        }
        if let Some(hint) = &self.hint {
            let _ = write!(
                out,
                "\n{pad} = {}: {}",
                paint("\x1b[1;36m", "hint"),
                shown(hint)
            );
        }
        if let Some(rule) = &self.rule {
            let _ = write!(
                out,
                "\n{pad} = {}: {}",
                paint("\x1b[1m", "source"),
                rule.source
            );
            if !rule.last_verified.is_empty() {
                let _ = write!(out, " (checked {})", rule.last_verified);
            }
        }
        out
    }
}

/// Control characters would garble the terminal; show them as the Unicode
/// control pictures instead.
fn visible(c: char) -> char {
    match c {
        '\t' => '\t',
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7f}' => '\u{2421}',
        // C1 controls (a CSI among them) and bidirectional controls.
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        c => c,
    }
}

/// A 1-based line and column of a byte offset, with the line's text.
pub struct Location {
    pub line: usize,
    pub col: usize,
    pub snippet: Snippet,
}

impl Location {
    pub fn of(source: &str, span: Range<usize>) -> Location {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let caret_col = source[line_start..start].chars().count();
        let caret_end = end.min(line_start + line_text.len()).max(start);
        let caret_len = source[start..caret_end].chars().count();
        Location {
            line,
            col: caret_col + 1,
            snippet: Snippet {
                line_text: line_text.to_string(),
                caret_col,
                caret_len,
            },
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How to print: colour only on a terminal, and never with `NO_COLOR` set.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    pub fn for_stdout() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: !no_color && std::io::stdout().is_terminal(),
        }
    }

    pub fn for_stderr() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: !no_color && std::io::stderr().is_terminal(),
        }
    }
}

/// "did you mean `x`?" for a misspelt key or value.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Sort for stable output: by file, then position, errors before warnings.
/// The exit code for a run that reported `diagnostics`: 0 without errors,
/// 2 when any error is the command's (usage or I/O), 1 when they are all
/// the site's.
pub fn exit_code(diagnostics: &[Diagnostic]) -> i32 {
    let errors = || diagnostics.iter().filter(|d| d.is_error());
    if errors().next().is_none() {
        0
    } else if errors().any(|d| d.cause != Cause::Site) {
        2
    } else {
        1
    }
}

pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.col, a.level, &a.message)
            .cmp(&(&b.file, b.line, b.col, b.level, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_from_one_and_handles_multibyte_text() {
        let src = "title = \"Café\"\nat = 2026-11-19T16:30:00\n";
        let at = src.find("2026").unwrap();
        let loc = Location::of(src, at..at + 19);
        assert_eq!((loc.line, loc.col), (2, 6));
        assert_eq!(loc.snippet.caret_len, 19);
        let e = src.find('\"').unwrap();
        assert_eq!(Location::of(src, e..e + 7).col, 9);
    }

    /// Regression: a file named with ESC and BEL sequences printed them raw.
    #[test]
    fn control_characters_in_names_and_values_are_shown_not_run() {
        let d = Diagnostic::error(
            "content/faq/\u{1b}[2J\u{7}x.md",
            "bad `\u{1b}]0;title\u{7}`",
        )
        .with_hint("line one\nline two");
        let out = d.render(Style { colour: false });
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("content/faq/␛[2J␇x.md"), "{out}");
        assert!(
            out.contains("line one\nline two"),
            "our own line breaks stay: {out}"
        );
    }

    #[test]
    fn span_past_the_end_does_not_panic() {
        let loc = Location::of("abc", 10..20);
        assert_eq!(loc.line, 1);
        assert_eq!(Location::of("", 0..1).line, 1);
    }

    #[test]
    fn rendered_error_shows_line_caret_and_hint() {
        let src = "a = 1\nat = 2026-11-19T16:30:00\n";
        let d = Diagnostic::error("content/x.md", "`at` has no UTC offset")
            .at(src, 11..30)
            .with_hint("add Z");
        let text = d.render(Style::default());
        assert_eq!(
            text,
            "error: content/x.md:2:6: `at` has no UTC offset\n  |\n2 | at = 2026-11-19T16:30:00\n  |      ^^^^^^^^^^^^^^^^^^^\n  = hint: add Z"
        );
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            did_you_mean("stauts", ["status", "title"]).as_deref(),
            Some("did you mean `status`?")
        );
        assert_eq!(did_you_mean("zzz", ["status", "title"]), None);
    }
}
