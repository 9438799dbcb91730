//! Markdown to HTML, configured in one place.
//!
//! [`options`] lists the extensions candor turns on. [`render`] walks the
//! event stream once and, on the way:
//!
//! - gives every heading a stable, unique `id` (an explicit `{#id}` wins);
//! - highlights fenced code (see [`crate::markdown::highlight`]);
//! - turns GFM alerts (`> [!IMPORTANT]`) into labelled notes;
//! - prefixes root-relative links with the site's base path and collects
//!   every link and image for `check`;
//! - neutralises what has no place on a breach notice: raw HTML is shown as
//!   text, `javascript:`/`data:` links are dropped and images from other
//!   sites become plain links (a reader's visit must not be reported to a
//!   third party). Each of these is a warning.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::base::diagnostics::Diagnostic;
use crate::base::text::{anchor, escape_attr, escape_text};
use crate::load::content::Body;
use crate::markdown::highlight;

/// The Markdown extensions candor supports.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    /// As written by the author.
    pub url: String,
    pub line: usize,
    pub is_image: bool,
    /// Image alt text (empty when missing).
    pub alt: String,
}

/// Rendered HTML, shared rather than copied by every view that shows it,
/// with its fingerprint, made once when it is rendered: a view that holds
/// it is fingerprinted by that, not by hashing its text again (the
/// preview fingerprints every update view at every rebuild).
#[derive(Clone, Default)]
pub struct Html {
    text: std::sync::Arc<str>,
    fingerprint: crate::base::fingerprint::Fingerprint,
}

impl Html {
    pub fn new(text: String) -> Html {
        let fingerprint = crate::base::fingerprint::of(text.as_str());
        Html {
            text: text.into(),
            fingerprint,
        }
    }
}

impl From<String> for Html {
    fn from(text: String) -> Html {
        Html::new(text)
    }
}

impl std::ops::Deref for Html {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.text, f)
    }
}

impl PartialEq for Html {
    fn eq(&self, other: &Html) -> bool {
        self.fingerprint == other.fingerprint && self.text == other.text
    }
}

impl Eq for Html {}

/// By the fingerprint of the text, which stands for the text.
impl std::hash::Hash for Html {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state);
    }
}

impl Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Rendered {
    pub html: Html,
    pub headings: Vec<Heading>,
    /// Shared, so that a rendering kept by the preview is cheap to reuse.
    pub links: std::sync::Arc<Vec<Link>>,
    /// Plain text of the first paragraph, for summaries and descriptions.
    pub first_paragraph: String,
    pub has_code: bool,
}

/// Render a body. `base_path` is the site's path prefix (`/` or `/prefix/`).
pub fn render(body: &Body, base_path: &str, diags: &mut Vec<Diagnostic>) -> Rendered {
    render_in(body, base_path, base_path, diags)
}

/// [`render`] for a page in one of the site's other languages: links to
/// pages go to `base_path` (`/cy/`), links to files to `root_path` (`/`).
pub fn render_in(
    body: &Body,
    base_path: &str,
    root_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let text: &str = &body.text;
    let mut r = Renderer {
        body,
        newlines: text.match_indices('\n').map(|(i, _)| i).collect(),
        base_path,
        root_path,
        diags,
        out: Rendered::default(),
        events: Vec::new(),
        ids: Ids::default(),
        heading: None,
        code: None,
        paragraph_depth: 0,
        first_paragraph_done: false,
        image: None,
        alert_stack: Vec::new(),
        raw_html_warned_line: 0,
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        r.event(event, range.start);
    }
    r.finish()
}

/// Turns the parser's events into candor's HTML, one method a construct:
/// headings get stable unique ids, code is highlighted, alerts become
/// labelled notes, links and images are made safe, raw HTML is shown as
/// text; links, headings and the first paragraph are collected on the way.
struct Renderer<'a, 'd> {
    body: &'a Body,
    /// Where each line ends, to tell an offset's line without counting.
    newlines: Vec<usize>,
    base_path: &'a str,
    root_path: &'a str,
    diags: &'d mut Vec<Diagnostic>,
    out: Rendered,
    events: Vec<Event<'a>>,
    ids: Ids,
    /// Constructs that span several events.
    heading: Option<PendingHeading<'a>>,
    code: Option<(String, String)>,
    paragraph_depth: usize,
    first_paragraph_done: bool,
    /// An image being read: its URL, alt text, line, and whether it is remote.
    image: Option<(String, String, usize, bool)>,
    alert_stack: Vec<bool>,
    /// One raw-HTML warning per line: `<b>x</b>` is two events.
    raw_html_warned_line: usize,
}

impl<'a> Renderer<'a, '_> {
    fn line_of(&self, offset: usize) -> usize {
        self.body.first_line + self.newlines.partition_point(|&n| n < offset)
    }

    fn event(&mut self, event: Event<'a>, offset: usize) {
        self.collect_text(&event);
        if self.code.is_some() {
            self.code_block(event);
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(PendingHeading {
                    level,
                    explicit_id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    line: self.line_of(offset),
                    text: String::new(),
                    events: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph_depth += 1;
                self.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
                if !self.out.first_paragraph.trim().is_empty() {
                    self.first_paragraph_done = true;
                }
                self.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::BlockQuote(kind)) => self.blockquote_start(kind),
            Event::End(TagEnd::BlockQuote(kind)) => self.blockquote_end(kind),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link(link_type, dest_url, title, id, offset),
            Event::Start(Tag::Image { dest_url, .. }) => {
                let line = self.line_of(offset);
                let remote = is_remote(&dest_url);
                self.image = Some((dest_url.to_string(), String::new(), line, remote));
            }
            Event::End(TagEnd::Image) => self.image_end(),
            Event::Html(raw) | Event::InlineHtml(raw) => self.raw_html(raw, offset),
            other => {
                if self.image.is_none() {
                    self.push(other);
                }
            }
        }
    }

    /// Text for headings, alt text and the first paragraph.
    fn collect_text(&mut self, event: &Event<'a>) {
        if let Event::Text(t) | Event::Code(t) = event {
            if let Some(h) = self.heading.as_mut() {
                h.text.push_str(t);
            }
            if let Some(img) = self.image.as_mut() {
                img.1.push_str(t);
            }
            if self.paragraph_depth > 0 && !self.first_paragraph_done {
                self.out.first_paragraph.push_str(t);
            }
        }
        // A line break is a space between words (not "affected.We").
        if matches!(event, Event::SoftBreak | Event::HardBreak)
            && self.paragraph_depth > 0
            && !self.first_paragraph_done
        {
            self.out.first_paragraph.push(' ');
        }
    }

    /// Inside a code block: its text, then at its end the highlighted block.
    fn code_block(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, src) = self.code.take().unwrap_or_default();
                let inner = highlight::highlight(&src, &lang);
                self.out.has_code = true;
                let class = if lang.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"language-{}\"", escape_attr(&lang))
                };
                self.html(format!(
                    "<pre class=\"code\" tabindex=\"0\"><code{class}>{inner}</code></pre>\n"
                ));
            }
            _ => {}
        }
    }

    /// A heading's end: now its text, and so its id, is known.
    fn heading_end(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let base = h.explicit_id.unwrap_or_else(|| anchor(&h.text));
        let id = self.ids.unique(&base);
        let n = h.level as u8;
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_attr(&h.classes.join(" ")))
        };
        self.html(format!("<h{n} id=\"{}\"{class}>", escape_attr(&id)));
        self.events.extend(h.events);
        self.html(format!("</h{n}>\n"));
        self.out.headings.push(Heading {
            level: n,
            id,
            text: h.text.trim().to_string(),
            line: h.line,
        });
    }

    /// A block quote, or a GFM alert (`> [!NOTE]`) as a labelled note.
    fn blockquote_start(&mut self, kind: Option<BlockQuoteKind>) {
        self.alert_stack.push(kind.is_some());
        match kind {
            Some(kind) => {
                let (class, label) = alert_label(kind);
                self.html(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{label}</p>\n"
                ));
            }
            None => self.events.push(Event::Start(Tag::BlockQuote(None))),
        }
    }

    fn blockquote_end(&mut self, kind: Option<BlockQuoteKind>) {
        if self.alert_stack.pop().unwrap_or(false) {
            self.html("</div>\n".to_string());
        } else {
            self.events.push(Event::End(TagEnd::BlockQuote(kind)));
        }
    }

    fn link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        offset: usize,
    ) {
        let line = self.line_of(offset);
        std::sync::Arc::make_mut(&mut self.out.links).push(Link {
            url: dest_url.to_string(),
            line,
            is_image: false,
            alt: String::new(),
        });
        let dest = safe_url(
            &dest_url,
            (self.base_path, self.root_path),
            self.body,
            line,
            self.diags,
            false,
        );
        self.push(Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(dest),
            title,
            id,
        }));
    }

    /// An image's end: a local image with its alt text, or a remote one as a
    /// link (readers' browsers never contact another site).
    fn image_end(&mut self) {
        let Some((url, alt, line, remote)) = self.image.take() else {
            return;
        };
        std::sync::Arc::make_mut(&mut self.out.links).push(Link {
            url: url.clone(),
            line,
            is_image: true,
            alt: alt.clone(),
        });
        if remote {
            self.diags.push(
                Diagnostic::warning(&self.body.file, format!("image from another site: {url}"))
                    .with_line(line)
                    .with_hint("readers' browsers would contact that site; download the image into static/ and link it from there. It is shown as a link for now"),
            );
            let label = if alt.is_empty() { url.clone() } else { alt };
            self.html(format!(
                "<a href=\"{}\">{}</a>",
                escape_attr(&url),
                escape_text(&label)
            ));
        } else {
            let src = safe_url(
                &url,
                (self.base_path, self.root_path),
                self.body,
                line,
                self.diags,
                true,
            );
            self.html(format!(
                "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                escape_attr(&src),
                escape_attr(&alt)
            ));
        }
    }

    /// Raw HTML is shown as text (comments are dropped), with a warning.
    fn raw_html(&mut self, raw: CowStr<'a>, offset: usize) {
        if self.image.is_some() || raw.trim().starts_with("<!--") {
            return;
        }
        let line = self.line_of(offset);
        if self.raw_html_warned_line != line {
            self.raw_html_warned_line = line;
            self.diags.push(
                Diagnostic::warning(&self.body.file, "raw HTML is shown as text, not run")
                    .with_line(line)
                    .with_hint("use Markdown instead; HTML in a notice could load scripts or content from other sites"),
            );
        }
        self.push(Event::Text(raw));
    }

    /// An event, held back while a heading is being read.
    fn push(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.events.push(event),
        }
    }

    fn html(&mut self, html: String) {
        self.events.push(Event::Html(CowStr::from(html)));
    }

    fn finish(self) -> Rendered {
        let mut out = self.out;
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        out.html = html.into();
        out.first_paragraph = out
            .first_paragraph
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        out
    }
}

/// Heading ids in use, and for each base the next number to try: ten
/// thousand headings called "Same" take linear time, not quadratic.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Ids {
    /// `base`, or `base-1`, `base-2`… whichever is free first.
    fn unique(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        // Every `base-n` below the remembered number is already taken.
        let n = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// A heading being read: its events are held back until its id is known.
struct PendingHeading<'a> {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<String>,
    line: usize,
    text: String,
    events: Vec<Event<'a>>,
}

fn alert_label(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn is_remote(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// A link target that is safe to publish, with root-relative paths prefixed.
fn safe_url(
    url: &str,
    (base_path, root_path): (&str, &str),
    body: &Body,
    line: usize,
    diags: &mut Vec<Diagnostic>,
    image: bool,
) -> String {
    let trimmed = url.trim();
    // Browsers ignore control characters and whitespace inside a scheme.
    let scheme: String = trimmed
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|c| *c != ':' && *c != '/' && *c != '?' && *c != '#')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme = trimmed.contains(':')
        && !trimmed.starts_with('/')
        && !trimmed.starts_with('#')
        && !trimmed.starts_with('?')
        && trimmed.find(':') < trimmed.find(['/', '?', '#']).or(Some(usize::MAX));
    if has_scheme && !matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
        diags.push(
            Diagnostic::warning(&body.file, format!("a `{scheme}:` link was removed"))
                .with_line(line)
                .with_hint("links may point to web pages (https:), email addresses (mailto:) or phone numbers (tel:)"),
        );
        return if image {
            String::new()
        } else {
            "#".to_string()
        };
    }
    if trimmed.starts_with('/') && !trimmed.starts_with("//") {
        return super::site_path(&trimmed[1..], base_path, root_path);
    }
    trimmed.to_string()
}

impl Diagnostic {
    fn with_line(mut self, line: usize) -> Self {
        self.line = line;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        Body {
            file: "content/x.md".into(),
            text: text.into(),
            first_line: 4,
        }
    }

    fn html(text: &str) -> String {
        render(&body(text), "/", &mut Vec::new()).html.to_string()
    }

    /// The ids are those the old try-every-number loop gave, including a
    /// base whose numbered form an author took first.
    #[test]
    fn repeated_headings_get_the_next_free_number() {
        let mut ids = Ids::default();
        let got: Vec<String> = ["same", "same-1", "same", "same", "other", "same"]
            .iter()
            .map(|b| ids.unique(b))
            .collect();
        assert_eq!(
            got,
            ["same", "same-1", "same-2", "same-3", "other", "same-4"]
        );
    }

    #[test]
    fn headings_get_unique_stable_ids() {
        let r = render(
            &body("## What happened?\n\n## What happened?\n\n## Custom {#mine}\n"),
            "/",
            &mut Vec::new(),
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["what-happened", "what-happened-1", "mine"]);
        assert!(
            r.html
                .contains("<h2 id=\"what-happened\">What happened?</h2>"),
            "{}",
            r.html
        );
        assert_eq!(r.headings[1].line, 6);
    }

    #[test]
    fn alerts_become_labelled_notes() {
        let out = html("> [!IMPORTANT]\n> Change your password.\n");
        assert!(out.contains("<div class=\"alert alert-important\" role=\"note\"><p class=\"alert-title\">Important</p>"), "{out}");
        assert!(!out.contains("blockquote"));
    }

    #[test]
    fn dangerous_things_are_neutralised_with_warnings() {
        let mut diags = Vec::new();
        let r = render(
            &body(
                "[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1)) <script>alert(1)</script>\n\n![pixel](https://tracker.example/p.gif)\n",
            ),
            "/",
            &mut diags,
        );
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("<script>"));
        assert!(!r.html.contains("<img"));
        assert_eq!(diags.len(), 4, "{diags:#?}");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let r = render(
            &body("[FAQ](/faq/#cards) [ext](https://example.org/) [rel](other/)\n"),
            "/incident/",
            &mut Vec::new(),
        );
        assert!(r.html.contains("href=\"/incident/faq/#cards\""));
        assert!(r.html.contains("href=\"https://example.org/\""));
        assert!(r.html.contains("href=\"other/\""));
        assert_eq!(r.links.len(), 3);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let out = html("```toml\ntitle = \"x\"\n```\n");
        assert!(
            out.contains("<pre class=\"code\" tabindex=\"0\"><code class=\"language-toml\">"),
            "{out}"
        );
    }

    #[test]
    fn first_paragraph_keeps_a_space_at_line_breaks() {
        assert_eq!(
            render(
                &body("About 40 customers are affected.\nWe will write to them."),
                "/",
                &mut Vec::new()
            )
            .first_paragraph,
            "About 40 customers are affected. We will write to them."
        );
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let r = render(
            &body("## Head\n\nWe *found* a `problem`.\n\nMore.\n"),
            "/",
            &mut Vec::new(),
        );
        assert_eq!(r.first_paragraph, "We found a problem.");
    }
}
