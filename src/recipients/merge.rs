//! A mail merge made once: a notice rendered by its templates with a
//! stand-in for each of a person's fields, cut at the stand-ins, and filled
//! for each person by joining the pieces. Filling a letter costs copying
//! its bytes, not running its templates again.

/// A stand-in the templates print for field `i`: characters of Unicode's
/// private use area, which no escaping touches and no notice contains.
pub fn stand_in(i: usize) -> String {
    format!("\u{E000}{i}\u{E001}")
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Field(usize),
}

/// A rendered notice, cut at its stand-ins.
#[derive(Debug, Clone)]
pub struct Merge {
    parts: Vec<Part>,
}

/// How a field's value is written into the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    Html,
    Text,
}

impl Merge {
    /// Cut `rendered` at the stand-ins for `fields` fields. An error names
    /// a stand-in a template changed (a filter on a recipient's field).
    pub fn new(rendered: &str, fields: usize) -> Result<Merge, String> {
        let mut parts = Vec::new();
        let mut rest = rendered;
        while let Some(start) = rest.find('\u{E000}') {
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            let after = &rest[start + '\u{E000}'.len_utf8()..];
            let end = after
                .find('\u{E001}')
                .ok_or("a recipient's field was changed by a filter")?;
            let index: usize = after[..end]
                .parse()
                .ok()
                .filter(|i| *i < fields)
                .ok_or("a recipient's field was changed by a filter")?;
            parts.push(Part::Field(index));
            rest = &after[end + '\u{E001}'.len_utf8()..];
        }
        if rest.contains('\u{E001}') {
            return Err("a recipient's field was changed by a filter".into());
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Merge { parts })
    }

    /// The document for one person. Fields numbered `raw` and above are
    /// markup candor made (a QR code's SVG), written as they are.
    pub fn fill(&self, values: &[&str], escape: Escape, raw: usize, out: &mut String) {
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field(i) => {
                    let v = values.get(*i).copied().unwrap_or("");
                    match escape {
                        Escape::Html if *i < raw => html_escape(v, out),
                        _ => out.push_str(v),
                    }
                }
            }
        }
    }
}

/// HTML-escape `s` (text and attribute values alike).
pub fn html_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_fills_each_field_escaped_for_its_document() {
        let rendered = format!(
            "<html><body><p>Dear {},</p><a href=\"{}\">x</a></body></html>",
            stand_in(0),
            stand_in(1)
        );
        let m = Merge::new(&rendered, 2).unwrap();
        let mut out = String::new();
        m.fill(
            &["Ann <O'Neil>", "https://s.example/#A&B"],
            Escape::Html,
            2,
            &mut out,
        );
        assert_eq!(
            out,
            "<html><body><p>Dear Ann &lt;O&#39;Neil&gt;,</p><a href=\"https://s.example/#A&amp;B\">x</a></body></html>"
        );
        // A field at or above `raw` is markup candor made: as it is.
        let mut raw = String::new();
        m.fill(&["<b>", "<svg/>"], Escape::Html, 1, &mut raw);
        assert!(raw.contains("Dear &lt;b&gt;,") && raw.contains("href=\"<svg/>\""));
        assert!(Merge::new("broken \u{E000}x", 1).is_err());
        assert!(Merge::new(&stand_in(5), 2).is_err());
    }
}
