//! Markdown flattened to plain text, for the text part of emails and for
//! anything else that cannot show HTML: headings underlined, lists kept,
//! links written as "text (url)", paragraphs wrapped at 72 columns, and no
//! Markdown syntax left.

use pulldown_cmark::{BlockQuoteKind, Event, Parser, Tag, TagEnd};

const WIDTH: usize = 72;

/// Flatten `markdown`; root-relative links are made absolute with `origin`
/// (`https://example.org`) and `base_path`.
pub fn to_plain(markdown: &str, origin: &str, base_path: &str) -> String {
    flatten(markdown, origin, (base_path, base_path), WIDTH)
}

/// [`to_plain`] for a notice in one of the site's other languages: links to
/// pages go to `base_path` (`/cy/`), links to files to `root_path`.
pub fn to_plain_in(markdown: &str, origin: &str, base_path: &str, root_path: &str) -> String {
    flatten(markdown, origin, (base_path, root_path), WIDTH)
}

/// Flatten `markdown` without wrapping: a paragraph, a list item or a
/// table row a line, links as written. What the published record keeps,
/// so that reflowing the Markdown changes nothing.
/// [`to_plain`] without wrapping: one line a paragraph, links made absolute.
pub fn to_plain_unwrapped(markdown: &str, origin: &str, base_path: &str) -> String {
    flatten(markdown, origin, (base_path, base_path), usize::MAX)
}

pub fn to_plain_lines(markdown: &str) -> String {
    flatten(markdown, "", ("/", "/"), usize::MAX)
}

fn flatten(markdown: &str, origin: &str, paths: (&str, &str), width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    // Prefix for wrapped lines: list indentation and markers.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut first_prefix: Option<String> = None;
    let mut links: Vec<(String, usize)> = Vec::new();
    let mut in_code = false;
    let mut quote_depth = 0usize;
    let mut table_row: Vec<String> = Vec::new();
    let mut in_cell = false;

    let indent = |lists: &Vec<Option<u64>>, quote: usize| {
        " ".repeat(lists.len().saturating_sub(1) * 3 + lists.len().min(1) * 3 + quote * 2)
    };

    let flush = |out: &mut String, line: &mut String, first: &mut Option<String>, rest: &str| {
        let text = line.split_whitespace().collect::<Vec<_>>().join(" ");
        line.clear();
        if text.is_empty() {
            return;
        }
        let first_prefix = first.take().unwrap_or_else(|| rest.to_string());
        wrap_into(out, &text, &first_prefix, rest, width);
    };

    // Where inline text goes: the current table cell, or the current line.
    macro_rules! target {
        () => {
            match table_row.last_mut() {
                Some(cell) if in_cell => cell,
                _ => &mut line,
            }
        };
    }
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => {}
            Event::End(TagEnd::Heading(level)) => {
                let text = line.split_whitespace().collect::<Vec<_>>().join(" ");
                line.clear();
                let underline = if (level as u8) <= 2 { '=' } else { '-' };
                out.push_str(&text);
                out.push('\n');
                out.push_str(&underline.to_string().repeat(text.chars().count()));
                out.push_str("\n\n");
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                let rest = indent(&lists, quote_depth);
                flush(&mut out, &mut line, &mut first_prefix, &rest);
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::List(start)) => {
                if !lists.is_empty() {
                    let rest = indent(&lists, quote_depth);
                    flush(&mut out, &mut line, &mut first_prefix, &rest);
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len();
                let base = " ".repeat((depth.saturating_sub(1)) * 3 + quote_depth * 2);
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "-  ".to_string(),
                };
                first_prefix = Some(format!("{base}{marker}"));
            }
            Event::End(TagEnd::Item) => {
                let rest = indent(&lists, quote_depth);
                flush(&mut out, &mut line, &mut first_prefix, &rest);
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                quote_depth += 1;
                if let Some(kind) = kind {
                    let label = match kind {
                        BlockQuoteKind::Note => "NOTE:",
                        BlockQuoteKind::Tip => "TIP:",
                        BlockQuoteKind::Important => "IMPORTANT:",
                        BlockQuoteKind::Warning => "WARNING:",
                        BlockQuoteKind::Caution => "CAUTION:",
                    };
                    line.push_str(label);
                    line.push(' ');
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                out.push('\n');
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let at = target!().len();
                links.push((absolute(&dest_url, origin, paths), at));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = links.pop() {
                    let target = target!();
                    let text = target.get(start..).unwrap_or("").trim().to_string();
                    let bare = url
                        .strip_prefix("mailto:")
                        .or_else(|| url.strip_prefix("tel:"))
                        .unwrap_or(&url);
                    if text != bare && text != url && !url.starts_with('#') {
                        target.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Table(_)) => {}
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => table_row.clear(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                out.push_str(
                    &table_row
                        .iter()
                        .map(|c| c.trim())
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
                out.push('\n');
            }
            Event::End(TagEnd::Table) => out.push('\n'),
            Event::Start(Tag::TableCell) => {
                table_row.push(String::new());
                in_cell = true;
            }
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Text(t) => {
                if in_code {
                    for l in t.lines() {
                        out.push_str("    ");
                        out.push_str(l);
                        out.push('\n');
                    }
                } else {
                    target!().push_str(&t);
                }
            }
            Event::Code(t) => target!().push_str(&t),
            Event::SoftBreak => target!().push(' '),
            Event::HardBreak => {
                let rest = indent(&lists, quote_depth);
                flush(&mut out, &mut line, &mut first_prefix, &rest);
            }
            Event::Rule => out.push_str("----\n\n"),
            Event::TaskListMarker(done) => {
                target!().push_str(if done { "[done] " } else { "[ ] " })
            }
            Event::FootnoteReference(name) => target!().push_str(&format!("[{name}]")),
            // Raw HTML is shown as text on the web, so it is here too
            // (comments are dropped in both).
            Event::Html(raw) | Event::InlineHtml(raw) if !raw.trim_start().starts_with("<!--") => {
                target!().push_str(&raw);
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
    }
    let rest = indent(&lists, quote_depth);
    flush(&mut out, &mut line, &mut first_prefix, &rest);
    let trimmed = out.trim_end();
    format!("{trimmed}\n")
}

fn absolute(url: &str, origin: &str, (base_path, root_path): (&str, &str)) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!(
            "{origin}{}",
            super::site_path(&url[1..], base_path, root_path)
        )
    } else {
        url.to_string()
    }
}

/// Append `text` wrapped at `width`, the first line after `first`, the rest after `rest`.
fn wrap_into(out: &mut String, text: &str, first: &str, rest: &str, width: usize) {
    let mut current = first.to_string();
    let mut len = first.chars().count();
    let mut empty = true;
    for word in text.split(' ') {
        let w = word.chars().count();
        if !empty && len.saturating_add(1 + w) > width {
            out.push_str(current.trim_end());
            out.push('\n');
            current = rest.to_string();
            len = rest.chars().count();
            empty = true;
        }
        if !empty {
            current.push(' ');
            len += 1;
        }
        current.push_str(word);
        len += w;
        empty = false;
    }
    out.push_str(current.trim_end());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_and_links_are_flattened() {
        let md = "## What happened\n\nWe found *someone* in our `database`. Read [the FAQ](/faq/) or [email us](mailto:a@b.example).\n\n- one\n- two with [link](https://x.example/)\n\n1. first\n2. second\n";
        let text = to_plain(md, "https://s.example", "/");
        assert_eq!(
            text,
            "What happened\n=============\n\nWe found someone in our database. Read the FAQ (https://s.example/faq/)\nor email us (mailto:a@b.example).\n\n-  one\n-  two with link (https://x.example/)\n\n1. first\n2. second\n"
        );
    }

    #[test]
    fn no_markdown_syntax_is_left() {
        let md = "> [!IMPORTANT]\n> Change your **password**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n";
        let text = to_plain(md, "https://s.example", "/");
        for syntax in ["**", "> ", "[!", "|---", "```"] {
            assert!(!text.contains(syntax), "{syntax:?} left in:\n{text}");
        }
        assert!(text.contains("IMPORTANT: Change your password."));
        assert!(text.contains("a | b\n1 | 2"));
    }

    /// Found by the escaping property test: inline HTML vanished from the
    /// plain-text email while the web page showed it as text.
    #[test]
    fn regression_inline_html_is_kept_as_text_like_on_the_web() {
        assert_eq!(to_plain("0<l> and <!-- note -->x", "", "/"), "0<l> and x\n");
    }

    #[test]
    fn long_paragraphs_wrap_at_72() {
        let md = "word ".repeat(60);
        let text = to_plain(&md, "", "/");
        assert!(text.lines().all(|l| l.chars().count() <= 72));
    }
}
