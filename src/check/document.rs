//! The documents a reader receives, as the rules read them: the incident's
//! web page (with the guidance it links), the notice email and the printed
//! letter, each taken from what the build rendered, so what a rule judges
//! is what the reader gets: the theme's frame (facts box, data-type list,
//! contact and verify boxes, letterhead), the notice text, placeholders
//! filled.
//!
//! Each document is a list of [`Segment`]s: a heading, a paragraph, a list
//! item, a table cell. Someone else's words (a blockquote, code, text in
//! quotation marks) are marked, so a notice that quotes a scam message to
//! warn readers is not judged by the scammer's words. A bold question that
//! opens a paragraph ("**Q. What happened?**") counts as a heading.

use serde::Serialize;

/// Which document a reader gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Web,
    Email,
    Letter,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Web, Kind::Email, Kind::Letter];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Web => "web",
            Kind::Email => "email",
            Kind::Letter => "letter",
        }
    }

    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// What the document is called in a finding.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Web => "the web page",
            Kind::Email => "the email",
            Kind::Letter => "the letter",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The page's or notice's title (its first `h1`).
    Title,
    Heading,
    Text,
}

/// One block of a document.
#[derive(Debug, Clone)]
pub struct Segment {
    pub role: Role,
    /// The text as the reader sees it, whitespace collapsed.
    pub text: String,
    /// The same, with someone else's words (inline quotations and code)
    /// blanked out; empty for a quoted block.
    pub own: String,
    /// Part of the theme's standing frame rather than the notice: the
    /// page's header and footer (outside `<main>`), and blocks the theme
    /// marks `data-candor="frame"` (letterhead, contact and verify boxes).
    pub frame: bool,
}

impl Segment {
    pub fn is_quoted(&self) -> bool {
        self.own.trim().is_empty() && !self.text.trim().is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    pub segments: Vec<Segment>,
}

impl Document {
    pub fn headings(&self) -> impl Iterator<Item = &Segment> {
        self.segments
            .iter()
            .filter(|s| matches!(s.role, Role::Heading | Role::Title))
    }
}

/// Elements whose text is not read: the page's machinery and navigation.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "nav", "template", "noscript", "svg", "button", "form",
];
/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "dd",
    "dt",
    "div",
    "blockquote",
    "pre",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "address",
    "figcaption",
    "summary",
    "details",
    "ul",
    "ol",
    "dl",
    "main",
    "aside",
    "body",
    "br",
    "hr",
];

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Read a rendered HTML page into segments. On a page with `<main>`,
/// what is outside it (header, footer, the contact block every page has)
/// is frame.
pub fn from_html(kind: Kind, html: &str) -> Document {
    let mut r = Reader {
        has_main: html.contains("<main"),
        ..Reader::default()
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        r.text(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            break;
        };
        r.tag(&rest[1..gt]);
        rest = &rest[gt + 1..];
    }
    r.text(rest);
    r.flush();
    Document {
        kind,
        segments: r.segments,
    }
}

/// Walks the tags of a page, collecting text into blocks.
#[derive(Default)]
struct Reader {
    segments: Vec<Segment>,
    text: String,
    own: String,
    /// Open skipped elements (their text is not read).
    skip: Vec<String>,
    heading: usize,
    h1_seen: bool,
    in_title: bool,
    quoted_blocks: usize,
    code: usize,
    /// A paragraph that opened with `<strong>`: the bold text so far, until
    /// it closes.
    lead: Option<usize>,
    block_start: bool,
    /// Open elements, and whether each starts the frame.
    open: Vec<(String, bool)>,
    frame: usize,
    has_main: bool,
    in_main: usize,
}

impl Reader {
    fn tag(&mut self, raw: &str) {
        let closing = raw.starts_with('/');
        let name: String = raw
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            return;
        }
        if let Some(open) = self.skip.last() {
            if closing && *open == name {
                self.skip.pop();
            } else if !closing && SKIPPED.contains(&name.as_str()) && !raw.ends_with('/') {
                self.skip.push(name);
            }
            return;
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !raw.ends_with('/') {
            self.skip.push(name);
            return;
        }
        if BLOCKS.contains(&name.as_str()) || name == "main" {
            self.flush();
            self.block_start = true;
        }
        self.nest(&name, raw, closing);
        let level = name
            .strip_prefix('h')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=6).contains(n));
        match (name.as_str(), closing) {
            (_, false) if level.is_some() => {
                self.heading += 1;
                if level == Some(1) && !self.h1_seen {
                    self.h1_seen = true;
                    self.in_title = true;
                }
            }
            (_, true) if level.is_some() => {
                self.heading = self.heading.saturating_sub(1);
                self.in_title = false;
            }
            ("blockquote" | "pre", false) => self.quoted_blocks += 1,
            ("blockquote" | "pre", true) => {
                self.quoted_blocks = self.quoted_blocks.saturating_sub(1);
            }
            ("code", false) => {
                self.code += 1;
                self.push_raw("\u{201c}", false);
            }
            ("code", true) => {
                self.code = self.code.saturating_sub(1);
                self.push_raw("\u{201d}", false);
            }
            ("strong" | "b", false) if self.block_start && self.heading == 0 => {
                self.lead = Some(self.text.len());
            }
            ("strong" | "b", true) => {
                if let Some(start) = self.lead.take() {
                    self.end_lead(start);
                }
            }
            ("img", false) => {
                // An image is read as its alt text.
                if let Some(alt) = attribute(raw, "alt") {
                    self.push_raw(&decode(&alt), true);
                }
            }
            _ => {}
        }
    }

    /// Keep track of open elements: where `<main>` and the frame are.
    fn nest(&mut self, name: &str, raw: &str, closing: bool) {
        if closing {
            if !self.open.iter().any(|(n, _)| n == name) {
                return;
            }
            while let Some((n, frame)) = self.open.pop() {
                self.frame -= usize::from(frame);
                if n == "main" {
                    self.in_main = self.in_main.saturating_sub(1);
                }
                if n == name {
                    break;
                }
            }
        } else if !VOID.contains(&name) && !raw.ends_with('/') {
            let frame = raw.contains("data-candor=\"frame\"");
            self.frame += usize::from(frame);
            if name == "main" {
                self.in_main += 1;
            }
            self.open.push((name.to_string(), frame));
        }
    }

    fn in_frame(&self) -> bool {
        self.frame > 0 || (self.has_main && self.in_main == 0)
    }

    /// A bold opening that asks a question (or is a short label followed
    /// by more text) is the paragraph's heading.
    fn end_lead(&mut self, start: usize) {
        let lead = self.text[start..].trim().to_string();
        let question = lead.ends_with('?')
            || lead.ends_with("?:")
            || lead.starts_with("Q.")
            || lead.starts_with("Q:");
        if self.text[..start].trim().is_empty() && question && !lead.is_empty() {
            self.text.clear();
            self.own.clear();
            self.segments.push(Segment {
                role: Role::Heading,
                text: lead.clone(),
                own: lead,
                frame: self.in_frame(),
            });
        }
    }

    fn text(&mut self, raw: &str) {
        if !self.skip.is_empty() || raw.is_empty() {
            return;
        }
        let text = decode(raw);
        self.push_raw(&text, true);
    }

    fn push_raw(&mut self, text: &str, content: bool) {
        if text.trim().is_empty() {
            if !text.is_empty() {
                self.text.push(' ');
                self.own.push(' ');
            }
            return;
        }
        if content {
            self.block_start = false;
        }
        self.text.push_str(text);
        if self.quoted_blocks == 0 && self.code == 0 {
            self.own.push_str(text);
        } else {
            self.own.push_str(&" ".repeat(text.chars().count()));
        }
    }

    fn flush(&mut self) {
        let text = collapse(&self.text);
        let own = if self.quoted_blocks > 0 {
            String::new()
        } else {
            blank_quotations(&collapse(&self.own))
        };
        self.text.clear();
        self.own.clear();
        self.lead = None;
        if text.is_empty() {
            return;
        }
        let role = if self.in_title {
            Role::Title
        } else if self.heading > 0 {
            Role::Heading
        } else {
            Role::Text
        };
        let frame = self.in_frame();
        self.segments.push(Segment {
            role,
            text,
            own,
            frame,
        });
    }
}

/// `alt="…"` of a tag.
fn attribute(raw: &str, name: &str) -> Option<String> {
    let at = raw.find(&format!("{name}=\""))?;
    let rest = &raw[at + name.len() + 2..];
    Some(rest[..rest.find('"')?].to_string())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML character references: the named ones a renderer writes, and
/// numeric ones.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('\u{2013}'),
                "mdash" => Some('\u{2014}'),
                "rsquo" => Some('\u{2019}'),
                "lsquo" => Some('\u{2018}'),
                "ldquo" => Some('\u{201c}'),
                "rdquo" => Some('\u{201d}'),
                "hellip" => Some('\u{2026}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Blank out text in quotation marks that is someone else's words: a
/// quoted span of three words or more ("Your account may have been
/// affected…"). Short quoted terms ("freeze") stay. Mail-merge fields
/// («Full name») are blanked too: they are filled in for each reader.
pub fn blank_quotations(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = chars.clone();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\u{ab}'
            && let Some(len) = chars[i + 1..].iter().position(|c| *c == '\u{bb}')
        {
            for c in &mut out[i..=i + 1 + len] {
                *c = ' ';
            }
            i += len + 2;
            continue;
        }
        let close = match chars[i] {
            '\u{201c}' => Some('\u{201d}'),
            '"' => Some('"'),
            _ => None,
        };
        if let Some(close) = close
            && let Some(len) = chars[i + 1..].iter().position(|c| *c == close)
        {
            let inner: String = chars[i + 1..i + 1 + len].iter().collect();
            if inner.split_whitespace().count() >= 3 {
                for c in &mut out[i..=i + 1 + len] {
                    *c = ' ';
                }
            }
            i += len + 2;
            continue;
        }
        i += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_headings_quotes_and_bold_questions() {
        let html = "<html><head><title>x</title></head><body><nav><a>Home</a></nav>\
            <main><h1>Notice of Data Breach</h1><h2>What happened?</h2><p>We found it on 3&nbsp;May.</p>\
            <blockquote><p>Your account may have been affected.</p></blockquote>\
            <p><strong>Q. Which details?</strong> Names and <code>emails</code>.</p>\
            <p>They said \u{201c}we take privacy seriously\u{201d} to us.</p><ul><li>Names</li></ul></main></body></html>";
        let d = from_html(Kind::Web, html);
        let texts: Vec<(&str, Role, bool)> = d
            .segments
            .iter()
            .filter(|s| !s.frame)
            .map(|s| (s.text.as_str(), s.role, s.is_quoted()))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("Notice of Data Breach", Role::Title, false),
                ("What happened?", Role::Heading, false),
                ("We found it on 3 May.", Role::Text, false),
                ("Your account may have been affected.", Role::Text, true),
                ("Q. Which details?", Role::Heading, false),
                ("Names and \u{201c}emails\u{201d}.", Role::Text, false),
                (
                    "They said \u{201c}we take privacy seriously\u{201d} to us.",
                    Role::Text,
                    false
                ),
                ("Names", Role::Text, false),
            ]
        );
        let quoted = d
            .segments
            .iter()
            .find(|s| s.text.starts_with("They said"))
            .unwrap();
        assert!(!quoted.own.contains("seriously"));
        assert!(quoted.own.contains("They said"));
    }

    #[test]
    fn the_frame_is_what_is_outside_main_or_marked() {
        let html = "<body><header><p>Acme notices</p></header><main><p>Notice text.</p>\
            <div class=\"box\" data-candor=\"frame\"><p>Call us.</p><br><img alt=\"x\"></div><p>More notice.</p></main>\
            <footer><p>Footer.</p></footer></body>";
        let d = from_html(Kind::Web, html);
        let seen: Vec<(&str, bool)> = d
            .segments
            .iter()
            .map(|s| (s.text.as_str(), s.frame))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("Acme notices", true),
                ("Notice text.", false),
                ("Call us.", true),
                ("x", true),
                ("More notice.", false),
                ("Footer.", true),
            ]
        );
        // A letter or email has no <main>: only marked blocks are frame.
        let d = from_html(
            Kind::Letter,
            "<p>Dear reader,</p><div data-candor=\"frame\"><p>Call us.</p></div>",
        );
        assert!(!d.segments[0].frame && d.segments[1].frame);
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(decode("a &amp; b &#39;c&#x27; &lt;"), "a & b 'c' <");
        assert_eq!(decode("AT&T &bogus"), "AT&T &bogus");
    }
}
