//! Small text rules that more than one stage needs, each written once:
//! names that become web addresses, heading anchors, escaping, placeholders,
//! JSON inside `<script>`, and the host of a URL.

use std::ops::Range;

/// The prompt the starter kit leaves where an author must write something.
/// It must never reach a reader.
pub const PLACEHOLDER: &str = "TODO:";

/// Where `text` holds a placeholder: the byte range of each `TODO:`.
pub fn placeholders(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    text.match_indices(PLACEHOLDER).map(|(i, m)| i..i + m.len())
}

/// Characters that XML 1.0 forbids (C0 controls but tab, line feed and
/// carriage return; U+FFFE, U+FFFF): one of them makes every feed invalid.
/// A vertical tab or form feed pasted from a word processor is the usual
/// one. The first, with its byte offset.
pub fn forbidden_control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|(_, c)| {
        matches!(*c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
    })
}

/// Bidirectional controls (U+202A–U+202E, U+2066–U+2069): they reorder
/// how text is shown, a known way to disguise an address. The first, with
/// its byte offset.
pub fn bidi_control(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|(_, c)| matches!(*c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
}

/// Is `name` usable as a file or folder name that becomes part of a web
/// address? Lower-case ASCII letters, digits, `-` and `_`, starting with a
/// letter or digit. `candor new` and `candor build` both use this rule.
pub fn is_slug(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A name that passes [`is_slug`], made from any text: letters are
/// transliterated to ASCII ("Café" → "cafe", "事件" → "shi-jian"), anything
/// else becomes a dash. Empty when nothing is left.
pub fn to_slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    out
}

/// A BCP 47 language tag as candor takes them in file names and
/// `languages`: a language (`cy`, `haw`), optionally a region or script
/// (`en-GB`, `es-419`, `sr-Latn`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("");
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    let rest: Vec<&str> = parts.collect();
    let rest_ok = match rest.as_slice() {
        [] => true,
        [r] => {
            (r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
                || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
                || (r.len() == 4 && r.bytes().all(|b| b.is_ascii_alphabetic()))
        }
        _ => false,
    };
    lang_ok && rest_ok
}

/// Why `name` is not a slug, with one that would do.
pub fn slug_problem(name: &str) -> Option<String> {
    if is_slug(name) {
        return None;
    }
    let suggestion = match to_slug(name) {
        s if s.is_empty() => "incident-2026".to_string(),
        s => s,
    };
    Some(format!(
        "`{name}` becomes part of a web address: use lower-case letters, digits and dashes, such as `{suggestion}`"
    ))
}

/// A heading's anchor: "What happened?" → "what-happened". Letters of any
/// script are kept (an `id` may hold them); "section" when none are left.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(c);
            dash = false;
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Escape text for an HTML attribute value (or anywhere in HTML).
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// Escape text for HTML body text.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, s);
    out
}

/// A JSON value as text that is safe inside a `<script>` element (the
/// page's JSON-LD, the preview's data): it cannot close the element.
pub fn script_safe_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// 1240 → "1,240"
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The host of an `http(s)://` URL, without port or path
/// (`https://example.org:8443/x` → `example.org`); `localhost` for none.
pub fn host_of(url: &str) -> &str {
    url.split_once("://")
        .map_or("", |(_, rest)| rest)
        .split(['/', ':', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(7), "7");
        assert_eq!(group_thousands(1240), "1,240");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(group_thousands(-1240), "-1,240");
    }

    #[test]
    fn one_slug_rule() {
        for good in ["customer-database-2026", "a_b", "2026-11-17-1200-contained"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in ["café", "事件", "_index", "-x", "", "A", "a b", "../x"] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert_eq!(to_slug("Café opening!"), "cafe-opening");
        assert!(is_slug(&to_slug("事件")));
        assert!(slug_problem("café").unwrap().contains("`cafe`"));
    }

    #[test]
    fn anchors_keep_letters_of_any_script() {
        assert_eq!(anchor("What happened?"), "what-happened");
        assert_eq!(anchor("¿Qué pasó?"), "qué-pasó");
        assert_eq!(anchor("!!!"), "section");
    }

    #[test]
    fn placeholders_are_found_where_they_are() {
        let found: Vec<_> = placeholders("a TODO: b TODO:").collect();
        assert_eq!(found, vec![2..7, 10..15]);
    }

    #[test]
    fn control_characters_are_found() {
        assert_eq!(forbidden_control("a\u{b}b"), Some((1, '\u{b}')));
        assert_eq!(forbidden_control("tab\tnew\nline\r"), None);
        assert_eq!(forbidden_control("x\u{1}"), Some((1, '\u{1}')));
        assert_eq!(
            bidi_control("evil\u{202e}moc.elpmaxe"),
            Some((4, '\u{202e}'))
        );
        assert_eq!(bidi_control("plain"), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://example.org:8443/x"), "example.org");
        assert_eq!(host_of("https://example.org"), "example.org");
        assert_eq!(host_of("nonsense"), "localhost");
    }

    #[test]
    fn json_cannot_close_its_script_element() {
        let v = serde_json::json!({"a": "</script><b>&"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
    }
}
