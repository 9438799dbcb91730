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

use std::collections::HashSet;

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

/// Rendered HTML, shared rather than copied by every view that shows it.
pub type Html = std::sync::Arc<str>;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Rendered {
    pub html: Html,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// Plain text of the first paragraph, for summaries and descriptions.
    pub first_paragraph: String,
    pub has_code: bool,
}

/// Render a body. `base_path` is the site's path prefix (`/` or `/prefix/`).
pub fn render(body: &Body, base_path: &str, diags: &mut Vec<Diagnostic>) -> Rendered {
    let text: &str = &body.text;
    let line_of =
        |offset: usize| body.first_line + text[..offset.min(text.len())].matches('\n').count();
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    let mut ids = HashSet::new();

    // State for constructs that span several events.
    let mut heading: Option<PendingHeading> = None;
    let mut code: Option<(String, String)> = None;
    let mut paragraph_depth = 0usize;
    let mut first_paragraph_done = false;
    let mut image: Option<(String, String, usize, bool)> = None;
    let mut alert_stack: Vec<bool> = Vec::new();
    // One raw-HTML warning per line: `<b>x</b>` is two events.
    let mut raw_html_warned_line = 0;

    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        // Text collection for plain text, headings, first paragraph and alt text.
        if let Event::Text(t) | Event::Code(t) = &event {
            if let Some(h) = heading.as_mut() {
                h.text.push_str(t);
            }
            if let Some(img) = image.as_mut() {
                img.1.push_str(t);
            }
            if paragraph_depth > 0 && !first_paragraph_done {
                out.first_paragraph.push_str(t);
            }
        }
        if let Some((_, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => {
                    buf.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, src) = code.take().unwrap_or_default();
                    let inner = highlight::highlight(&src, &lang);
                    out.has_code = true;
                    let class = if lang.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"language-{}\"", escape_attr(&lang))
                    };
                    events.push(Event::Html(CowStr::from(format!(
                        "<pre class=\"code\" tabindex=\"0\"><code{class}>{inner}</code></pre>\n"
                    ))));
                    continue;
                }
                _ => continue,
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(PendingHeading {
                    level,
                    explicit_id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    line: line_of(range.start),
                    text: String::new(),
                    events: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(PendingHeading {
                    level,
                    explicit_id: explicit,
                    classes,
                    line,
                    text,
                    events: inner,
                }) = heading.take()
                {
                    let base = explicit.unwrap_or_else(|| anchor(&text));
                    let id = unique_id(&base, &mut ids);
                    let n = level as u8;
                    let class = if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
                    };
                    events.push(Event::Html(CowStr::from(format!(
                        "<h{n} id=\"{}\"{class}>",
                        escape_attr(&id)
                    ))));
                    events.extend(inner);
                    events.push(Event::Html(CowStr::from(format!("</h{n}>\n"))));
                    out.headings.push(Heading {
                        level: n,
                        id,
                        text: text.trim().to_string(),
                        line,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Paragraph) => {
                paragraph_depth += 1;
                push(&mut heading, &mut events, Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                paragraph_depth = paragraph_depth.saturating_sub(1);
                if !out.first_paragraph.trim().is_empty() {
                    first_paragraph_done = true;
                }
                push(&mut heading, &mut events, Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert_label(kind);
                alert_stack.push(true);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{label}</p>\n"
                ))));
            }
            Event::Start(Tag::BlockQuote(None)) => {
                alert_stack.push(false);
                events.push(Event::Start(Tag::BlockQuote(None)));
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                if alert_stack.pop().unwrap_or(false) {
                    events.push(Event::Html(CowStr::from("</div>\n")));
                } else {
                    events.push(Event::End(TagEnd::BlockQuote(kind)));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = line_of(range.start);
                out.links.push(Link {
                    url: dest_url.to_string(),
                    line,
                    is_image: false,
                    alt: String::new(),
                });
                let dest = safe_url(&dest_url, base_path, body, line, diags, false);
                let link_type = if link_type == LinkType::Email {
                    LinkType::Email
                } else {
                    link_type
                };
                push(
                    &mut heading,
                    &mut events,
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(dest),
                        title,
                        id,
                    }),
                );
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let line = line_of(range.start);
                let remote = is_remote(&dest_url);
                image = Some((dest_url.to_string(), String::new(), line, remote));
                let _ = title;
            }
            Event::End(TagEnd::Image) => {
                if let Some((url, alt, line, remote)) = image.take() {
                    out.links.push(Link {
                        url: url.clone(),
                        line,
                        is_image: true,
                        alt: alt.clone(),
                    });
                    let alt_attr = escape_attr(&alt);
                    if remote {
                        diags.push(
                            Diagnostic::warning(&body.file, format!("image from another site: {url}"))
                                .with_line(line)
                                .with_hint("readers' browsers would contact that site; download the image into static/ and link it from there. It is shown as a link for now"),
                        );
                        let label = if alt.is_empty() { url.clone() } else { alt };
                        events.push(Event::Html(CowStr::from(format!(
                            "<a href=\"{}\">{}</a>",
                            escape_attr(&url),
                            escape_text(&label)
                        ))));
                    } else {
                        let src = safe_url(&url, base_path, body, line, diags, true);
                        events.push(Event::Html(CowStr::from(format!(
                            "<img src=\"{}\" alt=\"{alt_attr}\" loading=\"lazy\">",
                            escape_attr(&src)
                        ))));
                    }
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if image.is_some() {
                    continue;
                }
                let line = line_of(range.start);
                if !raw.trim().starts_with("<!--") {
                    if raw_html_warned_line != line {
                        raw_html_warned_line = line;
                        diags.push(
                        Diagnostic::warning(&body.file, "raw HTML is shown as text, not run")
                            .with_line(line)
                            .with_hint("use Markdown instead; HTML in a notice could load scripts or content from other sites"),
                        );
                    }
                    push(&mut heading, &mut events, Event::Text(raw));
                }
            }
            other => {
                if image.is_some() {
                    continue;
                }
                push(&mut heading, &mut events, other);
            }
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html.into();
    out.first_paragraph = out
        .first_paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    out
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

fn push<'a>(
    heading: &mut Option<PendingHeading<'a>>,
    events: &mut Vec<Event<'a>>,
    event: Event<'a>,
) {
    match heading {
        Some(h) => h.events.push(event),
        None => events.push(event),
    }
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
    base_path: &str,
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
        return format!("{base_path}{}", &trimmed[1..]);
    }
    trimmed.to_string()
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
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
    fn first_paragraph_is_plain_text() {
        let r = render(
            &body("## Head\n\nWe *found* a `problem`.\n\nMore.\n"),
            "/",
            &mut Vec::new(),
        );
        assert_eq!(r.first_paragraph, "We found a problem.");
    }
}
